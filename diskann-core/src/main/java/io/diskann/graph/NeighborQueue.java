package io.diskann.graph;

/**
 * The search list of greedy search: at most {@code L} candidates sorted by distance, with a cursor on the
 * closest one not yet expanded (DiskANN's {@code NeighborPriorityQueue}).
 *
 * <p>Why sorted array instead of heaps: L is small (tens to hundreds), insertion is a binary search plus
 * one {@code System.arraycopy}, and "closest unexpanded" is a cursor that only moves backwards when a
 * closer candidate arrives. Each entry is packed into one {@code long}: the distance's order-preserving
 * integer image in the high 32 bits, the node id in the low 32, so sorting by the long sorts by distance
 * (ties by id) and a shift moves one array, not two. Reused across queries; not thread-safe.
 */
final class NeighborQueue {

    private long[] entries;
    private boolean[] expanded;
    private int capacity;
    private int size;
    private int cursor;

    NeighborQueue(int initialCapacity) {
        entries = new long[Math.max(1, initialCapacity)];
        expanded = new boolean[entries.length];
    }

    /** Empties the queue and sets its capacity L, growing storage only if needed. */
    void reset(int newCapacity) {
        if (newCapacity > entries.length) {
            entries = new long[newCapacity];
            expanded = new boolean[newCapacity];
        }
        capacity = newCapacity;
        size = 0;
        cursor = 0;
    }

    /** Order-preserving map from float to int: negative floats are flipped so that signed ints compare alike. */
    static int sortableBits(float value) {
        int bits = Float.floatToRawIntBits(value);
        return bits ^ ((bits >> 31) & 0x7FFFFFFF);
    }

    static float fromSortableBits(int sortable) {
        return Float.intBitsToFloat(sortable ^ ((sortable >> 31) & 0x7FFFFFFF));
    }

    /** Whether {@link #insert} would keep a candidate with this id and distance (without inserting it). */
    boolean wouldInsert(int id, float distance) {
        return size < capacity
                || (((long) sortableBits(distance) << 32) | (id & 0xFFFFFFFFL)) < entries[size - 1];
    }

    /**
     * Offers a candidate; it is kept if the queue is not full or it is closer than the farthest one, which
     * then drops out.
     *
     * @return whether the candidate was inserted
     */
    boolean insert(int id, float distance) {
        long key = ((long) sortableBits(distance) << 32) | (id & 0xFFFFFFFFL);
        if (size == capacity && key >= entries[size - 1]) {
            return false;
        }
        int lo = 0;
        int hi = size;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (entries[mid] < key) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        int moved = (size == capacity ? size - 1 : size) - lo;
        if (moved > 0) {
            System.arraycopy(entries, lo, entries, lo + 1, moved);
            System.arraycopy(expanded, lo, expanded, lo + 1, moved);
        }
        entries[lo] = key;
        expanded[lo] = false;
        if (size < capacity) {
            size++;
        }
        if (lo < cursor) {
            cursor = lo;
        }
        return true;
    }

    /** Whether some candidate in the list has not been expanded yet. */
    boolean hasUnexpanded() {
        return cursor < size;
    }

    /** Index of the closest unexpanded candidate; marks it expanded and advances the cursor. */
    int pollClosestUnexpanded() {
        int index = cursor;
        expanded[index] = true;
        int c = index + 1;
        while (c < size && expanded[c]) {
            c++;
        }
        cursor = c;
        return index;
    }

    int size() {
        return size;
    }

    int capacity() {
        return capacity;
    }

    int id(int index) {
        return (int) entries[index];
    }

    float distance(int index) {
        return fromSortableBits((int) (entries[index] >> 32));
    }


    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("NeighborQueue[");
        for (int i = 0; i < size; i++) {
            sb.append(i == 0 ? "" : ", ").append(id(i)).append(':').append(distance(i)).append(expanded[i] ? "*" : "");
        }
        return sb.append(']').toString();
    }
}
