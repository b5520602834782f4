package io.diskann.pq;

import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.ShortVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link PqKernels} on the JDK Vector API. Table building runs across the 256 centroids of a chunk (16
 * AVX-512 registers' worth), so it is pure vertical arithmetic; the ADC lookup gathers table entries for
 * a group of chunks at once ({@link PqLookup#SCALAR} makes {@link DistanceTable} use the scalar look-up
 * instead: gathers are not faster than scalar loads on every CPU, see docs/PERFORMANCE.md).
 */
final class PanamaPqKernels implements PqKernels {

    private static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;
    private static final VectorSpecies<Integer> I = IntVector.SPECIES_PREFERRED;
    /** As many 16-bit lanes as {@link #F} has floats (null below 4: projections stay scalar). */
    private static final VectorSpecies<Short> S = shortsPerFloatRegister();
    /** Per-lane offsets {@code lane * 256} of a group of chunks. */
    private static final IntVector LANE_OFFSETS = IntVector.zero(I).addIndex(1).lanewise(VectorOperators.LSHL, 8);

    /** Bytes of one group of chunks: as many as int lanes (null below 8 lanes: lookups stay scalar). */
    private static final VectorSpecies<Byte> B = I.length() >= 8
            ? VectorSpecies.of(byte.class, VectorShape.forBitSize(I.length() * 8)) : null;

    private static VectorSpecies<Short> shortsPerFloatRegister() {
        if (F.length() < 4) {
            return null;
        }
        try {
            VectorSpecies<Short> s = VectorSpecies.of(short.class, VectorShape.forBitSize(F.length() * 16));
            return s.length() == F.length() ? s : null;
        } catch (IllegalArgumentException e) { // an unusual register width (SVE): the scalar projection
            return null;
        }
    }

    private PanamaPqKernels() {
    }

    static PqKernels create() {
        return new PanamaPqKernels();
    }

    /*
     * Both table kernels keep four groups of centroids in flight: with one, each group's d-loop is a chain
     * of dependent FMAs (4-cycle latency each). A 98-chunk query's table took 35-39 us on this project's
     * AVX2 machine with one group, 24 us with four (JMH, docs/PERFORMANCE.md section 21).
     */
    @Override
    public void squareDistances(float[] x, int xOff, int dims, float[] cT, int cOff, float[] out, int outOff) {
        int step = F.length();
        for (int j = 0; j < K; j += 4 * step) {
            FloatVector a0 = FloatVector.zero(F);
            FloatVector a1 = a0;
            FloatVector a2 = a0;
            FloatVector a3 = a0;
            for (int d = 0; d < dims; d++) {
                float xd = x[xOff + d];
                int row = cOff + d * K + j;
                FloatVector d0 = FloatVector.fromArray(F, cT, row).sub(xd);
                FloatVector d1 = FloatVector.fromArray(F, cT, row + step).sub(xd);
                FloatVector d2 = FloatVector.fromArray(F, cT, row + 2 * step).sub(xd);
                FloatVector d3 = FloatVector.fromArray(F, cT, row + 3 * step).sub(xd);
                a0 = d0.fma(d0, a0);
                a1 = d1.fma(d1, a1);
                a2 = d2.fma(d2, a2);
                a3 = d3.fma(d3, a3);
            }
            a0.intoArray(out, outOff + j);
            a1.intoArray(out, outOff + j + step);
            a2.intoArray(out, outOff + j + 2 * step);
            a3.intoArray(out, outOff + j + 3 * step);
        }
    }

    @Override
    public void negativeDots(float[] x, int xOff, int dims, float[] cT, int cOff, float[] out, int outOff) {
        for (int j = 0; j < K; j += 4 * F.length()) {
            fourBlockDots(x, xOff, dims, -1f, cT, cOff + j, K, out, outOff + j);
        }
    }

    /**
     * {@code out[outOff + i] = sign * sum_d x[xOff + d] * m[base + d * stride + i]} for four vectors' worth of i: four
     * independent FMA chains and four adjacent loads per component (one chain waits on each FMA's latency; see the
     * table kernels above; the projection's 392 x 784 took ~50 us per query with one chain).
     */
    private static void fourBlockDots(float[] x, int xOff, int dims, float sign, float[] m, int base, int stride,
                                      float[] out, int outOff) {
        int step = F.length();
        FloatVector a0 = FloatVector.zero(F);
        FloatVector a1 = a0;
        FloatVector a2 = a0;
        FloatVector a3 = a0;
        for (int d = 0; d < dims; d++) {
            FloatVector xd = FloatVector.broadcast(F, sign * x[xOff + d]);
            int row = base + d * stride;
            a0 = FloatVector.fromArray(F, m, row).fma(xd, a0);
            a1 = FloatVector.fromArray(F, m, row + step).fma(xd, a1);
            a2 = FloatVector.fromArray(F, m, row + 2 * step).fma(xd, a2);
            a3 = FloatVector.fromArray(F, m, row + 3 * step).fma(xd, a3);
        }
        a0.intoArray(out, outOff);
        a1.intoArray(out, outOff + step);
        a2.intoArray(out, outOff + 2 * step);
        a3.intoArray(out, outOff + 3 * step);
    }

    /**
     * {@code out[outOff + i] = scales[base + i] * sum_d x[xOff + d] * q[base + d * stride + i]} for four registers'
     * worth of i ({@code base} is the first output's index): the 16-bit coefficients widened to floats in registers
     * (one load of half the bytes, a sign extension and a conversion per register), four independent FMA chains,
     * the scale applied once at the end. The loop repeats {@link #fourBlockDots}'s on purpose: sharing it would
     * pass the load as a function, and the Vector API compiles to registers only what it sees inline.
     */
    private static void fourBlockDotsI16(float[] x, int xOff, int dims, short[] q, int base, int stride,
                                         float[] scales, float[] out, int outOff) {
        int step = F.length();
        FloatVector a0 = FloatVector.zero(F);
        FloatVector a1 = a0;
        FloatVector a2 = a0;
        FloatVector a3 = a0;
        for (int d = 0; d < dims; d++) {
            FloatVector xd = FloatVector.broadcast(F, x[xOff + d]);
            int row = base + d * stride;
            a0 = widen(q, row).fma(xd, a0);
            a1 = widen(q, row + step).fma(xd, a1);
            a2 = widen(q, row + 2 * step).fma(xd, a2);
            a3 = widen(q, row + 3 * step).fma(xd, a3);
        }
        a0.mul(FloatVector.fromArray(F, scales, base)).intoArray(out, outOff);
        a1.mul(FloatVector.fromArray(F, scales, base + step)).intoArray(out, outOff + step);
        a2.mul(FloatVector.fromArray(F, scales, base + 2 * step)).intoArray(out, outOff + 2 * step);
        a3.mul(FloatVector.fromArray(F, scales, base + 3 * step)).intoArray(out, outOff + 3 * step);
    }

    /** {@code F.length()} 16-bit coefficients from {@code q[at]}, as floats. */
    private static FloatVector widen(short[] q, int at) {
        return (FloatVector) ShortVector.fromArray(S, q, at).convertShape(VectorOperators.S2F, F, 0);
    }

    /** As {@link #fourBlockDotsI16}, one register of outputs. */
    private static void oneBlockDotsI16(float[] x, int xOff, int dims, short[] q, int base, int stride,
                                        float[] scales, float[] out, int outOff) {
        FloatVector acc = FloatVector.zero(F);
        for (int d = 0; d < dims; d++) {
            acc = widen(q, base + d * stride).fma(FloatVector.broadcast(F, x[xOff + d]), acc);
        }
        acc.mul(FloatVector.fromArray(F, scales, base)).intoArray(out, outOff);
    }

    /**
     * Four registers of outputs per pass over {@code x}, then one register at a time, the last of which starts at
     * {@code outDims - lanes} and recomputes a few outputs of the one before (each output's sum runs in the same
     * order, so they come out equal). No masked tail: it is no faster than the overlap (docs/PERFORMANCE.md
     * section 28, where masked 512-bit loads ran through the mask's bounds check) and the overlap is simpler.
     */
    @Override
    public void project(float[] x, int xOff, int dims, short[] q, float[] scales, int outDims, float[] out, int outOff) {
        int step = F.length();
        int block = 4 * step;
        if (S == null || outDims < step) { // fewer outputs than one register (or no short species): scalar
            ScalarPqKernels.INSTANCE.project(x, xOff, dims, q, scales, outDims, out, outOff);
            return;
        }
        int r = 0;
        for (; r + block <= outDims; r += block) {
            fourBlockDotsI16(x, xOff, dims, q, r, outDims, scales, out, outOff + r);
        }
        for (; r < outDims; r += step) {
            int at = Math.min(r, outDims - step);
            oneBlockDotsI16(x, xOff, dims, q, at, outDims, scales, out, outOff + at);
        }
    }

    @Override
    public int argmin256(float[] a, int off) {
        // first pass: the minimum value; second pass: the first lane holding it (no scalar rescan)
        FloatVector min = FloatVector.fromArray(F, a, off);
        for (int j = F.length(); j < K; j += F.length()) {
            min = min.min(FloatVector.fromArray(F, a, off + j));
        }
        float m = min.reduceLanes(VectorOperators.MIN);
        for (int j = 0; j < K; j += F.length()) {
            VectorMask<Float> hit = FloatVector.fromArray(F, a, off + j).eq(m);
            if (hit.anyTrue()) {
                return j + hit.firstTrue();
            }
        }
        return ScalarPqKernels.INSTANCE.argmin256(a, off); // NaN in the row: fall back
    }

    @Override
    public float lookup(float[] table, byte[] codes, int off, int chunks, int[] index) {
        if (B == null || chunks < I.length()) {
            return ScalarPqKernels.INSTANCE.lookup(table, codes, off, chunks, index);
        }
        int lanes = I.length();
        FloatVector acc = FloatVector.zero(F);
        int m = 0;
        for (; m + lanes <= chunks; m += lanes) {
            // codes of `lanes` chunks, widened to ints, plus each chunk's table row
            IntVector codeLanes = (IntVector) ByteVector.fromArray(B, codes, off + m)
                    .convertShape(VectorOperators.B2I, I, 0);
            codeLanes.and(0xFF).add(LANE_OFFSETS).add(m << 8).intoArray(index, 0);
            acc = acc.add(FloatVector.fromArray(F, table, 0, index, 0));
        }
        float sum = acc.reduceLanes(VectorOperators.ADD);
        for (; m < chunks; m++) {
            sum += table[(m << 8) + (codes[off + m] & 0xFF)];
        }
        return sum;
    }

    @Override
    public String name() {
        return "panama-" + F.vectorBitSize();
    }
}
