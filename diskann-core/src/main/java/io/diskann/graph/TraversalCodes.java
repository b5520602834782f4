package io.diskann.graph;

import io.diskann.vector.QuantizedVectors;
import io.diskann.vector.ScalarQuantizer;
import io.diskann.vector.VectorStore;

/**
 * The 8-bit codes a {@link Traversal#SQ8} index traverses on, kept in step with its vectors as a
 * {@link SlotCompanion}: every stored vector is encoded before its slot is linked or visible.
 *
 * <p>When the codes are fitted: at the end of {@link VamanaIndex#build}, on load, by
 * {@link VamanaIndex#setTraversal}, and for an index filled by inserts alone once it holds
 * {@link #FIT_AFTER} vectors (before that it traverses exactly). Vectors inserted later are encoded with
 * the same range, clipped to it; {@code setTraversal(SQ8)} re-fits.
 */
final class TraversalCodes implements SlotCompanion {

    /** Live vectors an insert-built index waits for before fitting its codes: enough for stable quantiles. */
    static final int FIT_AFTER = 1_000;

    final QuantizedVectors codes;
    private final float[] buffer;
    private int encoded;

    private TraversalCodes(QuantizedVectors codes, int dimensions) {
        this.codes = codes;
        this.buffer = new float[dimensions];
    }

    /** Fits codes to the live vectors of {@code state} (not yet attached). */
    static TraversalCodes fit(GraphState state) {
        SlotTable slots = state.slots;
        int limit = slots.highWater();
        int[] live = new int[slots.liveCount()];
        int n = 0;
        for (int i = 0; i < limit && n < live.length; i++) {
            if (slots.isLive(i)) {
                live[n++] = i;
            }
        }
        return of(ScalarQuantizer.fit(state.metric, state.vectors, live, n), state.dimensions);
    }

    /** Codes under a known quantizer (a loaded index's). */
    static TraversalCodes of(ScalarQuantizer quantizer, int dimensions) {
        return new TraversalCodes(new QuantizedVectors(quantizer, dimensions, 0), dimensions);
    }

    ScalarQuantizer quantizer() {
        return codes.quantizer();
    }

    @Override
    public synchronized void synchronize(VectorStore vectors, int ordinalLimit) {
        for (int ordinal = encoded; ordinal < ordinalLimit; ordinal++) {
            vectors.get(ordinal, buffer);
            codes.set(ordinal, buffer);
        }
        encoded = Math.max(encoded, ordinalLimit);
    }

    @Override
    public void stored(int slot, float[] vector) {
        codes.set(slot, vector);
    }

    @Override
    public void reordered(int[] order, int count) {
        codes.permute(order, count);
    }

    @Override
    public Runnable prepareCapacity(int capacity) {
        return codes.prepareCapacity(capacity);
    }
}
