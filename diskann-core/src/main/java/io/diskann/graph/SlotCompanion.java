package io.diskann.graph;

import io.diskann.vector.VectorStore;

/**
 * Per-slot data kept beside a {@link VamanaIndex}'s vectors by another structure (diskann-pq keeps PQ
 * codes this way; filters will keep labels): the index tells it about every vector it stores, before
 * that slot is linked into the graph or visible to any search, and grows it with its own storage.
 *
 * <p>Why a hook: a companion that wrote its data after the index had published the slot would leave a
 * window in which searches score a new node with its slot's previous occupant's code, and two
 * concurrent updates of one id could each write the other's slot. Writing inside the index's insert
 * closes both: the slot is private to its insert until then.
 *
 * <p>Attach with {@link StorageOrdinals#attach}; calls arrive from the inserting threads, concurrently for
 * distinct slots.
 */
public interface SlotCompanion {

    /**
     * Brings the companion up to date with every slot below {@code ordinalLimit} of {@code vectors}; called
     * once by {@link StorageOrdinals#attach}, while no insert, update or delete can run.
     *
     * @param vectors the index's vectors
     * @param ordinalLimit every slot below it may hold a vector
     */
    void synchronize(VectorStore vectors, int ordinalLimit);

    /**
     * {@code vector} was stored at {@code slot}; the slot is not yet reachable by any search.
     *
     * @param slot the storage slot
     * @param vector the vector stored there (validated; do not keep or modify it)
     */
    void stored(int slot, float[] vector);

    /**
     * Makes room for slots below {@code capacity}: does the slow part now and returns the step that
     * installs it, which runs while no search or insert runs (as {@link VectorStore#prepareCapacity}).
     *
     * @param capacity slots wanted
     * @return the install step
     */
    Runnable prepareCapacity(int capacity);

    /**
     * The index renumbered its slots ({@link VamanaIndex#reorder}): slot {@code j} now holds the vector
     * slot {@code order[j]} held, for {@code j < count}. Called while nothing else runs on the index.
     *
     * @param order where each slot's new contents come from
     * @param count number of slots renumbered
     */
    void reordered(int[] order, int count);
}
