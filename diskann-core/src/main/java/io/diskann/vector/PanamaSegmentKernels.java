package io.diskann.vector;

import static io.diskann.vector.PanamaDistanceKernels.B16;
import static io.diskann.vector.PanamaDistanceKernels.BB;
import static io.diskann.vector.PanamaDistanceKernels.BI;
import static io.diskann.vector.PanamaDistanceKernels.BS;
import static io.diskann.vector.PanamaDistanceKernels.F;
import static io.diskann.vector.PanamaDistanceKernels.HALF_SHIFTED_MASK;
import static io.diskann.vector.PanamaDistanceKernels.HF;
import static io.diskann.vector.PanamaDistanceKernels.HI;
import static io.diskann.vector.PanamaDistanceKernels.HS;
import static io.diskann.vector.PanamaDistanceKernels.I4;
import static io.diskann.vector.PanamaDistanceKernels.PB;
import static io.diskann.vector.PanamaDistanceKernels.TWO_POW_112;
import static io.diskann.vector.PanamaDistanceKernels.fma;
import static io.diskann.vector.PanamaByteKernels.widenSigned;
import static io.diskann.vector.PanamaByteKernels.widenUnsigned;

import java.lang.foreign.MemorySegment;
import java.nio.ByteOrder;
import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.ShortVector;
import jdk.incubator.vector.VectorOperators;

/**
 * The Vector API kernels for a heap-array query against a stored vector in a {@link MemorySegment}
 * (little-endian rows of {@link ChunkedRows}). The loops are those of {@link PanamaDistanceKernels}, with
 * the stored operand loaded by {@code fromMemorySegment}; the same species, the same accumulator layout,
 * and scalar tails through {@link ScalarSegmentKernels}' element reads, so results agree with the array
 * kernels bit for bit on the same data (same operation order).
 *
 * <p>Loaded only through {@link PanamaDistanceKernels}, which {@link SimdSupport} loads by name after
 * checking that the incubator module is readable.
 */
final class PanamaSegmentKernels {

    private static final ByteOrder LE = ByteOrder.LITTLE_ENDIAN;

    private PanamaSegmentKernels() {
    }

    // ---------------------------------------------------------------- f32

    static float squareDistanceF32(float[] a, int ao, MemorySegment b, long bo, int dim) {
        final int n = F.length();
        int i = 0;
        FloatVector acc1 = FloatVector.zero(F);
        FloatVector acc2 = FloatVector.zero(F);
        int bound2 = dim & -(2 * n);
        for (; i < bound2; i += 2 * n) {
            FloatVector d1 = FloatVector.fromArray(F, a, ao + i).sub(FloatVector.fromMemorySegment(F, b, bo + 4L * i, LE));
            FloatVector d2 = FloatVector.fromArray(F, a, ao + i + n)
                    .sub(FloatVector.fromMemorySegment(F, b, bo + 4L * (i + n), LE));
            acc1 = fma(d1, d1, acc1);
            acc2 = fma(d2, d2, acc2);
        }
        if (i < (dim & -n)) {
            FloatVector d = FloatVector.fromArray(F, a, ao + i).sub(FloatVector.fromMemorySegment(F, b, bo + 4L * i, LE));
            acc1 = fma(d, d, acc1);
            i += n;
        }
        float sum = acc1.add(acc2).reduceLanes(VectorOperators.ADD);
        for (; i < dim; i++) {
            float d = a[ao + i] - b.get(RowLayouts.F32, bo + 4L * i);
            sum += d * d;
        }
        return sum;
    }

    static float dotProductF32(float[] a, int ao, MemorySegment b, long bo, int dim) {
        final int n = F.length();
        int i = 0;
        FloatVector acc1 = FloatVector.zero(F);
        FloatVector acc2 = FloatVector.zero(F);
        int bound2 = dim & -(2 * n);
        for (; i < bound2; i += 2 * n) {
            acc1 = fma(FloatVector.fromArray(F, a, ao + i), FloatVector.fromMemorySegment(F, b, bo + 4L * i, LE), acc1);
            acc2 = fma(FloatVector.fromArray(F, a, ao + i + n),
                    FloatVector.fromMemorySegment(F, b, bo + 4L * (i + n), LE), acc2);
        }
        if (i < (dim & -n)) {
            acc1 = fma(FloatVector.fromArray(F, a, ao + i), FloatVector.fromMemorySegment(F, b, bo + 4L * i, LE), acc1);
            i += n;
        }
        float sum = acc1.add(acc2).reduceLanes(VectorOperators.ADD);
        for (; i < dim; i++) {
            sum += a[ao + i] * b.get(RowLayouts.F32, bo + 4L * i);
        }
        return sum;
    }

    static float cosineDistanceF32(float[] a, int ao, MemorySegment b, long bo, int dim) {
        final int n = F.length();
        int i = 0;
        FloatVector dot1 = FloatVector.zero(F);
        FloatVector dot2 = FloatVector.zero(F);
        FloatVector na1 = FloatVector.zero(F);
        FloatVector na2 = FloatVector.zero(F);
        FloatVector nb1 = FloatVector.zero(F);
        FloatVector nb2 = FloatVector.zero(F);
        int bound2 = dim - dim % (2 * n);
        for (; i < bound2; i += 2 * n) {
            FloatVector x1 = FloatVector.fromArray(F, a, ao + i);
            FloatVector y1 = FloatVector.fromMemorySegment(F, b, bo + 4L * i, LE);
            FloatVector x2 = FloatVector.fromArray(F, a, ao + i + n);
            FloatVector y2 = FloatVector.fromMemorySegment(F, b, bo + 4L * (i + n), LE);
            dot1 = fma(x1, y1, dot1);
            na1 = fma(x1, x1, na1);
            nb1 = fma(y1, y1, nb1);
            dot2 = fma(x2, y2, dot2);
            na2 = fma(x2, x2, na2);
            nb2 = fma(y2, y2, nb2);
        }
        int bound = F.loopBound(dim);
        for (; i < bound; i += n) {
            FloatVector x = FloatVector.fromArray(F, a, ao + i);
            FloatVector y = FloatVector.fromMemorySegment(F, b, bo + 4L * i, LE);
            dot1 = fma(x, y, dot1);
            na1 = fma(x, x, na1);
            nb1 = fma(y, y, nb1);
        }
        float dot = dot1.add(dot2).reduceLanes(VectorOperators.ADD);
        float na = na1.add(na2).reduceLanes(VectorOperators.ADD);
        float nb = nb1.add(nb2).reduceLanes(VectorOperators.ADD);
        for (; i < dim; i++) {
            float x = a[ao + i];
            float y = b.get(RowLayouts.F32, bo + 4L * i);
            dot += x * y;
            na += x * x;
            nb += y * y;
        }
        return Metric.cosineDistance(dot, na, nb);
    }

    // ---------------------------------------------------------------- f16

    /** As {@code PanamaDistanceKernels.decodeHalf}, reading the binary16 lanes from a segment. */
    private static FloatVector decodeHalf(MemorySegment b, long offset) {
        IntVector bits = (IntVector) ShortVector.fromMemorySegment(HS, b, offset, LE)
                .convertShape(VectorOperators.S2I, HI, 0);
        return bits.lanewise(VectorOperators.LSHL, 13).and(HALF_SHIFTED_MASK).reinterpretAsFloats().mul(TWO_POW_112);
    }

    private static float half(MemorySegment b, long bo, int i) {
        return Float.float16ToFloat(b.get(RowLayouts.F16, bo + 2L * i));
    }

    static float squareDistanceF16(float[] q, int qo, MemorySegment b, long bo, int dim) {
        final int n = HF.length();
        int i = 0;
        FloatVector acc1 = FloatVector.zero(HF);
        FloatVector acc2 = FloatVector.zero(HF);
        int bound2 = dim - dim % (2 * n);
        for (; i < bound2; i += 2 * n) {
            FloatVector d1 = FloatVector.fromArray(HF, q, qo + i).sub(decodeHalf(b, bo + 2L * i));
            FloatVector d2 = FloatVector.fromArray(HF, q, qo + i + n).sub(decodeHalf(b, bo + 2L * (i + n)));
            acc1 = fma(d1, d1, acc1);
            acc2 = fma(d2, d2, acc2);
        }
        int bound = HF.loopBound(dim);
        for (; i < bound; i += n) {
            FloatVector d = FloatVector.fromArray(HF, q, qo + i).sub(decodeHalf(b, bo + 2L * i));
            acc1 = fma(d, d, acc1);
        }
        float sum = acc1.add(acc2).reduceLanes(VectorOperators.ADD);
        for (; i < dim; i++) {
            float d = q[qo + i] - half(b, bo, i);
            sum += d * d;
        }
        return sum;
    }

    static float dotProductF16(float[] q, int qo, MemorySegment b, long bo, int dim) {
        final int n = HF.length();
        int i = 0;
        FloatVector acc1 = FloatVector.zero(HF);
        FloatVector acc2 = FloatVector.zero(HF);
        int bound2 = dim - dim % (2 * n);
        for (; i < bound2; i += 2 * n) {
            acc1 = fma(FloatVector.fromArray(HF, q, qo + i), decodeHalf(b, bo + 2L * i), acc1);
            acc2 = fma(FloatVector.fromArray(HF, q, qo + i + n), decodeHalf(b, bo + 2L * (i + n)), acc2);
        }
        int bound = HF.loopBound(dim);
        for (; i < bound; i += n) {
            acc1 = fma(FloatVector.fromArray(HF, q, qo + i), decodeHalf(b, bo + 2L * i), acc1);
        }
        float sum = acc1.add(acc2).reduceLanes(VectorOperators.ADD);
        for (; i < dim; i++) {
            sum += q[qo + i] * half(b, bo, i);
        }
        return sum;
    }

    static float cosineDistanceF16(float[] q, int qo, MemorySegment b, long bo, int dim) {
        final int n = HF.length();
        int i = 0;
        FloatVector dot = FloatVector.zero(HF);
        FloatVector na = FloatVector.zero(HF);
        FloatVector nb = FloatVector.zero(HF);
        int bound = HF.loopBound(dim);
        for (; i < bound; i += n) {
            FloatVector x = FloatVector.fromArray(HF, q, qo + i);
            FloatVector y = decodeHalf(b, bo + 2L * i);
            dot = fma(x, y, dot);
            na = fma(x, x, na);
            nb = fma(y, y, nb);
        }
        float d = dot.reduceLanes(VectorOperators.ADD);
        float sa = na.reduceLanes(VectorOperators.ADD);
        float sb = nb.reduceLanes(VectorOperators.ADD);
        for (; i < dim; i++) {
            float x = q[qo + i];
            float y = half(b, bo, i);
            d += x * y;
            sa += x * x;
            sb += y * y;
        }
        return Metric.cosineDistance(d, sa, sb);
    }

    // ---------------------------------------------------------------- i8 / u8
    // As in PanamaDistanceKernels: bytes read as 16-bit lanes and split into even and odd bytes, products
    // summed by 32-bit halves; the widening steps are written out in every loop (a helper failed to inline
    // in the cosine kernels and boxed the vectors).

    private static ShortVector widenSignedAt(MemorySegment v, long offset) {
        return (ShortVector) ByteVector.fromMemorySegment(BB, v, offset, LE).convertShape(VectorOperators.B2S, BS, 0);
    }

    private static ShortVector widenUnsignedAt(MemorySegment v, long offset) {
        return (ShortVector) ByteVector.fromMemorySegment(BB, v, offset, LE)
                .convertShape(VectorOperators.ZERO_EXTEND_B2S, BS, 0);
    }

    static int squareDistanceI8(byte[] a, int ao, MemorySegment b, long bo, int dim) {
        final int wide = PB.length();
        final int step = BB.length();
        int i = 0;
        IntVector acc = IntVector.zero(BI);
        int wideBound = PB.loopBound(dim);
        for (; i < wideBound; i += wide) {
            ShortVector x = ByteVector.fromArray(PB, a, ao + i).reinterpretAsShorts();
            ShortVector y = ByteVector.fromMemorySegment(PB, b, bo + i, LE).reinterpretAsShorts();
            ShortVector xe = x.lanewise(VectorOperators.LSHL, 8).lanewise(VectorOperators.ASHR, 8);
            ShortVector xo = x.lanewise(VectorOperators.ASHR, 8);
            ShortVector ye = y.lanewise(VectorOperators.LSHL, 8).lanewise(VectorOperators.ASHR, 8);
            ShortVector yo = y.lanewise(VectorOperators.ASHR, 8);
            ShortVector de = xe.sub(ye);
            ShortVector dd = xo.sub(yo);
            // squares of differences fit 16 bits read unsigned; an int lane holds two: add both halves
            IntVector se = de.mul(de).reinterpretAsInts();
            IntVector so = dd.mul(dd).reinterpretAsInts();
            acc = acc
                    .add(se.and(0xFFFF))
                    .add(se.lanewise(VectorOperators.LSHR, 16))
                    .add(so.and(0xFFFF))
                    .add(so.lanewise(VectorOperators.LSHR, 16));
        }
        int bound = BB.loopBound(dim);
        for (; i < bound; i += step) {
            ShortVector d = widenSigned(a, ao + i).sub(widenSignedAt(b, bo + i));
            ShortVector accLanes = d.mul(d);
            acc = acc.add((IntVector) accLanes.convertShape(VectorOperators.ZERO_EXTEND_S2I, BI, 0))
                    .add((IntVector) accLanes.convertShape(VectorOperators.ZERO_EXTEND_S2I, BI, 1));
        }
        int sum = acc.reduceLanes(VectorOperators.ADD);
        for (; i < dim; i++) {
            int d = a[ao + i] - b.get(RowLayouts.I8, bo + i);
            sum += d * d;
        }
        return sum;
    }

    static int dotProductI8(byte[] a, int ao, MemorySegment b, long bo, int dim) {
        final int wide = PB.length();
        final int step = BB.length();
        int i = 0;
        IntVector acc = IntVector.zero(BI);
        int wideBound = PB.loopBound(dim);
        for (; i < wideBound; i += wide) {
            ShortVector x = ByteVector.fromArray(PB, a, ao + i).reinterpretAsShorts();
            ShortVector y = ByteVector.fromMemorySegment(PB, b, bo + i, LE).reinterpretAsShorts();
            ShortVector xe = x.lanewise(VectorOperators.LSHL, 8).lanewise(VectorOperators.ASHR, 8);
            ShortVector xo = x.lanewise(VectorOperators.ASHR, 8);
            ShortVector ye = y.lanewise(VectorOperators.LSHL, 8).lanewise(VectorOperators.ASHR, 8);
            ShortVector yo = y.lanewise(VectorOperators.ASHR, 8);
            // products fit 16 bits (signed for i8, unsigned for u8); an int lane holds two: add both halves
            IntVector pe = xe.mul(ye).reinterpretAsInts();
            IntVector po = xo.mul(yo).reinterpretAsInts();
            acc = acc
                    .add(pe.lanewise(VectorOperators.LSHL, 16).lanewise(VectorOperators.ASHR, 16))
                    .add(pe.lanewise(VectorOperators.ASHR, 16))
                    .add(po.lanewise(VectorOperators.LSHL, 16).lanewise(VectorOperators.ASHR, 16))
                    .add(po.lanewise(VectorOperators.ASHR, 16));
        }
        int bound = BB.loopBound(dim);
        for (; i < bound; i += step) {
            ShortVector accLanes = widenSigned(a, ao + i).mul(widenSignedAt(b, bo + i));
            acc = acc.add((IntVector) accLanes.convertShape(VectorOperators.S2I, BI, 0))
                    .add((IntVector) accLanes.convertShape(VectorOperators.S2I, BI, 1));
        }
        int sum = acc.reduceLanes(VectorOperators.ADD);
        for (; i < dim; i++) {
            sum += a[ao + i] * b.get(RowLayouts.I8, bo + i);
        }
        return sum;
    }

    static float cosineDistanceI8(byte[] a, int ao, MemorySegment b, long bo, int dim) {
        final int wide = PB.length();
        final int step = BB.length();
        int i = 0;
        IntVector dot = IntVector.zero(BI);
        IntVector na = IntVector.zero(BI);
        IntVector nb = IntVector.zero(BI);
        int wideBound = PB.loopBound(dim);
        for (; i < wideBound; i += wide) {
            ShortVector x = ByteVector.fromArray(PB, a, ao + i).reinterpretAsShorts();
            ShortVector y = ByteVector.fromMemorySegment(PB, b, bo + i, LE).reinterpretAsShorts();
            ShortVector xe = x.lanewise(VectorOperators.LSHL, 8).lanewise(VectorOperators.ASHR, 8);
            ShortVector xo = x.lanewise(VectorOperators.ASHR, 8);
            ShortVector ye = y.lanewise(VectorOperators.LSHL, 8).lanewise(VectorOperators.ASHR, 8);
            ShortVector yo = y.lanewise(VectorOperators.ASHR, 8);
            IntVector pe = xe.mul(ye).reinterpretAsInts();
            IntVector po = xo.mul(yo).reinterpretAsInts();
            IntVector ae = xe.mul(xe).reinterpretAsInts();
            IntVector ao2 = xo.mul(xo).reinterpretAsInts();
            IntVector be = ye.mul(ye).reinterpretAsInts();
            IntVector bo2 = yo.mul(yo).reinterpretAsInts();
            dot = dot
                    .add(pe.lanewise(VectorOperators.LSHL, 16).lanewise(VectorOperators.ASHR, 16))
                    .add(pe.lanewise(VectorOperators.ASHR, 16))
                    .add(po.lanewise(VectorOperators.LSHL, 16).lanewise(VectorOperators.ASHR, 16))
                    .add(po.lanewise(VectorOperators.ASHR, 16));
            na = na
                    .add(ae.and(0xFFFF))
                    .add(ae.lanewise(VectorOperators.LSHR, 16))
                    .add(ao2.and(0xFFFF))
                    .add(ao2.lanewise(VectorOperators.LSHR, 16));
            nb = nb
                    .add(be.and(0xFFFF))
                    .add(be.lanewise(VectorOperators.LSHR, 16))
                    .add(bo2.and(0xFFFF))
                    .add(bo2.lanewise(VectorOperators.LSHR, 16));
        }
        int bound = BB.loopBound(dim);
        for (; i < bound; i += step) {
            ShortVector x = widenSigned(a, ao + i);
            ShortVector y = widenSignedAt(b, bo + i);
            ShortVector dotLanes = x.mul(y);
            dot = dot.add((IntVector) dotLanes.convertShape(VectorOperators.S2I, BI, 0))
                    .add((IntVector) dotLanes.convertShape(VectorOperators.S2I, BI, 1));
            ShortVector naLanes = x.mul(x);
            na = na.add((IntVector) naLanes.convertShape(VectorOperators.S2I, BI, 0))
                    .add((IntVector) naLanes.convertShape(VectorOperators.S2I, BI, 1));
            ShortVector nbLanes = y.mul(y);
            nb = nb.add((IntVector) nbLanes.convertShape(VectorOperators.S2I, BI, 0))
                    .add((IntVector) nbLanes.convertShape(VectorOperators.S2I, BI, 1));
        }
        int d = dot.reduceLanes(VectorOperators.ADD);
        int sa = na.reduceLanes(VectorOperators.ADD);
        int sb = nb.reduceLanes(VectorOperators.ADD);
        for (; i < dim; i++) {
            int x = a[ao + i];
            int y = b.get(RowLayouts.I8, bo + i);
            d += x * y;
            sa += x * x;
            sb += y * y;
        }
        return Metric.cosineDistance(d, sa, sb);
    }

    static int squareDistanceU8(byte[] a, int ao, MemorySegment b, long bo, int dim) {
        final int wide = PB.length();
        final int step = BB.length();
        int i = 0;
        IntVector acc = IntVector.zero(BI);
        int wideBound = PB.loopBound(dim);
        for (; i < wideBound; i += wide) {
            ShortVector x = ByteVector.fromArray(PB, a, ao + i).reinterpretAsShorts();
            ShortVector y = ByteVector.fromMemorySegment(PB, b, bo + i, LE).reinterpretAsShorts();
            ShortVector xe = x.and((short) 0xFF);
            ShortVector xo = x.lanewise(VectorOperators.LSHR, 8);
            ShortVector ye = y.and((short) 0xFF);
            ShortVector yo = y.lanewise(VectorOperators.LSHR, 8);
            ShortVector de = xe.sub(ye);
            ShortVector dd = xo.sub(yo);
            // squares of differences fit 16 bits read unsigned; an int lane holds two: add both halves
            IntVector se = de.mul(de).reinterpretAsInts();
            IntVector so = dd.mul(dd).reinterpretAsInts();
            acc = acc
                    .add(se.and(0xFFFF))
                    .add(se.lanewise(VectorOperators.LSHR, 16))
                    .add(so.and(0xFFFF))
                    .add(so.lanewise(VectorOperators.LSHR, 16));
        }
        int bound = BB.loopBound(dim);
        for (; i < bound; i += step) {
            ShortVector d = widenUnsigned(a, ao + i).sub(widenUnsignedAt(b, bo + i));
            ShortVector accLanes = d.mul(d);
            acc = acc.add((IntVector) accLanes.convertShape(VectorOperators.ZERO_EXTEND_S2I, BI, 0))
                    .add((IntVector) accLanes.convertShape(VectorOperators.ZERO_EXTEND_S2I, BI, 1));
        }
        int sum = acc.reduceLanes(VectorOperators.ADD);
        int midBound = B16.loopBound(dim);
        if (i < midBound) { // 16 of the last 16-31 bytes, as the wide loop does them (see B16)
            IntVector acc4 = IntVector.zero(I4);
            for (; i < midBound; i += B16.length()) {
                acc4 = acc4.add(PanamaDistanceKernels.squaredDiffsU8(ByteVector.fromArray(B16, a, ao + i), ByteVector.fromMemorySegment(B16, b, bo + i, LE)));
            }
            sum += acc4.reduceLanes(VectorOperators.ADD);
        }
        for (; i < dim; i++) {
            int d = (a[ao + i] & 0xFF) - (b.get(RowLayouts.I8, bo + i) & 0xFF);
            sum += d * d;
        }
        return sum;
    }

    /** See {@link DistanceKernels#splitU8}: per block of {@code PB} bytes, its even then its odd bytes widened. */
    static void splitU8(byte[] q, int dim, short[] out, int padded) {
        if (padded % PB.length() != 0 || padded < dim || out.length < padded || q.length < dim) {
            throw new IllegalArgumentException("padded length " + padded + " must be a multiple of " + PB.length()
                    + " and at least " + dim + ", with room in the query and the output");
        }
        final int block = PB.length();
        final int half = BS.length();
        int i = 0;
        for (int whole = PB.loopBound(dim); i < whole; i += block) {
            ShortVector x = ByteVector.fromArray(PB, q, i).reinterpretAsShorts();
            x.and((short) 0xFF).intoArray(out, i);
            x.lanewise(VectorOperators.LSHR, 8).intoArray(out, i + half);
        }
        for (; i < padded; i += block) { // the last partial block, then zero blocks
            for (int t = 0; t < half; t++) {
                int even = i + 2 * t;
                out[i + t] = (short) (even < dim ? q[even] & 0xFF : 0);
                out[i + half + t] = (short) (even + 1 < dim ? q[even + 1] & 0xFF : 0);
            }
        }
    }

    /**
     * See {@link DistanceKernels#squareDistanceU8Split}. Per block: the row's bytes as 16-bit lanes, even bytes
     * masked, odd ones shifted down, subtracted from the query's split halves and squared (a square of a
     * difference of bytes fits 16 bits read unsigned). Each 32-bit lane then holds two squares, {@code lo + 65536
     * hi}: the lanes are summed as they are (wrapping) and their high halves apart, and each lane's sum of both
     * halves is recovered at the end as {@code raw - 65535 * high}, modulo 2^32, before one reduction (exact
     * because the distance fits an int, as every 8-bit distance here must). Why: one shift and one add per half
     * instead of a mask, a shift and two adds.
     */
    static int squareDistanceU8Split(short[] s, MemorySegment b, long bo, int padded) {
        final int block = PB.length();
        final int half = BS.length();
        IntVector raw = IntVector.zero(BI);
        IntVector high = IntVector.zero(BI);
        for (int i = 0; i < padded; i += block) {
            ShortVector y = ByteVector.fromMemorySegment(PB, b, bo + i, LE).reinterpretAsShorts();
            ShortVector de = ShortVector.fromArray(BS, s, i).sub(y.and((short) 0xFF));
            ShortVector dd = ShortVector.fromArray(BS, s, i + half).sub(y.lanewise(VectorOperators.LSHR, 8));
            IntVector se = de.mul(de).reinterpretAsInts();
            IntVector so = dd.mul(dd).reinterpretAsInts();
            raw = raw.add(se).add(so);
            high = high.add(se.lanewise(VectorOperators.LSHR, 16)).add(so.lanewise(VectorOperators.LSHR, 16));
        }
        // per lane lo + hi = raw - 65535 hi (mod 2^32): one reduction, exact because the total fits an int
        return raw.sub(high.lanewise(VectorOperators.LSHL, 16)).add(high).reduceLanes(VectorOperators.ADD);
    }

    static int dotProductU8(byte[] a, int ao, MemorySegment b, long bo, int dim) {
        final int wide = PB.length();
        final int step = BB.length();
        int i = 0;
        IntVector acc = IntVector.zero(BI);
        int wideBound = PB.loopBound(dim);
        for (; i < wideBound; i += wide) {
            ShortVector x = ByteVector.fromArray(PB, a, ao + i).reinterpretAsShorts();
            ShortVector y = ByteVector.fromMemorySegment(PB, b, bo + i, LE).reinterpretAsShorts();
            ShortVector xe = x.and((short) 0xFF);
            ShortVector xo = x.lanewise(VectorOperators.LSHR, 8);
            ShortVector ye = y.and((short) 0xFF);
            ShortVector yo = y.lanewise(VectorOperators.LSHR, 8);
            // products fit 16 bits (signed for i8, unsigned for u8); an int lane holds two: add both halves
            IntVector pe = xe.mul(ye).reinterpretAsInts();
            IntVector po = xo.mul(yo).reinterpretAsInts();
            acc = acc
                    .add(pe.and(0xFFFF))
                    .add(pe.lanewise(VectorOperators.LSHR, 16))
                    .add(po.and(0xFFFF))
                    .add(po.lanewise(VectorOperators.LSHR, 16));
        }
        int bound = BB.loopBound(dim);
        for (; i < bound; i += step) {
            ShortVector accLanes = widenUnsigned(a, ao + i).mul(widenUnsignedAt(b, bo + i));
            acc = acc.add((IntVector) accLanes.convertShape(VectorOperators.ZERO_EXTEND_S2I, BI, 0))
                    .add((IntVector) accLanes.convertShape(VectorOperators.ZERO_EXTEND_S2I, BI, 1));
        }
        int sum = acc.reduceLanes(VectorOperators.ADD);
        for (; i < dim; i++) {
            sum += (a[ao + i] & 0xFF) * (b.get(RowLayouts.I8, bo + i) & 0xFF);
        }
        return sum;
    }

    static float cosineDistanceU8(byte[] a, int ao, MemorySegment b, long bo, int dim) {
        final int wide = PB.length();
        final int step = BB.length();
        int i = 0;
        IntVector dot = IntVector.zero(BI);
        IntVector na = IntVector.zero(BI);
        IntVector nb = IntVector.zero(BI);
        int wideBound = PB.loopBound(dim);
        for (; i < wideBound; i += wide) {
            ShortVector x = ByteVector.fromArray(PB, a, ao + i).reinterpretAsShorts();
            ShortVector y = ByteVector.fromMemorySegment(PB, b, bo + i, LE).reinterpretAsShorts();
            ShortVector xe = x.and((short) 0xFF);
            ShortVector xo = x.lanewise(VectorOperators.LSHR, 8);
            ShortVector ye = y.and((short) 0xFF);
            ShortVector yo = y.lanewise(VectorOperators.LSHR, 8);
            IntVector pe = xe.mul(ye).reinterpretAsInts();
            IntVector po = xo.mul(yo).reinterpretAsInts();
            IntVector ae = xe.mul(xe).reinterpretAsInts();
            IntVector ao2 = xo.mul(xo).reinterpretAsInts();
            IntVector be = ye.mul(ye).reinterpretAsInts();
            IntVector bo2 = yo.mul(yo).reinterpretAsInts();
            dot = dot
                    .add(pe.and(0xFFFF))
                    .add(pe.lanewise(VectorOperators.LSHR, 16))
                    .add(po.and(0xFFFF))
                    .add(po.lanewise(VectorOperators.LSHR, 16));
            na = na
                    .add(ae.and(0xFFFF))
                    .add(ae.lanewise(VectorOperators.LSHR, 16))
                    .add(ao2.and(0xFFFF))
                    .add(ao2.lanewise(VectorOperators.LSHR, 16));
            nb = nb
                    .add(be.and(0xFFFF))
                    .add(be.lanewise(VectorOperators.LSHR, 16))
                    .add(bo2.and(0xFFFF))
                    .add(bo2.lanewise(VectorOperators.LSHR, 16));
        }
        int bound = BB.loopBound(dim);
        for (; i < bound; i += step) {
            ShortVector x = widenUnsigned(a, ao + i);
            ShortVector y = widenUnsignedAt(b, bo + i);
            ShortVector dotLanes = x.mul(y);
            dot = dot.add((IntVector) dotLanes.convertShape(VectorOperators.ZERO_EXTEND_S2I, BI, 0))
                    .add((IntVector) dotLanes.convertShape(VectorOperators.ZERO_EXTEND_S2I, BI, 1));
            ShortVector naLanes = x.mul(x);
            na = na.add((IntVector) naLanes.convertShape(VectorOperators.ZERO_EXTEND_S2I, BI, 0))
                    .add((IntVector) naLanes.convertShape(VectorOperators.ZERO_EXTEND_S2I, BI, 1));
            ShortVector nbLanes = y.mul(y);
            nb = nb.add((IntVector) nbLanes.convertShape(VectorOperators.ZERO_EXTEND_S2I, BI, 0))
                    .add((IntVector) nbLanes.convertShape(VectorOperators.ZERO_EXTEND_S2I, BI, 1));
        }
        int d = dot.reduceLanes(VectorOperators.ADD);
        int sa = na.reduceLanes(VectorOperators.ADD);
        int sb = nb.reduceLanes(VectorOperators.ADD);
        for (; i < dim; i++) {
            int x = (a[ao + i] & 0xFF);
            int y = (b.get(RowLayouts.I8, bo + i) & 0xFF);
            d += x * y;
            sa += x * x;
            sb += y * y;
        }
        return Metric.cosineDistance(d, sa, sb);
    }
}
