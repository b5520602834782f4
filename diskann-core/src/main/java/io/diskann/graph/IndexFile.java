package io.diskann.graph;

import io.diskann.vector.Metric;
import io.diskann.vector.VectorStore;
import io.diskann.vector.VectorType;
import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.zip.CRC32C;

/**
 * The on-disk format of an in-memory {@link VamanaIndex}, version 2 (version 1 files are still read).
 * Little-endian throughout.
 *
 * <pre>
 * header   8  magic "DISKANNJ"
 *          4  format version (2)
 *          4  element type (0 f32, 1 f16, 2 i8, 3 u8)
 *          4  metric (0 l2, 1 cosine, 2 inner product)
 *          4  dimensions, 4 slots used (count), 4 start slot
 *          4  R, 4 L_build, 4 alpha (float), 4 maxc, 4 slack factor (float), 4 saturate (0/1), 4 build threads
 *          4  consolidate threshold (float; version 2 only)
 *          4  flags (version 2: 1 = slot section present; version 1: 0)
 *          8  bytes of the vector section, 8 bytes of the graph section
 * vectors  count x dimensions elements, row-major, in the element type
 * graph    per slot: int32 degree, then that many int32 neighbour slots
 * slots    (version 2) int32 next id, then per slot: int32 state (0 free, 1 live, 2 deleted), int32 id
 * footer   4  CRC32C of every byte before it
 *          8  magic "DISKANNE"
 * </pre>
 *
 * In version 1 every slot is live and its id is its slot number.
 *
 * Reading checks, in order: the file exists, the leading magic, the version, the declared section sizes
 * against the real file size (truncation), every header field's range, every neighbour id, then the
 * checksum, and reports the first problem as an {@link IOException} naming the file.
 */
final class IndexFile {

    static final int VERSION = 2;
    private static final byte[] MAGIC = "DISKANNJ".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] END_MAGIC = "DISKANNE".getBytes(StandardCharsets.US_ASCII);
    private static final int HEADER_BYTES_V1 = 8 + 4 * 14 + 16;
    private static final int HEADER_BYTES = HEADER_BYTES_V1 + 4;
    private static final int FOOTER_BYTES = 4 + 8;
    private static final int BUFFER = 1 << 20;

    private IndexFile() {
    }

    private static int typeCode(VectorType t) {
        return switch (t) {
            case F32 -> 0;
            case F16 -> 1;
            case I8 -> 2;
            case U8 -> 3;
        };
    }

    private static int metricCode(Metric m) {
        return switch (m) {
            case L2 -> 0;
            case COSINE -> 1;
            case INNER_PRODUCT -> 2;
        };
    }

    static void write(Path path, GraphState index) throws IOException {
        Path target = path.toAbsolutePath();
        Path dir = target.getParent();
        if (dir != null) {
            Files.createDirectories(dir);
        }
        Path tmp = Files.createTempFile(dir, target.getFileName().toString() + ".", ".tmp");
        boolean done = false;
        try {
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
                Writer w = new Writer(ch);
                writeBody(w, index);
                w.finish();
                ch.force(true);
            }
            try {
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
            }
            done = true;
            syncDirectory(dir);
        } finally {
            if (!done) {
                Files.deleteIfExists(tmp);
            }
        }
    }

    private static void syncDirectory(Path dir) {
        if (dir == null) {
            return;
        }
        try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
            d.force(true);
        } catch (IOException | UnsupportedOperationException ignored) {
            // not every platform can fsync a directory; the rename itself is still atomic
        }
    }

    private static void writeBody(Writer w, GraphState index) throws IOException {
        VectorStore vs = index.vectors;
        Adjacency g = index.graph;
        SlotTable slots = index.slots;
        int count = slots.highWater();
        int dim = index.dimensions;
        VamanaParams p = index.params;
        long vectorBytes = (long) count * dim * index.type.bytesPerElement();
        long graphBytes = 0;
        for (int i = 0; i < count; i++) {
            graphBytes += 4L * (1 + g.degree(i));
        }
        w.bytes(MAGIC);
        w.i32(VERSION);
        w.i32(typeCode(index.type));
        w.i32(metricCode(index.metric));
        w.i32(dim);
        w.i32(count);
        w.i32(index.start);
        w.i32(p.maxDegree());
        w.i32(p.buildListSize());
        w.f32(p.alpha());
        w.i32(p.maxCandidates());
        w.f32(p.slackFactor());
        w.i32(p.saturate() ? 1 : 0);
        w.i32(p.threads());
        w.f32(p.consolidateThreshold());
        w.i32(1);
        w.i64(vectorBytes);
        w.i64(graphBytes);
        long elements = (long) count * dim;
        switch (vs.rawArray()) {
            case float[] a -> w.floats(a, (int) elements);
            case short[] a -> w.shorts(a, (int) elements);
            case byte[] a -> w.bytes(a, (int) elements);
            default -> throw new IllegalStateException("unknown store " + vs.rawArray().getClass());
        }
        int[] buf = new int[g.maxDegree()];
        for (int i = 0; i < count; i++) {
            int d = g.copy(i, buf);
            w.i32(d);
            for (int j = 0; j < d; j++) {
                w.i32(buf[j]);
            }
        }
        w.i32(slots.nextLabel());
        for (int i = 0; i < count; i++) {
            int st = slots.state(i);
            // the mutation lock is held exclusively, so no insert is in flight; treat a stray pending slot as free
            boolean keep = st == SlotTable.LIVE || st == SlotTable.DELETED;
            w.i32(keep ? st : SlotTable.FREE);
            w.i32(keep ? slots.labelOf(i) : -1);
        }
    }

    static GraphState read(Path path) throws IOException {
        if (!Files.exists(path)) {
            throw new NoSuchFileException(path.toString(), null, "index file does not exist");
        }
        try (FileChannel ch = FileChannel.open(path, StandardOpenOption.READ)) {
            long size = ch.size();
            if (size < HEADER_BYTES_V1 + FOOTER_BYTES) {
                throw corrupt(path, "file is " + size + " bytes, shorter than any index (truncated or not an index)");
            }
            Reader r = new Reader(ch, path);
            byte[] magic = r.bytes(8);
            if (!java.util.Arrays.equals(magic, MAGIC)) {
                throw corrupt(path, "not a diskann-java index (bad magic number)");
            }
            int version = r.i32();
            if (version != 1 && version != VERSION) {
                throw corrupt(path, "unsupported format version " + version + " (this build reads versions 1 and " + VERSION + ")");
            }
            VectorType type = switch (r.i32()) {
                case 0 -> VectorType.F32;
                case 1 -> VectorType.F16;
                case 2 -> VectorType.I8;
                case 3 -> VectorType.U8;
                default -> throw corrupt(path, "unknown element type code");
            };
            Metric metric = switch (r.i32()) {
                case 0 -> Metric.L2;
                case 1 -> Metric.COSINE;
                case 2 -> Metric.INNER_PRODUCT;
                default -> throw corrupt(path, "unknown metric code");
            };
            int dim = r.i32();
            int count = r.i32();
            int start = r.i32();
            int maxDegree = r.i32();
            int buildL = r.i32();
            float alpha = r.f32();
            int maxc = r.i32();
            float slack = r.f32();
            boolean saturate = r.i32() != 0;
            int threads = r.i32();
            float consolidateThreshold = version >= 2 ? r.f32() : 0f;
            int flags = r.i32();
            long vectorBytes = r.i64();
            long graphBytes = r.i64();
            if (dim <= 0 || count <= 0 || start < 0 || start >= count) {
                throw corrupt(path, "bad header: dimensions " + dim + ", count " + count + ", start " + start);
            }
            int expectedFlags = version >= 2 ? 1 : 0;
            if (flags != expectedFlags) {
                throw corrupt(path, "header flags " + flags + " name features this build does not know");
            }
            long expectedVectorBytes = (long) count * dim * type.bytesPerElement();
            if (vectorBytes != expectedVectorBytes) {
                throw corrupt(path, "vector section is " + vectorBytes + " bytes, expected " + expectedVectorBytes);
            }
            long slotBytes = version >= 2 ? 4 + 8L * count : 0;
            long expectedSize = (version >= 2 ? HEADER_BYTES : HEADER_BYTES_V1) + vectorBytes + graphBytes + slotBytes
                    + FOOTER_BYTES;
            if (size < expectedSize) {
                throw corrupt(path, "truncated: file is " + size + " bytes but its header declares " + expectedSize);
            }
            if (size > expectedSize) {
                throw corrupt(path, "file is " + size + " bytes but its header declares " + expectedSize + " (trailing data)");
            }
            VamanaParams params;
            try {
                params = new VamanaParams(maxDegree, buildL, alpha, maxc, slack, saturate, threads, consolidateThreshold);
            } catch (IllegalArgumentException e) {
                throw corrupt(path, "bad parameters in header: " + e.getMessage());
            }
            VectorStore vs = VectorStore.create(type, dim, count);
            int elements = Math.toIntExact((long) count * dim);
            switch (vs.rawArray()) {
                case float[] a -> r.floats(a, elements);
                case short[] a -> r.shorts(a, elements);
                case byte[] a -> r.bytes(a, elements);
                default -> throw new IllegalStateException("unknown store");
            }
            int slackDegree = params.slackDegree();
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
            if (version >= 2) {
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
            if (!java.util.Arrays.equals(r.bytes(8), END_MAGIC)) {
                throw corrupt(path, "bad end marker: the file is corrupt");
            }
            GraphState state = new GraphState(dim, metric, type, params, vs, g, slots, start);
            if (metric == Metric.INNER_PRODUCT) {
                state.mips = MipsBuildScorer.Augmentation.of(vs, count);
                state.chooseEntryPoints();
            }
            return state;
        }
    }

    private static IOException corrupt(Path path, String problem) {
        return new IOException("cannot load index " + path + ": " + problem);
    }

    /** Buffered little-endian writer that checksums everything it writes. */
    private static final class Writer {
        private final FileChannel ch;
        private final ByteBuffer buf = ByteBuffer.allocate(BUFFER).order(ByteOrder.LITTLE_ENDIAN);
        private final CRC32C crc = new CRC32C();

        Writer(FileChannel ch) {
            this.ch = ch;
        }

        private void room(int n) throws IOException {
            if (buf.remaining() < n) {
                flush();
            }
        }

        private void flush() throws IOException {
            buf.flip();
            crc.update(buf.array(), 0, buf.limit());
            while (buf.hasRemaining()) {
                ch.write(buf);
            }
            buf.clear();
        }

        void i32(int v) throws IOException {
            room(4);
            buf.putInt(v);
        }

        void i64(long v) throws IOException {
            room(8);
            buf.putLong(v);
        }

        void f32(float v) throws IOException {
            room(4);
            buf.putFloat(v);
        }

        void bytes(byte[] b) throws IOException {
            bytes(b, b.length);
        }

        void bytes(byte[] a, int n) throws IOException {
            for (int off = 0; off < n; ) {
                room(1);
                int c = Math.min(buf.remaining(), n - off);
                buf.put(a, off, c);
                off += c;
            }
        }

        void floats(float[] a, int n) throws IOException {
            for (int off = 0; off < n; ) {
                room(4);
                int c = Math.min(buf.remaining() / 4, n - off);
                buf.asFloatBuffer().put(a, off, c);
                buf.position(buf.position() + 4 * c);
                off += c;
            }
        }

        void shorts(short[] a, int n) throws IOException {
            for (int off = 0; off < n; ) {
                room(2);
                int c = Math.min(buf.remaining() / 2, n - off);
                buf.asShortBuffer().put(a, off, c);
                buf.position(buf.position() + 2 * c);
                off += c;
            }
        }

        void finish() throws IOException {
            flush();
            int sum = (int) crc.getValue();
            buf.putInt(sum);
            buf.put(END_MAGIC);
            buf.flip();
            while (buf.hasRemaining()) {
                ch.write(buf);
            }
            buf.clear();
        }
    }

    /** Buffered little-endian reader that checksums everything it reads, reporting EOF with the offset. */
    private static final class Reader {
        private final FileChannel ch;
        private final Path path;
        private final ByteBuffer buf = ByteBuffer.allocate(BUFFER).order(ByteOrder.LITTLE_ENDIAN);
        private final CRC32C crc = new CRC32C();
        private long consumedBefore;

        Reader(FileChannel ch, Path path) {
            this.ch = ch;
            this.path = path;
            buf.limit(0);
        }

        private void need(int n) throws IOException {
            if (buf.remaining() >= n) {
                return;
            }
            // checksum what was consumed, keep the unconsumed tail, refill
            crc.update(buf.array(), 0, buf.position());
            consumedBefore += buf.position();
            buf.compact();
            while (buf.position() < n) {
                int r = ch.read(buf);
                if (r < 0) {
                    throw new EOFException("cannot load index " + path + ": truncated at byte "
                            + (consumedBefore + buf.position()));
                }
            }
            buf.flip();
            // bytes of buf from 0 were not yet checksummed
        }

        /** CRC32C of everything consumed so far. */
        int checksum() {
            crc.update(buf.array(), 0, buf.position());
            consumedBefore += buf.position();
            buf.compact().flip();
            return (int) crc.getValue();
        }

        int i32() throws IOException {
            need(4);
            return buf.getInt();
        }

        long i64() throws IOException {
            need(8);
            return buf.getLong();
        }

        float f32() throws IOException {
            need(4);
            return buf.getFloat();
        }

        byte[] bytes(int n) throws IOException {
            byte[] out = new byte[n];
            bytes(out, n);
            return out;
        }

        void bytes(byte[] a, int n) throws IOException {
            for (int off = 0; off < n; ) {
                need(1);
                int c = Math.min(buf.remaining(), n - off);
                buf.get(a, off, c);
                off += c;
            }
        }

        void floats(float[] a, int n) throws IOException {
            for (int off = 0; off < n; ) {
                need(4);
                int c = Math.min(buf.remaining() / 4, n - off);
                buf.asFloatBuffer().get(a, off, c);
                buf.position(buf.position() + 4 * c);
                off += c;
            }
        }

        void shorts(short[] a, int n) throws IOException {
            for (int off = 0; off < n; ) {
                need(2);
                int c = Math.min(buf.remaining() / 2, n - off);
                buf.asShortBuffer().get(a, off, c);
                buf.position(buf.position() + 2 * c);
                off += c;
            }
        }
    }
}
