package io.diskann.graph;

import io.diskann.index.CorruptIndexException;
import io.diskann.io.ChecksumReader;
import io.diskann.io.FormatCodes;
import io.diskann.vector.ChunkedRows;
import io.diskann.vector.Metric;
import io.diskann.vector.ScalarQuantizer;
import io.diskann.vector.VectorStore;
import io.diskann.vector.VectorType;
import java.io.EOFException;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;

/**
 * Reads the graph files of earlier builds, format versions 1 to 3 (magic {@code "DISKANNJ"}), from
 * before the one container format ({@link IndexFile}, version 4). Nothing writes them any more.
 * Little-endian throughout, read through {@link ChecksumReader}.
 *
 * <pre>
 * header   8  magic "DISKANNJ"
 *          4  format version (3)
 *          4  element type (0 f32, 1 f16, 2 i8, 3 u8), 4 metric (0 l2, 1 cosine, 2 inner product)
 *          4  dimensions, 4 slots used (count), 4 start slot
 *          4  R, 4 L_build, 4 alpha (float), 4 maxc, 4 slack factor (float), 4 saturate (0/1)
 *          4  consolidate threshold (float), 4 inner-product entry directions
 *          4  flags (1 = slot section present, 2 = traversal fields present)
 *          4  row stride in bytes (ChunkedRows' for the row size)
 *          8  offset of the vector section (a multiple of 4096), 8 its bytes (count x stride)
 *          8  bytes of the graph section
 *          with flag 2: 4 traversal (0 exact, 1 SQ8), 4 signed codes (0/1), 4 code offset (float),
 *                       4 code step (float; 0 = codes not fitted yet)
 *          zero bytes up to the vector section
 * vectors  count rows of stride bytes: the vector in its element type, then zero padding
 * graph    per slot: int32 degree, then that many int32 neighbour slots
 * slots    int32 next id, then per slot: int32 state (0 free, 1 live, 2 deleted), int32 id
 * footer   4  CRC32C of every byte before it
 *          8  magic "DISKANNE"
 * </pre>
 *
 * <p>Why rows with padding at an aligned offset: the vector section is byte for byte what
 * {@link ChunkedRows} holds in memory, so loading copies whole chunks (or maps the section, {@link
 * VamanaIndex.LoadMode#MAP}) instead of converting row by row. The build thread count is not saved: it
 * belongs to the machine that loads the index.
 *
 * <p>Why the quantizer is saved rather than re-fitted on load: the codes, and so every search's
 * results, are then the same after a load as before the save. The codes themselves are not saved: they
 * are re-encoded from the vectors in one pass.
 *
 * <p>Version 2 had no padding, no entry directions and a build-thread field; version 1 had no slot
 * section (every slot live, id = slot).
 *
 * <p>Reading checks, in order: the file exists, the leading magic, the version, the declared section sizes
 * against the real file size (truncation or trailing bytes) before anything is allocated, every header
 * field's range, every neighbour id, then the checksum, and reports the first problem as an
 * {@link IOException} naming the file.
 */
final class LegacyIndexFile {

    static final int VERSION = 3;
    static final byte[] LEGACY_MAGIC = "DISKANNJ".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] MAGIC = LEGACY_MAGIC;
    private static final byte[] END_MAGIC = "DISKANNE".getBytes(StandardCharsets.US_ASCII);
    private static final int HEADER_BYTES_V1 = 8 + 4 * 14 + 16;
    private static final int HEADER_BYTES_V2 = HEADER_BYTES_V1 + 4;
    private static final int FOOTER_BYTES = 4 + 8;
    static final int SECTION_ALIGNMENT = 4096;

    private LegacyIndexFile() {
    }

    /** The header fields every version has, read and range-checked before anything is allocated. */
    private record Header(int version, VectorType type, Metric metric, int dim, int count, int start,
                          VamanaParams params, int stride, long vectorOffset, long vectorBytes, long graphBytes,
                          boolean hasSlots, Traversal traversal, ScalarQuantizer quantizer) {
    }

    static GraphState read(Path path, boolean mapVectors) throws IOException {
        if (!Files.exists(path)) {
            throw new NoSuchFileException(path.toString(), null, "index file does not exist");
        }
        String what = "cannot load index " + path;
        try (FileChannel ch = FileChannel.open(path, StandardOpenOption.READ)) {
            long size = ch.size();
            if (size < HEADER_BYTES_V1 + FOOTER_BYTES) {
                throw corrupt(path, "file is " + size + " bytes, shorter than any index (truncated or not an index)");
            }
            ChecksumReader r = new ChecksumReader(ch, what);
            Header h = readHeader(r, path, size);
            VectorStore vs;
            if (h.version >= 3) {
                r.skip(h.vectorOffset - r.position());
                vs = mapVectors ? mapRows(path, r, h) : readRows(r, h);
            } else {
                vs = readLegacyRows(r, h);
            }
            boolean ok = false;
            try {
                GraphState state = readRest(r, path, h, vs);
                ok = true;
                return state;
            } finally {
                if (!ok) {
                    vs.close();
                }
            }
        } catch (EOFException e) {
            throw new CorruptIndexException(path, "file.length", null, "truncated: " + e.getMessage(), e);
        } catch (RuntimeException e) {
            throw new CorruptIndexException(path, null, null, "unreadable contents (" + e + ")", e);
        }
    }

    private static Header readHeader(ChecksumReader r, Path path, long size) throws IOException {
        if (!Arrays.equals(r.bytes(8), MAGIC)) {
            throw corrupt(path, "not a diskann-java index (bad magic number)");
        }
        int version = r.i32();
        if (version < 1 || version > VERSION) {
            throw corrupt(path, "unsupported format version " + version + " (this build reads versions 1 to " + VERSION + ")");
        }
        int typeCode = r.i32();
        VectorType type = FormatCodes.type(typeCode);
        if (type == null) {
            throw corrupt(path, "unknown element type code " + typeCode);
        }
        int metricCode = r.i32();
        Metric metric = FormatCodes.metric(metricCode);
        if (metric == null) {
            throw corrupt(path, "unknown metric code " + metricCode);
        }
        int dim = r.i32();
        int count = r.i32();
        int start = r.i32();
        int maxDegree = r.i32();
        int buildL = r.i32();
        float alpha = r.f32();
        int maxc = r.i32();
        float slack = r.f32();
        boolean saturate = r.i32() != 0;
        if (version <= 2) {
            r.i32(); // build threads: a property of the machine, no longer saved
        }
        float consolidateThreshold = version >= 2 ? r.f32() : 0f;
        int entryDirections = version >= 3 ? r.i32() : VamanaParams.DEFAULT_IP_ENTRY_DIRECTIONS;
        int flags = r.i32();
        int stride = version >= 3 ? r.i32() : 0;
        long vectorOffset = version >= 3 ? r.i64() : 0;
        long vectorBytes = r.i64();
        long graphBytes = r.i64();
        if (dim <= 0 || dim > 65_536 || count <= 0 || start < 0 || start >= count) {
            throw corrupt(path, "bad header: dimensions " + dim + ", count " + count + ", start " + start);
        }
        int expectedFlags = version >= 2 ? 1 : 0;
        boolean traversalFields = version >= 3 && flags == (expectedFlags | 2);
        if (flags != expectedFlags && !traversalFields) {
            throw corrupt(path, "header flags " + flags + " name features this build does not know");
        }
        Traversal traversal = Traversal.EXACT;
        ScalarQuantizer quantizer = null;
        if (traversalFields) {
            int t = r.i32();
            int signed = r.i32();
            float offset = r.f32();
            float step = r.f32();
            if (t < 0 || t > 1 || signed < 0 || signed > 1) {
                throw corrupt(path, "bad traversal fields: traversal " + t + ", signed " + signed);
            }
            traversal = t == 1 ? Traversal.SQ8 : Traversal.EXACT;
            if (step != 0f) {
                try {
                    quantizer = new ScalarQuantizer(signed == 1, offset, step);
                } catch (IllegalArgumentException e) {
                    throw corrupt(path, e.getMessage());
                }
            }
        }
        VamanaParams params;
        try {
            params = new VamanaParams(maxDegree, buildL, alpha, maxc, slack, saturate,
                    Runtime.getRuntime().availableProcessors(), consolidateThreshold, entryDirections);
        } catch (IllegalArgumentException e) {
            throw corrupt(path, "bad parameters in header: " + e.getMessage());
        }
        int rowBytes = dim * type.bytesPerElement();
        long headerBytes;
        if (version >= 3) {
            if (stride != ChunkedRows.strideFor(rowBytes)) {
                throw corrupt(path, "row stride " + stride + " does not fit rows of " + rowBytes + " bytes");
            }
            if (vectorOffset != SECTION_ALIGNMENT) {
                throw corrupt(path, "vector section at byte " + vectorOffset + ", expected " + SECTION_ALIGNMENT);
            }
            headerBytes = vectorOffset;
        } else {
            stride = rowBytes;
            headerBytes = version >= 2 ? HEADER_BYTES_V2 : HEADER_BYTES_V1;
        }
        long expectedVectorBytes = (long) count * stride;
        if (vectorBytes != expectedVectorBytes) {
            throw corrupt(path, "vector section is " + vectorBytes + " bytes, expected " + expectedVectorBytes);
        }
        long maxGraphBytes = 4L * count * (1 + params.slackDegree());
        if (graphBytes < 4L * count || graphBytes > maxGraphBytes) {
            throw corrupt(path, "graph section is " + graphBytes + " bytes, outside " + 4L * count + ".." + maxGraphBytes);
        }
        long slotBytes = version >= 2 ? 4 + 8L * count : 0;
        long expectedSize = headerBytes + vectorBytes + graphBytes + slotBytes + FOOTER_BYTES;
        if (size < expectedSize) {
            throw corrupt(path, "truncated: file is " + size + " bytes but its header declares " + expectedSize);
        }
        if (size > expectedSize) {
            throw corrupt(path, "file is " + size + " bytes but its header declares " + expectedSize + " (trailing data)");
        }
        return new Header(version, type, metric, dim, count, start, params, stride, vectorOffset, vectorBytes,
                graphBytes, version >= 2, traversal, quantizer);
    }

    /** Version 3 rows, read chunk by chunk straight into native memory. */
    private static VectorStore readRows(ChecksumReader r, Header h) throws IOException {
        VectorStore vs = VectorStore.create(h.type, h.dim, h.count);
        try {
            ChunkedRows rows = vs.rows();
            long left = h.vectorBytes;
            for (int c = 0; left > 0; c++) {
                MemorySegment chunk = rows.chunk(c);
                long n = Math.min(left, chunk.byteSize());
                r.bytes(chunk.asSlice(0, n).asByteBuffer());
                left -= n;
            }
            rows.clearPads(h.count); // the fast 8-bit kernels read rows up to their stride
            return vs;
        } catch (IOException | RuntimeException e) {
            vs.close();
            throw e;
        }
    }

    /**
     * Version 3 rows, mapped from the file (read once through the checksum). The mapping is copy-on-write,
     * which the JDK only grants through a channel open for writing; nothing is ever written to it.
     */
    private static VectorStore mapRows(Path path, ChecksumReader r, Header h) throws IOException {
        ChunkedRows rows;
        try (FileChannel rw = FileChannel.open(path, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            rows = ChunkedRows.map(rw, h.vectorOffset, h.count, h.dim * h.type.bytesPerElement());
        } catch (java.nio.file.AccessDeniedException e) {
            throw new IOException("cannot map index " + path + ": a copy-on-write mapping needs write permission on"
                    + " the file (it is never changed); load it with LoadMode.COPY instead", e);
        }
        VectorStore vs = VectorStore.over(h.type, h.dim, rows);
        try {
            r.skip(h.vectorBytes);
            return vs;
        } catch (IOException | RuntimeException e) {
            vs.close();
            throw e;
        }
    }

    /** Versions 1 and 2: rows without padding, copied one by one into aligned rows. */
    private static VectorStore readLegacyRows(ChecksumReader r, Header h) throws IOException {
        VectorStore vs = VectorStore.create(h.type, h.dim, h.count);
        try {
            ChunkedRows rows = vs.rows();
            for (int i = 0; i < h.count; i++) {
                r.bytes(rows.segment(i).asSlice(rows.offset(i), rows.rowBytes()).asByteBuffer());
            }
            return vs;
        } catch (IOException | RuntimeException e) {
            vs.close();
            throw e;
        }
    }

    private static GraphState readRest(ChecksumReader r, Path path, Header h, VectorStore vs) throws IOException {
        int count = h.count;
        int slackDegree = h.params.slackDegree();
        IndexFile.checkAdjacencyFits(path, count, slackDegree);
        Adjacency g = new Adjacency(count, slackDegree);
        int[] buf = new int[slackDegree];
        for (int i = 0; i < count; i++) {
            int d = r.i32();
            if (d < 0 || d > slackDegree) {
                throw corrupt(path, "node " + i + " has degree " + d + " (at most " + slackDegree + " allowed)");
            }
            for (int j = 0; j < d; j++) {
                int id = r.i32();
                if (id < 0 || id >= count) {
                    throw corrupt(path, "node " + i + " links to id " + id + " outside 0.." + (count - 1));
                }
                buf[j] = id;
            }
            g.set(i, buf, d);
        }
        SlotTable slots;
        if (h.hasSlots) {
            int nextLabel = r.i32();
            int[] states = new int[count];
            int[] labels = new int[count];
            for (int i = 0; i < count; i++) {
                states[i] = r.i32();
                labels[i] = r.i32();
                boolean used = states[i] == SlotTable.LIVE || states[i] == SlotTable.DELETED;
                if (states[i] < 0 || states[i] > SlotTable.DELETED || (used && (labels[i] < 0 || labels[i] >= nextLabel))) {
                    throw corrupt(path, "slot " + i + " has state " + states[i] + " and id " + labels[i]);
                }
            }
            try {
                slots = SlotTable.restore(states, labels, count, nextLabel, count);
            } catch (IllegalArgumentException e) {
                throw corrupt(path, e.getMessage());
            }
        } else {
            slots = SlotTable.identity(count, count);
        }
        int computed = r.checksum();
        int stored = r.i32();
        if (computed != stored) {
            throw corrupt(path, "checksum mismatch (stored " + Integer.toHexString(stored) + ", computed "
                    + Integer.toHexString(computed) + "): the file is corrupt");
        }
        if (!Arrays.equals(r.bytes(8), END_MAGIC)) {
            throw corrupt(path, "bad end marker: the file is corrupt");
        }
        return IndexFile.assemble(h.dim, h.metric, h.type, h.params, vs, g, slots, h.start, h.traversal, h.quantizer);
    }

    private static CorruptIndexException corrupt(Path path, String problem) {
        return new CorruptIndexException(path, null, null, problem);
    }
}
