package io.diskann.graph;

/**
 * Reads neighbour lists for one searcher. A search round first announces the beam of nodes it is about
 * to expand ({@link #fetch}), so a reader backed by storage can read them all at once (in parallel),
 * then asks for each node's neighbours ({@link #neighbors}). An in-memory reader needs no fetch.
 *
 * <p>Not thread-safe; one per searcher. Readers of a graph that changes concurrently (inserts) may
 * return an older or a newer list, but always valid node ids.
 */
public interface GraphReader extends AutoCloseable {

    /**
     * Makes the lists of {@code nodes[0..count)} ready for {@link #neighbors}; the nodes of one search
     * round (the beam). Default: nothing to do.
     *
     * @param nodes the node ordinals about to be expanded
     * @param count how many entries of {@code nodes} to fetch
     */
    default void fetch(int[] nodes, int count) {
    }

    /**
     * Copies the out-neighbours of {@code node} into {@code out} (at least {@link Graph#maxDegree()}
     * long) and returns how many there are.
     *
     * @param node the node ordinal
     * @param out receives the neighbour ordinals
     * @return the number of neighbours written
     */
    int neighbors(int node, int[] out);

    /** Releases buffers or reads in flight. Default: nothing to release. */
    @Override
    default void close() {
    }
}
