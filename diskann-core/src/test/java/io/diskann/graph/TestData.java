package io.diskann.graph;

import io.diskann.vector.Metric;
import io.diskann.vector.VectorType;
import java.util.Arrays;
import io.diskann.testing.TestSeeds;
import java.util.Random;

/** Seeded clustered data and a brute-force oracle computed in double precision. */
final class TestData {

    private TestData() {
    }

    /**
     * {@code n} points around {@code clusters} random centres (drawn from the seed), representable in
     * {@code type}. Take queries from the same call (e.g. the last rows) so they share the centres.
     */
    static float[][] clustered(int n, int dim, int clusters, VectorType type, long seed) {
        Random r = TestSeeds.random(seed); // new data each run, replayable with -Dtests.seed
        double scale = type.isInteger() ? 40 : 1;
        double offset = type == VectorType.U8 ? 128 : 0;
        float[][] centres = new float[clusters][dim];
        for (float[] c : centres) {
            for (int j = 0; j < dim; j++) {
                c[j] = (float) (r.nextGaussian() * scale);
            }
        }
        float[][] out = new float[n][dim];
        for (int i = 0; i < n; i++) {
            float[] c = centres[r.nextInt(clusters)];
            for (int j = 0; j < dim; j++) {
                double v = c[j] + r.nextGaussian() * scale * 0.35 + offset;
                if (type.isInteger()) {
                    v = Math.max(type.minValue(), Math.min(type.maxValue(), Math.rint(v)));
                }
                out[i][j] = (float) v;
            }
        }
        return out;
    }

    /** What the index stores: vectors rounded through the element type. */
    static float[][] asStored(float[][] data, VectorType type) {
        if (type != VectorType.F16) {
            return data;
        }
        float[][] out = new float[data.length][];
        for (int i = 0; i < data.length; i++) {
            out[i] = new float[data[i].length];
            for (int j = 0; j < data[i].length; j++) {
                out[i][j] = Float.float16ToFloat(Float.floatToFloat16(data[i][j]));
            }
        }
        return out;
    }

    static double distance(Metric metric, float[] a, float[] b) {
        double dot = 0;
        double l2 = 0;
        double na = 0;
        double nb = 0;
        for (int i = 0; i < a.length; i++) {
            dot += (double) a[i] * b[i];
            l2 += ((double) a[i] - b[i]) * ((double) a[i] - b[i]);
            na += (double) a[i] * a[i];
            nb += (double) b[i] * b[i];
        }
        return switch (metric) {
            case L2 -> l2;
            case INNER_PRODUCT -> -dot;
            case COSINE -> na * nb == 0 ? 1 : 1 - dot / Math.sqrt(na * nb);
        };
    }

    /** Exact top-k ids by brute force (ties by id). */
    static int[] topK(Metric metric, float[][] data, float[] q, int k) {
        return topK(metric, data, q, k, id -> true);
    }

    /** Exact top-k ids among those {@code accept} takes, by brute force (ties by id). */
    static int[] topK(Metric metric, float[][] data, float[] q, int k, java.util.function.IntPredicate accept) {
        Integer[] ids = java.util.stream.IntStream.range(0, data.length).filter(accept).boxed().toArray(Integer[]::new);
        double[] d = new double[data.length];
        for (int i : ids) {
            d[i] = distance(metric, q, data[i]);
        }
        Arrays.sort(ids, (x, y) -> d[x] != d[y] ? Double.compare(d[x], d[y]) : Integer.compare(x, y));
        int[] out = new int[Math.min(k, ids.length)];
        for (int i = 0; i < out.length; i++) {
            out[i] = ids[i];
        }
        return out;
    }

    /** Fraction of true top-k found, counting ties at the k-th distance as hits. */
    static double recall(Metric metric, float[][] data, float[] q, int[] truth, int[] found) {
        double kth = distance(metric, q, data[truth[truth.length - 1]]);
        int hits = 0;
        for (int id : found) {
            if (distance(metric, q, data[id]) <= kth + 1e-9 * Math.abs(kth) + 1e-12) {
                hits++;
            }
        }
        return Math.min(1.0, hits / (double) truth.length);
    }
}
