package io.diskann.vector;

import java.lang.foreign.MemorySegment;
/**
 * Plain-Java distance kernels: the reference every SIMD kernel is tested against, and the fallback when
 * the Vector API is unavailable (no {@code --add-modules jdk.incubator.vector}, or C2 disabled).
 *
 * <p>Deliberately simple loops with one accumulator, so that they are obviously right. F16 values are
 * decoded with {@link Float#float16ToFloat}, which C2 intrinsifies.
 */
final class ScalarDistanceKernels implements DistanceKernels {

    static final ScalarDistanceKernels INSTANCE = new ScalarDistanceKernels();

    private ScalarDistanceKernels() {
    }

    @Override
    public String name() {
        return "scalar";
    }

    @Override
    public int widthBits() {
        return 0;
    }

    @Override
    public float squareDistanceF32(float[] a, int aOffset, float[] b, int bOffset, int dim) {
        float sum = 0f;
        for (int i = 0; i < dim; i++) {
            float d = a[aOffset + i] - b[bOffset + i];
            sum += d * d;
        }
        return sum;
    }

    @Override
    public float dotProductF32(float[] a, int aOffset, float[] b, int bOffset, int dim) {
        float sum = 0f;
        for (int i = 0; i < dim; i++) {
            sum += a[aOffset + i] * b[bOffset + i];
        }
        return sum;
    }

    @Override
    public float cosineDistanceF32(float[] a, int aOffset, float[] b, int bOffset, int dim) {
        float dot = 0f;
        float na = 0f;
        float nb = 0f;
        for (int i = 0; i < dim; i++) {
            float x = a[aOffset + i];
            float y = b[bOffset + i];
            dot += x * y;
            na += x * x;
            nb += y * y;
        }
        return Metric.cosineDistance(dot, na, nb);
    }

    @Override
    public float squareDistanceF16(float[] query, int queryOffset, short[] b, int bOffset, int dim) {
        float sum = 0f;
        for (int i = 0; i < dim; i++) {
            float d = query[queryOffset + i] - Float.float16ToFloat(b[bOffset + i]);
            sum += d * d;
        }
        return sum;
    }

    @Override
    public float dotProductF16(float[] query, int queryOffset, short[] b, int bOffset, int dim) {
        float sum = 0f;
        for (int i = 0; i < dim; i++) {
            sum += query[queryOffset + i] * Float.float16ToFloat(b[bOffset + i]);
        }
        return sum;
    }

    @Override
    public float cosineDistanceF16(float[] query, int queryOffset, short[] b, int bOffset, int dim) {
        float dot = 0f;
        float na = 0f;
        float nb = 0f;
        for (int i = 0; i < dim; i++) {
            float x = query[queryOffset + i];
            float y = Float.float16ToFloat(b[bOffset + i]);
            dot += x * y;
            na += x * x;
            nb += y * y;
        }
        return Metric.cosineDistance(dot, na, nb);
    }

    @Override
    public int squareDistanceI8(byte[] a, int aOffset, byte[] b, int bOffset, int dim) {
        int sum = 0;
        for (int i = 0; i < dim; i++) {
            int d = a[aOffset + i] - b[bOffset + i];
            sum += d * d;
        }
        return sum;
    }

    @Override
    public int dotProductI8(byte[] a, int aOffset, byte[] b, int bOffset, int dim) {
        int sum = 0;
        for (int i = 0; i < dim; i++) {
            sum += a[aOffset + i] * b[bOffset + i];
        }
        return sum;
    }

    @Override
    public float cosineDistanceI8(byte[] a, int aOffset, byte[] b, int bOffset, int dim) {
        int dot = 0;
        int na = 0;
        int nb = 0;
        for (int i = 0; i < dim; i++) {
            int x = a[aOffset + i];
            int y = b[bOffset + i];
            dot += x * y;
            na += x * x;
            nb += y * y;
        }
        return Metric.cosineDistance(dot, na, nb);
    }

    @Override
    public int squareDistanceU8(byte[] a, int aOffset, byte[] b, int bOffset, int dim) {
        int sum = 0;
        for (int i = 0; i < dim; i++) {
            int d = (a[aOffset + i] & 0xFF) - (b[bOffset + i] & 0xFF);
            sum += d * d;
        }
        return sum;
    }

    @Override
    public int dotProductU8(byte[] a, int aOffset, byte[] b, int bOffset, int dim) {
        int sum = 0;
        for (int i = 0; i < dim; i++) {
            sum += (a[aOffset + i] & 0xFF) * (b[bOffset + i] & 0xFF);
        }
        return sum;
    }

    @Override
    public float cosineDistanceU8(byte[] a, int aOffset, byte[] b, int bOffset, int dim) {
        int dot = 0;
        int na = 0;
        int nb = 0;
        for (int i = 0; i < dim; i++) {
            int x = a[aOffset + i] & 0xFF;
            int y = b[bOffset + i] & 0xFF;
            dot += x * y;
            na += x * x;
            nb += y * y;
        }
        return Metric.cosineDistance(dot, na, nb);
    }

    // ---------------------------------------------------------------- query array x stored segment

    @Override
    public float squareDistanceF32(float[] q, int qOffset, MemorySegment b, long bOffset, int dim) {
        return ScalarSegmentKernels.squareDistanceF32(q, qOffset, b, bOffset, dim);
    }

    @Override
    public float dotProductF32(float[] q, int qOffset, MemorySegment b, long bOffset, int dim) {
        return ScalarSegmentKernels.dotProductF32(q, qOffset, b, bOffset, dim);
    }

    @Override
    public float cosineDistanceF32(float[] q, int qOffset, MemorySegment b, long bOffset, int dim) {
        return ScalarSegmentKernels.cosineDistanceF32(q, qOffset, b, bOffset, dim);
    }

    @Override
    public float squareDistanceF16(float[] q, int qOffset, MemorySegment b, long bOffset, int dim) {
        return ScalarSegmentKernels.squareDistanceF16(q, qOffset, b, bOffset, dim);
    }

    @Override
    public float dotProductF16(float[] q, int qOffset, MemorySegment b, long bOffset, int dim) {
        return ScalarSegmentKernels.dotProductF16(q, qOffset, b, bOffset, dim);
    }

    @Override
    public float cosineDistanceF16(float[] q, int qOffset, MemorySegment b, long bOffset, int dim) {
        return ScalarSegmentKernels.cosineDistanceF16(q, qOffset, b, bOffset, dim);
    }

    @Override
    public int squareDistanceI8(byte[] q, int qOffset, MemorySegment b, long bOffset, int dim) {
        return ScalarSegmentKernels.squareDistanceI8(q, qOffset, b, bOffset, dim);
    }

    @Override
    public int dotProductI8(byte[] q, int qOffset, MemorySegment b, long bOffset, int dim) {
        return ScalarSegmentKernels.dotProductI8(q, qOffset, b, bOffset, dim);
    }

    @Override
    public float cosineDistanceI8(byte[] q, int qOffset, MemorySegment b, long bOffset, int dim) {
        return ScalarSegmentKernels.cosineDistanceI8(q, qOffset, b, bOffset, dim);
    }

    @Override
    public int squareDistanceU8(byte[] q, int qOffset, MemorySegment b, long bOffset, int dim) {
        return ScalarSegmentKernels.squareDistanceU8(q, qOffset, b, bOffset, dim);
    }

    @Override
    public int dotProductU8(byte[] q, int qOffset, MemorySegment b, long bOffset, int dim) {
        return ScalarSegmentKernels.dotProductU8(q, qOffset, b, bOffset, dim);
    }

    @Override
    public float cosineDistanceU8(byte[] q, int qOffset, MemorySegment b, long bOffset, int dim) {
        return ScalarSegmentKernels.cosineDistanceU8(q, qOffset, b, bOffset, dim);
    }

    @Override
    public int quantize(float[] x, float offset, float step, float lo, float hi, byte[] out, int dim) {
        return quantizeScalar(x, 0, offset, step, lo, hi, out, dim);
    }

    /** {@link #quantize} from component {@code from} on: the reference, and the vector kernel's tail. */
    static int quantizeScalar(float[] x, int from, float offset, float step, float lo, float hi, byte[] out, int dim) {
        boolean exact = true;
        for (int i = from; i < dim; i++) {
            float v = x[i];
            if (!Float.isFinite(v)) {
                return -1;
            }
            float c = (v - offset) / step;
            // clip before rounding: huge values must not overflow an int
            int code = c <= lo ? (int) lo : c >= hi ? (int) hi : Math.round(c);
            exact &= offset + step * code == v;
            out[i] = (byte) code;
        }
        return exact ? 1 : 0;
    }
}
