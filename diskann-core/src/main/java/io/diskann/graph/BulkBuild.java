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
     * Whether a plain build first lays the vectors out by cluster ({@link BuildLayout}; default true).
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

    /** Vectors stored per block when a concurrent source is stored on several threads. */
    private static final int STORE_BLOCK = 1024;

    private BulkBuild() {
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
        int start;
        VamanaBuilder builder;
        QuantizedVectors projected = null;
        try {
            state.fitCodesIfWanted(1);
            int[] insertion = null;
            // Laid out by cluster, nodes still linked in id order: linking cluster by cluster was 1.7x faster
            // at 200k x 128 but cost recall (0.9835 vs 0.9993 at L=16), even with a random 10-25% linked
            // first. Plain builds only: the constraint and candidate lists of the filtered builds speak in ids.
            if (LAYOUT_BEFORE_BUILD && candidates == null && state.constraint == null && n >= layoutMinimum) {
                int[] order = BuildLayout.clustered(state.vectors, n, state.dimensions, 0x5eedL);
                GraphReorder.apply(state, order, false);
                insertion = GraphReorder.inverse(order); // id i sits at slot inverse[i]
            }
            TraversalCodes codes = state.codes;
            builder = new VamanaBuilder(state.vectors, state.metric, state.params, state.graph, n)
                    .walkOn(codes == null ? null : codes.codes).constrain(state.constraint).insertionOrder(insertion);
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
        state.mips = builder.mipsAugmentation();
        state.setStart(start);
        if (REORDER_AFTER_BUILD) {
            GraphReorder.apply(state, GraphReorder.bfsOrder(state.graph, state.slots, n, start));
        } else {
            state.chooseEntryPoints();
        }
    }
}
