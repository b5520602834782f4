package io.diskann.bench;

import io.diskann.vector.DistanceKernels;
import io.diskann.vector.Metric;
import io.diskann.vector.SimdSupport;
import java.util.Random;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/**
 * Checks in a few seconds that the selected SIMD kernels agree with the scalar ones on this machine and
 * prints which kernels run, so a user can trust an installation before benchmarking it.
 */
@Command(name = "selfcheck", mixinStandardHelpOptions = true,
        description = "Verify the SIMD distance kernels against the scalar reference on this machine.")
final class SelfCheckCommand implements Callable<Integer> {

    @Override
    public Integer call() {
        DistanceKernels scalar = SimdSupport.scalar();
        DistanceKernels selected = SimdSupport.kernels();
        System.out.println("kernels: " + SimdSupport.describe());
        Random r = new Random(1);
        int checked = 0;
        for (int dim : new int[] {1, 3, 15, 17, 127, 129, 784, 1000}) {
            float[] a = new float[dim];
            float[] b = new float[dim];
            byte[] x = new byte[dim];
            byte[] y = new byte[dim];
            for (int i = 0; i < dim; i++) {
                a[i] = (float) r.nextGaussian();
                b[i] = (float) r.nextGaussian();
                x[i] = (byte) r.nextInt(256);
                y[i] = (byte) r.nextInt(256);
            }
            for (Metric m : Metric.values()) {
                float s = io.diskann.vector.Distances.distance(m, a, b);
                float t = switch (m) {
                    case L2 -> scalar.squareDistanceF32(a, 0, b, 0, dim);
                    case INNER_PRODUCT -> -scalar.dotProductF32(a, 0, b, 0, dim);
                    case COSINE -> scalar.cosineDistanceF32(a, 0, b, 0, dim);
                };
                if (Math.abs(s - t) > 1e-4 * Math.max(1, Math.abs(t))) {
                    System.out.println("MISMATCH f32 " + m + " dim " + dim + ": " + s + " vs scalar " + t);
                    return 1;
                }
                checked++;
            }
            if (scalar.squareDistanceU8(x, 0, y, 0, dim) != selected.squareDistanceU8(x, 0, y, 0, dim)
                    || scalar.dotProductI8(x, 0, y, 0, dim) != selected.dotProductI8(x, 0, y, 0, dim)) {
                System.out.println("MISMATCH 8-bit kernels at dim " + dim);
                return 1;
            }
            checked += 2;
            // query quantization: codes and exactness of halves, whole numbers and off-grid values
            float[] q = new float[dim];
            for (int i = 0; i < dim; i++) {
                q[i] = r.nextInt(4) == 0 ? r.nextInt(256) + 0.5f : r.nextInt(3) == 0 ? (float) r.nextGaussian() * 90 : r.nextInt(256);
            }
            byte[] cs = new byte[dim];
            byte[] cv = new byte[dim];
            if (scalar.quantize(q, 0f, 1f, 0f, 255f, cs, dim) != selected.quantize(q, 0f, 1f, 0f, 255f, cv, dim)
                    || !java.util.Arrays.equals(cs, cv)) {
                System.out.println("MISMATCH query quantization at dim " + dim);
                return 1;
            }
            checked++;
        }
        System.out.println("selfcheck: " + checked + " kernel results agree with the scalar reference");
        return 0;
    }
}
