package io.diskann.pq;

import io.diskann.util.SymmetricEigen;
import io.diskann.util.Workers;
import io.diskann.vector.DistanceKernels;
import io.diskann.vector.SimdSupport;

/**
 * An orthonormal projection applied before product quantization: the principal directions of the
 * (centred) training data, optionally only the {@code D'} strongest, with the directions dealt to the M
 * chunks so that every chunk gets about the same share of the variance. This is the parametric solution
 * of optimized product quantization (Ge et al., "Optimized Product Quantization", CVPR 2013: PCA
 * alignment plus "eigenvalue allocation").
 *
 * <p>Why: plain PQ cuts the raw dimensions into contiguous chunks; on data whose variance sits in a few
 * correlated directions (images: neighbouring pixels move together; most of Fashion-MNIST's 784 pixels
 * carry little) most chunks quantize near-noise while a few carry everything. Rotated and balanced,
 * each byte of code carries a similar amount of information, so the same code size ranks neighbours
 * better. Keeping only the strongest {@code D'} directions also makes the per-query cost small: the
 * query's projection is {@code D' x D} multiply-adds and its distance table covers {@code D'} dimensions.
 *
 * <p>Rows of the matrix are unit vectors, grouped chunk by chunk (chunk m owns rows
 * {@code offsets[m] .. offsets[m+1]} of the balanced split of {@code D'}); it is held column-major
 * ({@code [input dimension][output]}), the layout {@link #apply} reads. Immutable and thread-safe.
 *
 * <p>The coefficients are held as 16-bit integers with one scale per output direction (the largest magnitude
 * in the direction maps to 32,767), and every projection, of queries and of encoded vectors alike, runs on them.
 * Why: a query's projection streams the whole matrix (1.2 MiB of floats at 392 x 784, past the L2), and at 16
 * bits it took 9.7 us against 20.7 (a standalone loop on this project's AVX-512 machine; a disk query's CPU,
 * docs/PERFORMANCE.md section 28). The rounding is below 1/65,534 of each direction's largest coefficient: an
 * error in a projected coordinate of typically about 1e-5 of the vector's norm (at most sqrt(D) times that
 * bound times the norm), far below what the PQ codes resolve. A direction holding a non-finite value keeps a NaN
 * scale, so {@link #matrix()} and the verifier still see it.
 */
final class PcaRotation {

    /** Covariance is estimated on at most this many floats of training data (rows x dimensions). */
    private static final long COVARIANCE_FLOATS = 16L << 20;

    private final int inputDimensions;
    private final int outputDimensions;
    /** Column-major: {@code columns[d * D' + r] * scales[r]} is row r's coefficient of input dimension d. */
    private final short[] columns;
    /** Per output direction: the largest coefficient's magnitude / 32,767 (NaN when the direction is not finite). */
    private final float[] scales;
    private final float varianceKept;
    private final PqKernels kernels;

    PcaRotation(int inputDimensions, int outputDimensions, float[] matrix, float varianceKept) {
        if (matrix.length != inputDimensions * outputDimensions) {
            throw new IllegalArgumentException("rotation matrix of " + matrix.length + " floats for "
                    + outputDimensions + " x " + inputDimensions);
        }
        this.inputDimensions = inputDimensions;
        this.outputDimensions = outputDimensions;
        this.columns = new short[matrix.length];
        this.scales = new float[outputDimensions];
        for (int r = 0; r < outputDimensions; r++) {
            float max = 0f;
            for (int d = 0; d < inputDimensions; d++) {
                float v = matrix[r * inputDimensions + d];
                max = Float.isFinite(v) ? Math.max(max, Math.abs(v)) : Float.NaN;
                if (Float.isNaN(max)) {
                    break;
                }
            }
            if (!(max > 0f)) { // zero or non-finite: the coefficients stay 0, the scale says which
                scales[r] = Float.isNaN(max) ? Float.NaN : 0f;
                continue;
            }
            float scale = max / Short.MAX_VALUE;
            scales[r] = scale;
            for (int d = 0; d < inputDimensions; d++) {
                // clamped: with a subnormal scale (a direction of tiny values, from a crafted file) the quotient can
                // pass 32,767 and would wrap
                int v = Math.round(matrix[r * inputDimensions + d] / scale);
                columns[d * outputDimensions + r] = (short) Math.max(-Short.MAX_VALUE, Math.min(Short.MAX_VALUE, v));
            }
        }
        this.varianceKept = varianceKept;
        this.kernels = PqKernels.get();
    }

    /**
     * Learns the projection from {@code samples} centred training rows ({@code training}, row-major,
     * {@code dims} floats each).
     *
     * @param keep   D': directions kept (1..dims)
     * @param chunks M: the balanced split of D' the directions are dealt to
     */
    static PcaRotation train(float[] training, int samples, int dims, int keep, int chunks, int threads) {
        if (keep < chunks || keep > dims) {
            throw new IllegalArgumentException("rotated dimensions must be in " + chunks + ".." + dims
                    + " (at least one per chunk, at most the vector's " + dims + "), got " + keep);
        }
        double[][] eigen = principalDirections(training, samples, dims, threads);
        double[] values = eigen[0];
        double total = 0;
        for (double v : values) {
            total += Math.max(v, 0);
        }
        int[] offsets = ProductQuantizer.chunkOffsets(keep, chunks);
        int[] order = allocate(values, keep, offsets);
        float[] matrix = new float[keep * dims];
        double kept = 0;
        for (int row = 0; row < keep; row++) {
            int direction = order[row];
            kept += Math.max(values[direction], 0);
            double[] v = eigen[1 + direction];
            for (int d = 0; d < dims; d++) {
                matrix[row * dims + d] = (float) v[d];
            }
        }
        return new PcaRotation(dims, keep, matrix, total > 0 ? (float) (kept / total) : 1f);
    }

    /**
     * {eigenvalues sorted descending, then one unit eigenvector per value}, of the covariance of at most
     * {@link #COVARIANCE_FLOATS} floats' worth of training rows (evenly strided through the sample).
     */
    private static double[][] principalDirections(float[] training, int samples, int dims, int threads) {
        int rows = (int) Math.max(Math.min(samples, COVARIANCE_FLOATS / dims), Math.min(samples, 4L * dims));
        // transposed: one contiguous run per dimension, so each covariance entry is one SIMD dot product
        float[] columns = new float[rows * dims];
        for (int r = 0; r < rows; r++) {
            int source = (int) ((long) r * samples / rows);
            for (int d = 0; d < dims; d++) {
                columns[d * rows + r] = training[source * dims + d];
            }
        }
        DistanceKernels kernels = SimdSupport.kernels();
        double[] covariance = new double[dims * dims];
        Workers.forEach("diskann-pq-pca", threads, dims, 4, () -> null, (unused, i) -> {
            for (int j = i; j < dims; j++) {
                double c = kernels.dotProductF32(columns, i * rows, columns, j * rows, rows) / (double) rows;
                covariance[i * dims + j] = c;
                covariance[j * dims + i] = c;
            }
        });
        SymmetricEigen eigen = SymmetricEigen.decompose(covariance, dims);
        double[][] out = new double[1 + dims][];
        out[0] = eigen.values;
        System.arraycopy(eigen.vectors, 0, out, 1, dims);
        return out;
    }

    /**
     * Eigenvalue allocation: directions taken strongest first, each dealt to the chunk (with room left)
     * whose product of eigenvalues so far is smallest, so every chunk ends with a similar share of the
     * variance. Returns, for each output row (chunk by chunk), the index of its direction.
     */
    static int[] allocate(double[] sortedValues, int keep, int[] offsets) {
        int chunks = offsets.length - 1;
        double floor = Math.max(sortedValues[keep - 1], sortedValues[0] * 1e-9);
        if (!(floor > 0)) {
            floor = Double.MIN_NORMAL;
        }
        double[] logProduct = new double[chunks];
        int[] filled = new int[chunks];
        int[][] members = new int[chunks][];
        for (int m = 0; m < chunks; m++) {
            members[m] = new int[offsets[m + 1] - offsets[m]];
        }
        for (int k = 0; k < keep; k++) {
            int best = -1;
            for (int m = 0; m < chunks; m++) {
                if (filled[m] < members[m].length && (best < 0 || logProduct[m] < logProduct[best])) {
                    best = m;
                }
            }
            members[best][filled[best]++] = k;
            // relative to the weakest kept direction, so every log is >= 0 and an empty chunk comes first
            logProduct[best] += Math.log(Math.max(sortedValues[k], floor) / floor);
        }
        int[] order = new int[keep];
        int row = 0;
        for (int[] chunk : members) {
            for (int k : chunk) {
                order[row++] = k;
            }
        }
        return order;
    }

    int inputDimensions() {
        return inputDimensions;
    }

    int outputDimensions() {
        return outputDimensions;
    }

    /**
     * The matrix row-major ({@code D' x D}), as the PQ file stores it, from the 16-bit coefficients (a file written
     * from it and read back holds the same coefficients); a new array.
     */
    float[] matrix() {
        float[] rows = new float[columns.length];
        for (int d = 0; d < inputDimensions; d++) {
            for (int r = 0; r < outputDimensions; r++) {
                rows[r * inputDimensions + d] = columns[d * outputDimensions + r] * scales[r];
            }
        }
        return rows;
    }

    /** Share of the training variance in the kept directions (1 when all are kept). */
    float varianceKept() {
        return varianceKept;
    }

    /**
     * {@code out[outOff + r] = row r . x[xOff ..]}, as one column-major matrix-vector product
     * ({@link PqKernels#project}); {@code out} must not overlap {@code x[xOff .. xOff + D)}.
     */
    void apply(float[] x, int xOff, float[] out, int outOff) {
        kernels.project(x, xOff, inputDimensions, columns, scales, outputDimensions, out, outOff);
    }

    /** {@code out = P^T y}: back from the rotated space (exact inverse only when all directions are kept). */
    void applyTransposed(float[] y, float[] out) {
        for (int d = 0; d < inputDimensions; d++) {
            float sum = 0f;
            int column = d * outputDimensions;
            for (int r = 0; r < outputDimensions; r++) {
                sum += y[r] * (columns[column + r] * scales[r]);
            }
            out[d] = sum;
        }
    }

    long bytes() {
        return (long) columns.length * Short.BYTES + (long) scales.length * Float.BYTES;
    }
}
