package io.diskann.pq;

import io.diskann.graph.VamanaIndex;
import java.nio.file.Path;
import java.util.Random;

/**
 * The child JVM of {@link SaveCrashTest}: loads a graph index and a PQ index, then forever inserts a few
 * vectors and saves each (graph to {@code g.idx}, PQ to {@code p.idx}), printing "g SIZE" / "p SIZE" after
 * each save returns, until it is killed.
 */
public final class SaveCrashChild {

    private SaveCrashChild() {
    }

    /**
     * Runs until killed.
     *
     * @param args the directory, and a seed
     * @throws Exception on any failure (the parent then sees the child exit)
     */
    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        Random r = new Random(Long.parseLong(args[1]));
        try (VamanaIndex g = VamanaIndex.load(dir.resolve("g.idx")); PqIndex p = PqIndex.load(dir.resolve("p.idx"))) {
            System.out.println("ready");
            while (true) {
                for (int i = 0; i < SaveCrashTest.STEP; i++) {
                    g.insert(vector(r, g.dimensions()));
                    p.insert(vector(r, p.dimensions()));
                }
                g.save(dir.resolve("g.idx"));
                System.out.println("g " + g.size());
                p.save(dir.resolve("p.idx"));
                System.out.println("p " + p.index().size());
            }
        }
    }

    private static float[] vector(Random r, int dim) {
        float[] v = new float[dim];
        for (int i = 0; i < dim; i++) {
            v[i] = (float) r.nextGaussian();
        }
        return v;
    }
}
