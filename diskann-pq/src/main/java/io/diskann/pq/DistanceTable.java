package io.diskann.pq;

import io.diskann.vector.Metric;

/**
 * Asymmetric distance computation (ADC) for one query: a table of 256 distances per chunk, from the
 * query's sub-vector to every centroid of that chunk, built with {@link PqKernels} (Vector API), so that
 * the distance from the query to any code is a sum of M look-ups.
 *
 * <p>The result is in the metric's own distance: squared L2 to the decoded vector, minus the inner product
 * with it, or {@code 1 - q.x} with both normalized for cosine. With a rotation that keeps only {@code D' < D}
 * directions, the L2 figure leaves out the part of the query outside the kept directions: the same
 * constant for every code, so the order of candidates is unchanged. Reusable and not thread-safe: one per
 * thread, {@link #setQuery} per query; look-ups allocate nothing.
 */
public final class DistanceTable {

    private static final int K = PqParams.CENTROIDS;

    private final ProductQuantizer pq;
    private final PqKernels kernels;
    /** The kernels whose {@code lookup} sums codes: {@link #kernels} for gathers, scalar otherwise. */
    private PqKernels lookups;
    private final float[] table;
    private final float[] query;
    private final int[] scratch = new int[PqKernels.SCRATCH];
    private final int chunks;
    private float constant;

    DistanceTable(ProductQuantizer pq) {
        this.pq = pq;
        this.kernels = pq.kernels();
        this.lookups = kernels;
        setLookup(PqLookup.defaultLookup());
        this.chunks = pq.chunks();
        this.table = new float[chunks * K];
        this.query = new float[pq.dimensions() + (pq.rotated() ? pq.codeDimensions() : 0)];
    }

    /**
     * How {@link #distance} sums a code's entries (default {@link PqLookup#defaultLookup()}).
     *
     * @param lookup the look-up to use
     */
    public void setLookup(PqLookup lookup) {
        this.lookups = lookup == PqLookup.SCALAR ? PqKernels.scalar() : kernels;
    }

    /**
     * Builds the table for {@code q}.
     *
     * @param q the query, of the quantizer's dimensions
     * @throws IllegalArgumentException on a dimension mismatch or a non-finite component
     */
    public void setQuery(float[] q) {
        ProductQuantizer.checkVector(q, pq.dimensions(), "query");
        int dims = pq.dimensions();
        System.arraycopy(q, 0, query, 0, dims);
        int[] offsets = pq.offsets();
        float[][] centroids = pq.centroidsTransposed();
        float[] mean = pq.mean();
        PcaRotation rotation = pq.rotation();
        Metric metric = pq.metric();
        if (metric == Metric.L2) {
            if (mean != null) {
                for (int d = 0; d < dims; d++) {
                    query[d] -= mean[d];
                }
            }
            int at = rotate(rotation, dims);
            for (int m = 0; m < chunks; m++) {
                kernels.squareDistances(query, at + offsets[m], offsets[m + 1] - offsets[m], centroids[m], 0, table, m * K);
            }
            constant = 0f;
            return;
        }
        if (metric == Metric.COSINE) {
            ProductQuantizer.normalizeInPlace(query, 0, dims);
        }
        double c = metric == Metric.COSINE ? 1.0 : 0.0;
        if (mean != null) {
            for (int d = 0; d < dims; d++) {
                c -= (double) query[d] * mean[d];
            }
        }
        // q.x = q.mean + q.(x - mean), and q.(x - mean) = (Pq).(P(x - mean)) for the rotation P
        int at = rotate(rotation, dims);
        for (int m = 0; m < chunks; m++) {
            kernels.negativeDots(query, at + offsets[m], offsets[m + 1] - offsets[m], centroids[m], 0, table, m * K);
        }
        constant = (float) c;
    }

    /** Projects {@code query[0..dims)} behind itself when the quantizer rotates; returns where it starts. */
    private int rotate(PcaRotation rotation, int dims) {
        if (rotation == null) {
            return 0;
        }
        rotation.apply(query, 0, query, dims);
        return dims;
    }

    /**
     * Distance from the current query to the code at {@code codes[offset .. offset + M)}.
     *
     * @param codes the codes, M bytes per vector
     * @param offset where the code starts
     * @return the distance in the metric's own terms
     */
    public float distance(byte[] codes, int offset) {
        return constant + lookups.lookup(table, codes, offset, chunks, scratch);
    }

    /** Distance computed with the scalar look-up (for tests comparing the two paths). */
    float distanceScalar(byte[] codes, int offset) {
        return constant + PqKernels.scalar().lookup(table, codes, offset, chunks, scratch);
    }

    /**
     * Loads the first and last byte of the code of {@code ordinal} (a code of more than 64 bytes spans two
     * or three cache lines) and returns a value derived from them, so that a search can bring the codes of
     * a hop's neighbours in from memory together before {@link #distances} scores them ({@code
     * QueryScorer.touch}). Callers must consume the result; an ordinal beyond {@code codes} gives 0.
     *
     * @param codes the codes, M bytes per ordinal
     * @param ordinal whose code to touch
     * @return a value derived from the loads, meaningless otherwise
     */
    public int touch(byte[] codes, int ordinal) {
        int offset = ordinal * chunks;
        return offset + chunks <= codes.length ? codes[offset] + codes[offset + chunks - 1] : 0;
    }

    /**
     * Batched form: distances of the codes of {@code ordinals[0..n)} (code {@code o} at {@code o * M}),
     * e.g. all neighbours of a node, into {@code out}; ordinals whose code lies beyond {@code codes} score
     * {@link Float#MAX_VALUE}. Code by code: a chunk-major walk across the batch (each table row used
     * while in L1) was measured slower, 115 against 81 ns per code at M=98 (docs/PERFORMANCE.md).
     *
     * @param codes the codes, M bytes per ordinal
     * @param ordinals the ordinals to score
     * @param n how many of them
     * @param out receives the distances
     */
    public void distances(byte[] codes, int[] ordinals, int n, float[] out) {
        for (int i = 0; i < n; i++) {
            int off = ordinals[i] * chunks;
            out[i] = off + chunks <= codes.length
                    ? constant + lookups.lookup(table, codes, off, chunks, scratch) : Float.MAX_VALUE;
        }
    }

}
