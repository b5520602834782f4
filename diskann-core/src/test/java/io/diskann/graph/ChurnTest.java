package io.diskann.graph;

import io.diskann.testing.TestSeeds;
import io.diskann.index.SearchResult;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.diskann.vector.Metric;
import io.diskann.vector.VectorType;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Concurrent mutation stress with invariants, and recall after churn next to a fresh build. */
class ChurnTest {

    private static final int DIM = 16;

    @TempDir
    Path dir;

    @Test
    void concurrentInsertDeleteUpdateSearchKeepsTheInvariants() throws Exception {
        float[][] pool = TestData.clustered(12_000, DIM, 20, VectorType.F32, 21);
        VamanaIndex index = VamanaIndex.builder(DIM, Metric.L2)
                .params(VamanaParams.builder().maxDegree(24).buildListSize(50).threads(2).build()).build();
        index.build(Arrays.copyOf(pool, 4000));
        Map<Integer, float[]> live = new ConcurrentHashMap<>();
        for (int i = 0; i < 4000; i++) {
            live.put(i, pool[i]);
        }
        Map<Integer, Long> deletedAt = new ConcurrentHashMap<>();
        AtomicLong clock = new AtomicLong();
        AtomicInteger nextPool = new AtomicInteger(4000);
        AtomicReference<Throwable> failure = new AtomicReference<>();
        AtomicInteger violations = new AtomicInteger();
        long deadline = System.nanoTime() + 4_000_000_000L;
        int opsPerThread = 1500;

        Runnable inserter = () -> {
            for (int op = 0; op < opsPerThread && System.nanoTime() < deadline; op++) {
                int p = nextPool.getAndIncrement();
                if (p >= pool.length) {
                    return;
                }
                int id = index.insert(pool[p]);
                live.put(id, pool[p]);
            }
        };
        Runnable deleter = () -> {
            Random r = TestSeeds.random(1);
            for (int op = 0; op < opsPerThread && System.nanoTime() < deadline; op++) {
                Integer[] ids = live.keySet().toArray(Integer[]::new);
                int id = ids[r.nextInt(ids.length)];
                if (live.remove(id) != null) {
                    index.delete(id);
                    deletedAt.put(id, clock.incrementAndGet());
                }
                if (op % 500 == 499) {
                    index.consolidate();
                }
            }
        };
        Runnable updater = () -> {
            Random r = TestSeeds.random(2);
            for (int op = 0; op < opsPerThread && System.nanoTime() < deadline; op++) {
                Integer[] ids = live.keySet().toArray(Integer[]::new);
                int id = ids[r.nextInt(ids.length)];
                float[] v = pool[r.nextInt(pool.length)];
                try {
                    index.update(id, v);
                    live.replace(id, v);
                } catch (IllegalArgumentException deletedMeanwhile) {
                    // the deleter won the race for this id
                }
            }
        };
        Runnable searcher = () -> {
            Random r = TestSeeds.random(3);
            for (int op = 0; op < opsPerThread * 2 && System.nanoTime() < deadline; op++) {
                long started = clock.get();
                SearchResult res = index.search(pool[r.nextInt(pool.length)], 10, 30);
                for (int id : res.ids()) {
                    Long at = deletedAt.get(id);
                    if (at != null && at <= started) {
                        violations.incrementAndGet();
                    }
                }
            }
        };
        // Save during churn: the saver holds the mutation lock (as save does) while it records what the
        // live index answers and writes the file, so "the live index at that point" is well defined; the
        // loaded copy must answer the same.
        AtomicInteger saves = new AtomicInteger();
        AtomicInteger snapshotMismatches = new AtomicInteger();
        Runnable saver = () -> {
            Random r = TestSeeds.random(4);
            for (int round = 0; round < 3 && System.nanoTime() < deadline; round++) {
                try {
                    Thread.sleep(300);
                    float[][] queries = new float[40][];
                    for (int i = 0; i < queries.length; i++) {
                        queries[i] = pool[r.nextInt(pool.length)];
                    }
                    SearchResult[] before = new SearchResult[queries.length];
                    Path file = dir.resolve("during-" + round + ".index");
                    var lock = index.state().mutationLock.writeLock();
                    lock.lock();
                    try {
                        for (int i = 0; i < queries.length; i++) {
                            before[i] = index.search(queries[i], 10, 40);
                        }
                        index.save(file);
                    } finally {
                        lock.unlock();
                    }
                    VamanaIndex copy = VamanaIndex.load(file);
                    for (int i = 0; i < queries.length; i++) {
                        SearchResult after = copy.search(queries[i], 10, 40);
                        if (!Arrays.equals(before[i].ids(), after.ids())
                                || !Arrays.equals(before[i].distances(), after.distances())) {
                            snapshotMismatches.incrementAndGet();
                        }
                    }
                    saves.incrementAndGet();
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }
        };
        List<Thread> threads = new ArrayList<>();
        for (Runnable task : new Runnable[] {inserter, inserter, deleter, updater, searcher, searcher, saver}) {
            threads.add(Thread.ofPlatform().start(() -> {
                try {
                    task.run();
                } catch (Throwable t) {
                    failure.compareAndSet(null, t);
                }
            }));
        }
        for (Thread t : threads) {
            t.join();
        }
        if (failure.get() != null) {
            throw new AssertionError("a worker failed", failure.get());
        }
        assertEquals(0, violations.get(), "searches returned ids deleted before they started");
        assertTrue(saves.get() >= 1, "at least one save ran during the churn");
        assertEquals(0, snapshotMismatches.get(), "a file saved during churn answers like the live index did");
        assertEquals(live.size(), index.size(), "live count matches the operations");

        int found = 0;
        for (Map.Entry<Integer, float[]> e : live.entrySet()) {
            int[] ids = index.search(e.getValue(), 1, 40).ids();
            if (ids.length > 0 && (ids[0] == e.getKey() || Arrays.equals(index.vector(ids[0]), e.getValue()))) {
                found++;
            }
        }
        assertTrue(found >= 0.99 * live.size(), "live ids found by their own vector: " + found + " of " + live.size());

        index.consolidate();
        GraphState s = index.state();
        int slack = s.params.slackDegree();
        int[] neighbours = new int[s.graph.maxDegree()];
        for (int slot = 0; slot < s.slots.highWater(); slot++) {
            int degree = s.graph.copy(slot, neighbours);
            assertTrue(degree <= slack, "degree " + degree + " above " + slack);
            if (s.slots.isLive(slot)) {
                for (int j = 0; j < degree; j++) {
                    int nb = neighbours[j];
                    assertTrue(s.slots.isLive(nb), "slot " + slot + " links to non-live slot " + nb);
                }
            }
        }
    }

    @Test
    void recallAfterChurnStaysNearAFreshBuild() {
        int n = 6000;
        float[][] all = TestData.clustered(n + n / 2 + 300, DIM, 30, VectorType.F32, 33);
        float[][] queries = Arrays.copyOfRange(all, n + n / 2, all.length);
        VamanaParams params = VamanaParams.builder().maxDegree(24).buildListSize(60).threads(2).build();
        VamanaIndex churned = VamanaIndex.builder(DIM, Metric.L2).params(params).build();
        churned.build(Arrays.copyOf(all, n));
        Map<Integer, float[]> live = new HashMap<>();
        for (int i = 0; i < n; i++) {
            live.put(i, all[i]);
        }
        Random r = TestSeeds.random(5);
        int next = n;
        for (int round = 0; round < 5; round++) {
            Integer[] ids = live.keySet().toArray(Integer[]::new);
            for (int d = 0; d < n / 10; d++) {
                int id = ids[r.nextInt(ids.length)];
                if (live.remove(id) != null) {
                    churned.delete(id);
                } else {
                    d--;
                }
            }
            for (int i = 0; i < n / 10; i++) {
                live.put(churned.insert(all[next]), all[next]);
                next++;
            }
            churned.consolidate();
        }
        assertEquals(n, churned.size());
        Integer[] ids = live.keySet().toArray(Integer[]::new);
        Arrays.sort(ids);
        float[][] finalSet = new float[ids.length][];
        for (int i = 0; i < ids.length; i++) {
            finalSet[i] = live.get(ids[i]);
        }
        VamanaIndex fresh = VamanaIndex.builder(DIM, Metric.L2).params(params).build();
        fresh.build(finalSet);
        double churnRecall = 0;
        double freshRecall = 0;
        for (float[] q : queries) {
            int[] truth = TestData.topK(Metric.L2, finalSet, q, 10);
            int[] fromChurned = churned.search(q, 10, 30).ids();
            int[] mapped = new int[fromChurned.length];
            for (int i = 0; i < mapped.length; i++) {
                mapped[i] = Arrays.binarySearch(ids, fromChurned[i]);
            }
            churnRecall += TestData.recall(Metric.L2, finalSet, q, truth, mapped);
            freshRecall += TestData.recall(Metric.L2, finalSet, q, truth, fresh.search(q, 10, 30).ids());
        }
        churnRecall /= queries.length;
        freshRecall /= queries.length;
        assertTrue(churnRecall >= freshRecall - 0.02, "after churn " + churnRecall + " vs fresh " + freshRecall);
    }
}
