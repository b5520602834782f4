package io.diskann.graph;

import java.util.Arrays;

/**
 * Which nodes a search has already scored, reset between queries at the cost of what the query touched.
 *
 * <p>Dense mode (graphs up to {@link #DENSE_LIMIT} nodes): one bit per node, and the list of 64-bit words
 * the query set, so clearing zeroes only those (or the whole array when the query set more than an
 * eighth of them).
 * Why bits rather than one int per node stamped with a query epoch (hnswlib's way, and ours before): at
 * 1M nodes the int array is 4 MiB per searcher, past this host's 512 KiB L2, and a search checks every
 * neighbour of every expanded node against it (a build's insert about 10,000 times); the bits are
 * 122 KiB and stay in L2. Sparse mode (larger graphs, e.g. an SSD-resident index of a billion nodes,
 * where even a bit per node per searcher would be large): an open-addressing hash set of the visited
 * ids, each slot stamped with the query's epoch, sized to what one query visits. Per-searcher scratch;
 * not thread-safe.
 */
final class VisitedSet {

    /** Largest node bound kept dense: 16M nodes, 2 MiB per searcher. */
    static final int DENSE_LIMIT = 1 << 24;

    /** Dense mode: bit {@code id & 63} of word {@code id >>> 6}; null in sparse mode. */
    private long[] bits;
    /** Dense mode: words set since the last clear, while they fit; past that, {@link #clearAll}. */
    private int[] dirty;
    private int dirtyCount;
    private boolean clearAll;
    /** Sparse mode: the epoch each hash slot was last written in. */
    private int[] marks;
    private int epoch = 1;
    /** Sparse mode: ids at each hash slot (valid where {@code marks[i] == epoch}). */
    private int[] keys;
    private int size;
    private int mask;

    /** Bytes a set for node bound {@code bound} holds: the bits and the dirty list, or the sparse hash at its start size. */
    static long bytesFor(int bound) {
        if (bound > DENSE_LIMIT) {
            return 2L * Integer.BYTES * (1 << 12);
        }
        long words = (Math.max(1, bound) + 63L) >>> 6;
        return 8 * words + Integer.BYTES * Math.max(16, words >>> 3);
    }

    VisitedSet(int bound) {
        if (bound > DENSE_LIMIT) {
            initSparse(1 << 12);
        } else {
            initDense(bound);
        }
    }

    private void initDense(int bound) {
        bits = new long[(Math.max(1, bound) + 63) >>> 6];
        // a query touching more than an eighth of the words clears them all: one fill is cheaper then
        dirty = new int[Math.max(16, bits.length >>> 3)];
        dirtyCount = 0;
        clearAll = false;
    }

    private void initSparse(int slots) {
        bits = null;
        keys = new int[slots];
        marks = new int[slots];
        mask = slots - 1;
        size = 0;
        epoch = 1;
    }

    /** Forgets every visit; from now on ids below {@code bound} may be visited. */
    void clear(int bound) {
        if (keys == null) {
            if (bound > DENSE_LIMIT) {
                initSparse(1 << 12);
            } else if (bound > (bits.length << 6)) {
                initDense(Math.max(bound, (bits.length << 6) + (bits.length << 5)));
            } else if (clearAll) {
                Arrays.fill(bits, 0L);
                clearAll = false;
                dirtyCount = 0;
            } else {
                long[] b = bits;
                int[] d = dirty;
                for (int i = 0; i < dirtyCount; i++) {
                    b[d[i]] = 0L;
                }
                dirtyCount = 0;
            }
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
        int w = id >>> 6;
        long bit = 1L << id;
        long word = bits[w];
        if ((word & bit) != 0) {
            return false;
        }
        if (word == 0L) {
            if (dirtyCount < dirty.length) {
                dirty[dirtyCount++] = w;
            } else {
                clearAll = true;
            }
        }
        bits[w] = word | bit;
        return true;
    }

    /** Whether {@code id} was visited in this epoch (without marking it). */
    boolean contains(int id) {
        if (keys == null) {
            return (bits[id >>> 6] & (1L << id)) != 0;
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
