package io.diskann.graph;

import io.diskann.util.Workers;
import io.diskann.vector.DistanceKernels;
import io.diskann.vector.Metric;
import io.diskann.vector.SimdSupport;
import io.diskann.vector.VectorStore;
import io.diskann.vector.VectorType;
import java.util.function.IntPredicate;

/**
 * The start point of a graph: the stored vector nearest the centroid of the live ones (the medoid
 * approximation DiskANN uses), computed by the build and again by consolidation when the old start
 * point was deleted.
 */
final class Medoid {

    private Medoid() {
    }

    /** Fixed chunks of the two passes: the sums are added in chunk order, so the result never depends on the
     * thread count. */
    private static final int CHUNKS = 64;

    /** Below this many slots both passes run on the calling thread (starting threads would cost more). */
    private static final int PARALLEL_MINIMUM = 4096;

    /**
     * The live slot below {@code count} nearest the centroid of the live slots ({@code live == null}: all
     * are live), by {@code metric}'s distance (L2 for inner product, whose graph is built in L2); -1 if
     * no slot is live. Both passes (the sum, the nearest) run on {@code threads} threads over fixed chunks.
     * Distances are those of the decoded vectors (for 8-bit and half-precision storage, what their own
     * kernels compute, up to float rounding).
     *
     * <p>Why threads: on one thread the two passes took 0.5 s of a 12 s Fashion-MNIST build (JFR), with
     * the build's other thread idle.
     */
    static int of(VectorStore vectors, int count, IntPredicate live, Metric metric, int threads) {
        int dim = vectors.dimensions();
        threads = count >= PARALLEL_MINIMUM ? threads : 1;
        double[][] sums = new double[CHUNKS][dim];
        long[] counts = new long[CHUNKS];
        Workers.forEach("diskann-medoid", threads, CHUNKS, 1, () -> new float[dim], (buf, c) -> {
            double[] sum = sums[c];
            long n = 0;
            for (int i = chunkStart(c, count), end = chunkStart(c + 1, count); i < end; i++) {
                if (live == null || live.test(i)) {
                    vectors.get(i, buf);
                    for (int j = 0; j < dim; j++) {
                        sum[j] += buf[j];
                    }
                    n++;
                }
            }
            counts[c] = n;
        });
        double[] sum = new double[dim];
        long n = 0;
        for (int c = 0; c < CHUNKS; c++) {
            for (int j = 0; j < dim; j++) {
                sum[j] += sums[c][j];
            }
            n += counts[c];
        }
        if (n == 0) {
            return -1;
        }
        float[] centroid = new float[dim];
        VectorType type = vectors.type();
        for (int j = 0; j < dim; j++) {
            double c = sum[j] / n;
            // integer types take integer queries: round, then clamp into the type's range
            float v = type.isInteger() ? (float) Math.rint(c) : (float) c;
            centroid[j] = Math.max(type.minValue(), Math.min(type.maxValue(), v));
        }
        boolean cosine = metric == Metric.COSINE;
        // Why the scalar kernels: this pass runs once, before anything has warmed up, and the Vector API's
        // kernels are slow until C2 compiles them (0.7 s of CPU in a 12 s Fashion-MNIST build,
        // async-profiler); plain loops are compiled at once (on stack)
        DistanceKernels k = SimdSupport.scalar();
        int[] bests = new int[CHUNKS];
        float[] bestDistances = new float[CHUNKS];
        Workers.forEach("diskann-medoid", threads, CHUNKS, 1, () -> new float[dim], (buf, c) -> {
            int best = -1;
            float bestDistance = Float.POSITIVE_INFINITY;
            for (int i = chunkStart(c, count), end = chunkStart(c + 1, count); i < end; i++) {
                if (live == null || live.test(i)) {
                    vectors.get(i, buf);
                    float d = cosine ? k.cosineDistanceF32(centroid, 0, buf, 0, dim)
                            : k.squareDistanceF32(centroid, 0, buf, 0, dim);
                    if (best < 0 || d < bestDistance) {
                        bestDistance = d;
                        best = i;
                    }
                }
            }
            bests[c] = best;
            bestDistances[c] = bestDistance;
        });
        // chunks in order, strictly smaller wins: the lowest slot among equals, as one pass would choose
        int best = -1;
        float bestDistance = Float.POSITIVE_INFINITY;
        for (int c = 0; c < CHUNKS; c++) {
            if (bests[c] >= 0 && (best < 0 || bestDistances[c] < bestDistance)) {
                best = bests[c];
                bestDistance = bestDistances[c];
            }
        }
        return best;
    }

    private static int chunkStart(int chunk, int count) {
        return (int) ((long) chunk * count / CHUNKS);
    }
}
