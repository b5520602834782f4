package io.diskann.graph;

/**
 * Receives construction progress, so applications and the CLI can show a progress bar. Called from
 * worker threads, at most about a thousand times per build; implementations must be thread-safe and fast.
 */
@FunctionalInterface
public interface BuildListener {

    /**
     * {@code done} of {@code total} nodes have been inserted.
     *
     * @param done nodes inserted so far
     * @param total nodes the build inserts
     */
    void progress(int done, int total);

    /** A listener that ignores progress. */
    BuildListener NONE = (done, total) -> { };
}
