package io.diskann.vector;

import io.diskann.testing.TestSeeds;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.Random;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The Vector API kernels agree with the scalar reference for every type and metric, over awkward sizes
 * and extreme values. Surefire runs this class once per species width (see diskann-core/pom.xml), each in
 * its own JVM, because the width is fixed per JVM.
 *
 * <p>Tolerance for float types: both implementations sum the same n terms in a different order (and one
 * may fuse multiply-adds), so by the standard bound for recursive summation each result is within
 * {@code (n + 1) * u * sum|t_i|} of the exact sum, with {@code u = 2^-24}. Two such results differ by at
 * most twice that; the test allows {@code 2 (n + 2) u sum|t_i|} plus a few subnormal units for terms that
 * underflow. For cosine, Cauchy-Schwarz bounds {@code sum|x_i y_i|} by {@code |x||y|}, so the same
 * reasoning gives an absolute bound of about {@code 6 (n + 2) u} on {@code 1 - cos}. Integer types must
 * agree exactly.
 */
class DistanceKernelAgreementTest {

    static final int[] SIZES = IntStream.concat(IntStream.rangeClosed(1, 70),
            IntStream.of(127, 128, 129, 255, 256, 384, 768, 784, 960, 1536, 4096)).toArray();

    private static final double U = 0x1p-24;
    private static DistanceKernels scalar;
    private static DistanceKernels vector;

    @BeforeAll
    static void kernels() {
        scalar = SimdSupport.scalar();
        vector = SimdSupport.vector().orElse(null);
    }

    @Test
    void vectorKernelsAreAvailableAndUseTheForcedWidth() {
        assertTrue(vector != null, "tests run with --add-modules jdk.incubator.vector; Vector API kernels must load");
        String forced = System.getProperty(SimdSupport.WIDTH_PROPERTY);
        if (forced != null) {
            assertEquals(Integer.parseInt(forced), vector.widthBits(), "forced width");
        }
        // the agreement tests compare the two implementations directly, so they run under any mode; only
        // auto mode promises to pick the Vector API (-Ddiskann.simd=scalar forces the scalar kernels)
        if ("scalar".equals(System.getProperty("diskann.simd"))) {
            assertEquals(scalar.name(), SimdSupport.kernels().name(), "-Ddiskann.simd=scalar selects the scalar kernels");
        } else {
            assertEquals(vector.name(), SimdSupport.kernels().name(), "auto mode selects the Vector API kernels");
        }
    }

    /** Random floats from several regimes: ordinary, large, tiny (subnormal products), mixed signs. */
    private static float[] floats(Random r, int n, int regime) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = switch (regime) {
                case 0 -> (float) r.nextGaussian();
                case 1 -> (float) ((r.nextDouble() * 2 - 1) * 1e15);
                case 2 -> (float) ((r.nextDouble() * 2 - 1) * 1e-20);
                default -> switch (r.nextInt(4)) {
                    case 0 -> Float.MIN_VALUE * (r.nextBoolean() ? 1 : -1);
                    case 1 -> (float) (r.nextGaussian() * 1e10);
                    case 2 -> 0f;
                    default -> (float) r.nextGaussian();
                };
            };
        }
        return v;
    }

    private static void assertClose(double expected, double actual, double tolerance, String what) {
        assertTrue(Math.abs(expected - actual) <= tolerance,
                () -> what + ": scalar " + expected + " vs vector " + actual + " differ by "
                        + Math.abs(expected - actual) + " > tolerance " + tolerance);
    }

    @ParameterizedTest
    @EnumSource(Metric.class)
    void f32AgreesWithScalar(Metric metric) {
        assumeTrue(vector != null);
        Random r = TestSeeds.random(42 + metric.ordinal());
        for (int dim : SIZES) {
            for (int regime = 0; regime < 4; regime++) {
                // offsets exercise reads from the middle of a flat store
                int ao = r.nextInt(5);
                int bo = r.nextInt(5);
                float[] a = floats(r, dim + ao, regime);
                float[] b = floats(r, dim + bo, regime);
                double s = Distances.f32(scalar, metric, a, ao, b, bo, dim);
                double v = Distances.f32(vector, metric, a, ao, b, bo, dim);
                double scale = 0;
                for (int i = 0; i < dim; i++) {
                    double x = a[ao + i];
                    double y = b[bo + i];
                    scale += metric == Metric.L2 ? (x - y) * (x - y) : Math.abs(x * y);
                }
                double tol = metric == Metric.COSINE
                        ? 6 * (dim + 2) * U + 1e-6
                        : 2 * (dim + 2) * U * scale + 64 * dim * (double) Float.MIN_VALUE;
                assertClose(s, v, tol, "f32 " + metric + " dim " + dim + " regime " + regime);
            }
        }
    }

    /** Random binary16 values: ordinary, the largest finite magnitudes, subnormals, mixed. */
    private static short[] halves(Random r, int n, int regime) {
        short[] v = new short[n];
        for (int i = 0; i < n; i++) {
            float f = switch (regime) {
                case 0 -> (float) r.nextGaussian();
                case 1 -> (r.nextBoolean() ? 1 : -1) * (65504f - r.nextInt(64) * 32f);
                case 2 -> (r.nextBoolean() ? 1 : -1) * Float.float16ToFloat((short) (1 + r.nextInt(0x3FF)));
                default -> (float) (r.nextGaussian() * Math.pow(10, r.nextInt(9) - 4));
            };
            v[i] = Float.floatToFloat16(Math.max(-65504f, Math.min(65504f, f)));
        }
        return v;
    }

    @ParameterizedTest
    @EnumSource(Metric.class)
    void f16AgreesWithScalar(Metric metric) {
        assumeTrue(vector != null);
        Random r = TestSeeds.random(7 + metric.ordinal());
        for (int dim : SIZES) {
            for (int regime = 0; regime < 4; regime++) {
                int qo = r.nextInt(3);
                int bo = r.nextInt(3);
                float[] q = floats(r, dim + qo, regime == 1 ? 0 : regime);
                short[] b = halves(r, dim + bo, regime);
                double s = Distances.f16(scalar, metric, q, qo, b, bo, dim);
                double v = Distances.f16(vector, metric, q, qo, b, bo, dim);
                double scale = 0;
                for (int i = 0; i < dim; i++) {
                    double x = q[qo + i];
                    double y = Float.float16ToFloat(b[bo + i]);
                    scale += metric == Metric.L2 ? (x - y) * (x - y) : Math.abs(x * y);
                }
                double tol = metric == Metric.COSINE
                        ? 6 * (dim + 2) * U + 1e-6
                        : 2 * (dim + 2) * U * scale + 64 * dim * (double) Float.MIN_VALUE;
                assertClose(s, v, tol, "f16 " + metric + " dim " + dim + " regime " + regime);
            }
        }
    }

    /** Every finite binary16 value decodes exactly in the vector kernel, in every lane position. */
    @Test
    void f16DecodeIsExactForEveryFiniteHalf() {
        assumeTrue(vector != null);
        int dim = 64;
        float[] q = new float[dim];
        short[] b = new short[dim];
        for (int i = 0; i <= 0xFFFF; i++) {
            final int bits = i;
            short h = (short) bits;
            float expected = Float.float16ToFloat(h);
            if (!Float.isFinite(expected)) {
                continue;
            }
            int pos = bits % dim;
            q[pos] = 1f;
            b[pos] = h;
            float got = vector.dotProductF16(q, 0, b, 0, dim);
            // == rather than bit equality: the lane sum turns -0 into +0, which is the same distance
            assertTrue(expected == got,
                    () -> "half 0x" + Integer.toHexString(bits & 0xFFFF) + " decoded as " + got + ", expected " + expected);
            q[pos] = 0f;
            b[pos] = 0;
        }
    }

    private static byte[] bytes(Random r, int n, int regime, boolean unsigned) {
        byte[] v = new byte[n];
        for (int i = 0; i < n; i++) {
            v[i] = switch (regime) {
                case 0 -> (byte) r.nextInt(256);
                case 1 -> (byte) (unsigned ? 255 : (r.nextBoolean() ? -128 : 127));
                case 2 -> (byte) (unsigned ? (r.nextBoolean() ? 0 : 255) : (r.nextBoolean() ? -128 : 127));
                default -> (byte) (unsigned ? 0 : -128);
            };
        }
        return v;
    }

    @ParameterizedTest
    @EnumSource(Metric.class)
    void i8AgreesExactly(Metric metric) {
        assumeTrue(vector != null);
        Random r = TestSeeds.random(11 + metric.ordinal());
        for (int dim : SIZES) {
            for (int regime = 0; regime < 4; regime++) {
                int ao = r.nextInt(3);
                byte[] a = bytes(r, dim + ao, regime, false);
                byte[] b = bytes(r, dim, regime == 1 ? 2 : regime, false);
                switch (metric) {
                    case L2 -> assertEquals(scalar.squareDistanceI8(a, ao, b, 0, dim), vector.squareDistanceI8(a, ao, b, 0, dim),
                            "i8 L2 dim " + dim + " regime " + regime);
                    case INNER_PRODUCT -> assertEquals(scalar.dotProductI8(a, ao, b, 0, dim), vector.dotProductI8(a, ao, b, 0, dim),
                            "i8 dot dim " + dim + " regime " + regime);
                    case COSINE -> assertEquals(scalar.cosineDistanceI8(a, ao, b, 0, dim), vector.cosineDistanceI8(a, ao, b, 0, dim),
                            "i8 cosine dim " + dim + " regime " + regime);
                }
            }
        }
    }

    @ParameterizedTest
    @EnumSource(Metric.class)
    void u8AgreesExactly(Metric metric) {
        assumeTrue(vector != null);
        Random r = TestSeeds.random(13 + metric.ordinal());
        for (int dim : SIZES) {
            for (int regime = 0; regime < 4; regime++) {
                int ao = r.nextInt(3);
                byte[] a = bytes(r, dim + ao, regime, true);
                byte[] b = bytes(r, dim, regime == 1 ? 3 : regime, true);
                switch (metric) {
                    case L2 -> assertEquals(scalar.squareDistanceU8(a, ao, b, 0, dim), vector.squareDistanceU8(a, ao, b, 0, dim),
                            "u8 L2 dim " + dim + " regime " + regime);
                    case INNER_PRODUCT -> assertEquals(scalar.dotProductU8(a, ao, b, 0, dim), vector.dotProductU8(a, ao, b, 0, dim),
                            "u8 dot dim " + dim + " regime " + regime);
                    case COSINE -> assertEquals(scalar.cosineDistanceU8(a, ao, b, 0, dim), vector.cosineDistanceU8(a, ao, b, 0, dim),
                            "u8 cosine dim " + dim + " regime " + regime);
                }
            }
        }
    }

    /** At 4096 dimensions of extreme values the exact integer result is known in closed form. */
    @Test
    void integerKernelsDoNotOverflowAt4096Dimensions() {
        int dim = 4096;
        byte[] zeros = new byte[dim];
        byte[] max = new byte[dim];
        java.util.Arrays.fill(max, (byte) 255);
        byte[] minI8 = new byte[dim];
        java.util.Arrays.fill(minI8, (byte) -128);
        byte[] maxI8 = new byte[dim];
        java.util.Arrays.fill(maxI8, (byte) 127);
        for (DistanceKernels k : vector == null ? new DistanceKernels[] {scalar} : new DistanceKernels[] {scalar, vector}) {
            assertEquals(255 * 255 * dim, k.squareDistanceU8(zeros, 0, max, 0, dim), k.name());
            assertEquals(255 * 255 * dim, k.dotProductU8(max, 0, max, 0, dim), k.name());
            assertEquals(255 * 255 * dim, k.squareDistanceI8(minI8, 0, maxI8, 0, dim), k.name());
            assertEquals(128 * 128 * dim, k.dotProductI8(minI8, 0, minI8, 0, dim), k.name());
            assertEquals(-128 * 127 * dim, k.dotProductI8(minI8, 0, maxI8, 0, dim), k.name());
        }
    }

    /** Differences from reference values computed in double, for the selected kernels. */
    @Test
    void kernelsMatchDoublePrecisionReference() {
        Random r = TestSeeds.random(3);
        for (DistanceKernels k : vector == null ? new DistanceKernels[] {scalar} : new DistanceKernels[] {scalar, vector}) {
            for (int dim : new int[] {1, 3, 15, 17, 127, 129, 784, 1000}) {
                float[] a = floats(r, dim, 0);
                float[] b = floats(r, dim, 0);
                double l2 = 0;
                double dot = 0;
                double na = 0;
                double nb = 0;
                for (int i = 0; i < dim; i++) {
                    l2 += (a[i] - (double) b[i]) * (a[i] - (double) b[i]);
                    dot += a[i] * (double) b[i];
                    na += a[i] * (double) a[i];
                    nb += b[i] * (double) b[i];
                }
                assertClose(l2, k.squareDistanceF32(a, 0, b, 0, dim), 1e-5 * l2 + 1e-6, k.name() + " l2 " + dim);
                assertClose(dot, k.dotProductF32(a, 0, b, 0, dim), 1e-5 * Math.sqrt(na * nb) + 1e-6, k.name() + " dot " + dim);
                assertClose(1 - dot / Math.sqrt(na * nb), k.cosineDistanceF32(a, 0, b, 0, dim), 1e-5, k.name() + " cos " + dim);
            }
        }
    }

    /**
     * Query quantization: both kernels give {@link ScalarQuantizer#encode(float)}'s code for every component and the
     * same exactness as {@link ScalarQuantizer#decodesTo}, with components on the grid, at halves and just below
     * them, off the grid, clipped, huge, and one non-finite component at a random place (-1 from both).
     */
    @Test
    void quantizeAgreesWithEncodingEachComponent() {
        Random r = TestSeeds.random(11);
        DistanceKernels[] ks = vector == null ? new DistanceKernels[] {scalar} : new DistanceKernels[] {scalar, vector};
        for (int dim : SIZES) {
            for (int regime = 0; regime < 12; regime++) {
                boolean signed = r.nextBoolean();
                // regimes 6..11: the same values on the unit grid (offset 0, step 1), the kernels' own fast path
                boolean unit = regime >= 6;
                float step = unit || regime == 0 ? 1f : (float) Math.exp(r.nextGaussian() * 3);
                ScalarQuantizer sq = new ScalarQuantizer(signed, signed || unit ? 0f : (float) r.nextGaussian() * 10, step);
                int lo = signed ? -127 : 0;
                int hi = signed ? 127 : 255;
                float[] x = new float[dim];
                for (int i = 0; i < dim; i++) {
                    int code = lo + r.nextInt(hi - lo + 1);
                    float onGrid = sq.decode(code);
                    x[i] = switch (regime % 6) {
                        case 0, 1 -> onGrid; // exact (regime 1 off a power-of-two step may still round)
                        case 2 -> sq.decode(code) + step * 0.5f; // halves
                        case 3 -> Math.nextDown(sq.offset() + step * (code + 0.5f)); // just below a half
                        case 4 -> (float) ((r.nextDouble() * 3 - 1) * step * (hi - lo)); // off the grid, some clipped
                        default -> r.nextInt(20) == 0 ? (r.nextBoolean() ? 3e38f : -3e38f) : onGrid; // huge
                    };
                }
                boolean exact = true;
                byte[] expected = new byte[dim];
                for (int i = 0; i < dim; i++) {
                    int code = sq.encode(x[i]);
                    expected[i] = (byte) code;
                    exact &= sq.decodesTo(code, x[i]);
                }
                for (DistanceKernels k : ks) {
                    byte[] out = new byte[dim];
                    int got = k.quantize(x, sq.offset(), sq.step(), lo, hi, out, dim);
                    String what = k.name() + " dim " + dim + " regime " + regime + " " + sq;
                    assertEquals(exact ? 1 : 0, got, what);
                    for (int i = 0; i < dim; i++) {
                        final int at = i;
                        assertEquals(expected[i], out[i], () -> what + " component " + at + " = " + x[at]);
                    }
                    float[] bad = x.clone();
                    bad[r.nextInt(dim)] = switch (r.nextInt(3)) {
                        case 0 -> Float.NaN;
                        case 1 -> Float.POSITIVE_INFINITY;
                        default -> Float.NEGATIVE_INFINITY;
                    };
                    assertEquals(-1, k.quantize(bad, sq.offset(), sq.step(), lo, hi, out, dim), what + " non-finite");
                }
            }
        }
    }

    /** As the u8/i8 stores check a query: offset 0, step 1 and the type's range: exact means whole and in range. */
    @Test
    void quantizeWithUnitStepAcceptsExactlyTheWholeNumbersInRange() {
        Random r = TestSeeds.random(12);
        DistanceKernels[] ks = vector == null ? new DistanceKernels[] {scalar} : new DistanceKernels[] {scalar, vector};
        for (int dim : SIZES) {
            for (VectorType type : new VectorType[] {VectorType.U8, VectorType.I8}) {
                float lo = type == VectorType.U8 ? 0f : -128f;
                float hi = type == VectorType.U8 ? 255f : 127f;
                float[] x = new float[dim];
                for (int i = 0; i < dim; i++) {
                    x[i] = lo + r.nextInt((int) (hi - lo) + 1);
                }
                int spoil = r.nextInt(dim);
                float[] outside = x.clone();
                outside[spoil] = r.nextBoolean() ? hi + 1 : lo - 1;
                float[] fraction = x.clone();
                fraction[spoil] = x[spoil] + (x[spoil] < hi ? 0.25f : -0.25f);
                for (DistanceKernels k : ks) {
                    byte[] out = new byte[dim];
                    assertEquals(1, k.quantize(x, 0f, 1f, lo, hi, out, dim), k.name() + " " + type + " dim " + dim);
                    for (int i = 0; i < dim; i++) {
                        assertEquals((byte) (int) x[i], out[i], k.name() + " " + type + " component " + i);
                    }
                    assertEquals(0, k.quantize(outside, 0f, 1f, lo, hi, out, dim), k.name() + " out of range");
                    assertEquals(0, k.quantize(fraction, 0f, 1f, lo, hi, out, dim), k.name() + " not whole");
                }
            }
        }
    }

    /**
     * Rounding edges placed in every lane position: just below and at halves, where {@code c + 0.5} rounded to
     * float lands on the next whole number (0.49999997f), negative halves (Math.round takes -2.5f to -2), and the
     * ends of the range; each code must be Math.round's, on the unit grid and off it (step 0.5, offset -3).
     */
    @Test
    void quantizeRoundsTheEdgesAsMathRoundDoes() {
        float[] edges = {0.49999997f, 0.5f, Math.nextUp(0.5f), 1.4999999f, 1.5f, 2.5f, -0.5f, Math.nextDown(-0.5f),
            Math.nextUp(-0.5f), -2.5f, -1.5000001f, -127.5f, -127.49999f, 126.49999f, 126.5f, 254.49998f, 254.5f,
            Math.nextDown(254.5f), 0f, -0f, 0.24999999f, -0.49999997f};
        DistanceKernels[] ks = vector == null ? new DistanceKernels[] {scalar} : new DistanceKernels[] {scalar, vector};
        for (float[] grid : new float[][] {{0f, 1f}, {-3f, 0.5f}}) {
            for (boolean signed : new boolean[] {false, true}) {
                float lo = signed ? -128f : 0f;
                float hi = signed ? 127f : 255f;
                for (int shift = 0; shift < 17; shift++) {
                    int dim = edges.length + shift;
                    float[] x = new float[dim];
                    for (int i = 0; i < dim; i++) {
                        // the edge as the code value c, mapped back through the grid so (x - offset) / step == c
                        x[i] = grid[0] + grid[1] * edges[(i + shift) % edges.length];
                    }
                    for (DistanceKernels k : ks) {
                        byte[] out = new byte[dim];
                        k.quantize(x, grid[0], grid[1], lo, hi, out, dim);
                        for (int i = 0; i < dim; i++) {
                            float c = (x[i] - grid[0]) / grid[1];
                            int want = c <= lo ? (int) lo : c >= hi ? (int) hi : Math.round(c);
                            assertEquals((byte) want, out[i], k.name() + " grid " + grid[0] + "/" + grid[1] + " signed "
                                    + signed + " lane " + i + ": c = " + c);
                        }
                    }
                }
            }
        }
    }

    /** {@link DistanceKernels#projectF32}: the vector kernels agree with the scalar reference for every size and k. */
    @Test
    void projectionAgreesWithTheScalarReference() {
        Random r = TestSeeds.random(13);
        DistanceKernels[] ks = vector == null ? new DistanceKernels[] {scalar} : new DistanceKernels[] {scalar, vector};
        for (int dim : SIZES) {
            for (int k : new int[] {1, 4, 8, 16, 32}) {
                float[] t = new float[dim * k];
                float[] v = new float[dim];
                for (int i = 0; i < t.length; i++) {
                    t[i] = (float) r.nextGaussian();
                }
                double norm = 0;
                for (int i = 0; i < dim; i++) {
                    v[i] = (float) (r.nextGaussian() * 100);
                    norm += Math.abs(v[i]);
                }
                float[] want = new float[k];
                scalar.projectF32(t, k, v, dim, want);
                for (int c = 0; c < k; c++) {
                    double exact = 0;
                    for (int i = 0; i < dim; i++) {
                        exact += (double) v[i] * t[i * k + c];
                    }
                    assertEquals(exact, want[c], 1e-5 * norm * 4, "scalar reference, dim " + dim + " k " + k);
                }
                for (DistanceKernels kern : ks) {
                    float[] got = new float[k];
                    kern.projectF32(t, k, v, dim, got);
                    for (int c = 0; c < k; c++) {
                        assertEquals(want[c], got[c], 1e-5 * norm * 4, kern.name() + " dim " + dim + " k " + k + " direction " + c);
                    }
                }
            }
        }
    }
}
