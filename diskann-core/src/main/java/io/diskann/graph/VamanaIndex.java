package io.diskann.graph;

import io.diskann.vector.Metric;
import io.diskann.vector.VectorStore;
import io.diskann.vector.VectorType;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.stream.IntStream;

/**
 * An in-memory DiskANN (Vamana) index: a graph over vectors held in RAM, searched greedily from a start
 * point.
 *
 * <pre>{@code
 * VamanaIndex index = VamanaIndex.builder(128, Metric.L2).vectorType(VectorType.F32)
 *         .params(VamanaParams.builder().maxDegree(64).buildListSize(100).alpha(1.2f).build())
 *         .build();
 * index.build(vectors);                          // float[][]; ids are row numbers
 * SearchResult r = index.search(query, 10, 100); // k = 10, search list L = 100
 * index.save(Path.of("my.index"));
 * VamanaIndex again = VamanaIndex.load(Path.of("my.index"));
 * }</pre>
 *
 * <p><b>Thread-safety.</b> {@link #build} must complete before the index is used and must not run
 * concurrently with anything else on the same index. After that, any number of threads may call
 * {@link #search}, {@link #batchSearch}, {@link #rangeSearch}, {@link #stats} and {@link #save}
 * concurrently: searches only read shared state and keep their scratch (search list, visited set,
 * query buffer) in thread-local {@code SearchContext}s.
 *
 * <p><b>Choosing L.</b> The search list size L trades time for recall: the search expands roughly L
 * nodes. L must be at least k; typical values are 1.5k to 10k.
 */
public final class VamanaIndex {

    private final int dimensions;
    private final Metric metric;
    private final VectorType type;
    private final VamanaParams params;
    private final VectorStore vectors;
    private Adjacency graph;
    private int count;
    private int start = -1;
    private final ThreadLocal<SearchContext> contexts;


    VamanaIndex(int dimensions, Metric metric, VectorType type, VamanaParams params, VectorStore vectors,
                Adjacency graph, int count, int start) {
        this.dimensions = dimensions;
        this.metric = metric;
        this.type = type;
        this.params = params;
        this.vectors = vectors;
        this.graph = graph;
        this.count = count;
        this.start = start;
        this.contexts = ThreadLocal.withInitial(
                () -> new SearchContext(this.vectors, this.metric, Math.max(1, this.count), this.graph.maxDegree()));
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

        public VamanaIndex build() {
            return new VamanaIndex(dimensions, metric, type, params, VectorStore.create(type, dimensions, 0),
                    new Adjacency(0, params.slackDegree()), 0, -1);
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
     * @throws IllegalStateException if the index was already built
     */
    public void build(float[][] data, BuildListener listener) {
        if (data == null || data.length == 0) {
            throw new IllegalArgumentException("cannot build an index from no vectors");
        }
        build(data.length, (i, out) -> {
            float[] v = data[i];
            if (v == null || v.length != dimensions) {
                throw new IllegalArgumentException("vector " + i + " has " + (v == null ? "no" : v.length)
                        + " components but the index has " + dimensions + " dimensions");
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
    public synchronized void build(int n, VectorSource source, BuildListener listener) {
        if (count > 0) {
            throw new IllegalStateException("index already built with " + count + " vectors");
        }
        if (n <= 0) {
            throw new IllegalArgumentException("cannot build an index from " + n + " vectors");
        }
        vectors.ensureCapacity(n);
        float[] reuse = new float[dimensions];
        for (int i = 0; i < n; i++) {
            float[] v = source.get(i, reuse);
            try {
                vectors.set(i, v);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("vector " + i + ": " + e.getMessage(), e);
            }
        }
        Adjacency g = new Adjacency(n, params.slackDegree());
        int s = new VamanaBuilder(vectors, metric, params, g, n).build(listener == null ? BuildListener.NONE : listener);
        this.graph = g;
        this.start = s;
        this.count = n;
    }

    /**
     * The {@code k} nearest neighbours of {@code query} found with a search list of size {@code listSize}.
     * Fewer than {@code k} are returned only when the index holds fewer than {@code k} vectors.
     *
     * @throws IllegalArgumentException if k &lt; 1, listSize &lt; k, or the query has the wrong dimension or a
     *     non-finite (or, for integer types, unrepresentable) component
     * @throws IllegalStateException if the index is empty
     */
    public SearchResult search(float[] query, int k, int listSize) {
        checkSearch(k, listSize);
        SearchContext ctx = contexts.get();
        ctx.scorer.setQuery(query);
        searchFromEntries(ctx, query, listSize);
        NeighborQueue q = ctx.queue;
        int n = Math.min(k, q.size());
        int[] ids = new int[n];
        float[] d = new float[n];
        for (int i = 0; i < n; i++) {
            ids[i] = q.id(i);
            d[i] = q.distance(i);
        }
        return new SearchResult(ids, d, ctx.distanceComputations, ctx.hops);
    }

    /** Greedy search from the start point. */
    private void searchFromEntries(SearchContext ctx, float[] query, int listSize) {
        GreedySearch.search(ctx, graph, count, start, listSize, null);
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
        checkSearch(1, initialListSize);
        SearchContext ctx = contexts.get();
        ctx.scorer.setQuery(query);
        int listSize = initialListSize;
        long comps = 0;
        long hops = 0;
        while (true) {
            searchFromEntries(ctx, query, listSize);
            comps += ctx.distanceComputations;
            hops += ctx.hops;
            int inside = 0;
            NeighborQueue q = ctx.queue;
            while (inside < q.size() && q.distance(inside) <= radius) {
                inside++;
            }
            if (inside * 2 < listSize || listSize >= maxListSize || q.size() < listSize) {
                int[] ids = new int[inside];
                float[] d = new float[inside];
                for (int i = 0; i < inside; i++) {
                    ids[i] = q.id(i);
                    d[i] = q.distance(i);
                }
                return new SearchResult(ids, d, comps, hops);
            }
            listSize = (int) Math.min(maxListSize, 2L * listSize);
        }
    }

    /** {@link #rangeSearch(float[], float, int, int)} with list sizes 100 to 10,000. */
    public SearchResult rangeSearch(float[] query, float radius) {
        return rangeSearch(query, radius, Math.min(100, Math.max(1, count)), 10_000);
    }

    private void checkSearch(int k, int listSize) {
        if (k < 1) {
            throw new IllegalArgumentException("k must be at least 1, got " + k);
        }
        if (listSize < k) {
            throw new IllegalArgumentException("search list size L (" + listSize + ") must be at least k (" + k + ")");
        }
        if (count == 0) {
            throw new IllegalStateException("the index is empty: build it first");
        }
    }

    /** Shape, degrees and memory of the index. */
    public IndexStats stats() {
        int min = count == 0 ? 0 : Integer.MAX_VALUE;
        int max = 0;
        long sum = 0;
        for (int i = 0; i < count; i++) {
            int d = graph.degree(i);
            min = Math.min(min, d);
            max = Math.max(max, d);
            sum += d;
        }
        return new IndexStats(count, dimensions, type, metric, params, min, count == 0 ? 0 : (double) sum / count, max,
                vectors.bytes(), graph.bytes(), start);
    }

    /** Number of vectors. */
    public int size() {
        return count;
    }

    public int dimensions() {
        return dimensions;
    }

    public Metric metric() {
        return metric;
    }

    public VectorType vectorType() {
        return type;
    }

    public VamanaParams params() {
        return params;
    }

    /** Copies the out-neighbours of {@code id} (for inspection and tests). */
    public int[] neighbors(int id) {
        checkId(id);
        int[] out = new int[graph.maxDegree()];
        return Arrays.copyOf(out, graph.copy(id, out));
    }

    /** Decodes the stored vector {@code id}. */
    public float[] vector(int id) {
        checkId(id);
        float[] out = new float[dimensions];
        vectors.get(id, out);
        return out;
    }

    private void checkId(int id) {
        if (id < 0 || id >= count) {
            throw new IllegalArgumentException("unknown id " + id + ": the index holds ids 0.." + (count - 1));
        }
    }

    /**
     * Writes the index to {@code path} atomically: a temporary file in the same directory is written,
     * forced to disk and renamed over {@code path}, so a crash leaves either the old file or the new one.
     */
    public void save(Path path) throws IOException {
        if (count == 0) {
            throw new IllegalStateException("the index is empty: nothing to save");
        }
        IndexFile.write(path, this);
    }

    /**
     * Reads an index written by {@link #save}.
     *
     * @throws IOException naming the file and the problem when it is missing, truncated, corrupt (checksum
     *     mismatch), of another format or of an unsupported version
     */
    public static VamanaIndex load(Path path) throws IOException {
        return IndexFile.read(path);
    }

    // accessors for IndexFile
    VectorStore vectorStore() {
        return vectors;
    }

    Adjacency adjacency() {
        return graph;
    }

    int startPoint() {
        return start;
    }
}
