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
 * <p>Memory: one part's vectors off-heap and its graph in the heap at a time; the merged graph off the
 * heap ({@link MergedGraph}: 4 x ceil(1.3 R) bytes per vector with the refinement's slack, 336 MB a million
 * vectors at R = 64); in the heap a few bytes per vector (the two part choices, then the node order and
 * its inverse, a visited array per build thread, the PQ codes). Parts are sized so a part's graph fits the
 * heap as well as the budget ({@link #partsFor}), so the vectors may be larger than {@code -Xmx}: 5M x 128
 * u8 (610 MiB) builds in a 384 MiB heap (docs/PERFORMANCE.md). The refinement reads vectors at random from
 * the {@link VectorReader}: from a memory-mapped file that is fast while the file fits the page cache (the
 * case this path is for: vectors larger than the heap, not than RAM).
 */
public final class DiskIndexBuilder {

    /** Bytes per vector a graph build needs beyond the vector (adjacency, codes, slots), for the budget. */
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
        return build(vectors, type, metric, graph, pq, memoryBudget, path, progress, extra, null);
    }

    /**
     * As {@link #build(VectorReader, VectorType, Metric, VamanaParams, PqParams, long, Path, java.util.function.Consumer, List)},
     * with the graph linked by {@code linking} (diskann-filter's label-aware builds) in one piece or, past the
     * budget, partitioned: each part built by {@code linking}, the merge's prunes and the refinement pass under
     * its rule, its sections written after {@code extra}.
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
     * @param linking how the graph is linked; null for plain Vamana
     * @return what was written
     * @throws IOException if writing fails
     */
    public static DiskBuildResult build(VectorReader vectors, VectorType type, Metric metric, VamanaParams graph,
                                        PqParams pq, long memoryBudget, Path path, java.util.function.Consumer<String> progress,
                                        List<FormatWriter.Section> extra, PartitionLinking linking) throws IOException {
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
        // a label-aware build's labels and rules take heap beside each part's graph and for the whole set
        long graphHeap = graphHeapPerVector(graph) + (linking == null ? 0 : linking.heapPerVector());
        long heap = usableHeap(Runtime.getRuntime().maxMemory()) - (linking == null ? 0 : linking.wholeSetHeapBytes());
        if ((long) n * perVector <= memoryBudget && (long) n * graphHeap + HEAP_HEADROOM <= heap) {
            say.accept("building one graph over " + n + " vectors (fits the " + (memoryBudget >> 20) + " MiB budget)");
            try (VamanaIndex index = VamanaIndex.builder(vectors.dimensions(), metric).vectorType(type).params(graph)
                    .build()) {
                io.diskann.graph.VectorSource source =
                        (i, reuse) -> vectors.vector(i, reuse != null ? reuse : new float[vectors.dimensions()]);
                List<FormatWriter.Section> sections = extra;
                if (linking == null) {
                    index.build(n, source, listener(say));
                } else {
                    int[] all = new int[n];
                    Arrays.setAll(all, i -> i);
                    linking.buildPart(index, all, io.diskann.graph.VectorSource.concurrent(source), true,
                            listener(say));
                    sections = concat(extra, linking.sections(true));
                }
                say.accept("training PQ and writing " + path);
                DiskLayoutInfo info = DiskIndexWriter.write(index, pq, path, sections);
                return new DiskBuildResult(info, 1);
            }
        }
        int parts = partsFor(n, perVector, memoryBudget, graphHeap, heap, graph.threads(), pq.chunks());
        return partitioned(vectors, type, metric, graph, pq, parts, path, say, extra, linking);
    }

    private static List<FormatWriter.Section> concat(List<FormatWriter.Section> a, List<FormatWriter.Section> b) {
        List<FormatWriter.Section> all = new java.util.ArrayList<>(a);
        all.addAll(b);
        return all;
    }

    /**
     * Heap bytes per vector of an in-memory graph build (a part's): the adjacency, 1 + ceil(1.3 R) ints a
     * node (renumbered in place since the build's layout pass no longer copies it), plus the slot tables.
     */
    static long graphHeapPerVector(VamanaParams graph) {
        long stride = 1 + (long) Math.ceil(graph.maxDegree() * graph.slackFactor());
        return Integer.BYTES * stride + 64;
    }

    /** Heap kept free of the model's counts: the JVM's own, k-means and PQ training samples, scratch. */
    static final long HEAP_HEADROOM = 64L << 20;

    /**
     * The share of {@code -Xmx} long-lived arrays can count on. A part's adjacency is one array of 100+ MB,
     * allocated straight into the old generation, which the parallel collector caps at 2/3 of the heap by
     * default (a 365k-node part's 124 MB list array failed in a 384 MiB heap with 56 MB live beside it).
     */
    static long usableHeap(long maxMemory) {
        return maxMemory / 5 * 3;
    }

    /**
     * Parts for a partitioned build: enough that a part (each vector lands in 2) fits the memory budget, and
     * that its graph fits the heap left beside what the partitioned build keeps for every vector (8 bytes a
     * vector while parts are built: both part choices; later the node order, its inverse, the refinement's
     * visited arrays and the PQ codes, which must fit too).
     *
     * @param heap the usable heap ({@link #usableHeap})
     * @throws IllegalStateException if the heap cannot hold even that, with the -Xmx that would
     */
    static int partsFor(int n, long perVector, long budget, long graphHeap, long heap, int threads, int pqBytes) {
        long byBudget = (2L * n * perVector + budget - 1) / budget;
        long later = (long) n * (8 + Integer.BYTES * (long) threads + pqBytes) + HEAP_HEADROOM;
        long forParts = heap - 8L * n - HEAP_HEADROOM;
        long minimum = Math.max(later, 8L * n + HEAP_HEADROOM + 2L * n * graphHeap / MAX_PARTS);
        if (forParts <= 0 || heap < minimum) {
            throw new IllegalStateException(String.format(java.util.Locale.ROOT,
                    "a partitioned build of %d vectors needs at least %d MiB of Java heap (-Xmx), this JVM has %d"
                            + " MiB (raise -Xmx, through DISKANN_JVM_OPTS for ./diskann)", n,
                    (minimum / 3 * 5 >> 20) + 1, heap / 3 * 5 >> 20));
        }
        // k-means parts are uneven (5M in 32: 286k to 365k vectors): sized for 4/5 of the room, so that only
        // the largest are built in pieces (buildParts)
        long room = forParts / 5 * 4;
        long byHeap = (2L * n * graphHeap + room - 1) / room;
        return (int) Math.min(MAX_PARTS, Math.max(2, Math.max(byBudget, byHeap)));
    }

    /** More parts than this make parts so small that their graphs say little; the heap check asks for more. */
    static final int MAX_PARTS = 256;

    static long perVectorBytes(int dims, VectorType type, int r) {
        return (long) dims * type.bytesPerElement() + 64 + (long) GRAPH_OVERHEAD_PER_R * r;
    }

    /**
     * Reports a graph build every 10% with its rate and the time left: a build of millions of vectors runs for
     * minutes, and a line per 10% is what a log (or a terminal) can follow without a redrawn bar.
     */
    static BuildListener listener(java.util.function.Consumer<String> say) {
        int[] next = {-1};
        long start = System.nanoTime();
        return (done, all) -> { // every 10% of the total the build reports (a label-aware build counts more)
            int step = Math.max(1, all / 10);
            if (next[0] < 0) {
                next[0] = step;
            }
            if (done >= next[0] || (done == all && next[0] != Integer.MAX_VALUE)) {
                next[0] = done == all ? Integer.MAX_VALUE : (done / step + 1) * step;
                say.accept(progressLine("linked", done, all, start));
            }
        };
    }

    /** One progress line: "  VERB done / all (share, vectors/s, elapsed, ETA)", shared by the graph and refinement passes. */
    static String progressLine(String verb, long done, long all, long startNanos) {
        double seconds = Math.max(1e-9, (System.nanoTime() - startNanos) / 1e9);
        double rate = done / seconds;
        return String.format(java.util.Locale.ROOT, "  %s %d / %d (%d%%, %.0f vectors/s, %.0f s, ETA %.0f s)", verb, done,
                all, (int) (100L * done / Math.max(1, all)), rate, seconds, (all - done) / Math.max(rate, 1e-9));
    }

    /** The partitioned build with {@code parts} parts. */
    static DiskBuildResult partitioned(VectorReader vectors, VectorType type, Metric metric, VamanaParams graph,
                                       PqParams pq, int parts, Path path, java.util.function.Consumer<String> say,
                                       List<FormatWriter.Section> extra, PartitionLinking linking) throws IOException {
        long forParts = usableHeap(Runtime.getRuntime().maxMemory()) - 8L * vectors.count() - HEAP_HEADROOM
                - (linking == null ? 0 : linking.wholeSetHeapBytes());
        long perVector = graphHeapPerVector(graph) + (linking == null ? 0 : linking.heapPerVector());
        int maxPiece = (int) Math.max(1_000, Math.min(Integer.MAX_VALUE, forParts / perVector));
        return partitioned(vectors, type, metric, graph, pq, parts, maxPiece, path, say, extra, linking);
    }

    /** As above, with parts above {@code maxPiece} vectors built in pieces (see {@link #buildParts}). */
    static DiskBuildResult partitioned(VectorReader vectors, VectorType type, Metric metric, VamanaParams graph,
                                       PqParams pq, int parts, int maxPiece, Path path,
                                       java.util.function.Consumer<String> say, List<FormatWriter.Section> extra,
                                       PartitionLinking linking) throws IOException {
        int n = vectors.count();
        int dims = vectors.dimensions();
        int r = graph.maxDegree();
        int threads = graph.threads();
        // 1. centroids by k-means on a sample
        Random random = new Random(pq.seed());
        int sampleSize = Math.min(n, Math.max(50_000, 200 * parts));
        int[] sample = Partitioning.sampleIds(n, sampleSize, random);
        say.accept("partitioning " + n + " vectors into " + parts + " parts (k-means on " + sampleSize + ")");
        float[][] centroids = Partitioning.kMeans(vectors, sample, parts, 12, random, threads);
        // 2. each vector to its 2 nearest parts
        int[][] nearest = Partitioning.nearestTwo(vectors, centroids, threads);
        int[] first = nearest[0];
        int[] second = nearest[1];
        nearest = null;
        int[] sizes = new int[parts];
        for (int i = 0; i < n; i++) {
            sizes[first[i]]++;
            sizes[second[i]]++;
        }
        // (graph.buildListSize() is the given or small default L_build here: VamanaParams#largeBuildListSize
        // applies to one-piece builds only, the parts and the refinement were measured with these lists.)
        // 3. a graph per part, its lists merged into the global graph. The refinement pass searches with the
        // full L afterwards, so the parts are built with half of it (at least R): at 300k x 128, 12 parts, the
        // whole build took 177 s against 183-197 s with parts at the full L, with the same final recall
        // (0.947-0.949 / 0.997 at L = 40 / 80).
        VamanaParams partParams = REFINE_PASSES > 0
                ? graph.withBuildListSize(Math.min(graph.buildListSize(), Math.max(r, graph.buildListSize() / 2)))
                : graph;
        // with a refinement pass, lists have DiskANN's slack (1.3 R) so back edges seldom force a prune
        int stride = REFINE_PASSES > 0 ? Math.max(r, (int) Math.ceil(r * graph.slackFactor())) : r;
        try (MergedGraph merged = new MergedGraph(n, stride)) {
            say.accept(String.format("merged graph: %.1f MiB off the heap", merged.bytes() / (double) (1 << 20)));
            // a label-aware build's rule over the whole set: the merge keeps the edges it protects
            io.diskann.graph.LinkConstraint constraint = linking == null ? null : linking.constraint();
            buildParts(vectors, type, metric, partParams, parts, first, second, sizes, merged, r, graph.alpha(),
                    maxPiece, say, linking, constraint);
            first = null; // 8 bytes a vector the heap can have back before the refinement
            second = null;
            // 4. the entry point: the vector nearest the mean; one Vamana pass over the merged graph from it
            int entry = Partitioning.medoid(vectors, threads);
            if (REFINE_PASSES > 0) {
                long refineStart = System.nanoTime();
                say.accept("refining the merged graph (one Vamana pass, L = " + graph.buildListSize() + ")");
                GraphRefiner refiner = new GraphRefiner(vectors, metric, merged, r, graph.buildListSize(), graph.alpha(),
                        graph.maxCandidates(), graph.saturate(), constraint);
                for (int pass = 0; pass < REFINE_PASSES; pass++) {
                    refiner.refineAll(entry, threads, pq.seed() + pass, say);
                }
                say.accept(String.format("  refined in %.1f s", (System.nanoTime() - refineStart) / 1e9));
            }
            // 5. nodes numbered breadth-first from the entry point
            int[] order = breadthFirst(entry, merged);
            int[] nodeOf = new int[n];
            for (int i = 0; i < n; i++) {
                nodeOf[order[i]] = i;
            }
            // 6. PQ on the sample, codes in node order
            say.accept("training PQ (" + pq.chunks() + " bytes) on " + sample.length + " vectors");
            ProductQuantizer quantizer = ProductQuantizer.train(dims, metric, sample.length,
                    i -> vectors.vector(sample[i], new float[dims]), pq);
            byte[] codes = quantizer.encodeAll(n, i -> vectors.vector(order[i], new float[dims]), threads);
            int maxDegree = Math.max(1, merged.maxDegree());
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
                    int d = merged.copyList(order[node], out);
                    for (int j = 0; j < d; j++) {
                        out[j] = nodeOf[out[j]];
                    }
                    return d;
                }

                @Override
                public int id(int node) {
                    return order[node];
                }
            };
            DiskLayoutInfo info = DiskIndexWriter.write(path, layout, metric, graph.buildListSize(), graph.alpha(),
                    quantizer, codes, source, linking == null ? extra : concat(extra, linking.sections(false)));
            return new DiskBuildResult(info, parts);
        }
    }

    /**
     * Step 3: a graph per part, each vector's lists merged into {@code merged} as its part is done. k-means
     * parts are uneven (at 5M in 32 parts, 286k to 365k vectors), so a part larger than {@code maxPiece}
     * vectors, whose graph would not fit the heap, is built as that many interleaved pieces: its vectors
     * then link within their piece and their other part, and the refinement pass links the rest.
     */
    private static void buildParts(VectorReader vectors, VectorType type, Metric metric, VamanaParams partParams,
                                   int parts, int[] first, int[] second, int[] sizes, MergedGraph merged, int r,
                                   float alpha, int maxPiece, java.util.function.Consumer<String> say,
                                   PartitionLinking linking, io.diskann.graph.LinkConstraint constraint) {
        int n = vectors.count();
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
            int pieces = (m + maxPiece - 1) / maxPiece;
            say.accept("part " + (p + 1) + " of " + parts + ": " + m + " vectors"
                    + (pieces > 1 ? " in " + pieces + " pieces (a graph of " + maxPiece + " at most fits the heap)" : ""));
            long partStart = System.nanoTime();
            if (pieces == 1) {
                buildPiece(vectors, type, metric, partParams, members, merged, r, alpha, say, linking, constraint);
            } else {
                for (int c = 0; c < pieces; c++) {
                    int[] piece = new int[(m - c + pieces - 1) / pieces];
                    for (int j = 0; j < piece.length; j++) {
                        piece[j] = members[c + j * pieces];
                    }
                    buildPiece(vectors, type, metric, partParams, piece, merged, r, alpha, say, linking, constraint);
                }
            }
            say.accept(String.format("  part %d built and merged in %.1f s", p + 1, (System.nanoTime() - partStart) / 1e9));
        }
    }

    /** Builds one in-memory graph over {@code members} and merges its lists into {@code merged}. */
    private static void buildPiece(VectorReader vectors, VectorType type, Metric metric, VamanaParams partParams,
                                   int[] members, MergedGraph merged, int r, float alpha,
                                   java.util.function.Consumer<String> say, PartitionLinking linking,
                                   io.diskann.graph.LinkConstraint constraint) {
        int dims = vectors.dimensions();
        int threads = partParams.threads();
        int m = members.length;
        try (VamanaIndex part = VamanaIndex.builder(dims, metric).vectorType(type).params(partParams).build()) {
            io.diskann.graph.VectorSource source =
                    (i, reuse) -> vectors.vector(members[i], reuse != null ? reuse : new float[dims]);
            if (linking == null) {
                part.build(m, source, listener(say));
            } else {
                linking.buildPart(part, members, io.diskann.graph.VectorSource.concurrent(source), false,
                        listener(say));
            }
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
                        mergeInto(memberAt[o], scratch.local, kept, merged, r, vectors, metric, alpha, scratch,
                                constraint);
                    });
        }
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

    /** Per-merge buffers. */
    private static final class MergeScratch {
        final float[] p;
        final int[] ids;
        final double[] dist;
        final float[][] vecs;
        final GraphReader reader;
        final int[] local;
        /** Distance (order-preserving bits) over candidate index, sorted: no boxed comparator per merge. */
        final long[] order;
        final int[] chosen;
        final int[] out;

        MergeScratch(int dims, int r, Graph g) {
            p = new float[dims];
            local = new int[g.maxDegree()];
            ids = new int[r + g.maxDegree() + 1];
            dist = new double[ids.length];
            vecs = new float[ids.length][dims];
            reader = g.reader();
            order = new long[ids.length];
            chosen = new int[r];
            out = new int[r];
        }
    }

    /**
     * Merges a part's list for {@code v} into its global list: the union, robust-pruned to R by exact
     * distance when it is longer (an edge is dropped when a kept neighbour is alpha times closer to it).
     */
    private static void mergeInto(int v, int[] list, int d, MergedGraph merged, int r, VectorReader vectors,
                                  Metric metric, float alpha, MergeScratch s, io.diskann.graph.LinkConstraint constraint) {
        int count = merged.copyList(v, s.ids);
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
            for (int k = 0; k < count; k++) {
                vectors.vector(s.ids[k], s.vecs[k]);
                float dk = Distances.distance(metric, s.p, s.vecs[k]);
                s.dist[k] = dk;
                int bits = Float.floatToRawIntBits(dk);
                bits ^= (bits >> 31) & 0x7fffffff; // order-preserving for negative distances too
                s.order[k] = (long) bits << 32 | k; // ties by candidate index, as a stable sort
            }
            Arrays.sort(s.order, 0, count);
            int kept = 0;
            int[] chosen = s.chosen;
            for (int x = 0; x < count && kept < r; x++) {
                int c = (int) s.order[x];
                boolean occluded = false;
                for (int y = 0; y < kept && !occluded; y++) {
                    double dsc = Distances.distance(metric, s.vecs[chosen[y]], s.vecs[c]);
                    // DiskANN's rule; inner-product distances are negative dot products, so the ratio flips
                    occluded = metric == Metric.INNER_PRODUCT ? -dsc > alpha * -s.dist[c] : alpha * dsc <= s.dist[c];
                    if (occluded && constraint != null) { // Filtered-Vamana: only an occluder with the shared labels
                        occluded = constraint.mayOcclude(v, s.ids[chosen[y]], s.ids[c]);
                    }
                }
                if (!occluded) {
                    chosen[kept++] = c;
                }
            }
            for (int x = 0; x < count && kept < r; x++) { // fill up to R with the nearest left out
                int c = (int) s.order[x];
                boolean in = false;
                for (int y = 0; y < kept && !in; y++) {
                    in = chosen[y] == c;
                }
                if (!in) {
                    chosen[kept++] = c;
                }
            }
            for (int y = 0; y < kept; y++) {
                s.out[y] = s.ids[chosen[y]];
            }
            merged.setList(v, s.out, kept);
        } else {
            merged.setList(v, s.ids, count);
        }
    }

    /** Every vector once, breadth-first from {@code entry}; an unreachable vector starts the next wave. */
    private static int[] breadthFirst(int entry, MergedGraph graph) {
        int n = graph.count();
        int[] order = new int[n];
        int[] list = new int[graph.stride()];
        java.util.BitSet seen = new java.util.BitSet(n);
        int head = 0;
        int tail = 0;
        order[tail++] = entry;
        seen.set(entry);
        int scan = 0;
        while (tail < n) {
            if (head == tail) {
                scan = seen.nextClearBit(scan);
                seen.set(scan);
                order[tail++] = scan;
            }
            int v = order[head++];
            int d = graph.copyList(v, list);
            for (int j = 0; j < d; j++) {
                int t = list[j];
                if (!seen.get(t)) {
                    seen.set(t);
                    order[tail++] = t;
                }
            }
        }
        return order;
    }
}
