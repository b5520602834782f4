package io.diskann.index;

/**
 * Caller-owned search state for one index: the search list, the visited set, query scratch and (for
 * compressed indexes) distance tables, reused query after query so a steady stream of searches
 * allocates nothing but results.
 *
 * <p>Why caller-owned: per-index thread-locals keep megabytes per thread per index for as long as the
 * thread lives, and suit neither thread pools that outlive an index nor virtual threads. Take one per
 * thread (or per task) from {@link VectorIndex#searcher()}, use it for many queries, close it. The
 * index's own {@code search} methods borrow searchers from a small pool instead.
 *
 * <p>Not thread-safe: one thread at a time. Searches through it may run concurrently with searches
 * through other searchers and with the index's mutations (see the index's concurrency table).
 */
public interface Searcher extends AutoCloseable {

    /**
     * The {@code params.k()} nearest neighbours of {@code query}.
     *
     * @param query the query vector, of the index's dimension
     * @param params how the search runs
     * @return the neighbours found, closest first
     * @throws IllegalArgumentException on a bad query or parameters
     */
    SearchResult search(float[] query, SearchParams params);

    /**
     * {@link #search(float[], SearchParams)} with {@code k} and L, defaults for the rest.
     *
     * @param query the query vector, of the index's dimension
     * @param k neighbours wanted (at least 1)
     * @param listSize L, the search list size (at least {@code k})
     * @return the neighbours found, closest first
     */
    default SearchResult search(float[] query, int k, int listSize) {
        return search(query, SearchParams.of(k, listSize));
    }

    /**
     * Whether a filtered search whose {@link SearchParams#filterShare} is below
     * {@link SearchParams#TWO_HOP_BELOW} expands two hops through rejected nodes and lists only accepted
     * ones, so a planner need not widen L for the filter. False (the default) where reading a rejected
     * node's neighbours would cost an I/O, as on the disk index.
     *
     * @return true if selective filtered searches expand two hops
     */
    default boolean expandsTwoHops() {
        return false;
    }

    /**
     * Searches into the caller's arrays, allocating nothing: the ids and distances of the neighbours found
     * (closest first) go to {@code ids[0..n)} and {@code distances[0..n)}; {@link #lastStats()} tells
     * what it cost.
     *
     * @param query the query vector, of the index's dimension
     * @param params how the search runs
     * @param ids receives the neighbour ids; at least {@code params.k()} long
     * @param distances receives the matching distances; at least {@code params.k()} long
     * @return n, the number found (at most {@code params.k()})
     * @throws IllegalArgumentException if an array is shorter than k, or as {@link #search}
     */
    int search(float[] query, SearchParams params, int[] ids, float[] distances);

    /**
     * Every vector within {@code radius} of {@code query} the search finds, closest first.
     *
     * @param query the query vector, of the index's dimension
     * @param radius the largest distance returned, in the metric's units (smaller is closer)
     * @param params list sizes, beam width and filter of the search
     * @return the vectors found within the radius
     */
    SearchResult rangeSearch(float[] query, float radius, RangeParams params);

    /**
     * The cost of the last search through this searcher.
     *
     * @return the stats of the last search
     */
    QueryStats lastStats();

    /** Releases the state; the searcher cannot be used afterwards. */
    @Override
    void close();
}
