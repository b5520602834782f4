package io.diskann.graph;

/**
 * What a graph search walks: entry points, and neighbour lists read through a {@link GraphReader}. The
 * one search loop ({@link GraphSearch}) runs over any implementation: the in-memory adjacency of a
 * {@link VamanaIndex}, and the SSD-resident index, whose reader fetches a beam of nodes with parallel
 * sector reads.
 *
 * <p>Node ids here are internal ordinals (storage slots), dense in {@code [0, nodeBound())}; user-visible
 * ids are the index's business.
 */
public interface Graph {

    /**
     * The most neighbours any node has; readers' callers size their buffers by it.
     *
     * @return the largest out-degree a neighbour list can have
     */
    int maxDegree();

    /**
     * Every node is below this bound (searches size their visited sets by it).
     *
     * @return one more than the largest node ordinal
     */
    int nodeBound();

    /**
     * Where searches start: at least one node, the first being the graph's start point.
     *
     * @return the entry node ordinals
     */
    int[] entryPoints();

    /**
     * Per-searcher reading state (buffers, open reads); one per searcher, not thread-safe.
     *
     * @return a new reader
     */
    GraphReader reader();
}
