package io.diskann.index;

import io.diskann.vector.Metric;
import io.diskann.vector.VectorType;
import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.Executor;

/**
 * An approximate nearest-neighbour index over vectors: what every index kind of this library (the
 * in-memory graph, the PQ index, the SSD-resident index) answers, so an application can switch kinds
 * without rewriting its calls.
 *
 * <pre>{@code
 * VectorIndex index = ...;                                  // VamanaIndex, PqIndex, ...
 * SearchResult r = index.search(query, 10);                 // k = 10, default search list
 * SearchResult f = index.search(query, SearchParams.builder(10).listSize(100)
 *         .filter(id -> inStock.get(id)).build());          // only ids the filter accepts
 * try (Searcher s = index.searcher()) {                     // one per thread: reused scratch
 *     for (float[] q : queries) s.search(q, SearchParams.of(10, 64));
 * }
 * }</pre>
 *
 * <p>Distances are "smaller is closer" in every metric (see {@link Metric}). Invalid arguments (a query
 * of the wrong dimension or with a non-finite component, k &lt; 1, L &lt; k) throw
 * {@link IllegalArgumentException} naming the value; searching an empty or closed index throws
 * {@link IllegalStateException}.
 *
 * <p>Thread-safety: every method may be called from any number of threads once the index is built or
 * loaded; each implementation documents what runs beside what.
 */
public interface VectorIndex extends AutoCloseable {

    /**
     * Components per vector.
     *
     * @return the vector dimension
     */
    int dimensions();

    /**
     * The distance metric.
     *
     * @return the metric distances are computed in
     */
    Metric metric();

    /**
     * Element type of the stored full-precision vectors.
     *
     * @return the type the vectors are stored as
     */
    VectorType vectorType();

    /**
     * Number of searchable vectors.
     *
     * @return how many vectors a search can return
     */
    int size();

    /**
     * Whether {@code id} is a searchable vector of the index.
     *
     * @param id the id to look up
     * @return true if the id is in the index and not deleted
     */
    boolean contains(int id);

    /**
     * A new searcher with its own reusable state; close it when done (see {@link Searcher}).
     *
     * @return the searcher, for one thread at a time
     */
    Searcher searcher();

    /**
     * The {@code params.k()} nearest neighbours of {@code query}, through a pooled searcher.
     *
     * @param query the query vector, of the index's dimension
     * @param params how the search runs
     * @return the neighbours found, closest first
     */
    SearchResult search(float[] query, SearchParams params);

    /**
     * {@code k} nearest neighbours with search list size {@code listSize}.
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
     * {@code k} nearest neighbours with the default search list size ({@link SearchParams#defaultListSize}).
     *
     * @param query the query vector, of the index's dimension
     * @param k neighbours wanted (at least 1)
     * @return the neighbours found, closest first
     */
    default SearchResult search(float[] query, int k) {
        return search(query, SearchParams.of(k));
    }

    /**
     * Searches every query, in parallel on the index's own worker threads; results in query order.
     *
     * @param queries the query vectors, each of the index's dimension
     * @param params how each search runs (its filter must be thread-safe)
     * @return one result per query, in query order
     * @throws IllegalArgumentException naming the first bad query
     */
    SearchResult[] batchSearch(float[][] queries, SearchParams params);

    /**
     * As {@link #batchSearch(float[][], SearchParams)}, on the caller's executor.
     *
     * @param queries the query vectors, each of the index's dimension
     * @param params how each search runs (its filter must be thread-safe)
     * @param executor runs the searches
     * @return one result per query, in query order
     */
    SearchResult[] batchSearch(float[][] queries, SearchParams params, Executor executor);

    /**
     * Every vector within {@code radius} of {@code query} the search finds (see {@link RangeParams}).
     *
     * @param query the query vector, of the index's dimension
     * @param radius the largest distance returned, in the metric's units (smaller is closer)
     * @param params list sizes, beam width and filter of the search
     * @return the vectors found within the radius, closest first
     */
    SearchResult rangeSearch(float[] query, float radius, RangeParams params);

    /**
     * {@link #rangeSearch(float[], float, RangeParams)} with {@link RangeParams#defaults()}.
     *
     * @param query the query vector, of the index's dimension
     * @param radius the largest distance returned, in the metric's units (smaller is closer)
     * @return the vectors found within the radius, closest first
     */
    default SearchResult rangeSearch(float[] query, float radius) {
        return rangeSearch(query, radius, RangeParams.defaults());
    }

    /**
     * Size, shape and memory of the index.
     *
     * @return the index's stats
     */
    IndexStats stats();

    /**
     * Writes the index to {@code path} atomically (a crash leaves the old files or the new ones).
     *
     * @param path the file to write
     * @throws IOException if writing fails
     */
    void save(Path path) throws IOException;

    /** Releases memory, files and threads; the index cannot be used afterwards. Idempotent. */
    @Override
    void close();
}
