package io.diskann.vector;

import io.diskann.testing.TestSeeds;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The kernels that read a stored vector from a {@link MemorySegment} (the rows of every
 * {@link VectorStore}) give what the same implementation gives on heap arrays: the segment kernels
 * repeat the array kernels' operations in the same order, so integer results must be identical and
 * float results equal up to a few units in the last place (the Vector API's interpreted and compiled
 * forms associate a lane reduction differently, and the two calls may run at different tiers), for both
 * the scalar and the Vector API implementation, over awkward sizes, at unaligned offsets, and with the
 * row ending at the last byte of its segment (a read past it would throw). Surefire runs this class at
 * every SIMD width, like {@link DistanceKernelAgreementTest}.
 */
class SegmentKernelAgreementTest {

    private static final ValueLayout.OfFloat F32 = ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfShort F16 = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    private static List<DistanceKernels> implementations() {
        return SimdSupport.vector().isPresent() ? List.of(SimdSupport.scalar(), SimdSupport.vector().get())
                : List.of(SimdSupport.scalar());
    }

    private static void assertClose(float expected, float actual, String what) {
        float tolerance = 8 * Math.ulp(Math.max(Math.abs(expected), Float.MIN_NORMAL));
        assertEquals(expected, actual, tolerance, what);
    }

    /** A segment of exactly {@code pad + bytes} bytes: the stored vector starts at {@code pad}, ends at the end. */
    private static MemorySegment segment(Arena arena, int pad, long bytes) {
        return arena.allocate(pad + bytes, 1);
    }

    @Test
    void floatKernelsGiveTheArrayKernelsResultsBitForBit() {
        assumeTrue(SimdSupport.vector().isPresent());
        Random r = TestSeeds.random(5);
        try (Arena arena = Arena.ofConfined()) {
            for (DistanceKernels k : implementations()) {
                for (int dim : DistanceKernelAgreementTest.SIZES) {
                    int pad = r.nextInt(9) * 2; // odd byte offsets for halves, unaligned for floats
                    float[] q = new float[dim];
                    float[] b = new float[dim];
                    short[] h = new short[dim];
                    for (int i = 0; i < dim; i++) {
                        q[i] = (float) r.nextGaussian();
                        b[i] = (float) r.nextGaussian();
                        h[i] = Float.floatToFloat16(b[i]);
                    }
                    MemorySegment fs = segment(arena, pad, 4L * dim);
                    MemorySegment hs = segment(arena, pad + 1, 2L * dim);
                    for (int i = 0; i < dim; i++) {
                        fs.set(F32, pad + 4L * i, b[i]);
                        hs.set(F16, pad + 1 + 2L * i, h[i]);
                    }
                    String at = k.name() + " dim " + dim;
                    assertClose(k.squareDistanceF32(q, 0, b, 0, dim), k.squareDistanceF32(q, 0, fs, pad, dim), "f32 l2 " + at);
                    assertClose(k.dotProductF32(q, 0, b, 0, dim), k.dotProductF32(q, 0, fs, pad, dim), "f32 dot " + at);
                    assertClose(k.cosineDistanceF32(q, 0, b, 0, dim), k.cosineDistanceF32(q, 0, fs, pad, dim), "f32 cos " + at);
                    assertClose(k.squareDistanceF16(q, 0, h, 0, dim), k.squareDistanceF16(q, 0, hs, pad + 1, dim), "f16 l2 " + at);
                    assertClose(k.dotProductF16(q, 0, h, 0, dim), k.dotProductF16(q, 0, hs, pad + 1, dim), "f16 dot " + at);
                    assertClose(k.cosineDistanceF16(q, 0, h, 0, dim), k.cosineDistanceF16(q, 0, hs, pad + 1, dim), "f16 cos " + at);
                }
            }
        }
    }

    @Test
    void byteKernelsGiveTheArrayKernelsResultsExactly() {
        Random r = TestSeeds.random(6);
        try (Arena arena = Arena.ofConfined()) {
            for (DistanceKernels k : implementations()) {
                for (int dim : DistanceKernelAgreementTest.SIZES) {
                    int pad = r.nextInt(17);
                    byte[] q = new byte[dim];
                    byte[] b = new byte[dim];
                    r.nextBytes(q);
                    r.nextBytes(b);
                    MemorySegment bs = segment(arena, pad, dim);
                    MemorySegment.copy(b, 0, bs, ValueLayout.JAVA_BYTE, pad, dim);
                    String at = k.name() + " dim " + dim;
                    assertEquals(k.squareDistanceI8(q, 0, b, 0, dim), k.squareDistanceI8(q, 0, bs, pad, dim), "i8 l2 " + at);
                    assertEquals(k.dotProductI8(q, 0, b, 0, dim), k.dotProductI8(q, 0, bs, pad, dim), "i8 dot " + at);
                    assertClose(k.cosineDistanceI8(q, 0, b, 0, dim), k.cosineDistanceI8(q, 0, bs, pad, dim), "i8 cos " + at);
                    assertEquals(k.squareDistanceU8(q, 0, b, 0, dim), k.squareDistanceU8(q, 0, bs, pad, dim), "u8 l2 " + at);
                    assertEquals(k.dotProductU8(q, 0, b, 0, dim), k.dotProductU8(q, 0, bs, pad, dim), "u8 dot " + at);
                    assertClose(k.cosineDistanceU8(q, 0, b, 0, dim), k.cosineDistanceU8(q, 0, bs, pad, dim), "u8 cos " + at);
                }
            }
        }
    }

    /**
     * The split unsigned L2 kernel against the scalar kernel, exactly, at every size: the row is zero-padded to
     * the split block and ends at the last byte of its segment; extreme bytes make the wrapped 32-bit lane sums
     * (two squares of up to 65,025 per lane) overflow many times, so a wrong recovery of the low halves shows.
     */
    @Test
    void splitU8KernelGivesTheScalarDistanceExactly() {
        Random r = TestSeeds.random(7);
        DistanceKernels scalar = SimdSupport.scalar();
        try (Arena arena = Arena.ofConfined()) {
            for (DistanceKernels k : implementations()) {
                int block = k.u8SplitBlock();
                if (block == 0) {
                    assertThrows(UnsupportedOperationException.class,
                            () -> k.squareDistanceU8Split(new short[64], MemorySegment.NULL, 0, 64), k.name());
                    continue;
                }
                for (int dim : DistanceKernelAgreementTest.SIZES) {
                    int padded = (dim + block - 1) / block * block;
                    short[] split = new short[padded];
                    for (int trial = 0; trial < 3; trial++) {
                        byte[] q = new byte[dim];
                        byte[] b = new byte[dim];
                        if (trial == 0) {
                            java.util.Arrays.fill(q, (byte) 0xFF); // 255 against 0: the largest squares
                        } else {
                            r.nextBytes(q);
                            r.nextBytes(b);
                        }
                        int pad = r.nextInt(17);
                        MemorySegment bs = segment(arena, pad, padded);
                        MemorySegment.copy(b, 0, bs, ValueLayout.JAVA_BYTE, pad, dim);
                        java.util.Arrays.fill(split, (short) -1); // every entry must be written, the padding too
                        k.splitU8(q, dim, split, padded);
                        assertEquals(scalar.squareDistanceU8(q, 0, b, 0, dim), k.squareDistanceU8Split(split, bs, pad, padded),
                                k.name() + " dim " + dim + " trial " + trial);
                    }
                }
            }
        }
    }
}
