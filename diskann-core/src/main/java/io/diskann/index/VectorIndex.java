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

    /** Components per vector. */
    int dimensions();

    /** The distance metric. */
    Metric metric();

    /** Element type of the stored full-precision vectors. */
    VectorType vectorType();

    /** Number of searchable vectors. */
    int size();

    /** Whether {@code id} is a searchable vector of the index. */
    boolean contains(int id);

    /** A new searcher with its own reusable state; close it when done (see {@link Searcher}). */
    Searcher searcher();

    /** The {@code params.k()} nearest neighbours of {@code query}, through a pooled searcher. */
    SearchResult search(float[] query, SearchParams params);

    /** {@code k} nearest neighbours with search list size {@code listSize}. */
    default SearchResult search(float[] query, int k, int listSize) {
        return search(query, SearchParams.of(k, listSize));
    }

    /** {@code k} nearest neighbours with the default search list size ({@link SearchParams#defaultListSize}). */
    default SearchResult search(float[] query, int k) {
        return search(query, SearchParams.of(k));
    }

    /**
     * Searches every query, in parallel on the index's own worker threads; results in query order.
     *
     * @throws IllegalArgumentException naming the first bad query
     */
    SearchResult[] batchSearch(float[][] queries, SearchParams params);

    /** As {@link #batchSearch(float[][], SearchParams)}, on the caller's executor. */
    SearchResult[] batchSearch(float[][] queries, SearchParams params, Executor executor);

    /** Every vector within {@code radius} of {@code query} the search finds (see {@link RangeParams}). */
    SearchResult rangeSearch(float[] query, float radius, RangeParams params);

    /** {@link #rangeSearch(float[], float, RangeParams)} with {@link RangeParams#defaults()}. */
    default SearchResult rangeSearch(float[] query, float radius) {
        return rangeSearch(query, radius, RangeParams.defaults());
    }

    /** Size, shape and memory of the index. */
    IndexStats stats();

    /** Writes the index to {@code path} atomically (a crash leaves the old files or the new ones). */
    void save(Path path) throws IOException;

    /** Releases memory, files and threads; the index cannot be used afterwards. Idempotent. */
    @Override
    void close();
}
