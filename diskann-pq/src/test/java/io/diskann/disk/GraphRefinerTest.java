package io.diskann.disk;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.diskann.testing.TestSeeds;
import io.diskann.vector.Distances;
import io.diskann.vector.Metric;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The refinement pass turns a graph that does not navigate (random edges) into one that finds the true
 * neighbours, and leaves well-formed lists: at most R, no self loops, no duplicates, ids in range.
 */
class GraphRefinerTest {

    private static final int N = 3000;
    private static final int DIMS = 16;
    private static final int R = 16;

    @Test
    void oneRefinementPassMakesARandomGraphNavigable() {
        for (Metric metric : Metric.values()) {
            Random random = TestSeeds.random(71 + metric.ordinal());
            float[][] base = gaussian(N, DIMS, random);
            float[][] queries = gaussian(100, DIMS, random);
            int stride = (int) Math.ceil(R * 1.3);
            try (MergedGraph graph = new MergedGraph(N, stride)) {
                for (int v = 0; v < N; v++) { // R random out-edges each: connected, but no notion of nearness
                    while (graph.degree(v) < R) {
                        int t = random.nextInt(N);
                        if (t != v && !graph.contains(v, t)) {
                            assertTrue(graph.append(v, t));
                        }
                    }
                }
                double before = recall(metric, base, queries, graph);
                new GraphRefiner(VectorReader.of(base), metric, graph, R, 48, 1.2f, 750, false)
                        .refineAll(0, 2, random.nextLong(), s -> { });
                int[] list = new int[stride];
                for (int v = 0; v < N; v++) {
                    int d = graph.copyList(v, list);
                    assertTrue(d >= 1 && d <= R, metric + ": degree " + d + " of " + v);
                    int self = v;
                    int[] ids = Arrays.copyOf(list, d);
                    assertTrue(Arrays.stream(ids).allMatch(t -> t >= 0 && t < N && t != self), metric + ": list of " + v);
                    assertTrue(Arrays.stream(ids).distinct().count() == d, metric + ": duplicates in " + v);
                }
                double after = recall(metric, base, queries, graph);
                assertTrue(after >= 0.95, metric + ": recall after refinement " + after + " (before " + before + ")");
                assertTrue(after > before + 0.2, metric + ": before " + before + ", after " + after);
            }
        }
    }

    @Test
    void mergedGraphKeepsListsApartAndRefusesOverflow() {
        int n = 1000;
        int stride = 5;
        try (MergedGraph graph = new MergedGraph(n, stride)) {
            for (int v = 0; v < n; v++) {
                assertEquals(0, graph.degree(v));
                graph.setList(v, new int[] {v, v + 1, v + 2}, 3);
            }
            assertTrue(graph.append(7, 99));
            assertTrue(graph.append(7, 98));
            assertFalse(graph.append(7, 97), "a full list takes no more");
            int[] out = new int[stride];
            assertEquals(5, graph.copyList(7, out));
            assertArrayEquals(new int[] {7, 8, 9, 99, 98}, out);
            assertTrue(graph.sameList(7, out, 5));
            assertFalse(graph.sameList(8, out, 5));
            assertTrue(graph.contains(7, 98));
            assertFalse(graph.contains(6, 98));
            assertEquals(3, graph.copyList(n - 1, out), "the last list is not overwritten by its neighbour");
            assertEquals(n - 1, out[0]);
            assertEquals(5, graph.maxDegree());
            assertEquals((long) n * stride * 4 + 2L * n, graph.bytes());
            assertThrows(IllegalArgumentException.class, () -> graph.setList(0, new int[6], 6));
        }
        assertThrows(IllegalArgumentException.class, () -> new MergedGraph(10, 70_000));
        assertThrows(IllegalArgumentException.class, () -> new MergedGraph(0, 8));
    }

    static float[][] gaussian(int n, int dims, Random random) {
        float[][] v = new float[n][dims];
        for (float[] row : v) {
            for (int j = 0; j < dims; j++) {
                row[j] = (float) random.nextGaussian();
            }
        }
        return v;
    }

    /** recall@10 of a plain best-first search (list size 64) from node 0, against brute force. */
    private static double recall(Metric metric, float[][] base, float[][] queries, MergedGraph graph) {
        int hits = 0;
        for (float[] q : queries) {
            int[] truth = DiskIndexTest.truth(metric, base, q, 10);
            int[] found = bestFirst(metric, base, q, graph, 64, 10);
            for (int f : found) {
                for (int t : truth) {
                    hits += f == t ? 1 : 0;
                }
            }
        }
        return hits / (10.0 * queries.length);
    }

    private static int[] bestFirst(Metric metric, float[][] base, float[] q, MergedGraph graph, int listSize, int k) {
        int n = base.length;
        boolean[] seen = new boolean[n];
        boolean[] done = new boolean[n];
        int[] list = new int[listSize + 1];
        float[] dist = new float[listSize + 1];
        int size = 1;
        list[0] = 0;
        dist[0] = Distances.distance(metric, q, base[0]);
        seen[0] = true;
        while (true) {
            int at = 0;
            while (at < size && done[list[at]]) {
                at++;
            }
            if (at == size) {
                break;
            }
            int u = list[at];
            done[u] = true;
            int d = graph.degree(u);
            for (int j = 0; j < d; j++) {
                int t = graph.neighbor(u, j);
                if (seen[t]) {
                    continue;
                }
                seen[t] = true;
                float dt = Distances.distance(metric, q, base[t]);
                int pos = size;
                while (pos > 0 && dist[pos - 1] > dt) {
                    list[pos] = list[pos - 1];
                    dist[pos] = dist[pos - 1];
                    pos--;
                }
                list[pos] = t;
                dist[pos] = dt;
                size = Math.min(size + 1, listSize);
            }
        }
        return Arrays.copyOf(list, Math.min(k, size));
    }
}
