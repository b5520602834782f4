package io.diskann.bench.data;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * Microsoft DiskANN's binary formats. Vectors ({@code .fbin}, {@code .u8bin}, {@code .i8bin}, or
 * {@code .bin} read as floats): little-endian int32 rows, int32 dims, then rows x dims values row-major.
 * Ground truth ("truthset" {@code .bin}): int32 queries, int32 k, then queries x k uint32 ids, then
 * optionally queries x k float32 distances.
 */
public final class BinFiles {

    private BinFiles() {
    }

    /** Element width of a vector file, from its extension. */
    private static int elementBytes(Path path) throws IOException {
        String n = path.getFileName().toString();
        if (n.endsWith(".fbin") || n.endsWith(".bin")) {
            return 4;
        }
        if (n.endsWith(".u8bin") || n.endsWith(".i8bin")) {
            return 1;
        }
        throw new IOException(path + ": unknown DiskANN vector extension (expected .fbin, .u8bin, .i8bin or .bin)");
    }

    /** Reads a vector file as floats; at most {@code limit} rows (-1: all). */
    public static FloatMatrix readFloats(Path path, int limit) throws IOException {
        int width = elementBytes(path);
        boolean signed = path.getFileName().toString().endsWith(".i8bin");
        try (FileChannel ch = FileChannel.open(path, StandardOpenOption.READ)) {
            long size = ch.size();
            if (size < 8) {
                throw new IOException(path + ": file of " + size + " bytes is shorter than its 8-byte header");
            }
            ByteBuffer head = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
            ch.read(head, 0);
            int rows = head.getInt(0);
            int dims = head.getInt(4);
            if (rows < 0 || dims <= 0) {
                throw new IOException(path + ": bad header (rows " + rows + ", dims " + dims + ")");
            }
            long expected = 8L + (long) rows * dims * width;
            if (size < expected) {
                throw new IOException(path + ": truncated: header declares " + rows + " x " + dims + " (" + expected
                        + " bytes) but the file has " + size);
            }
            int n = limit < 0 ? rows : Math.min(rows, limit);
            if ((long) n * dims > Integer.MAX_VALUE - 16) {
                throw new IOException(path + ": " + n + " x " + dims + " values exceed one Java array");
            }
            float[] data = new float[n * dims];
            long pos = 8;
            long rowBytes = (long) dims * width;
            int row = 0;
            while (row < n) {
                int chunk = (int) Math.min(n - row, Math.max(1, (1L << 30) / rowBytes));
                MappedByteBuffer map = ch.map(FileChannel.MapMode.READ_ONLY, pos, chunk * rowBytes);
                map.order(ByteOrder.LITTLE_ENDIAN);
                int count = chunk * dims;
                int base = row * dims;
                if (width == 4) {
                    map.asFloatBuffer().get(data, base, count);
                } else {
                    for (int i = 0; i < count; i++) {
                        byte b = map.get(i);
                        data[base + i] = signed ? b : b & 0xFF;
                    }
                }
                row += chunk;
                pos += chunk * rowBytes;
            }
            return new FloatMatrix(n, dims, data);
        }
    }

    /** Writes a vector file; the extension chooses the element type (u8/i8 values must be whole numbers in range). */
    public static void writeFloats(Path path, FloatMatrix m) throws IOException {
        int width = elementBytes(path);
        boolean signed = path.getFileName().toString().endsWith(".i8bin");
        ByteBuffer b = ByteBuffer.allocate(Math.toIntExact(8L + (long) m.data().length * width)).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(m.rows()).putInt(m.dims());
        for (int i = 0; i < m.data().length; i++) {
            float v = m.data()[i];
            if (width == 4) {
                b.putFloat(v);
            } else {
                float lo = signed ? -128 : 0;
                float hi = signed ? 127 : 255;
                if (v != Math.rint(v) || v < lo || v > hi) {
                    throw new IllegalArgumentException("value " + v + " at " + i + " does not fit " + path.getFileName());
                }
                b.put((byte) (int) v);
            }
        }
        writeAtomically(path, b);
    }

    /** Reads a truthset: ids (and distances, if present) of {@code k} neighbours per query. */
    public static GroundTruth.Result readTruth(Path path, int limit) throws IOException {
        byte[] all = Files.readAllBytes(path);
        ByteBuffer b = ByteBuffer.wrap(all).order(ByteOrder.LITTLE_ENDIAN);
        if (all.length < 8) {
            throw new IOException(path + ": file of " + all.length + " bytes is shorter than its 8-byte header");
        }
        int rows = b.getInt(0);
        int k = b.getInt(4);
        long idsBytes = 4L * rows * k;
        if (rows < 0 || k <= 0 || (all.length != 8 + idsBytes && all.length != 8 + 2 * idsBytes)) {
            throw new IOException(path + ": size " + all.length + " matches neither " + rows + " x " + k
                    + " ids nor ids and distances (truncated or not a truthset)");
        }
        boolean hasDistances = all.length == 8 + 2 * idsBytes;
        int n = limit < 0 ? rows : Math.min(rows, limit);
        int[] ids = new int[n * k];
        b.position(8);
        b.asIntBuffer().get(ids);
        float[] dists = new float[hasDistances ? n * k : 0];
        if (hasDistances) {
            b.position((int) (8 + idsBytes));
            b.asFloatBuffer().get(dists);
        }
        return new GroundTruth.Result(new IntMatrix(n, k, ids), dists);
    }

    /** Writes a truthset with ids and distances. */
    public static void writeTruth(Path path, GroundTruth.Result r) throws IOException {
        IntMatrix ids = r.ids();
        boolean withDistances = r.distances().length == ids.data().length;
        ByteBuffer b = ByteBuffer.allocate(Math.toIntExact(8L + 4L * ids.data().length * (withDistances ? 2 : 1)))
                .order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(ids.rows()).putInt(ids.cols());
        for (int id : ids.data()) {
            b.putInt(id);
        }
        if (withDistances) {
            for (float d : r.distances()) {
                b.putFloat(d);
            }
        }
        writeAtomically(path, b);
    }

    static void writeAtomically(Path path, ByteBuffer b) throws IOException {
        Path parent = path.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        Path tmp = path.resolveSibling(path.getFileName() + ".tmp");
        b.flip();
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            while (b.hasRemaining()) {
                ch.write(b);
            }
            ch.force(true);
        }
        Files.move(tmp, path, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
}
