package io.diskann.graph;

import io.diskann.testing.TestSeeds;
import io.diskann.index.SearchResult;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.diskann.vector.Metric;
import io.diskann.vector.VectorType;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Insert, delete, update and consolidate on one thread: ids, visibility, errors, quality, persistence. */
class DynamicIndexTest {

    @TempDir
    Path dir;

    private static VamanaIndex empty(int dim) {
        return VamanaIndex.builder(dim, Metric.L2)
                .params(VamanaParams.builder().maxDegree(24).buildListSize(50).threads(2).build()).build();
    }

    @Test
    void insertIntoAnEmptyIndexFindsEveryVector() {
        float[][] data = TestData.clustered(3000, 16, 10, VectorType.F32, 1);
        VamanaIndex index = empty(16);
        for (int i = 0; i < data.length; i++) {
            assertEquals(i, index.insert(data[i]), "ids are handed out in order");
        }
        assertEquals(3000, index.size());
        int top1 = 0;
        for (int i = 0; i < data.length; i++) {
            if (index.search(data[i], 1, 20).ids()[0] == i) {
                top1++;
            }
        }
        assertTrue(top1 >= 0.99 * data.length, "self top-1: " + top1);
        VamanaStats s = index.stats();
        assertTrue(s.maxDegree() <= VamanaParams.builder().maxDegree(24).build().slackDegree());
    }

    @Test
    void deletedIdsAreNeverReturnedAndConsolidateFreesTheirSlots() {
        float[][] data = TestData.clustered(2000, 16, 8, VectorType.F32, 2);
        VamanaIndex index = empty(16);
        index.build(data);
        Set<Integer> deleted = new HashSet<>();
        Random r = TestSeeds.random(3);
        while (deleted.size() < 1000) {
            int id = r.nextInt(2000);
            if (deleted.add(id)) {
                index.delete(id);
            }
        }
        for (float[] q : data) {
            for (int id : index.search(q, 10, 40).ids()) {
                assertFalse(deleted.contains(id), "deleted id " + id + " returned");
            }
        }
        assertEquals(1000, index.stats().deletedCount());
        assertEquals(1000, index.consolidate());
        VamanaStats s = index.stats();
        assertEquals(1000, s.count());
        assertEquals(0, s.deletedCount());
        assertEquals(1000, s.freeSlots());
        assertFalse(deleted.contains(s.startPoint()), "the start point is live after consolidate");
        int foundSelf = 0;
        for (int id = 0; id < 2000; id++) {
            if (!deleted.contains(id)) {
                for (int nb : index.neighbors(id)) {
                    assertFalse(deleted.contains(nb));
                }
                // L = 60: with the start among the deleted, the new start (the live medoid) is further from some
                // clusters; in 2-5% of builds on 2 threads, 24-57 live vectors then needed more than L = 30 (all were
                // reachable; 996-1000 found at L = 50, 999-1000 at L = 60; a 400-build harness, session 30)
                if (index.search(data[id], 1, 60).ids()[0] == id) {
                    foundSelf++;
                }
            }
        }
        assertTrue(foundSelf >= 990, "live ids that find themselves as top-1: " + foundSelf + " of 1000");
        // freed slots are reused without growing; new ids continue after the largest one ever used
        int firstNew = index.insert(data[0]);
        assertEquals(2000, firstNew);
        assertEquals(999, index.stats().freeSlots());
    }

    /**
     * Inner-product indexes search from extra entry points ({@link MipsEntryPoints}); they are chosen as
     * inserts grow the index and again after consolidation, and must never name a freed slot.
     */
    @Test
    void innerProductIndexGrownByInsertsKeepsRecallThroughDeletesAndConsolidation() {
        int dim = 32;
        float[][] all = TestData.clustered(6200, dim, 20, VectorType.U8, 9);
        float[][] data = Arrays.copyOf(all, 6000);
        float[][] queries = Arrays.copyOfRange(all, 6000, 6200);
        VamanaIndex index = VamanaIndex.builder(dim, Metric.INNER_PRODUCT).vectorType(VectorType.U8)
                .params(VamanaParams.builder().maxDegree(32).buildListSize(64).threads(2).build()).build();
        for (float[] v : data) {
            index.insert(v);
        }
        assertTrue(index.state().entryPoints().length > 1, "entry points chosen while inserting");
        double grown = ipRecall(index, data, queries, new HashSet<>());
        assertTrue(grown >= 0.95, "recall of the index grown by inserts: " + grown);
        Set<Integer> deleted = new HashSet<>();
        for (int id = 0; id < data.length; id += 2) {
            index.delete(id);
            deleted.add(id);
        }
        assertTrue(ipRecall(index, data, queries, deleted) >= 0.95, "after deletes");
        index.consolidate();
        for (int slot : index.state().entryPoints()) {
            assertTrue(index.state().slots.isLive(slot), "entry point " + slot + " is live after consolidate");
        }
        assertTrue(ipRecall(index, data, queries, deleted) >= 0.95, "after consolidate");
    }

    /** Recall@10 at L=100 against brute force over the vectors not in {@code deleted} (ids = rows). */
    private static double ipRecall(VamanaIndex index, float[][] data, float[][] queries, Set<Integer> deleted) {
        int[] liveIds = java.util.stream.IntStream.range(0, data.length).filter(i -> !deleted.contains(i)).toArray();
        float[][] live = new float[liveIds.length][];
        for (int i = 0; i < liveIds.length; i++) {
            live[i] = data[liveIds[i]];
        }
        double recall = 0;
        for (float[] q : queries) {
            int[] truth = TestData.topK(Metric.INNER_PRODUCT, live, q, 10);
            int[] found = index.search(q, 10, 100).ids();
            int[] foundRows = new int[found.length];
            for (int i = 0; i < found.length; i++) {
                foundRows[i] = Arrays.binarySearch(liveIds, found[i]);
                assertTrue(foundRows[i] >= 0, "deleted id " + found[i] + " returned");
            }
            recall += TestData.recall(Metric.INNER_PRODUCT, live, q, truth, foundRows);
        }
        return recall / queries.length;
    }

    @Test
    void updateReplacesTheVectorUnderTheSameId() {
        float[][] data = TestData.clustered(1000, 8, 4, VectorType.F32, 5);
        VamanaIndex index = empty(8);
        index.build(data);
        float[] moved = data[999].clone();
        index.update(7, moved);
        assertArrayEquals(moved, index.vector(7));
        SearchResult r = index.search(moved, 2, 20);
        assertEquals(Set.of(7, 999), Set.of(r.ids()[0], r.ids()[1]), Arrays.toString(r.ids()));
        assertEquals(1000, index.size());
        assertEquals(1, index.stats().deletedCount(), "the old vector awaits consolidation");
    }

    @Test
    void badMutationsAreClearErrors() {
        VamanaIndex index = empty(4);
        index.build(TestData.clustered(100, 4, 2, VectorType.F32, 6));
        var e1 = assertThrows(IllegalArgumentException.class, () -> index.delete(100));
        assertTrue(e1.getMessage().contains("unknown id 100"), e1.getMessage());
        index.delete(5);
        var e2 = assertThrows(IllegalArgumentException.class, () -> index.delete(5));
        assertTrue(e2.getMessage().contains("already deleted"), e2.getMessage());
        assertThrows(IllegalArgumentException.class, () -> index.update(5, new float[4]));
        assertThrows(IllegalArgumentException.class, () -> index.insert(3, new float[4]), "id 3 is in use");
        assertThrows(IllegalArgumentException.class, () -> index.insert(-2, new float[4]));
        assertThrows(IllegalArgumentException.class, () -> index.insert(new float[3]));
        assertThrows(IllegalArgumentException.class, () -> index.insert(new float[] {0, Float.NaN, 0, 0}));
        assertEquals(99, index.size(), "failed inserts leave nothing behind");
        assertEquals(500, index.insert(500, new float[] {1, 2, 3, 4}));
        assertEquals(501, index.insert(new float[] {1, 2, 3, 5}), "next id follows the largest used");
        assertThrows(IllegalStateException.class, () -> index.build(new float[][] {{1, 2, 3, 4}}));
    }

    @Test
    void automaticConsolidationAtTheThreshold() {
        VamanaIndex index = VamanaIndex.builder(8, Metric.L2).params(VamanaParams.builder().maxDegree(16)
                .buildListSize(30).threads(2).consolidateThreshold(0.25f).build()).build();
        index.build(TestData.clustered(400, 8, 4, VectorType.F32, 9));
        for (int id = 0; id < 99; id++) {
            index.delete(id);
        }
        assertEquals(99, index.stats().deletedCount());
        index.delete(99);
        assertEquals(0, index.stats().deletedCount(), "the 100th delete of 400 reached 25%");
        assertEquals(100, index.stats().freeSlots());
    }

    @Test
    void saveAndLoadKeepDeletionsFreeSlotsAndIds() throws Exception {
        float[][] data = TestData.clustered(1500, 12, 6, VectorType.U8, 4);
        VamanaIndex index = VamanaIndex.builder(12, Metric.COSINE).vectorType(VectorType.U8)
                .params(VamanaParams.builder().maxDegree(20).buildListSize(40).threads(2).build()).build();
        index.build(data);
        for (int id = 0; id < 300; id++) {
            index.delete(id * 5);
        }
        index.consolidate();
        for (int id = 0; id < 50; id++) {
            index.delete(id * 5 + 1);
        }
        index.insert(9000, data[3]);
        index.update(7, data[8]);
        Path file = dir.resolve("dyn.idx");
        index.save(file);
        VamanaIndex loaded = VamanaIndex.load(file);
        assertEquals(IndexFileTest.withoutThreads(index.stats()), IndexFileTest.withoutThreads(loaded.stats()));
        for (float[] q : TestData.clustered(50, 12, 6, VectorType.U8, 4)) {
            SearchResult a = index.search(q, 10, 40);
            SearchResult b = loaded.search(q, 10, 40);
            assertArrayEquals(a.ids(), b.ids());
            assertArrayEquals(a.distances(), b.distances());
        }
        assertEquals(index.insert(data[10]), loaded.insert(data[10]), "next ids agree after load");
        assertThrows(IllegalArgumentException.class, () -> loaded.delete(0), "deleted before save stays deleted");
    }
}
