package io.diskann.index;

/**
 * What one search cost: the figures every index kind can report, zero where a kind has no such cost
 * (an in-memory index reads no sectors).
 *
 * @param distanceComputations distances computed while traversing the graph (full precision, or on
 *     compressed codes for a PQ traversal)
 * @param rerankDistances full-precision distances computed to re-rank the best candidates of an
 *     approximate traversal (0 for an exact traversal)
 * @param hops nodes expanded (their neighbour lists read)
 * @param reads sectors read from storage (SSD-resident indexes)
 * @param cacheHits nodes served from an in-memory cache instead of storage
 * @param ioNanos time spent waiting for reads
 * @param computeNanos the rest of the search's time inside the index's searcher: scoring, the graph walk,
 *     checksums (measured by the SSD-resident index, where it tells CPU from storage; 0 where not measured;
 *     work a caller does before handing the search over, such as listing a filter's matches, is not in it)
 */
public record QueryStats(long distanceComputations, long rerankDistances, long hops, long reads, long cacheHits,
                         long ioNanos, long computeNanos) {

    /** Nothing counted. */
    public static final QueryStats NONE = new QueryStats(0, 0, 0, 0, 0, 0, 0);

    /**
     * Stats without a measured compute time.
     *
     * @param distanceComputations distances computed while traversing
     * @param rerankDistances full-precision distances computed to re-rank
     * @param hops nodes expanded
     * @param reads sectors read from storage
     * @param cacheHits nodes served from an in-memory cache
     * @param ioNanos time spent waiting for reads
     */
    public QueryStats(long distanceComputations, long rerankDistances, long hops, long reads, long cacheHits,
                      long ioNanos) {
        this(distanceComputations, rerankDistances, hops, reads, cacheHits, ioNanos, 0);
    }

    /**
     * Counts of an in-memory search: distances, re-ranked distances and hops.
     *
     * @param distanceComputations distances computed while traversing
     * @param rerankDistances full-precision distances computed to re-rank
     * @param hops nodes expanded
     * @return the stats, with no reads, cache hits or I/O time
     */
    public static QueryStats inMemory(long distanceComputations, long rerankDistances, long hops) {
        return new QueryStats(distanceComputations, rerankDistances, hops, 0, 0, 0);
    }

    /**
     * The costs of two searches made for one query (a walk, then the scan that answered instead).
     *
     * @param other the other search's stats
     * @return the field-wise sums
     */
    public QueryStats plus(QueryStats other) {
        return new QueryStats(distanceComputations + other.distanceComputations, rerankDistances + other.rerankDistances,
                hops + other.hops, reads + other.reads, cacheHits + other.cacheHits, ioNanos + other.ioNanos,
                computeNanos + other.computeNanos);
    }

    /**
     * All distances, traversal and re-rank together.
     *
     * @return {@code distanceComputations + rerankDistances}
     */
    public long totalDistances() {
        return distanceComputations + rerankDistances;
    }
}
