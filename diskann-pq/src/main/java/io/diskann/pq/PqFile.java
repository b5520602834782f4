package io.diskann.pq;

import io.diskann.index.CorruptIndexException;
import io.diskann.io.ChecksumReader;
import io.diskann.io.FormatReader;
import io.diskann.io.FormatWriter;
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
 * A product quantizer and its codes on disk: since the one container format, the {@value #SECTION}
 * section of the graph index's file (one file, one atomic rename: the codes can never belong to another
 * save than the graph beside them). Earlier builds wrote a separate {@code .pq} file beside the graph
 * file, versions 1 and 2 big-endian, version 3 little-endian; those are still read.
 *
 * <pre>
 * section "pq" v1:
 *   4  dimensions, 4 metric (0 L2, 1 cosine, 2 inner product), 4 chunks M, 4 has-mean flag (0/1)
 *   4  code dimensions D' (D' != dimensions needs the rotation: chunks cut a rotated space)
 *   4  has-rotation flag (0/1)
 *   4 x (M+1) chunk offsets (over D')
 *   per chunk: dims(m) x 256 floats (centroids, transposed)
 *   dimensions floats (mean), if the flag is set
 *   D' x dimensions floats (rotation, row-major: the 16-bit coefficients times their scales), then the
 *      variance kept (a float), if the rotation flag is set
 *   4  number of codes n, then n x M bytes
 *
 * legacy file v3: magic "DKANNPQ1", 4 version, the fields above with 1-byte flags, CRC32C, "DKANNPQE"
 * </pre>
 *
 * Reading checks every declared size against the bytes left in the section before allocating, and
 * rejects bytes left over.
 *
 * <p>Public for this project's other index kinds (the SSD-resident index stores the same section); its
 * methods take the file layer's types, which only this project's modules can reach.
 */
public final class PqFile {

    static final int VERSION = 3;
    /** The section's name. */
    public static final String SECTION = "pq";
    /** The section's version. */
    public static final int SECTION_VERSION = 1;
    private static final byte[] MAGIC = "DKANNPQ1".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] END = "DKANNPQE".getBytes(StandardCharsets.US_ASCII);
    private static final int FOOTER_BYTES = 4 + 8;

    private PqFile() {
    }

    /**
     * What a PQ section or file holds.
     *
     * @param quantizer the quantizer
     * @param codes the codes, vector i's at {@code i * chunks}
     * @param count how many codes
     */
    public record Contents(ProductQuantizer quantizer, byte[] codes, int count) {
    }

    /**
     * The "pq" section of an index file: the quantizer, then {@code count} codes.
     *
     * @param pq the quantizer
     * @param codes the codes, vector i's at {@code i * chunks}
     * @param count how many codes to write
     * @return the section
     */
    @SuppressWarnings("exports")
    public static FormatWriter.Section section(ProductQuantizer pq, byte[] codes, int count) {
        int m = pq.chunks();
        long length = 6 * 4 + 4L * (m + 1) + 4L * pq.codeDimensions() * PqParams.CENTROIDS
                + (pq.mean() != null ? 4L * pq.dimensions() : 0)
                + (pq.rotated() ? 4L * pq.codeDimensions() * pq.dimensions() + 4 : 0)
                + 4 + (long) count * m;
        return new FormatWriter.Section(SECTION, SECTION_VERSION, length, 4, w -> {
            w.i32(pq.dimensions());
            w.i32(FormatCodes.metricCode(pq.metric()));
            w.i32(m);
            w.i32(pq.mean() != null ? 1 : 0);
            w.i32(pq.codeDimensions());
            w.i32(pq.rotated() ? 1 : 0);
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
            w.bytes(codes, 0, Math.multiplyExact(count, m));
        });
    }

    /**
     * Reads the "pq" section; every count is checked against the bytes left in it before allocating.
     *
     * @param file the file being read
     * @param s the section, positioned at its body
     * @return what it holds
     * @throws IOException if it is corrupt or cannot be read
     */
    @SuppressWarnings("exports")
    public static Contents readSection(FormatReader file, FormatReader.Section s) throws IOException {
        Contents c = file.guard(() -> {
            ChecksumReader in = s.in();
            int dims = in.i32();
            int metricCode = in.i32();
            int chunks = in.i32();
            int hasMean = in.i32();
            int codeDims = in.i32();
            int hasRotation = in.i32();
            Metric metric = FormatCodes.metric(metricCode);
            if (metric == null) {
                throw s.corrupt("metric", metricCode, "unknown metric code");
            }
            if (dims <= 0 || dims > 1 << 16) {
                throw s.corrupt("dimensions", dims, "outside 1..65536");
            }
            if (codeDims < 1 || codeDims > dims) {
                throw s.corrupt("codeDimensions", codeDims, "outside 1.." + dims);
            }
            if (chunks < 1 || chunks > codeDims) {
                throw s.corrupt("chunks", chunks, "outside 1.." + codeDims);
            }
            if (hasMean < 0 || hasMean > 1 || hasRotation < 0 || hasRotation > 1) {
                throw s.corrupt("flags", hasMean + "/" + hasRotation, "the mean and rotation flags are 0 or 1");
            }
            if (codeDims != dims && hasRotation == 0) {
                throw s.corrupt("codeDimensions", codeDims, "differs from the dimensions without a rotation");
            }
            s.require("chunks", chunks + 1L, 4);
            int[] offsets = new int[chunks + 1];
            for (int i = 0; i <= chunks; i++) {
                offsets[i] = in.i32();
            }
            if (!Arrays.equals(offsets, ProductQuantizer.chunkOffsets(codeDims, chunks))) {
                throw s.corrupt("offsets", Arrays.toString(offsets), "not " + chunks + " balanced chunks of "
                        + codeDims + " dimensions");
            }
            s.require("centroids", (long) codeDims * PqParams.CENTROIDS, 4);
            float[][] centroids = new float[chunks][];
            for (int m = 0; m < chunks; m++) {
                centroids[m] = new float[(offsets[m + 1] - offsets[m]) * PqParams.CENTROIDS];
                in.floats(centroids[m]);
            }
            float[] mean = null;
            if (hasMean == 1) {
                s.require("mean", dims, 4);
                mean = new float[dims];
                in.floats(mean);
            }
            PcaRotation rotation = null;
            if (hasRotation == 1) {
                s.require("rotation", (long) codeDims * dims + 1, 4);
                float[] matrix = new float[Math.multiplyExact(codeDims, dims)];
                in.floats(matrix);
                rotation = new PcaRotation(dims, codeDims, matrix, in.f32());
            }
            int count = in.i32();
            s.require("count", count, chunks);
            if ((long) count * chunks != s.remaining()) {
                throw s.corrupt("count", count, count + " codes of " + chunks + " bytes leave "
                        + (s.remaining() - (long) count * chunks) + " bytes of the section unaccounted for");
            }
            if ((long) count * chunks > Integer.MAX_VALUE - 16) {
                throw s.corrupt("count", count, count + " codes of " + chunks + " bytes exceed one Java array");
            }
            byte[] codes = in.bytes(count * chunks);
            return new Contents(new ProductQuantizer(dims, metric, offsets, centroids, mean, rotation), codes, count);
        });
        s.end();
        return c;
    }

    /** Reads a separate {@code .pq} file of versions 1 to 3, written beside the graph file by earlier builds. */
    static Contents readLegacyFile(Path path) throws IOException {
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
        } catch (RuntimeException e) {
            throw new CorruptIndexException(path, null, null, "unreadable contents (" + e + ")", e);
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
            // every size the header implies, against the file's real size, before anything is allocated
            long fixed = 4L * (chunks + 1) + 4L * codeDims * PqParams.CENTROIDS + (hasMean ? 4L * dims : 0)
                    + (hasRotation ? 4L * codeDims * dims + 4 : 0) + 4 + FOOTER_BYTES;
            long header = MAGIC.length + 4 + 4 + 4 + 4 + 1 + (version >= 2 ? 5 : 0);
            if (header + fixed > Files.size(path)) {
                throw corrupt(path, "truncated: the header declares a codebook of " + fixed + " bytes, the file has "
                        + (Files.size(path) - header));
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
            if (count < 0 || (long) count * chunks > Integer.MAX_VALUE - 16
                    || header + fixed + (long) count * chunks != Files.size(path)) {
                throw corrupt(path, "bad code count " + count + " for a file of " + Files.size(path) + " bytes");
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
        } catch (RuntimeException e) {
            throw new CorruptIndexException(path, null, null, "unreadable contents (" + e + ")", e);
        }
    }

    private static CorruptIndexException corrupt(Path path, String problem) {
        return new CorruptIndexException(path, null, null, problem);
    }
}
