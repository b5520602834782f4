package io.diskann.graph;

import io.diskann.index.MutableVectorIndex;
import io.diskann.io.AtomicFiles;
import io.diskann.io.FormatWriter;
import io.diskann.io.IndexFiles;
import io.diskann.index.RangeParams;
import io.diskann.index.SearchParams;
import io.diskann.index.SearchResult;
import io.diskann.index.Searcher;
import io.diskann.util.BatchSearch;
import io.diskann.util.SearchThreads;
import io.diskann.util.SearcherPool;
import io.diskann.vector.Metric;
import io.diskann.vector.QueryScorer;
import io.diskann.vector.VectorType;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.function.IntFunction;
import java.util.function.Supplier;
import java.util.concurrent.Executor;
import java.util.concurrent.locks.Lock;

/**
 * An in-memory DiskANN (Vamana) index: a graph over vectors held in RAM (off-heap, 64-byte aligned rows),
 * searched from a start point, and mutable in place as FreshDiskANN made it: insert, lazy delete, update
 * and consolidate.
 *
 * <pre>{@code
 * VamanaIndex index = VamanaIndex.builder(128, Metric.L2).vectorType(VectorType.F32)
 *         .params(VamanaParams.builder().maxDegree(64).buildListSize(100).alpha(1.2f).build())
 *         .build();
 * index.build(vectors);                          // float[][]; vector i gets id i
 * SearchResult r = index.search(query, 10, 100); // k = 10, search list L = 100
 * int id = index.insert(newVector);              // or insert(myId, newVector)
 * index.delete(3); index.update(5, changed); index.consolidate();
 * index.save(Path.of("my.index"));
 * VamanaIndex again = VamanaIndex.load(Path.of("my.index"));
 * }</pre>
 *
 * <p><b>Ids.</b> {@link #build} gives vector {@code i} the id {@code i}; {@link #insert(float[])} hands
 * out the next unused id; {@link #insert(int, float[])} takes the caller's. An id always means the same
 * vector (or its replacement by {@link #update}) until it is deleted, and is never reused by the index
 * for another vector, even after {@link #consolidate} recycles the storage.
 *
 * <p><b>Searching.</b> {@link #search} borrows a {@link Searcher} from a small pool (at most two per
 * processor are kept); an application that searches from its own threads can hold one searcher per
 * thread instead ({@link #searcher()}). Filters ({@link SearchParams#filter}) run inside the search:
 * rejected vectors are traversed but never returned. Deleted vectors are one such filter.
 *
 * <p><b>Thread-safety.</b> After {@link #build} (or {@link #load}) returns, all other methods may be
 * called from any number of threads. Searches, {@link #insert}, {@link #delete} and {@link #update} run
 * concurrently with each other: mutations coordinate through per-node locks. A delete is visible to every
 * search that starts after it returns; an update is atomic for searchers (a search returns the old vector
 * or the new one under that id, never both and never a mix). {@link #consolidate} and {@link #save} run
 * beside searches, while inserts, updates and deletes wait for them (consolidate pauses searches only for
 * its last step, which frees the deleted slots). Growing the storage (done by an insert when it runs out
 * of room, or by {@link #reserve}) allocates beside searches and mutations wait; searches pause only
 * while the new storage is swapped in. {@link #build} runs once, before anything else; {@link #close}
 * waits for running searches and mutations and then frees the memory.
 *
 * <table>
 *   <caption>What may run at the same time</caption>
 *   <tr><th></th><th>search</th><th>insert / update / delete</th><th>consolidate</th><th>save</th></tr>
 *   <tr><td>search</td><td>yes</td><td>yes</td><td>yes (not its final step)</td><td>yes</td></tr>
 *   <tr><td>insert / update / delete</td><td>yes</td><td>yes</td><td>waits</td><td>waits</td></tr>
 *   <tr><td>consolidate</td><td>yes</td><td>waits</td><td>waits</td><td>waits</td></tr>
 *   <tr><td>setTraversal</td><td>yes (not the swap of codes)</td><td>waits</td><td>waits</td><td>waits</td></tr>
 *   <tr><td>reorder</td><td>waits</td><td>waits</td><td>waits</td><td>waits</td></tr>
 * </table>
 *
 * <p><b>Choosing L.</b> The search list size L trades time for recall: the search expands roughly L
 * nodes. L must be at least k; typical values are 1.5k to 10k.
 */
public final class VamanaIndex implements MutableVectorIndex {

    /** How {@link #load(Path, LoadMode)} brings the vectors into memory. */
    public enum LoadMode {
        /** Read the vectors into native memory (the default). */
        COPY,
        /**
         * Map the file's vector section (private copy-on-write mapping): loading reads the file once to
         * check it, the vectors then live in the page cache, shared with other processes that map the
         * same file, and changes stay in memory (the file changes only when saved).
         */
        MAP
    }

    private final GraphState state;
    private final IndexMutations mutations;
    private final SearcherPool searchers;
    private final SearchThreads searchThreads;
    private final StorageOrdinals ordinals;

    static {
        IndexFiles.register(new IndexFiles.Access() {
            @Override
            public void save(VamanaIndex index, Path path, IntFunction<List<FormatWriter.Section>> extra)
                    throws IOException {
                index.save(path, extra);
            }

            @Override
            public VamanaIndex load(Path path, boolean map, IndexFiles.ExtraSections extra) throws IOException {
                return VamanaIndex.load(path, map, extra);
            }
        });
    }

    VamanaIndex(GraphState state) {
        this.state = state;
        this.mutations = new IndexMutations(state);
        this.searchers = new SearcherPool(this::searcher);
        this.searchThreads = new SearchThreads("diskann-search", state.params.threads());
        this.ordinals = new StorageOrdinals(state);
    }

    /** The shared state, for tests and the file code in this package. */
    GraphState state() {
        return state;
    }

    /**
     * Starts describing an index of {@code dimensions}-component vectors compared by {@code metric}.
     *
     * @param dimensions components per vector, 1..65536
     * @param metric the distance metric
     * @return a builder with f32 storage, {@link VamanaParams#defaults()} and {@link Traversal#SQ8}
     * @throws IllegalArgumentException if {@code dimensions} is out of range or {@code metric} is null
     */
    public static VamanaIndexBuilder builder(int dimensions, Metric metric) {
        return new VamanaIndexBuilder(dimensions, metric);
    }

    /**
     * Builds the graph over {@code data}; vector {@code i} gets id {@code i}.
     *
     * @param data the vectors, each of the index's dimension
     * @throws IllegalArgumentException on an empty input, a dimension mismatch or a bad component
     * @throws IllegalStateException if the index already holds vectors
     */
    public void build(float[][] data) {
        build(data, BuildListener.NONE);
    }

    /**
     * Builds the graph over {@code data} (vector {@code i} gets id {@code i}), reporting progress.
     *
     * @param data the vectors, each of the index's dimension
     * @param listener receives progress, from worker threads
     * @throws IllegalArgumentException on an empty input, a dimension mismatch or a bad component (the
     *     message names the vector)
     * @throws IllegalStateException if the index already holds vectors
     */
    public void build(float[][] data, BuildListener listener) {
        if (data == null || data.length == 0) {
            throw new IllegalArgumentException("cannot build an index from no vectors");
        }
        // a null or wrong-length row is refused by the store, and the build names the vector
        build(data.length, VectorSource.concurrent((i, out) -> data[i]), listener);
    }

    /**
     * Builds over {@code n} vectors supplied by {@code source} (e.g. rows of a memory-mapped file); vector
     * {@code i} gets id {@code i}.
     *
     * @param n number of vectors (at least 1)
     * @param source supplies the vectors, each once, in order (from several threads if it is
     *     {@link VectorSource#concurrent()})
     * @param listener receives progress, from worker threads; null for none
     * @throws IllegalArgumentException if {@code n < 1} or a vector is bad (the message names it)
     * @throws IllegalStateException if the index already holds vectors or is closed
     */
    public void build(int n, VectorSource source, BuildListener listener) {
        underWriteLock(() -> BulkBuild.run(state, n, source, listener == null ? BuildListener.NONE : listener));
    }

    /**
     * Builds over {@code n} vectors with the graph pruned from given candidate neighbours instead of
     * searched for: each vector's candidates (ids {@code 0..n-1}) are robust-pruned to R with alpha, under
     * the link constraint's occlusion rule when one is set; no back edges are added. How Stitched-Vamana
     * (diskann-filter) joins its per-label graphs; also a way to bring in a graph made elsewhere. The start
     * point is chosen and the graph reordered as in {@link #build(int, VectorSource, BuildListener)}.
     *
     * @param n number of vectors (at least 1)
     * @param source supplies the vectors, each once, in order
     * @param candidates the candidate ids of vector {@code i} (null or empty: no edges); called from worker threads
     * @param listener receives progress, from worker threads; null for none
     * @throws IllegalArgumentException if a vector is bad or a candidate id is outside {@code 0..n-1}
     * @throws IllegalStateException if the index already holds vectors or is closed
     */
    public void buildFromCandidates(int n, VectorSource source, IntFunction<int[]> candidates, BuildListener listener) {
        if (candidates == null) {
            throw new IllegalArgumentException("candidates is null");
        }
        underWriteLock(() -> BulkBuild.run(state, n, source, candidates, listener));
    }

    /**
     * Makes later builds and inserts link under {@code c}'s rules (Filtered-Vamana, from diskann-filter):
     * start points per vector, a traversal limited to nodes that share its labels, and a prune in which
     * only a neighbour carrying the shared labels occludes. Null restores plain Vamana. Waits for running
     * inserts; links made before keep their edges.
     *
     * @param c the constraint, or null
     */
    public void setLinkConstraint(LinkConstraint c) {
        underWriteLock(() -> {
            synchronized (state) {
                state.constraint = c;
                state.linker = null; // the next insert makes a linker with the new rules
            }
        });
    }

    /** Runs {@code body} on the open index with searches and inserts held back (the storage's write lock). */
    private void underWriteLock(Runnable body) {
        Lock w = state.lock.writeLock();
        w.lock();
        try {
            ensureOpen();
            body.run();
        } finally {
            w.unlock();
        }
    }

    // ---------------------------------------------------------------- search

    @Override
    public Searcher searcher() {
        ensureOpen();
        return new VamanaSearcher(state, null);
    }

    /**
     * A searcher whose graph traversal scores candidates with {@code traversal}, an approximate scorer over
     * this index's storage ordinals (diskann-pq's codes), after which the best {@link SearchParams#rerank}
     * candidates (default L) are re-scored with the full-precision vectors; rerank 0 returns the
     * traversal's own distances. The searcher owns {@code traversal} (it sets its query).
     *
     * @param traversal an approximate scorer over this index's storage ordinals, for this searcher only
     * @return the searcher
     * @throws IllegalArgumentException if {@code traversal} is null
     * @throws IllegalStateException if the index is closed
     */
    public Searcher searcher(QueryScorer traversal) {
        ensureOpen();
        if (traversal == null) {
            throw new IllegalArgumentException("traversal scorer is null");
        }
        return new VamanaSearcher(state, traversal);
    }

    /**
     * The {@code params.k()} nearest neighbours of {@code query}. Fewer are returned only when the search
     * finds fewer live vectors the filter accepts.
     *
     * @throws IllegalArgumentException if the query has the wrong dimension or a non-finite (or, for
     *     integer types, unrepresentable) component
     * @throws IllegalStateException if the index holds no vectors or is closed
     */
    @Override
    public SearchResult search(float[] query, SearchParams params) {
        return searchers.search(query, params);
    }

    /** Searches every query in parallel on the index's own {@link VamanaParams#threads()} threads. */
    @Override
    public SearchResult[] batchSearch(float[][] queries, SearchParams params) {
        ensureOpen();
        return BatchSearch.run(queries, params, searchThreads.executor(), searchThreads.threads(), searchers.lender());
    }

    /** Searches every query in parallel on {@code executor}, with up to {@link VamanaParams#threads()} tasks. */
    @Override
    public SearchResult[] batchSearch(float[][] queries, SearchParams params, Executor executor) {
        return BatchSearch.run(queries, params, executor, state.params.threads(), searchers.lender());
    }

    /**
     * Every vector within {@code radius} of {@code query} that the search finds, closest first, with
     * DiskANN's strategy (see {@link RangeParams}).
     */
    @Override
    public SearchResult rangeSearch(float[] query, float radius, RangeParams params) {
        return searchers.rangeSearch(query, radius, params);
    }

    // ---------------------------------------------------------------- companions' view of the storage

    /**
     * The storage as structures indexed like it see it (diskann-pq's codes, the SSD-resident index's
     * writer): vectors, graph and ids by storage ordinal, and companions kept up to date with every store.
     *
     * @return this index's ordinal view (the same object on every call)
     */
    public StorageOrdinals ordinals() {
        return ordinals;
    }

    // ---------------------------------------------------------------- mutations

    @Override
    public int insert(float[] vector) {
        ensureOpen();
        return StorageLayout.fitCodesAfterInsert(state, mutations.insert(-1, vector, false));
    }

    @Override
    public int insert(int id, float[] vector) {
        if (id < 0 || id > MAX_ID) {
            throw new IllegalArgumentException("id must be in 0.." + MAX_ID + ", got " + id);
        }
        ensureOpen();
        return StorageLayout.fitCodesAfterInsert(state, mutations.insert(id, vector, false));
    }

    /**
     * Renumbers the storage so that graph neighbours sit near each other in memory (breadth-first from the
     * start point; see docs/PERFORMANCE.md for what it buys). Ids, results and the graph do not change.
     * {@link #build} does it already; call it again after many inserts (which are stored in arrival
     * order) or after {@link #consolidate}. Waits for running mutations and searches, and holds new
     * searches back while it moves the rows (about a second per million 128-d vectors).
     */
    public void reorder() {
        StorageLayout.reorder(state);
    }

    /**
     * What searches traverse on (see {@link Traversal}).
     *
     * @return the current traversal
     */
    public Traversal traversal() {
        return state.traversal;
    }

    /**
     * Switches what searches traverse on; saved with the index. {@link Traversal#SQ8} (re-)fits the codes
     * to the live vectors now (one pass over them; use it to re-fit after the data has drifted),
     * {@link Traversal#EXACT} frees them. Searches continue meanwhile; inserts, updates and deletes wait.
     *
     * @param t what to traverse on from now on
     * @throws IllegalArgumentException if {@code t} is null
     */
    public void setTraversal(Traversal t) {
        if (t == null) {
            throw new IllegalArgumentException("traversal is null");
        }
        StorageLayout.setTraversal(state, t);
    }

    /**
     * Lazily deletes {@code id}: from the moment this returns no search returns it. Its storage is
     * reclaimed by {@link #consolidate} (run automatically when {@link VamanaParams#consolidateThreshold()}
     * of the slots are deleted).
     *
     * @throws IllegalArgumentException if {@code id} is not in the index (never inserted or already deleted)
     */
    @Override
    public void delete(int id) {
        ensureOpen();
        mutations.delete(id);
    }

    @Override
    public void update(int id, float[] vector) {
        ensureOpen();
        mutations.insert(id, vector, true);
    }

    /**
     * Repairs the graph around deleted vectors and frees their storage for reuse (FreshDiskANN's
     * consolidate), in parallel on the build threads. Searches continue while the graph is repaired;
     * inserts, updates and deletes wait until it is done; the final step, freeing the slots, waits for
     * the searches already running and holds new ones back for a moment (it only clears lists).
     */
    @Override
    public int consolidate() {
        ensureOpen();
        return mutations.consolidate();
    }

    /**
     * Makes room for {@code capacity} vectors in total, so that inserts up to that size never stop to
     * grow the storage. Vectors grow by new chunks without copying; the adjacency and slot table are
     * copied (searches continue meanwhile; inserts, updates and deletes wait).
     *
     * @throws IllegalStateException if the memory cannot be had (the index is then unchanged)
     */
    @Override
    public void reserve(int capacity) {
        if (capacity < 0) {
            throw new IllegalArgumentException("capacity must not be negative, got " + capacity);
        }
        ensureOpen();
        try {
            mutations.reserve(capacity);
        } catch (OutOfMemoryError e) {
            // the new storage is prepared in full before it is installed, so the index is unchanged
            throw new IllegalStateException("not enough memory to reserve room for " + capacity + " vectors ("
                    + e.getMessage() + "); the index is unchanged: reserve less or give the JVM more memory", e);
        }
    }

    // ---------------------------------------------------------------- inspection

    /** Shape, degrees, slot usage and memory of the index. */
    @Override
    public VamanaStats stats() {
        return underReadLock(() -> VamanaStats.of(state));
    }

    /** Number of live vectors. */
    @Override
    public int size() {
        return state.slots.liveCount();
    }

    @Override
    public int dimensions() {
        return state.dimensions;
    }

    @Override
    public Metric metric() {
        return state.metric;
    }

    @Override
    public VectorType vectorType() {
        return state.type;
    }

    /**
     * The construction parameters (with this machine's thread count when loaded).
     *
     * @return the parameters
     */
    public VamanaParams params() {
        return state.params;
    }

    /** Whether {@code id} is in the index. */
    @Override
    public boolean contains(int id) {
        return state.slots.slotOf(id) >= 0;
    }

    /**
     * The ids of the out-neighbours of {@code id} that are live (for inspection and tests).
     *
     * @param id a vector id in the index
     * @return the live neighbours' ids
     * @throws IllegalArgumentException if {@code id} is not in the index
     */
    public int[] neighbors(int id) {
        return underReadLock(() -> {
            int[] out = new int[state.graph.maxDegree()];
            int n = state.graph.copy(slotOf(id), out);
            int w = 0;
            for (int i = 0; i < n; i++) {
                if (state.slots.isLive(out[i])) {
                    out[w++] = state.slots.labelOf(out[i]);
                }
            }
            return Arrays.copyOf(out, w);
        });
    }

    /**
     * Decodes the stored vector of {@code id}.
     *
     * @param id a vector id in the index
     * @return a new array with its components as stored (f16 components come back rounded to binary16)
     * @throws IllegalArgumentException if {@code id} is not in the index
     */
    public float[] vector(int id) {
        return underReadLock(() -> {
            float[] out = new float[state.dimensions];
            state.vectors.get(slotOf(id), out);
            return out;
        });
    }

    /** Runs {@code body} on the open index with the storage held in place (no swap, no close). */
    private <T> T underReadLock(Supplier<T> body) {
        Lock r = state.lock.readLock();
        r.lock();
        try {
            ensureOpen();
            return body.get();
        } finally {
            r.unlock();
        }
    }

    private int slotOf(int id) {
        int slot = state.slots.slotOf(id);
        if (slot < 0) {
            throw new IllegalArgumentException("unknown id " + id + ": not in the index");
        }
        return slot;
    }

    private void ensureOpen() {
        state.ensureOpen();
    }

    // ---------------------------------------------------------------- files

    /**
     * Writes the index to {@code path} atomically: a temporary file in the same directory is written,
     * forced to disk and renamed over {@code path}, so a crash leaves either the old file or the new one.
     * Inserts, updates, deletes and consolidation wait while it writes, so the file is a consistent
     * snapshot; searches continue.
     */
    @Override
    public void save(Path path) throws IOException {
        save(path, slots -> List.of());
    }

    private void save(Path path, IntFunction<List<FormatWriter.Section>> extra) throws IOException {
        if (path == null) {
            throw new IllegalArgumentException("path is null");
        }
        IndexFile.writeSnapshot(path, state, extra);
    }

    /**
     * Reads an index written by {@link #save}, vectors copied into memory.
     *
     * @param path the index file
     * @return the loaded index
     * @throws IOException naming the file and the problem when it is missing, truncated, corrupt (checksum
     *     mismatch), of another format or of an unsupported version
     */
    public static VamanaIndex load(Path path) throws IOException {
        return load(path, LoadMode.COPY);
    }

    /**
     * Reads an index written by {@link #save}, its vectors brought in as {@code mode} says.
     *
     * @param path the index file
     * @param mode copy the vectors into memory or map them from the file
     * @return the loaded index
     * @throws IOException naming the file and the problem when it is missing, truncated, corrupt, of
     *     another format or of an unsupported version
     */
    public static VamanaIndex load(Path path, LoadMode mode) throws IOException {
        if (mode == null) {
            throw new IllegalArgumentException("mode is null");
        }
        return load(path, mode == LoadMode.MAP, null);
    }

    private static VamanaIndex load(Path path, boolean map, IndexFiles.ExtraSections extra) throws IOException {
        if (path == null) {
            throw new IllegalArgumentException("path is null");
        }
        AtomicFiles.removeStaleTemps(path); // left by a save that was killed
        return new VamanaIndex(IndexFile.read(path, map, extra));
    }

    /**
     * Waits for running searches and mutations, then frees the vectors' memory and stops the search
     * threads. Any later call throws {@link IllegalStateException}. Idempotent.
     */
    @Override
    public void close() {
        Lock m = state.mutationLock.writeLock();
        m.lock();
        try {
            Lock w = state.lock.writeLock();
            w.lock();
            try {
                if (state.closed) {
                    return;
                }
                state.closed = true;
                searchers.close();
                searchThreads.close();
                state.closeStorage();
            } finally {
                w.unlock();
            }
        } finally {
            m.unlock();
        }
    }
}
