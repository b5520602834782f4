package io.diskann.graph;

/**
 * The neighbours a search found, closest first, with what the search cost.
 *
 * @param ids node ids, sorted by increasing distance
 * @param distances the matching distances (see {@link io.diskann.vector.Metric}; smaller is closer)
 * @param distanceComputations how many distances the search computed
 * @param hops how many nodes it expanded
 */
public record SearchResult(int[] ids, float[] distances, long distanceComputations, long hops) {

    /** Number of neighbours returned. */
    public int size() {
        return ids.length;
    }
}
