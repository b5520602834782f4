package io.diskann.disk;

/**
 * The sectors whose records one query has scored already, so that a second read from the same sector (a
 * sibling expanded later: the breadth-first layout puts graph neighbours in one sector) does not score its
 * sector mates again. An open-addressing set of ints cleared in O(1) by a per-query stamp; allocation-free
 * once it has grown to the largest query's size.
 *
 * <p>Not thread-safe: one per {@link DiskReader}.
 */
final class ScoredSectors {
    private int[] keys = new int[256];
    private int[] stamps = new int[256];
    private int stamp = 1;
    private int size;

    /** Empties the set. */
    void clear() {
        size = 0;
        if (++stamp == 0) { // wrapped after 2^32 queries: forget every old stamp
            java.util.Arrays.fill(stamps, 0);
            stamp = 1;
        }
    }

    /** Adds {@code sector}; returns false if it was in the set already. */
    boolean add(int sector) {
        if (2 * (size + 1) > keys.length) {
            grow();
        }
        int mask = keys.length - 1;
        for (int i = mix(sector) & mask; ; i = (i + 1) & mask) {
            if (stamps[i] != stamp) {
                stamps[i] = stamp;
                keys[i] = sector;
                size++;
                return true;
            }
            if (keys[i] == sector) {
                return false;
            }
        }
    }

    int size() {
        return size;
    }

    private void grow() {
        int[] oldKeys = keys;
        int[] oldStamps = stamps;
        int live = stamp;
        keys = new int[oldKeys.length * 2];
        stamps = new int[oldKeys.length * 2];
        stamp = 1;
        size = 0;
        for (int i = 0; i < oldKeys.length; i++) {
            if (oldStamps[i] == live) {
                add(oldKeys[i]);
            }
        }
    }

    private static int mix(int x) {
        int h = x * 0x9E3779B9;
        return h ^ (h >>> 16);
    }
}
