package io.diskann.vector;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.ref.Cleaner;
import java.nio.channels.FileChannel;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Fixed-size rows of bytes in native memory, each starting on an aligned address, held in chunks so the
 * storage can hold more than 2^31 bytes, grow without copying, and be mapped from a file.
 *
 * <p>Why: a Java array caps an index at 2^31 elements and starts 16 bytes past a cache line, so every
 * 512-bit load of a 128-dimension float row spans two lines (the kernel benchmark measured 12.4 ns
 * against 8.1 ns per distance once rows were aligned). Here row {@code r} lives in chunk
 * {@code r >>> shift} at byte offset {@code (r & mask) * stride}: one shift, one mask, one multiply.
 *
 * <ul>
 *   <li><b>Alignment.</b> The stride is the row size rounded up to the largest power of two up to 64
 *       that pads a row by at most 1/8 of its size, so rows start on cache lines wherever that is cheap:
 *       a 784-byte row takes 832, a 512-byte row (128 floats) and a 32-byte row need no padding, a
 *       100-byte row takes 112 (16-byte aligned, rather than 128).</li>
 *   <li><b>Chunks.</b> Every chunk holds {@code 2^shift} rows (about {@link #TARGET_CHUNK_BYTES}); only the
 *       last may be shorter. Growing allocates new chunks and never copies the old ones, except a short
 *       last chunk, which is copied into a longer one (at most one chunk, 64 MiB).</li>
 *   <li><b>Memory.</b> Chunks are allocated from shared {@link Arena}s, outside the Java heap (not counted
 *       by {@code -Xmx}). {@link #close()} frees them at once; a store that becomes unreachable without
 *       being closed is freed by a {@link Cleaner}. Reading a closed store throws
 *       {@link IllegalStateException}; it never crashes the JVM.</li>
 *   <li><b>Mapping.</b> {@link #map} serves the rows straight from a file region laid out with the same
 *       stride (private copy-on-write mapping: writes stay in memory, the file is never changed).</li>
 * </ul>
 *
 * <p>Byte order is little-endian by convention of every reader and writer of these rows (the file
 * formats are little-endian too, so a mapped file and memory agree).
 *
 * <p>Thread-safety: reads and writes of distinct rows are safe from any number of threads once the
 * writes they should see happened-before them. Growth must not race with writers; its copy
 * ({@link #prepareCapacity}) may overlap readers, its install (the returned step) must not.
 */
public final class ChunkedRows implements AutoCloseable {

    /** Chunk size aimed for: large enough that the chunk table is tiny, small enough to copy quickly. */
    public static final long TARGET_CHUNK_BYTES = 64L << 20;

    private static final Cleaner CLEANER = Cleaner.create();

    private final int rowBytes;
    private final int stride;
    private final int shift;
    private final int mask;
    private final Arenas arenas;
    private final Cleaner.Cleanable cleanable;
    /** Chunk table; replaced (never modified in place) by growth. */
    private MemorySegment[] chunks;
    /** The arena owning the last chunk alone (freed when that chunk is replaced), or null if it is shared. */
    private Arena lastChunkArena;
    private int capacity;
    /**
     * Whether every row's padding (bytes {@code rowBytes..stride}) is zero: true for allocated rows (zero-filled;
     * every writer writes payload only), false for rows mapped from a file, whose padding is the file's (true
     * when such rows have no padding).
     */
    private volatile boolean padsZero = true;

    /** The arenas to free, kept apart from the rows object so the cleaner does not keep it reachable. */
    private static final class Arenas implements Runnable {
        private final List<Arena> open = new ArrayList<>();

        synchronized void add(Arena a) {
            open.add(a);
        }

        synchronized void release(Arena a) {
            if (open.remove(a)) {
                a.close();
            }
        }

        @Override
        public synchronized void run() {
            for (Arena a : open) {
                a.close();
            }
            open.clear();
        }
    }

    private ChunkedRows(int rowBytes, int rowsPerChunkLog2) {
        if (rowBytes <= 0) {
            throw new IllegalArgumentException("rows must have at least one byte, got " + rowBytes);
        }
        this.rowBytes = rowBytes;
        this.stride = strideFor(rowBytes);
        this.shift = rowsPerChunkLog2;
        this.mask = (1 << shift) - 1;
        this.chunks = new MemorySegment[0];
        this.arenas = new Arenas();
        this.cleanable = CLEANER.register(this, arenas);
    }

    /**
     * Empty storage for rows of {@code rowBytes} bytes, with room for {@code capacity} rows.
     *
     * @param rowBytes payload bytes per row (at least 1)
     * @param capacity rows to allocate room for
     * @return the new rows, zero-filled
     * @throws IllegalArgumentException if {@code rowBytes} is out of range or {@code capacity} negative
     */
    public static ChunkedRows allocate(int rowBytes, int capacity) {
        ChunkedRows rows = new ChunkedRows(rowBytes, chunkShift(strideFor(rowBytes)));
        rows.ensureCapacity(capacity);
        return rows;
    }

    /**
     * Rows served from {@code count} rows of {@code file} starting at {@code offset}, laid out with this
     * class's stride for {@code rowBytes}. The mapping is private: writes stay in memory.
     *
     * @param file the file to map
     * @param offset byte offset of the first row in the file
     * @param count number of rows
     * @param rowBytes payload bytes per row
     * @return the mapped rows, with capacity {@code count}
     * @throws IOException if the file cannot be mapped
     */
    public static ChunkedRows map(FileChannel file, long offset, int count, int rowBytes) throws IOException {
        ChunkedRows rows = new ChunkedRows(rowBytes, chunkShift(strideFor(rowBytes)));
        if (count == 0) {
            return rows;
        }
        Arena arena = Arena.ofShared();
        MemorySegment mapped;
        try {
            mapped = file.map(FileChannel.MapMode.PRIVATE, offset, (long) count * rows.stride, arena);
        } catch (IOException | RuntimeException e) {
            arena.close();
            throw e;
        }
        rows.arenas.add(arena);
        long chunkBytes = (long) rows.stride << rows.shift;
        int n = (int) ((count + (long) rows.mask) >>> rows.shift);
        MemorySegment[] c = new MemorySegment[n];
        for (int i = 0; i < n; i++) {
            long from = i * chunkBytes;
            c[i] = mapped.asSlice(from, Math.min(chunkBytes, mapped.byteSize() - from));
        }
        rows.chunks = c;
        rows.capacity = count;
        rows.padsZero = rows.stride == rowBytes;
        return rows;
    }

    /**
     * Bytes between row starts for rows of {@code rowBytes} bytes (see the class comment).
     *
     * @param rowBytes payload bytes per row
     * @return the stride: {@code rowBytes} rounded up to the chosen alignment
     * @throws IllegalArgumentException if {@code rowBytes} is not in {@code 1..Integer.MAX_VALUE / 4}
     */
    public static int strideFor(int rowBytes) {
        if (rowBytes <= 0 || rowBytes > Integer.MAX_VALUE / 4) {
            throw new IllegalArgumentException("rows must have 1.." + Integer.MAX_VALUE / 4 + " bytes, got " + rowBytes);
        }
        for (int align = 64; ; align >>= 1) {
            long s = ((long) rowBytes + align - 1) / align * align;
            if (align == 1 || 8 * (s - rowBytes) <= rowBytes) {
                return (int) s;
            }
        }
    }

    private static int chunkShift(int stride) {
        long rows = Math.max(1, TARGET_CHUNK_BYTES / stride);
        return 63 - Long.numberOfLeadingZeros(rows);
    }

    /**
     * Payload bytes of a row.
     *
     * @return the row size without padding
     */
    public int rowBytes() {
        return rowBytes;
    }

    /**
     * Bytes from one row's start to the next (at least {@link #rowBytes()}).
     *
     * @return the stride in bytes
     */
    public int stride() {
        return stride;
    }

    /**
     * Whether the bytes between each row's payload and the next row are zero, so kernels may read a row over
     * whole blocks up to its stride ({@link DistanceKernels#squareDistanceU8Split}).
     *
     * @return true if every row's padding is zero
     */
    public boolean padsZero() {
        return padsZero;
    }

    /**
     * Zeroes the padding of rows {@code 0..count-1} of allocated rows; call after rows were read in bulk from a
     * file (one written elsewhere may carry anything there).
     *
     * @param count rows to clear
     * @throws IllegalArgumentException if {@code count} is negative or past the capacity
     * @throws IllegalStateException if the rows are mapped from a file and padded
     */
    public void clearPads(int count) {
        if (count < 0 || count > capacity) {
            throw new IllegalArgumentException("count must be in 0.." + capacity + ", got " + count);
        }
        if (stride == rowBytes) {
            return;
        }
        if (!padsZero) {
            throw new IllegalStateException("the padding of rows mapped from a file is the file's (never written)");
        }
        for (int r = 0; r < count; r++) {
            segment(r).asSlice(offset(r) + rowBytes, stride - rowBytes).fill((byte) 0);
        }
    }

    /**
     * Rows that can be addressed.
     *
     * @return the capacity in rows
     */
    public int capacity() {
        return capacity;
    }

    /**
     * Rows in every chunk but possibly the last.
     *
     * @return {@code 2^shift()}
     */
    public int rowsPerChunk() {
        return 1 << shift;
    }

    /**
     * Number of chunks.
     *
     * @return the length of the chunk table
     */
    public int chunkCount() {
        return chunks.length;
    }

    /**
     * Chunk {@code i}: rows {@code i * rowsPerChunk()} onwards, each {@link #stride()} bytes apart. A row's
     * padding must stay zero ({@link #padsZero()}: the split 8-bit kernel reads it): write payloads only, or call
     * {@link #clearPads} after a bulk write of whole strides.
     *
     * @param i chunk index, below {@link #chunkCount()}
     * @return the chunk's segment
     */
    public MemorySegment chunk(int i) {
        return chunks[i];
    }

    /**
     * The segment holding row {@code row} (with {@link #offset}: where in it the row starts). Write the row's
     * payload only: its padding must stay zero (see {@link #chunk}).
     *
     * @param row row index, below {@link #capacity()}
     * @return the chunk holding the row
     */
    public MemorySegment segment(int row) {
        return chunks[row >>> shift];
    }

    /**
     * Byte offset of row {@code row} within {@link #segment(int)}.
     *
     * @param row row index
     * @return the offset in bytes
     */
    public long offset(int row) {
        return (long) (row & mask) * stride;
    }

    /**
     * {@code log2(rowsPerChunk())}, for callers that inline the addressing.
     *
     * @return the shift that turns a row index into a chunk index
     */
    public int shift() {
        return shift;
    }

    /**
     * The chunk table itself, for hot loops that inline the addressing; never modify it.
     *
     * @return the current chunk table (growth replaces it, so re-read after growing)
     */
    public MemorySegment[] chunks() {
        return chunks;
    }

    /**
     * Bytes of native memory (or mapping) held.
     *
     * @return the total size of the chunks
     */
    public long bytes() {
        long b = 0;
        for (MemorySegment c : chunks) {
            b += c.byteSize();
        }
        return b;
    }

    /**
     * Grows so rows below {@code minCapacity} are addressable; see {@link #prepareCapacity}.
     *
     * @param minCapacity rows wanted
     * @throws IllegalArgumentException if {@code minCapacity} is negative
     */
    public void ensureCapacity(int minCapacity) {
        prepareCapacity(minCapacity).run();
    }

    /**
     * Allocates room for {@code minCapacity} rows now and returns the step that installs it. Full chunks
     * are never copied; a short last chunk is copied into a longer one. Between the two calls nothing may
     * write to the rows; reads may continue until the install, which must not race with them.
     *
     * @param minCapacity rows wanted
     * @return the install step (a no-op if the rows already suffice)
     * @throws IllegalArgumentException if {@code minCapacity} is negative
     */
    public Runnable prepareCapacity(int minCapacity) {
        if (minCapacity < 0) {
            throw new IllegalArgumentException("capacity must not be negative, got " + minCapacity);
        }
        if (minCapacity <= capacity) {
            return () -> { };
        }
        int rowsPerChunk = 1 << shift;
        int oldChunks = chunks.length;
        int newChunks = (int) ((minCapacity + (long) mask) >>> shift);
        MemorySegment[] grown = Arrays.copyOf(chunks, newChunks);
        List<Arena> created = new ArrayList<>();
        Arena replacedArena = null;
        Arena newLastArena = null;
        try {
            int first = oldChunks;
            if (oldChunks > 0 && chunks[oldChunks - 1].byteSize() < (long) rowsPerChunk * stride) {
                first = oldChunks - 1; // the short last chunk is re-allocated longer and copied
                replacedArena = lastChunkArena;
            }
            for (int i = first; i < newChunks; i++) {
                int rows = i < newChunks - 1 ? rowsPerChunk : minCapacity - (i << shift);
                Arena arena = Arena.ofShared();
                created.add(arena);
                grown[i] = NativeMemory.allocate(arena, (long) rows * stride);
                if (i < oldChunks) {
                    MemorySegment.copy(chunks[i], 0, grown[i], 0, chunks[i].byteSize());
                }
                newLastArena = arena;
            }
        } catch (RuntimeException | Error e) {
            created.forEach(Arena::close);
            throw e;
        }
        Arena closeAfterInstall = replacedArena;
        Arena lastArena = newLastArena;
        return () -> {
            for (Arena a : created) {
                arenas.add(a);
            }
            chunks = grown;
            capacity = minCapacity;
            lastChunkArena = lastArena;
            if (closeAfterInstall != null) {
                arenas.release(closeAfterInstall);
            }
        };
    }

    /**
     * Moves the rows in place so that row {@code j} afterwards holds what row {@code order[j]} held, for
     * {@code j < count} ({@code order} a permutation of {@code 0..count-1}). Follows the permutation's
     * cycles with one spare row, so it needs no second copy of the rows. Nothing may read or write the
     * rows meanwhile.
     *
     * @param order where each row's new contents come from
     * @param count number of rows permuted
     * @throws IllegalArgumentException if {@code count} exceeds the capacity or the length of {@code order}
     */
    public void permute(int[] order, int count) {
        if (count > capacity || order.length < count) {
            throw new IllegalArgumentException("permutation of " + count + " rows over " + capacity + " rows");
        }
        MemorySegment spare = MemorySegment.ofArray(new byte[rowBytes]);
        boolean[] done = new boolean[count];
        for (int j = 0; j < count; j++) {
            if (done[j] || order[j] == j) {
                done[j] = true;
                continue;
            }
            MemorySegment.copy(segment(j), offset(j), spare, 0, rowBytes);
            int k = j;
            while (true) {
                done[k] = true;
                int src = order[k];
                if (src == j) {
                    MemorySegment.copy(spare, 0, segment(k), offset(k), rowBytes);
                    break;
                }
                MemorySegment.copy(segment(src), offset(src), segment(k), offset(k), rowBytes);
                k = src;
            }
        }
    }

    /** Frees the native memory now; any later read or write throws {@link IllegalStateException}. */
    @Override
    public void close() {
        cleanable.clean();
    }
}
