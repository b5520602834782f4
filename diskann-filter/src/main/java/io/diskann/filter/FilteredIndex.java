package io.diskann.filter;

import io.diskann.index.RangeParams;
import io.diskann.index.SearchParams;
import io.diskann.index.SearchResult;
import io.diskann.index.VectorIndex;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

/**
 * Label-filtered search over an index that is searched but not changed here: a {@code PqIndex}, the
 * SSD-resident {@code DiskIndex}, or a loaded {@code VamanaIndex}, with the labels of its vectors held in
 * RAM (as Microsoft DiskANN keeps a disk index's labels in memory beside its PQ codes).
 *
 * <pre>{@code
 * LabelFile.Contents file = LabelFile.read(Path.of("base.labels"), null);   // DiskANN's label file
 * try (FilteredIndex fi = FilteredIndex.of(DiskIndex.open(prefix, DiskOptions.defaults()),
 *                                          file.labels(), FilterParams.defaults())) {
 *     SearchResult r = fi.search(query, 10, LabelFilter.parse("shoes&in-stock", file.dictionary()));
 * }
 * }</pre>
 *
 * <p>Queries run as {@link LabeledIndex}'s do on a plain graph: a filter that matches few vectors is
 * answered by scoring its matches (their ids come from per-label posting lists), others by a graph search
 * with the filter inside the loop and a list widened by the filter's selectivity. On the disk index the
 * scan ranks the matches by their PQ codes and reads the best few for exact distances. For an index that
 * takes inserts and deletes with labels, and for Filtered-Vamana's label-aware graph in memory, use
 * {@link LabeledIndex}; a label-aware graph laid out on disk ({@link DiskLabels#write}) opens with
 * {@link DiskLabels#open} and is walked label by label.
 *
 * <p>Thread-safety: every method may be called from any number of threads (each search borrows its own
 * searcher). The labels are fixed once made.
 */
public final class FilteredIndex implements AutoCloseable {

    private final VectorIndex index;
    private final LabelStore labels;
    private final FilterSearch filtered;

    /**
     * Labels {@code index}'s vectors with {@code labels}; its ids are below {@code idBound} (where a
     * predicate's share is sampled).
     */
    FilteredIndex(VectorIndex index, LabelStore labels, FilterParams params, int idBound) {
        this.index = index;
        this.labels = labels;
        this.filtered = new FilterSearch(index, labels, params, () -> idBound);
    }

    /**
     * Labels the vectors of {@code index}: id i has {@code labels.labelsOf(i)} (point i of a label file is
     * id i, as Microsoft DiskANN's label files are written and as indexes built from a vector file number
     * their vectors).
     *
     * @param index the index; it must hold exactly the ids 0..n-1 with n = {@code labels.size()}
     * @param labels the labels of ids 0..n-1
     * @param params when to scan instead of searching the graph
     * @return the filtered view; closing it closes {@code index}
     * @throws IllegalArgumentException if the index does not hold exactly the ids 0..n-1
     */
    public static FilteredIndex of(VectorIndex index, LabelSets labels, FilterParams params) {
        if (index == null || labels == null || params == null) {
            throw new IllegalArgumentException("index, labels and params must not be null");
        }
        int n = labels.size();
        if (index.size() != n) {
            throw new IllegalArgumentException("the index holds " + index.size() + " vectors, the labels are for " + n);
        }
        LabelStore store = new LabelStore(labels.universalLabel());
        for (int id = 0; id < n; id++) {
            if (!index.contains(id)) {
                throw new IllegalArgumentException("the index does not hold id " + id + ": label files number points 0..n-1");
            }
            store.set(id, labels.labelsOf(id));
        }
        return new FilteredIndex(index, store, params, n);
    }

    /** Makes label filters walk a label-aware graph under {@code c}'s start points (null: a plain graph). */
    void constraint(LabelLinkConstraint c) {
        filtered.constraint(c);
    }

    /**
     * Whether a label filter on this index walks a label-aware graph from its labels' start points (a disk
     * index written from a Filtered- or Stitched-Vamana graph) rather than the filter-in-the-loop search.
     *
     * @return true for a label-aware graph
     */
    public boolean labelAware() {
        return filtered.constraint() != null;
    }

    /**
     * The {@code k} nearest vectors that pass {@code filter}, with the index's default search list.
     *
     * @param query the query
     * @param k results wanted
     * @param filter the filter (null: none)
     * @return up to k results, nearest first
     */
    public SearchResult search(float[] query, int k, LabelFilter filter) {
        return search(query, SearchParams.builder(k).build(), filter);
    }

    /**
     * Filtered search with the given list size, beam width and rerank ({@code params.filter()} must be
     * null: the label filter is the filter).
     *
     * @param query the query
     * @param params k, L, W, rerank
     * @param filter the filter (null: an unfiltered search)
     * @return up to k results, nearest first
     */
    public SearchResult search(float[] query, SearchParams params, LabelFilter filter) {
        return filtered.search(query, params, filter);
    }

    /**
     * Searches every query with its own filter, in parallel on {@code executor}; results in query order.
     *
     * @param queries the queries
     * @param params k, L, W, rerank of every search
     * @param filters one filter per query (null entries: unfiltered)
     * @param executor runs the searches
     * @return one result per query
     * @throws IllegalArgumentException if the arrays differ in length, or naming the first bad query
     */
    public SearchResult[] batchSearch(float[][] queries, SearchParams params, LabelFilter[] filters, Executor executor) {
        if (queries == null || filters == null || queries.length != filters.length || executor == null) {
            throw new IllegalArgumentException("one filter per query and an executor: " + (queries == null ? 0 : queries.length)
                    + " queries, " + (filters == null ? 0 : filters.length) + " filters");
        }
        @SuppressWarnings("unchecked")
        CompletableFuture<SearchResult>[] futures = new CompletableFuture[queries.length];
        for (int q = 0; q < queries.length; q++) {
            float[] query = queries[q];
            LabelFilter f = filters[q];
            futures[q] = CompletableFuture.supplyAsync(() -> search(query, params, f), executor);
        }
        SearchResult[] out = new SearchResult[queries.length];
        for (int q = 0; q < queries.length; q++) {
            try {
                out[q] = futures[q].join();
            } catch (java.util.concurrent.CompletionException e) {
                if (e.getCause() instanceof IllegalArgumentException bad) {
                    throw new IllegalArgumentException("query " + q + ": " + bad.getMessage(), bad);
                }
                throw e;
            }
        }
        return out;
    }

    /**
     * Every vector within {@code radius} of the query that passes {@code filter}, nearest first.
     *
     * @param query the query
     * @param radius the largest distance returned
     * @param params list sizes and beam of the index's range search ({@code filter} must be null)
     * @param filter the filter (null: none)
     * @return the vectors found
     */
    public SearchResult rangeSearch(float[] query, float radius, RangeParams params, LabelFilter filter) {
        return filtered.rangeSearch(query, radius, params, filter);
    }

    /**
     * The labels of {@code id}.
     *
     * @param id a vector id
     * @return its labels, sorted (empty if none or unknown)
     */
    public int[] labelsOf(int id) {
        return labels.labelsOf(id);
    }

    /**
     * The labels, for filters and estimates.
     *
     * @return a thread-safe view
     */
    public LabelView labels() {
        return labels;
    }

    /**
     * The wrapped index (unfiltered searches, stats).
     *
     * @return the index
     */
    public VectorIndex index() {
        return index;
    }

    /** Closes the wrapped index. Idempotent. */
    @Override
    public void close() {
        filtered.close();
        index.close();
    }
}
