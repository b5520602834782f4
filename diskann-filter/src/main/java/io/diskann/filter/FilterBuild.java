package io.diskann.filter;

/**
 * How the graph of a {@link LabeledIndex} is built for filtered search.
 */
public enum FilterBuild {
    /**
     * A plain Vamana graph: filters are applied inside the search loop of an unfiltered graph (recall falls
     * at low selectivity, where the exact scan takes over).
     */
    NONE,
    /**
     * Filtered-Vamana (Filtered-DiskANN, WWW 2023): each label's vectors stay connected among themselves,
     * and a filtered search walks only the vectors that match, from its labels' start points. Use it with
     * {@link FilterParams#filteredGraphDefaults()}: such a graph serves filters down to a few hundred
     * matches, so it needs the exact scan only below that.
     */
    FILTERED,
    /**
     * Stitched-Vamana (same paper): a small Vamana graph per label over its vectors ({@link StitchParams}:
     * R_small, L_small), their union pruned per vector to the index's R with the filtered prune, each
     * label's start point the medoid of its small graph. Searched like {@link #FILTERED}; inserts after
     * the build link under Filtered-Vamana's rules. Its graph is made for filtered queries: an unfiltered
     * query walks only the edges the labels made.
     */
    STITCHED
}
