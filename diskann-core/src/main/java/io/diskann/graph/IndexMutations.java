package io.diskann.graph;

import io.diskann.vector.VectorStore;
import java.util.concurrent.locks.Lock;

/**
 * Insert, delete, update and consolidate on a {@link GraphState} (FreshDiskANN). Kept apart from
 * {@link VamanaIndex} so the search path and the mutation path each stay readable.
 *
 * <p>Insert: reserve a slot (growing the storage when full, see {@link GraphState#growBesideSearches}), store the vector,
 * link it with {@link GraphLinker} while the slot is PENDING (traversable but never returned), then
 * publish it. Update is an insert that, when published, atomically re-points the id to the new slot and
 * marks the old slot deleted. Delete marks the slot deleted. Consolidate runs {@link Consolidator}: the
 * repair phase beside searches, the freeing phase under the exclusive lock (see {@link GraphState}).
 */
final class IndexMutations {

    private final GraphState state;
    /** Linking scratch of finished inserts, reused by the next ones (bounded; no thread-locals). */
    private final io.diskann.util.ObjectPool<GraphLinker.Scratch> scratch =
            new io.diskann.util.ObjectPool<>(2 * Runtime.getRuntime().availableProcessors());

    IndexMutations(GraphState state) {
        this.state = state;
    }

    /** Inserts (or, with {@code replace}, updates) {@code label}'s vector; a negative label asks for a new one. */
    int insert(int label, float[] vector, boolean replace) {
        VectorStore.checkVector(state.type, state.dimensions, vector);
        while (true) {
            Lock m = state.mutationLock.readLock();
            m.lock();
            try {
                int id = tryInsert(label, vector, replace);
                if (id != NO_ROOM) {
                    return id;
                }
            } finally {
                m.unlock();
            }
            // out of slots: grow with the mutation lock held exclusively (searches continue meanwhile)
            Lock mw = state.mutationLock.writeLock();
            mw.lock();
            try {
                if (!state.slots.hasFreeSlot()) {
                    state.growBesideSearches(state.slots.capacity() + 1);
                }
            } finally {
                mw.unlock();
            }
        }
    }

    /** Makes room for {@code capacity} slots without stopping searches for the copy. */
    void reserve(int capacity) {
        Lock mw = state.mutationLock.writeLock();
        mw.lock();
        try {
            state.growBesideSearches(capacity);
        } finally {
            mw.unlock();
        }
    }

    private static final int NO_ROOM = Integer.MIN_VALUE;

    /** One attempt under the mutation lock: the new id, or {@link #NO_ROOM} when the storage is full. */
    private int tryInsert(int label, float[] vector, boolean replace) {
        Lock r = state.lock.readLock();
        r.lock();
        try {
            SlotTable slots = state.slots;
            long reserved = replace ? slots.reserveReplacement(label) : slots.reserve(label);
            if (reserved == -1) {
                return NO_ROOM;
            }
            int slot = (int) reserved;
            int id = (int) (reserved >>> 32);
            if (link(slots, slot, vector, replace) < 0) {
                throw new IllegalArgumentException("unknown id " + label + ": deleted while it was being updated");
            }
            return id;
        } finally {
            r.unlock();
        }
    }

    /** Stores, links and publishes a reserved slot; returns the slot, or -1 if an update lost its id. */
    private int link(SlotTable slots, int slot, float[] vector, boolean replace) {
        try {
            state.vectors.set(slot, vector);
            if (state.mips != null) {
                state.mips.add(state.vectors, slot);
            }
            // companions (PQ codes) are written before any search can reach the slot
            state.stored(slot, vector);
            synchronized (state) {
                if (state.start < 0) {
                    // the very first vector: nothing to link to; it becomes the start point
                    state.graph.set(slot, new int[0], 0);
                    state.setStart(slot);
                    return slots.publish(slot, replace) ? slot : -1;
                }
            }
            GraphLinker linker = state.linker();
            GraphLinker.Scratch s = scratch.poll();
            if (s == null) {
                s = linker.newScratch(slots.capacity());
            }
            linker.link(s, slot, state.start, slots.capacity());
            scratch.offer(s);
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
        Lock m = state.mutationLock.readLock();
        m.lock();
        try {
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
        } finally {
            m.unlock();
        }
        if (consolidate) {
            consolidate();
        }
    }

    /**
     * Repairs the graph under the shared lock (searches continue; inserts, updates and deletes wait on
     * the mutation lock), then frees the deleted slots under the exclusive lock, which waits only for
     * the searches already running.
     */
    int consolidate() {
        Lock m = state.mutationLock.writeLock();
        m.lock();
        try {
            int deleted;
            int newStart;
            int[] entryPoints;
            Consolidator c;
            Lock r = state.lock.readLock();
            r.lock();
            try {
                deleted = state.slots.deletedCount();
                if (deleted == 0) {
                    return 0;
                }
                c = new Consolidator(state.vectors, state.metric, state.params, state.graph, state.slots,
                        state.linker());
                newStart = c.repair(state.start);
                // the rewiring can leave live nodes that nothing links to any more (deleted nodes were their
                // only in-edges): give them one, searches still running (as during inserts)
                OrphanRepair.run(state.linker(), state.graph, state.slots.highWater(), state.params.maxDegree(),
                        newStart, state.constraint != null, state.params.threads(), state.slots::isLive);
                // deleted slots are not live, so the entry points chosen now stay valid after free()
                entryPoints = state.computeEntryPoints();
            } finally {
                r.unlock();
            }
            Lock w = state.lock.writeLock();
            w.lock();
            try {
                state.setStart(newStart);
                state.installEntryPoints(entryPoints);
                c.free();
                state.dropStartSamples(); // freed slots may have been sampled
            } finally {
                w.unlock();
            }
            return deleted;
        } finally {
            m.unlock();
        }
    }
}
