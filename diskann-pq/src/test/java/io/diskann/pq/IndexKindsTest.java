package io.diskann.pq;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.diskann.graph.VamanaIndex;
import io.diskann.graph.VamanaParams;
import io.diskann.index.IndexStats;
import io.diskann.index.MutableVectorIndex;
import io.diskann.index.RangeParams;
import io.diskann.index.SearchParams;
import io.diskann.index.SearchResult;
import io.diskann.index.Searcher;
import io.diskann.vector.Metric;
import io.diskann.vector.VectorType;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One piece of application code, written against {@link MutableVectorIndex}, runs unchanged on the
 * in-memory graph and on the PQ index: search, filtered search, searchers, batch and range search,
 * mutations, stats, save and close.
 */
class IndexKindsTest {

    @TempDir
    Path dir;

    private static final int DIM = 24;

    /** What an application does with "an index", knowing nothing of its kind. */
    private static void exercise(MutableVectorIndex index, float[][] data, Path file) throws IOException {
        assertEquals(data.length, index.size());
        assertEquals(DIM, index.dimensions());
        // approximate search: a vector finds itself nearly always, not always (a rare node has few in-edges)
        SearchResult[] batch = index.batchSearch(Arrays.copyOf(data, 50), SearchParams.of(1, 32));
        int self = 0;
        for (int i = 0; i < 50; i++) {
            self += batch[i].ids()[0] == i ? 1 : 0;
        }
        assertTrue(self >= 48, "vectors that find themselves: " + self + " of 50");
        int probe = 0;
        while (batch[probe].ids()[0] != probe) {
            probe++;
        }
        int p = probe;
        SearchResult r = index.search(data[p], 5);
        assertEquals(p, r.ids()[0]);
        SearchResult even = index.search(data[p], SearchParams.builder(5).listSize(64).filter(id -> id % 2 == 0).build());
        assertTrue(Arrays.stream(even.ids()).allMatch(id -> id % 2 == 0) && even.size() == 5);
        try (Searcher s = index.searcher()) {
            assertEquals(p, s.search(data[p], 5, 32).ids()[0]);
        }
        SearchResult near = index.rangeSearch(data[p], 1e-3f, RangeParams.of(16, 256));
        assertEquals(p, near.ids()[0]);
        int id = index.insert(data[3]);
        index.update(id, data[4]);
        index.delete(5);
        assertTrue(!index.contains(5) && index.contains(id));
        assertTrue(Arrays.stream(index.search(data[5], 10, 40).ids()).noneMatch(x -> x == 5));
        assertEquals(2, index.consolidate()); // the deleted id and the vector the update replaced
        IndexStats stats = index.stats();
        assertEquals(data.length, stats.count());
        assertTrue(stats.memoryBytes() > (long) data.length * DIM * 4);
        index.save(file);
        index.close();
        assertThrows(IllegalStateException.class, () -> index.search(data[0], 5));
    }

    private static float[][] data() {
        return QuantizerTest.clustered(2000, DIM, 10, 5, 0f);
    }

    private static VamanaIndex graph(float[][] data) {
        VamanaIndex index = VamanaIndex.builder(DIM, Metric.L2).vectorType(VectorType.F32)
                .params(VamanaParams.builder().maxDegree(16).buildListSize(40).threads(2).build()).build();
        index.build(data);
        return index;
    }

    @Test
    void theSameCallsServeTheGraphAndThePqIndex() throws IOException {
        float[][] data = data();
        exercise(graph(data), data, dir.resolve("graph.idx"));
        assertEquals(2000, VamanaIndex.load(dir.resolve("graph.idx")).size());
        Function<float[][], MutableVectorIndex> pq = d -> PqIndex.compress(graph(d), PqParams.builder(8).threads(2).build());
        exercise(pq.apply(data), data, dir.resolve("pq.idx"));
        assertEquals(2000, PqIndex.load(dir.resolve("pq.idx")).size());
    }
}
