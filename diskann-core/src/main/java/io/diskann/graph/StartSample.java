package io.diskann.graph;

import io.diskann.vector.Metric;
import io.diskann.vector.QuantizedVectors;
import io.diskann.vector.QueryScorer;
import io.diskann.vector.VectorStore;

/**
 * A few nodes spread over the graph whose rows are copied side by side, so that an unfiltered search (or
 * one whose filter accepts a known share of at least {@code SearchParams.TWO_HOP_BELOW}) can start at the
 * one closest to its query (as well as at the medoid) for the price of scoring rows that stay in cache from
 * one query to the next.
 *
 * <p>Why: an in-memory search is bound by the first load of each row it scores (async-profiler:
 * {@code RowScorer.touch} 39% of a Fashion-MNIST u8 search), so it costs what it touches; the hops from the
 * medoid towards the query's region touch rows every query pays for again. Starting next to the query saves
 * about 10% of the hops (24.3 -> 22.2 at L=20 on Fashion-MNIST u8, docs/PERFORMANCE.md section 33). The
 * copy is the point: the same 64 rows scored where they lie in the store were spread over 47 MB and missed
 * the cache each time, which cost what the saved hops gave (section 32, no QPS change).
 *
 * <p>Only where it pays: the sample is used when its nodes are much closer to stored vectors than the medoid
 * is ({@link #MAX_CLOSENESS}), which holds for data that lies in distinct regions of a low-dimensional shape
 * (Fashion-MNIST) and not for high-dimensional Gaussian clusters (1M x 128), where the closest of 64 nodes
 * is about as far as the medoid and starting there cost recall.
 *
 * <p>Which nodes: {@link #SIZE} live slots evenly spaced over the slot order. After {@link
 * VamanaIndex#reorder} (which every bulk build ends with, and which a saved file keeps) that order is
 * breadth-first from the medoid,
 * so even spacing spreads them over the graph; nodes inserted later are not sampled until the sample is
 * chosen again.
 *
 * <p>Kept in step by {@link GraphState}: dropped (and freed) under the exclusive lock whenever a sampled
 * slot could change what it holds (consolidation frees slots, a reorder moves rows, new traversal codes
 * re-encode them, close), and chosen again lazily by the next search. A deleted but not yet consolidated
 * node may stay in it: searches walk through deleted nodes anyway and never return them. Immutable once
 * made; its rows are read by any number of searchers.
 */
final class StartSample implements AutoCloseable {

    /** Nodes sampled; {@code -Ddiskann.startSample=0} turns the sample off (a developer switch for A/B runs). */
    static final int SIZE = Math.max(0, Integer.getInteger("diskann.startSample", 64));

    /**
     * Fewer live nodes than this: no sample. A small graph is a few hops deep, and its rows stay in cache
     * anyway; 64 extra distances would cost more than the hops they save.
     */
    static final int MIN_LIVE = 8_192;

    /**
     * Most a sample may keep of the medoid's distance (mean over {@link #PROBES} stored vectors: the distance
     * to their closest sampled node over the distance to the medoid) and still be used. Why a test at all:
     * where the closest of 64 nodes is hardly closer than the medoid, a start there only adds a detour.
     * Measured on the probes: Fashion-MNIST 0.48-0.49 (hops -10%, QPS +5-11%); 1M x 128 Gaussian clusters
     * 0.955, where recall@10 at L=32 fell from 0.992 to 0.976 with 12% more distances (docs/PERFORMANCE.md
     * section 33). The bound sits between the two; where between them a sample stops paying is not measured.
     */
    static final double MAX_CLOSENESS = 0.7;

    /** Stored vectors the closeness test scores against the sample and the medoid. */
    static final int PROBES = 256;

    /** Per-query switch for in-JVM A/B measurements (harnesses flip it between rounds). */
    static volatile boolean enabled = SIZE > 0;

    /** The sampled slots; row {@code i} of the copy holds slot {@code slots[i]}. */
    final int[] slots;
    /** The rows' ordinals in the copy, 0..n-1, for batch scoring. */
    final int[] ordinals;
    private final VectorStore vectors;
    private final QuantizedVectors codes;

    /** Mean closeness of the probes ({@link #MAX_CLOSENESS}); the sample is used only at or below it. */
    final double closeness;

    private StartSample(int[] slots, VectorStore vectors, QuantizedVectors codes, double closeness) {
        this.slots = slots;
        this.closeness = closeness;
        this.ordinals = new int[slots.length];
        for (int i = 0; i < slots.length; i++) {
            ordinals[i] = i;
        }
        this.vectors = vectors;
        this.codes = codes;
    }

    /**
     * Chooses and copies a sample of {@code state}'s live slots, or returns null if the index is too small.
     * The rows copied are those the searches traverse: the traversal codes when {@code withCodes} and the
     * index has them, the vectors otherwise. The caller holds the shared lock (slots are not freed meanwhile).
     */
    static StartSample choose(GraphState state, boolean withCodes) {
        SlotTable table = state.slots;
        int live = table.liveCount();
        if (SIZE == 0 || live < Math.max(MIN_LIVE, SIZE)) {
            return null;
        }
        int limit = table.highWater();
        int[] picked = new int[SIZE];
        int n = 0;
        // evenly spaced targets; each takes the first live slot at or after its target
        for (int i = 0; i < SIZE; i++) {
            int target = (int) ((long) i * limit / SIZE);
            int from = n == 0 ? target : Math.max(target, picked[n - 1] + 1);
            int s = from;
            while (s < limit && !table.isLive(s)) {
                s++;
            }
            if (s < limit) {
                picked[n++] = s;
            }
        }
        if (n < SIZE) {
            return null;
        }
        double closeness = closeness(state, picked);
        if (closeness > MAX_CLOSENESS) {
            return new StartSample(picked, null, null, closeness); // not worth it: remembered, holds no rows
        }
        TraversalCodes tc = withCodes ? state.codes : null;
        float[] row = new float[state.dimensions];
        if (tc != null) {
            QuantizedVectors copy = new QuantizedVectors(tc.quantizer(), state.dimensions, SIZE);
            for (int i = 0; i < SIZE; i++) {
                state.vectors.get(picked[i], row);
                copy.set(i, row);
            }
            return new StartSample(picked, null, copy, closeness);
        }
        VectorStore copy = VectorStore.create(state.type, state.dimensions, SIZE);
        for (int i = 0; i < SIZE; i++) {
            state.vectors.get(picked[i], row);
            copy.set(i, row);
        }
        return new StartSample(picked, copy, null, closeness);
    }

    /**
     * Mean over {@link #PROBES} live stored vectors of (distance to the closest sampled node) / (distance to
     * the medoid), on exact distances; 1 for inner product (its distances are not distances; those indexes
     * start at their directions' entry points, {@link MipsEntryPoints}, instead).
     */
    private static double closeness(GraphState state, int[] picked) {
        if (state.metric == Metric.INNER_PRODUCT || state.start < 0) {
            return 1;
        }
        SlotTable table = state.slots;
        int limit = table.highWater();
        QueryScorer exact = state.vectors.scorer(state.metric);
        double sum = 0;
        int probes = 0;
        for (int i = 0; i < PROBES; i++) {
            // between the sampled targets, so no probe is a sampled node
            int slot = (int) (((long) i * limit + limit / 2) / PROBES);
            if (slot >= limit || !table.isLive(slot) || slot == state.start) {
                continue;
            }
            exact.setQueryToStored(slot);
            double toMedoid = exact.score(state.start);
            if (!(toMedoid > 0)) {
                continue;
            }
            double best = Double.POSITIVE_INFINITY;
            for (int p : picked) {
                if (p != slot) {
                    best = Math.min(best, exact.score(p));
                }
            }
            sum += Math.min(1.0, best / toMedoid);
            probes++;
        }
        return probes == 0 ? 1 : sum / probes;
    }

    /** Whether searches start from this sample (it was close enough to be worth it, and holds rows). */
    boolean useful() {
        return vectors != null || codes != null;
    }

    /** Whether the rows are traversal codes (a search on exact vectors needs a sample of vectors). */
    boolean ofCodes() {
        return codes != null;
    }

    /** A new scorer over the copied rows (one per searcher). */
    QueryScorer scorer(Metric metric) {
        return codes != null ? codes.scorer(metric) : vectors.scorer(metric);
    }

    /** Bytes of the copied rows. */
    long bytes() {
        return codes != null ? codes.bytes() : vectors != null ? vectors.bytes() : 0;
    }

    @Override
    public void close() {
        if (codes != null) {
            codes.close();
        } else if (vectors != null) {
            vectors.close();
        }
    }
}
