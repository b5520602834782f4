package io.diskann.graph;

import io.diskann.vector.VectorStore;
import java.util.concurrent.locks.Lock;

/**
 * A {@link VamanaIndex}'s storage seen by storage ordinal, for structures indexed like it: diskann-pq
 * keeps a PQ code per ordinal and attaches itself as a {@link SlotCompanion} so it hears of every stored
 * vector before the vector becomes visible; the SSD-resident index lays its nodes out from the graph and
 * maps ordinals back to ids. Kept apart from the index's own API because an ordinal is a storage detail
 * that users of ids never need. Thread-safe: every method may be called beside searches and mutations
 * (read {@link #graph} only while nothing mutates, as it says).
 */
public final class StorageOrdinals {

    private final GraphState state;

    StorageOrdinals(GraphState state) {
        this.state = state;
    }

    /**
     * The vector storage, for companion structures indexed like it (diskann-pq encodes every ordinal
     * below {@link #limit}). Read-only for callers: write through {@link VamanaIndex#insert} and
     * {@link VamanaIndex#update}.
     *
     * @return the index's vector store
     */
    public VectorStore vectors() {
        return state.vectors;
    }

    /**
     * One past the largest storage ordinal in use (live, deleted or freed).
     *
     * @return the ordinal high-water mark
     */
    public int limit() {
        return state.slots.highWater();
    }

    /**
     * The graph as the search seam sees it: storage ordinals, entry points, a reader of neighbour lists.
     * For index kinds built from this one (the SSD-resident index writes its nodes from it); read it while
     * no insert, update, delete or consolidation runs.
     *
     * @return this index's graph
     */
    public Graph graph() {
        state.ensureOpen();
        return state;
    }

    /**
     * The id of the vector at storage ordinal {@code ordinal}.
     *
     * @param ordinal a storage ordinal below {@link #limit}
     * @return its id, or -1 if the ordinal is free or out of range
     */
    public int idAt(int ordinal) {
        if (ordinal < 0 || ordinal >= state.slots.highWater()) {
            return -1;
        }
        int st = state.slots.state(ordinal);
        return st == SlotTable.LIVE || st == SlotTable.DELETED ? state.slots.labelOf(ordinal) : -1;
    }

    /**
     * Whether the vector at storage ordinal {@code ordinal} is live (searchable).
     *
     * @param ordinal a storage ordinal; any value is accepted
     * @return true if it holds a live vector
     */
    public boolean isLive(int ordinal) {
        return ordinal >= 0 && ordinal < state.slots.highWater() && state.slots.isLive(ordinal);
    }

    /**
     * Attaches per-slot data kept by another structure (diskann-pq's codes): it is brought up to date
     * now, then told about every vector stored before the vector becomes visible, and grown with the
     * index. Waits for running inserts, updates and deletes.
     *
     * @param companion the structure to keep up to date
     * @throws IllegalArgumentException if {@code companion} is null
     * @throws IllegalStateException if the index is closed
     */
    public void attach(SlotCompanion companion) {
        if (companion == null) {
            throw new IllegalArgumentException("companion is null");
        }
        Lock m = state.mutationLock.writeLock();
        m.lock();
        try {
            state.ensureOpen();
            state.addCompanion(companion);
        } finally {
            m.unlock();
        }
    }

    /**
     * Detaches a companion attached with {@link #attach}.
     *
     * @param companion the companion to stop telling about stored vectors
     */
    public void detach(SlotCompanion companion) {
        Lock m = state.mutationLock.writeLock();
        m.lock();
        try {
            state.removeCompanion(companion);
        } finally {
            m.unlock();
        }
    }
}
