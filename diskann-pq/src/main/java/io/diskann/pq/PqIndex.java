package io.diskann.pq;

import io.diskann.graph.SearchResult;
import io.diskann.graph.VamanaIndex;
import io.diskann.graph.VamanaParams;
import io.diskann.vector.Metric;
import io.diskann.vector.VectorStore;
import io.diskann.vector.VectorType;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.stream.IntStream;

/**
 * A {@link VamanaIndex} with product-quantization codes of its vectors: searches traverse the graph
 * scoring candidates by ADC on the codes (M bytes each instead of a full vector) and re-score the best
 * {@code rerank} candidates with the full-precision vectors.
 *
 * <p>Why: graph search is bound by memory traffic; codes are 8-32x smaller than float vectors, so the
 * traversal touches far less memory, and the rerank restores full-precision ordering at the top. This
 * is DiskANN's search structure (codes in RAM, full vectors read for rerank), here with the full vectors
 * in memory; the SSD-resident index will read them from disk.
 *
 * <pre>{@code
 * PqIndex pq = PqIndex.compress(index, PqParams.builder(98).build());   // DiskANN's pq_compress
 * SearchResult r = pq.search(query, 10, 64, 64);                        // k, L, rerank
 * }</pre>
 *
 * <p>Thread-safety: searches run concurrently with each other and with {@link #insert}, {@link #delete}
 * and {@link #update} (which encode the new vector under a short lock); {@link #save} waits for mutations.
 * A vector inserted through the wrapped index directly, not through this class, has no code until
 * {@link #compress} runs again, and is scored as infinitely far by the traversal.
 */
public final class PqIndex {

    private final VamanaIndex index;
    private final ProductQuantizer pq;
    private final int chunks;
    private volatile byte[] codes;
    private final ThreadLocal<PqScorer> scorers;
    private final ThreadLocal<float[]> encodeScratch;
    private final ReentrantReadWriteLock saveLock = new ReentrantReadWriteLock();
    private double trainSeconds = Double.NaN;
    private double encodeSeconds = Double.NaN;

    private PqIndex(VamanaIndex index, ProductQuantizer pq, byte[] codes) {
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
        this.chunks = pq.chunks();
        this.codes = codes;
        this.scorers = ThreadLocal.withInitial(() -> new PqScorer(this, pq.newTable(), chunks));
        this.encodeScratch = ThreadLocal.withInitial(pq::newEncodeScratch);
    }

    /**
     * Trains a quantizer on the live vectors of {@code index} and encodes every vector it stores (the
     * seed's {@code pq_compress}). The index keeps its full vectors (needed for rerank).
     *
     * @throws IllegalArgumentException if M is not in 1..dimensions or fewer than 256 vectors are live
     */
    public static PqIndex compress(VamanaIndex index, PqParams params) {
        VectorStore store = index.vectorStore();
        int limit = index.ordinalLimit();
        int[] live = IntStream.range(0, limit).filter(index::isLiveOrdinal).toArray();
        int dims = index.dimensions();
        ThreadLocal<float[]> buffers = ThreadLocal.withInitial(() -> new float[dims]);
        long t0 = System.nanoTime();
        ProductQuantizer pq = ProductQuantizer.train(dims, index.metric(), live.length, i -> {
            float[] b = buffers.get();
            store.get(live[i], b);
            return b;
        }, params);
        long t1 = System.nanoTime();
        byte[] codes = pq.encodeAll(limit, o -> {
            float[] b = buffers.get();
            store.get(o, b);
            return sanitize(b);
        }, params.threads());
        PqIndex out = new PqIndex(index, pq, codes);
        out.trainSeconds = (t1 - t0) / 1e9;
        out.encodeSeconds = (System.nanoTime() - t1) / 1e9;
        return out;
    }

    /** Freed or never-written slots may hold anything; they are never returned, but must encode. */
    private static float[] sanitize(float[] v) {
        for (int i = 0; i < v.length; i++) {
            if (!Float.isFinite(v[i])) {
                v[i] = 0f;
            }
        }
        return v;
    }

    /**
     * A builder for an index built with PQ from the start (the builder option "build with PQ"): the graph
     * is built over the full vectors, then a quantizer is trained on them and every vector encoded.
     *
     * <pre>{@code
     * PqIndex pq = PqIndex.builder(784, Metric.L2).chunks(98).build(vectors);
     * }</pre>
     */
    public static Builder builder(int dimensions, Metric metric) {
        return new Builder(dimensions, metric);
    }

    /** Builder of {@link PqIndex}: graph parameters as {@link VamanaIndex.Builder}, plus PQ parameters. */
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

        public Builder vectorType(VectorType t) {
            this.type = t;
            return this;
        }

        public Builder graphParams(VamanaParams p) {
            this.graphParams = p;
            return this;
        }

        /** PQ parameters; {@link #chunks} is the short form with defaults for the rest. */
        public Builder pqParams(PqParams p) {
            this.pqParams = p;
            return this;
        }

        public Builder chunks(int m) {
            this.pqParams = PqParams.builder(m).threads(graphParams.threads()).build();
            return this;
        }

        /**
         * Builds the graph over {@code vectors} (id = row), trains the quantizer and encodes.
         *
         * @throws IllegalStateException if neither {@link #chunks} nor {@link #pqParams} was given
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

    /** The wrapped full-precision index. */
    public VamanaIndex index() {
        return index;
    }

    public ProductQuantizer quantizer() {
        return pq;
    }

    byte[] codes() {
        return codes;
    }

    /** {@link #search(float[], int, int, int)} re-ranking the whole search list ({@code rerank = L}). */
    public SearchResult search(float[] query, int k, int listSize) {
        return search(query, k, listSize, listSize);
    }

    /**
     * The k nearest neighbours: graph traversal on PQ distances with a search list of {@code listSize},
     * then the best {@code rerank} candidates (at least k) re-scored with full vectors; {@code rerank = 0}
     * returns PQ distances.
     *
     * @throws IllegalArgumentException as {@link VamanaIndex#search}, or on a negative rerank
     */
    public SearchResult search(float[] query, int k, int listSize, int rerank) {
        return index.search(query, k, listSize, scorers.get(), rerank);
    }

    /** Searches every query, in parallel on the common pool. */
    public SearchResult[] batchSearch(float[][] queries, int k, int listSize, int rerank) {
        SearchResult[] out = new SearchResult[queries.length];
        IntStream.range(0, queries.length).parallel().forEach(i -> out[i] = search(queries[i], k, listSize, rerank));
        return out;
    }

    /** Inserts into the index and encodes the vector; returns the new id. */
    public int insert(float[] vector) {
        Lock r = saveLock.readLock();
        r.lock();
        try {
            byte[] code = encode(vector);
            int id = index.insert(vector);
            store(index.ordinalOf(id), code);
            return id;
        } finally {
            r.unlock();
        }
    }

    /** Replaces {@code id}'s vector in the index and its code. */
    public void update(int id, float[] vector) {
        Lock r = saveLock.readLock();
        r.lock();
        try {
            byte[] code = encode(vector);
            index.update(id, vector);
            store(index.ordinalOf(id), code);
        } finally {
            r.unlock();
        }
    }

    /** Deletes {@code id} (lazily, as {@link VamanaIndex#delete}). */
    public void delete(int id) {
        Lock r = saveLock.readLock();
        r.lock();
        try {
            index.delete(id);
        } finally {
            r.unlock();
        }
    }

    private byte[] encode(float[] vector) {
        byte[] code = new byte[chunks];
        pq.encode(vector, code, 0, encodeScratch.get());
        return code;
    }

    private synchronized void store(int ordinal, byte[] code) {
        if (ordinal < 0) {
            return; // deleted concurrently
        }
        byte[] c = codes;
        int end = (ordinal + 1) * chunks;
        if (end > c.length) {
            c = Arrays.copyOf(c, Math.max(end, c.length + (c.length >> 1) + 16 * chunks));
        }
        System.arraycopy(code, 0, c, ordinal * chunks, chunks);
        codes = c;
    }

    /**
     * Encodes the vectors stored past the end of the codes: those inserted through {@link #index()}
     * directly rather than through this object (a save must not write them without codes).
     */
    private void encodeMissing() {
        int limit = index.ordinalLimit();
        VectorStore store = index.vectorStore();
        float[] buffer = new float[index.dimensions()];
        for (int ordinal = codes.length / chunks; ordinal < limit; ordinal++) {
            store.get(ordinal, buffer);
            store(ordinal, encode(sanitize(buffer)));
        }
    }

    /** Code and vector memory, and the compression ratio. */
    public PqStats stats() {
        int n = index.ordinalLimit();
        long vectorBytes = index.stats().vectorBytes();
        long rowBytes = (long) index.dimensions() * index.vectorType().bytesPerElement();
        return new PqStats(chunks, n, (long) n * chunks, pq.codebookBytes(), vectorBytes,
                rowBytes / (double) chunks, trainSeconds, encodeSeconds, pq.rotated(), pq.codeDimensions(),
                pq.rotationVarianceKept());
    }

    /**
     * Saves the index to {@code path} and the quantizer with its codes to {@code path + ".pq"}, each
     * atomically; mutations through this object wait meanwhile.
     */
    public void save(Path path) throws IOException {
        Lock w = saveLock.writeLock();
        w.lock();
        try {
            encodeMissing();
            index.save(path);
            PqFile.write(pqPath(path), pq, codes, index.ordinalLimit());
        } finally {
            w.unlock();
        }
    }

    /**
     * Loads what {@link #save} wrote.
     *
     * @throws IOException if either file is missing, truncated or corrupt, or the codebook does not match
     *     the index (dimensions, metric, or fewer codes than stored vectors)
     */
    public static PqIndex load(Path path) throws IOException {
        VamanaIndex index = VamanaIndex.load(path);
        Path pqPath = pqPath(path);
        PqFile.Contents c = PqFile.read(pqPath);
        if (c.quantizer().dimensions() != index.dimensions() || c.quantizer().metric() != index.metric()) {
            throw new IOException("cannot load PQ file " + pqPath + ": codebook for " + c.quantizer().dimensions()
                    + " dimensions / " + c.quantizer().metric() + " does not match the index (" + index.dimensions()
                    + " / " + index.metric() + ")");
        }
        if (c.count() < index.ordinalLimit()) {
            throw new IOException("cannot load PQ file " + pqPath + ": " + c.count() + " codes for an index of "
                    + index.ordinalLimit() + " stored vectors");
        }
        return new PqIndex(index, c.quantizer(), c.codes());
    }

    static Path pqPath(Path indexPath) {
        return indexPath.resolveSibling(indexPath.getFileName() + ".pq");
    }
}
