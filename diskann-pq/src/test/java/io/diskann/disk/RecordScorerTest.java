package io.diskann.disk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.diskann.vector.Distances;
import io.diskann.vector.Metric;
import io.diskann.vector.VectorType;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** {@link RecordScorer} in place on a record against the float distance of the decoded vector. */
class RecordScorerTest {
    private static final int[] DIMS = {1, 3, 15, 17, 127, 129, 784, 1000};

    @Test
    void everyTypeAndMetricMatchesTheFloatDistanceOfTheDecodedRecord() {
        Random rnd = new Random(11);
        for (VectorType type : new VectorType[] {VectorType.F32, VectorType.F16, VectorType.U8, VectorType.I8}) {
            for (Metric metric : Metric.values()) {
                for (int d : DIMS) {
                    for (boolean wholeQuery : new boolean[] {true, false}) {
                        check(rnd, type, metric, d, wholeQuery);
                    }
                }
            }
        }
    }

    private static void check(Random rnd, VectorType type, Metric metric, int d, boolean wholeQuery) {
        int elementBytes = switch (type) {
            case F32 -> 4;
            case F16 -> 2;
            case U8, I8 -> 1;
        };
        long base = 7; // an unaligned record, as in a sector
        MemorySegment seg = MemorySegment.ofArray(new byte[(int) base + d * elementBytes + 5]);
        float[] stored = new float[d];
        float[] q = new float[d];
        for (int i = 0; i < d; i++) {
            switch (type) {
                case F32 -> {
                    stored[i] = (float) rnd.nextGaussian();
                    seg.set(ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN), base + 4L * i, stored[i]);
                }
                case F16 -> {
                    short h = Float.floatToFloat16((float) rnd.nextGaussian());
                    stored[i] = Float.float16ToFloat(h);
                    seg.set(ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN), base + 2L * i, h);
                }
                case U8 -> {
                    int v = rnd.nextInt(256);
                    stored[i] = v;
                    seg.set(ValueLayout.JAVA_BYTE, base + i, (byte) v);
                }
                case I8 -> {
                    int v = rnd.nextInt(256) - 128;
                    stored[i] = v;
                    seg.set(ValueLayout.JAVA_BYTE, base + i, (byte) v);
                }
            }
            boolean bytes = type == VectorType.U8 || type == VectorType.I8;
            if (bytes && wholeQuery) {
                q[i] = type == VectorType.U8 ? rnd.nextInt(256) : rnd.nextInt(256) - 128;
            } else {
                q[i] = bytes ? rnd.nextFloat() * 200f - (type == VectorType.I8 ? 100f : 0f) : (float) rnd.nextGaussian();
            }
        }
        RecordScorer scorer = new RecordScorer(metric, type, d);
        scorer.setQuery(q);
        boolean bytes = type == VectorType.U8 || type == VectorType.I8;
        assertEquals(bytes && wholeQuery, scorer.byteQuery(), type + " " + metric + " d=" + d);
        float expected = Distances.distance(metric, q, stored);
        float got = scorer.distance(seg, base);
        float tolerance = 1e-4f * Math.max(1f, Math.abs(expected));
        assertEquals(expected, got, tolerance, type + " " + metric + " d=" + d + " whole=" + wholeQuery);
    }

    @Test
    void aQueryOutsideTheByteRangeIsScoredOnFloats() {
        RecordScorer scorer = new RecordScorer(Metric.L2, VectorType.U8, 3);
        MemorySegment seg = MemorySegment.ofArray(new byte[] {10, 20, (byte) 200});
        scorer.setQuery(new float[] {10, 20, 300});
        assertFalse(scorer.byteQuery());
        assertEquals(100f * 100f, scorer.distance(seg, 0), 0f);
        scorer.setQuery(new float[] {10, -1, 200});
        assertFalse(scorer.byteQuery());
        assertEquals(21f * 21f, scorer.distance(seg, 0), 0f);
        scorer.setQuery(new float[] {11, 20, 200});
        assertTrue(scorer.byteQuery());
        assertEquals(1f, scorer.distance(seg, 0), 0f);
    }
}
