package io.diskann.index;

import java.util.function.IntPredicate;

/**
 * A graph search that starts from given vectors and only passes through the vectors a predicate accepts:
 * how a label filter searches a Filtered-Vamana graph (start at the filter's labels' start points, walk
 * only nodes that carry the label). A {@link Searcher} over a graph implements it; the filter module asks
 * for it with {@code instanceof}.
 */
public interface GuidedSearch {

    /**
     * Searches from {@code startIds}, traversing only ids {@code traverse} accepts, returning ids that
     * {@code params.filter()} accepts (all traversed ones when null).
     *
     * @param query the query (validated as for a search)
     * @param params k, L, W, rerank and the result filter
     * @param startIds where to start (ids not in the index are skipped; none left: the graph's own start)
     * @param startCount how many of them
     * @param traverse the ids the search may pass through
     * @param outIds receives the ids, nearest first (length at least k)
     * @param outDistances receives their distances
     * @return how many results were written
     */
    int searchFrom(float[] query, SearchParams params, int[] startIds, int startCount, IntPredicate traverse,
                   int[] outIds, float[] outDistances);
}
