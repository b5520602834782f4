package io.diskann.graph;

import io.diskann.vector.Metric;
import io.diskann.vector.QueryScorer;
import io.diskann.vector.VectorStore;
import io.diskann.vector.VectorType;
import java.util.function.IntPredicate;

/**
 * The start point of a graph: the stored vector nearest the centroid of the live ones (the medoid
 * approximation DiskANN uses), computed by the build and again by consolidation when the old start
 * point was deleted.
 */
final class Medoid {

    private Medoid() {
    }

    /**
     * The live slot below {@code count} nearest the centroid of the live slots ({@code live == null}: all
     * are live), by {@code metric}'s distance (L2 for inner product, whose graph is built in L2); -1 if
     * no slot is live.
     */
    static int of(VectorStore vectors, int count, IntPredicate live, Metric metric) {
        int dim = vectors.dimensions();
        double[] sum = new double[dim];
        float[] buf = new float[dim];
        long n = 0;
        for (int i = 0; i < count; i++) {
            if (live == null || live.test(i)) {
                vectors.get(i, buf);
                for (int j = 0; j < dim; j++) {
                    sum[j] += buf[j];
                }
                n++;
            }
        }
        if (n == 0) {
            return -1;
        }
        float[] centroid = new float[dim];
        VectorType type = vectors.type();
        for (int j = 0; j < dim; j++) {
            double c = sum[j] / n;
            // integer types take integer queries: round, then clamp into the type's range
            float v = type.isInteger() ? (float) Math.rint(c) : (float) c;
            centroid[j] = Math.max(type.minValue(), Math.min(type.maxValue(), v));
        }
        QueryScorer scorer = vectors.scorer(metric == Metric.INNER_PRODUCT ? Metric.L2 : metric);
        scorer.setQuery(centroid);
        int best = -1;
        float bestDistance = Float.POSITIVE_INFINITY;
        for (int i = 0; i < count; i++) {
            if (live == null || live.test(i)) {
                float d = scorer.score(i);
                if (best < 0 || d < bestDistance) {
                    bestDistance = d;
                    best = i;
                }
            }
        }
        return best;
    }
}
