package io.diskann.graph;

import io.diskann.index.SearchParams;
import io.diskann.index.SearchResult;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import io.diskann.vector.Metric;
import io.diskann.vector.VectorType;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/** Many threads searching one built index get exactly the sequential results. */
class ConcurrentSearchTest {

    @Test
    void concurrentSearchesEqualSequentialOnes() throws Exception {
        float[][] all = TestData.clustered(5300, 32, 20, VectorType.F32, 8);
        float[][] data = java.util.Arrays.copyOf(all, 5000);
        float[][] queries = java.util.Arrays.copyOfRange(all, 5000, 5300);
        VamanaIndex index = VamanaIndex.builder(32, Metric.L2)
                .params(VamanaParams.builder().maxDegree(24).buildListSize(50).threads(2).build()).build();
        index.build(data);
        SearchResult[] expected = new SearchResult[queries.length];
        for (int i = 0; i < queries.length; i++) {
            expected[i] = index.search(queries[i], 10, 40);
        }
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (int t = 0; t < 8; t++) {
                final int offset = t;
                futures.add(pool.submit(() -> {
                    for (int round = 0; round < 5; round++) {
                        for (int j = 0; j < queries.length; j++) {
                            int i = (j + offset * 37) % queries.length;
                            SearchResult r = index.search(queries[i], 10, 40);
                            assertArrayEquals(expected[i].ids(), r.ids(), "query " + i);
                            // up to the last bits (the order of a float reduction is the Vector API's choice)
                            float[] e = expected[i].distances();
                            assertArrayEquals(e, r.distances(), 1e-5f * Math.max(1f, Math.abs(e[e.length - 1])), "query " + i);
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> f : futures) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }
        SearchResult[] batch = index.batchSearch(queries, SearchParams.of(10, 40));
        for (int i = 0; i < queries.length; i++) {
            assertArrayEquals(expected[i].ids(), batch[i].ids());
        }
    }
}
