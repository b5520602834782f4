package io.diskann.util;

import io.diskann.index.QueryStats;
import io.diskann.index.RangeParams;
import io.diskann.index.SearchParams;
import io.diskann.index.SearchResult;
import io.diskann.index.Searcher;
import java.util.function.Supplier;

/**
 * The searchers an index lends to its own {@code search} methods: idle ones are kept in a bounded
 * {@link ObjectPool} (two per processor), new ones made on demand, so the convenience methods reuse
 * scratch without thread-locals.
 */
public final class SearcherPool implements AutoCloseable {

    private final ObjectPool<Searcher> idle = new ObjectPool<>(Math.max(4, 2 * Runtime.getRuntime().availableProcessors()));
    private final Supplier<Searcher> factory;
    private volatile boolean closed;

    /**
     * A pool making new searchers with {@code factory}.
     *
     * @param factory makes a new searcher when none is idle
     */
    public SearcherPool(Supplier<Searcher> factory) {
        this.factory = factory;
    }

    /**
     * An idle searcher, or a new one; give it back with {@link #release}.
     *
     * @return the searcher, for the calling thread only until released
     */
    public Searcher borrow() {
        Searcher s = idle.poll();
        return s != null ? s : factory.get();
    }

    /**
     * Takes back a borrowed searcher (closing it if the pool is full or closed).
     *
     * @param s a searcher from {@link #borrow}, not used afterwards
     */
    public void release(Searcher s) {
        if (closed || !idle.offer(s)) {
            s.close();
        }
    }

    /**
     * One search through a borrowed searcher.
     *
     * @param query the query vector
     * @param params how the search runs
     * @return the neighbours found, closest first
     */
    public SearchResult search(float[] query, SearchParams params) {
        Searcher s = borrow();
        try {
            return s.search(query, params);
        } finally {
            release(s);
        }
    }

    /**
     * One range search through a borrowed searcher.
     *
     * @param query the query vector
     * @param radius the largest distance returned (smaller is closer)
     * @param params list sizes, beam width and filter of the search
     * @return the vectors found within the radius, closest first
     */
    public SearchResult rangeSearch(float[] query, float radius, RangeParams params) {
        Searcher s = borrow();
        try {
            return s.rangeSearch(query, radius, params);
        } finally {
            release(s);
        }
    }

    /**
     * Searchers that go back to this pool when closed (for {@link BatchSearch}).
     *
     * @return a supplier of borrowed searchers whose {@code close} releases them
     */
    public Supplier<Searcher> lender() {
        return () -> new Lent(borrow());
    }

    private final class Lent implements Searcher {
        private final Searcher s;

        Lent(Searcher s) {
            this.s = s;
        }

        @Override
        public SearchResult search(float[] query, SearchParams params) {
            return s.search(query, params);
        }

        @Override
        public int search(float[] query, SearchParams params, int[] ids, float[] distances) {
            return s.search(query, params, ids, distances);
        }

        @Override
        public SearchResult rangeSearch(float[] query, float radius, RangeParams params) {
            return s.rangeSearch(query, radius, params);
        }

        @Override
        public QueryStats lastStats() {
            return s.lastStats();
        }

        @Override
        public void close() {
            release(s);
        }
    }

    /** Closes every idle searcher; searchers released later are closed instead of kept. */
    @Override
    public void close() {
        closed = true;
        for (Searcher s; (s = idle.poll()) != null; ) {
            s.close();
        }
    }
}
