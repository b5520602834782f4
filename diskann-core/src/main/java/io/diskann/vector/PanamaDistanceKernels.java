package io.diskann.vector;

import java.lang.foreign.MemorySegment;
import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.ShortVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;

/**
 * Distance kernels written with the JDK Vector API ({@code jdk.incubator.vector}).
 *
 * <p>Only {@link SimdSupport} loads this class, by name, after checking that the incubator module is
 * readable; nothing else may refer to it, so the library still runs on a JVM without the module.
 *
 * <p><b>Species are {@code static final}.</b> C2 intrinsifies a vector operation only when it can see the
 * species as a constant; a species passed around as a value was measured to make a kernel 10-30x slower.
 * The register width is therefore fixed once per JVM, from {@code -Ddiskann.simd.width} (64, 128, 256 or
 * 512 bits) or else the CPU's preferred width. Tests and benchmarks that want another width fork a JVM.
 *
 * <p>Layout of the work:
 * <ul>
 *   <li>f32: two independent accumulators over {@code 2 x lanes} elements per iteration (measured faster
 *       than four at 128 dimensions, where the extra reduction costs more than it hides), then at most
 *       one more vector, then a scalar tail; fused multiply-add when the JVM uses FMA instructions.</li>
 *   <li>f16: binary16 lanes are widened to int, shifted into float position and rescaled by 2^112, which
 *       is exact for normal and subnormal values (see {@link #decodeHalf}). Runs at no less than 128 bits
 *       because a 64-bit float vector would need a 32-bit short vector, which does not exist.</li>
 *   <li>i8/u8: a full register of bytes is read as 16-bit lanes, whose low halves are the even bytes and
 *       high halves the odd ones; a mask (u8) or a shift pair (i8) separates them into two vectors of
 *       16-bit values, which are subtracted and multiplied there (a product of two i8, or the square of a
 *       difference, fits 16 bits read signed or unsigned as appropriate). The 32-bit lanes of those
 *       products each hold two of them, and both halves are added to 32-bit accumulators, so the sums stay
 *       exact. One load per register of bytes, no widening shuffles: measured 40 -> 31 ns at 128 u8
 *       dimensions and 171 -> 127 ns at 784 (JMH, 4 MiB pool). A half-register step (bytes widened to
 *       16 then 32 bits, the previous method) and a scalar tail finish. Also at no less than 128 bits.</li>
 * </ul>
 * Tails are finished in scalar code, so no kernel reads outside {@code [offset, offset + dim)}, except the
 * split u8 L2 kernel, which reads whole blocks into a row's zero padding (see {@link DistanceKernels#u8SplitBlock}).
 */
final class PanamaDistanceKernels implements DistanceKernels {

    /** Width of the f32 kernels, in bits. */
    static final int WIDTH = resolveWidth();
    /** Width of the f16 and integer kernels: never below 128 bits (see class comment). */
    static final int WIDE_WIDTH = Math.max(128, WIDTH);

    static final VectorSpecies<Float> F = VectorSpecies.of(float.class, VectorShape.forBitSize(WIDTH));

    static final VectorSpecies<Float> HF = VectorSpecies.of(float.class, VectorShape.forBitSize(WIDE_WIDTH));
    static final VectorSpecies<Integer> HI = VectorSpecies.of(int.class, VectorShape.forBitSize(WIDE_WIDTH));
    static final VectorSpecies<Short> HS = VectorSpecies.of(short.class, VectorShape.forBitSize(WIDE_WIDTH / 2));

    static final VectorSpecies<Integer> BI = VectorSpecies.of(int.class, VectorShape.forBitSize(WIDE_WIDTH));
    static final VectorSpecies<Short> BS = VectorSpecies.of(short.class, VectorShape.forBitSize(WIDE_WIDTH));
    static final VectorSpecies<Byte> BB = VectorSpecies.of(byte.class, VectorShape.forBitSize(WIDE_WIDTH / 2));
    /** A full register of bytes, read as 16-bit lanes by the 8-bit kernels' main loops (see the class comment). */
    static final VectorSpecies<Byte> PB = VectorSpecies.of(byte.class, VectorShape.forBitSize(WIDE_WIDTH));
    /**
     * 16 bytes, for the last 16-31 bytes of a u8 row past the wide loops: with 512-bit registers an 80-byte
     * walk code or a 784-byte row left 16 bytes to the scalar loop, whose per-byte bounds checks took 7% of a
     * Fashion-MNIST build (JFR, docs/PERFORMANCE.md section 25).
     */
    static final VectorSpecies<Byte> B16 = ByteVector.SPECIES_128;
    static final VectorSpecies<Integer> I4 = IntVector.SPECIES_128;

    /**
     * The squared differences of 16 unsigned bytes, summed into 4 int lanes: even and odd bytes apart in 16-bit
     * lanes, as the wide loops split them. Shared by the array and segment u8 kernels' 16-byte loop (see {@link #B16}).
     */
    static IntVector squaredDiffsU8(ByteVector xb, ByteVector yb) {
        ShortVector x = xb.reinterpretAsShorts();
        ShortVector y = yb.reinterpretAsShorts();
        ShortVector de = x.and((short) 0xFF).sub(y.and((short) 0xFF));
        ShortVector dd = x.lanewise(VectorOperators.LSHR, 8).sub(y.lanewise(VectorOperators.LSHR, 8));
        IntVector se = de.mul(de).reinterpretAsInts();
        IntVector so = dd.mul(dd).reinterpretAsInts();
        return se.and(0xFFFF).add(se.lanewise(VectorOperators.LSHR, 16))
                .add(so.and(0xFFFF)).add(so.lanewise(VectorOperators.LSHR, 16));
    }

    /** Whether {@code fma} compiles to one instruction here; without hardware FMA it is very slow. */
    static final boolean USE_FMA = SimdSupport.jvmUsesFma();

    static final float TWO_POW_112 = 0x1p112f;
    /** After a sign-extended half is shifted left by 13: keep the sign (bit 31) and exponent+mantissa. */
    static final int HALF_SHIFTED_MASK = 0x8FFFE000;

    static final PanamaDistanceKernels INSTANCE = new PanamaDistanceKernels();

    private PanamaDistanceKernels() {
    }

    private static int resolveWidth() {
        String forced = System.getProperty(SimdSupport.WIDTH_PROPERTY);
        int preferred = FloatVector.SPECIES_PREFERRED.vectorBitSize();
        if (forced == null || forced.isBlank() || forced.equalsIgnoreCase("preferred")) {
            return preferred;
        }
        int bits;
        try {
            bits = Integer.parseInt(forced.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("-D" + SimdSupport.WIDTH_PROPERTY + "=" + forced
                    + " is not a number: expected 64, 128, 256, 512 or 'preferred'");
        }
        if (bits != 64 && bits != 128 && bits != 256 && bits != 512) {
            throw new IllegalArgumentException("-D" + SimdSupport.WIDTH_PROPERTY + "=" + forced
                    + " is not a vector width: expected 64, 128, 256, 512 or 'preferred'");
        }
        return bits;
    }

    @Override
    public String name() {
        return "panama-" + WIDTH;
    }

    @Override
    public int widthBits() {
        return WIDTH;
    }

    static FloatVector fma(FloatVector a, FloatVector b, FloatVector acc) {
        return USE_FMA ? a.fma(b, acc) : a.mul(b).add(acc);
    }

    // ---------------------------------------------------------------- f32

    @Override
    public float squareDistanceF32(float[] a, int aOffset, float[] b, int bOffset, int dim) {
        final int n = F.length();
        int i = 0;
        FloatVector acc1 = FloatVector.zero(F);
        FloatVector acc2 = FloatVector.zero(F);
        int bound2 = dim & -(2 * n);
        for (; i < bound2; i += 2 * n) {
            FloatVector d1 = FloatVector.fromArray(F, a, aOffset + i).sub(FloatVector.fromArray(F, b, bOffset + i));
            FloatVector d2 = FloatVector.fromArray(F, a, aOffset + i + n).sub(FloatVector.fromArray(F, b, bOffset + i + n));
            acc1 = fma(d1, d1, acc1);
            acc2 = fma(d2, d2, acc2);
        }
        if (i < (dim & -n)) {
            FloatVector d = FloatVector.fromArray(F, a, aOffset + i).sub(FloatVector.fromArray(F, b, bOffset + i));
            acc1 = fma(d, d, acc1);
            i += n;
        }
        float sum = acc1.add(acc2).reduceLanes(VectorOperators.ADD);
        for (; i < dim; i++) {
            float d = a[aOffset + i] - b[bOffset + i];
            sum += d * d;
        }
        return sum;
    }

    @Override
    public float dotProductF32(float[] a, int aOffset, float[] b, int bOffset, int dim) {
        final int n = F.length();
        int i = 0;
        FloatVector acc1 = FloatVector.zero(F);
        FloatVector acc2 = FloatVector.zero(F);
        int bound2 = dim & -(2 * n);
        for (; i < bound2; i += 2 * n) {
            acc1 = fma(FloatVector.fromArray(F, a, aOffset + i), FloatVector.fromArray(F, b, bOffset + i), acc1);
            acc2 = fma(FloatVector.fromArray(F, a, aOffset + i + n), FloatVector.fromArray(F, b, bOffset + i + n), acc2);
        }
        if (i < (dim & -n)) {
            acc1 = fma(FloatVector.fromArray(F, a, aOffset + i), FloatVector.fromArray(F, b, bOffset + i), acc1);
            i += n;
        }
        float sum = acc1.add(acc2).reduceLanes(VectorOperators.ADD);
        for (; i < dim; i++) {
            sum += a[aOffset + i] * b[bOffset + i];
        }
        return sum;
    }

    @Override
    public float cosineDistanceF32(float[] a, int aOffset, float[] b, int bOffset, int dim) {
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
            FloatVector x1 = FloatVector.fromArray(F, a, aOffset + i);
            FloatVector y1 = FloatVector.fromArray(F, b, bOffset + i);
            FloatVector x2 = FloatVector.fromArray(F, a, aOffset + i + n);
            FloatVector y2 = FloatVector.fromArray(F, b, bOffset + i + n);
            dot1 = fma(x1, y1, dot1);
            na1 = fma(x1, x1, na1);
            nb1 = fma(y1, y1, nb1);
            dot2 = fma(x2, y2, dot2);
            na2 = fma(x2, x2, na2);
            nb2 = fma(y2, y2, nb2);
        }
        int bound = F.loopBound(dim);
        for (; i < bound; i += n) {
            FloatVector x = FloatVector.fromArray(F, a, aOffset + i);
            FloatVector y = FloatVector.fromArray(F, b, bOffset + i);
            dot1 = fma(x, y, dot1);
            na1 = fma(x, x, na1);
            nb1 = fma(y, y, nb1);
        }
        float dot = dot1.add(dot2).reduceLanes(VectorOperators.ADD);
        float na = na1.add(na2).reduceLanes(VectorOperators.ADD);
        float nb = nb1.add(nb2).reduceLanes(VectorOperators.ADD);
        for (; i < dim; i++) {
            float x = a[aOffset + i];
            float y = b[bOffset + i];
            dot += x * y;
            na += x * x;
            nb += y * y;
        }
        return Metric.cosineDistance(dot, na, nb);
    }

    // ---------------------------------------------------------------- f16

    /**
     * Decodes {@code HF.length()} binary16 values to floats. The half is sign-extended to 32 bits and
     * shifted left by 13, which puts its exponent and mantissa where a float's low exponent bits and high
     * mantissa bits are and copies of its sign into bits 28-31; the mask keeps the sign in bit 31 only.
     * Read as a float, that is the half's value times 2^-112 (its exponent bias is 15, a float's 127), for
     * normal and subnormal halves alike; multiplying by 2^112 is then exact. Infinities and NaN are not
     * decoded (stored vectors are finite).
     */
    private static FloatVector decodeHalf(short[] b, int offset) {
        IntVector bits = (IntVector) ShortVector.fromArray(HS, b, offset).convertShape(VectorOperators.S2I, HI, 0);
        return bits.lanewise(VectorOperators.LSHL, 13).and(HALF_SHIFTED_MASK)
                .reinterpretAsFloats().mul(TWO_POW_112);
    }

    @Override
    public float squareDistanceF16(float[] query, int queryOffset, short[] b, int bOffset, int dim) {
        final int n = HF.length();
        int i = 0;
        FloatVector acc1 = FloatVector.zero(HF);
        FloatVector acc2 = FloatVector.zero(HF);
        int bound2 = dim - dim % (2 * n);
        for (; i < bound2; i += 2 * n) {
            FloatVector d1 = FloatVector.fromArray(HF, query, queryOffset + i).sub(decodeHalf(b, bOffset + i));
            FloatVector d2 = FloatVector.fromArray(HF, query, queryOffset + i + n).sub(decodeHalf(b, bOffset + i + n));
            acc1 = fma(d1, d1, acc1);
            acc2 = fma(d2, d2, acc2);
        }
        int bound = HF.loopBound(dim);
        for (; i < bound; i += n) {
            FloatVector d = FloatVector.fromArray(HF, query, queryOffset + i).sub(decodeHalf(b, bOffset + i));
            acc1 = fma(d, d, acc1);
        }
        float sum = acc1.add(acc2).reduceLanes(VectorOperators.ADD);
        for (; i < dim; i++) {
            float d = query[queryOffset + i] - Float.float16ToFloat(b[bOffset + i]);
            sum += d * d;
        }
        return sum;
    }

    @Override
    public float dotProductF16(float[] query, int queryOffset, short[] b, int bOffset, int dim) {
        final int n = HF.length();
        int i = 0;
        FloatVector acc1 = FloatVector.zero(HF);
        FloatVector acc2 = FloatVector.zero(HF);
        int bound2 = dim - dim % (2 * n);
        for (; i < bound2; i += 2 * n) {
            acc1 = fma(FloatVector.fromArray(HF, query, queryOffset + i), decodeHalf(b, bOffset + i), acc1);
            acc2 = fma(FloatVector.fromArray(HF, query, queryOffset + i + n), decodeHalf(b, bOffset + i + n), acc2);
        }
        int bound = HF.loopBound(dim);
        for (; i < bound; i += n) {
            acc1 = fma(FloatVector.fromArray(HF, query, queryOffset + i), decodeHalf(b, bOffset + i), acc1);
        }
        float sum = acc1.add(acc2).reduceLanes(VectorOperators.ADD);
        for (; i < dim; i++) {
            sum += query[queryOffset + i] * Float.float16ToFloat(b[bOffset + i]);
        }
        return sum;
    }

    @Override
    public float cosineDistanceF16(float[] query, int queryOffset, short[] b, int bOffset, int dim) {
        final int n = HF.length();
        int i = 0;
        FloatVector dot = FloatVector.zero(HF);
        FloatVector na = FloatVector.zero(HF);
        FloatVector nb = FloatVector.zero(HF);
        int bound = HF.loopBound(dim);
        for (; i < bound; i += n) {
            FloatVector x = FloatVector.fromArray(HF, query, queryOffset + i);
            FloatVector y = decodeHalf(b, bOffset + i);
            dot = fma(x, y, dot);
            na = fma(x, x, na);
            nb = fma(y, y, nb);
        }
        float d = dot.reduceLanes(VectorOperators.ADD);
        float sa = na.reduceLanes(VectorOperators.ADD);
        float sb = nb.reduceLanes(VectorOperators.ADD);
        for (; i < dim; i++) {
            float x = query[queryOffset + i];
            float y = Float.float16ToFloat(b[bOffset + i]);
            d += x * y;
            sa += x * x;
            sb += y * y;
        }
        return Metric.cosineDistance(d, sa, sb);
    }

    // ---------------------------------------------------------------- i8 / u8 (PanamaByteKernels)

    @Override
    public int squareDistanceI8(byte[] a, int ao, byte[] b, int bo, int dim) {
        return PanamaByteKernels.squareDistanceI8(a, ao, b, bo, dim);
    }

    @Override
    public int dotProductI8(byte[] a, int ao, byte[] b, int bo, int dim) {
        return PanamaByteKernels.dotProductI8(a, ao, b, bo, dim);
    }

    @Override
    public float cosineDistanceI8(byte[] a, int ao, byte[] b, int bo, int dim) {
        return PanamaByteKernels.cosineDistanceI8(a, ao, b, bo, dim);
    }

    @Override
    public int squareDistanceU8(byte[] a, int ao, byte[] b, int bo, int dim) {
        return PanamaByteKernels.squareDistanceU8(a, ao, b, bo, dim);
    }

    @Override
    public int dotProductU8(byte[] a, int ao, byte[] b, int bo, int dim) {
        return PanamaByteKernels.dotProductU8(a, ao, b, bo, dim);
    }

    @Override
    public float cosineDistanceU8(byte[] a, int ao, byte[] b, int bo, int dim) {
        return PanamaByteKernels.cosineDistanceU8(a, ao, b, bo, dim);
    }

    // ---------------------------------------------------------------- query array x stored segment

    @Override
    public float squareDistanceF32(float[] q, int qOffset, MemorySegment b, long bOffset, int dim) {
        return PanamaSegmentKernels.squareDistanceF32(q, qOffset, b, bOffset, dim);
    }

    @Override
    public float dotProductF32(float[] q, int qOffset, MemorySegment b, long bOffset, int dim) {
        return PanamaSegmentKernels.dotProductF32(q, qOffset, b, bOffset, dim);
    }

    @Override
    public float cosineDistanceF32(float[] q, int qOffset, MemorySegment b, long bOffset, int dim) {
        return PanamaSegmentKernels.cosineDistanceF32(q, qOffset, b, bOffset, dim);
    }

    @Override
    public float squareDistanceF16(float[] q, int qOffset, MemorySegment b, long bOffset, int dim) {
        return PanamaSegmentKernels.squareDistanceF16(q, qOffset, b, bOffset, dim);
    }

    @Override
    public float dotProductF16(float[] q, int qOffset, MemorySegment b, long bOffset, int dim) {
        return PanamaSegmentKernels.dotProductF16(q, qOffset, b, bOffset, dim);
    }

    @Override
    public float cosineDistanceF16(float[] q, int qOffset, MemorySegment b, long bOffset, int dim) {
        return PanamaSegmentKernels.cosineDistanceF16(q, qOffset, b, bOffset, dim);
    }

    @Override
    public int squareDistanceI8(byte[] q, int qOffset, MemorySegment b, long bOffset, int dim) {
        return PanamaSegmentKernels.squareDistanceI8(q, qOffset, b, bOffset, dim);
    }

    @Override
    public int dotProductI8(byte[] q, int qOffset, MemorySegment b, long bOffset, int dim) {
        return PanamaSegmentKernels.dotProductI8(q, qOffset, b, bOffset, dim);
    }

    @Override
    public float cosineDistanceI8(byte[] q, int qOffset, MemorySegment b, long bOffset, int dim) {
        return PanamaSegmentKernels.cosineDistanceI8(q, qOffset, b, bOffset, dim);
    }

    @Override
    public int squareDistanceU8(byte[] q, int qOffset, MemorySegment b, long bOffset, int dim) {
        return PanamaSegmentKernels.squareDistanceU8(q, qOffset, b, bOffset, dim);
    }

    @Override
    public int u8SplitBlock() {
        return PB.length();
    }

    @Override
    public void splitU8(byte[] q, int dim, short[] out, int paddedDim) {
        PanamaSegmentKernels.splitU8(q, dim, out, paddedDim);
    }

    @Override
    public int squareDistanceU8Split(short[] split, MemorySegment b, long bOffset, int paddedDim) {
        return PanamaSegmentKernels.squareDistanceU8Split(split, b, bOffset, paddedDim);
    }

    @Override
    public int dotProductU8(byte[] q, int qOffset, MemorySegment b, long bOffset, int dim) {
        return PanamaSegmentKernels.dotProductU8(q, qOffset, b, bOffset, dim);
    }

    @Override
    public float cosineDistanceU8(byte[] q, int qOffset, MemorySegment b, long bOffset, int dim) {
        return PanamaSegmentKernels.cosineDistanceU8(q, qOffset, b, bOffset, dim);
    }

    /**
     * See {@link DistanceKernels#projectF32}: per register of directions, four accumulators over the components
     * (independent chains of multiply-adds), summed once at the end; {@code k} not a multiple of the lanes goes
     * to the scalar reference.
     */
    @Override
    public void projectF32(float[] transposed, int k, float[] v, int dim, float[] out) {
        int lanes = F.length();
        if (k % lanes != 0 || lanes < 4) {
            DistanceKernels.super.projectF32(transposed, k, v, dim, out);
            return;
        }
        for (int r = 0; r < k; r += lanes) {
            FloatVector a0 = FloatVector.zero(F);
            FloatVector a1 = FloatVector.zero(F);
            FloatVector a2 = FloatVector.zero(F);
            FloatVector a3 = FloatVector.zero(F);
            int i = 0;
            for (; i + 4 <= dim; i += 4) {
                int base = i * k + r;
                a0 = FloatVector.fromArray(F, transposed, base).fma(FloatVector.broadcast(F, v[i]), a0);
                a1 = FloatVector.fromArray(F, transposed, base + k).fma(FloatVector.broadcast(F, v[i + 1]), a1);
                a2 = FloatVector.fromArray(F, transposed, base + 2 * k).fma(FloatVector.broadcast(F, v[i + 2]), a2);
                a3 = FloatVector.fromArray(F, transposed, base + 3 * k).fma(FloatVector.broadcast(F, v[i + 3]), a3);
            }
            for (; i < dim; i++) {
                a0 = FloatVector.fromArray(F, transposed, i * k + r).fma(FloatVector.broadcast(F, v[i]), a0);
            }
            a0.add(a1).add(a2.add(a3)).intoArray(out, r);
        }
    }

    // ---------------------------------------------------------------- query quantization

    /** The bytes one register of {@link #F} floats narrows to; null below 8 lanes (no 32-bit byte vector). */
    private static final VectorSpecies<Byte> QB = F.length() >= 8
            ? VectorSpecies.of(byte.class, VectorShape.forBitSize(WIDTH / 4)) : null;

    /** Ints of {@link #F}'s shape: a register of codes before they narrow to bytes. */
    private static final VectorSpecies<Integer> QI = VectorSpecies.of(int.class, VectorShape.forBitSize(WIDTH));
    /** The exponent bits of a float: all set for infinities and NaN. */
    private static final int EXPONENT = 0x7F800000;

    /**
     * Encodes without masks: non-finite components show as an all-ones exponent (a running maximum of the
     * exponent bits), inexact codes as a nonzero {@code |decode - x|} (a running OR of its bits), the code comes
     * from {@link #roundHalfUp} and narrows through ints. Why: the first vector form (masked increments, {@code
     * IS_FINITE}, mask ORs, a float-to-byte conversion) took 347 ns for 784 components on the unit grid here, this
     * one about half (docs/PERFORMANCE.md section 42), and every search of 8-bit codes quantizes its query first.
     */
    @Override
    public int quantize(float[] x, float offset, float step, float lo, float hi, byte[] out, int dim) {
        if (QB == null) {
            return ScalarDistanceKernels.quantizeScalar(x, 0, offset, step, lo, hi, out, dim);
        }
        if (offset == 0f && step == 1f) {
            return quantizeUnitStep(x, lo, hi, out, dim);
        }
        int i = 0;
        int bound = F.loopBound(dim);
        IntVector exponents = IntVector.zero(QI);
        IntVector off = IntVector.zero(QI);
        for (; i < bound; i += F.length()) {
            FloatVector v = FloatVector.fromArray(F, x, i);
            exponents = exponents.max(v.reinterpretAsInts().and(EXPONENT));
            FloatVector c = v.sub(offset).div(step).max(lo).min(hi);
            IntVector r = roundHalfUp(c);
            FloatVector decoded = ((FloatVector) r.convert(VectorOperators.I2F, 0)).mul(step).add(offset);
            off = off.or(decoded.sub(v).reinterpretAsInts().and(0x7FFFFFFF));
            r.convertShape(VectorOperators.I2B, QB, 0).reinterpretAsBytes().intoArray(out, i);
        }
        return finish(x, i, offset, step, lo, hi, out, dim, exponents, off);
    }

    /**
     * {@link #quantize} with offset 0 and step 1, the queries of u8/i8 stores and of codes whose grid is the whole
     * numbers (8-bit data stored as floats): the same codes and answer without the subtraction, the division and
     * the multiply of the decode ({@code (x - 0) / 1} and {@code 0 + 1 * code} are exact). A loop of its own on
     * purpose: one loop choosing by a loop-invariant flag ran as slowly as the general one (section 39).
     */
    private static int quantizeUnitStep(float[] x, float lo, float hi, byte[] out, int dim) {
        int i = 0;
        int bound = F.loopBound(dim);
        IntVector exponents = IntVector.zero(QI);
        IntVector off = IntVector.zero(QI);
        for (; i < bound; i += F.length()) {
            FloatVector v = FloatVector.fromArray(F, x, i);
            exponents = exponents.max(v.reinterpretAsInts().and(EXPONENT));
            IntVector r = roundHalfUp(v.max(lo).min(hi));
            off = off.or(((FloatVector) r.convert(VectorOperators.I2F, 0)).sub(v).reinterpretAsInts().and(0x7FFFFFFF));
            r.convertShape(VectorOperators.I2B, QB, 0).reinterpretAsBytes().intoArray(out, i);
        }
        return finish(x, i, 0f, 1f, lo, hi, out, dim, exponents, off);
    }

    /**
     * Math.round's code of each lane of {@code c} (|c| < 2^22): {@code t = trunc(c + 0.5)}, less one where {@code c
     * < t - 0.5}. The sum is rounded to float and may land on the next whole number ({@code 0.49999997f + 0.5f} is
     * 1.0f), and truncation rounds negative sums up; both leave {@code t} exactly one too high, which the test
     * catches ({@code t - 0.5} is exact, and a difference keeps its sign when rounded). Halves go up: 0.5f is 1,
     * -2.5f is -2.
     */
    private static IntVector roundHalfUp(FloatVector c) {
        IntVector t = (IntVector) c.add(0.5f).convert(VectorOperators.F2I, 0);
        FloatVector below = c.sub(((FloatVector) t.convert(VectorOperators.I2F, 0)).sub(0.5f));
        return t.sub(below.reinterpretAsInts().lanewise(VectorOperators.LSHR, 31));
    }

    /** The scalar tail, then the answer: -1 if some exponent was all ones, 0 if some code was inexact, else 1. */
    private static int finish(float[] x, int i, float offset, float step, float lo, float hi, byte[] out, int dim,
            IntVector exponents, IntVector off) {
        if (exponents.reduceLanes(VectorOperators.MAX) == EXPONENT) {
            return -1;
        }
        int tail = ScalarDistanceKernels.quantizeScalar(x, i, offset, step, lo, hi, out, dim);
        return tail < 0 ? -1 : off.reduceLanes(VectorOperators.OR) != 0 ? 0 : tail;
    }
}
