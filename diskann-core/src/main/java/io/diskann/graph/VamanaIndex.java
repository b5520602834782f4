package io.diskann.graph;

import io.diskann.vector.Metric;
import io.diskann.vector.QueryScorer;
import io.diskann.vector.VectorStore;
import io.diskann.vector.VectorType;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.locks.Lock;
import java.util.stream.IntStream;

/**
 * An in-memory DiskANN (Vamana) index: a graph over vectors held in RAM, searched greedily from a start
 * point, and mutable in place as FreshDiskANN made it: insert, lazy delete, update and consolidate.
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
 * <p><b>Thread-safety.</b> After {@link #build} (or {@link #load}) returns, all other methods may be
 * called from any number of threads. {@link #search}, {@link #batchSearch}, {@link #rangeSearch},
 * {@link #insert}, {@link #delete} and {@link #update} run concurrently with each other: searches keep
 * their scratch in thread-local contexts, mutations coordinate through per-node locks. A delete is
 * visible to every search that starts after it returns; an update is atomic for searchers (a search
 * returns the old vector or the new one under that id, never both and never a mix). {@link #consolidate}
 * and {@link #save} run beside searches, while inserts, updates and deletes wait for them (consolidate
 * pauses searches only for its last step, which frees the deleted slots). Growing the storage (done by an
 * insert when it runs out of room, or by {@link #reserve}) copies the arrays while searches continue and
 * mutations wait; searches pause only while the copies are swapped in. {@link #build} runs once, before
 * anything else.
 *
 * <table>
 *   <caption>What may run at the same time</caption>
 *   <tr><th></th><th>search</th><th>insert / update / delete</th><th>consolidate</th><th>save</th></tr>
 *   <tr><td>search</td><td>yes</td><td>yes</td><td>yes (not its final step)</td><td>yes</td></tr>
 *   <tr><td>insert / update / delete</td><td>yes</td><td>yes</td><td>waits</td><td>waits</td></tr>
 *   <tr><td>consolidate</td><td>yes</td><td>waits</td><td>waits</td><td>waits</td></tr>
 * </table>
 *
 * <p><b>Choosing L.</b> The search list size L trades time for recall: the search expands roughly L
 * nodes. L must be at least k; typical values are 1.5k to 10k.
 */
public final class VamanaIndex {

    private final GraphState state;
    private final ThreadLocal<SearchContext> contexts;
    private final IndexMutations mutations;
    private final RerankingSearch reranking;

    VamanaIndex(GraphState state) {
        this.state = state;
        this.contexts = ThreadLocal.withInitial(() -> new SearchContext(state.vectors, state.metric,
                Math.max(1, state.slots.highWater()), state.graph.maxDegree()));
        this.mutations = new IndexMutations(state);
        this.reranking = new RerankingSearch(state);
    }

    /** The shared state, for tests and the file code in this package. */
    GraphState state() {
        return state;
    }

    /** Starts describing an index of {@code dimensions}-component vectors compared by {@code metric}. */
    public static Builder builder(int dimensions, Metric metric) {
        return new Builder(dimensions, metric);
    }

    /** Configures a new, empty index. */
    public static final class Builder {
        private final int dimensions;
        private final Metric metric;
        private VectorType type = VectorType.F32;
        private VamanaParams params = VamanaParams.defaults();

        private Builder(int dimensions, Metric metric) {
            if (dimensions <= 0 || dimensions > 65_536) {
                throw new IllegalArgumentException("dimensions must be in 1..65536, got " + dimensions);
            }
            if (metric == null) {
                throw new IllegalArgumentException("metric is null");
            }
            this.dimensions = dimensions;
            this.metric = metric;
        }

        /** Storage element type (default {@link VectorType#F32}). */
        public Builder vectorType(VectorType t) {
            if (t == null) {
                throw new IllegalArgumentException("vector type is null");
            }
            if (t.isInteger() && dimensions > 32_768) {
                throw new IllegalArgumentException("8-bit vectors support at most 32768 dimensions (exact 32-bit sums), got " + dimensions);
            }
            this.type = t;
            return this;
        }

        /** Construction parameters (default {@link VamanaParams#defaults()}). */
        public Builder params(VamanaParams p) {
            if (p == null) {
                throw new IllegalArgumentException("params is null");
            }
            this.params = p;
            return this;
        }

        /** An empty index: {@link VamanaIndex#build} it, or {@link VamanaIndex#insert} into it. */
        public VamanaIndex build() {
            GraphState s = new GraphState(dimensions, metric, type, params, VectorStore.create(type, dimensions, 0),
                    new Adjacency(0, params.slackDegree()), SlotTable.identity(0, 0), -1);
            return new VamanaIndex(s);
        }
    }

    /** Builds the graph over {@code data}; vector {@code i} gets id {@code i}. */
    public void build(float[][] data) {
        build(data, BuildListener.NONE);
    }

    /**
     * Builds the graph over {@code data} (vector {@code i} gets id {@code i}), reporting progress.
     *
     * @throws IllegalArgumentException on an empty input, a dimension mismatch or a bad component (the
     *     message names the vector)
     * @throws IllegalStateException if the index already holds vectors
     */
    public void build(float[][] data, BuildListener listener) {
        if (data == null || data.length == 0) {
            throw new IllegalArgumentException("cannot build an index from no vectors");
        }
        build(data.length, (i, out) -> {
            float[] v = data[i];
            if (v == null || v.length != state.dimensions) {
                throw new IllegalArgumentException("vector " + i + " has " + (v == null ? "no" : v.length)
                        + " components but the index has " + state.dimensions + " dimensions");
            }
            return v;
        }, listener);
    }

    /** Supplies vector {@code i}; may fill and return {@code reuse} or return its own array. */
    @FunctionalInterface
    public interface VectorSource {
        float[] get(int i, float[] reuse);
    }

    /** Builds over {@code n} vectors supplied by {@code source} (e.g. rows of a memory-mapped file). */
    public void build(int n, VectorSource source, BuildListener listener) {
        Lock w = state.lock.writeLock();
        w.lock();
        try {
            if (state.slots.highWater() > 0) {
                throw new IllegalStateException("index already holds " + state.slots.liveCount()
                        + " vectors: build runs once, on an empty index (use insert to add more)");
            }
            if (n <= 0) {
                throw new IllegalArgumentException("cannot build an index from " + n + " vectors");
            }
            state.vectors.ensureCapacity(n);
            state.graph.ensureCapacity(n);
            float[] reuse = new float[state.dimensions];
            for (int i = 0; i < n; i++) {
                float[] v = source.get(i, reuse);
                try {
                    state.vectors.set(i, v);
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException("vector " + i + ": " + e.getMessage(), e);
                }
            }
            VamanaBuilder builder = new VamanaBuilder(state.vectors, state.metric, state.params, state.graph, n);
            state.start = builder.build(listener == null ? BuildListener.NONE : listener);
            state.mips = builder.mipsAugmentation();
            state.slots = SlotTable.identity(n, n);
            state.chooseEntryPoints();
        } finally {
            w.unlock();
        }
    }

    /**
     * The {@code k} nearest neighbours of {@code query} found with a search list of size {@code listSize}.
     * Fewer than {@code k} are returned only when the search list holds fewer live vectors.
     *
     * @throws IllegalArgumentException if k &lt; 1, listSize &lt; k, or the query has the wrong dimension or a
     *     non-finite (or, for integer types, unrepresentable) component
     * @throws IllegalStateException if the index holds no vectors
     */
    public SearchResult search(float[] query, int k, int listSize) {
        checkSearch(k, listSize);
        SearchContext ctx = contexts.get();
        ctx.scorer.setQuery(query);
        Lock r = state.lock.readLock();
        r.lock();
        try {
            checkNotEmpty();
            greedySearch(ctx, listSize);
            return collect(ctx, k, Float.POSITIVE_INFINITY, ctx.distanceComputations, ctx.hops);
        } finally {
            r.unlock();
        }
    }

    /**
     * Search whose graph traversal scores candidates with {@code traversal}, an approximate scorer over
     * this index's storage ordinals (diskann-pq's codes, say), after which the best {@code rerank}
     * candidates (at least k) are re-scored with the full-precision vectors and the k best returned with
     * exact distances; {@code rerank == 0} returns the traversal's own distances. {@code traversal} is the
     * caller's per-thread scorer: this method calls its {@code setQuery}. Concurrency as {@link #search}.
     *
     * @throws IllegalArgumentException as {@link #search}, or if rerank is negative
     */
    public SearchResult search(float[] query, int k, int listSize, QueryScorer traversal, int rerank) {
        checkSearch(k, listSize);
        if (rerank < 0) {
            throw new IllegalArgumentException("rerank must not be negative, got " + rerank);
        }
        SearchContext exact = contexts.get();
        exact.scorer.setQuery(query);
        Lock r = state.lock.readLock();
        r.lock();
        try {
            checkNotEmpty();
            return reranking.search(query, k, listSize, traversal, rerank, exact.scorer);
        } finally {
            r.unlock();
        }
    }

    /**
     * The vector storage, for companion structures indexed like it (diskann-pq encodes every ordinal
     * below {@link #ordinalLimit}). Read-only for callers: write through {@link #insert} and
     * {@link #update}.
     */
    public VectorStore vectorStore() {
        return state.vectors;
    }

    /** One past the largest storage ordinal in use (live, deleted or freed). */
    public int ordinalLimit() {
        return state.slots.highWater();
    }

    /** The storage ordinal of live {@code id}, or -1 if the id is not live. */
    public int ordinalOf(int id) {
        SlotTable slots = state.slots;
        int slot = slots.slotOf(id);
        return slot >= 0 && slots.isLive(slot) ? slot : -1;
    }

    /** Whether the vector at storage ordinal {@code ordinal} is live (searchable). */
    public boolean isLiveOrdinal(int ordinal) {
        return ordinal >= 0 && ordinal < state.slots.highWater() && state.slots.isLive(ordinal);
    }

    /**
     * Greedy search from the start point over every slot; visited sets are sized by the slot capacity,
     * which only changes under the exclusive lock (the caller holds the read lock).
     */
    private void greedySearch(SearchContext ctx, int listSize) {
        int[] extra = state.entryPoints;
        if (extra.length == 0) {
            GreedySearch.search(ctx, state.graph, state.slots.capacity(), state.start, listSize, null);
        } else {
            GreedySearch.searchFrom(ctx, state.graph, state.slots.capacity(), state.start, extra, listSize);
        }
    }

    /**
     * The first {@code k} live entries of the search list (within {@code radius}) as results, each id
     * once: during an update both the old and the new vector of an id may be live for an instant.
     */
    private SearchResult collect(SearchContext ctx, int k, float radius, long comps, long hops) {
        NeighborQueue q = ctx.queue;
        SlotTable slots = state.slots;
        int[] ids = new int[Math.min(k, q.size())];
        float[] d = new float[ids.length];
        int n = 0;
        for (int i = 0; i < q.size() && n < ids.length; i++) {
            float dist = q.distance(i);
            if (dist > radius) {
                break;
            }
            int slot = q.id(i);
            if (!slots.isLive(slot)) {
                continue;
            }
            int label = slots.labelOf(slot);
            boolean seen = false;
            for (int j = 0; j < n && !seen; j++) {
                seen = ids[j] == label;
            }
            if (!seen) {
                ids[n] = label;
                d[n++] = dist;
            }
        }
        if (n < ids.length) {
            ids = Arrays.copyOf(ids, n);
            d = Arrays.copyOf(d, n);
        }
        return new SearchResult(ids, d, comps, hops);
    }

    /** Searches every query in parallel (common fork-join pool); results in query order. */
    public SearchResult[] batchSearch(float[][] queries, int k, int listSize) {
        checkSearch(k, listSize);
        SearchResult[] out = new SearchResult[queries.length];
        IntStream.range(0, queries.length).parallel().forEach(i -> {
            try {
                out[i] = search(queries[i], k, listSize);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("query " + i + ": " + e.getMessage(), e);
            }
        });
        return out;
    }

    /**
     * Every vector within {@code radius} of {@code query} that the search finds, closest first, with
     * DiskANN's strategy: search with list size {@code initialListSize}; while at least half the list
     * lies inside the radius, double the list size (up to {@code maxListSize}) and search again.
     */
    public SearchResult rangeSearch(float[] query, float radius, int initialListSize, int maxListSize) {
        if (Float.isNaN(radius)) {
            throw new IllegalArgumentException("radius is NaN");
        }
        if (initialListSize < 1 || maxListSize < initialListSize) {
            throw new IllegalArgumentException("need 1 <= initialListSize (" + initialListSize
                    + ") <= maxListSize (" + maxListSize + ")");
        }
        SearchContext ctx = contexts.get();
        ctx.scorer.setQuery(query);
        Lock r = state.lock.readLock();
        r.lock();
        try {
            checkNotEmpty();
            int listSize = initialListSize;
            long comps = 0;
            long hops = 0;
            while (true) {
                greedySearch(ctx, listSize);
                comps += ctx.distanceComputations;
                hops += ctx.hops;
                NeighborQueue q = ctx.queue;
                int inside = 0;
                while (inside < q.size() && q.distance(inside) <= radius) {
                    inside++;
                }
                if (inside * 2 < listSize || listSize >= maxListSize || q.size() < listSize) {
                    return collect(ctx, inside, radius, comps, hops);
                }
                listSize = (int) Math.min(maxListSize, 2L * listSize);
            }
        } finally {
            r.unlock();
        }
    }

    /** {@link #rangeSearch(float[], float, int, int)} with list sizes 100 to 10,000. */
    public SearchResult rangeSearch(float[] query, float radius) {
        return rangeSearch(query, radius, 100, 10_000);
    }

    private static void checkSearch(int k, int listSize) {
        if (k < 1) {
            throw new IllegalArgumentException("k must be at least 1, got " + k);
        }
        if (listSize < k) {
            throw new IllegalArgumentException("search list size L (" + listSize + ") must be at least k (" + k + ")");
        }
    }

    private void checkNotEmpty() {
        if (state.start < 0 || state.slots.liveCount() == 0) {
            throw new IllegalStateException("the index is empty: build it or insert vectors first");
        }
    }

    /**
     * Inserts {@code vector} under a new id (one more than the largest id ever used) and returns the id.
     * The vector is searchable when this returns.
     *
     * @throws IllegalArgumentException on a dimension mismatch or a component the type cannot hold
     */
    public int insert(float[] vector) {
        return mutations.insert(-1, vector, false);
    }

    /**
     * Inserts {@code vector} under the caller's {@code id} (0 or more).
     *
     * @throws IllegalArgumentException if {@code id} is negative or already in the index, or the vector is bad
     */
    public int insert(int id, float[] vector) {
        if (id < 0) {
            throw new IllegalArgumentException("id must not be negative, got " + id);
        }
        return mutations.insert(id, vector, false);
    }

    /**
     * Lazily deletes {@code id}: from the moment this returns no search returns it. Its storage is
     * reclaimed by {@link #consolidate} (run automatically when {@link VamanaParams#consolidateThreshold()}
     * of the slots are deleted).
     *
     * @throws IllegalArgumentException if {@code id} is not in the index (never inserted or already deleted)
     */
    public void delete(int id) {
        mutations.delete(id);
    }

    /**
     * Replaces the vector of {@code id}, atomically for searchers.
     *
     * @throws IllegalArgumentException if {@code id} is not in the index, or the vector is bad
     */
    public void update(int id, float[] vector) {
        mutations.insert(id, vector, true);
    }

    /**
     * Repairs the graph around deleted vectors and frees their storage for reuse (FreshDiskANN's
     * consolidate), in parallel on the build threads. Searches continue while the graph is repaired;
     * inserts, updates and deletes wait until it is done; the final step, freeing the slots, waits for
     * the searches already running and holds new ones back for a moment (it only clears lists).
     *
     * @return how many deleted slots were freed
     */
    public int consolidate() {
        return mutations.consolidate();
    }

    /**
     * Makes room for {@code capacity} vectors in total, so that inserts up to that size never stop to
     * grow the storage. Growing copies every per-vector array (seconds at a million vectors); searches
     * continue during the copy, but inserts, updates and deletes wait for it, so reserve ahead when the
     * final size is known.
     */
    public void reserve(int capacity) {
        if (capacity < 0) {
            throw new IllegalArgumentException("capacity must not be negative, got " + capacity);
        }
        mutations.reserve(capacity);
    }

    /** Shape, degrees, slot usage and memory of the index. */
    public IndexStats stats() {
        Lock r = state.lock.readLock();
        r.lock();
        try {
            SlotTable slots = state.slots;
            int min = Integer.MAX_VALUE;
            int max = 0;
            long sum = 0;
            int live = 0;
            for (int i = 0; i < slots.highWater(); i++) {
                if (slots.isLive(i)) {
                    int d = state.graph.degree(i);
                    min = Math.min(min, d);
                    max = Math.max(max, d);
                    sum += d;
                    live++;
                }
            }
            return new IndexStats(live, state.dimensions, state.type, state.metric, state.params, live == 0 ? 0 : min,
                    live == 0 ? 0 : (double) sum / live, max, state.vectors.bytes(), state.graph.bytes(),
                    state.start < 0 ? -1 : slots.labelOf(state.start), slots.deletedCount(), slots.freeCount());
        } finally {
            r.unlock();
        }
    }

    /** Number of live vectors. */
    public int size() {
        return state.slots.liveCount();
    }

    public int dimensions() {
        return state.dimensions;
    }

    public Metric metric() {
        return state.metric;
    }

    public VectorType vectorType() {
        return state.type;
    }

    public VamanaParams params() {
        return state.params;
    }

    /** Whether {@code id} is in the index. */
    public boolean contains(int id) {
        return state.slots.slotOf(id) >= 0;
    }

    /** The ids of the out-neighbours of {@code id} that are live (for inspection and tests). */
    public int[] neighbors(int id) {
        Lock r = state.lock.readLock();
        r.lock();
        try {
            int slot = slotOf(id);
            int[] out = new int[state.graph.maxDegree()];
            int n = state.graph.copy(slot, out);
            int w = 0;
            for (int i = 0; i < n; i++) {
                if (state.slots.isLive(out[i])) {
                    out[w++] = state.slots.labelOf(out[i]);
                }
            }
            return Arrays.copyOf(out, w);
        } finally {
            r.unlock();
        }
    }

    /** Decodes the stored vector of {@code id}. */
    public float[] vector(int id) {
        Lock r = state.lock.readLock();
        r.lock();
        try {
            float[] out = new float[state.dimensions];
            state.vectors.get(slotOf(id), out);
            return out;
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

    /**
     * Writes the index to {@code path} atomically: a temporary file in the same directory is written,
     * forced to disk and renamed over {@code path}, so a crash leaves either the old file or the new one.
     * Inserts, updates, deletes and consolidation wait while it writes, so the file is a consistent
     * snapshot; searches continue.
     */
    public void save(Path path) throws IOException {
        Lock m = state.mutationLock.writeLock();
        m.lock();
        try {
            Lock r = state.lock.readLock();
            r.lock();
            try {
                if (state.start < 0) {
                    throw new IllegalStateException("the index is empty: nothing to save");
                }
                IndexFile.write(path, state);
            } finally {
                r.unlock();
            }
        } finally {
            m.unlock();
        }
    }

    /**
     * Reads an index written by {@link #save}.
     *
     * @throws IOException naming the file and the problem when it is missing, truncated, corrupt (checksum
     *     mismatch), of another format or of an unsupported version
     */
    public static VamanaIndex load(Path path) throws IOException {
        return new VamanaIndex(IndexFile.read(path));
    }
}
