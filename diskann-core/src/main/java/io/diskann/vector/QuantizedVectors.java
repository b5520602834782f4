package io.diskann.vector;

/**
 * 8-bit codes of an index's vectors ({@link ScalarQuantizer}), one aligned row per storage ordinal,
 * grown in chunks like the vectors themselves: what a graph search traverses on when the full vectors
 * are 4 or 2 bytes a component, a quarter or half of the bytes per hop, before re-ranking its best
 * candidates with the full vectors.
 *
 * <p>Thread-safety: as {@link VectorStore}: distinct ordinals may be written concurrently; growth is
 * prepared beside readers and installed while none runs.
 */
public final class QuantizedVectors implements AutoCloseable {

    private final ScalarQuantizer quantizer;
    private final ByteVectorStore codes;
    /** False once a vector's code decoded to anything but the vector; see {@link #exact()}. */
    private volatile boolean exact = true;

    /**
     * Empty codes for {@code dimensions}-component vectors, room for {@code capacity}.
     *
     * @param quantizer encodes and decodes the components
     * @param dimensions components per vector
     * @param capacity vectors to make room for
     * @throws IllegalArgumentException if {@code quantizer} is null
     */
    public QuantizedVectors(ScalarQuantizer quantizer, int dimensions, int capacity) {
        if (quantizer == null) {
            throw new IllegalArgumentException("quantizer is null");
        }
        this.quantizer = quantizer;
        this.codes = new ByteVectorStore(quantizer.codeType(), dimensions, ChunkedRows.allocate(dimensions, capacity));
    }

    /**
     * The quantizer the codes were made with.
     *
     * @return the quantizer
     */
    public ScalarQuantizer quantizer() {
        return quantizer;
    }

    /**
     * Encodes {@code vector} at {@code ordinal} (non-finite components as 0; the caller validated it).
     *
     * @param ordinal storage ordinal, below {@link #capacity()}
     * @param vector the full-precision vector
     */
    public void set(int ordinal, float[] vector) {
        if (!codes.setCodes(ordinal, vector, quantizer) && exact) {
            exact = false;
        }
    }

    /**
     * Whether every vector encoded so far decodes back exactly: 8-bit data (pixels, SIFT's whole-number
     * components) stored as floats, which the fitted quantizer gives step 1. Then distances between codes
     * equal distances between the vectors, and whatever would be re-scored at full precision need not be.
     * Once false it stays false (an overwritten or deleted vector does not make it true again).
     *
     * @return true while no encoded component was rounded or clipped
     */
    public boolean exact() {
        return exact;
    }

    /**
     * Whether {@code vector}'s code decodes back to it exactly (a query of 8-bit data, say): with
     * {@link #exact()} codes, its distances to the codes are then the full-precision ones.
     *
     * @param vector a vector of the codes' dimension
     * @return true if no component would be rounded or clipped
     */
    public boolean encodesExactly(float[] vector) {
        return quantizer.representsExactly(vector);
    }

    /**
     * Decodes the codes at {@code ordinal} into {@code out} (what the traversal sees).
     *
     * @param ordinal storage ordinal
     * @param out receives the decoded components; its length is the dimension
     */
    public void get(int ordinal, float[] out) {
        codes.get(ordinal, out);
        for (int i = 0; i < out.length; i++) {
            out[i] = quantizer.decode((int) out[i]);
        }
    }

    /**
     * A scorer of full-precision queries against the codes; see {@link VectorStore#scorer}.
     *
     * @param metric the metric to score in
     * @return a new scorer, for one thread
     */
    public QueryScorer scorer(Metric metric) {
        return codes.quantizedScorer(metric, quantizer);
    }

    /**
     * Reorders the code rows; see {@link ChunkedRows#permute}.
     *
     * @param order row {@code j} afterwards holds the codes row {@code order[j]} held
     * @param count number of rows permuted
     */
    public void permute(int[] order, int count) {
        codes.rows().permute(order, count);
    }

    /**
     * Rows the codes have room for.
     *
     * @return the capacity in vectors
     */
    public int capacity() {
        return codes.capacity();
    }

    /**
     * Prepares growth to at least {@code minCapacity} rows; see {@link VectorStore#prepareCapacity}.
     *
     * @param minCapacity rows wanted
     * @return the step that installs the new rows
     */
    public Runnable prepareCapacity(int minCapacity) {
        return codes.prepareCapacity(minCapacity);
    }

    /**
     * Bytes of memory the codes hold.
     *
     * @return the size of the code rows in bytes
     */
    public long bytes() {
        return codes.bytes();
    }

    /** Frees the codes' memory. */
    @Override
    public void close() {
        codes.close();
    }
}
