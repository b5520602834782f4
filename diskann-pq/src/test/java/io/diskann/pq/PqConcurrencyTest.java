package io.diskann.pq;

import io.diskann.testing.TestSeeds;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.diskann.graph.VamanaIndex;
import io.diskann.graph.VamanaParams;
import io.diskann.index.SearchResult;
import io.diskann.vector.Metric;
import io.diskann.vector.VectorType;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * PQ codes stay the codes of their slots' vectors while updates, inserts, deletes and searches run at
 * once. Before codes were written inside the index's insert (before the slot became visible),
 * {@code PqIndex.update} stored the new code at "the id's slot" after the update returned, so two
 * concurrent updates of one id left one thread's code in the other's slot: this test then failed with
 * dozens of mismatched live slots (see the issue notes).
 */
class PqConcurrencyTest {

    private static final int DIM = 16;

    @Test
    void everyLiveSlotHoldsTheCodeOfItsVectorAfterConcurrentUpdates() throws InterruptedException {
        float[][] data = QuantizerTest.clustered(3000, DIM, 10, 77, 0f);
        VamanaIndex index = VamanaIndex.builder(DIM, Metric.L2).vectorType(VectorType.F32)
                .params(VamanaParams.builder().maxDegree(16).buildListSize(32).threads(2).build()).build();
        index.build(data);
        PqIndex pq = PqIndex.compress(index, PqParams.builder(8).threads(2).build());
        AtomicReference<Throwable> failure = new AtomicReference<>();
        AtomicBoolean stop = new AtomicBoolean();
        List<Thread> threads = new ArrayList<>();
        // six updaters (on however few cores) fight over the same sixteen ids, with vectors from different
        // clusters: a thread preempted between its update and writing its code lets another update the id
        for (int t = 0; t < 6; t++) {
            long seed = 100 + t;
            threads.add(Thread.ofPlatform().start(() -> run(failure, () -> {
                Random r = TestSeeds.random(seed);
                for (int i = 0; i < 3000 && failure.get() == null; i++) {
                    pq.update(r.nextInt(16), data[r.nextInt(data.length)]);
                }
            })));
        }
        threads.add(Thread.ofPlatform().start(() -> run(failure, () -> {
            Random r = TestSeeds.random(7);
            for (int i = 0; i < 600 && failure.get() == null; i++) {
                int id = pq.insert(data[r.nextInt(data.length)]);
                if (i % 3 == 0) {
                    pq.delete(id);
                }
            }
        })));
        // between mutations (the save lock waits for those in flight), every live slot must hold its code
        AtomicInteger worst = new AtomicInteger();
        Thread checker = Thread.ofPlatform().start(() -> run(failure, () -> {
            while (!stop.get() && failure.get() == null) {
                var lock = pq.saveLock.writeLock();
                lock.lock();
                try {
                    worst.accumulateAndGet(mismatchedLiveSlots(pq), Math::max);
                } finally {
                    lock.unlock();
                }
                try {
                    Thread.sleep(2);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }));
        Thread searcher = Thread.ofPlatform().start(() -> run(failure, () -> {
            Random r = TestSeeds.random(9);
            while (!stop.get() && failure.get() == null) {
                SearchResult res = pq.search(data[r.nextInt(data.length)], 10, 32, 16);
                assertTrue(res.size() > 0, "a search found nothing");
            }
        }));
        for (Thread t : threads) {
            t.join();
        }
        stop.set(true);
        searcher.join();
        checker.join();
        if (failure.get() != null) {
            throw new AssertionError("a concurrent operation failed", failure.get());
        }
        assertEquals(0, worst.get(), "at some point between mutations, " + worst.get()
                + " live slots held a code that was not their vector's");
        assertEquals(0, mismatchedLiveSlots(pq), "live slots holding a code that is not their vector's at the end");
    }

    /** Live slots whose code is not the encoding of the vector they hold. */
    private static int mismatchedLiveSlots(PqIndex pq) {
        VamanaIndex index = pq.index();
        ProductQuantizer q = pq.quantizer();
        byte[] codes = pq.codes();
        float[] vector = new float[DIM];
        byte[] expected = new byte[q.chunks()];
        float[] scratch = q.newEncodeScratch();
        int mismatched = 0;
        for (int o = 0; o < index.ordinals().limit(); o++) {
            if (index.ordinals().isLive(o)) {
                index.ordinals().vectors().get(o, vector);
                q.encode(vector, expected, 0, scratch);
                for (int m = 0; m < q.chunks(); m++) {
                    if (expected[m] != codes[o * q.chunks() + m]) {
                        mismatched++;
                        break;
                    }
                }
            }
        }
        return mismatched;
    }

    private static void run(AtomicReference<Throwable> failure, Runnable body) {
        try {
            body.run();
        } catch (Throwable t) {
            failure.compareAndSet(null, t);
        }
    }
}
