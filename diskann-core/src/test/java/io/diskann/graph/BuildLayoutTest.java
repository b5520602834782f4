package io.diskann.graph;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.diskann.index.SearchResult;
import io.diskann.vector.Distances;
import io.diskann.vector.VectorStore;
import io.diskann.vector.Metric;
import io.diskann.vector.VectorType;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The cluster layout a bulk build starts from ({@link BuildLayout}): a permutation that keeps near points
 * together, invisible to users (ids, vectors and search results as without it).
 */
class BuildLayoutTest {

    private static final int DIM = 16;

    @Test
    void orderIsAPermutationThatGroupsNearPoints() {
        int n = 5_000;
        float[][] data = TestData.clustered(n, DIM, 40, VectorType.F32, 71);
        VectorStore store = VectorStore.create(VectorType.F32, DIM, n);
        for (int i = 0; i < n; i++) {
            store.set(i, data[i]);
        }
        int[] order = BuildLayout.clustered(store, n, DIM, 7);
        int[] sorted = order.clone();
        Arrays.sort(sorted);
        for (int i = 0; i < n; i++) {
            assertEquals(i, sorted[i], "not a permutation");
        }
        // neighbours in the layout are much closer than neighbours in file order
        double laidOut = 0;
        double fileOrder = 0;
        for (int i = 1; i < n; i++) {
            laidOut += Distances.distance(Metric.L2, data[order[i - 1]], data[order[i]]);
            fileOrder += Distances.distance(Metric.L2, data[i - 1], data[i]);
        }
        assertTrue(laidOut < 0.5 * fileOrder, "laid out " + laidOut + " vs file order " + fileOrder);
    }

    /** Threads split the work, not the result: a build's layout is reproducible whatever its thread count. */
    @Test
    void theOrderDoesNotDependOnTheThreadCount() {
        int n = 20_000; // past four assignment blocks, so the top level is assigned on several threads
        float[][] data = TestData.clustered(n, DIM, 60, VectorType.F32, 79);
        VectorStore store = VectorStore.create(VectorType.F32, DIM, n);
        for (int i = 0; i < n; i++) {
            store.set(i, data[i]);
        }
        int[] one = BuildLayout.clustered(store, n, DIM, 9, 1);
        assertArrayEquals(one, BuildLayout.clustered(store, n, DIM, 9, 2), "2 threads");
        assertArrayEquals(one, BuildLayout.clustered(store, n, DIM, 9, 3), "3 threads");
        int[] sorted = one.clone();
        Arrays.sort(sorted);
        for (int i = 0; i < n; i++) {
            assertEquals(i, sorted[i], "not a permutation");
        }
    }

    @Test
    void buildWithLayoutKeepsIdsVectorsAndRecall() {
        int saved = BulkBuild.layoutMinimum;
        BulkBuild.layoutMinimum = 2_048; // builds this small skip the layout by default
        try {
            buildAndCheck();
        } finally {
            BulkBuild.layoutMinimum = saved;
        }
    }

    /**
     * A constrained (Filtered-Vamana style) build laid out first: storage ordinals then differ from ids, and the
     * linker must speak ids to the constraint. With every vector in one of four groups and traversal allowed only
     * within a group, every edge joins two vectors of one group, and each group is reachable from its start point.
     */
    @Test
    void constrainedBuildWithLayoutSpeaksIdsToTheConstraint() {
        org.junit.jupiter.api.Assumptions.assumeTrue(BulkBuild.LAYOUT_BEFORE_BUILD, "-Ddiskann.buildLayout=false");
        int saved = BulkBuild.layoutMinimum;
        int savedPrune = BulkBuild.codesPruneMinimum;
        BulkBuild.layoutMinimum = 2_048;
        BulkBuild.codesPruneMinimum = 2_048; // and the prunes on codes large builds use
        try {
            int n = 4_000;
            float[][] base = TestData.clustered(n, DIM, 20, VectorType.F32, 91);
            LinkConstraint groups = new LinkConstraint() {
                @Override
                public int maxStartPoints() {
                    return 1;
                }

                @Override
                public int startPoints(int id, int[] out) {
                    if (id < 4) {
                        return 0; // ids 0-3 start their groups
                    }
                    out[0] = id % 4;
                    return 1;
                }

                @Override
                public boolean shares(int id, int other) {
                    return id % 4 == other % 4;
                }

                @Override
                public boolean mayOcclude(int id, int occluder, int candidate) {
                    return occluder % 4 == candidate % 4;
                }
            };
            try (VamanaIndex idx = VamanaIndex.builder(DIM, Metric.L2)
                    .params(VamanaParams.builder().maxDegree(24).buildListSize(64).threads(2).build()).build()) {
                idx.setLinkConstraint(groups);
                idx.build(base);
                long edges = 0;
                for (int id = 0; id < n; id++) {
                    for (int t : idx.neighbors(id)) {
                        // the four start ids searched from the medoid (their groups had no start yet), and back
                        // edges answered them: only their edges may cross
                        if (id >= 4 && t >= 4) {
                            assertEquals(id % 4, t % 4, "edge " + id + " -> " + t + " leaves its group");
                        }
                        edges++;
                    }
                }
                assertTrue(edges > 10L * n, edges + " edges");
                for (int g = 0; g < 4; g++) { // breadth-first from the group's start: the whole group
                    java.util.BitSet seen = new java.util.BitSet(n);
                    java.util.ArrayDeque<Integer> queue = new java.util.ArrayDeque<>(List.of(g));
                    seen.set(g);
                    while (!queue.isEmpty()) {
                        for (int t : idx.neighbors(queue.poll())) {
                            if (t % 4 == g && !seen.get(t)) {
                                seen.set(t);
                                queue.add(t);
                            }
                        }
                    }
                    assertEquals(n / 4, seen.cardinality(), "group " + g + " reached from its start");
                }
            }
        } finally {
            BulkBuild.layoutMinimum = saved;
            BulkBuild.codesPruneMinimum = savedPrune;
        }
    }

    private static void buildAndCheck() {
        int n = 4_000;
        float[][] data = TestData.clustered(n + 100, DIM, 20, VectorType.F32, 73);
        float[][] base = Arrays.copyOf(data, n);
        for (Metric metric : Metric.values()) {
            try (VamanaIndex idx = VamanaIndex.builder(DIM, metric)
                    .params(VamanaParams.builder().maxDegree(24).buildListSize(64).threads(2).build()).build()) {
                idx.build(base);
                for (int id = 0; id < n; id += 13) {
                    assertArrayEquals(base[id], idx.vector(id), 1e-6f, "vector of id " + id);
                }
                double recall = 0;
                for (int q = 0; q < 100; q++) {
                    float[] query = data[n + q];
                    int[] truth = TestData.topK(metric, base, query, 10);
                    SearchResult r = idx.search(query, 10, 64);
                    recall += TestData.recall(metric, base, query, truth, r.ids()) / 100;
                }
                assertTrue(recall >= 0.95, metric + " recall@10 " + recall);
            }
        }
    }
}
