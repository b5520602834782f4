package io.diskann.graph;

/**
 * What a label-aware graph build (Filtered-Vamana, in diskann-filter) tells the linker, by vector id:
 * where the search for a new vector starts (the start points of its labels), which nodes that search may
 * pass through (those sharing a label with it), and which kept neighbour may occlude a candidate in
 * robust prune (one that carries every label the candidate and the node share). With the default of no
 * constraint the build is plain Vamana.
 *
 * <p>Why a seam and not labels in the core: the graph code stays free of label types (as it is free of
 * vector types through the scorers), and the filter module owns the labels' storage and semantics
 * (universal label, unlabeled vectors). Called from build and insert threads at once: implementations
 * must be thread-safe and fast (the occlusion test runs once per candidate pair in every prune).
 */
public interface LinkConstraint {

    /**
     * The most start points {@link #startPoints} returns.
     *
     * @return the bound
     */
    int maxStartPoints();

    /**
     * The ids the search for vector {@code id} starts from (one per label, say).
     *
     * @param id the vector being linked
     * @param out receives the start points' ids (room for {@link #maxStartPoints()})
     * @return how many were written; 0 starts from the graph's start point
     */
    int startPoints(int id, int[] out);

    /**
     * Whether the search for vector {@code id} may pass through vector {@code other}.
     *
     * @param id the vector being linked
     * @param other a node reached by that search
     * @return true to score and follow it
     */
    boolean shares(int id, int other);

    /**
     * Whether, pruning the list of {@code id}, the kept neighbour {@code occluder} may occlude
     * {@code candidate}.
     *
     * @param id the node whose list is pruned
     * @param occluder a neighbour already kept
     * @param candidate a candidate further away
     * @return true if the usual distance rule may drop {@code candidate} because of {@code occluder}
     */
    boolean mayOcclude(int id, int occluder, int candidate);
}
