package io.diskann.graph;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.diskann.index.SearchParams;
import io.diskann.index.SearchResult;
import io.diskann.index.Searcher;
import io.diskann.vector.Metric;
import io.diskann.vector.QueryScorer;
import io.diskann.vector.VectorType;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@link StartSample}: unfiltered searches of a large enough index start at the sampled node closest to the
 * query; recall against brute force holds for every metric, storage type and traversal; the sample holds
 * live slots with copies of their current rows, and is chosen again after consolidation, a reorder and new
 * codes; searches during churn never fail.
 */
class StartSampleTest {

    private static final int DIM = 24;
    private static final int N = StartSample.MIN_LIVE + 2_000;
    private static final int QUERIES = 60;

    @AfterEach
    void switchBackOn() {
        StartSample.enabled = StartSample.SIZE > 0;
    }

    private static VamanaIndex index(Metric metric, VectorType type, Traversal t) {
        return VamanaIndex.builder(DIM, metric).vectorType(type).traversal(t)
                .params(VamanaParams.builder().maxDegree(24).buildListSize(48).threads(2).build()).build();
    }

    private record Sweep(double recall, double hops, double comps) {
    }

    private static Sweep sweep(VamanaIndex idx, Metric metric, float[][] data, float[][] queries, int[][] truth) {
        double recall = 0;
        double hops = 0;
        double comps = 0;
        try (Searcher s = idx.searcher()) {
            for (int q = 0; q < queries.length; q++) {
                SearchResult r = s.search(queries[q], SearchParams.of(10, 24));
                recall += TestData.recall(metric, data, queries[q], truth[q], r.ids());
                hops += r.stats().hops();
                comps += r.stats().distanceComputations();
            }
        }
        return new Sweep(recall / queries.length, hops / queries.length, comps / queries.length);
    }

    @Test
    void recallHoldsAndTheWalkIsShorterForEveryMetricTypeAndTraversal() {
        for (Metric metric : Metric.values()) {
            for (VectorType type : new VectorType[] {VectorType.F32, VectorType.U8}) {
                for (Traversal t : Traversal.values()) {
                    if (t == Traversal.SQ8 && type.isInteger()) {
                        continue; // 8-bit storage traverses its own rows
                    }
                    float[][] all = TestData.clustered(N + QUERIES, DIM, 40, type, 7 + metric.ordinal());
                    float[][] data = java.util.Arrays.copyOf(all, N);
                    float[][] queries = java.util.Arrays.copyOfRange(all, N, N + QUERIES);
                    int[][] truth = new int[QUERIES][];
                    for (int q = 0; q < QUERIES; q++) {
                        truth[q] = TestData.topK(metric, data, queries[q], 10);
                    }
                    try (VamanaIndex idx = index(metric, type, t)) {
                        idx.build(data);
                        String what = metric + " " + type + " " + t;
                        StartSample.enabled = false;
                        Sweep off = sweep(idx, metric, data, queries, truth);
                        assertNull(idx.state().startSample(false), what);
                        StartSample.enabled = true;
                        Sweep on = sweep(idx, metric, data, queries, truth);
                        StartSample chosen = idx.state().startSample(t == Traversal.SQ8);
                        assertNotNull(chosen, what + ": no sample was chosen");
                        // clusters: a sampled node is much closer than the medoid (inner product never samples)
                        assertEquals(metric != Metric.INNER_PRODUCT, chosen.useful(), what + ": closeness "
                                + chosen.closeness);
                        assertTrue(on.recall >= 0.93, what + ": recall@10 " + on.recall + " with the sample");
                        assertTrue(on.recall >= off.recall - 0.02, what + ": recall " + on.recall + " with the sample, "
                                + off.recall + " without");
                        // the sample's distances are counted; the walk from a node next to the query is shorter
                        assertTrue(on.comps >= StartSample.SIZE, what + ": " + on.comps + " distances");
                        // (inner-product indexes also start at their directions' entry points, which the
                        // sample's closest node may be: no shorter there, never longer)
                        boolean shorter = metric == Metric.INNER_PRODUCT ? on.hops <= off.hops : on.hops < off.hops;
                        assertTrue(shorter, what + ": " + on.hops + " hops with the sample, " + off.hops + " without");
                    }
                }
            }
        }
    }

    @Test
    void smallIndexesAndFilteredSearchesStartAtTheEntryPoints() {
        float[][] data = TestData.clustered(2_000, DIM, 10, VectorType.F32, 3);
        try (VamanaIndex idx = index(Metric.L2, VectorType.F32, Traversal.EXACT)) {
            idx.build(data);
            idx.search(data[0], 10);
            assertNull(idx.state().startSample(false), "2,000 vectors need no sample");
        }
        // one Gaussian blob (a single cluster): the closest of 64 nodes is about as far as the medoid; not used
        float[][] blob = TestData.clustered(N, DIM, 1, VectorType.F32, 9);
        try (VamanaIndex idx = index(Metric.L2, VectorType.F32, Traversal.EXACT)) {
            idx.build(blob);
            SearchResult r = idx.search(blob[17], 10);
            StartSample s = idx.state().startSample(false);
            assertTrue(s != null && !s.useful() && s.closeness > StartSample.MAX_CLOSENESS, "closeness "
                    + (s == null ? "none" : s.closeness));
            assertEquals(0, s.bytes());
            StartSample.enabled = false;
            SearchResult without = idx.search(blob[17], 10);
            assertEquals(without.stats(), r.stats(), "the same walk, no sample's distances");
            assertArrayEquals(without.ids(), r.ids());
        }
        float[][] big = TestData.clustered(N, DIM, 40, VectorType.F32, 5);
        try (VamanaIndex idx = index(Metric.L2, VectorType.F32, Traversal.EXACT)) {
            idx.build(big);
            // a filter accepting a few ids far from where the sample would start: all are found
            int[] wanted = {3, 4_000, N - 1};
            java.util.function.IntPredicate only = id -> id == wanted[0] || id == wanted[1] || id == wanted[2];
            SearchResult r = idx.search(big[4_000], SearchParams.builder(3).listSize(64).filter(only).build());
            assertEquals(4_000, r.ids()[0]);
            assertTrue(r.stats().distanceComputations() < N, "a filtered search does not scan the sample's way");
        }
    }

    @Test
    void broadFiltersOfKnownShareStartAtTheSampleOthersAtTheEntryPoints() {
        float[][] all = TestData.clustered(N + QUERIES, DIM, 40, VectorType.F32, 11);
        float[][] data = java.util.Arrays.copyOf(all, N);
        java.util.function.IntPredicate even = id -> (id & 1) == 0;
        int[][] truth = new int[QUERIES][];
        for (int q = 0; q < QUERIES; q++) {
            truth[q] = TestData.topK(Metric.L2, data, all[N + q], 10, even);
        }
        try (VamanaIndex idx = index(Metric.L2, VectorType.F32, Traversal.EXACT)) {
            idx.build(data);
            double[] recall = new double[2];
            double[] hops = new double[2];
            for (int sampled = 0; sampled < 2; sampled++) {
                StartSample.enabled = sampled == 1;
                for (int q = 0; q < QUERIES; q++) {
                    float[] query = all[N + q];
                    SearchResult known = idx.search(query, SearchParams.builder(10).listSize(24).filter(even, 0.5).build());
                    recall[sampled] += TestData.recall(Metric.L2, data, query, truth[q], known.ids()) / QUERIES;
                    hops[sampled] += known.stats().hops() / (double) QUERIES;
                    if (sampled == 1) { // unknown share, and a selective one (two-hop): the same walk without the sample
                        SearchParams unknown = SearchParams.builder(10).listSize(24).filter(even).build();
                        SearchParams selective = SearchParams.builder(10).listSize(24).filter(even, 0.01).build();
                        SearchResult unknownOn = idx.search(query, unknown);
                        SearchResult selectiveOn = idx.search(query, selective);
                        StartSample.enabled = false;
                        assertEquals(idx.search(query, unknown).stats(), unknownOn.stats(),
                                "a filter of unknown share starts at the entry points");
                        assertEquals(idx.search(query, selective).stats(), selectiveOn.stats(),
                                "a selective filter starts at the entry points");
                        StartSample.enabled = true;
                    }
                }
            }
            assertNotNull(idx.state().startSample(false));
            assertTrue(idx.state().startSample(false).useful(), "clusters: the sample is close");
            assertTrue(recall[1] >= 0.93 && recall[1] >= recall[0] - 0.02, "filtered recall@10 " + recall[1]
                    + " from the sample, " + recall[0] + " from the entry points");
            assertTrue(hops[1] < hops[0], hops[1] + " hops from the sample, " + hops[0] + " from the entry points");
        }
    }

    @Test
    void theSampleHoldsLiveSlotsWithTheirCurrentRowsThroughDeletesConsolidationReorderAndNewCodes() {
        float[][] all = TestData.clustered(N + 500, DIM, 40, VectorType.F32, 11);
        float[][] data = java.util.Arrays.copyOf(all, N);
        try (VamanaIndex idx = index(Metric.L2, VectorType.F32, Traversal.EXACT)) {
            idx.build(data);
            idx.search(all[N], 10);
            GraphState state = idx.state();
            StartSample first = state.startSample(false);
            assertNotNull(first);
            checkRows(state, first, data);
            // delete every sampled id, then consolidate: the sample is chosen again among live slots
            for (int slot : first.slots) {
                idx.delete(state.slots.labelOf(slot));
            }
            idx.search(all[N], 10); // a deleted node may still be a start: it is walked through, never returned
            assertEquals(first, state.startSample(false));
            idx.consolidate();
            StartSample second = state.startSample(false);
            assertNotSame(first, second);
            checkRows(state, second, data);
            for (int i = N; i < N + 500; i++) {
                idx.insert(i, all[i]);
            }
            idx.reorder();
            StartSample third = state.startSample(false);
            assertNotSame(second, third);
            checkRows(state, third, all);
            idx.setTraversal(Traversal.SQ8);
            StartSample codes = state.startSample(true);
            assertNotNull(codes);
            assertTrue(codes.ofCodes());
            // the copied codes score as the index's own codes do
            QueryScorer own = state.codes.codes.scorer(Metric.L2);
            QueryScorer copy = codes.scorer(Metric.L2);
            own.setQuery(all[N + 7]);
            copy.setQuery(all[N + 7]);
            for (int i = 0; i < codes.slots.length; i++) {
                assertTrue(state.slots.isLive(codes.slots[i]));
                assertEquals(own.score(codes.slots[i]), copy.score(i), 0f, "sampled row " + i);
            }
        }
    }

    private static void checkRows(GraphState state, StartSample s, float[][] byId) {
        assertEquals(StartSample.SIZE, s.slots.length);
        QueryScorer copy = s.scorer(Metric.L2);
        int previous = -1;
        for (int i = 0; i < s.slots.length; i++) {
            int slot = s.slots[i];
            assertTrue(slot > previous, "slots in order, each once");
            previous = slot;
            assertTrue(state.slots.isLive(slot), "sampled slot " + slot + " is live");
            float[] stored = byId[state.slots.labelOf(slot)];
            copy.setQuery(stored);
            assertEquals(0f, copy.score(i), 0f, "row " + i + " is a copy of slot " + slot);
        }
        float[] row = new float[DIM];
        state.vectors.get(s.slots[0], row);
        assertArrayEquals(byId[state.slots.labelOf(s.slots[0])], row);
    }

    @Test
    void searchesDuringChurnNeverFail() throws Exception {
        float[][] all = TestData.clustered(N + 2_000, DIM, 40, VectorType.F32, 13);
        float[][] data = java.util.Arrays.copyOf(all, N);
        try (VamanaIndex idx = index(Metric.L2, VectorType.F32, Traversal.SQ8)) {
            idx.build(data);
            AtomicBoolean done = new AtomicBoolean();
            ConcurrentLinkedQueue<Throwable> errors = new ConcurrentLinkedQueue<>();
            List<Thread> searchers = new ArrayList<>();
            long[] searches = new long[2];
            for (int t = 0; t < 2; t++) {
                int me = t;
                searchers.add(Thread.ofPlatform().start(() -> {
                    try (Searcher s = idx.searcher()) {
                        int q = me;
                        while (!done.get()) {
                            SearchResult r = s.search(all[q % all.length], 10, 24);
                            for (int id : r.ids()) {
                                if (id < 0 || id >= all.length) {
                                    throw new AssertionError("id " + id + " was never stored");
                                }
                            }
                            q += 2;
                            searches[me]++;
                        }
                    } catch (Throwable e) {
                        errors.add(e);
                    }
                }));
            }
            try {
                for (int round = 0; round < 4; round++) {
                    for (int i = round * 500; i < (round + 1) * 500; i++) {
                        idx.delete(i);
                        idx.insert(N + i, all[N + i]);
                    }
                    idx.consolidate();
                    if (round == 1) {
                        idx.reorder();
                    }
                    if (round == 2) {
                        idx.setTraversal(Traversal.EXACT);
                    }
                }
            } finally {
                done.set(true);
                for (Thread t : searchers) {
                    t.join();
                }
            }
            assertTrue(errors.isEmpty(), () -> "searches failed: " + errors.peek());
            assertTrue(searches[0] > 0 && searches[1] > 0);
            // the index still answers well from its new sample
            double recall = 0;
            float[][] live = new float[N][];
            int[] ids = new int[N];
            int n = 0;
            for (int id = 0; id < all.length; id++) {
                if (idx.contains(id)) {
                    live[n] = all[id];
                    ids[n++] = id;
                }
            }
            float[][] liveData = java.util.Arrays.copyOf(live, n);
            for (int q = 0; q < 30; q++) {
                float[] query = all[N + 2_000 - 1 - q];
                int[] truth = TestData.topK(Metric.L2, liveData, query, 10);
                int[] found = idx.search(query, 10, 32).ids();
                int[] foundRows = new int[found.length];
                for (int i = 0; i < found.length; i++) {
                    foundRows[i] = java.util.Arrays.binarySearch(ids, 0, n, found[i]);
                    assertTrue(foundRows[i] >= 0, "a returned id is live");
                }
                recall += TestData.recall(Metric.L2, liveData, query, truth, foundRows);
            }
            assertTrue(recall / 30 >= 0.9, "recall@10 after churn " + recall / 30);
            assertNotNull(idx.state().startSample(false));
        }
    }
}
