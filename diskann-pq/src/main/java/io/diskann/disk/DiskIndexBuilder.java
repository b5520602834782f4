package io.diskann.disk;

import io.diskann.graph.BuildListener;
import io.diskann.graph.Graph;
import io.diskann.graph.GraphReader;
import io.diskann.graph.VamanaIndex;
import io.diskann.graph.VamanaParams;
import io.diskann.io.FormatWriter;
import io.diskann.pq.PqParams;
import io.diskann.pq.ProductQuantizer;
import io.diskann.util.Workers;
import io.diskann.vector.Distances;
import io.diskann.vector.Metric;
import io.diskann.vector.VectorType;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/**
 * Builds a disk index from vectors it reads but never holds in the JVM heap ({@link VectorReader}).
 * When the graph build fits the memory budget, one Vamana graph is built over all vectors (held
 * off-heap) and laid out ({@link DiskIndexWriter}). Otherwise DiskANN's way: k-means on a sample cuts
 * the data into P parts, each vector goes to its 2 nearest parts, a graph is built per part within the
 * budget, and the parts' neighbour lists are merged per vector (the union, robust-pruned back to R
 * when it is longer), so every vector links into both of its neighbourhoods. One Vamana pass over the
 * merged graph ({@link GraphRefiner}) then links vectors that shared no part: on data whose parts are
 * not local, the plain merge needed 4x the search list for the one-piece graph's recall.
 *
 * <p>Memory: one part's vectors and graph off-heap at a time, plus the merged graph in the heap
 * (4 x ceil(1.3 R) bytes per vector with the refinement's slack, e.g. 336 MB for a million vectors at
 * R = 64), a visited array per build thread (4 bytes per vector) and the PQ codes. The refinement reads
 * vectors at random from the {@link VectorReader}: from a memory-mapped file that is fast while the
 * file fits the page cache (the case this path is for: vectors larger than the heap, not than RAM).
 */
public final class DiskIndexBuilder {

    /** Off-heap bytes per vector a graph build needs beyond the vector: adjacency, codes, slots (measured ~). */
    private static final int GRAPH_OVERHEAD_PER_R = 6;

    /** Vamana passes over the merged graph (see {@link GraphRefiner}); 0 reproduces DiskANN's plain merge. */
    static final int REFINE_PASSES = 1;

    private DiskIndexBuilder() {
    }

    /**
     * Builds and writes a disk index.
     *
     * @param vectors the vectors; vector i gets id i
     * @param type the element type stored on disk (vectors must be representable in it)
     * @param metric the distance
     * @param graph Vamana parameters (R, L, alpha, threads)
     * @param pq the product quantizer's parameters (M bytes per vector in RAM)
     * @param memoryBudget bytes the graph build may use; above it the build is partitioned
     * @param path the file to write, atomically
     * @param progress told each stage as it starts (may be null)
     * @return what was written
     * @throws IOException if writing fails
     */
    public static DiskBuildResult build(VectorReader vectors, VectorType type, Metric metric, VamanaParams graph,
                                        PqParams pq, long memoryBudget, Path path, java.util.function.Consumer<String> progress)
            throws IOException {
        return build(vectors, type, metric, graph, pq, memoryBudget, path, progress, List.of());
    }

    /**
     * As {@link #build(VectorReader, VectorType, Metric, VamanaParams, PqParams, long, Path, java.util.function.Consumer)},
     * with sections of another module written after the index's own, in one graph or partitioned alike
     * (diskann-filter's labels, so an index too large for the heap still filters by label: see
     * {@code DiskLabels.plainGraphSection}).
     *
     * @param vectors the vectors; vector i gets id i
     * @param type the element type stored on disk (vectors must be representable in it)
     * @param metric the distance
     * @param graph Vamana parameters (R, L, alpha, threads)
     * @param pq the product quantizer's parameters (M bytes per vector in RAM)
     * @param memoryBudget bytes the graph build may use; above it the build is partitioned
     * @param path the file to write, atomically
     * @param progress told each stage as it starts (may be null)
     * @param extra sections to append, in order (names other than the disk index's own; empty for none)
     * @return what was written
     * @throws IOException if writing fails
     */
    public static DiskBuildResult build(VectorReader vectors, VectorType type, Metric metric, VamanaParams graph,
                                        PqParams pq, long memoryBudget, Path path, java.util.function.Consumer<String> progress,
                                        List<FormatWriter.Section> extra) throws IOException {
        if (vectors == null || type == null || metric == null || graph == null || pq == null || path == null
                || extra == null) {
            throw new IllegalArgumentException("vectors, type, metric, graph, pq, path and extra must not be null");
        }
        for (FormatWriter.Section section : extra) { // List.of(...).contains(null) would throw
            if (section == null) {
                throw new IllegalArgumentException("extra holds a null section");
            }
        }
        if (memoryBudget <= 0) {
            throw new IllegalArgumentException("memory budget must be positive, got " + memoryBudget);
        }
        java.util.function.Consumer<String> say = progress == null ? s -> { } : progress;
        int n = vectors.count();
        long perVector = perVectorBytes(vectors.dimensions(), type, graph.maxDegree());
        if ((long) n * perVector <= memoryBudget) {
            say.accept("building one graph over " + n + " vectors (fits the " + (memoryBudget >> 20) + " MiB budget)");
            try (VamanaIndex index = VamanaIndex.builder(vectors.dimensions(), metric).vectorType(type).params(graph)
                    .build()) {
                index.build(n, (i, reuse) -> vectors.vector(i, reuse != null ? reuse : new float[vectors.dimensions()]),
                        listener(say, n));
                say.accept("training PQ and writing " + path);
                DiskLayoutInfo info = DiskIndexWriter.write(index, pq, path, extra);
                return new DiskBuildResult(info, 1);
            }
        }
        int parts = (int) Math.max(2, (2L * n * perVector + memoryBudget - 1) / memoryBudget);
        return partitioned(vectors, type, metric, graph, pq, parts, path, say, extra);
    }

    static long perVectorBytes(int dims, VectorType type, int r) {
        return (long) dims * type.bytesPerElement() + 64 + (long) GRAPH_OVERHEAD_PER_R * r;
    }

    private static BuildListener listener(java.util.function.Consumer<String> say, int total) {
        int step = Math.max(1, total / 10);
        int[] next = {step};
        return (done, all) -> {
            if (done >= next[0]) {
                next[0] += step;
                say.accept("  " + done + " / " + all);
            }
        };
    }

    /** The partitioned build with {@code parts} parts. */
    static DiskBuildResult partitioned(VectorReader vectors, VectorType type, Metric metric, VamanaParams graph,
                                       PqParams pq, int parts, Path path, java.util.function.Consumer<String> say,
                                       List<FormatWriter.Section> extra) throws IOException {
        int n = vectors.count();
        int dims = vectors.dimensions();
        int r = graph.maxDegree();
        int threads = graph.threads();
        // 1. centroids by k-means on a sample
        Random random = new Random(pq.seed());
        int sampleSize = Math.min(n, Math.max(50_000, 200 * parts));
        int[] sample = sampleIds(n, sampleSize, random);
        say.accept("partitioning " + n + " vectors into " + parts + " parts (k-means on " + sampleSize + ")");
        float[][] centroids = kMeans(vectors, sample, parts, 12, random, threads);
        // 2. each vector to its 2 nearest parts
        int[] first = new int[n];
        int[] second = new int[n];
        Workers.forEach("diskann-partition", threads, n, 1024, () -> new float[dims], (v, i) -> {
            vectors.vector(i, v);
            int a = -1;
            int b = -1;
            double da = Double.MAX_VALUE;
            double db = Double.MAX_VALUE;
            for (int c = 0; c < parts; c++) {
                double d = Distances.distance(Metric.L2, v, centroids[c]);
                if (d < da) {
                    b = a;
                    db = da;
                    a = c;
                    da = d;
                } else if (d < db) {
                    b = c;
                    db = d;
                }
            }
            first[i] = a;
            second[i] = b;
        });
        int[] sizes = new int[parts];
        for (int i = 0; i < n; i++) {
            sizes[first[i]]++;
            sizes[second[i]]++;
        }
        // 3. a graph per part, its lists merged into the global graph. The refinement pass searches with the
        // full L afterwards, so the parts are built with half of it (at least R): at 300k x 128, 12 parts, the
        // whole build took 177 s against 183-197 s with parts at the full L, with the same final recall
        // (0.947-0.949 / 0.997 at L = 40 / 80).
        VamanaParams partParams = REFINE_PASSES > 0
                ? graph.withBuildListSize(Math.min(graph.buildListSize(), Math.max(r, graph.buildListSize() / 2)))
                : graph;
        // with a refinement pass, lists have DiskANN's slack (1.3 R) so back edges seldom force a prune
        int stride = REFINE_PASSES > 0 ? Math.max(r, (int) Math.ceil(r * graph.slackFactor())) : r;
        int[] adjacency = new int[Math.multiplyExact(n, stride)];
        byte[] degreeLow = new byte[n];
        byte[] degreeHigh = new byte[n];
        for (int p = 0; p < parts; p++) {
            int[] members = new int[sizes[p]];
            int m = 0;
            for (int i = 0; i < n; i++) {
                if (first[i] == p || second[i] == p) {
                    members[m++] = i;
                }
            }
            if (m == 0) {
                continue;
            }
            say.accept("part " + (p + 1) + " of " + parts + ": " + m + " vectors");
            long partStart = System.nanoTime();
            try (VamanaIndex part = VamanaIndex.builder(dims, metric).vectorType(type).params(partParams).build()) {
                part.build(m, (i, reuse) -> vectors.vector(members[i], reuse != null ? reuse : new float[dims]),
                        listener(say, m));
                Graph g = part.ordinals().graph();
                // storage ordinals are not input positions (the build may renumber for locality); ids are
                int limit = part.ordinals().limit();
                int[] memberAt = new int[limit];
                for (int o = 0; o < limit; o++) {
                    int id = part.ordinals().idAt(o);
                    memberAt[o] = id < 0 ? -1 : members[id];
                }
                // members of one part are distinct vectors, so their merges run in parallel
                Workers.forEach("diskann-merge", threads, limit, 256, () -> new MergeScratch(dims, r, g),
                        (scratch, o) -> {
                            if (memberAt[o] < 0 || !part.ordinals().isLive(o)) {
                                return;
                            }
                            int d = scratch.reader.neighbors(o, scratch.local);
                            int kept = 0;
                            for (int j = 0; j < d; j++) {
                                int t = scratch.local[j] < limit ? memberAt[scratch.local[j]] : -1;
                                if (t >= 0) {
                                    scratch.local[kept++] = t;
                                }
                            }
                            mergeInto(memberAt[o], scratch.local, kept, adjacency, degreeLow, degreeHigh, stride, r, vectors,
                                    metric, graph.alpha(), scratch);
                        });
            }
            say.accept(String.format("  part %d built and merged in %.1f s", p + 1, (System.nanoTime() - partStart) / 1e9));
        }
        // 4. the entry point: the vector nearest the mean; one Vamana pass over the merged graph from it
        int entry = medoid(vectors, threads);
        if (REFINE_PASSES > 0) {
            long refineStart = System.nanoTime();
            say.accept("refining the merged graph (one Vamana pass, L = " + graph.buildListSize() + ")");
            GraphRefiner refiner = new GraphRefiner(vectors, metric, adjacency, degreeLow, degreeHigh, stride, r,
                    graph.buildListSize(), graph.alpha(), graph.maxCandidates(), graph.saturate());
            for (int pass = 0; pass < REFINE_PASSES; pass++) {
                refiner.refineAll(entry, threads, pq.seed() + pass, say);
            }
            say.accept(String.format("  refined in %.1f s", (System.nanoTime() - refineStart) / 1e9));
        }
        // 5. nodes numbered breadth-first from the entry point
        int[] order = breadthFirst(n, entry, adjacency, degreeLow, degreeHigh, stride);
        int[] nodeOf = new int[n];
        for (int i = 0; i < n; i++) {
            nodeOf[order[i]] = i;
        }
        // 6. PQ on the sample, codes in node order
        say.accept("training PQ (" + pq.chunks() + " bytes) on " + sample.length + " vectors");
        ProductQuantizer quantizer = ProductQuantizer.train(dims, metric, sample.length,
                i -> vectors.vector(sample[i], new float[dims]), pq);
        byte[] codes = quantizer.encodeAll(n, i -> vectors.vector(order[i], new float[dims]), threads);
        int maxDegree = 1;
        for (int i = 0; i < n; i++) {
            maxDegree = Math.max(maxDegree, degree(degreeLow, degreeHigh, i));
        }
        say.accept("writing " + path);
        DiskLayout layout = new DiskLayout(type, dims, maxDegree, n, true);
        float[] buffer = new float[dims];
        DiskIndexWriter.NodeSource source = new DiskIndexWriter.NodeSource() {
            @Override
            public void vector(int node, MemorySegment dst, long offset) {
                encode(type, vectors.vector(order[node], buffer), dst, offset);
            }

            @Override
            public int neighbors(int node, int[] out) {
                int v = order[node];
                int d = degree(degreeLow, degreeHigh, v);
                for (int j = 0; j < d; j++) {
                    out[j] = nodeOf[adjacency[v * stride + j]];
                }
                return d;
            }

            @Override
            public int id(int node) {
                return order[node];
            }
        };
        DiskLayoutInfo info = DiskIndexWriter.write(path, layout, metric, graph.buildListSize(), graph.alpha(),
                quantizer, codes, source, extra);
        return new DiskBuildResult(info, parts);
    }

    private static final ValueLayout.OfFloat F32 = ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfShort F16 = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    /** Writes {@code v} in the element type, as the in-memory rows hold it. */
    static void encode(VectorType type, float[] v, MemorySegment dst, long offset) {
        for (int i = 0; i < v.length; i++) {
            switch (type) {
                case F32 -> dst.set(F32, offset + 4L * i, v[i]);
                case F16 -> dst.set(F16, offset + 2L * i, Float.floatToFloat16(v[i]));
                case U8, I8 -> dst.set(ValueLayout.JAVA_BYTE, offset + i, (byte) (int) v[i]);
            }
        }
    }

    static int degree(byte[] low, byte[] high, int v) {
        return (low[v] & 0xff) | (high[v] & 0xff) << 8;
    }

    private static void setDegree(byte[] low, byte[] high, int v, int d) {
        low[v] = (byte) d;
        high[v] = (byte) (d >>> 8);
    }

    /** Per-merge buffers. */
    private static final class MergeScratch {
        final float[] p;
        final int[] ids;
        final double[] dist;
        final float[][] vecs;
        final GraphReader reader;
        final int[] local;

        MergeScratch(int dims, int r, Graph g) {
            p = new float[dims];
            local = new int[g.maxDegree()];
            ids = new int[r + g.maxDegree() + 1];
            dist = new double[ids.length];
            vecs = new float[ids.length][dims];
            reader = g.reader();
        }
    }

    /**
     * Merges a part's list for {@code v} into its global list: the union, robust-pruned to R by exact
     * distance when it is longer (an edge is dropped when a kept neighbour is alpha times closer to it).
     */
    private static void mergeInto(int v, int[] list, int d, int[] adj, byte[] low, byte[] high, int stride, int r,
                                  VectorReader vectors, Metric metric, float alpha, MergeScratch s) {
        int have = degree(low, high, v);
        int count = 0;
        for (int j = 0; j < have; j++) {
            s.ids[count++] = adj[v * stride + j];
        }
        outer:
        for (int j = 0; j < d; j++) {
            int t = list[j];
            if (t == v) {
                continue;
            }
            for (int k = 0; k < count; k++) {
                if (s.ids[k] == t) {
                    continue outer;
                }
            }
            s.ids[count++] = t;
        }
        if (count > r) {
            vectors.vector(v, s.p);
            Integer[] idx = new Integer[count];
            for (int k = 0; k < count; k++) {
                vectors.vector(s.ids[k], s.vecs[k]);
                s.dist[k] = Distances.distance(metric, s.p, s.vecs[k]);
                idx[k] = k;
            }
            Arrays.sort(idx, (a, b) -> Double.compare(s.dist[a], s.dist[b]));
            int kept = 0;
            int[] chosen = new int[r];
            for (int x = 0; x < count && kept < r; x++) {
                int c = idx[x];
                boolean occluded = false;
                for (int y = 0; y < kept && !occluded; y++) {
                    double dsc = Distances.distance(metric, s.vecs[chosen[y]], s.vecs[c]);
                    // DiskANN's rule; inner-product distances are negative dot products, so the ratio flips
                    occluded = metric == Metric.INNER_PRODUCT ? -dsc > alpha * -s.dist[c] : alpha * dsc <= s.dist[c];
                }
                if (!occluded) {
                    chosen[kept++] = c;
                }
            }
            for (int x = 0; x < count && kept < r; x++) { // fill up to R with the nearest left out
                int c = idx[x];
                boolean in = false;
                for (int y = 0; y < kept && !in; y++) {
                    in = chosen[y] == c;
                }
                if (!in) {
                    chosen[kept++] = c;
                }
            }
            int[] out = new int[kept];
            for (int y = 0; y < kept; y++) {
                out[y] = s.ids[chosen[y]];
            }
            System.arraycopy(out, 0, adj, v * stride, kept);
            setDegree(low, high, v, kept);
        } else {
            System.arraycopy(s.ids, 0, adj, v * stride, count);
            setDegree(low, high, v, count);
        }
    }

    private static int[] sampleIds(int n, int size, Random random) {
        if (size >= n) {
            int[] all = new int[n];
            Arrays.setAll(all, i -> i);
            return all;
        }
        // a sorted random subset (Floyd's algorithm via a bitset)
        java.util.BitSet chosen = new java.util.BitSet(n);
        for (int j = n - size; j < n; j++) {
            int t = random.nextInt(j + 1);
            chosen.set(chosen.get(t) ? j : t);
        }
        return chosen.stream().toArray();
    }

    private static float[][] kMeans(VectorReader vectors, int[] sample, int k, int iterations, Random random,
                                    int threads) {
        int dims = vectors.dimensions();
        float[][] points = new float[sample.length][];
        for (int i = 0; i < sample.length; i++) {
            points[i] = vectors.vector(sample[i], new float[dims]);
        }
        float[][] centroids = new float[k][];
        for (int c = 0; c < k; c++) {
            centroids[c] = points[random.nextInt(points.length)].clone();
        }
        int[] assign = new int[points.length];
        for (int it = 0; it < iterations; it++) {
            Workers.forEach("diskann-kmeans", threads, points.length, 512, () -> null, (unused, i) -> {
                int best = 0;
                double bd = Double.MAX_VALUE;
                for (int c = 0; c < k; c++) {
                    double d = Distances.distance(Metric.L2, points[i], centroids[c]);
                    if (d < bd) {
                        bd = d;
                        best = c;
                    }
                }
                assign[i] = best;
            });
            double[][] sum = new double[k][dims];
            int[] count = new int[k];
            for (int i = 0; i < points.length; i++) {
                count[assign[i]]++;
                for (int j = 0; j < dims; j++) {
                    sum[assign[i]][j] += points[i][j];
                }
            }
            for (int c = 0; c < k; c++) {
                if (count[c] == 0) {
                    centroids[c] = points[random.nextInt(points.length)].clone(); // an empty part restarts
                    continue;
                }
                for (int j = 0; j < dims; j++) {
                    centroids[c][j] = (float) (sum[c][j] / count[c]);
                }
            }
        }
        return centroids;
    }

    private static int medoid(VectorReader vectors, int threads) {
        int n = vectors.count();
        int dims = vectors.dimensions();
        double[] mean = new double[dims];
        float[] v = new float[dims];
        for (int i = 0; i < n; i++) {
            vectors.vector(i, v);
            for (int j = 0; j < dims; j++) {
                mean[j] += v[j];
            }
        }
        float[] m = new float[dims];
        for (int j = 0; j < dims; j++) {
            m[j] = (float) (mean[j] / n);
        }
        int best = 0;
        double bd = Double.MAX_VALUE;
        for (int i = 0; i < n; i++) {
            double d = Distances.distance(Metric.L2, vectors.vector(i, v), m);
            if (d < bd) {
                bd = d;
                best = i;
            }
        }
        return best;
    }

    private static int[] breadthFirst(int n, int entry, int[] adj, byte[] low, byte[] high, int stride) {
        int[] order = new int[n];
        boolean[] seen = new boolean[n];
        int head = 0;
        int tail = 0;
        order[tail++] = entry;
        seen[entry] = true;
        int scan = 0;
        while (tail < n) {
            if (head == tail) { // an unreachable vector starts the next wave
                while (seen[scan]) {
                    scan++;
                }
                seen[scan] = true;
                order[tail++] = scan;
            }
            int v = order[head++];
            int d = degree(low, high, v);
            for (int j = 0; j < d; j++) {
                int t = adj[v * stride + j];
                if (!seen[t]) {
                    seen[t] = true;
                    order[tail++] = t;
                }
            }
        }
        return order;
    }
}
