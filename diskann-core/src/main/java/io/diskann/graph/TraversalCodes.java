package io.diskann.graph;

import io.diskann.util.Workers;
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

    /** Rows encoded per block of {@link #synchronize}'s threads. */
    private static final int ENCODE_BLOCK = 1024;

    final QuantizedVectors codes;
    private final int dimensions;
    /** Threads {@link #synchronize} encodes on (the index's build threads). */
    private final int threads;
    private int encoded;

    private TraversalCodes(QuantizedVectors codes, int dimensions, int threads) {
        this.codes = codes;
        this.dimensions = dimensions;
        this.threads = Math.max(1, threads);
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
        return of(ScalarQuantizer.fit(state.metric, state.vectors, live, n), state.dimensions,
                state.params.threads());
    }

    /** Codes under a known quantizer (a loaded index's), encoded on {@code threads} threads. */
    static TraversalCodes of(ScalarQuantizer quantizer, int dimensions, int threads) {
        return new TraversalCodes(new QuantizedVectors(quantizer, dimensions, 0), dimensions, threads);
    }

    ScalarQuantizer quantizer() {
        return codes.quantizer();
    }

    @Override
    public synchronized void synchronize(VectorStore vectors, int ordinalLimit) {
        int from = encoded;
        int n = ordinalLimit - from;
        if (n > 0) {
            // why threads: encoding 60k x 784 took 0.4 s of a 12 s build on one thread (JFR); distinct
            // rows may be written concurrently
            int t = n >= 4 * ENCODE_BLOCK ? threads : 1;
            Workers.forEach("diskann-encode", t, n, ENCODE_BLOCK, () -> new float[dimensions], (buffer, i) -> {
                vectors.get(from + i, buffer);
                codes.set(from + i, buffer);
            });
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
