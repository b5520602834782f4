package io.diskann.graph;

import java.util.concurrent.locks.Lock;

/**
 * The operations on how an index's storage is laid out and what searches walk on: {@link
 * VamanaIndex#reorder} and {@link VamanaIndex#setTraversal}, and fitting the codes of an index filled by
 * inserts. Each takes the locks it needs.
 */
final class StorageLayout {

    private StorageLayout() {
    }

    /** See {@link VamanaIndex#reorder}: both locks exclusively, so nothing runs while rows move. */
    static void reorder(GraphState state) {
        Lock m = state.mutationLock.writeLock();
        m.lock();
        try {
            Lock w = state.lock.writeLock();
            w.lock();
            try {
                state.ensureOpen();
                int count = state.slots.highWater();
                if (count > 0 && state.start >= 0) {
                    GraphReorder.apply(state, GraphReorder.bfsOrder(state.graph, state.slots, count, state.start));
                }
            } finally {
                w.unlock();
            }
        } finally {
            m.unlock();
        }
    }

    /** See {@link VamanaIndex#setTraversal}: mutations wait, searches go on until the codes are swapped. */
    static void setTraversal(GraphState state, Traversal t) {
        Lock m = state.mutationLock.writeLock();
        m.lock();
        try {
            state.ensureOpen();
            state.traversal = t;
            if (t == Traversal.EXACT || !state.quantizable()) {
                state.installCodes(null);
            } else {
                state.fitCodesIfWanted(1);
            }
        } finally {
            m.unlock();
        }
    }

    /**
     * An index filled by inserts alone fits its traversal codes, and its scan bounds ({@link ScanBounds}), once it
     * holds enough vectors.
     */
    static int fitCodesAfterInsert(GraphState state, int id) {
        if (state.codes == null && state.traversal == Traversal.SQ8 && state.quantizable()
                && state.slots.liveCount() >= TraversalCodes.FIT_AFTER) {
            Lock m = state.mutationLock.writeLock();
            m.lock();
            try {
                if (state.codes == null && !state.closed) {
                    state.fitCodesIfWanted(TraversalCodes.FIT_AFTER);
                }
            } finally {
                m.unlock();
            }
        }
        if (state.scanBoundsPending()) {
            Lock m = state.mutationLock.writeLock();
            m.lock();
            try {
                state.fitScanBoundsIfWanted();
            } finally {
                m.unlock();
            }
        }
        return id;
    }
}
