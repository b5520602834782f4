package io.diskann.graph;

import io.diskann.io.ChecksumReader;
import io.diskann.io.ChecksumWriter;
import io.diskann.io.FormatCodes;
import io.diskann.io.FormatReader;
import io.diskann.io.FormatWriter;
import io.diskann.io.IndexFiles;
import io.diskann.io.SaveId;
import io.diskann.vector.ChunkedRows;
import io.diskann.vector.Metric;
import io.diskann.vector.ScalarQuantizer;
import io.diskann.vector.VectorStore;
import io.diskann.vector.VectorType;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.Lock;
import java.util.function.IntFunction;

/**
 * The file of an in-memory {@link VamanaIndex}: codec {@value #CODEC}, version 4, in the project's
 * container format ({@link FormatWriter}: checksummed header, named sections, footer). Versions 1 to 3,
 * from before the container, are still read ({@link LegacyIndexFile}).
 *
 * <pre>
 * section "params" v1 (72 bytes): 4 element type (0 f32, 1 f16, 2 i8, 3 u8), 4 metric (0 l2, 1 cosine,
 *          2 inner product), 4 dimensions, 4 slots used (count), 4 start slot, 4 R, 4 L_build,
 *          4 alpha (float), 4 maxc, 4 slack factor (float), 4 saturate (0/1), 4 consolidate threshold
 *          (float), 4 inner-product entry directions, 4 row stride in bytes, 4 traversal (0 exact, 1 SQ8),
 *          4 signed codes (0/1), 4 code offset (float), 4 code step (float; 0 = codes not fitted yet)
 * section "vectors" v1, aligned to 4096: count rows of stride bytes (the vector, then zero padding)
 * section "adjacency" v1: per slot int32 degree, then that many int32 neighbour slots
 * section "slots" v1: int32 next id, then per slot int32 state (0 free, 1 live, 2 deleted), int32 id
 * then any sections other modules save with the graph (diskann-pq's "pq"); a reader skips (but
 * checksums) the ones it does not use
 * </pre>
 *
 * <p>Why rows with padding at an aligned offset: the vector section is byte for byte what
 * {@link ChunkedRows} holds in memory, so loading copies whole chunks (or maps the section, {@link
 * VamanaIndex.LoadMode#MAP}) instead of converting row by row. The build thread count is not saved: it
 * belongs to the machine that loads the index. The quantizer is saved rather than re-fitted, so searches
 * answer the same after a load as before the save; its codes are re-encoded from the vectors.
 *
 * <p>Why other modules' data goes into this file rather than beside it: one file is replaced in one
 * atomic rename, so a save killed at any moment leaves the old index or the new one, never a graph of one
 * save beside codes of another.
 *
 * <p>Reading checks every size against the bytes really in the file before it allocates (the vector
 * count against the vector section, degrees against R, the adjacency allocation against the adjacency
 * section), every neighbour and slot against the count, every checksum, and reports the first problem as
 * a {@link io.diskann.index.CorruptIndexException} naming the file, field and value.
 */
final class IndexFile {

    /**
     * Writes {@code state} to {@code path} as a consistent snapshot: mutations wait (the mutation lock),
     * searches continue (the read lock only keeps the storage from being swapped or closed).
     */
    static void writeSnapshot(Path path, GraphState state, IntFunction<List<FormatWriter.Section>> extra)
            throws IOException {
        Lock m = state.mutationLock.writeLock();
        m.lock();
        try {
            Lock r = state.lock.readLock();
            r.lock();
            try {
                state.ensureOpen();
                if (state.start < 0) {
                    throw new IllegalStateException("the index is empty: nothing to save");
                }
                write(path, state, extra.apply(state.slots.highWater()));
            } finally {
                r.unlock();
            }
        } finally {
            m.unlock();
        }
    }

    static final String CODEC = "vamana-index";
    static final int VERSION = 4;
    private static final int PARAMS_BYTES = 18 * 4;
    private static final int VECTOR_ALIGNMENT = LegacyIndexFile.SECTION_ALIGNMENT;

    private IndexFile() {
    }

    static void write(Path path, GraphState index, List<FormatWriter.Section> extra) throws IOException {
        ChunkedRows rows = index.vectors.rows();
        Adjacency g = index.graph;
        SlotTable slots = index.slots;
        int count = slots.highWater();
        long vectorBytes = (long) count * rows.stride();
        long graphBytes = 0;
        for (int i = 0; i < count; i++) {
            graphBytes += 4L * (1 + g.degree(i));
        }
        List<FormatWriter.Section> sections = new ArrayList<>();
        sections.add(new FormatWriter.Section("params", 1, PARAMS_BYTES, 4, w -> writeParams(w, index, count)));
        sections.add(new FormatWriter.Section("vectors", 1, vectorBytes, VECTOR_ALIGNMENT, w -> {
            long left = vectorBytes;
            for (int c = 0; left > 0; c++) { // the rows as they are in memory, chunk by chunk
                MemorySegment chunk = rows.chunk(c);
                long n = Math.min(left, chunk.byteSize());
                w.bytes(chunk.asSlice(0, n).asByteBuffer());
                left -= n;
            }
        }));
        sections.add(new FormatWriter.Section("adjacency", 1, graphBytes, 4, w -> {
            int[] buf = new int[g.maxDegree()];
            for (int i = 0; i < count; i++) {
                int d = g.copy(i, buf);
                w.i32(d);
                w.ints(buf, d);
            }
        }));
        sections.add(new FormatWriter.Section("slots", 1, 4 + 8L * count, 4, w -> {
            w.i32(slots.nextLabel());
            for (int i = 0; i < count; i++) {
                int st = slots.state(i);
                // the mutation lock is held exclusively, so no insert is in flight; a stray pending slot is free
                boolean keep = st == SlotTable.LIVE || st == SlotTable.DELETED;
                w.i32(keep ? st : SlotTable.FREE);
                w.i32(keep ? slots.labelOf(i) : -1);
            }
        }));
        sections.addAll(extra);
        FormatWriter.write(path, CODEC, VERSION, SaveId.random(), sections);
    }

    private static void writeParams(ChecksumWriter w, GraphState index, int count) throws IOException {
        VamanaParams p = index.params;
        w.i32(FormatCodes.typeCode(index.type));
        w.i32(FormatCodes.metricCode(index.metric));
        w.i32(index.dimensions);
        w.i32(count);
        w.i32(index.start);
        w.i32(p.maxDegree());
        w.i32(p.buildListSize());
        w.f32(p.alpha());
        w.i32(p.maxCandidates());
        w.f32(p.slackFactor());
        w.i32(p.saturate() ? 1 : 0);
        w.f32(p.consolidateThreshold());
        w.i32(p.ipEntryDirections());
        w.i32(index.vectors.rows().stride());
        TraversalCodes codes = index.codes;
        ScalarQuantizer q = codes == null ? null : codes.quantizer();
        w.i32(index.traversal == Traversal.SQ8 ? 1 : 0);
        w.i32(q != null && q.signed() ? 1 : 0);
        w.f32(q == null ? 0f : q.offset());
        w.f32(q == null ? 0f : q.step());
    }

    /** What the params section says, range-checked. */
    private record Params(VectorType type, Metric metric, int dim, int count, int start, VamanaParams params,
                          int stride, Traversal traversal, ScalarQuantizer quantizer) {
    }

    /**
     * Reads a graph file of any version; sections other modules saved with it go to {@code extra}.
     *
     * @param path the file
     * @param mapVectors map the vector section instead of copying it
     * @param extra reads the sections it knows and returns false for others, which are then skipped
     */
    static GraphState read(Path path, boolean mapVectors, IndexFiles.ExtraSections extra) throws IOException {
        if (java.nio.file.Files.exists(path) && !io.diskann.io.FormatReader.isFormatFile(path)) {
            return LegacyIndexFile.read(path, mapVectors);
        }
        try (FormatReader r = FormatReader.open(path, CODEC, VERSION, VERSION)) {
            FormatReader.Section s = r.next("params", 1, 1);
            Params p = r.guard(() -> readParams(s));
            FormatReader.Section vs = r.next("vectors", 1, 1);
            long expected = (long) p.count * p.stride;
            if (vs.length() != expected) {
                throw vs.corrupt("length", vs.length(), "expected " + p.count + " rows of " + p.stride + " bytes = " + expected);
            }
            VectorStore vectors = mapVectors ? mapRows(r, vs, p) : readRows(r, vs, p);
            boolean ok = false;
            try {
                FormatReader.Section as = r.next("adjacency", 1, 1);
                Adjacency g = r.guard(() -> readAdjacency(r.path(), as, p));
                as.end();
                FormatReader.Section ss = r.next("slots", 1, 1);
                SlotTable slots = r.guard(() -> readSlots(ss, p));
                ss.end();
                while (r.hasNext()) {
                    FormatReader.Section x = r.next();
                    if (extra == null || !extra.read(r, x)) {
                        x.skip();
                    }
                }
                r.finish();
                GraphState state = r.guard(() -> assemble(p.dim, p.metric, p.type, p.params, vectors, g, slots, p.start,
                        p.traversal, p.quantizer));
                ok = true;
                return state;
            } finally {
                if (!ok) {
                    vectors.close();
                }
            }
        }
    }

    private static Params readParams(FormatReader.Section s) throws IOException {
        if (s.length() != PARAMS_BYTES) {
            throw s.corrupt("length", s.length(), "expected " + PARAMS_BYTES);
        }
        ChecksumReader in = s.in();
        int typeCode = in.i32();
        int metricCode = in.i32();
        int dim = in.i32();
        int count = in.i32();
        int start = in.i32();
        int maxDegree = in.i32();
        int buildL = in.i32();
        float alpha = in.f32();
        int maxc = in.i32();
        float slack = in.f32();
        int saturate = in.i32();
        float consolidate = in.f32();
        int entryDirections = in.i32();
        int stride = in.i32();
        int traversalCode = in.i32();
        int signed = in.i32();
        float offset = in.f32();
        float step = in.f32();
        s.end(); // the checksum first: a flipped bit reads as "damaged", not as a strange parameter
        VectorType type = FormatCodes.type(typeCode);
        if (type == null) {
            throw s.corrupt("type", typeCode, "unknown element type code");
        }
        Metric metric = FormatCodes.metric(metricCode);
        if (metric == null) {
            throw s.corrupt("metric", metricCode, "unknown metric code");
        }
        if (dim <= 0 || dim > 65_536) {
            throw s.corrupt("dimensions", dim, "outside 1..65536");
        }
        if (count <= 0) {
            throw s.corrupt("count", count, "an index file holds at least one slot");
        }
        if (start < 0 || start >= count) {
            throw s.corrupt("start", start, "outside the slots 0.." + (count - 1));
        }
        if (saturate < 0 || saturate > 1 || traversalCode < 0 || traversalCode > 1 || signed < 0 || signed > 1) {
            throw s.corrupt("flags", saturate + "/" + traversalCode + "/" + signed, "saturate, traversal and signed are 0 or 1");
        }
        int rowBytes = dim * type.bytesPerElement();
        if (stride != ChunkedRows.strideFor(rowBytes)) {
            throw s.corrupt("stride", stride, "does not fit rows of " + rowBytes + " bytes");
        }
        VamanaParams params;
        try {
            params = new VamanaParams(maxDegree, buildL, alpha, maxc, slack, saturate == 1,
                    Runtime.getRuntime().availableProcessors(), consolidate, entryDirections);
        } catch (IllegalArgumentException e) {
            throw s.corrupt("R..entryDirections", null, "bad build parameters: " + e.getMessage());
        }
        ScalarQuantizer quantizer = null;
        if (step != 0f) {
            try {
                quantizer = new ScalarQuantizer(signed == 1, offset, step);
            } catch (IllegalArgumentException e) {
                throw s.corrupt("codeStep", step, e.getMessage());
            }
        }
        return new Params(type, metric, dim, count, start, params, stride,
                traversalCode == 1 ? Traversal.SQ8 : Traversal.EXACT, quantizer);
    }

    private static VectorStore readRows(FormatReader r, FormatReader.Section s, Params p) throws IOException {
        VectorStore vs = VectorStore.create(p.type, p.dim, p.count);
        try {
            ChunkedRows rows = vs.rows();
            r.guard(() -> {
                long left = s.length();
                for (int c = 0; left > 0; c++) {
                    MemorySegment chunk = rows.chunk(c);
                    long n = Math.min(left, chunk.byteSize());
                    s.in().bytes(chunk.asSlice(0, n).asByteBuffer());
                    left -= n;
                }
                return null;
            });
            s.end();
            rows.clearPads(p.count); // the fast 8-bit kernels read rows up to their stride
            return vs;
        } catch (IOException | RuntimeException e) {
            vs.close();
            throw e;
        }
    }

    /**
     * The vector section mapped from the file (read once through the checksums). The mapping is
     * copy-on-write, which the JDK only grants through a channel open for writing; nothing is written.
     */
    private static VectorStore mapRows(FormatReader r, FormatReader.Section s, Params p) throws IOException {
        ChunkedRows rows;
        try (FileChannel rw = FileChannel.open(r.path(), StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            rows = ChunkedRows.map(rw, s.offset(), p.count, p.dim * p.type.bytesPerElement());
        } catch (java.nio.file.AccessDeniedException e) {
            throw new IOException("cannot map index " + r.path() + ": a copy-on-write mapping needs write permission on"
                    + " the file (it is never changed); load it with LoadMode.COPY instead", e);
        }
        VectorStore vs = VectorStore.over(p.type, p.dim, rows);
        try {
            s.skip();
            return vs;
        } catch (IOException | RuntimeException e) {
            vs.close();
            throw e;
        }
    }

    private static Adjacency readAdjacency(Path file, FormatReader.Section s, Params p) throws IOException {
        int count = p.count;
        int slackDegree = p.params.slackDegree();
        s.require("count", count, 4);
        checkAdjacencyFits(file, count, slackDegree);
        Adjacency g = new Adjacency(count, slackDegree);
        int[] buf = new int[slackDegree];
        ChecksumReader in = s.in();
        for (int i = 0; i < count; i++) {
            int d = in.i32();
            if (d < 0 || d > slackDegree) {
                throw s.corrupt("degree[" + i + "]", d, "outside 0.." + slackDegree);
            }
            s.require("degree[" + i + "]", d, 4);
            for (int j = 0; j < d; j++) {
                int id = in.i32();
                if (id < 0 || id >= count) {
                    throw s.corrupt("neighbour[" + i + "][" + j + "]", id, "outside the slots 0.." + (count - 1));
                }
                buf[j] = id;
            }
            g.set(i, buf, d);
        }
        return g;
    }

    /**
     * The adjacency is one heap array of count x (slack R + 1) ints; count is bounded by the vector
     * section's real bytes and R by the parameter checks, so only the heap can be too small. Saying so
     * beats an {@code OutOfMemoryError} (a sound file of a consolidated index may hold many empty slots,
     * so the section's size bounds nothing here).
     */
    static void checkAdjacencyFits(Path file, int count, int slackDegree) throws IOException {
        long allocation = 4L * count * (slackDegree + 1);
        long heap = Runtime.getRuntime().maxMemory();
        if (allocation > heap / 2 || (long) count * (slackDegree + 1) > Integer.MAX_VALUE - 16) {
            throw new IOException("cannot load " + file + ": its adjacency of " + count + " slots x " + (slackDegree + 1)
                    + " ints needs " + allocation + " bytes of heap; the JVM has at most " + heap + " (-Xmx)");
        }
    }

    private static SlotTable readSlots(FormatReader.Section s, Params p) throws IOException {
        int count = p.count;
        if (s.length() != 4 + 8L * count) {
            throw s.corrupt("length", s.length(), "expected " + (4 + 8L * count) + " for " + count + " slots");
        }
        ChecksumReader in = s.in();
        int nextLabel = in.i32();
        if (nextLabel < 0) {
            throw s.corrupt("nextId", nextLabel, "negative");
        }
        int[] states = new int[count];
        int[] labels = new int[count];
        for (int i = 0; i < count; i++) {
            states[i] = in.i32();
            labels[i] = in.i32();
            boolean used = states[i] == SlotTable.LIVE || states[i] == SlotTable.DELETED;
            if (states[i] < 0 || states[i] > SlotTable.DELETED) {
                throw s.corrupt("state[" + i + "]", states[i], "not 0 (free), 1 (live) or 2 (deleted)");
            }
            if (used && (labels[i] < 0 || labels[i] >= nextLabel)) {
                throw s.corrupt("id[" + i + "]", labels[i], "outside the ids handed out, 0.." + (nextLabel - 1));
            }
        }
        try {
            return SlotTable.restore(states, labels, count, nextLabel, count);
        } catch (IllegalArgumentException e) {
            throw s.corrupt("ids", null, e.getMessage());
        }
    }

    /** The loaded parts made into an index state: entry points and traversal codes rebuilt. */
    static GraphState assemble(int dim, Metric metric, VectorType type, VamanaParams params, VectorStore vs,
                               Adjacency g, SlotTable slots, int start, Traversal traversal, ScalarQuantizer quantizer) {
        GraphState state = new GraphState(dim, metric, type, params, vs, g, slots, start);
        if (metric == Metric.INNER_PRODUCT) {
            state.mips = MipsBuildScorer.Augmentation.of(vs, slots.highWater());
            state.chooseEntryPoints();
        }
        state.traversal = traversal;
        if (quantizer != null && state.quantizable()) {
            state.installCodes(TraversalCodes.of(quantizer, dim, params.threads()));
        } else {
            state.fitCodesIfWanted(TraversalCodes.FIT_AFTER);
        }
        state.fitScanBoundsIfWanted();
        return state;
    }
}
