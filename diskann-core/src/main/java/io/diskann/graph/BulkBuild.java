package io.diskann.graph;

import io.diskann.util.Workers;
import io.diskann.vector.QuantizedVectors;

/**
 * The body of {@link VamanaIndex#build}: store the vectors, fit the traversal codes (the build walks and
 * prunes on them), lay the rows out by cluster ({@link BuildLayout}), project the vectors for the walk when
 * their variance sits in a few directions ({@link ProjectedWalkCodes}), link the nodes in id order, reorder
 * the graph breadth-first for searching, choose entry points. The caller holds the exclusive
 * lock on an open index.
 */
final class BulkBuild {

    /**
     * Whether a build ends with {@link VamanaIndex#reorder} (default true). {@code -Ddiskann.reorder=false}
     * turns it off: a developer switch for measuring the layout, never needed otherwise.
     */
    static final boolean REORDER_AFTER_BUILD = !"false".equals(System.getProperty("diskann.reorder"));

    /**
     * Whether a bulk build (not Stitched-Vamana's last step) first lays the vectors out by cluster ({@link BuildLayout}; default true).
     * {@code -Ddiskann.buildLayout=false} turns it off: a developer switch for A/B measurements.
     */
    static final boolean LAYOUT_BEFORE_BUILD = !"false".equals(System.getProperty("diskann.buildLayout"));

    /**
     * Below this many vectors the layout is skipped: measured, it gained nothing at 200k x 128 (42.7 vs 43.3 s)
     * and cost 1-3 s at Fashion-MNIST's 60k x 784 (two runs each: 19.6 / 21.7 s against 18.6 / 18.2 s), its
     * k-means and row moves not paid back; at 1M x 128 it took the build from 364 s to 263 s. Tests lower it
     * to exercise the layout on small data ({@code -Ddiskann.buildLayout.minimum}, or this field).
     */
    static volatile int layoutMinimum = Integer.getInteger("diskann.buildLayout.minimum", 500_000);

    /**
     * The back-edge slack of a large plain bulk build's lists: they collect up to 2R back edges before a re-prune
     * (the index's own lists keep {@link VamanaParams#slackFactor}, 1.3, for later inserts), and are copied into the
     * index's lists once the final pass has pruned every one to R. Why: at 1M x 128 back-edge re-prunes were 21% of
     * the build; with room for 2R they run less often, and the final prune chooses from larger pools. Measured in
     * three pairs (two in one JVM, one in two processes): 145.7 against 159.0 s, 136.5 against 142.4 s, 128.9 against
     * 135.1 s, recall@10 at L=32 / 48 0.9933 / 0.9991 against 0.9919 / 0.9978; room for 3R was slower (150.9 s)
     * (docs/PERFORMANCE.md section 31). At 200k it gained nothing (four
     * alternations within 5%), so it starts at {@link #wideMinimum}. {@code -Ddiskann.buildSlack=S} forces a slack
     * for A/B measurements (at most the index's own: off).
     */
    static volatile float buildSlack = Float.parseFloat(System.getProperty("diskann.buildSlack", "2"));

    /** Builds of fewer vectors keep the index's own slack ({@link #buildSlack}); tests lower it. */
    static volatile int wideMinimum = Integer.getInteger("diskann.buildSlack.minimum", 500_000);

    /**
     * From this many vectors, a bulk build (not Stitched-Vamana's last step) prunes each node's own list on the walk's 8-bit codes (the re-prunes
     * of full lists already do; below it, own prunes stay on full vectors). Why: at 1M x 128 the own prune on f32 rows
     * and the re-scoring of the expanded nodes before it were 12% of the build (section 31), nearly all of it cache
     * misses on 512-byte rows where the codes are 128 bytes; on codes the walk's distances are reused as they are.
     * Measured at 1M x 128 (docs/PERFORMANCE.md section 34). Not for small graphs: on the filter tests' data
     * (3,000 x 24) a rare label searched through the unfiltered graph lost recall in 2 of 6 seeds (section 13). Tests
     * and A/B runs move it ({@code -Ddiskann.buildPrune.codesMinimum}, or this field).
     */
    static volatile int codesPruneMinimum = Integer.getInteger("diskann.buildPrune.codesMinimum", 500_000);

    /**
     * From this many vectors a build whose L_build was not given uses {@link VamanaParams#largeBuildListSize}
     * ({@link VamanaParams#LARGE_BUILD}); tests lower it.
     */
    static volatile int largeListMinimum = VamanaParams.LARGE_BUILD;

    /** Vectors stored per block when a concurrent source is stored on several threads. */
    private static final int STORE_BLOCK = 1024;

    private BulkBuild() {
    }

    /**
     * Lists with room for {@link #buildSlack} x R back edges for a plain build of {@code n} vectors, or null to build
     * in the index's own lists: below {@link #wideMinimum}, when the slack is not wider than the index's, or when the
     * heap has not twice the wider lists' size free (they live on the heap beside the index's own until the copy; a
     * partitioned disk build sizes its parts to the heap with the index's slack, and must not meet an OOM here).
     */
    static Adjacency wideGraph(VamanaParams params, int n) {
        float slack = buildSlack;
        int degree = (int) Math.min(Integer.MAX_VALUE / 2, (long) Math.ceil(slack * params.maxDegree()));
        if (n < wideMinimum || degree <= params.slackDegree()) {
            return null;
        }
        Runtime rt = Runtime.getRuntime();
        long free = rt.maxMemory() - (rt.totalMemory() - rt.freeMemory());
        long bytes = 4L * n * (degree + 1);
        return bytes <= Integer.MAX_VALUE - 16L && 2 * bytes <= free ? new Adjacency(n, degree) : null;
    }

    static void run(GraphState state, int n, VectorSource source, BuildListener listener) {
        run(state, n, source, null, listener);
    }

    /** As {@link #run(GraphState, int, VectorSource, BuildListener)}; with {@code candidates}, the
     * graph is pruned from them instead of searched for ({@link VamanaBuilder#buildFromCandidates}). */
    static void run(GraphState state, int n, VectorSource source,
                    java.util.function.IntFunction<int[]> candidates, BuildListener listener) {
        if (state.slots.highWater() > 0) {
            throw new IllegalStateException("index already holds " + state.slots.liveCount()
                    + " vectors: build runs once, on an empty index (use insert to add more)");
        }
        if (n <= 0) {
            throw new IllegalArgumentException("cannot build an index from " + n + " vectors");
        }
        state.vectors.ensureCapacity(n);
        state.graph.ensureCapacity(n);
        // Why threads for a concurrent source: storing (validation, copy) took 0.5-0.9 s of a 10-12 s
        // Fashion-MNIST build on one thread (JFR), with the other idle
        int threads = source.concurrent() && n >= 4 * STORE_BLOCK ? state.params.threads() : 1;
        Workers.forEach("diskann-store", threads, n, STORE_BLOCK, () -> new float[state.dimensions], (reuse, i) -> {
            float[] v = source.get(i, reuse);
            try {
                state.vectors.set(i, v);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("vector " + i + ": " + e.getMessage(), e);
            }
        });
        // slots first: the codes are fitted to the live vectors, and the build walks on them
        state.slots = SlotTable.identity(n, n);
        // a large build's default L_build (VamanaParams#largeBuildListSize): the index's own once the build succeeds
        VamanaParams params = state.params;
        int buildL = params.buildListSizeFor(n, largeListMinimum);
        if (candidates == null && buildL != params.buildListSize()) {
            params = params.withBuildListSize(buildL);
        }
        int start;
        VamanaBuilder builder;
        Adjacency wide = null;
        QuantizedVectors projected = null;
        try {
            state.fitCodesIfWanted(1);
            int[] insertion = null;
            // Laid out by cluster, nodes still linked in id order: linking cluster by cluster was 1.7x faster
            // at 200k x 128 but cost recall (0.9835 vs 0.9993 at L=16), even with a random 10-25% linked
            // first. Not for Stitched-Vamana's last step, whose candidate lists speak in ids; Filtered-Vamana's
            // constraint speaks in ids too, so its linker maps ordinals through the slot table (idsThrough).
            if (LAYOUT_BEFORE_BUILD && candidates == null && n >= layoutMinimum) {
                int[] order = BuildLayout.clustered(state.vectors, n, state.dimensions, 0x5eedL, state.params.threads());
                GraphReorder.apply(state, order, false);
                insertion = GraphReorder.inverse(order); // id i sits at slot inverse[i]
            }
            TraversalCodes codes = state.codes;
            wide = candidates == null && state.constraint == null ? wideGraph(params, n) : null;
            builder = new VamanaBuilder(state.vectors, state.metric, params, wide != null ? wide : state.graph, n)
                    .walkOn(codes == null ? null : codes.codes).constrain(state.constraint).insertionOrder(insertion)
                    .idsThrough(state.constraint != null && insertion != null ? state.slots : null)
                    .ownPrunesOnCodes(candidates == null && n >= codesPruneMinimum);
            BuildListener l = listener == null ? BuildListener.NONE : listener;
            if (candidates == null) {
                // after the layout: the projected rows follow the stored ones
                projected = ProjectedWalkCodes.fitIfWorthIt(state.vectors, n, state.metric, state.params.threads());
                builder.walkOnProjection(projected);
            }
            start = candidates == null ? builder.build(l) : builder.buildFromCandidates(candidates, l);
        } catch (RuntimeException | Error e) {
            state.installCodes(null);
            state.slots = SlotTable.identity(0, 0); // still empty: build may be called again
            throw e;
        } finally {
            if (projected != null) {
                projected.close(); // the build's alone
            }
        }
        state.params = params;
        if (wide != null) { // the final pass left every list at most R: into the index's own lists
            int[] buf = new int[wide.maxDegree()];
            for (int i = 0; i < n; i++) {
                int d = wide.copy(i, buf);
                if (d > state.params.maxDegree()) {
                    throw new IllegalStateException("list " + i + " holds " + d + " neighbours after the final prune");
                }
                state.graph.set(i, buf, d);
            }
        }
        state.mips = builder.mipsAugmentation();
        state.setStart(start);
        if (REORDER_AFTER_BUILD) {
            GraphReorder.apply(state, GraphReorder.bfsOrder(state.graph, state.slots, n, start));
        } else {
            state.chooseEntryPoints();
        }
        state.fitScanBoundsIfWanted();
    }
}
