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
 * Lays a built graph index out as an SSD-resident index file: codec {@value #CODEC} v1 in the project's
 * container format (checksummed header, sections, footer).
 *
 * <pre>
 * section "params" v1 (48 bytes): 4 element type, 4 metric, 4 dimensions, 4 nodes n, 4 R (neighbour
 *          slots per record), 4 entry node, 4 record bytes, 4 nodes per sector, 4 sectors per node,
 *          4 L_build, 4 alpha (float), 4 flags (0)
 * section "pq" v1: codebook and the n codes in node order (diskann-pq's {@link PqFile} section)
 * section "ids" v1: n int32, the id of each node
 * section "nodes" v1, aligned to 4096: the sectors; node i found by arithmetic ({@link DiskLayout})
 * section "sector-crc" v1: CRC32C of each sector of "nodes", one int32 each
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
    static final int VERSION = 1;
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
        if (index == null || pqParams == null || path == null) {
            throw new IllegalArgumentException("index, pqParams and path must not be null");
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
        VectorStore store = index.vectorStore();
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
        return write(index, nodeToOrdinal, pq, codes, path);
    }

    /** The live ordinals in breadth-first order from the entry point, then any the entry point does not reach. */
    static int[] breadthFirstOrder(VamanaIndex index) {
        int limit = index.ordinalLimit();
        int live = index.size();
        int[] order = new int[live];
        boolean[] seen = new boolean[limit];
        Graph g = index.graph();
        int[] nbrs = new int[g.maxDegree()];
        int head = 0;
        int tail = 0;
        int start = g.entryPoints()[0];
        if (index.isLiveOrdinal(start)) {
            order[tail++] = start;
            seen[start] = true;
        }
        try (GraphReader r = g.reader()) {
            while (true) {
                while (head < tail) {
                    int d = r.neighbors(order[head++], nbrs);
                    for (int j = 0; j < d; j++) {
                        int t = nbrs[j];
                        if (t >= 0 && t < limit && !seen[t] && index.isLiveOrdinal(t)) {
                            seen[t] = true;
                            order[tail++] = t;
                        }
                    }
                }
                int next = -1; // an unreachable live node starts the next wave
                for (int o = 0; o < limit && next < 0; o++) {
                    if (!seen[o] && index.isLiveOrdinal(o)) {
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

    private static DiskLayoutInfo write(VamanaIndex index, int[] nodeToOrdinal, ProductQuantizer pq, byte[] codes,
                                        Path path) throws IOException {
        int n = nodeToOrdinal.length;
        int limit = index.ordinalLimit();
        int[] ordinalToNode = new int[limit];
        java.util.Arrays.fill(ordinalToNode, -1);
        for (int i = 0; i < n; i++) {
            ordinalToNode[nodeToOrdinal[i]] = i;
        }
        Graph g = index.graph();
        int[] nbrs = new int[g.maxDegree()];
        int maxDegree = 1;
        try (GraphReader r = g.reader()) {
            for (int o : nodeToOrdinal) {
                maxDegree = Math.max(maxDegree, r.neighbors(o, nbrs));
            }
        }
        DiskLayout layout = new DiskLayout(index.vectorType(), index.dimensions(), maxDegree, n);
        long sectors = layout.sectors();
        if (sectors > Integer.MAX_VALUE - 16) {
            throw new IllegalArgumentException(n + " nodes need " + sectors + " sectors, more than this format holds");
        }
        int[] sectorCrcs = new int[(int) sectors];
        ChunkedRows rows = index.vectorStore().rows();
        int vectorBytes = layout.vectorBytes();
        FormatWriter.Section params = new FormatWriter.Section("params", 1, PARAMS_BYTES, 4, w -> {
            w.i32(FormatCodes.typeCode(index.vectorType()));
            w.i32(FormatCodes.metricCode(index.metric()));
            w.i32(index.dimensions());
            w.i32(n);
            w.i32(layout.maxDegree());
            w.i32(0); // the entry point is node 0: breadth-first order starts there
            w.i32(layout.recordBytes());
            w.i32(layout.nodesPerSector());
            w.i32(layout.sectorsPerNode());
            w.i32(index.params().buildListSize());
            w.f32(index.params().alpha());
            w.i32(0);
        });
        FormatWriter.Section ids = new FormatWriter.Section("ids", 1, 4L * n, 4, w -> {
            for (int i = 0; i < n; i++) {
                w.i32(index.idAt(nodeToOrdinal[i]));
            }
        });
        FormatWriter.Section nodes = new FormatWriter.Section("nodes", 1, sectors * DiskLayout.SECTOR,
                DiskLayout.SECTOR, w -> writeNodes(w, layout, rows, vectorBytes, nodeToOrdinal, ordinalToNode, g,
                sectorCrcs));
        FormatWriter.Section crcs = new FormatWriter.Section("sector-crc", 1, 4L * sectors, 4, w -> w.ints(sectorCrcs,
                sectorCrcs.length));
        FormatWriter.write(path, CODEC, VERSION, SaveId.random(),
                List.of(params, PqFile.section(pq, codes, n), ids, nodes, crcs));
        return new DiskLayoutInfo(n, layout.maxDegree(), layout.recordBytes(), layout.nodesPerSector(),
                layout.sectorsPerNode(), sectors, pq.chunks());
    }

    private static void writeNodes(ChecksumWriter w, DiskLayout layout, ChunkedRows rows, int vectorBytes,
                                   int[] nodeToOrdinal, int[] ordinalToNode, Graph g, int[] sectorCrcs)
            throws IOException {
        int n = nodeToOrdinal.length;
        ByteBuffer unit = ByteBuffer.allocate(layout.readBytes()).order(ByteOrder.LITTLE_ENDIAN);
        int[] nbrs = new int[g.maxDegree()];
        CRC32C crc = new CRC32C();
        int perRead = layout.recordBytes() <= DiskLayout.SECTOR ? layout.nodesPerSector() : 1;
        int sector = 0;
        try (GraphReader r = g.reader()) {
            for (int first = 0; first < n; first += perRead) {
                java.util.Arrays.fill(unit.array(), (byte) 0);
                for (int node = first; node < Math.min(n, first + perRead); node++) {
                    int o = nodeToOrdinal[node];
                    int at = layout.offsetInRead(node);
                    MemorySegment row = rows.segment(o).asSlice(rows.offset(o), vectorBytes);
                    MemorySegment.copy(row, 0, MemorySegment.ofArray(unit.array()), at, vectorBytes);
                    int d = r.neighbors(o, nbrs);
                    int kept = 0;
                    for (int j = 0; j < d; j++) {
                        int t = nbrs[j] < ordinalToNode.length ? ordinalToNode[nbrs[j]] : -1;
                        if (t >= 0) {
                            unit.putInt(at + vectorBytes + 4 + 4 * kept++, t);
                        }
                    }
                    unit.putInt(at + vectorBytes, kept);
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
}
