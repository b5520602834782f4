package io.diskann.pq;

import io.diskann.testing.TestSeeds;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

/** The Vector-API PQ kernels agree with the scalar ones over awkward sizes. */
class PqKernelAgreementTest {

    private final PqKernels simd = PqKernels.get();
    private final PqKernels scalar = PqKernels.scalar();

    @Test
    void theVectorKernelsAreInUse() {
        // the agreement tests compare both implementations directly; only auto mode promises the Vector API
        if ("scalar".equals(System.getProperty("diskann.simd"))) {
            assertTrue(simd.name().startsWith("scalar"), "-Ddiskann.simd=scalar selects the scalar kernels; got " + simd.name());
        } else {
            assertTrue(simd.name().startsWith("panama"), "tests run with the Vector API enabled; got " + simd.name());
        }
    }

    @Test
    void tablesAgree() {
        Random r = TestSeeds.random(3);
        for (int dims : new int[] {1, 2, 3, 4, 7, 8, 15, 16, 17, 33}) {
            float[] x = new float[dims + 5];
            float[] c = new float[dims * 256 + 7];
            for (int i = 0; i < x.length; i++) {
                x[i] = (float) r.nextGaussian();
            }
            for (int i = 0; i < c.length; i++) {
                c[i] = (float) r.nextGaussian();
            }
            float[] a = new float[256 + 3];
            float[] b = new float[256 + 3];
            simd.squareDistances(x, 5, dims, c, 7, a, 3);
            scalar.squareDistances(x, 5, dims, c, 7, b, 3);
            for (int j = 3; j < 259; j++) {
                assertEquals(b[j], a[j], 1e-5f * Math.max(1, Math.abs(b[j])), "l2 dims " + dims + " j " + j);
            }
            assertEquals(scalar.argmin256(b, 3), simd.argmin256(b, 3));
            simd.negativeDots(x, 5, dims, c, 7, a, 3);
            scalar.negativeDots(x, 5, dims, c, 7, b, 3);
            for (int j = 3; j < 259; j++) {
                assertEquals(b[j], a[j], 1e-5f * Math.max(1, Math.abs(b[j])), "dot dims " + dims + " j " + j);
            }
        }
    }

    @Test
    void projectionsAgree() {
        Random r = TestSeeds.random(5);
        for (int dims : new int[] {1, 3, 17, 128, 784}) {
            for (int outDims : new int[] {1, 3, 15, 16, 17, 63, 64, 65, 127, 129, 196, 392}) {
                float[] x = new float[dims + 2];
                short[] q = new short[dims * outDims];
                float[] scales = new float[outDims];
                for (int i = 0; i < x.length; i++) {
                    x[i] = (float) r.nextGaussian();
                }
                for (int i = 0; i < q.length; i++) {
                    q[i] = (short) (r.nextInt(65536) - 32768);
                }
                for (int i = 0; i < outDims; i++) {
                    scales[i] = (float) (r.nextDouble() * 1e-4);
                }
                float[] a = new float[outDims + 4];
                float[] b = new float[outDims + 4];
                a[0] = b[0] = 42f;
                a[outDims + 3] = b[outDims + 3] = -7f;
                simd.project(x, 2, dims, q, scales, outDims, a, 3);
                scalar.project(x, 2, dims, q, scales, outDims, b, 3);
                for (int j = 3; j < outDims + 3; j++) {
                    double exact = 0;
                    double magnitude = 0;
                    for (int d = 0; d < dims; d++) {
                        exact += (double) x[2 + d] * q[d * outDims + j - 3] * scales[j - 3];
                        magnitude += Math.abs((double) x[2 + d] * q[d * outDims + j - 3] * scales[j - 3]);
                    }
                    double tol = 1e-6 * magnitude + 1e-12;
                    assertEquals(exact, b[j], tol, "scalar, dims " + dims + " out " + outDims + " j " + j);
                    assertEquals(exact, a[j], tol, "vector, dims " + dims + " out " + outDims + " j " + j);
                }
                assertEquals(42f, a[0], "writes nothing before outOff");
                assertEquals(-7f, a[outDims + 3], "writes nothing past outDims");
            }
        }
    }

    @Test
    void lookupsAgree() {
        Random r = TestSeeds.random(4);
        int[] scratch = new int[PqKernels.SCRATCH];
        for (int chunks : new int[] {1, 3, 7, 8, 15, 16, 17, 31, 32, 33, 49, 64, 98, 127, 129, 196}) {
            float[] table = new float[chunks * 256];
            for (int i = 0; i < table.length; i++) {
                table[i] = r.nextFloat() * 10;
            }
            byte[] codes = new byte[chunks * 4 + 3];
            r.nextBytes(codes);
            for (int off : new int[] {0, 3, chunks * 3 + 3}) {
                float expected = 0;
                for (int m = 0; m < chunks; m++) {
                    expected += table[m * 256 + (codes[off + m] & 0xFF)];
                }
                float s = scalar.lookup(table, codes, off, chunks, scratch);
                float v = simd.lookup(table, codes, off, chunks, scratch);
                assertEquals(expected, s, 1e-4f * expected, "scalar, chunks " + chunks);
                assertEquals(expected, v, 1e-4f * expected, "vector, chunks " + chunks);
            }
        }
    }
}
