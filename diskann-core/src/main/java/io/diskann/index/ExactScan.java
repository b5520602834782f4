package io.diskann.index;

/**
 * Exact search among given ids: the other half of a filtered search. When a filter matches few vectors,
 * scoring those few exactly is faster than any graph traversal and has recall 1; Lucene switches the same
 * way. A {@link Searcher} that can score stored vectors by id implements this; the filter module asks for
 * it with {@code instanceof}.
 */
public interface ExactScan {

    /**
     * The {@code k} nearest of {@code ids[0..count)} to {@code query}, by exact distance. Ids not in the
     * index (or deleted) are skipped; duplicates must not be passed. Fills the caller's arrays, nearest
     * first, and allocates nothing.
     *
     * @param query the query (validated as for a search)
     * @param ids the candidate ids
     * @param count how many of them
     * @param k results wanted (at least 1)
     * @param outIds receives the ids (length at least k)
     * @param outDistances receives their distances (length at least k)
     * @return how many results were written (at most k)
     */
    int searchAmong(float[] query, int[] ids, int count, int k, int[] outIds, float[] outDistances);
}
