package io.diskann.pq;

import io.diskann.io.AtomicFiles;
import io.diskann.io.ChecksumReader;
import io.diskann.io.ChecksumWriter;
import io.diskann.io.FormatCodes;
import io.diskann.vector.Metric;
import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.zip.CRC32C;
import java.util.zip.CheckedInputStream;

/**
 * The file of a product quantizer and its codes, version 3: little-endian and checksummed through the
 * same {@code io.diskann.io} layer as the index file (versions 1 and 2, big-endian, are still read).
 *
 * <pre>
 *   8  magic "DKANNPQ1"
 *   4  format version (3)
 *   4  dimensions, 4 metric (0 L2, 1 cosine, 2 inner product), 4 chunks M, 1 has-mean flag
 *   4  code dimensions D' (D' != dimensions or the rotation flag: chunks cut a rotated space)
 *   1  has-rotation flag
 *   4 x (M+1) chunk offsets (over D')
 *   per chunk: dims(m) x 256 floats (centroids, transposed)
 *   dimensions floats (mean), if the flag is set
 *   D' x dimensions floats (rotation, column-major as held), then 4 bytes: variance kept (a float), if the
 *      rotation flag is set
 *   4  number of codes n, then n x M bytes
 *   4  CRC32C of everything above
 *   8  end marker "DKANNPQE"
 * </pre>
 *
 * Written atomically: a temporary file beside the target, forced to disk, then renamed over it.
 * Reading checks every declared size against the bytes left before allocating, and rejects trailing
 * bytes.
 */
final class PqFile {

    static final int VERSION = 3;
    private static final byte[] MAGIC = "DKANNPQ1".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] END = "DKANNPQE".getBytes(StandardCharsets.US_ASCII);
    private static final int FOOTER_BYTES = 4 + 8;

    private PqFile() {
    }

    record Contents(ProductQuantizer quantizer, byte[] codes, int count) {
    }

    static void write(Path path, ProductQuantizer pq, byte[] codes, int count) throws IOException {
        AtomicFiles.write(path, ch -> {
            ChecksumWriter w = new ChecksumWriter(ch);
            w.bytes(MAGIC);
            w.i32(VERSION);
            w.i32(pq.dimensions());
            w.i32(FormatCodes.metricCode(pq.metric()));
            w.i32(pq.chunks());
            w.i8(pq.mean() != null ? 1 : 0);
            w.i32(pq.codeDimensions());
            w.i8(pq.rotated() ? 1 : 0);
            for (int o : pq.offsets()) {
                w.i32(o);
            }
            for (float[] c : pq.centroidsTransposed()) {
                w.floats(c);
            }
            if (pq.mean() != null) {
                w.floats(pq.mean());
            }
            if (pq.rotated()) {
                w.floats(pq.rotation().matrix());
                w.f32(pq.rotation().varianceKept());
            }
            w.i32(count);
            w.bytes(codes, 0, Math.multiplyExact(count, pq.chunks()));
            w.finish(END);
        });
    }

    static Contents read(Path path) throws IOException {
        if (!Files.exists(path)) {
            throw new IOException("cannot load PQ file " + path + ": no such file");
        }
        String what = "cannot load PQ file " + path;
        try (FileChannel ch = FileChannel.open(path, StandardOpenOption.READ)) {
            long size = ch.size();
            ChecksumReader r = new ChecksumReader(ch, what);
            if (size < MAGIC.length + 4 || !Arrays.equals(r.bytes(MAGIC.length), MAGIC)) {
                throw corrupt(path, "not a diskann-java PQ file (bad magic number)");
            }
            int version = r.i32();
            int bigEndian = Integer.reverseBytes(version);
            if (bigEndian == 1 || bigEndian == 2) {
                ch.close();
                return readLegacy(path);
            }
            if (version != VERSION) {
                throw corrupt(path, "unsupported PQ format version " + version + " (this build reads 1.." + VERSION + ")");
            }
            int dims = r.i32();
            int metricCode = r.i32();
            int chunks = r.i32();
            boolean hasMean = r.i8() != 0;
            int codeDims = r.i32();
            boolean hasRotation = r.i8() != 0;
            Metric metric = FormatCodes.metric(metricCode);
            if (dims <= 0 || dims > 1 << 16 || chunks < 1 || chunks > codeDims || codeDims > dims
                    || (codeDims != dims && !hasRotation) || metric == null) {
                throw corrupt(path, "bad header: dimensions " + dims + ", code dimensions " + codeDims + ", chunks "
                        + chunks + ", metric " + metricCode);
            }
            // every size below is now bounded by the header; check the total before allocating any of it
            long fixed = 4L * (chunks + 1) + 4L * codeDims * PqParams.CENTROIDS + (hasMean ? 4L * dims : 0)
                    + (hasRotation ? 4L * codeDims * dims + 4 : 0) + 4;
            if (r.position() + fixed + FOOTER_BYTES > size) {
                throw corrupt(path, "truncated: the codebook needs " + fixed + " bytes, the file has "
                        + (size - r.position() - FOOTER_BYTES));
            }
            int[] offsets = new int[chunks + 1];
            for (int i = 0; i <= chunks; i++) {
                offsets[i] = r.i32();
            }
            if (!Arrays.equals(offsets, ProductQuantizer.chunkOffsets(codeDims, chunks))) {
                throw corrupt(path, "chunk offsets do not match " + chunks + " balanced chunks of " + codeDims + " dimensions");
            }
            float[][] centroids = new float[chunks][];
            for (int m = 0; m < chunks; m++) {
                centroids[m] = new float[(offsets[m + 1] - offsets[m]) * PqParams.CENTROIDS];
                r.floats(centroids[m]);
            }
            float[] mean = null;
            if (hasMean) {
                mean = new float[dims];
                r.floats(mean);
            }
            PcaRotation rotation = null;
            if (hasRotation) {
                float[] matrix = new float[Math.multiplyExact(codeDims, dims)];
                r.floats(matrix);
                rotation = new PcaRotation(dims, codeDims, matrix, r.f32());
            }
            int count = r.i32();
            long codeBytes = (long) count * chunks;
            long left = size - r.position() - FOOTER_BYTES;
            if (count < 0 || codeBytes != left) {
                throw corrupt(path, "declares " + count + " codes of " + chunks + " bytes, but " + left
                        + " bytes are left for them" + (codeBytes < left ? " (trailing data)" : " (truncated)"));
            }
            if (codeBytes > Integer.MAX_VALUE - 16) {
                throw corrupt(path, count + " codes of " + chunks + " bytes exceed one Java array");
            }
            byte[] codes = r.bytes((int) codeBytes);
            int computed = r.checksum();
            int stored = r.i32();
            if (stored != computed) {
                throw corrupt(path, "checksum mismatch (stored " + Integer.toHexString(stored) + ", computed "
                        + Integer.toHexString(computed) + "): the file is corrupt");
            }
            if (!Arrays.equals(r.bytes(END.length), END)) {
                throw corrupt(path, "bad end marker: the file is corrupt");
            }
            ProductQuantizer pq = new ProductQuantizer(dims, metric, offsets, centroids, mean, rotation);
            return new Contents(pq, codes, count);
        } catch (EOFException e) {
            throw corrupt(path, "truncated (ends before its declared contents)");
        }
    }

    /** Versions 1 and 2: big-endian ({@link DataInputStream}), as those builds wrote them. */
    private static Contents readLegacy(Path path) throws IOException {
        try (InputStream raw = new BufferedInputStream(Files.newInputStream(path), 1 << 16)) {
            CRC32C crc = new CRC32C();
            DataInputStream in = new DataInputStream(new CheckedInputStream(raw, crc));
            byte[] magic = in.readNBytes(MAGIC.length);
            if (!Arrays.equals(magic, MAGIC)) {
                throw corrupt(path, "not a diskann-java PQ file (bad magic number)");
            }
            int version = in.readInt();
            if (version != 1 && version != 2) {
                throw corrupt(path, "unsupported PQ format version " + version + " (this build reads 1.." + VERSION + ")");
            }
            int dims = in.readInt();
            int metricCode = in.readInt();
            int chunks = in.readInt();
            boolean hasMean = in.readBoolean();
            int codeDims = version >= 2 ? in.readInt() : dims;
            boolean hasRotation = version >= 2 && in.readBoolean();
            if (dims <= 0 || dims > 1 << 20 || chunks < 1 || chunks > codeDims || codeDims > dims
                    || (codeDims != dims && !hasRotation) || metricCode < 0 || metricCode > 2) {
                throw corrupt(path, "bad header: dimensions " + dims + ", code dimensions " + codeDims + ", chunks "
                        + chunks + ", metric " + metricCode);
            }
            int[] offsets = new int[chunks + 1];
            for (int i = 0; i <= chunks; i++) {
                offsets[i] = in.readInt();
            }
            if (!Arrays.equals(offsets, ProductQuantizer.chunkOffsets(codeDims, chunks))) {
                throw corrupt(path, "chunk offsets do not match " + chunks + " balanced chunks of " + codeDims + " dimensions");
            }
            float[][] centroids = new float[chunks][];
            for (int m = 0; m < chunks; m++) {
                centroids[m] = new float[(offsets[m + 1] - offsets[m]) * PqParams.CENTROIDS];
                for (int i = 0; i < centroids[m].length; i++) {
                    centroids[m][i] = in.readFloat();
                }
            }
            float[] mean = null;
            if (hasMean) {
                mean = new float[dims];
                for (int i = 0; i < dims; i++) {
                    mean[i] = in.readFloat();
                }
            }
            PcaRotation rotation = null;
            if (hasRotation) {
                float[] matrix = new float[Math.multiplyExact(codeDims, dims)];
                for (int i = 0; i < matrix.length; i++) {
                    matrix[i] = in.readFloat();
                }
                rotation = new PcaRotation(dims, codeDims, matrix, in.readFloat());
            }
            int count = in.readInt();
            if (count < 0 || (long) count * chunks > Integer.MAX_VALUE - 16) {
                throw corrupt(path, "bad code count " + count);
            }
            byte[] codes = new byte[count * chunks];
            in.readFully(codes);
            int computed = (int) crc.getValue();
            DataInputStream tail = new DataInputStream(raw);
            int stored = tail.readInt();
            if (stored != computed) {
                throw corrupt(path, "checksum mismatch (stored " + Integer.toHexString(stored) + ", computed "
                        + Integer.toHexString(computed) + "): the file is corrupt");
            }
            if (!Arrays.equals(tail.readNBytes(END.length), END)) {
                throw corrupt(path, "bad end marker: the file is corrupt");
            }
            ProductQuantizer pq = new ProductQuantizer(dims, FormatCodes.metric(metricCode), offsets, centroids, mean, rotation);
            return new Contents(pq, codes, count);
        } catch (NoSuchFileException e) {
            throw new IOException("cannot load PQ file " + path + ": no such file", e);
        } catch (EOFException e) {
            throw corrupt(path, "truncated (ends before its declared contents)");
        }
    }

    private static IOException corrupt(Path path, String problem) {
        return new IOException("cannot load PQ file " + path + ": " + problem);
    }
}
