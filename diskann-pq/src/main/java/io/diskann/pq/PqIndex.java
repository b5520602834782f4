package io.diskann.pq;

import io.diskann.index.CorruptIndexException;
import io.diskann.index.VerifyReport;
import io.diskann.io.AtomicFiles;
import io.diskann.io.FormatReader;
import io.diskann.io.IndexFiles;
import io.diskann.graph.VamanaIndex;
import io.diskann.graph.VamanaParams;
import io.diskann.index.MutableVectorIndex;
import io.diskann.index.RangeParams;
import io.diskann.index.SearchParams;
import io.diskann.index.SearchResult;
import io.diskann.index.Searcher;
import io.diskann.util.BatchSearch;
import io.diskann.util.SearchThreads;
import io.diskann.util.SearcherPool;
import io.diskann.vector.Metric;
import io.diskann.vector.VectorStore;
import io.diskann.vector.VectorType;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.stream.IntStream;

/**
 * A {@link VamanaIndex} with product-quantization codes of its vectors: searches traverse the graph
 * scoring candidates by ADC on the codes (M bytes each instead of a full vector) and re-score the best
 * {@link SearchParams#rerank} candidates (default L) with the full-precision vectors.
 *
 * <p>Why: graph search is bound by memory traffic; codes are 8-32x smaller than float vectors, so the
 * traversal touches far less memory, and the rerank restores full-precision ordering at the top. This
 * is DiskANN's search structure (codes in RAM, full vectors read for rerank), here with the full vectors
 * in memory; the SSD-resident index reads them from disk.
 *
 * <pre>{@code
 * PqIndex pq = PqIndex.compress(index, PqParams.builder(98).build());   // DiskANN's pq_compress
 * SearchResult r = pq.search(query, 10, 64, 64);                        // k, L, rerank
 * }</pre>
 *
 * <p>Codes are kept in step by the graph index itself ({@link io.diskann.graph.StorageOrdinals#attach}): every inserted or
 * updated vector is encoded before its slot becomes reachable, whether it arrives through this object or
 * through {@link #index()} directly.
 *
 * <p>Thread-safety: as {@link VamanaIndex}: searches run concurrently with each other and with
 * {@link #insert}, {@link #delete} and {@link #update}; {@link #save} waits for mutations made through
 * this object. The PQ index owns the graph index it wraps: {@link #close} closes both.
 */
public final class PqIndex implements MutableVectorIndex {

    private final VamanaIndex index;
    private final ProductQuantizer pq;
    private final PqCodes codes;
    private final SearcherPool searchers;
    private final SearchThreads searchThreads;
    /** Mutations through this object hold it shared, save exclusively (tests use it to see quiescent states). */
    final ReentrantReadWriteLock saveLock = new ReentrantReadWriteLock();
    private volatile PqLookup lookup = PqLookup.defaultLookup();
    private double trainSeconds = Double.NaN;
    private double encodeSeconds = Double.NaN;

    private PqIndex(VamanaIndex index, ProductQuantizer pq, PqCodes codes) {
        if (pq.dimensions() != index.dimensions()) {
            throw new IllegalArgumentException("codebook of " + pq.dimensions() + " dimensions for an index of "
                    + index.dimensions());
        }
        if (pq.metric() != index.metric()) {
            throw new IllegalArgumentException("codebook trained for " + pq.metric() + " but the index uses "
                    + index.metric());
        }
        this.index = index;
        this.pq = pq;
        this.codes = codes;
        index.ordinals().attach(codes);
        this.searchers = new SearcherPool(this::searcher);
        this.searchThreads = new SearchThreads("diskann-pq-search", index.params().threads());
    }

    /**
     * Trains a quantizer on the live vectors of {@code index} and encodes every vector it stores (the
     * seed's {@code pq_compress}). The index keeps its full vectors (needed for rerank).
     *
     * @throws IllegalArgumentException if M is not in 1..dimensions or fewer than 256 vectors are live
     * @param index the full-precision index; it keeps its vectors
     * @param params PQ parameters
     * @return the PQ index over {@code index}
     */
    public static PqIndex compress(VamanaIndex index, PqParams params) {
        VectorStore store = index.ordinals().vectors();
        int limit = index.ordinals().limit();
        int[] live = IntStream.range(0, limit).filter(index.ordinals()::isLive).toArray();
        int dims = index.dimensions();
        ThreadLocal<float[]> buffers = ThreadLocal.withInitial(() -> new float[dims]);
        long t0 = System.nanoTime();
        ProductQuantizer pq = ProductQuantizer.train(dims, index.metric(), live.length, i -> {
            float[] b = buffers.get();
            store.get(live[i], b);
            return b;
        }, params);
        long t1 = System.nanoTime();
        byte[] encoded = pq.encodeAll(limit, o -> {
            float[] b = buffers.get();
            store.get(o, b);
            return PqCodes.sanitize(b);
        }, params.threads());
        // attaching encodes whatever was inserted meanwhile, then keeps every later insert in step
        PqIndex out = new PqIndex(index, pq, new PqCodes(pq, encoded, limit));
        out.lookup = params.lookup();
        out.trainSeconds = (t1 - t0) / 1e9;
        out.encodeSeconds = (System.nanoTime() - t1) / 1e9;
        return out;
    }

    /**
     * A builder for an index built with PQ from the start: the graph is built over the full vectors, then
     * a quantizer is trained on them and every vector encoded.
     *
     * <pre>{@code
     * PqIndex pq = PqIndex.builder(784, Metric.L2).chunks(98).build(vectors);
     * }</pre>
     * @param dimensions components per vector
     * @param metric the distance
     * @return a builder
     */
    public static Builder builder(int dimensions, Metric metric) {
        return new Builder(dimensions, metric);
    }

    /** Builder of {@link PqIndex}: graph parameters as {@link io.diskann.graph.VamanaIndexBuilder}, plus PQ parameters. */
    public static final class Builder {
        private final int dimensions;
        private final Metric metric;
        private VectorType type = VectorType.F32;
        private VamanaParams graphParams = VamanaParams.defaults();
        private PqParams pqParams;

        private Builder(int dimensions, Metric metric) {
            this.dimensions = dimensions;
            this.metric = metric;
        }

        /**
         * Storage type of the full-precision vectors (default f32).
         *
         * @param t the type
         * @return this builder
         */
        public Builder vectorType(VectorType t) {
            this.type = t;
            return this;
        }

        /**
         * Graph construction parameters (default {@link VamanaParams#defaults()}).
         *
         * @param p the parameters
         * @return this builder
         */
        public Builder graphParams(VamanaParams p) {
            this.graphParams = p;
            return this;
        }

        /**
         * PQ parameters; {@link #chunks} is the short form with defaults for the rest.
         *
         * @param p the parameters
         * @return this builder
         */
        public Builder pqParams(PqParams p) {
            this.pqParams = p;
            return this;
        }

        /**
         * M, bytes per code, with defaults for the other PQ parameters.
         *
         * @param m chunks
         * @return this builder
         */
        public Builder chunks(int m) {
            this.pqParams = PqParams.builder(m).threads(graphParams.threads()).build();
            return this;
        }

        /**
         * Builds the graph over {@code vectors} (id = row), trains the quantizer and encodes.
         *
         * @throws IllegalStateException if neither {@link #chunks} nor {@link #pqParams} was given
         * @param vectors the vectors; row i gets id i
         * @return the built index
         */
        public PqIndex build(float[][] vectors) {
            if (pqParams == null) {
                throw new IllegalStateException("set chunks(M) or pqParams(...) before build");
            }
            VamanaIndex index = VamanaIndex.builder(dimensions, metric).vectorType(type).params(graphParams).build();
            index.build(vectors);
            return compress(index, pqParams);
        }
    }

    /**
     * The wrapped full-precision index.
     *
     * @return the wrapped index
     */
    public VamanaIndex index() {
        return index;
    }

    /**
     * The trained quantizer (codebooks, rotation).
     *
     * @return the quantizer
     */
    public ProductQuantizer quantizer() {
        return pq;
    }

    byte[] codes() {
        return codes.codes();
    }

    /**
     * How ADC sums codes in searches from now on (a tuning choice; see {@link PqLookup}).
     *
     * @param mode the look-up
     */
    public void lookup(PqLookup mode) {
        if (mode == null) {
            throw new IllegalArgumentException("lookup mode is null");
        }
        this.lookup = mode;
    }

    /**
     * The current {@link PqLookup}.
     *
     * @return the look-up mode
     */
    public PqLookup lookup() {
        return lookup;
    }

    // ---------------------------------------------------------------- search

    /** A searcher traversing on codes: one ADC table, search list and visited set, reused per query. */
    @Override
    public Searcher searcher() {
        return index.searcher(new PqScorer(this, codes, pq.newTable()));
    }

    /**
     * The k nearest neighbours: graph traversal on PQ distances with a search list of {@code listSize},
     * then the best {@code rerank} candidates (at least k) re-scored with full vectors; {@code rerank = 0}
     * returns PQ distances.
     *
     * @throws IllegalArgumentException on a negative rerank, or as {@link #search(float[], SearchParams)}
     * @param query the query
     * @param k neighbours wanted
     * @param listSize search list size L
     * @param rerank candidates re-scored exactly
     * @return ids and distances, closest first
     */
    public SearchResult search(float[] query, int k, int listSize, int rerank) {
        if (rerank < 0) {
            throw new IllegalArgumentException("rerank must not be negative, got " + rerank);
        }
        return search(query, SearchParams.builder(k).listSize(listSize).rerank(rerank).build());
    }

    @Override
    public SearchResult search(float[] query, SearchParams params) {
        return searchers.search(query, params);
    }

    @Override
    public SearchResult[] batchSearch(float[][] queries, SearchParams params) {
        return BatchSearch.run(queries, params, searchThreads.executor(), searchThreads.threads(), searchers.lender());
    }

    @Override
    public SearchResult[] batchSearch(float[][] queries, SearchParams params, Executor executor) {
        return BatchSearch.run(queries, params, executor, index.params().threads(), searchers.lender());
    }

    /** Range search on the full-precision vectors (the graph index's own). */
    @Override
    public SearchResult rangeSearch(float[] query, float radius, RangeParams params) {
        return index.rangeSearch(query, radius, params);
    }

    // ---------------------------------------------------------------- mutations

    @Override
    public int insert(float[] vector) {
        Lock r = saveLock.readLock();
        r.lock();
        try {
            return index.insert(vector);
        } finally {
            r.unlock();
        }
    }

    @Override
    public int insert(int id, float[] vector) {
        Lock r = saveLock.readLock();
        r.lock();
        try {
            return index.insert(id, vector);
        } finally {
            r.unlock();
        }
    }

    @Override
    public void update(int id, float[] vector) {
        Lock r = saveLock.readLock();
        r.lock();
        try {
            index.update(id, vector);
        } finally {
            r.unlock();
        }
    }

    @Override
    public void delete(int id) {
        Lock r = saveLock.readLock();
        r.lock();
        try {
            index.delete(id);
        } finally {
            r.unlock();
        }
    }

    @Override
    public int consolidate() {
        Lock r = saveLock.readLock();
        r.lock();
        try {
            return index.consolidate();
        } finally {
            r.unlock();
        }
    }

    @Override
    public void reserve(int capacity) {
        index.reserve(capacity);
    }

    // ---------------------------------------------------------------- inspection

    @Override
    public int dimensions() {
        return index.dimensions();
    }

    @Override
    public Metric metric() {
        return index.metric();
    }

    @Override
    public VectorType vectorType() {
        return index.vectorType();
    }

    @Override
    public int size() {
        return index.size();
    }

    @Override
    public boolean contains(int id) {
        return index.contains(id);
    }

    /** Code and vector memory, the compression ratio and the graph's statistics. */
    @Override
    public PqStats stats() {
        int n = index.ordinals().limit();
        var graph = index.stats();
        int m = pq.chunks();
        long rowBytes = (long) index.dimensions() * index.vectorType().bytesPerElement();
        return new PqStats(graph, m, n, (long) n * m, pq.codebookBytes(), graph.vectorBytes(),
                rowBytes / (double) m, trainSeconds, encodeSeconds, pq.rotated(), pq.codeDimensions(),
                pq.rotationVarianceKept());
    }

    // ---------------------------------------------------------------- files

    /**
     * Saves the graph, the quantizer and the codes to one file, {@code path}, atomically (one rename: a
     * crash at any moment leaves the old index or the new one); mutations wait meanwhile. A {@code .pq}
     * file that an earlier build wrote beside {@code path} is removed once the new file is in place.
     */
    @Override
    public void save(Path path) throws IOException {
        if (path == null) {
            throw new IllegalArgumentException("path is null");
        }
        Lock w = saveLock.writeLock();
        w.lock();
        try {
            // the section is made inside the graph's save, under its locks: one code per slot it writes
            IndexFiles.access().save(index, path, slots -> List.of(PqFile.section(pq, codes.codes(), slots)));
            Files.deleteIfExists(pqPath(path));
        } finally {
            w.unlock();
        }
    }

    /**
     * Loads what {@link #save} wrote (or an earlier build's pair of files: {@code path} and
     * {@code path + ".pq"}).
     *
     * @param path the index file
     * @return the loaded index
     * @throws io.diskann.index.CorruptIndexException if the file (or the earlier pair) is truncated or
     *     corrupt, or its codebook does not match the graph (dimensions, metric, codes per vector)
     * @throws IOException if the file is missing, holds a graph without PQ codes, or cannot be read
     */
    public static PqIndex load(Path path) throws IOException {
        if (path == null) {
            throw new IllegalArgumentException("path is null");
        }
        PqFile.Contents[] inFile = new PqFile.Contents[1];
        VamanaIndex index = IndexFiles.access().load(path, false, (file, section) -> {
            if (!section.name().equals(PqFile.SECTION)) {
                return false;
            }
            if (section.version() != PqFile.SECTION_VERSION) {
                throw section.corrupt("version", section.version(), "unsupported PQ section version (this build reads "
                        + PqFile.SECTION_VERSION + ")");
            }
            inFile[0] = PqFile.readSection(file, section);
            return true;
        });
        try {
            Path source = path;
            PqFile.Contents c = inFile[0];
            if (c == null) {
                Path pqPath = pqPath(path);
                // only an earlier build's graph file has its codes beside it; a current graph file without a
                // pq section is a graph saved alone, and a .pq beside it belongs to another save
                if (FormatReader.isFormatFile(path) || !Files.exists(pqPath)) {
                    throw new IOException("cannot load PQ index " + path + ": the file holds a graph index without PQ"
                            + " codes (saved by VamanaIndex.save?); load it with VamanaIndex.load, or compress it with"
                            + " PqIndex.compress");
                }
                AtomicFiles.removeStaleTemps(pqPath); // left by a save that was killed
                c = PqFile.readLegacyFile(pqPath);
                source = pqPath;
            }
            if (c.quantizer().dimensions() != index.dimensions() || c.quantizer().metric() != index.metric()) {
                throw new CorruptIndexException(source, "pq.dimensions", c.quantizer().dimensions() + " / "
                        + c.quantizer().metric(), "the codebook does not match the graph (" + index.dimensions() + " / "
                        + index.metric() + ")");
            }
            if (c.count() != index.ordinals().limit()) {
                throw new CorruptIndexException(source, "pq.count", c.count(), "codes for a graph of "
                        + index.ordinals().limit() + " stored vectors (files of different saves?)");
            }
            return new PqIndex(index, c.quantizer(), new PqCodes(c.quantizer(), c.codes(), c.count()));
        } catch (IOException | RuntimeException e) {
            index.close();
            throw e;
        }
    }

    /**
     * Checks a saved PQ index file through and through: the graph's checks
     * ({@link io.diskann.graph.IndexVerifier#verify}), then that the codebook matches the graph, holds only
     * finite values, and that the codes of (a sample of up to 10,000) live vectors are their vectors' codes.
     * A graph file without PQ codes gets the graph's checks only, so this one call checks any graph file.
     *
     * @param path the index file
     * @return what was found; {@link VerifyReport#ok()} tells whether the file is sound
     * @throws IOException if the file is missing or cannot be read (corruption is a problem in the report)
     */
    public static VerifyReport verify(Path path) throws IOException {
        return PqVerifier.verify(path);
    }

    static Path pqPath(Path indexPath) {
        return indexPath.resolveSibling(indexPath.getFileName() + ".pq");
    }

    /** Closes the searchers, the search threads and the wrapped graph index. Idempotent. */
    @Override
    public void close() {
        searchers.close();
        searchThreads.close();
        index.close();
    }
}
