package io.diskann.disk;

import io.diskann.graph.Graph;
import io.diskann.graph.GraphReader;
import io.diskann.graph.VamanaIndex;
import io.diskann.io.ChecksumWriter;
import io.diskann.io.FormatCodes;
import io.diskann.io.FormatWriter;
import io.diskann.io.SaveId;
import io.diskann.pq.PqFile;
import io.diskann.pq.PqParams;
import io.diskann.pq.ProductQuantizer;
import io.diskann.vector.ChunkedRows;
import io.diskann.vector.VectorStore;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.CRC32C;

/**
 * Lays a built graph index out as an SSD-resident index file: codec {@value #CODEC} v3 in the project's
 * container format (checksummed header, sections, footer). Earlier versions still open: v1 (records
 * without ids) and v2 (v1 with other modules' sections after the index's own).
 *
 * <pre>
 * section "params" v1 (48 bytes): 4 element type, 4 metric, 4 dimensions, 4 nodes n, 4 R (neighbour
 *          slots per record), 4 entry node, 4 record bytes, 4 nodes per sector, 4 sectors per node,
 *          4 L_build, 4 alpha (float), 4 flags (bit 0: records end with the node's id; set from v3 on,
 *          clear before)
 * section "pq" v1: codebook and the n codes in node order (diskann-pq's {@link PqFile} section)
 * section "ids" v1: n int32, the id of each node (read when the index opens from v3 on only to check
 *          it; kept in RAM when a filter on ids first needs it, or at open for v1/v2 files)
 * section "nodes" v1, aligned to 4096: the sectors; node i found by arithmetic ({@link DiskLayout}):
 *          vector, int32 degree, R int32 neighbours, int32 id (v3)
 * section "sector-crc" v1: CRC32C of each sector of "nodes", one int32 each
 * then, optionally, other modules' sections (diskann-filter's "labels": labels, build mode, label start points)
 * </pre>
 *
 * <p>Why nodes are renumbered breadth-first from the entry point: a search walks outwards from the entry
 * point, so neighbours of the early hops share sectors and the node cache (the nodes nearest the entry
 * point) is one contiguous range. Ids stay what the source index said.
 *
 * <p>Why a checksum per sector, verified on every read: a search reads a few dozen sectors, never the
 * whole file, so the file's own checksum cannot guard it; CRC32C of 4 KiB costs well under a microsecond
 * with the CPU's instruction, next to tens of microseconds for the read. A damaged sector is a
 * {@code CorruptIndexException} at the query that meets it, and {@link DiskIndex#verify} checks them all.
 */
public final class DiskIndexWriter {

    static final String CODEC = "disk-index";
    /** The first version: records without ids, no other modules' sections. Still read. */
    static final int VERSION = 1;
    /**
     * v1 with other modules' sections after the index's own: older builds, which read only v1, then
     * refuse it as "written by a newer build" instead of failing on a section left unread. Still read.
     */
    static final int VERSION_WITH_SECTIONS = 2;
    /**
     * What this build writes: records end with the node's id (params flag {@link #FLAG_RECORD_IDS}), other
     * modules' sections optional. Builds that read only v1/v2 refuse it as "written by a newer build"
     * instead of misreading the longer records.
     */
    static final int VERSION_RECORD_IDS = 3;
    /** Params flag: each node record ends with the node's int32 id. */
    static final int FLAG_RECORD_IDS = 1;
    static final int PARAMS_BYTES = 48;

    private DiskIndexWriter() {
    }

    /**
     * Trains a product quantizer on the live vectors of {@code index}, then writes the disk index.
     *
     * @param index a built graph index without deleted vectors (call {@link VamanaIndex#consolidate} first)
     * @param pqParams the quantizer (M bytes per vector in RAM; DiskANN's {@code -B}/PQ bytes)
     * @param path the file to write, atomically
     * @return what was written
     * @throws IOException if writing fails
     * @throws IllegalStateException if the index has deleted vectors or is empty
     */
    public static DiskLayoutInfo write(VamanaIndex index, PqParams pqParams, Path path) throws IOException {
        return write(index, pqParams, path, List.of());
    }

    /**
     * As {@link #write(VamanaIndex, PqParams, Path)}, with sections of another module after the index's
     * own (diskann-filter's labels and label start points, so a label-aware graph keeps them in the one
     * file; the file is then format v2). {@link DiskIndex#open(Path, DiskOptions,
     * io.diskann.io.IndexFiles.ExtraSections)} hands them back. Internal to this project's modules, like
     * {@code io.diskann.io} whose types it takes (exported only to them): applications use
     * {@code DiskLabels.write}. It may change without notice.
     *
     * @param index a built graph index without deleted vectors
     * @param pqParams the quantizer
     * @param path the file to write, atomically
     * @param extra sections to append, in order (names other than the disk index's own)
     * @return what was written
     * @throws IOException if writing fails
     * @throws IllegalStateException if the index has deleted vectors or is empty
     */
    public static DiskLayoutInfo write(VamanaIndex index, PqParams pqParams, Path path, List<FormatWriter.Section> extra)
            throws IOException {
        if (index == null || pqParams == null || path == null || extra == null) {
            throw new IllegalArgumentException("index, pqParams, path and extra must not be null");
        }
        if (index.stats().deletedCount() > 0) {
            throw new IllegalStateException("the index has " + index.stats().deletedCount()
                    + " deleted vectors: consolidate() it before writing a disk index");
        }
        int[] nodeToOrdinal = breadthFirstOrder(index);
        int n = nodeToOrdinal.length;
        if (n == 0) {
            throw new IllegalStateException("the index is empty: nothing to write");
        }
        VectorStore store = index.ordinals().vectors();
        int dims = index.dimensions();
        ProductQuantizer pq = ProductQuantizer.train(dims, index.metric(), n, i -> {
            float[] v = new float[dims];
            store.get(nodeToOrdinal[i], v);
            return v;
        }, pqParams);
        byte[] codes = pq.encodeAll(n, i -> {
            float[] v = new float[dims];
            store.get(nodeToOrdinal[i], v);
            return v;
        }, pqParams.threads());
        return write(index, nodeToOrdinal, pq, codes, path, extra, true);
    }

    /**
     * Writes the file format of earlier builds (v1: records without ids), so tests can check that this
     * build still reads it; nothing else writes it.
     */
    static DiskLayoutInfo writeWithoutRecordIds(VamanaIndex index, PqParams pqParams, Path path) throws IOException {
        int[] nodeToOrdinal = breadthFirstOrder(index);
        int dims = index.dimensions();
        VectorStore store = index.ordinals().vectors();
        java.util.function.IntFunction<float[]> vector = i -> {
            float[] v = new float[dims];
            store.get(nodeToOrdinal[i], v);
            return v;
        };
        ProductQuantizer pq = ProductQuantizer.train(dims, index.metric(), nodeToOrdinal.length, vector, pqParams);
        byte[] codes = pq.encodeAll(nodeToOrdinal.length, vector, pqParams.threads());
        return write(index, nodeToOrdinal, pq, codes, path, List.of(), false);
    }

    /** The live ordinals in breadth-first order from the entry point, then any the entry point does not reach. */
    static int[] breadthFirstOrder(VamanaIndex index) {
        int limit = index.ordinals().limit();
        int live = index.size();
        int[] order = new int[live];
        boolean[] seen = new boolean[limit];
        Graph g = index.ordinals().graph();
        int[] nbrs = new int[g.maxDegree()];
        int head = 0;
        int tail = 0;
        int start = g.entryPoints()[0];
        if (index.ordinals().isLive(start)) {
            order[tail++] = start;
            seen[start] = true;
        }
        try (GraphReader r = g.reader()) {
            while (true) {
                while (head < tail) {
                    int d = r.neighbors(order[head++], nbrs);
                    for (int j = 0; j < d; j++) {
                        int t = nbrs[j];
                        if (t >= 0 && t < limit && !seen[t] && index.ordinals().isLive(t)) {
                            seen[t] = true;
                            order[tail++] = t;
                        }
                    }
                }
                int next = -1; // an unreachable live node starts the next wave
                for (int o = 0; o < limit && next < 0; o++) {
                    if (!seen[o] && index.ordinals().isLive(o)) {
                        next = o;
                    }
                }
                if (next < 0) {
                    break;
                }
                seen[next] = true;
                order[tail++] = next;
            }
        }
        return order;
    }

    /** What the layout writer needs of a graph, by node number (0 .. n-1, node 0 the entry point). */
    interface NodeSource {
        /** Copies node {@code node}'s vector, in the index's element type, to {@code dst} at {@code offset}. */
        void vector(int node, MemorySegment dst, long offset);

        /** Node {@code node}'s neighbours as node numbers; returns how many. */
        int neighbors(int node, int[] out);

        /** Node {@code node}'s id. */
        int id(int node);
    }

    /** A graph index's live vectors in {@code nodeToOrdinal} order. */
    private static DiskLayoutInfo write(VamanaIndex index, int[] nodeToOrdinal, ProductQuantizer pq, byte[] codes,
                                        Path path, List<FormatWriter.Section> extra, boolean recordIds) throws IOException {
        int n = nodeToOrdinal.length;
        int limit = index.ordinals().limit();
        int[] ordinalToNode = new int[limit];
        java.util.Arrays.fill(ordinalToNode, -1);
        for (int i = 0; i < n; i++) {
            ordinalToNode[nodeToOrdinal[i]] = i;
        }
        Graph g = index.ordinals().graph();
        int[] nbrs = new int[g.maxDegree()];
        int maxDegree = 1;
        try (GraphReader r = g.reader()) {
            for (int o : nodeToOrdinal) {
                maxDegree = Math.max(maxDegree, r.neighbors(o, nbrs));
            }
        }
        ChunkedRows rows = index.ordinals().vectors().rows();
        int vectorBytes = index.dimensions() * index.vectorType().bytesPerElement();
        try (GraphReader r = g.reader()) {
            NodeSource source = new NodeSource() {
                private final int[] ordinalNbrs = new int[g.maxDegree()];

                @Override
                public void vector(int node, MemorySegment dst, long offset) {
                    int o = nodeToOrdinal[node];
                    MemorySegment.copy(rows.segment(o), rows.offset(o), dst, offset, vectorBytes);
                }

                @Override
                public int neighbors(int node, int[] out) {
                    int d = r.neighbors(nodeToOrdinal[node], ordinalNbrs);
                    int kept = 0;
                    for (int j = 0; j < d; j++) {
                        int t = ordinalNbrs[j] < limit ? ordinalToNode[ordinalNbrs[j]] : -1;
                        if (t >= 0) {
                            out[kept++] = t;
                        }
                    }
                    return kept;
                }

                @Override
                public int id(int node) {
                    return index.ordinals().idAt(nodeToOrdinal[node]);
                }
            };
            return write(path, new DiskLayout(index.vectorType(), index.dimensions(), maxDegree, n, recordIds), index.metric(),
                    index.params().buildListSize(), index.params().alpha(), pq, codes, source, extra);
        }
    }

    /** Writes the file: params, PQ, ids, the node sectors and their checksums. Node 0 is the entry point. */
    static DiskLayoutInfo write(Path path, DiskLayout layout, io.diskann.vector.Metric metric, int buildL, float alpha,
                                ProductQuantizer pq, byte[] codes, NodeSource source, List<FormatWriter.Section> extra)
            throws IOException {
        int n = layout.count();
        long sectors = layout.sectors();
        if (sectors > Integer.MAX_VALUE - 16) {
            throw new IllegalArgumentException(n + " nodes need " + sectors + " sectors, more than this format holds");
        }
        int[] sectorCrcs = new int[(int) sectors];
        FormatWriter.Section params = new FormatWriter.Section("params", 1, PARAMS_BYTES, 4, w -> {
            w.i32(FormatCodes.typeCode(layout.type()));
            w.i32(FormatCodes.metricCode(metric));
            w.i32(layout.dimensions());
            w.i32(n);
            w.i32(layout.maxDegree());
            w.i32(0); // the entry point is node 0
            w.i32(layout.recordBytes());
            w.i32(layout.nodesPerSector());
            w.i32(layout.sectorsPerNode());
            w.i32(buildL);
            w.f32(alpha);
            w.i32(layout.recordIds() ? FLAG_RECORD_IDS : 0);
        });
        FormatWriter.Section ids = new FormatWriter.Section("ids", 1, 4L * n, 4, w -> {
            for (int i = 0; i < n; i++) {
                w.i32(source.id(i));
            }
        });
        FormatWriter.Section nodes = new FormatWriter.Section("nodes", 1, sectors * DiskLayout.SECTOR,
                DiskLayout.SECTOR, w -> writeNodes(w, layout, source, sectorCrcs));
        FormatWriter.Section crcs = new FormatWriter.Section("sector-crc", 1, 4L * sectors, 4, w -> w.ints(sectorCrcs,
                sectorCrcs.length));
        List<FormatWriter.Section> sections = new java.util.ArrayList<>(List.of(params, PqFile.section(pq, codes, n), ids,
                nodes, crcs));
        sections.addAll(extra);
        // a layout without record ids writes the v1/v2 files of earlier builds (kept so tests can check that
        // this build still reads them); every build path lays records out with ids
        int version = layout.recordIds() ? VERSION_RECORD_IDS : extra.isEmpty() ? VERSION : VERSION_WITH_SECTIONS;
        FormatWriter.write(path, CODEC, version, SaveId.random(), sections);
        return new DiskLayoutInfo(n, layout.maxDegree(), layout.recordBytes(), layout.nodesPerSector(),
                layout.sectorsPerNode(), sectors, pq.chunks());
    }

    private static void writeNodes(ChecksumWriter w, DiskLayout layout, NodeSource source, int[] sectorCrcs)
            throws IOException {
        int n = layout.count();
        ByteBuffer unit = ByteBuffer.allocate(layout.readBytes()).order(ByteOrder.LITTLE_ENDIAN);
        MemorySegment unitSegment = MemorySegment.ofArray(unit.array());
        int[] nbrs = new int[layout.maxDegree()];
        CRC32C crc = new CRC32C();
        int perRead = layout.recordBytes() <= DiskLayout.SECTOR ? layout.nodesPerSector() : 1;
        int vectorBytes = layout.vectorBytes();
        int sector = 0;
        for (int first = 0; first < n; first += perRead) {
            java.util.Arrays.fill(unit.array(), (byte) 0);
            for (int node = first; node < Math.min(n, first + perRead); node++) {
                int at = layout.offsetInRead(node);
                source.vector(node, unitSegment, at);
                int d = source.neighbors(node, nbrs);
                if (d > layout.maxDegree()) {
                    throw new IllegalStateException("node " + node + " has " + d + " neighbours, the layout holds "
                            + layout.maxDegree());
                }
                unit.putInt(at + vectorBytes, d);
                for (int j = 0; j < d; j++) {
                    unit.putInt(at + vectorBytes + 4 + 4 * j, nbrs[j]);
                }
                if (layout.recordIds()) {
                    unit.putInt(at + layout.idOffset(), source.id(node));
                }
            }
            for (int s = 0; s < layout.sectorsPerNode(); s++) {
                crc.reset();
                crc.update(unit.array(), s * DiskLayout.SECTOR, DiskLayout.SECTOR);
                sectorCrcs[sector++] = (int) crc.getValue();
            }
            w.bytes(unit.array());
        }
    }
}
