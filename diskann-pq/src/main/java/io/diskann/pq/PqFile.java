package io.diskann.pq;

import io.diskann.vector.Metric;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.zip.CRC32C;
import java.util.zip.CheckedInputStream;
import java.util.zip.CheckedOutputStream;

/**
 * The file of a product quantizer and its codes, versioned and checksummed like the index file.
 *
 * <pre>
 *   8  magic "DKANNPQ1"
 *   4  format version (2; version 1 files, without the rotation fields, are still read)
 *   4  dimensions, 4 metric (0 L2, 1 cosine, 2 inner product), 4 chunks M, 1 has-mean flag
 *   4  code dimensions D' (version 2; D' != dimensions or the rotation flag: chunks cut a rotated space)
 *   1  has-rotation flag (version 2)
 *   4 x (M+1) chunk offsets (over D')
 *   per chunk: dims(m) x 256 floats (centroids, transposed)
 *   dimensions floats (mean), if the flag is set
 *   D' x dimensions floats (rotation rows, then 4 bytes: variance kept, a float), if the rotation flag is set
 *   4  number of codes n, then n x M bytes
 *   4  CRC32C of everything above
 *   8  end marker "DKANNPQE"
 * </pre>
 *
 * Written atomically: a temporary file beside the target, forced to disk, then renamed over it.
 */
final class PqFile {

    static final int VERSION = 2;
    private static final byte[] MAGIC = "DKANNPQ1".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    private static final byte[] END = "DKANNPQE".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

    private PqFile() {
    }

    record Contents(ProductQuantizer quantizer, byte[] codes, int count) {
    }

    static void write(Path path, ProductQuantizer pq, byte[] codes, int count) throws IOException {
        Path dir = path.toAbsolutePath().getParent();
        Path tmp = Files.createTempFile(dir, path.getFileName().toString(), ".tmp");
        try {
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
                OutputStream raw = Channels.newOutputStream(ch);
                CRC32C crc = new CRC32C();
                DataOutputStream out = new DataOutputStream(new CheckedOutputStream(new BufferedOutputStream(raw, 1 << 16), crc));
                out.write(MAGIC);
                out.writeInt(VERSION);
                out.writeInt(pq.dimensions());
                out.writeInt(metricCode(pq.metric()));
                out.writeInt(pq.chunks());
                out.writeBoolean(pq.mean() != null);
                out.writeInt(pq.codeDimensions());
                out.writeBoolean(pq.rotated());
                for (int o : pq.offsets()) {
                    out.writeInt(o);
                }
                for (float[] c : pq.centroidsTransposed()) {
                    for (float v : c) {
                        out.writeFloat(v);
                    }
                }
                if (pq.mean() != null) {
                    for (float v : pq.mean()) {
                        out.writeFloat(v);
                    }
                }
                if (pq.rotated()) {
                    for (float v : pq.rotation().matrix()) {
                        out.writeFloat(v);
                    }
                    out.writeFloat(pq.rotation().varianceKept());
                }
                out.writeInt(count);
                // vectors added to the index behind the PQ index's back have no code yet: zeros
                int have = Math.min(codes.length, count * pq.chunks());
                out.write(codes, 0, have);
                out.write(new byte[count * pq.chunks() - have]);
                out.flush();
                int checksum = (int) crc.getValue();
                DataOutputStream tail = new DataOutputStream(raw);
                tail.writeInt(checksum);
                tail.write(END);
                tail.flush();
                ch.force(true);
            }
            try {
                Files.move(tmp, path, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, path, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    static Contents read(Path path) throws IOException {
        try (InputStream raw = new BufferedInputStream(Files.newInputStream(path), 1 << 16)) {
            CRC32C crc = new CRC32C();
            DataInputStream in = new DataInputStream(new CheckedInputStream(raw, crc));
            byte[] magic = in.readNBytes(MAGIC.length);
            if (!Arrays.equals(magic, MAGIC)) {
                throw corrupt(path, "not a diskann-java PQ file (bad magic number)");
            }
            int version = in.readInt();
            if (version != 1 && version != VERSION) {
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
            ProductQuantizer pq = new ProductQuantizer(dims, metric(metricCode), offsets, centroids, mean, rotation);
            return new Contents(pq, codes, count);
        } catch (NoSuchFileException e) {
            throw new IOException("cannot load PQ file " + path + ": no such file", e);
        } catch (EOFException e) {
            throw corrupt(path, "truncated (ends before its declared contents)");
        }
    }

    private static int metricCode(Metric m) {
        return switch (m) {
            case L2 -> 0;
            case COSINE -> 1;
            case INNER_PRODUCT -> 2;
        };
    }

    private static Metric metric(int code) {
        return switch (code) {
            case 0 -> Metric.L2;
            case 1 -> Metric.COSINE;
            default -> Metric.INNER_PRODUCT;
        };
    }

    private static IOException corrupt(Path path, String problem) {
        return new IOException("cannot load PQ file " + path + ": " + problem);
    }
}
