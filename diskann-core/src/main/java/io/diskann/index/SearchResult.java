package io.diskann.index;

/**
 * The neighbours a search found, closest first, with what the search cost.
 *
 * @param ids ids of the neighbours, sorted by increasing distance
 * @param distances the matching distances (see {@link io.diskann.vector.Metric}; smaller is closer)
 * @param stats what the search cost
 */
public record SearchResult(int[] ids, float[] distances, QueryStats stats) {

    public SearchResult {
        if (ids == null || distances == null || ids.length != distances.length) {
            throw new IllegalArgumentException("ids and distances must be arrays of one length");
        }
        if (stats == null) {
            stats = QueryStats.NONE;
        }
    }

    /** Number of neighbours returned. */
    public int size() {
        return ids.length;
    }

    /** Distances computed, traversal and re-rank together (see {@link QueryStats}). */
    public long distanceComputations() {
        return stats.totalDistances();
    }

    /** Nodes expanded. */
    public long hops() {
        return stats.hops();
    }
}
