package io.diskann.graph;

import io.diskann.vector.Metric;
import io.diskann.vector.QueryScorer;
import io.diskann.vector.VectorStore;

/**
 * Per-thread scratch for searching and building: the query scorer, the search list, the visited set,
 * the prune scratch and the counters of the last search. Created once per thread and reused, so a
 * steady-state search allocates nothing but its result.
 */
final class SearchContext {

    /** Scores candidates; replaced per search only by {@link RerankingSearch} (approximate traversal). */
    QueryScorer scorer;
    final NeighborQueue queue;
    final VisitedSet visited;
    final RobustPrune prune;
    int[] pruneOut;

    /** When set, expanded nodes that are not live are kept out of the construction pool. */
    SlotTable poolFilter;

    /** Consumes the values read by {@link QueryScorer#touch} so the JIT keeps the loads. */
    int touchSink;
    private int[] pending = new int[64];

    private float[] pendingScores = new float[64];

    /** Buffer for a node's unvisited neighbours. */
    int[] pending(int maxDegree) {
        if (pending.length < maxDegree) {
            pending = new int[maxDegree];
        }
        return pending;
    }

    /** Buffer for their distances. */
    float[] pendingScores(int maxDegree) {
        if (pendingScores.length < maxDegree) {
            pendingScores = new float[maxDegree];
        }
        return pendingScores;
    }

    /** Distance computations in the last search. */
    long distanceComputations;
    /** Nodes expanded (hops) in the last search. */
    long hops;

    /** Context for searching with {@code metric}'s own distance. */
    SearchContext(VectorStore vectors, Metric metric, int capacity, int maxDegree) {
        this(vectors.scorer(metric), vectors.scorer(metric), metric, capacity, maxDegree);
    }

    /**
     * Context whose scorers may differ from the metric's search distance (construction of an
     * inner-product index uses {@link MipsBuildScorer} and prunes with the L2 rule).
     */
    SearchContext(QueryScorer scorer, QueryScorer pairScorer, Metric pruneMetric, int capacity, int maxDegree) {
        this.scorer = scorer;
        this.queue = new NeighborQueue(128);
        this.visited = new VisitedSet(capacity);
        this.prune = new RobustPrune(pruneMetric, pairScorer);
        this.pruneOut = new int[maxDegree + 1];
    }

}
