package io.diskann.graph;

import io.diskann.vector.VectorStore;
import java.util.concurrent.locks.Lock;

/**
 * Insert, delete, update and consolidate on a {@link GraphState} (FreshDiskANN). Kept apart from
 * {@link VamanaIndex} so the search path and the mutation path each stay readable.
 *
 * <p>Insert: reserve a slot (growing the storage under the exclusive lock when full), store the vector,
 * link it with {@link GraphLinker} while the slot is PENDING (traversable but never returned), then
 * publish it. Update is an insert that, when published, atomically re-points the id to the new slot and
 * marks the old slot deleted. Delete marks the slot deleted. Consolidate runs {@link Consolidator} under
 * the exclusive lock.
 */
final class IndexMutations {

    private final GraphState state;
    private final ThreadLocal<GraphLinker.Scratch> scratch;

    IndexMutations(GraphState state) {
        this.state = state;
        this.scratch = ThreadLocal.withInitial(() -> state.linker().newScratch(Math.max(1, state.slots.capacity())));
    }

    /** Inserts (or, with {@code replace}, updates) {@code label}'s vector; a negative label asks for a new one. */
    int insert(int label, float[] vector, boolean replace) {
        VectorStore.checkVector(state.type, state.dimensions, vector);
        int published;
        while (true) {
            Lock r = state.lock.readLock();
            r.lock();
            try {
                SlotTable slots = state.slots;
                long reserved = replace ? slots.reserveReplacement(label) : slots.reserve(label);
                if (reserved != -1) {
                    int slot = (int) reserved;
                    int id = (int) (reserved >>> 32);
                    published = link(slots, slot, vector, replace);
                    if (published < 0) {
                        throw new IllegalArgumentException("unknown id " + label + ": deleted while it was being updated");
                    }
                    return id;
                }
            } finally {
                r.unlock();
            }
            Lock w = state.lock.writeLock();
            w.lock();
            try {
                if (!state.slots.hasFreeSlot()) {
                    state.grow(state.slots.capacity() + 1);
                }
            } finally {
                w.unlock();
            }
        }
    }

    /** Stores, links and publishes a reserved slot; returns the slot, or -1 if an update lost its id. */
    private int link(SlotTable slots, int slot, float[] vector, boolean replace) {
        try {
            state.vectors.set(slot, vector);
            if (state.mips != null) {
                state.mips.add(state.vectors, slot);
            }
            synchronized (state) {
                if (state.start < 0) {
                    // the very first vector: nothing to link to; it becomes the start point
                    state.graph.set(slot, new int[0], 0);
                    state.start = slot;
                    return slots.publish(slot, replace) ? slot : -1;
                }
            }
            GraphLinker linker = state.linker();
            linker.link(scratch.get(), slot, state.start, slots.capacity());
        } catch (RuntimeException | Error e) {
            slots.abandon(slot);
            throw e;
        }
        boolean published = slots.publish(slot, replace);
        state.refreshEntryPointsAfterInsert();
        return published ? slot : -1;
    }

    void delete(int label) {
        boolean consolidate;
        Lock r = state.lock.readLock();
        r.lock();
        try {
            state.slots.delete(label);
            float threshold = state.params.consolidateThreshold();
            int deleted = state.slots.deletedCount();
            consolidate = threshold > 0 && deleted >= threshold * (deleted + state.slots.liveCount());
        } finally {
            r.unlock();
        }
        if (consolidate) {
            consolidate();
        }
    }

    int consolidate() {
        Lock w = state.lock.writeLock();
        w.lock();
        try {
            if (state.slots.deletedCount() == 0) {
                return 0;
            }
            int deleted = state.slots.deletedCount();
            Consolidator c = new Consolidator(state.vectors, state.params, state.graph, state.slots, state.linker());
            state.start = c.run(state.start);
            state.chooseEntryPoints(); // entry points may have been freed
            return deleted;
        } finally {
            w.unlock();
        }
    }
}
