package io.diskann.vector;

import java.lang.foreign.MemorySegment;

/**
 * The scalar reference of the query-array x stored-segment kernels ({@link DistanceKernels}): the same
 * one-accumulator loops as {@link ScalarDistanceKernels}, reading the stored operand from a
 * little-endian {@link MemorySegment}. Static so both kernel implementations can share the tails.
 */
final class ScalarSegmentKernels {

    private ScalarSegmentKernels() {
    }

    static float squareDistanceF32(float[] q, int qo, MemorySegment b, long bo, int dim) {
        float sum = 0f;
        for (int i = 0; i < dim; i++) {
            float d = q[qo + i] - b.get(RowLayouts.F32, bo + 4L * i);
            sum += d * d;
        }
        return sum;
    }

    static float dotProductF32(float[] q, int qo, MemorySegment b, long bo, int dim) {
        float sum = 0f;
        for (int i = 0; i < dim; i++) {
            sum += q[qo + i] * b.get(RowLayouts.F32, bo + 4L * i);
        }
        return sum;
    }

    static float cosineDistanceF32(float[] q, int qo, MemorySegment b, long bo, int dim) {
        float dot = 0f;
        float na = 0f;
        float nb = 0f;
        for (int i = 0; i < dim; i++) {
            float x = q[qo + i];
            float y = b.get(RowLayouts.F32, bo + 4L * i);
            dot += x * y;
            na += x * x;
            nb += y * y;
        }
        return Metric.cosineDistance(dot, na, nb);
    }

    static float squareDistanceF16(float[] q, int qo, MemorySegment b, long bo, int dim) {
        float sum = 0f;
        for (int i = 0; i < dim; i++) {
            float d = q[qo + i] - Float.float16ToFloat(b.get(RowLayouts.F16, bo + 2L * i));
            sum += d * d;
        }
        return sum;
    }

    static float dotProductF16(float[] q, int qo, MemorySegment b, long bo, int dim) {
        float sum = 0f;
        for (int i = 0; i < dim; i++) {
            sum += q[qo + i] * Float.float16ToFloat(b.get(RowLayouts.F16, bo + 2L * i));
        }
        return sum;
    }

    static float cosineDistanceF16(float[] q, int qo, MemorySegment b, long bo, int dim) {
        float dot = 0f;
        float na = 0f;
        float nb = 0f;
        for (int i = 0; i < dim; i++) {
            float x = q[qo + i];
            float y = Float.float16ToFloat(b.get(RowLayouts.F16, bo + 2L * i));
            dot += x * y;
            na += x * x;
            nb += y * y;
        }
        return Metric.cosineDistance(dot, na, nb);
    }

    static int squareDistanceI8(byte[] q, int qo, MemorySegment b, long bo, int dim) {
        int sum = 0;
        for (int i = 0; i < dim; i++) {
            int d = q[qo + i] - b.get(RowLayouts.I8, bo + i);
            sum += d * d;
        }
        return sum;
    }

    static int dotProductI8(byte[] q, int qo, MemorySegment b, long bo, int dim) {
        int sum = 0;
        for (int i = 0; i < dim; i++) {
            sum += q[qo + i] * b.get(RowLayouts.I8, bo + i);
        }
        return sum;
    }

    static float cosineDistanceI8(byte[] q, int qo, MemorySegment b, long bo, int dim) {
        int dot = 0;
        int na = 0;
        int nb = 0;
        for (int i = 0; i < dim; i++) {
            int x = q[qo + i];
            int y = b.get(RowLayouts.I8, bo + i);
            dot += x * y;
            na += x * x;
            nb += y * y;
        }
        return Metric.cosineDistance(dot, na, nb);
    }

    static int squareDistanceU8(byte[] q, int qo, MemorySegment b, long bo, int dim) {
        int sum = 0;
        for (int i = 0; i < dim; i++) {
            int d = (q[qo + i] & 0xFF) - (b.get(RowLayouts.I8, bo + i) & 0xFF);
            sum += d * d;
        }
        return sum;
    }

    static int dotProductU8(byte[] q, int qo, MemorySegment b, long bo, int dim) {
        int sum = 0;
        for (int i = 0; i < dim; i++) {
            sum += (q[qo + i] & 0xFF) * (b.get(RowLayouts.I8, bo + i) & 0xFF);
        }
        return sum;
    }

    static float cosineDistanceU8(byte[] q, int qo, MemorySegment b, long bo, int dim) {
        int dot = 0;
        int na = 0;
        int nb = 0;
        for (int i = 0; i < dim; i++) {
            int x = q[qo + i] & 0xFF;
            int y = b.get(RowLayouts.I8, bo + i) & 0xFF;
            dot += x * y;
            na += x * x;
            nb += y * y;
        }
        return Metric.cosineDistance(dot, na, nb);
    }
}
