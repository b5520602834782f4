package io.diskann.vector;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class DistancesTest {

    @Test
    void dimensionMismatchNamesBothDimensions() {
        var e = assertThrows(IllegalArgumentException.class,
                () -> Distances.distance(Metric.L2, new float[3], new float[5]));
        assertTrue(e.getMessage().contains("3") && e.getMessage().contains("5"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Distances.distanceU8(Metric.L2, new byte[4], new byte[2]));
        assertThrows(IllegalArgumentException.class, () -> Distances.distanceI8(Metric.COSINE, new byte[1], new byte[2]));
        assertThrows(IllegalArgumentException.class, () -> Distances.distanceF16(Metric.INNER_PRODUCT, new float[1], new short[2]));
    }

    @Test
    void cosineOfZeroVectorIsOne() {
        float[] zero = new float[17];
        float[] x = new float[17];
        x[3] = 2f;
        for (DistanceKernels k : new DistanceKernels[] {SimdSupport.scalar(), SimdSupport.kernels()}) {
            assertEquals(1f, k.cosineDistanceF32(zero, 0, x, 0, 17), k.name());
            assertEquals(1f, k.cosineDistanceF32(zero, 0, zero, 0, 17), k.name());
            assertEquals(1f, k.cosineDistanceU8(new byte[33], 0, new byte[33], 0, 33), k.name());
            assertEquals(1f, k.cosineDistanceI8(new byte[33], 0, new byte[33], 0, 33), k.name());
            assertEquals(1f, k.cosineDistanceF16(zero, 0, new short[17], 0, 17), k.name());
        }
    }

    @Test
    void metricsFollowTheirFormulas() {
        float[] a = {1, 2, 3};
        float[] b = {4, -5, 6};
        assertEquals(9 + 49 + 9, Distances.distance(Metric.L2, a, b), 1e-5);
        assertEquals(-(4 - 10 + 18), Distances.distance(Metric.INNER_PRODUCT, a, b), 1e-5);
        double cos = 12 / (Math.sqrt(14) * Math.sqrt(77));
        assertEquals(1 - cos, Distances.distance(Metric.COSINE, a, b), 1e-6);
        assertEquals(0f, Distances.distance(Metric.COSINE, a, new float[] {2, 4, 6}), 1e-6);
    }

    @Test
    void parsesNames() {
        assertEquals(Metric.INNER_PRODUCT, Metric.parse("IP"));
        assertEquals(VectorType.U8, VectorType.parse("uint8"));
        var e = assertThrows(IllegalArgumentException.class, () -> Metric.parse("hamming"));
        assertTrue(e.getMessage().contains("hamming"));
    }

    @Test
    void storesRejectBadComponentsAndRoundTrip() {
        for (VectorType t : VectorType.values()) {
            VectorStore s = VectorStore.create(t, 3, 1);
            s.ensureCapacity(5);
            assertTrue(s.capacity() >= 5);
            s.set(4, new float[] {1, 2, 3});
            float[] out = new float[3];
            s.get(4, out);
            assertEquals(2f, out[1], t.name());
            assertThrows(IllegalArgumentException.class, () -> s.set(0, new float[] {1, Float.NaN, 3}), t.name());
            assertThrows(IllegalArgumentException.class, () -> s.set(0, new float[] {1, 2}), t.name());
            QueryScorer q = s.scorer(Metric.L2);
            q.setQuery(new float[] {1, 2, 4});
            assertEquals(1f, q.score(4), 1e-3, t.name());
        }
        VectorStore u8 = VectorStore.create(VectorType.U8, 2, 1);
        assertThrows(IllegalArgumentException.class, () -> u8.set(0, new float[] {256, 0}));
        assertThrows(IllegalArgumentException.class, () -> u8.set(0, new float[] {1.5f, 0}));
        VectorStore i8 = VectorStore.create(VectorType.I8, 2, 1);
        assertThrows(IllegalArgumentException.class, () -> i8.set(0, new float[] {-129, 0}));
        VectorStore f16 = VectorStore.create(VectorType.F16, 2, 1);
        assertThrows(IllegalArgumentException.class, () -> f16.set(0, new float[] {70000, 0}));
    }
}
