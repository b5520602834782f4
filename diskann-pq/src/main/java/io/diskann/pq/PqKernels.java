package io.diskann.pq;

import io.diskann.vector.SimdSupport;

/**
 * The inner loops of product quantization, with a scalar and a Vector-API implementation chosen once
 * per JVM (the same switch as the distance kernels: {@code -Ddiskann.simd=scalar} forces scalar code).
 *
 * <p>Centroids of a chunk are stored transposed, {@code [dimension][256]}, so building the 256 distances
 * from one sub-vector to every centroid is a run of full-width vector operations across centroids, the
 * layout FAISS uses for its distance tables. The same loop serves k-means assignment, encoding and the
 * per-query ADC table.
 */
interface PqKernels {

    int K = PqParams.CENTROIDS;

    /** {@code out[outOff + j] = sum_d (x[xOff + d] - cT[cOff + d*256 + j])^2} for j in 0..255. */
    void squareDistances(float[] x, int xOff, int dims, float[] cT, int cOff, float[] out, int outOff);

    /** {@code out[outOff + j] = -sum_d x[xOff + d] * cT[cOff + d*256 + j]} for j in 0..255. */
    void negativeDots(float[] x, int xOff, int dims, float[] cT, int cOff, float[] out, int outOff);

    /**
     * Matrix-vector product with a column-major matrix of 16-bit coefficients and one scale per output:
     * {@code out[outOff + r] = scales[r] * sum_d x[xOff + d] * q[d * outDims + r]} for r in 0..outDims-1.
     * Column-major so the sum runs across outputs in vector registers, with no per-output reduction (the
     * rotation's projection of a query or vector; {@link PcaRotation} says why 16 bits).
     */
    void project(float[] x, int xOff, int dims, short[] q, float[] scales, int outDims, float[] out, int outOff);

    /** Index of the smallest of {@code a[off .. off+256)} (the first one on ties). */
    int argmin256(float[] a, int off);

    /**
     * ADC: {@code sum_m table[m*256 + (codes[off + m] & 0xFF)]} over {@code m} in 0..chunks-1.
     * {@code scratch} (at least {@link #SCRATCH} ints, owned by the caller) holds gather indices.
     */
    float lookup(float[] table, byte[] codes, int off, int chunks, int[] scratch);

    /** Length of the scratch {@link #lookup} needs. */
    int SCRATCH = 64;

    String name();

    /** The kernels this JVM uses: Vector API where {@link SimdSupport} enabled it, scalar otherwise. */
    static PqKernels get() {
        return Holder.KERNELS;
    }

    /** Scalar kernels, always available (tests compare the two). */
    static PqKernels scalar() {
        return ScalarPqKernels.INSTANCE;
    }

    final class Holder {
        static final PqKernels KERNELS = SimdSupport.kernels().widthBits() > 0
                ? PanamaPqKernels.create() : ScalarPqKernels.INSTANCE;

        private Holder() {
        }
    }
}
