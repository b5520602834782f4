package io.diskann.graph;

import java.util.Arrays;

/**
 * Which nodes a search has already scored, reset in O(1) between queries.
 *
 * <p>Each slot holds the epoch in which it was last visited; clearing bumps the epoch, so a query never
 * pays to wipe a bitmap as large as the index. Only when the 32-bit epoch wraps (after 4 billion queries
 * on one thread) is the array zeroed. Per-thread scratch; not thread-safe.
 */
final class VisitedSet {

    private int[] marks;
    private int epoch = 1;

    VisitedSet(int capacity) {
        marks = new int[Math.max(1, capacity)];
    }

    /** Forgets every visit; grows to hold ids below {@code capacity}. */
    void clear(int capacity) {
        if (capacity > marks.length) {
            marks = new int[Math.max(capacity, marks.length + (marks.length >> 1))];
            epoch = 1;
            return;
        }
        if (++epoch == 0) {
            Arrays.fill(marks, 0);
            epoch = 1;
        }
    }

    /** Marks {@code id} visited; returns true if it was not visited before in this epoch. */
    boolean visit(int id) {
        if (marks[id] == epoch) {
            return false;
        }
        marks[id] = epoch;
        return true;
    }

}
