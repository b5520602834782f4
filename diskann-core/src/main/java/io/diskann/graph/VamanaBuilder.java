package io.diskann.graph;

import io.diskann.util.Workers;
import io.diskann.vector.Metric;
import io.diskann.vector.QuantizedVectors;
import io.diskann.vector.VectorStore;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntConsumer;
import java.util.function.Supplier;

/**
 * Parallel Vamana construction, following DiskANN's {@code link()}:
 * <ol>
 *   <li>the start point is the node closest to the centroid (the medoid approximation DiskANN uses);</li>
 *   <li>inner-product indexes are built over the MIPS-to-L2 reduction ({@link MipsBuildScorer}), as
 *       DiskANN does, pruned with the L2 rule, and start at the vector of largest norm;</li>
 *   <li>each node is searched for from the start point with list size L_build, and its neighbours are
 *       robust-pruned from the nodes that search expanded;</li>
 *   <li>for each new neighbour, a back edge is added under that neighbour's lock; a list that would
 *       exceed {@code slack x R} is re-pruned to R (outside the lock, then written back);</li>
 *   <li>a final pass prunes every list still longer than R. Lists keep their slack capacity, so later
 *       inserts can append back edges without re-pruning every time (FreshDiskANN).</li>
 * </ol>
 * Nodes are processed by {@code threads} workers pulling chunks from a shared counter.
 */
final class VamanaBuilder {

    private static final int CHUNK = 64;

    private final VectorStore vectors;
    private final Metric metric;
    private final VamanaParams params;
    private final Adjacency graph;
    private final int count;
    private MipsBuildScorer.Augmentation mips;
    private QuantizedVectors codes;
    private QuantizedVectors projectedWalk;
    private LinkConstraint constraint;
    private int[] insertion;
    private boolean ownPrunesOnCodes;
    private SlotTable idSlots;

    /** Links under Filtered-Vamana's rules (null: plain Vamana). */
    VamanaBuilder constrain(LinkConstraint c) {
        this.constraint = c;
        return this;
    }

    /**
     * The slot table mapping the nodes built (storage ordinals) to ids, when the two differ (a layout before the
     * build) and the link constraint speaks in ids; null: ordinal i is id i.
     */
    VamanaBuilder idsThrough(SlotTable s) {
        this.idSlots = s;
        return this;
    }

    /** Prunes each node's own list on the walk's codes ({@link GraphLinker#ownPrunesOnCodes}). */
    VamanaBuilder ownPrunesOnCodes(boolean on) {
        this.ownPrunesOnCodes = on;
        return this;
    }

    /** Links nodes in the order {@code order[i]} (null: slot order). */
    VamanaBuilder insertionOrder(int[] order) {
        this.insertion = order;
        return this;
    }

    /** Walks the candidate searches on {@code c} (see {@link GraphLinker#useCodes}); null: full vectors. */
    VamanaBuilder walkOn(QuantizedVectors c) {
        this.codes = c;
        return this;
    }

    /** Walks the candidate searches on projected codes ({@link GraphLinker#walkOnProjection}); null: none. */
    VamanaBuilder walkOnProjection(QuantizedVectors p) {
        this.projectedWalk = p;
        return this;
    }

    VamanaBuilder(VectorStore vectors, Metric metric, VamanaParams params, Adjacency graph, int count) {
        this.vectors = vectors;
        this.metric = metric;
        this.params = params;
        this.graph = graph;
        this.count = count;
    }

    /** Builds the graph over nodes {@code 0..count-1}; returns the start point. */
    int build(BuildListener listener) {
        if (metric == Metric.INNER_PRODUCT) {
            mips = MipsBuildScorer.Augmentation.of(vectors, count);
        }
        final int start = mips != null ? mips.largestNorm(count) : Medoid.of(vectors, count, null, metric, params.threads());
        GraphLinker linker = new GraphLinker(vectors, metric, params, graph, mips, idSlots, constraint);
        linker.useCodes(codes);
        linker.walkOnProjection(projectedWalk);
        linker.ownPrunesOnCodes(ownPrunesOnCodes);
        AtomicInteger done = new AtomicInteger();
        int reportEvery = Math.max(CHUNK, count / 1000);
        parallel(() -> {
            GraphLinker.Scratch scratch = linker.newScratch(count);
            int[] order = insertion;
            return i -> {
                linker.link(scratch, order == null ? i : order[i], start, count);
                int d = done.incrementAndGet();
                if (d % reportEvery == 0 || d == count) {
                    listener.progress(d, count);
                }
            };
        });
        parallel(() -> {
            GraphLinker.Scratch scratch = linker.newScratch(count);
            return node -> linker.pruneIfAboveDegree(scratch, node);
        });
        OrphanRepair.run(linker, graph, count, params.maxDegree(), start, constraint != null,
                params.threads(), null);
        return start;
    }

    /**
     * Builds the graph over nodes {@code 0..count-1} from given candidate lists instead of searches: each
     * node's candidates are robust-pruned to R (under the link constraint's occlusion rule, if any), with
     * no back edges added. Stitched-Vamana's last step. Returns the start point.
     *
     * @throws IllegalArgumentException if a list holds an id outside {@code 0..count-1}
     */
    int buildFromCandidates(java.util.function.IntFunction<int[]> candidates, BuildListener listener) {
        if (metric == Metric.INNER_PRODUCT) {
            mips = MipsBuildScorer.Augmentation.of(vectors, count);
        }
        final int start = mips != null ? mips.largestNorm(count) : Medoid.of(vectors, count, null, metric, params.threads());
        GraphLinker linker = new GraphLinker(vectors, metric, params, graph, mips, null, constraint);
        AtomicInteger done = new AtomicInteger();
        int reportEvery = Math.max(CHUNK, count / 1000);
        parallel(() -> {
            GraphLinker.Scratch scratch = linker.newScratch(count);
            int[] out = new int[params.maxDegree()];
            return node -> {
                int[] c = candidates.apply(node);
                int n = c == null ? 0 : c.length;
                for (int i = 0; i < n; i++) {
                    if (c[i] < 0 || c[i] >= count) {
                        throw new IllegalArgumentException("candidate " + c[i] + " of vector " + node
                                + " is not a vector of the build (0.." + (count - 1) + ")");
                    }
                }
                int kept = n == 0 ? 0 : linker.prune(scratch, node, c, n, out);
                synchronized (graph.lockFor(node)) {
                    graph.set(node, out, kept);
                }
                int d = done.incrementAndGet();
                if (d % reportEvery == 0 || d == count) {
                    listener.progress(d, count);
                }
            };
        });
        // no back edges here: a node no kept list names is an orphan unless repaired
        OrphanRepair.run(linker, graph, count, params.maxDegree(), start, constraint != null,
                params.threads(), null);
        return start;
    }

    /** The inner-product augmentation computed by the last {@link #build}, or null for other metrics. */
    MipsBuildScorer.Augmentation mipsAugmentation() {
        return mips;
    }

    /** Runs the task made by {@code workerFactory} over nodes {@code 0..count-1} on the configured threads. */
    private void parallel(Supplier<IntConsumer> workerFactory) {
        int threads = Math.min(params.threads(), Math.max(1, count / CHUNK));
        Workers.forEach("diskann-build", threads, count, CHUNK, workerFactory, IntConsumer::accept);
    }
}
