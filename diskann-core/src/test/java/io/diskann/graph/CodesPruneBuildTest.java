package io.diskann.graph;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.diskann.vector.Metric;
import io.diskann.vector.VectorType;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * Large plain bulk builds prune each node's own list on the walk's 8-bit codes ({@link BulkBuild#codesPruneMinimum}):
 * that the switch reaches the prunes (the graph differs from the exact-prune build of the same data, which is
 * itself reproducible on one thread), and that the graph searches as well as a normal build does.
 */
class CodesPruneBuildTest {

    private static final int N = 4_000;
    private static final int DIM = 16;

    @Test
    void largeBuildsPruneOnCodesAndKeepTheirRecall() {
        // Gaussian floats: their 8-bit codes are not exact, so code distances differ from the vectors' own
        float[][] data = TestData.clustered(N + 100, DIM, 20, VectorType.F32, 17);
        float[][] base = Arrays.copyOf(data, N);
        int saved = BulkBuild.codesPruneMinimum;
        try {
            for (Metric metric : new Metric[] {Metric.L2, Metric.COSINE}) {
                BulkBuild.codesPruneMinimum = Integer.MAX_VALUE;
                int[][] exact = lists(metric, base);
                int[][] exactAgain = lists(metric, base);
                for (int i = 0; i < N; i++) {
                    assertArrayEquals(exact[i], exactAgain[i], "one-thread builds are reproducible (list " + i + ")");
                }
                BulkBuild.codesPruneMinimum = 1_000;
                int[][] codes = lists(metric, base);
                int differ = 0;
                for (int i = 0; i < N; i++) {
                    differ += Arrays.equals(exact[i], codes[i]) ? 0 : 1;
                }
                assertTrue(differ > N / 10, metric + ": only " + differ + " of " + N + " lists differ from exact prunes");
                try (VamanaIndex idx = build(metric, base)) {
                    double recall = 0;
                    for (int q = 0; q < 100; q++) {
                        float[] query = data[N + q];
                        int[] truth = TestData.topK(metric, base, query, 10);
                        recall += TestData.recall(metric, base, query, truth, idx.search(query, 10, 48).ids()) / 100;
                    }
                    assertTrue(recall >= 0.95, metric + " recall@10 " + recall);
                }
            }
        } finally {
            BulkBuild.codesPruneMinimum = saved;
        }
    }

    private static VamanaIndex build(Metric metric, float[][] base) {
        VamanaIndex idx = VamanaIndex.builder(DIM, metric)
                .params(VamanaParams.builder().maxDegree(16).buildListSize(48).threads(1).build()).build();
        idx.build(base);
        return idx;
    }

    private static int[][] lists(Metric metric, float[][] base) {
        try (VamanaIndex idx = build(metric, base)) {
            int[][] out = new int[N][];
            for (int i = 0; i < N; i++) {
                out[i] = idx.neighbors(i);
                Arrays.sort(out[i]);
            }
            return out;
        }
    }
}
