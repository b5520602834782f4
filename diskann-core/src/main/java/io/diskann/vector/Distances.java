package io.diskann.vector;

/**
 * Whole-vector distances with argument checks, for callers outside the hot path (tests, tools, users
 * who want one distance). Each method validates that both vectors have the same dimension and then
 * delegates to {@link SimdSupport#kernels()}.
 */
public final class Distances {

    private Distances() {
    }

    /**
     * Distance between two float vectors under {@code metric} (see {@link Metric} for formulas).
     *
     * @param metric the metric
     * @param a first vector
     * @param b second vector, of the same dimension
     * @return the distance (smaller is closer)
     * @throws IllegalArgumentException if the dimensions differ
     */
    public static float distance(Metric metric, float[] a, float[] b) {
        checkSameDimension(a.length, b.length);
        return f32(SimdSupport.kernels(), metric, a, 0, b, 0, a.length);
    }

    /**
     * Distance between two signed 8-bit vectors under {@code metric}.
     *
     * @param metric the metric
     * @param a first vector
     * @param b second vector, of the same dimension
     * @return the distance (smaller is closer)
     * @throws IllegalArgumentException if the dimensions differ
     */
    public static float distanceI8(Metric metric, byte[] a, byte[] b) {
        checkSameDimension(a.length, b.length);
        return i8(SimdSupport.kernels(), metric, a, 0, b, 0, a.length);
    }

    /**
     * Distance between two unsigned 8-bit vectors under {@code metric}.
     *
     * @param metric the metric
     * @param a first vector, bytes read as 0..255
     * @param b second vector, of the same dimension
     * @return the distance (smaller is closer)
     * @throws IllegalArgumentException if the dimensions differ
     */
    public static float distanceU8(Metric metric, byte[] a, byte[] b) {
        checkSameDimension(a.length, b.length);
        return u8(SimdSupport.kernels(), metric, a, 0, b, 0, a.length);
    }

    /**
     * Distance between a float query and a binary16 vector under {@code metric}.
     *
     * @param metric the metric
     * @param query the float query
     * @param b the binary16 bit patterns of the other vector, of the same dimension
     * @return the distance (smaller is closer)
     * @throws IllegalArgumentException if the dimensions differ
     */
    public static float distanceF16(Metric metric, float[] query, short[] b) {
        checkSameDimension(query.length, b.length);
        return f16(SimdSupport.kernels(), metric, query, 0, b, 0, query.length);
    }

    /**
     * Throws unless the two dimensions match.
     *
     * @param first one dimension
     * @param second the other dimension
     * @throws IllegalArgumentException naming both dimensions
     */
    public static void checkSameDimension(int first, int second) {
        if (first != second) {
            throw new IllegalArgumentException("dimension mismatch: " + first + " != " + second);
        }
    }

    static float f32(DistanceKernels k, Metric m, float[] a, int ao, float[] b, int bo, int dim) {
        return switch (m) {
            case L2 -> k.squareDistanceF32(a, ao, b, bo, dim);
            case INNER_PRODUCT -> -k.dotProductF32(a, ao, b, bo, dim);
            case COSINE -> k.cosineDistanceF32(a, ao, b, bo, dim);
        };
    }

    static float f16(DistanceKernels k, Metric m, float[] q, int qo, short[] b, int bo, int dim) {
        return switch (m) {
            case L2 -> k.squareDistanceF16(q, qo, b, bo, dim);
            case INNER_PRODUCT -> -k.dotProductF16(q, qo, b, bo, dim);
            case COSINE -> k.cosineDistanceF16(q, qo, b, bo, dim);
        };
    }

    static float i8(DistanceKernels k, Metric m, byte[] a, int ao, byte[] b, int bo, int dim) {
        return switch (m) {
            case L2 -> k.squareDistanceI8(a, ao, b, bo, dim);
            case INNER_PRODUCT -> -k.dotProductI8(a, ao, b, bo, dim);
            case COSINE -> k.cosineDistanceI8(a, ao, b, bo, dim);
        };
    }

    static float u8(DistanceKernels k, Metric m, byte[] a, int ao, byte[] b, int bo, int dim) {
        return switch (m) {
            case L2 -> k.squareDistanceU8(a, ao, b, bo, dim);
            case INNER_PRODUCT -> -k.dotProductU8(a, ao, b, bo, dim);
            case COSINE -> k.cosineDistanceU8(a, ao, b, bo, dim);
        };
    }
}
