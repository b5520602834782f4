package io.diskann.graph;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.diskann.index.SearchResult;
import io.diskann.vector.Metric;
import io.diskann.vector.VectorType;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * Large bulk builds link in lists with room for 2R back edges ({@link BulkBuild#buildSlack}) and copy them into the
 * index's own lists at the end: when that happens, and that the copied graph is whole (every list at most R, the
 * recall of a normal build, later inserts appending into the index's slack as before).
 */
class WideBuildGraphTest {

    @Test
    void wideListsOnlyForLargePlainBuildsWithRoomOnTheHeap() {
        VamanaParams p = VamanaParams.builder().maxDegree(64).build();
        int saved = BulkBuild.wideMinimum;
        float savedSlack = BulkBuild.buildSlack;
        try {
            BulkBuild.wideMinimum = 1_000;
            Adjacency wide = BulkBuild.wideGraph(p, 5_000);
            assertNotNull(wide, "a build of 5,000 at minimum 1,000");
            assertEquals(128, wide.maxDegree(), "2R");
            assertNull(BulkBuild.wideGraph(p, 999), "below the minimum");
            BulkBuild.buildSlack = 1.3f;
            assertNull(BulkBuild.wideGraph(p, 5_000), "no wider than the index's own slack");
            BulkBuild.buildSlack = savedSlack;
            assertNull(BulkBuild.wideGraph(p, 600_000_000), "lists past one Java array or the free heap");
        } finally {
            BulkBuild.wideMinimum = saved;
            BulkBuild.buildSlack = savedSlack;
        }
    }

    @Test
    void aBuildInWideListsCopiesAWholeGraphIntoTheIndex() {
        int n = 4_000;
        int dim = 16;
        float[][] data = TestData.clustered(n + 150, dim, 20, VectorType.F32, 91);
        float[][] base = Arrays.copyOf(data, n);
        int saved = BulkBuild.wideMinimum;
        BulkBuild.wideMinimum = 1_000;
        try {
            for (Metric metric : Metric.values()) {
                try (VamanaIndex idx = VamanaIndex.builder(dim, metric)
                        .params(VamanaParams.builder().maxDegree(16).buildListSize(48).threads(2).build()).build()) {
                    idx.build(base);
                    int edges = 0;
                    for (int id = 0; id < n; id++) {
                        int d = idx.neighbors(id).length;
                        assertTrue(d <= 16, "list of " + id + " holds " + d);
                        edges += d;
                    }
                    assertTrue(edges > 8 * n, metric + ": mean degree " + edges / (double) n);
                    double recall = recall(idx, metric, base, data, n, 100);
                    assertTrue(recall >= 0.95, metric + " recall@10 " + recall);
                    // inserts append into the index's own lists (slack ceil(1.3 x 16) = 21), not the build's
                    for (int q = 0; q < 50; q++) {
                        idx.insert(n + q, data[n + 100 + q]);
                    }
                    for (int q = 0; q < 50; q++) {
                        assertTrue(idx.neighbors(n + q).length <= 21, "within the index's slack degree");
                        if (metric != Metric.INNER_PRODUCT) { // the largest dot product may be another vector's
                            SearchResult r = idx.search(data[n + 100 + q], 1, 48);
                            assertEquals(n + q, r.ids()[0], metric + ": an inserted vector finds itself");
                        }
                    }
                }
            }
        } finally {
            BulkBuild.wideMinimum = saved;
        }
    }

    private static double recall(VamanaIndex idx, Metric metric, float[][] base, float[][] data, int n, int queries) {
        double recall = 0;
        for (int q = 0; q < queries; q++) {
            float[] query = data[n + q];
            int[] truth = TestData.topK(metric, base, query, 10);
            recall += TestData.recall(metric, base, query, truth, idx.search(query, 10, 64).ids()) / queries;
        }
        return recall;
    }
}
