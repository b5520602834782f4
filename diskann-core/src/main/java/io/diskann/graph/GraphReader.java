package io.diskann.graph;

/**
 * Reads neighbour lists for one searcher. A search round first announces the beam of nodes it is about
 * to expand ({@link #fetch}), so a reader backed by storage can read them all at once (in parallel),
 * then asks for each node's neighbours ({@link #neighbors}). An in-memory reader needs no fetch. A reader
 * that is {@link #asynchronous} is instead asked for one node at a time ({@link #submit}) and hands the
 * lists back in that order ({@link #next}), so the search keeps W reads in flight.
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
     * Whether this reader reads asynchronously: {@link #submit} starts a read and {@link #next} hands the
     * lists back in the order they were asked for, so a search scores one node's neighbours while the reads
     * of the others are in flight (a pipelined beam: W reads stay in flight instead of W per round). Default false: the search
     * reads in rounds through {@link #fetch}.
     *
     * @return true if {@link #submit} and {@link #next} may be used
     */
    default boolean asynchronous() {
        return false;
    }

    /**
     * Starts reading {@code node}'s list (only when {@link #asynchronous()}; the caller keeps at most the beam
     * width in flight).
     *
     * @param node the node ordinal about to be expanded
     */
    default void submit(int node) {
        throw new UnsupportedOperationException("this reader reads in rounds (fetch)");
    }

    /**
     * Waits until the oldest submitted node not yet handed out has arrived and returns it (so the order is
     * the order of {@link #submit}, whatever order the reads finish in: the search's path then depends on
     * the data only); {@link #neighbors} gives that node's list until the next call of {@link #submit} or
     * {@code next}.
     *
     * @return the node ordinal whose list is ready
     */
    default int next() {
        throw new UnsupportedOperationException("this reader reads in rounds (fetch)");
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
