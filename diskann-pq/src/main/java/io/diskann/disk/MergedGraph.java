package io.diskann.disk;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * The partitioned build's merged graph, off the JVM heap: {@code stride} neighbour slots per vector (R
 * plus DiskANN's 1.3 R slack) and a 16-bit degree, indexed by {@code long}.
 *
 * <p>Why off-heap: this graph is the largest thing the partitioned build holds, 4 x ceil(1.3 R) bytes per
 * vector (336 bytes at R = 64), more than a 128-d u8 vector itself (128 bytes). In a heap {@code int[]}
 * it made a u8 build whose vectors exceed {@code -Xmx} impossible (5M x 128 u8: 1.68 GB of graph against
 * 610 MB of vectors), and {@code n * stride} overflowed an int index past ~25M vectors. Here the heap
 * holds a few bytes per vector (see {@link DiskIndexBuilder}) and the process holds the graph, as
 * DiskANN's own merge does.
 *
 * <p>Not synchronized: readers and writers of one vector's list hold its lock ({@link GraphRefiner}), and
 * the merge writes each vector from one thread. Memory is freed by {@link #close()}; the segment is
 * shared, so any thread may read it until then.
 */
final class MergedGraph implements AutoCloseable {

    private static final ValueLayout.OfInt ID = ValueLayout.JAVA_INT;
    private static final ValueLayout.OfShort DEGREE = ValueLayout.JAVA_SHORT;

    private final Arena arena = Arena.ofShared();
    private final MemorySegment lists;
    private final MemorySegment degrees;
    private final int count;
    private final int stride;

    /**
     * An empty graph (every degree 0).
     *
     * @param count vectors
     * @param stride neighbour slots per vector, at most 65535
     */
    MergedGraph(int count, int stride) {
        if (count <= 0 || stride <= 0 || stride > 0xffff) {
            throw new IllegalArgumentException("count and stride must be positive (stride <= 65535), got "
                    + count + " and " + stride);
        }
        this.count = count;
        this.stride = stride;
        this.lists = arena.allocate((long) count * stride * Integer.BYTES, 64); // zeroed
        this.degrees = arena.allocate((long) count * Short.BYTES, 8);
    }

    int count() {
        return count;
    }

    int stride() {
        return stride;
    }

    /** Off-heap bytes held. */
    long bytes() {
        return lists.byteSize() + degrees.byteSize();
    }

    int degree(int v) {
        return Short.toUnsignedInt(degrees.getAtIndex(DEGREE, v));
    }

    private long base(int v) {
        return (long) v * stride * Integer.BYTES;
    }

    int neighbor(int v, int j) {
        return lists.get(ID, base(v) + (long) j * Integer.BYTES);
    }

    /** Copies {@code v}'s list into {@code out}; returns its length. */
    int copyList(int v, int[] out) {
        int d = degree(v);
        MemorySegment.copy(lists, ID, base(v), out, 0, d);
        return d;
    }

    /** Replaces {@code v}'s list with {@code ids[0..n)}. */
    void setList(int v, int[] ids, int n) {
        if (n > stride) {
            throw new IllegalArgumentException("list of " + n + " exceeds the stride " + stride);
        }
        MemorySegment.copy(ids, 0, lists, ID, base(v), n);
        degrees.setAtIndex(DEGREE, v, (short) n);
    }

    /** Appends {@code id} to {@code v}'s list if there is room; returns whether it did. */
    boolean append(int v, int id) {
        int d = degree(v);
        if (d >= stride) {
            return false;
        }
        lists.set(ID, base(v) + (long) d * Integer.BYTES, id);
        degrees.setAtIndex(DEGREE, v, (short) (d + 1));
        return true;
    }

    boolean contains(int v, int id) {
        int d = degree(v);
        long b = base(v);
        for (int j = 0; j < d; j++) {
            if (lists.get(ID, b + (long) j * Integer.BYTES) == id) {
                return true;
            }
        }
        return false;
    }

    /** Whether {@code v}'s list is exactly {@code ids[0..n)}. */
    boolean sameList(int v, int[] ids, int n) {
        if (degree(v) != n) {
            return false;
        }
        long b = base(v);
        for (int j = 0; j < n; j++) {
            if (lists.get(ID, b + (long) j * Integer.BYTES) != ids[j]) {
                return false;
            }
        }
        return true;
    }

    /** The largest degree. */
    int maxDegree() {
        int max = 0;
        for (int v = 0; v < count; v++) {
            max = Math.max(max, degree(v));
        }
        return max;
    }

    @Override
    public void close() {
        arena.close();
    }
}
