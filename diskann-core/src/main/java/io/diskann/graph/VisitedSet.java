package io.diskann.graph;

import java.util.Arrays;

/**
 * Which nodes a search has already scored, reset in O(1) between queries.
 *
 * <p>Dense mode (graphs up to {@link #DENSE_LIMIT} nodes): one int per node holding the epoch in which it
 * was last visited; clearing bumps the epoch, so a query never pays to wipe an array as large as the
 * index. Only when the 32-bit epoch wraps (after 4 billion queries) is the array zeroed. Sparse mode
 * (larger graphs, e.g. an SSD-resident index of a billion nodes, where 4 bytes per node per searcher
 * would be gigabytes): an open-addressing hash set of the visited ids, with the same epoch trick per
 * slot, sized to what one query visits. Per-searcher scratch; not thread-safe.
 */
final class VisitedSet {

    /** Largest node bound kept dense: 16M nodes, 64 MiB per searcher. */
    static final int DENSE_LIMIT = 1 << 24;

    private int[] marks;
    private int epoch = 1;
    /** Sparse mode: ids at each hash slot (valid where {@code marks[i] == epoch}). */
    private int[] keys;
    private int size;
    private int mask;

    VisitedSet(int bound) {
        if (bound > DENSE_LIMIT) {
            initSparse(1 << 12);
        } else {
            marks = new int[Math.max(1, bound)];
        }
    }

    private void initSparse(int slots) {
        keys = new int[slots];
        marks = new int[slots];
        mask = slots - 1;
        size = 0;
        epoch = 1;
    }

    /** Forgets every visit; from now on ids below {@code bound} may be visited. */
    void clear(int bound) {
        if (keys == null && bound > DENSE_LIMIT) {
            initSparse(1 << 12);
            return;
        }
        if (keys == null && bound > marks.length) {
            marks = new int[Math.max(bound, marks.length + (marks.length >> 1))];
            epoch = 1;
            return;
        }
        size = 0;
        if (++epoch == 0) {
            Arrays.fill(marks, 0);
            epoch = 1;
        }
    }

    /** Marks {@code id} visited; returns true if it was not visited before in this epoch. */
    boolean visit(int id) {
        if (keys != null) {
            return visitSparse(id);
        }
        if (marks[id] == epoch) {
            return false;
        }
        marks[id] = epoch;
        return true;
    }

    /** Whether {@code id} was visited in this epoch (without marking it). */
    boolean contains(int id) {
        if (keys == null) {
            return marks[id] == epoch;
        }
        int slot = mix(id) & mask;
        while (marks[slot] == epoch) {
            if (keys[slot] == id) {
                return true;
            }
            slot = (slot + 1) & mask;
        }
        return false;
    }

    private boolean visitSparse(int id) {
        int slot = mix(id) & mask;
        while (marks[slot] == epoch) {
            if (keys[slot] == id) {
                return false;
            }
            slot = (slot + 1) & mask;
        }
        keys[slot] = id;
        marks[slot] = epoch;
        if (++size * 2 > keys.length) {
            grow();
        }
        return true;
    }

    private void grow() {
        int[] oldKeys = keys;
        int[] oldMarks = marks;
        int oldEpoch = epoch;
        initSparse(oldKeys.length * 2);
        for (int i = 0; i < oldKeys.length; i++) {
            if (oldMarks[i] == oldEpoch) {
                visitSparse(oldKeys[i]);
            }
        }
    }

    private static int mix(int id) {
        int h = id * 0x9E3779B9;
        return h ^ (h >>> 16);
    }
}
