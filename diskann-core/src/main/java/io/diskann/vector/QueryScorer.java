package io.diskann.vector;

/**
 * Scores stored vectors against one query, so that graph code never touches element types or metrics.
 *
 * <p>Modelled on Lucene's {@code RandomVectorScorer}: a scorer is bound to a {@link VectorStore} and a
 * {@link Metric}, holds the current query (already converted to the store's element type) in scratch it
 * owns, and computes distances without allocating. Create one per searcher and reuse it.
 */
public interface QueryScorer {

    /**
     * Makes {@code query} the current query.
     *
     * @param query the query vector, of the store's dimension
     * @throws IllegalArgumentException on a dimension mismatch, a non-finite component, or a component the
     *     store's type cannot represent (integer types need whole numbers in range)
     */
    void setQuery(float[] query);

    /**
     * Makes the stored vector at {@code ordinal} the current query (used by graph construction).
     *
     * @param ordinal storage ordinal of the vector
     */
    void setQueryToStored(int ordinal);

    /**
     * Distance (smaller is closer) from the current query to the stored vector at {@code ordinal}.
     *
     * @param ordinal storage ordinal of the vector
     * @return the distance in the scorer's metric
     */
    float score(int ordinal);

    /**
     * Distances to the stored vectors {@code ordinals[0..n)} into {@code out[0..n)}: the neighbours of one
     * node, scored together. Scorers whose cost is table look-ups (product quantization) override it to
     * walk the batch chunk by chunk, so each table row is read while it is in L1.
     *
     * @param ordinals storage ordinals of the vectors
     * @param n how many of {@code ordinals} to score
     * @param out receives the distances, in the order of {@code ordinals}
     */
    default void scoreBatch(int[] ordinals, int n, float[] out) {
        for (int i = 0; i < n; i++) {
            out[i] = score(ordinals[i]);
        }
    }

    /**
     * Whether the current query, as this scorer holds it, is exactly the query that was set: a quantized
     * scorer's codes decode back to every component. With exact stored codes its distances are then the
     * full-precision ones, so a caller may skip re-scoring with the vectors. Scorers that do not quantize the
     * query answer false (the question does not arise).
     *
     * @return true only if the last {@link #setQuery} was represented without rounding or clipping
     */
    default boolean queryExact() {
        return false;
    }

    /**
     * Reads one value from every 64-byte cache line of the stored vector at {@code ordinal} and returns
     * a value derived from them. Java has no prefetch instruction; touching the lines of several vectors
     * before scoring them lets the CPU fetch them from memory in parallel instead of one after another.
     * Callers must consume the result (so the loads are not optimised away).
     *
     * @param ordinal storage ordinal of the vector
     * @return a value derived from the loads (0 when the scorer does not touch), meaningless otherwise
     */
    default int touch(int ordinal) {
        return 0;
    }

    /**
     * How many 64-byte lines of a stored vector {@link #touch} reads (0 turns touching off). A tuning
     * knob: it changes speed, never results. Default {@link MemoryTouch#DEFAULT_LINES}.
     *
     * @param lines cache lines to read per vector; 0 turns touching off
     */
    default void setTouchLines(int lines) {
    }
}
