package io.diskann.pq;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.diskann.graph.VamanaIndex;
import io.diskann.graph.VamanaParams;
import io.diskann.index.SearchParams;
import io.diskann.index.SearchResult;
import io.diskann.vector.Metric;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * The PQ index's mutations and batch search, which its class doc promises and no test called before:
 * updated vectors are found at their new place, deleted ids never come back, a batch answers as single
 * searches do, and searches stay correct while another thread inserts, updates and deletes.
 */
class PqMutationTest {
    private static final int N = 3000;
    private static final int DIM = 32;

    private static PqIndex index(float[][] data) {
        VamanaIndex graph = VamanaIndex.builder(DIM, Metric.L2)
                .params(VamanaParams.builder().maxDegree(24).buildListSize(48).threads(2).build()).build();
        graph.build(data);
        return PqIndex.compress(graph, PqParams.builder(8).threads(2).build());
    }

    @Test
    void updatesMoveVectorsDeletesDisappearAndBatchesMatchSingleSearches() {
        float[][] all = QuantizerTest.clustered(N + 200, DIM, 30, 11, 0f);
        float[][] data = Arrays.copyOf(all, N);
        PqIndex pq = index(data);
        SearchParams p = SearchParams.builder(10).listSize(64).rerank(64).build();

        // update: id i takes a vector it did not have; searching that vector finds i first, at distance ~0
        int moved = 0;
        for (int i = 0; i < 100; i++) {
            float[] v = all[N + i];
            pq.update(i, v);
            SearchResult r = pq.search(v, p);
            if (r.ids()[0] == i && r.distances()[0] < 1e-3f) {
                moved++;
            }
        }
        assertTrue(moved >= 97, "updated vectors found at their new place: " + moved + " of 100");

        // delete: never returned again, by single or batch search, whatever the query
        for (int i = 100; i < 300; i++) {
            pq.delete(i);
            assertFalse(pq.contains(i));
        }
        float[][] queries = new float[200][];
        for (int q = 0; q < queries.length; q++) {
            queries[q] = data[100 + q]; // each deleted vector itself: its own id would be the best answer
        }
        SearchResult[] batch = pq.batchSearch(queries, p);
        assertEquals(queries.length, batch.length);
        for (int q = 0; q < queries.length; q++) {
            for (int id : batch[q].ids()) {
                assertTrue(id < 100 || id >= 300, "deleted id " + id + " returned for query " + q);
            }
            SearchResult single = pq.search(queries[q], p);
            assertArrayEquals(single.ids(), batch[q].ids(), "batch and single search agree, query " + q);
        }
        assertEquals(N - 200, pq.size());
    }

    @Test
    void searchesStayCorrectBesideInsertsUpdatesAndDeletes() throws Exception {
        float[][] all = QuantizerTest.clustered(N + 1000, DIM, 30, 12, 0f);
        PqIndex pq = index(Arrays.copyOf(all, N));
        SearchParams p = SearchParams.builder(10).listSize(48).rerank(48).build();
        AtomicBoolean stop = new AtomicBoolean();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        // ids 0..999 are never touched by the writer: a search for one of them must find it first
        java.util.concurrent.atomic.AtomicInteger searches = new java.util.concurrent.atomic.AtomicInteger();
        java.util.concurrent.atomic.AtomicInteger misses = new java.util.concurrent.atomic.AtomicInteger();
        Thread reader = Thread.ofPlatform().start(() -> {
            try {
                int q = 0;
                while (!stop.get()) {
                    int id = q++ % 1000;
                    SearchResult r = pq.search(all[id], p);
                    searches.incrementAndGet();
                    if (r.ids()[0] != id && r.distances()[0] > 1e-3f) {
                        misses.incrementAndGet();
                    }
                }
            } catch (Throwable t) {
                failure.set(t);
            }
        });
        for (int i = 0; i < 1000; i++) {
            pq.insert(all[N + i]);
            if (i % 2 == 0) {
                pq.delete(1000 + i / 2 * 2);
            } else {
                pq.update(1500 + i, all[N + i]);
            }
        }
        stop.set(true);
        reader.join();
        if (failure.get() != null) {
            throw new AssertionError("search beside mutations failed", failure.get());
        }
        for (int i = 0; i < 1000; i += 2) {
            assertFalse(pq.contains(1000 + i / 2 * 2));
        }
        // approximate search: a property of nearly all, not of every single query
        assertTrue(searches.get() > 0);
        assertTrue(misses.get() <= Math.max(2, searches.get() / 100),
                "untouched ids not found first beside mutations: " + misses + " of " + searches);
        int exact = 0;
        for (int i = 0; i < 1000; i++) {
            if (pq.search(all[N + i], p).distances()[0] < 1e-3f) {
                exact++;
            }
        }
        assertTrue(exact >= 990, "inserted or updated vectors found exactly: " + exact + " of 1000");
    }
}
