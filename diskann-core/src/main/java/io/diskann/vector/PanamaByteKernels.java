package io.diskann.vector;

import static io.diskann.vector.PanamaDistanceKernels.B16;
import static io.diskann.vector.PanamaDistanceKernels.BB;
import static io.diskann.vector.PanamaDistanceKernels.BI;
import static io.diskann.vector.PanamaDistanceKernels.BS;
import static io.diskann.vector.PanamaDistanceKernels.I4;
import static io.diskann.vector.PanamaDistanceKernels.PB;

import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.ShortVector;
import jdk.incubator.vector.VectorOperators;

/**
 * The Vector API kernels of {@link PanamaDistanceKernels} for 8-bit vectors held in heap arrays (i8 and u8:
 * squared L2, dot product, cosine), kept apart so each file holds one family of kernels. Exact integer
 * sums; agreement with the scalar kernels at every width is tested ({@code DistanceKernelAgreementTest}).
 */
final class PanamaByteKernels {

    private PanamaByteKernels() {
    }

    // ---------------------------------------------------------------- i8 / u8

    // The 16-to-32-bit widening and accumulation is written out in every loop rather than in a helper:
    // a helper was measured (-XX:+PrintInlining) to fail inlining in the cosine kernels ("callee is too
    // large"), which boxes the vectors across the call and made u8 cosine at 784 dims 4x slower.

    static ShortVector widenSigned(byte[] v, int offset) {
        return (ShortVector) ByteVector.fromArray(BB, v, offset).convertShape(VectorOperators.B2S, BS, 0);
    }

    static ShortVector widenUnsigned(byte[] v, int offset) {
        return (ShortVector) ByteVector.fromArray(BB, v, offset).convertShape(VectorOperators.ZERO_EXTEND_B2S, BS, 0);
    }

    static int squareDistanceI8(byte[] a, int ao, byte[] b, int bo, int dim) {
        final int wide = PB.length();
        final int step = BB.length();
        int i = 0;
        IntVector acc = IntVector.zero(BI);
        int wideBound = PB.loopBound(dim);
        for (; i < wideBound; i += wide) {
            ShortVector x = ByteVector.fromArray(PB, a, ao + i).reinterpretAsShorts();
            ShortVector y = ByteVector.fromArray(PB, b, bo + i).reinterpretAsShorts();
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
            ShortVector d = widenSigned(a, ao + i).sub(widenSigned(b, bo + i));
            ShortVector accLanes = d.mul(d);
            acc = acc.add((IntVector) accLanes.convertShape(VectorOperators.ZERO_EXTEND_S2I, BI, 0))
                    .add((IntVector) accLanes.convertShape(VectorOperators.ZERO_EXTEND_S2I, BI, 1));
        }
        int sum = acc.reduceLanes(VectorOperators.ADD);
        for (; i < dim; i++) {
            int d = a[ao + i] - b[bo + i];
            sum += d * d;
        }
        return sum;
    }

    static int dotProductI8(byte[] a, int ao, byte[] b, int bo, int dim) {
        final int wide = PB.length();
        final int step = BB.length();
        int i = 0;
        IntVector acc = IntVector.zero(BI);
        int wideBound = PB.loopBound(dim);
        for (; i < wideBound; i += wide) {
            ShortVector x = ByteVector.fromArray(PB, a, ao + i).reinterpretAsShorts();
            ShortVector y = ByteVector.fromArray(PB, b, bo + i).reinterpretAsShorts();
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
            ShortVector accLanes = widenSigned(a, ao + i).mul(widenSigned(b, bo + i));
            acc = acc.add((IntVector) accLanes.convertShape(VectorOperators.S2I, BI, 0))
                    .add((IntVector) accLanes.convertShape(VectorOperators.S2I, BI, 1));
        }
        int sum = acc.reduceLanes(VectorOperators.ADD);
        for (; i < dim; i++) {
            sum += a[ao + i] * b[bo + i];
        }
        return sum;
    }

    static float cosineDistanceI8(byte[] a, int ao, byte[] b, int bo, int dim) {
        final int wide = PB.length();
        final int step = BB.length();
        int i = 0;
        IntVector dot = IntVector.zero(BI);
        IntVector na = IntVector.zero(BI);
        IntVector nb = IntVector.zero(BI);
        int wideBound = PB.loopBound(dim);
        for (; i < wideBound; i += wide) {
            ShortVector x = ByteVector.fromArray(PB, a, ao + i).reinterpretAsShorts();
            ShortVector y = ByteVector.fromArray(PB, b, bo + i).reinterpretAsShorts();
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
            ShortVector y = widenSigned(b, bo + i);
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
            int y = b[bo + i];
            d += x * y;
            sa += x * x;
            sb += y * y;
        }
        return Metric.cosineDistance(d, sa, sb);
    }

    static int squareDistanceU8(byte[] a, int ao, byte[] b, int bo, int dim) {
        final int wide = PB.length();
        final int step = BB.length();
        int i = 0;
        IntVector acc = IntVector.zero(BI);
        int wideBound = PB.loopBound(dim);
        for (; i < wideBound; i += wide) {
            ShortVector x = ByteVector.fromArray(PB, a, ao + i).reinterpretAsShorts();
            ShortVector y = ByteVector.fromArray(PB, b, bo + i).reinterpretAsShorts();
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
            ShortVector d = widenUnsigned(a, ao + i).sub(widenUnsigned(b, bo + i));
            ShortVector accLanes = d.mul(d);
            acc = acc.add((IntVector) accLanes.convertShape(VectorOperators.ZERO_EXTEND_S2I, BI, 0))
                    .add((IntVector) accLanes.convertShape(VectorOperators.ZERO_EXTEND_S2I, BI, 1));
        }
        int sum = acc.reduceLanes(VectorOperators.ADD);
        int midBound = B16.loopBound(dim);
        if (i < midBound) { // 16 of the last 16-31 bytes, as the wide loop does them (see B16)
            IntVector acc4 = IntVector.zero(I4);
            for (; i < midBound; i += B16.length()) {
                acc4 = acc4.add(PanamaDistanceKernels.squaredDiffsU8(ByteVector.fromArray(B16, a, ao + i), ByteVector.fromArray(B16, b, bo + i)));
            }
            sum += acc4.reduceLanes(VectorOperators.ADD);
        }
        for (; i < dim; i++) {
            int d = (a[ao + i] & 0xFF) - (b[bo + i] & 0xFF);
            sum += d * d;
        }
        return sum;
    }

    static int dotProductU8(byte[] a, int ao, byte[] b, int bo, int dim) {
        final int wide = PB.length();
        final int step = BB.length();
        int i = 0;
        IntVector acc = IntVector.zero(BI);
        int wideBound = PB.loopBound(dim);
        for (; i < wideBound; i += wide) {
            ShortVector x = ByteVector.fromArray(PB, a, ao + i).reinterpretAsShorts();
            ShortVector y = ByteVector.fromArray(PB, b, bo + i).reinterpretAsShorts();
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
            ShortVector accLanes = widenUnsigned(a, ao + i).mul(widenUnsigned(b, bo + i));
            acc = acc.add((IntVector) accLanes.convertShape(VectorOperators.ZERO_EXTEND_S2I, BI, 0))
                    .add((IntVector) accLanes.convertShape(VectorOperators.ZERO_EXTEND_S2I, BI, 1));
        }
        int sum = acc.reduceLanes(VectorOperators.ADD);
        for (; i < dim; i++) {
            sum += (a[ao + i] & 0xFF) * (b[bo + i] & 0xFF);
        }
        return sum;
    }

    static float cosineDistanceU8(byte[] a, int ao, byte[] b, int bo, int dim) {
        final int wide = PB.length();
        final int step = BB.length();
        int i = 0;
        IntVector dot = IntVector.zero(BI);
        IntVector na = IntVector.zero(BI);
        IntVector nb = IntVector.zero(BI);
        int wideBound = PB.loopBound(dim);
        for (; i < wideBound; i += wide) {
            ShortVector x = ByteVector.fromArray(PB, a, ao + i).reinterpretAsShorts();
            ShortVector y = ByteVector.fromArray(PB, b, bo + i).reinterpretAsShorts();
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
            ShortVector y = widenUnsigned(b, bo + i);
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
            int y = (b[bo + i] & 0xFF);
            d += x * y;
            sa += x * x;
            sb += y * y;
        }
        return Metric.cosineDistance(d, sa, sb);
    }
}
