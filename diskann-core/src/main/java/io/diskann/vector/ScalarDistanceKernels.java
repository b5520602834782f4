package io.diskann.vector;

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
}
