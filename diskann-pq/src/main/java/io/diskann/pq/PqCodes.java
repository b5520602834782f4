package io.diskann.pq;

import io.diskann.graph.SlotCompanion;
import io.diskann.util.ObjectPool;
import io.diskann.vector.VectorStore;
import java.util.Arrays;

/**
 * The PQ codes of a graph index's slots, kept in step with it as a {@link SlotCompanion}: the index hands
 * every stored vector here before the slot is linked or visible, so a search never scores a slot with a
 * code that is not its vector's (no window after an insert, no crossed codes between concurrent updates
 * of one id).
 *
 * <p>Codes live in one array, slot {@code s} at {@code s * M}, grown (copied) with the index's slots
 * while no insert runs; searches read the array they found when their query was set, under the index's
 * shared lock, so it cannot change under them.
 */
final class PqCodes implements SlotCompanion {

    private final ProductQuantizer pq;
    private final int chunks;
    private final ObjectPool<float[]> scratch = new ObjectPool<>(Math.max(4, 2 * Runtime.getRuntime().availableProcessors()));
    private volatile byte[] codes;
    /** Slots below this have codes (set by {@link #synchronize}; inserts keep it true afterwards). */
    private int encoded;

    PqCodes(ProductQuantizer pq, byte[] codes, int encoded) {
        this.pq = pq;
        this.chunks = pq.chunks();
        this.codes = codes;
        this.encoded = encoded;
    }

    byte[] codes() {
        return codes;
    }

    int chunks() {
        return chunks;
    }

    @Override
    public void synchronize(VectorStore vectors, int ordinalLimit) {
        float[] buffer = new float[vectors.dimensions()];
        byte[] c = codes;
        float[] s = pq.newEncodeScratch();
        for (int ordinal = encoded; ordinal < ordinalLimit; ordinal++) {
            vectors.get(ordinal, buffer);
            pq.encode(sanitize(buffer), c, ordinal * chunks, s);
        }
        encoded = Math.max(encoded, ordinalLimit);
    }

    /** Freed or never-written slots may hold anything; they are never returned, but must encode. */
    static float[] sanitize(float[] v) {
        for (int i = 0; i < v.length; i++) {
            if (!Float.isFinite(v[i])) {
                v[i] = 0f;
            }
        }
        return v;
    }

    @Override
    public void stored(int slot, float[] vector) {
        float[] s = scratch.poll();
        if (s == null) {
            s = pq.newEncodeScratch();
        }
        pq.encode(vector, codes, slot * chunks, s);
        scratch.offer(s);
    }

    @Override
    public void reordered(int[] order, int count) {
        byte[] c = codes;
        byte[] old = Arrays.copyOf(c, count * chunks);
        for (int j = 0; j < count; j++) {
            System.arraycopy(old, order[j] * chunks, c, j * chunks, chunks);
        }
    }

    @Override
    public Runnable prepareCapacity(int capacity) {
        long need = (long) capacity * chunks;
        if (need <= codes.length) {
            return () -> { };
        }
        if (need > Integer.MAX_VALUE - 16) {
            throw new IllegalArgumentException(capacity + " codes of " + chunks + " bytes exceed one Java array");
        }
        byte[] grown = Arrays.copyOf(codes, (int) need);
        return () -> codes = grown;
    }
}
