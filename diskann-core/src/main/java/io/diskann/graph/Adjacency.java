package io.diskann.graph;

import java.util.Arrays;

/**
 * Out-neighbour lists of every node in one flat {@code int[]}: node {@code i} owns the slice
 * {@code [i * stride, (i + 1) * stride)}, whose first int is the degree and the rest the neighbour ids.
 *
 * <p>Why flat: no object per node, one bounds-checked array, and a node's list is one contiguous run of
 * memory. {@code stride - 1} is the slack degree ({@code ceil(slack * R)}), so back edges can be appended
 * without pruning every time, during construction and for later inserts alike.
 *
 * <p>It is the in-memory {@link GraphReader}: stateless, so every searcher shares it.
 *
 * <p>Thread-safety: writers serialise per node through {@link #lockFor}. Readers during construction read
 * without locks; a racy read can only see an older list or ids from an older list, all of them valid node
 * ids, which greedy search tolerates (DiskANN reads likewise). After construction completes, reads are
 * safe from any number of threads.
 */
final class Adjacency implements GraphReader {

    private static final int LOCK_STRIPES = 1 << 14;

    private int[] lists;
    private final int maxDegree;
    private final int stride;
    private final Object[] locks;

    Adjacency(int capacity, int maxDegree) {
        this.maxDegree = maxDegree;
        this.stride = maxDegree + 1;
        this.lists = new int[Math.multiplyExact(capacity, stride)];
        this.locks = new Object[LOCK_STRIPES];
        for (int i = 0; i < LOCK_STRIPES; i++) {
            locks[i] = new Object();
        }
    }

    int maxDegree() {
        return maxDegree;
    }

    int capacity() {
        return lists.length / stride;
    }

    void ensureCapacity(int minCapacity) {
        prepareCapacity(minCapacity).run();
    }

    /** Copies the lists into room for {@code minCapacity} nodes; the returned step installs the copy. */
    Runnable prepareCapacity(int minCapacity) {
        int cap = capacity();
        if (minCapacity <= cap) {
            return () -> { };
        }
        long grown = Math.max(minCapacity, cap + (cap >> 1) + 16L);
        if (grown * stride > Integer.MAX_VALUE - 16) {
            throw new IllegalArgumentException("graph of " + minCapacity + " nodes of degree " + maxDegree
                    + " exceeds one Java array");
        }
        int[] copy = Arrays.copyOf(lists, (int) grown * stride);
        return () -> lists = copy;
    }

    Object lockFor(int node) {
        return locks[node & (LOCK_STRIPES - 1)];
    }

    /** Degree of {@code node}, clamped so a racy read never indexes past the slice. */
    int degree(int node) {
        return Math.min(lists[node * stride], maxDegree);
    }

    /** Replaces {@code node}'s list with {@code count} ids from {@code ids}. Caller holds the node's lock if needed. */
    void set(int node, int[] ids, int count) {
        if (count > maxDegree) {
            throw new IllegalStateException("degree " + count + " exceeds " + maxDegree);
        }
        int base = node * stride;
        System.arraycopy(ids, 0, lists, base + 1, count);
        lists[base] = count;
    }

    /** Appends {@code id} if there is room; returns false when the list is full. Caller holds the lock. */
    boolean tryAppend(int node, int id) {
        int base = node * stride;
        int deg = lists[base];
        if (deg >= maxDegree) {
            return false;
        }
        lists[base + 1 + deg] = id;
        lists[base] = deg + 1;
        return true;
    }

    boolean contains(int node, int id) {
        int base = node * stride;
        int deg = Math.min(lists[base], maxDegree);
        for (int j = 1; j <= deg; j++) {
            if (lists[base + j] == id) {
                return true;
            }
        }
        return false;
    }

    /** Whether {@code node}'s list is exactly {@code ids[0..count)}, in that order. Caller holds the lock. */
    boolean sameAs(int node, int[] ids, int count) {
        int base = node * stride;
        if (Math.min(lists[base], maxDegree) != count) {
            return false;
        }
        return Arrays.equals(lists, base + 1, base + 1 + count, ids, 0, count);
    }

    /** Copies {@code node}'s neighbours into {@code out}; returns the count. */
    int copy(int node, int[] out) {
        int[] l = lists;
        int base = node * stride;
        int deg = Math.min(l[base], maxDegree);
        System.arraycopy(l, base + 1, out, 0, deg);
        return deg;
    }

    /** The in-heap adjacency is its own reader: lists are read in place, nothing to fetch. */
    @Override
    public int neighbors(int node, int[] out) {
        return copy(node, out);
    }

    /**
     * Renumbers nodes {@code 0..count-1}: node {@code j} afterwards has the list node {@code order[j]} had,
     * each neighbour {@code x} written as {@code newId[x]}. In place, one cycle of the permutation at a
     * time with one list held aside, so the graph is never in the heap twice: a copy of the whole array
     * was the build's peak and made the partitioned disk build's parts OOM in a 384 MiB heap (365k
     * nodes, 124 MB of lists). The caller makes sure nothing reads or writes meanwhile.
     */
    void permute(int[] order, int[] newId, int count) {
        int[] held = new int[stride];
        long[] moved = new long[(count + 63) >>> 6];
        for (int start = 0; start < count; start++) {
            if ((moved[start >>> 6] & (1L << start)) != 0) {
                continue;
            }
            System.arraycopy(lists, start * stride, held, 0, stride);
            int j = start;
            while (true) {
                moved[j >>> 6] |= 1L << j;
                int from = order[j];
                if (from == start) {
                    writeRenamed(held, 0, j, newId);
                    break;
                }
                writeRenamed(lists, from * stride, j, newId); // slot from still holds its old list
                j = from;
            }
        }
    }

    /** Writes the list at {@code src[at..]} into node {@code node}'s slice with every id renamed. */
    private void writeRenamed(int[] src, int at, int node, int[] newId) {
        int deg = Math.min(src[at], maxDegree);
        int to = node * stride;
        for (int t = 1; t <= deg; t++) {
            lists[to + t] = newId[src[at + t]];
        }
        lists[to] = deg;
    }

    long bytes() {
        return 4L * lists.length;
    }
}
