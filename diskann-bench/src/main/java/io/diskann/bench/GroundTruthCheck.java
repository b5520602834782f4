package io.diskann.bench;

import io.diskann.bench.data.FloatMatrix;
import io.diskann.bench.data.GroundTruth;
import io.diskann.bench.data.IntMatrix;
import io.diskann.vector.Metric;
import java.util.Locale;

/**
 * Checks a ground-truth file against the data before it is used to score anything: every id must be a
 * base row, and for a sample of queries the file's k-th neighbour distance must equal a brute-force one.
 * A file computed for another base, another query order or another metric fails here, not as a silently
 * wrong recall.
 */
final class GroundTruthCheck {

    private static final int SAMPLE = 20;

    private GroundTruthCheck() {
    }

    static void verify(FloatMatrix base, FloatMatrix queries, IntMatrix truth, Metric metric, int k, String source) {
        for (int v : truth.data()) {
            if (v < 0 || v >= base.rows()) {
                throw new IllegalArgumentException(source + " names id " + v + " but the base has " + base.rows()
                        + " vectors: ground truth for another base?");
            }
        }
        int kk = Math.min(k, truth.cols());
        int step = Math.max(1, queries.rows() / SAMPLE);
        float[] one = new float[queries.dims()];
        for (int q = 0; q < queries.rows(); q += step) {
            FloatMatrix single = new FloatMatrix(1, queries.dims(), queries.row(q, one).clone());
            GroundTruth.Result exact = GroundTruth.compute(base, single, kk, metric, null);
            float expected = exact.distances()[kk - 1];
            float[] fileRow = new float[queries.dims()];
            float[] b = new float[base.dims()];
            float got = distance(metric, queries.row(q, fileRow), base.row(truth.get(q, kk - 1), b));
            if (Math.abs(got - expected) > 1e-3f * Math.max(1f, Math.abs(expected))) {
                throw new IllegalArgumentException(String.format(Locale.ROOT,
                        "%s does not match the data: query %d's %d-th neighbour is at %s distance %.6g, brute force finds %.6g "
                                + "(wrong metric, base or query file?)", source, q, kk, metric.cliName(), got, expected));
            }
        }
    }

    private static float distance(Metric m, float[] a, float[] b) {
        return io.diskann.vector.Distances.distance(m, a, b);
    }
}
