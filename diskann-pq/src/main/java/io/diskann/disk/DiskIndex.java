package io.diskann.disk;

import io.diskann.graph.Graph;
import io.diskann.index.CorruptIndexException;
import io.diskann.index.RangeParams;
import io.diskann.index.SearchParams;
import io.diskann.index.SearchResult;
import io.diskann.index.Searcher;
import io.diskann.index.VectorIndex;
import io.diskann.index.VerifyReport;
import io.diskann.io.AtomicFiles;
import io.diskann.io.ChecksumReader;
import io.diskann.io.FormatCodes;
import io.diskann.io.FormatReader;
import io.diskann.io.IndexFiles;
import io.diskann.pq.PqFile;
import io.diskann.pq.ProductQuantizer;
import io.diskann.util.BatchSearch;
import io.diskann.util.SearchThreads;
import io.diskann.util.SearcherPool;
import io.diskann.vector.Metric;
import io.diskann.vector.VectorType;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.Executor;

/**
 * The SSD-resident index: DiskANN's namesake. PQ codes (M bytes per vector), the codebook, the sectors'
 * checksums and an optional node cache are in memory; the graph and the full-precision vectors stay on disk in
 * 4 KiB sectors ({@link DiskIndexWriter}) and a search reads a few dozen of them. An index far larger than
 * RAM is served this way, at the cost of a read per hop.
 *
 * <pre>{@code
 * DiskIndexWriter.write(graphIndex, PqParams.builder(32).build(), Path.of("big.disk"));
 * try (DiskIndex disk = DiskIndex.open(Path.of("big.disk"),
 *         DiskOptions.builder().ioMode(IoMode.DIRECT).cacheNodes(10_000).build())) {
 *     SearchResult r = disk.search(query, SearchParams.builder(10).listSize(40).beamWidth(4).build());
 * }
 * }</pre>
 *
 * <p>Search: beam search (W from {@link SearchParams#beamWidth}, list L) on PQ distances; each round reads
 * the W best unexpanded nodes (W reads in parallel in direct mode), checks each sector's checksum, and
 * scores each at full precision from the vector that arrived with it. The other records of each sector
 * read ("sector mates", {@link DiskOptions#sectorMates}) are scored at full precision too, at no extra read;
 * the top k of all those exact distances are the results. Per-query reads, cache hits, hops, distances and I/O time are in
 * {@link SearchResult#stats()}.
 *
 * <p>Ids: each record holds its node's id (format v3), so plain searches need no id table in RAM. The
 * table (4 bytes per vector and an inverse) is read from the file, once, when a filter on ids, a search
 * from given ids, {@link io.diskann.index.ExactScan#searchAmong} or {@link #contains} first needs it, and then counted in
 * {@link #stats()}; files of v1/v2 keep it in RAM from the start.
 *
 * <p>Read-only: inserts and deletes are not supported on this index (build a new one). Thread-safety:
 * every method may be called from any number of threads; each search uses its own reader and buffers.
 * {@link #close} waits for nothing: close it when no search runs.
 */
public final class DiskIndex implements VectorIndex {

    private final Path path;
    private final DiskLayout layout;
    private final Metric metric;
    private final int entry;
    private final ProductQuantizer pq;
    private final byte[] codes;
    /** The ids by node: null until first needed when records hold the ids (see {@link #idTable()}). */
    private volatile IdTable idTable;
    private final Object idTableLock = new Object();
    /** Where the "ids" section's body lies, and the CRC32C of its bytes as checked at open (v3 files). */
    private final long idsOffset;
    private final int idsCrc;
    private final int[] sectorCrcs;
    private final long nodesOffset;
    /** The mapped node section in {@link IoMode#MMAP}, else null. */
    private final MappedNodes mapped;
    /** Replaced when an interrupted reader's thread closed it (see {@link #replaceClosedChannel}). */
    private volatile FileChannel channel;
    private final DiskOptions options;
    /** Which read path direct mode takes, probed once ({@link #readPath}). */
    private final ReadPaths readPaths;
    private final IoWorkers ioPool;
    private final DiskGraph graph;
    private final SearcherPool searchers;
    private final SearchThreads searchThreads;
    private final long fileBytes;
    private volatile boolean closed;
    /** Nodes spread over the file whose PQ codes choose each search's start ({@link DiskOptions#entrySample}). */
    private final EntrySample entrySample;

    private DiskIndex(Path path, DiskLayout layout, Metric metric, int entry, ProductQuantizer pq, byte[] codes,
                      IdTable ids, long idsOffset, int idsCrc, int[] sectorCrcs, long nodesOffset, long fileBytes,
                      DiskOptions options) throws IOException {
        this.path = path;
        this.layout = layout;
        this.metric = metric;
        this.entry = entry;
        this.pq = pq;
        this.codes = codes;
        this.idTable = ids;
        this.idsOffset = idsOffset;
        this.idsCrc = idsCrc;
        this.sectorCrcs = sectorCrcs;
        this.nodesOffset = nodesOffset;
        this.fileBytes = fileBytes;
        this.options = options;
        this.readPaths = new ReadPaths(path, options);
        this.entrySample = EntrySample.spread(layout.count(), options.entrySampleFor(layout.count(), pq.chunks()), entry,
                codes, pq.chunks());
        this.graph = new DiskGraph(this, layout, entry);
        this.channel = ReadPaths.openChannel(path, options.ioMode());
        this.mapped = options.ioMode() == IoMode.MMAP ? ReadPaths.mapNodes(path, layout, nodesOffset, sectorCrcs, channel)
                : null;
        this.ioPool = options.ioThreads() == 0 ? null : new IoWorkers(options.ioThreads());
        this.searchers = new SearcherPool(this::searcher);
        this.searchThreads = new SearchThreads("diskann-disk-search", Runtime.getRuntime().availableProcessors());
    }

    /**
     * Opens a disk index with {@link DiskOptions#defaults()} (page-cache reads, no node cache).
     *
     * @param path the file {@link DiskIndexWriter} wrote
     * @return the open index
     * @throws IOException if the file is missing, corrupt or cannot be read
     */
    public static DiskIndex open(Path path) throws IOException {
        return open(path, DiskOptions.defaults());
    }

    /**
     * Opens a disk index: reads the parameters, PQ codes and sector checksums (all checksummed) into
     * memory, checks the ids section's checksum (and keeps the ids in memory only for v1/v2 files; v3 reads
     * them when first needed, see the class doc), then, with a node cache, the nodes nearest the entry point. The node section itself is read
     * only by searches, sector by sector, each checked against its checksum.
     *
     * @param path the file {@link DiskIndexWriter} wrote
     * @param options I/O mode, node cache, reader threads
     * @return the open index
     * @throws CorruptIndexException if the file is damaged, truncated or not a disk index
     * @throws IOException if it is missing or cannot be read, or direct I/O is not possible there
     */
    public static DiskIndex open(Path path, DiskOptions options) throws IOException {
        return open(path, options, null);
    }

    /**
     * As {@link #open(Path, DiskOptions)}, handing sections the disk index does not know (another module's,
     * written with {@link DiskIndexWriter#write(io.diskann.graph.VamanaIndex, io.diskann.pq.PqParams, Path,
     * java.util.List)}) to {@code extra}; without a reader they are skipped, checksummed. Internal to this
     * project's modules, like {@code io.diskann.io} whose types it takes: applications use
     * {@code DiskLabels.open}. It may change without notice.
     *
     * @param path the file {@link DiskIndexWriter} wrote
     * @param options I/O mode, node cache, reader threads
     * @param extra reads the caller's sections (null: skip them)
     * @return the open index
     * @throws CorruptIndexException if the file is damaged, truncated or not a disk index
     * @throws IOException if it is missing or cannot be read, or direct I/O is not possible there
     */
    public static DiskIndex open(Path path, DiskOptions options, IndexFiles.ExtraSections extra) throws IOException {
        if (path == null || options == null) {
            throw new IllegalArgumentException("path and options must not be null");
        }
        AtomicFiles.removeStaleTemps(path);
        try (FormatReader r = FormatReader.open(path, DiskIndexWriter.CODEC, DiskIndexWriter.VERSION,
                DiskIndexWriter.VERSION_RECORD_IDS)) {
            boolean recordIds = r.codecVersion() >= DiskIndexWriter.VERSION_RECORD_IDS;
            FormatReader.Section ps = r.next("params", 1, 1);
            int[] p = r.guard(() -> {
                if (ps.length() != DiskIndexWriter.PARAMS_BYTES) {
                    throw ps.corrupt("length", ps.length(), "expected " + DiskIndexWriter.PARAMS_BYTES);
                }
                int[] v = new int[12];
                for (int i = 0; i < v.length; i++) {
                    v[i] = ps.in().i32();
                }
                return v;
            });
            ps.end();
            VectorType type = FormatCodes.type(p[0]);
            Metric metric = FormatCodes.metric(p[1]);
            if (type == null || metric == null) {
                throw ps.corrupt("type/metric", p[0] + "/" + p[1], "unknown element type or metric code");
            }
            int dims = p[2];
            int n = p[3];
            int r0 = p[4];
            if (dims < 1 || dims > 65_536 || n < 1 || r0 < 1 || r0 > 65_536 || p[5] < 0 || p[5] >= n) {
                throw ps.corrupt("dimensions/count/R/entry", dims + "/" + n + "/" + r0 + "/" + p[5], "out of range");
            }
            if (p[5] != 0) { // the node cache and the layout's locality rely on it
                throw ps.corrupt("entry", p[5], "files number their nodes breadth-first from the entry point, node 0");
            }
            int flags = recordIds ? DiskIndexWriter.FLAG_RECORD_IDS : 0;
            if (p[11] != flags) {
                throw ps.corrupt("flags", p[11], "expected " + flags + " in a v" + r.codecVersion() + " file");
            }
            DiskLayout layout = new DiskLayout(type, dims, r0, n, recordIds);
            if (p[6] != layout.recordBytes() || p[7] != layout.nodesPerSector() || p[8] != layout.sectorsPerNode()) {
                throw ps.corrupt("recordBytes", p[6], "the record layout does not match " + dims + " x " + type + " with R "
                        + r0);
            }
            FormatReader.Section qs = r.next(PqFile.SECTION, PqFile.SECTION_VERSION, PqFile.SECTION_VERSION);
            PqFile.Contents pqc = PqFile.readSection(r, qs);
            if (pqc.count() != n || pqc.quantizer().dimensions() != dims || pqc.quantizer().metric() != metric) {
                throw qs.corrupt("count", pqc.count(), "the PQ section does not match " + n + " nodes of " + dims
                        + " dimensions, " + metric);
            }
            FormatReader.Section is = r.next("ids", 1, 1);
            IdTable ids = null;
            long idsOffset = is.offset();
            int idsCrc = 0;
            if (recordIds) { // checked now, read into RAM when first needed (idTable())
                idsCrc = IdTable.checksum(IdTable.readSection(r, is, n));
            } else {
                ids = new IdTable(IdTable.readSection(r, is, n));
            }
            FormatReader.Section ns = r.next("nodes", 1, 1);
            if (ns.length() != layout.sectors() * DiskLayout.SECTOR || ns.offset() % DiskLayout.SECTOR != 0) {
                throw ns.corrupt("length", ns.length(), "expected " + layout.sectors() + " sectors at an aligned offset");
            }
            long nodesOffset = ns.offset();
            ns.skipUnchecked(); // read by searches, sector by sector, against the checksums below
            FormatReader.Section cs = r.next("sector-crc", 1, 1);
            int[] crcs = r.guard(() -> {
                if (cs.length() != 4L * layout.sectors()) {
                    throw cs.corrupt("length", cs.length(), "expected one checksum per sector, " + layout.sectors());
                }
                int[] v = new int[(int) layout.sectors()];
                ChecksumReader in = cs.in();
                for (int i = 0; i < v.length; i++) {
                    v[i] = in.i32();
                }
                return v;
            });
            cs.end();
            while (r.hasNext()) {
                FormatReader.Section x = r.next();
                if (extra == null || !extra.read(r, x)) {
                    x.skip();
                }
            }
            r.finish();
            DiskIndex index = new DiskIndex(path, layout, metric, p[5], pqc.quantizer(), pqc.codes(), ids, idsOffset,
                    idsCrc, crcs, nodesOffset, r.size(), options);
            try {
                return index.withCache(options.cacheNodes());
            } catch (IOException | RuntimeException e) {
                index.close();
                throw e;
            }
        }
    }

    /**
     * The ids by node and nodes by id, read from the file the first time they are needed (records of v3
     * files hold their ids, so plain searches never need this). Read through the channel opened with the
     * index (so a file replaced or deleted at its path since does not matter) and checked against the
     * checksum taken when the index opened.
     *
     * @throws IllegalStateException if the ids cannot be read or no longer match
     */
    IdTable idTable() {
        IdTable t = idTable;
        return t != null ? t : loadIdTable();
    }

    private IdTable loadIdTable() {
        synchronized (idTableLock) {
            if (idTable == null) {
                ensureOpen();
                idTable = IdTable.read(channel, path, idsOffset, layout.count(), idsCrc);
            }
            return idTable;
        }
    }

    /**
     * Checks a disk index file through and through: opening checks the header, parameters, PQ codes, ids
     * and sector checksums; then every sector is read and checked against its checksum, every record's
     * degree and neighbours are checked, each record's id (v3 files) is compared with the ids section, and
     * how many nodes the entry point reaches is counted.
     *
     * @param path the file
     * @return what was found; {@link VerifyReport#ok()} tells whether it is sound
     * @throws IOException if the file is missing or cannot be read (damage is a problem in the report)
     */
    public static VerifyReport verify(Path path) throws IOException {
        return DiskVerifier.verify(path);
    }

    /**
     * Reads the first {@code n} nodes, rounded up to whole sectors, into memory: the file numbers nodes
     * breadth-first from the entry point (node 0), so they are the nodes nearest it (DiskANN caches the
     * same set by a breadth-first walk, one read per node; here one sequential read). Whole sectors, so a
     * cached node's sector mates are cached too ({@link DiskOptions#sectorMates}). Each sector is checked
     * against its checksum.
     */
    private DiskIndex withCache(int n) throws IOException {
        cacheHolder = NodeCache.read(path, layout, nodesOffset, sectorCrcs, n);
        return this;
    }

    /**
     * Replaces the node cache with the sectors a sample of queries reads most, about {@code nodes} nodes in
     * whole sectors (DiskANN's {@code generate_cache_list_from_sample_queries}). The BFS cache of
     * {@link DiskOptions#cacheNodes} holds the nodes nearest the entry point whether queries go there or
     * not; this one holds where queries like the sample go (a sample of expected queries or of the data,
     * not the queries measured). The sample runs on the calling thread; each chosen sector is read once and
     * checked. Thread-safe: a search that straddles the swap may score fewer sector mates, never wrong records.
     *
     * @param sample queries, each of {@link #dimensions()} components
     * @param params how the sample is searched (k, L, W as the real queries will be)
     * @param nodes about how many nodes to hold (rounded up to whole sectors); 0 empties the cache
     * @return the nodes now cached
     * @throws IOException if reading the chosen sectors fails or one is corrupt
     * @throws IllegalArgumentException if {@code nodes} is negative or the sample is empty or malformed
     */
    public synchronized int cacheFromQueries(float[][] sample, SearchParams params, int nodes) throws IOException {
        cacheHolder = NodeCache.fromQueries(this, sample, params, nodes, nodesOffset, sectorCrcs);
        return cacheHolder.size();
    }

    /** Replaced by {@link #withCache} before the index is handed out, or by {@link #cacheFromQueries}; searches read it. */
    private volatile NodeCache cacheHolder = NodeCache.EMPTY;

    // ---------------------------------------------------------------- for the reader and searcher

    int entryNode() {
        return entry;
    }

    Path path() {
        return path;
    }

    /** The nodes scored to choose a search's start; empty to start at {@link #entryNode()}. */
    EntrySample entrySample() {
        return entrySample;
    }

    /**
     * How many nodes each search scores on their PQ codes to choose where it starts ({@link DiskOptions#entrySample}).
     *
     * @return the sample size in use, 0 when every search starts at the medoid
     */
    public int entrySampleSize() {
        return entrySample.size();
    }

    DiskLayout layout() {
        return layout;
    }

    NodeCache cache() {
        return cacheHolder;
    }

    /** Whether searches pipeline their reads ({@link DiskOptions#pipelined}). */
    boolean pipelined() {
        return options.pipelined();
    }

    /** Whether searches score the sector mates of their reads ({@link DiskOptions#sectorMates}). */
    boolean sectorMates() {
        return options.sectorMates();
    }

    IoMode ioMode() {
        return options.ioMode();
    }

    /**
     * How this index reads its sectors, for logs and reports: in direct mode, through kernel AIO (where the
     * platform has it, {@link DiskOptions#kernelAio} allows it and a context opens on this file) or through
     * {@code FileChannel} positional reads.
     *
     * @return a short description, e.g. "O_DIRECT, kernel AIO"
     */
    public String readPath() {
        return readPaths.describe();
    }

    /** Whether direct mode may read through kernel AIO ({@link DiskOptions#kernelAio}). */
    boolean kernelAio() {
        return options.kernelAio();
    }

    MappedNodes mapped() {
        return mapped;
    }

    IoWorkers ioPool() {
        return ioPool;
    }

    FileChannel channel() {
        return channel;
    }

    /**
     * Opens the file again when {@code broken} (the channel a read used) was closed by an interrupt.
     *
     * <p>Why: a {@link FileChannel} closes itself for every thread when one thread is interrupted inside
     * (or entering) a read. The disk index shares one channel between its searchers, so one interrupted
     * search would otherwise break all the others and every later one. The interrupted search fails;
     * the others retry on the new channel.
     *
     * @param broken the closed channel
     * @throws IllegalStateException if the index itself was closed
     * @throws java.io.UncheckedIOException if the file cannot be opened again
     */
    synchronized void replaceClosedChannel(FileChannel broken) {
        if (closed) {
            throw new IllegalStateException("disk index " + path + " is closed");
        }
        if (channel != broken || broken.isOpen()) {
            return; // another reader replaced it already
        }
        try {
            channel = ReadPaths.openChannel(path, options.ioMode());
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("cannot reopen " + path + " after an interrupted read", e);
        }
    }

    long nodesOffset() {
        return nodesOffset;
    }

    int sectorCrc(long sector) {
        return sectorCrcs[(int) sector];
    }

    ProductQuantizer quantizer() {
        return pq;
    }

    byte[] codes() {
        return codes;
    }

    Graph graph() {
        return graph;
    }

    /** Node {@code node}'s id, from the id table (read from the file on first use for v3 files). */
    int idOf(int node) {
        return idTable().idOf(node);
    }

    /** The node of {@code id}, or -1 if the index does not hold it. */
    int nodeOf(int id) {
        return idTable().nodeOf(id);
    }

    void checkQuery(float[] query) {
        if (query == null) {
            throw new IllegalArgumentException("query is null");
        }
        if (query.length != layout.dimensions()) {
            throw new IllegalArgumentException("dimension mismatch: query has " + query.length
                    + " components but the index has " + layout.dimensions() + " dimensions");
        }
        for (int i = 0; i < query.length; i++) {
            if (!Float.isFinite(query[i])) {
                throw new IllegalArgumentException("query component " + i + " is " + query[i] + " (not finite)");
            }
        }
    }


    // ---------------------------------------------------------------- VectorIndex

    private void ensureOpen() {
        if (closed) {
            throw new IllegalStateException("disk index " + path + " is closed");
        }
    }

    @Override
    public int dimensions() {
        return layout.dimensions();
    }

    @Override
    public Metric metric() {
        return metric;
    }

    @Override
    public VectorType vectorType() {
        return layout.type();
    }

    @Override
    public int size() {
        return layout.count();
    }

    @Override
    public boolean contains(int id) {
        ensureOpen();
        return idTable().nodeOf(id) >= 0;
    }

    @Override
    public Searcher searcher() {
        ensureOpen();
        return new DiskSearcher(this);
    }

    @Override
    public SearchResult search(float[] query, SearchParams params) {
        ensureOpen();
        Searcher s = searchers.borrow();
        try {
            return s.search(query, params);
        } finally {
            searchers.release(s);
        }
    }

    @Override
    public SearchResult[] batchSearch(float[][] queries, SearchParams params) {
        ensureOpen();
        return batchSearch(queries, params, searchThreads.executor());
    }

    @Override
    public SearchResult[] batchSearch(float[][] queries, SearchParams params, Executor executor) {
        ensureOpen();
        return BatchSearch.run(queries, params, executor, searchThreads.threads(), searchers.lender());
    }

    @Override
    public SearchResult rangeSearch(float[] query, float radius, RangeParams params) {
        ensureOpen();
        Searcher s = searchers.borrow();
        try {
            return s.rangeSearch(query, radius, params);
        } finally {
            searchers.release(s);
        }
    }

    @Override
    public DiskStats stats() {
        NodeCache c = cacheHolder;
        return new DiskStats(layout.count(), layout.dimensions(), metric, layout.type(), layout.maxDegree(), fileBytes,
                layout.recordBytes(), layout.nodesPerSector(), layout.sectorsPerNode(), pq.chunks(), codes.length,
                pq.codebookBytes() + entrySample.bytes(), c.size(), c.bytes(), (idTable == null ? 0 : idTable.bytes()) + 4L * sectorCrcs.length
                + (mapped == null ? 0 : mapped.bytes()),
                options.ioMode(), DiskSearcher.bytesFor(layout, pq, entrySample.size()));
    }


    /** Copies the index file to {@code path}, atomically (the index is read-only; its file is its state). */
    @Override
    public void save(Path target) throws IOException {
        ensureOpen();
        if (target == null) {
            throw new IllegalArgumentException("path is null");
        }
        try (FileChannel in = FileChannel.open(path, StandardOpenOption.READ)) {
            AtomicFiles.write(target, out -> {
                long size = in.size();
                for (long done = 0; done < size; ) {
                    done += in.transferTo(done, size - done, out);
                }
            });
        }
    }

    /** Closes the file and the reader threads. Idempotent; close it when no search runs. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        searchers.close();
        searchThreads.close();
        if (ioPool != null) {
            ioPool.close();
        }
        if (mapped != null) {
            mapped.close();
        }
        try {
            channel.close();
        } catch (IOException ignored) {
            // nothing was written; a failed close loses nothing
        }
    }
}
