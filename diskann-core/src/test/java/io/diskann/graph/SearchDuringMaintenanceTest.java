package io.diskann.graph;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.diskann.vector.Metric;
import io.diskann.vector.VectorType;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Consolidate, save and growing the storage let searches run: searches that start after the maintenance call began finish
 * before it returns (with an exclusive lock at most one per thread could), and none of them returns a
 * deleted id; afterwards the index is intact.
 */
class SearchDuringMaintenanceTest {

    private static final int SEARCH_THREADS = 2;

    @TempDir
    Path dir;

    /** Runs {@code maintenance} while searcher threads query; returns the searches that ran entirely inside it. */
    private static int searchesDuring(VamanaIndex index, float[][] queries, Set<Integer> deleted,
                                      ThrowingRunnable maintenance) throws Exception {
        AtomicInteger inside = new AtomicInteger();
        AtomicInteger before = new AtomicInteger();
        ConcurrentLinkedQueue<Throwable> failures = new ConcurrentLinkedQueue<>();
        var phase = new AtomicInteger(); // 0 before, 1 during, 2 after
        Thread[] searchers = new Thread[SEARCH_THREADS];
        for (int t = 0; t < SEARCH_THREADS; t++) {
            final int offset = t * 101;
            searchers[t] = Thread.ofPlatform().start(() -> {
                try {
                    for (int i = 0; phase.get() < 2; i++) {
                        boolean startedInside = phase.get() == 1;
                        int[] ids = index.search(queries[(i + offset) % queries.length], 10, 40).ids();
                        if (startedInside && phase.get() == 1) {
                            inside.incrementAndGet();
                        }
                        if (!startedInside) {
                            before.incrementAndGet();
                        }
                        for (int id : ids) {
                            if (deleted.contains(id)) {
                                throw new AssertionError("deleted id " + id + " returned");
                            }
                        }
                    }
                } catch (Throwable e) {
                    failures.add(e);
                }
            });
        }
        // searchers warm up: until the JIT has compiled the search path (the Vector API runs orders of
        // magnitude slower interpreted, and 8-bit traversal kernels are first used here, not by the build)
        long warmUntil = System.nanoTime() + 10_000_000_000L;
        while (before.get() < 2_000 && System.nanoTime() < warmUntil) {
            Thread.sleep(10);
        }
        phase.set(1);
        try {
            maintenance.run();
        } finally {
            phase.set(2);
            for (Thread s : searchers) {
                s.join();
            }
        }
        if (!failures.isEmpty()) {
            throw new AssertionError("a search failed", failures.peek());
        }
        return inside.get();
    }

    interface ThrowingRunnable {
        void run() throws Exception;
    }

    private static VamanaIndex built(float[][] data) {
        VamanaIndex index = VamanaIndex.builder(32, Metric.L2)
                .params(VamanaParams.builder().maxDegree(32).buildListSize(64).threads(2).build()).build();
        index.build(data);
        return index;
    }

    @Test
    void searchesContinueWhileConsolidating() throws Exception {
        float[][] all = TestData.clustered(30_300, 32, 30, VectorType.F32, 21);
        float[][] data = Arrays.copyOf(all, 30_000);
        float[][] queries = Arrays.copyOfRange(all, 30_000, 30_300);
        VamanaIndex index = built(data);
        Set<Integer> deleted = new HashSet<>();
        for (int id = 0; id < data.length; id += 2) {
            index.delete(id);
            deleted.add(id);
        }
        int[] freed = new int[1];
        int inside = searchesDuring(index, queries, deleted, () -> freed[0] = index.consolidate());
        assertEquals(15_000, freed[0]);
        assertTrue(inside >= 10 * SEARCH_THREADS, "searches completed during consolidate: " + inside);
        VamanaStats s = index.stats();
        assertEquals(0, s.deletedCount());
        assertEquals(15_000, s.freeSlots());
        int self = 0;
        for (int id = 1; id < data.length; id += 2) {
            for (int nb : index.neighbors(id)) {
                assertTrue(nb % 2 == 1, "edge from " + id + " to deleted " + nb);
            }
            if (index.search(data[id], 1, 40).ids()[0] == id) {
                self++;
            }
        }
        // after half the index is deleted and consolidated, 97.9-99.5% of the live vectors are their own
        // top-1 at L=40, depending on the run's seed (-Dtests.seed=c8500c23dc237c4b gave 14,682-14,835 of
        // 15,000 on the code before and after 2026-11-30's changes; 0.99 failed CI on that seed)
        assertTrue(self >= 0.97 * 15_000, "live ids found as their own top-1: " + self);
    }

    @Test
    void searchesContinueWhileSaving() throws Exception {
        float[][] all = TestData.clustered(30_300, 32, 30, VectorType.F32, 22);
        float[][] data = Arrays.copyOf(all, 30_000);
        float[][] queries = Arrays.copyOfRange(all, 30_000, 30_300);
        VamanaIndex index = built(data);
        Path file = dir.resolve("during.index");
        int inside = searchesDuring(index, queries, Set.of(), () -> index.save(file));
        assertTrue(inside >= 10 * SEARCH_THREADS, "searches completed during save: " + inside);
        VamanaIndex loaded = VamanaIndex.load(file);
        for (float[] q : queries) {
            assertEquals(Arrays.toString(index.search(q, 10, 40).ids()), Arrays.toString(loaded.search(q, 10, 40).ids()));
        }
    }

    @Test
    void searchesContinueWhileTheStorageGrows() throws Exception {
        float[][] all = TestData.clustered(30_300, 32, 30, VectorType.F32, 23);
        float[][] data = Arrays.copyOf(all, 30_000);
        float[][] queries = Arrays.copyOfRange(all, 30_000, 30_300);
        VamanaIndex index = built(data);
        // the copy (and zeroing) of room for 1M vectors and their lists takes long enough to be seen
        int inside = searchesDuring(index, queries, Set.of(), () -> index.reserve(1_000_000));
        assertTrue(inside >= 10 * SEARCH_THREADS, "searches completed while growing: " + inside);
        float[] extra = queries[0].clone();
        extra[0] += 0.5f;
        int id = index.insert(extra);
        assertEquals(30_000, id);
        assertEquals(id, index.search(extra, 1, 40).ids()[0]);
        assertEquals(1_000_000 - 30_001, index.stats().freeSlots(), "reserved slots are free");
    }
}
