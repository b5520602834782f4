package io.diskann.graph;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.diskann.index.SearchResult;
import io.diskann.vector.Metric;
import io.diskann.vector.VectorType;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * {@link VamanaIndex#reorder}: slots renumbered breadth-first, nothing a user sees changes: ids, vectors,
 * neighbour sets, search results (as sets of ids with their distances), deleted ids, and later inserts,
 * saves and loads; and the new layout really is breadth-first.
 */
class ReorderTest {

    private static final int DIM = 24;

    private static VamanaIndex index(Metric metric, Traversal t) {
        return VamanaIndex.builder(DIM, metric).traversal(t)
                .params(VamanaParams.builder().maxDegree(20).buildListSize(48).threads(2).build()).build();
    }

    private static Set<Integer> neighbourSet(VamanaIndex idx, int id) {
        Set<Integer> s = new HashSet<>();
        for (int n : idx.neighbors(id)) {
            s.add(n);
        }
        return s;
    }

    @ParameterizedTest
    @EnumSource(Metric.class)
    void nothingVisibleChanges(Metric metric) {
        float[][] all = TestData.clustered(3050, DIM, 15, VectorType.F32, 41);
        float[][] data = Arrays.copyOf(all, 3000);
        for (Traversal t : Traversal.values()) {
            try (VamanaIndex idx = index(metric, t)) {
                idx.build(data);
                for (int id = 0; id < 3000; id += 7) {
                    idx.delete(id);
                }
                for (int i = 3000; i < 3050; i++) {
                    idx.insert(all[i]); // stored in arrival order, at the end
                }
                SearchResult[] before = new SearchResult[50];
                for (int q = 0; q < 50; q++) {
                    before[q] = idx.search(all[3000 + q], 10, 60);
                }
                VamanaStats statsBefore = idx.stats();
                java.util.List<Set<Integer>> neighbours = new java.util.ArrayList<>();
                for (int id = 0; id < 3050; id++) {
                    neighbours.add(idx.contains(id) ? neighbourSet(idx, id) : null);
                }
                idx.reorder();
                for (int id = 0; id < 3050; id++) {
                    assertEquals(id % 7 != 0 || id >= 3000, idx.contains(id), "id " + id);
                    if (idx.contains(id)) {
                        assertArrayEquals(id < 3000 ? data[id] : all[id], idx.vector(id), "vector of " + id);
                        assertEquals(neighbours.get(id), neighbourSet(idx, id), "neighbours of " + id);
                    }
                }
                int same = 0;
                for (int q = 0; q < 50; q++) {
                    SearchResult after = idx.search(all[3000 + q], 10, 60);
                    if (metric != Metric.INNER_PRODUCT) {
                        // the same graph and the same distances: the same results, up to the order of ties
                        assertEquals(sortedPairs(before[q]), sortedPairs(after), metric + " " + t + " query " + q);
                    }
                    Set<Integer> b = new java.util.HashSet<>();
                    for (int id : before[q].ids()) {
                        b.add(id);
                    }
                    for (int id : after.ids()) {
                        same += b.contains(id) ? 1 : 0;
                    }
                }
                // inner product starts from several entry points chosen by scanning the storage, whose order
                // the reorder changes: the same graph is entered elsewhere, so a near-tie may fall the other way
                assertTrue(same >= 490, metric + " " + t + ": " + same + " of 500 results unchanged by the reorder");
                VamanaStats statsAfter = idx.stats();
                assertEquals(statsBefore.count(), statsAfter.count());
                assertEquals(statsBefore.deletedCount(), statsAfter.deletedCount());
                assertEquals(statsBefore.startPoint(), statsAfter.startPoint());
                assertEquals(statsBefore.meanDegree(), statsAfter.meanDegree(), 1e-9);
                // and it keeps working: inserts, deletes, consolidation
                int id = idx.insert(all[0]);
                if (metric != Metric.INNER_PRODUCT) { // under inner product a vector need not be its own nearest
                    assertEquals(id, idx.search(all[0], 1, 40).ids()[0], "an insert after reorder is found");
                }
                idx.delete(1);
                idx.consolidate();
                assertTrue(!idx.contains(1));
            }
        }
    }

    /**
     * The ids in order, each with its distance rounded to 5 significant digits (a float reduction's lane
     * order is the Vector API's choice, so the last bits may differ between interpreted and compiled code).
     */
    private static String sortedPairs(SearchResult r) {
        String[] p = new String[r.ids().length];
        for (int i = 0; i < p.length; i++) {
            p[i] = r.ids()[i] + ":" + String.format(java.util.Locale.ROOT, "%.5g", r.distances()[i]);
        }
        Arrays.sort(p);
        return String.join(",", p);
    }

    @Test
    void theLayoutIsBreadthFirstFromTheStart() {
        float[][] data = TestData.clustered(2000, DIM, 10, VectorType.F32, 43);
        try (VamanaIndex idx = index(Metric.L2, Traversal.EXACT)) {
            idx.build(data); // builds end with reorder()
            GraphState s = idx.state();
            assertEquals(0, s.start, "the start point is slot 0");
            // BFS property: every node's first-seen parent was placed before it; the neighbours of slot 0
            // occupy the slots right after it
            int[] buf = new int[s.graph.maxDegree()];
            int d = s.graph.copy(0, buf);
            int[] sorted = Arrays.copyOf(buf, d);
            Arrays.sort(sorted);
            for (int i = 0; i < d; i++) {
                assertEquals(i + 1, sorted[i], "the start's neighbours follow it");
            }
        }
    }

    @Test
    void savedAfterReorderLoadsTheSame(@TempDir Path dir) throws IOException {
        float[][] all = TestData.clustered(1550, DIM, 10, VectorType.F32, 47);
        try (VamanaIndex idx = index(Metric.L2, Traversal.SQ8)) {
            idx.build(Arrays.copyOf(all, 1500));
            idx.delete(3);
            idx.reorder();
            Path f = dir.resolve("r.idx");
            idx.save(f);
            try (VamanaIndex back = VamanaIndex.load(f)) {
                assertTrue(!back.contains(3));
                for (int q = 1500; q < 1550; q++) {
                    assertEquals(sortedPairs(idx.search(all[q], 10, 40)), sortedPairs(back.search(all[q], 10, 40)));
                }
            }
        }
    }

    @Test
    void searchesDuringReorderNeverFail() throws Exception {
        float[][] all = TestData.clustered(6100, DIM, 20, VectorType.F32, 53);
        float[][] data = Arrays.copyOf(all, 6000);
        try (VamanaIndex idx = index(Metric.L2, Traversal.SQ8)) {
            idx.build(data);
            // approximate search: a rare vector with few in-edges does not find itself even before any
            // reorder; what must hold is that a reorder never takes a result away
            boolean[] findsItself = new boolean[6000];
            for (int i = 0; i < 6000; i++) {
                findsItself[i] = idx.search(data[i], 1, 40).ids()[0] == i;
            }
            AtomicBoolean stop = new AtomicBoolean();
            ConcurrentLinkedQueue<Throwable> failures = new ConcurrentLinkedQueue<>();
            Thread t = Thread.ofPlatform().start(() -> {
                try {
                    for (int i = 0; !stop.get(); i++) {
                        int q = i % 100;
                        SearchResult r = idx.search(all[6000 + q], 10, 40);
                        assertEquals(10, r.ids().length);
                        int self = i % 6000;
                        if (findsItself[self]) {
                            assertEquals(self, idx.search(data[self], 1, 40).ids()[0]);
                        }
                    }
                } catch (Throwable e) {
                    failures.add(e);
                }
            });
            for (int round = 0; round < 5; round++) {
                idx.reorder();
                Thread.sleep(20);
            }
            stop.set(true);
            t.join();
            if (!failures.isEmpty()) {
                throw new AssertionError("a search during reorder failed", failures.peek());
            }
        }
    }
}
