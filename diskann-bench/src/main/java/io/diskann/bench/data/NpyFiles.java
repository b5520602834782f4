package io.diskann.bench.data;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * NumPy {@code .npy} files holding a 2-D C-ordered array of {@code float32}, {@code float64},
 * {@code uint8}, {@code int8} or {@code int32} (versions 1.0 to 3.0 of the format), read as floats.
 */
public final class NpyFiles {

    private static final Pattern DESCR = Pattern.compile("'descr'\\s*:\\s*'([<>|=]?)([a-z])(\\d+)'");
    private static final Pattern FORTRAN = Pattern.compile("'fortran_order'\\s*:\\s*(True|False)");
    private static final Pattern SHAPE = Pattern.compile("'shape'\\s*:\\s*\\(\\s*(\\d+)\\s*,\\s*(\\d+)\\s*,?\\s*\\)");

    private NpyFiles() {
    }

    /**
     * The parsed header of a 2-D C-ordered {@code .npy} array.
     *
     * @param order the elements' byte order
     * @param kind the dtype without its byte order: f4, f8, u1, i1 or i4
     * @param width bytes per element
     * @param rows the first dimension
     * @param dims the second dimension
     * @param dataStart where the elements begin
     */
    record Header(ByteOrder order, String kind, int width, long rows, int dims, long dataStart) {
    }

    /**
     * Reads and checks the header of {@code path}: magic, version, a supported dtype, C order, 2-D shape, and a file
     * long enough for the shape.
     */
    static Header header(Path path, FileChannel ch) throws IOException {
        ByteBuffer pre = ByteBuffer.allocate(12).order(ByteOrder.LITTLE_ENDIAN);
        if (ch.read(pre, 0) < 10 || pre.get(0) != (byte) 0x93 || pre.get(1) != 'N' || pre.get(2) != 'U') {
            throw new IOException(path + ": not a .npy file (bad magic)");
        }
        int major = pre.get(6);
        int headerLen;
        int headerStart;
        if (major == 1) {
            headerLen = pre.getShort(8) & 0xFFFF;
            headerStart = 10;
        } else if (major == 2 || major == 3) {
            headerLen = pre.getInt(8);
            headerStart = 12;
        } else {
            throw new IOException(path + ": unsupported .npy version " + major);
        }
        if (headerLen < 0 || headerLen > 1 << 20) {
            throw new IOException(path + ": bad .npy header length " + headerLen);
        }
        if (headerStart + (long) headerLen > ch.size()) {
            throw new IOException(path + ": truncated: a header of " + headerLen + " bytes, the file has " + ch.size());
        }
        ByteBuffer hb = ByteBuffer.allocate(headerLen);
        ch.read(hb, headerStart);
        String header = new String(hb.array(), major == 3 ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1);
        Matcher d = DESCR.matcher(header);
        Matcher f = FORTRAN.matcher(header);
        Matcher s = SHAPE.matcher(header);
        if (!d.find() || !f.find() || !s.find()) {
            throw new IOException(path + ": unsupported header (need a 2-D array): " + header.trim());
        }
        if (f.group(1).equals("True")) {
            throw new IOException(path + ": Fortran-ordered arrays are not supported; save with np.ascontiguousarray");
        }
        ByteOrder order = d.group(1).equals(">") ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN;
        String kind = d.group(2) + d.group(3);
        int width = Integer.parseInt(d.group(3));
        if (!kind.equals("f4") && !kind.equals("f8") && !kind.equals("u1") && !kind.equals("i1") && !kind.equals("i4")) {
            throw new IOException(path + ": unsupported dtype " + kind + " (supported: f4, f8, u1, i1, i4)");
        }
        long rows;
        int dims;
        long expected;
        long dataStart = headerStart + headerLen;
        try {
            rows = Long.parseLong(s.group(1));
            dims = Integer.parseInt(s.group(2));
            expected = Math.addExact(dataStart, Math.multiplyExact(Math.multiplyExact(rows, dims), width));
        } catch (NumberFormatException | ArithmeticException e) {
            throw new IOException(path + ": shape (" + s.group(1) + ", " + s.group(2) + ") is too large", e);
        }
        if (dims <= 0) {
            throw new IOException(path + ": shape (" + rows + ", " + dims + ") has no components");
        }
        if (ch.size() < expected) {
            throw new IOException(path + ": truncated: shape (" + rows + ", " + dims + ") needs " + expected
                    + " bytes, the file has " + ch.size());
        }
        return new Header(order, kind, width, rows, dims, dataStart);
    }

    public static FloatMatrix readFloats(Path path, int limit) throws IOException {
        try (FileChannel ch = FileChannel.open(path, StandardOpenOption.READ)) {
            Header h = header(path, ch);
            String kind = h.kind();
            int dims = h.dims();
            int width = h.width();
            int n = (int) (limit < 0 ? h.rows() : Math.min(h.rows(), limit));
            if ((long) n * dims > Integer.MAX_VALUE - 16) {
                throw new IOException(path + ": " + n + " x " + dims + " values exceed one Java array");
            }
            float[] data = new float[n * dims];
            MappedByteBuffer map = ch.map(FileChannel.MapMode.READ_ONLY, h.dataStart(), (long) n * dims * width);
            map.order(h.order());
            for (int i = 0; i < data.length; i++) {
                data[i] = switch (kind) {
                    case "f4" -> map.getFloat(i * 4);
                    case "f8" -> (float) map.getDouble(i * 8);
                    case "u1" -> map.get(i) & 0xFF;
                    case "i1" -> map.get(i);
                    default -> map.getInt(i * 4);
                };
            }
            return new FloatMatrix(n, dims, data);
        }
    }
}
