package io.diskann.bench.data;

import io.diskann.disk.VectorReader;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * A vector file read in place through a memory mapping (.fbin, .u8bin, .i8bin, .fvecs, .bvecs, .npy): the disk
 * index build reads vectors from it without ever holding them in the JVM heap, so files larger than the
 * heap (and, for the partitioned build, than RAM) can be indexed. Other formats (.bin, HDF5, IDX) are loaded.
 */
public final class MappedVectors implements VectorReader, AutoCloseable {

    private static final ValueLayout.OfInt I32 = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    private final Arena arena;
    private final MemorySegment file;
    private final int count;
    private final int dims;
    private final long first;
    private final long stride;
    private final int width;
    private final boolean signed;
    /** The element layouts of a .npy file (its byte order); the little-endian ones otherwise. */
    private final ValueLayout.OfFloat f32;
    private final ValueLayout.OfDouble f64;
    private final ValueLayout.OfInt i32;
    /** .npy's f8 or i4 elements (read as floats); false for every other format. */
    private final boolean npyWide;

    private MappedVectors(Arena arena, MemorySegment file, int count, int dims, long first, long stride, int width,
                          boolean signed) {
        this(arena, file, count, dims, first, stride, width, signed, ByteOrder.LITTLE_ENDIAN, false);
    }

    private MappedVectors(Arena arena, MemorySegment file, int count, int dims, long first, long stride, int width,
                          boolean signed, ByteOrder order, boolean npyWide) {
        this.arena = arena;
        this.file = file;
        this.count = count;
        this.dims = dims;
        this.first = first;
        this.stride = stride;
        this.width = width;
        this.signed = signed;
        this.f32 = ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(order);
        this.f64 = ValueLayout.JAVA_DOUBLE_UNALIGNED.withOrder(order);
        this.i32 = ValueLayout.JAVA_INT_UNALIGNED.withOrder(order);
        this.npyWide = npyWide;
    }

    /**
     * Whether {@link #open} maps {@code path} (else load it with {@link Datasets#readVectors}).
     *
     * @param path a vector file
     * @return true for .fbin, .u8bin, .i8bin, .fvecs, .bvecs, .npy
     */
    public static boolean supports(Path path) {
        String n = path.getFileName().toString();
        return n.endsWith(".fbin") || n.endsWith(".u8bin") || n.endsWith(".i8bin") || n.endsWith(".fvecs")
                || n.endsWith(".bvecs") || n.endsWith(".npy");
    }

    /**
     * Maps a vector file.
     *
     * @param path the file
     * @param limit use only the first {@code limit} vectors (-1 for all)
     * @return the reader; close it to unmap
     * @throws IOException if the file is missing, malformed or truncated
     */
    public static MappedVectors open(Path path, int limit) throws IOException {
        String n = path.getFileName().toString();
        Arena arena = Arena.ofShared();
        try (FileChannel ch = FileChannel.open(path, StandardOpenOption.READ)) {
            MemorySegment seg = ch.map(FileChannel.MapMode.READ_ONLY, 0, ch.size(), arena);
            long size = seg.byteSize();
            MappedVectors m;
            if (n.endsWith(".npy")) {
                NpyFiles.Header h = NpyFiles.header(path, ch);
                boolean wide = h.kind().equals("f8") || h.kind().equals("i4");
                m = new MappedVectors(arena, seg, count(h.rows(), limit), h.dims(), h.dataStart(), (long) h.dims() * h.width(),
                        h.width(), h.kind().equals("i1"), h.order(), wide);
            } else if (n.endsWith(".fvecs") || n.endsWith(".bvecs")) {
                int width = n.endsWith(".fvecs") ? 4 : 1;
                if (size < 4) {
                    throw new IOException(path + ": empty vector file");
                }
                int dims = seg.get(I32, 0);
                long stride = 4 + (long) dims * width;
                if (dims <= 0 || size % stride != 0) {
                    throw new IOException(path + ": " + size + " bytes are not whole rows of " + dims + " components");
                }
                m = new MappedVectors(arena, seg, count(size / stride, limit), dims, 4, stride, width, false);
            } else {
                int width = n.endsWith(".fbin") ? 4 : 1;
                if (size < 8) {
                    throw new IOException(path + ": file of " + size + " bytes is shorter than its 8-byte header");
                }
                int rows = seg.get(I32, 0);
                int dims = seg.get(I32, 4);
                long stride = (long) dims * width;
                if (rows < 0 || dims <= 0 || size < 8 + rows * stride) {
                    throw new IOException(path + ": bad or truncated header (rows " + rows + ", dims " + dims + ")");
                }
                m = new MappedVectors(arena, seg, count(rows, limit), dims, 8, stride, width, n.endsWith(".i8bin"));
            }
            return m;
        } catch (IOException | RuntimeException e) {
            arena.close();
            throw e;
        }
    }

    private static int count(long rows, int limit) throws IOException {
        long n = limit < 0 ? rows : Math.min(rows, limit);
        if (n > Integer.MAX_VALUE - 16) {
            throw new IOException(n + " vectors exceed what one index holds");
        }
        return (int) n;
    }

    @Override
    public int count() {
        return count;
    }

    @Override
    public int dimensions() {
        return dims;
    }

    @Override
    public float[] vector(int i, float[] out) {
        long at = first + i * stride;
        if (npyWide) {
            for (int j = 0; j < dims; j++) {
                out[j] = width == 8 ? (float) file.get(f64, at + 8L * j) : file.get(i32, at + 4L * j);
            }
        } else if (width == 4) {
            MemorySegment.copy(file, f32, at, out, 0, dims);
        } else {
            for (int j = 0; j < dims; j++) {
                byte b = file.get(ValueLayout.JAVA_BYTE, at + j);
                out[j] = signed ? b : b & 0xff;
            }
        }
        return out;
    }

    /** Unmaps the file. */
    @Override
    public void close() {
        arena.close();
    }
}
