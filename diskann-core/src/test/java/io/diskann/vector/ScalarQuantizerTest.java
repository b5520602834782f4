package io.diskann.vector;

import io.diskann.testing.TestSeeds;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Fitting, encoding and the scaled 8-bit distances against the distances of the vectors themselves. */
class ScalarQuantizerTest {

    @Test
    void pixelDataIsEncodedExactly() {
        // Fashion-MNIST-like: integers 0..255, both ends present
        Random r = TestSeeds.random(1);
        int d = 64;
        float[] sample = new float[1000 * d];
        for (int i = 0; i < sample.length; i++) {
            sample[i] = r.nextInt(10) < 4 ? 0 : r.nextInt(256);
        }
        sample[5] = 255;
        sample[6] = 255;
        ScalarQuantizer q = ScalarQuantizer.fit(Metric.L2, sample.clone(), sample.length, d);
        assertFalse(q.signed());
        for (int v = 0; v <= 255; v++) {
            assertEquals(v, q.decode(q.encode(v)), 1e-3f, "pixel " + v);
        }
    }

    @Test
    void roundTripErrorIsHalfAStepInsideTheRangeAndClippedOutside() {
        ScalarQuantizer q = new ScalarQuantizer(false, -2f, 0.5f);
        Random r = TestSeeds.random(2);
        for (int i = 0; i < 10_000; i++) {
            float x = -2f + r.nextFloat() * 127.5f;
            assertTrue(Math.abs(q.decode(q.encode(x)) - x) <= 0.25f + 1e-5f, "x = " + x);
        }
        assertEquals(0, q.encode(-1e30f));
        assertEquals(255, q.encode(1e30f));
        assertEquals(q.encode(0f), q.encode(Float.NaN), "non-finite components encode as 0");
        ScalarQuantizer s = new ScalarQuantizer(true, 0f, 0.1f);
        assertEquals(-127, s.encode(-1e9f));
        assertEquals(127, s.encode(1e9f));
        assertEquals(0, s.encode(Float.POSITIVE_INFINITY), "non-finite components encode as 0");
        assertEquals(-3, s.encode(-0.3f));
    }

    @Test
    void outliersDoNotSpendTheRange() {
        int d = 100;
        float[] sample = new float[5000 * d];
        Random r = TestSeeds.random(3);
        for (int i = 0; i < sample.length; i++) {
            sample[i] = (float) r.nextGaussian();
        }
        sample[17] = 1e6f;
        ScalarQuantizer q = ScalarQuantizer.fit(Metric.INNER_PRODUCT, sample, sample.length, d);
        assertTrue(q.signed());
        assertTrue(q.step() * 127 < 10, "one huge component must not set the range: step " + q.step());
    }

    @Test
    void rejectsBadQuantizers() {
        assertThrows(IllegalArgumentException.class, () -> new ScalarQuantizer(false, 0f, 0f));
        assertThrows(IllegalArgumentException.class, () -> new ScalarQuantizer(false, Float.NaN, 1f));
        assertThrows(IllegalArgumentException.class, () -> new ScalarQuantizer(true, 1f, 1f));
        assertThrows(IllegalArgumentException.class, () -> new ScalarQuantizer(false, 0f, Float.POSITIVE_INFINITY));
    }

    @Test
    void degenerateDataGetsAUsableStep() {
        float[] same = new float[3 * 8];
        java.util.Arrays.fill(same, 4f);
        ScalarQuantizer q = ScalarQuantizer.fit(Metric.L2, same, same.length, 8);
        assertEquals(4f, q.decode(q.encode(4f)), 0f);
        assertEquals(1f, ScalarQuantizer.fit(Metric.COSINE, new float[8], 0, 8).step());
    }

    /**
     * The scaled 8-bit distance is the distance between the decoded vectors (what the codes stand for),
     * at every awkward dimension, and decoding is off by at most half a step inside the fitted range.
     */
    @ParameterizedTest
    @EnumSource(Metric.class)
    void scaledCodeDistancesAreDistancesOfTheDecodedVectors(Metric metric) {
        for (int d : new int[] {1, 3, 15, 17, 127, 129, 784, 1000}) {
            Random r = TestSeeds.random(d);
            int n = 50;
            VectorStore exact = VectorStore.create(VectorType.F32, d, n);
            float[][] v = new float[n][d];
            int[] ordinals = new int[n];
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < d; j++) {
                    v[i][j] = (float) (r.nextGaussian() + 0.5);
                }
                exact.set(i, v[i]);
                ordinals[i] = i;
            }
            ScalarQuantizer sq = ScalarQuantizer.fit(metric, exact, ordinals, n);
            VectorStore decodedStore = VectorStore.create(VectorType.F32, d, n);
            try (QuantizedVectors codes = new QuantizedVectors(sq, d, n)) {
                float[] decoded = new float[d];
                for (int i = 0; i < n; i++) {
                    codes.set(i, v[i]);
                    codes.get(i, decoded);
                    for (int j = 0; j < d; j++) {
                        float lo = sq.decode(sq.signed() ? -127 : 0);
                        float hi = sq.decode(sq.signed() ? 127 : 255);
                        if (v[i][j] >= lo && v[i][j] <= hi) {
                            assertEquals(v[i][j], decoded[j], sq.step() * 0.5f + 1e-5f, "component inside the range");
                        }
                    }
                    decodedStore.set(i, decoded);
                }
                float[] query = v[0].clone();
                for (int j = 0; j < d; j++) {
                    query[j] += 0.1f * (float) r.nextGaussian();
                }
                float[] decodedQuery = new float[d];
                for (int j = 0; j < d; j++) {
                    decodedQuery[j] = sq.decode(sq.encode(query[j]));
                }
                QueryScorer approx = codes.scorer(metric);
                QueryScorer reference = decodedStore.scorer(metric);
                approx.setQuery(query);
                reference.setQuery(decodedQuery);
                for (int i = 0; i < n; i++) {
                    float want = reference.score(i);
                    assertEquals(want, approx.score(i), 1e-4f * Math.max(1f, Math.abs(want)), metric + " d=" + d + " vector " + i);
                }
            } finally {
                exact.close();
                decodedStore.close();
            }
        }
    }

    /** The one-pass check agrees with encoding each component, or errs on the safe side (false) only. */
    @Test
    void representsExactlyAgreesWithEncodingEachComponent() {
        Random r = TestSeeds.random(3);
        ScalarQuantizer[] quantizers = {new ScalarQuantizer(false, 0f, 1f), new ScalarQuantizer(false, -2f, 0.5f),
                new ScalarQuantizer(true, 0f, 0.25f), new ScalarQuantizer(false, 0.1f, 0.3f)};
        int exactSeen = 0;
        for (ScalarQuantizer q : quantizers) {
            int lo = q.signed() ? -127 : 0;
            for (int t = 0; t < 2_000; t++) {
                float[] v = new float[1 + r.nextInt(40)];
                for (int j = 0; j < v.length; j++) {
                    v[j] = q.decode(lo + r.nextInt(q.signed() ? 255 : 256));
                }
                boolean spoil = t % 2 == 1;
                if (spoil) {
                    int j = r.nextInt(v.length);
                    float[] bad = {Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, Math.nextUp(v[j]),
                            v[j] + q.decode(1) - q.decode(0) / 3, q.decode(lo) - 1, q.decode(q.signed() ? 127 : 255) + 1};
                    v[j] = bad[r.nextInt(bad.length)];
                }
                boolean each = true;
                for (float x : v) {
                    each &= q.decodesTo(q.encode(x), x);
                }
                boolean once = q.representsExactly(v);
                assertTrue(!once || each, () -> q + ": one pass said exact where a component is not");
                if (!spoil) {
                    assertTrue(each, "decoded values encode exactly");
                    assertEquals(each, once, () -> q + ": decoded values " + java.util.Arrays.toString(v));
                    exactSeen++;
                }
            }
        }
        assertEquals(4_000, exactSeen);
    }

    /**
     * 8-bit data whose sample happens to miss the extremes (no 0, no 255) still gets codes that hold every value of
     * 0..255 exactly: a query or vector with a 0 the sample did not see is not clipped (it was, with the sample's
     * minimum as the offset).
     */
    @Test
    void wholeNumberDataInTheByteRangeKeepsEveryByteExact() {
        int d = 16;
        float[] sample = new float[40 * d];
        Random r = TestSeeds.random(77);
        for (int i = 0; i < sample.length; i++) {
            sample[i] = 3 + r.nextInt(240); // 3..242
        }
        ScalarQuantizer q = ScalarQuantizer.fit(Metric.L2, sample, sample.length, d);
        float[] edges = new float[d];
        edges[0] = 0f;
        edges[1] = 255f;
        edges[2] = 1f;
        assertTrue(q.representsExactly(edges), "0, 1 and 255 encode exactly");
        for (int v = 0; v <= 255; v++) {
            assertEquals((float) v, q.decode(q.encode(v)), "byte " + v);
        }
        // whole numbers outside the byte range keep the sample's offset (a range of at most 255 above it)
        float[] shifted = new float[4 * d];
        for (int i = 0; i < shifted.length; i++) {
            shifted[i] = 1000 + (i % 200);
        }
        ScalarQuantizer s = ScalarQuantizer.fit(Metric.L2, shifted, shifted.length, d);
        assertEquals(1199f, s.decode(s.encode(1199f)));
        assertEquals(1000f, s.decode(s.encode(1000f)));
    }
}
