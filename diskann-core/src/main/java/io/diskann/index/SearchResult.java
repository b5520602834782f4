package io.diskann.index;

/**
 * The neighbours a search found, closest first, with what the search cost.
 *
 * @param ids ids of the neighbours, sorted by increasing distance
 * @param distances the matching distances (see {@link io.diskann.vector.Metric}; smaller is closer)
 * @param stats what the search cost
 */
public record SearchResult(int[] ids, float[] distances, QueryStats stats) {

    /**
     * Validates the arrays; a null {@code stats} becomes {@link QueryStats#NONE}.
     *
     * @throws IllegalArgumentException if either array is null or their lengths differ
     */
    public SearchResult {
        if (ids == null || distances == null || ids.length != distances.length) {
            throw new IllegalArgumentException("ids and distances must be arrays of one length");
        }
        if (stats == null) {
            stats = QueryStats.NONE;
        }
    }

    /**
     * Number of neighbours returned.
     *
     * @return the length of {@link #ids()}
     */
    public int size() {
        return ids.length;
    }

    /**
     * Distances computed, traversal and re-rank together (see {@link QueryStats}).
     *
     * @return {@link QueryStats#totalDistances()} of the stats
     */
    public long distanceComputations() {
        return stats.totalDistances();
    }

    /**
     * Nodes expanded.
     *
     * @return {@link QueryStats#hops()} of the stats
     */
    public long hops() {
        return stats.hops();
    }
}
