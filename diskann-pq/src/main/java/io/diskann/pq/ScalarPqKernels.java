package io.diskann.pq;

/** Plain-Java {@link PqKernels}: the reference the Vector-API kernels are tested against. */
final class ScalarPqKernels implements PqKernels {

    static final ScalarPqKernels INSTANCE = new ScalarPqKernels();

    private ScalarPqKernels() {
    }

    @Override
    public void squareDistances(float[] x, int xOff, int dims, float[] cT, int cOff, float[] out, int outOff) {
        java.util.Arrays.fill(out, outOff, outOff + K, 0f);
        for (int d = 0; d < dims; d++) {
            float v = x[xOff + d];
            int row = cOff + d * K;
            for (int j = 0; j < K; j++) {
                float diff = v - cT[row + j];
                out[outOff + j] += diff * diff;
            }
        }
    }

    @Override
    public void negativeDots(float[] x, int xOff, int dims, float[] cT, int cOff, float[] out, int outOff) {
        java.util.Arrays.fill(out, outOff, outOff + K, 0f);
        for (int d = 0; d < dims; d++) {
            float v = x[xOff + d];
            int row = cOff + d * K;
            for (int j = 0; j < K; j++) {
                out[outOff + j] -= v * cT[row + j];
            }
        }
    }

    @Override
    public void project(float[] x, int xOff, int dims, short[] q, float[] scales, int outDims, float[] out, int outOff) {
        java.util.Arrays.fill(out, outOff, outOff + outDims, 0f);
        for (int d = 0; d < dims; d++) {
            float v = x[xOff + d];
            int row = d * outDims;
            for (int r = 0; r < outDims; r++) {
                out[outOff + r] += v * q[row + r];
            }
        }
        for (int r = 0; r < outDims; r++) {
            out[outOff + r] *= scales[r];
        }
    }

    @Override
    public int argmin256(float[] a, int off) {
        int best = 0;
        float bestValue = a[off];
        for (int j = 1; j < K; j++) {
            if (a[off + j] < bestValue) {
                bestValue = a[off + j];
                best = j;
            }
        }
        return best;
    }

    @Override
    public float lookup(float[] table, byte[] codes, int off, int chunks, int[] scratch) {
        // four partial sums break the add chain so loads of consecutive chunks overlap
        float s0 = 0f;
        float s1 = 0f;
        float s2 = 0f;
        float s3 = 0f;
        int m = 0;
        for (; m + 3 < chunks; m += 4) {
            s0 += table[(m << 8) + (codes[off + m] & 0xFF)];
            s1 += table[((m + 1) << 8) + (codes[off + m + 1] & 0xFF)];
            s2 += table[((m + 2) << 8) + (codes[off + m + 2] & 0xFF)];
            s3 += table[((m + 3) << 8) + (codes[off + m + 3] & 0xFF)];
        }
        for (; m < chunks; m++) {
            s0 += table[(m << 8) + (codes[off + m] & 0xFF)];
        }
        return (s0 + s1) + (s2 + s3);
    }

    @Override
    public String name() {
        return "scalar";
    }
}
