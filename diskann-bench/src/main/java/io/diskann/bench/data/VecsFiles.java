package io.diskann.bench.data;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * TEXMEX {@code .fvecs}/{@code .bvecs}/{@code .ivecs} files: each row is a little-endian int32 dimension
 * followed by that many float32 / uint8 / int32 values. Files are memory-mapped and decoded straight
 * into one flat array, so a 1M x 128 file costs one copy. Every row's dimension is checked; a bad or
 * truncated file is reported with its name and the byte offset.
 */
public final class VecsFiles {

    private VecsFiles() {
    }

    /** Reads {@code .fvecs} or {@code .bvecs} (by extension) as floats; at most {@code limit} rows (-1: all). */
    public static FloatMatrix readFloats(Path path, int limit) throws IOException {
        String name = path.getFileName().toString();
        if (name.endsWith(".bvecs")) {
            return read(path, 1, limit, true);
        }
        if (name.endsWith(".fvecs")) {
            return read(path, 4, limit, false);
        }
        throw new IOException(path + ": unknown vector file extension (expected .fvecs or .bvecs)");
    }

    private static FloatMatrix read(Path path, int elementBytes, int limit, boolean bytes) throws IOException {
        try (FileChannel ch = FileChannel.open(path, StandardOpenOption.READ)) {
            long size = ch.size();
            if (size < 4) {
                throw new IOException(path + ": file of " + size + " bytes holds no vectors");
            }
            ByteBuffer head = ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN);
            ch.read(head, 0);
            int dims = head.getInt(0);
            if (dims <= 0 || dims > 1 << 20) {
                throw new IOException(path + ": bad dimension " + dims + " at byte 0");
            }
            long rowBytes = 4L + (long) dims * elementBytes;
            if (size % rowBytes != 0) {
                throw new IOException(path + ": size " + size + " is not a multiple of the row size " + rowBytes
                        + " (truncated at byte " + (size / rowBytes) * rowBytes + "?)");
            }
            long rowsInFile = size / rowBytes;
            int rows = (int) Math.min(rowsInFile, limit < 0 ? Long.MAX_VALUE : limit);
            if ((long) rows * dims > Integer.MAX_VALUE - 16) {
                throw new IOException(path + ": " + rows + " x " + dims + " values exceed one Java array");
            }
            float[] data = new float[rows * dims];
            long pos = 0;
            int row = 0;
            while (row < rows) {
                int chunkRows = (int) Math.min(rows - row, Math.max(1, (1L << 30) / rowBytes));
                MappedByteBuffer map = ch.map(FileChannel.MapMode.READ_ONLY, pos, chunkRows * rowBytes);
                map.order(ByteOrder.LITTLE_ENDIAN);
                for (int r = 0; r < chunkRows; r++, row++) {
                    int base = (int) (r * rowBytes);
                    int d = map.getInt(base);
                    if (d != dims) {
                        throw new IOException(path + ": row " + row + " at byte " + (pos + base) + " has dimension "
                                + d + ", expected " + dims);
                    }
                    if (bytes) {
                        for (int j = 0; j < dims; j++) {
                            data[row * dims + j] = map.get(base + 4 + j) & 0xFF;
                        }
                    } else {
                        map.position(base + 4);
                        map.asFloatBuffer().get(data, row * dims, dims);
                    }
                }
                pos += chunkRows * rowBytes;
            }
            return new FloatMatrix(rows, dims, data);
        }
    }

    /** Reads {@code .ivecs} (e.g. ground truth); at most {@code limit} rows (-1: all). */
    public static IntMatrix readInts(Path path, int limit) throws IOException {
        byte[] all = Files.readAllBytes(path);
        ByteBuffer b = ByteBuffer.wrap(all).order(ByteOrder.LITTLE_ENDIAN);
        if (all.length < 4) {
            throw new IOException(path + ": file of " + all.length + " bytes holds no rows");
        }
        int cols = b.getInt(0);
        if (cols <= 0 || cols > 1 << 20) {
            throw new IOException(path + ": bad row length " + cols + " at byte 0");
        }
        long rowBytes = 4L + 4L * cols;
        if (all.length % rowBytes != 0) {
            throw new IOException(path + ": size " + all.length + " is not a multiple of the row size " + rowBytes
                    + " (truncated?)");
        }
        int rows = (int) Math.min(all.length / rowBytes, limit < 0 ? Integer.MAX_VALUE : limit);
        int[] data = new int[rows * cols];
        for (int r = 0; r < rows; r++) {
            int base = (int) (r * rowBytes);
            int c = b.getInt(base);
            if (c != cols) {
                throw new IOException(path + ": row " + r + " at byte " + base + " has length " + c + ", expected " + cols);
            }
            b.position(base + 4);
            b.asIntBuffer().get(data, r * cols, cols);
        }
        return new IntMatrix(rows, cols, data);
    }

    /** Writes {@code .fvecs}. */
    public static void writeFloats(Path path, FloatMatrix m) throws IOException {
        writeRows(path, m.rows(), 4 + 4 * m.dims(), (buf, r) -> {
            buf.putInt(m.dims());
            for (int j = 0; j < m.dims(); j++) {
                buf.putFloat(m.data()[r * m.dims() + j]);
            }
        });
    }

    /**
     * Writes {@code .bvecs} (TEXMEX u8 rows): every value must already be an integer in 0..255.
     *
     * @throws IllegalArgumentException naming the first value that is not
     */
    public static void writeBytes(Path path, FloatMatrix m) throws IOException {
        float[] d = m.data();
        for (int i = 0; i < d.length; i++) {
            if (!(d[i] >= 0 && d[i] <= 255 && d[i] == Math.rint(d[i]))) {
                throw new IllegalArgumentException("value " + d[i] + " at row " + i / m.dims() + ", component "
                        + i % m.dims() + " is not an integer in 0..255: cannot write " + path + " as u8");
            }
        }
        writeRows(path, m.rows(), 4 + m.dims(), (buf, r) -> {
            buf.putInt(m.dims());
            for (int j = 0; j < m.dims(); j++) {
                buf.put((byte) (int) d[r * m.dims() + j]);
            }
        });
    }

    /** Writes {@code .ivecs}. */
    public static void writeInts(Path path, IntMatrix m) throws IOException {
        writeRows(path, m.rows(), 4 + 4 * m.cols(), (buf, r) -> {
            buf.putInt(m.cols());
            for (int j = 0; j < m.cols(); j++) {
                buf.putInt(m.data()[r * m.cols() + j]);
            }
        });
    }

    private interface RowWriter {
        void write(ByteBuffer buf, int row);
    }

    /** Writes rows through a 4 MiB buffer to a temporary file, then renames it into place. */
    private static void writeRows(Path path, int rows, int rowBytes, RowWriter w) throws IOException {
        ByteBuffer buf = ByteBuffer.allocate(Math.max(rowBytes, 4 << 20)).order(ByteOrder.LITTLE_ENDIAN);
        Path parent = path.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        Path tmp = path.resolveSibling(path.getFileName() + ".tmp");
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            for (int r = 0; r < rows; r++) {
                if (buf.remaining() < rowBytes) {
                    buf.flip();
                    while (buf.hasRemaining()) {
                        ch.write(buf);
                    }
                    buf.clear();
                }
                w.write(buf, r);
            }
            buf.flip();
            while (buf.hasRemaining()) {
                ch.write(buf);
            }
            ch.force(true);
        }
        Files.move(tmp, path, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    }
}
