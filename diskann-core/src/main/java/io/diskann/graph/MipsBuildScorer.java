package io.diskann.graph;

import io.diskann.vector.Metric;
import io.diskann.vector.QueryScorer;
import io.diskann.vector.VectorStore;

/**
 * Construction-time distance for {@link Metric#INNER_PRODUCT} indexes: the classic reduction of maximum
 * inner product search to Euclidean search, which DiskANN applies to its inner-product indexes.
 *
 * <p>Each vector {@code x} is thought of as {@code [x, a(x)]} with {@code a(x) = sqrt(M^2 - |x|^2)}, where
 * {@code M} is the largest norm, so every augmented vector has norm {@code M}; a query is {@code [q, 0]}.
 * Then {@code |[q,0] - [x,a(x)]|^2 = |q|^2 + M^2 - 2 q.x}: ranking by augmented L2 is ranking by inner
 * product, so search keeps scoring plain {@code -q.x}, while the graph is built, and pruned with the L2
 * rule, over the augmented points, where {@code d(x, y) = 2 (M^2 - x.y - a(x) a(y))}. Nothing extra is
 * stored: only one float per node (its squared norm), kept in memory.
 *
 * <p>Why: on data that is not centred (all-positive u8 pixels, say) inner product is dominated by norm,
 * and a graph pruned with raw inner products navigates poorly; the reduction gives it metric structure.
 */
final class MipsBuildScorer implements QueryScorer {

    private final QueryScorer dot;
    private final Augmentation augmentation;
    private float queryAugment;
    private float maxSquared;

    private MipsBuildScorer(QueryScorer dot, Augmentation augmentation) {
        this.dot = dot;
        this.augmentation = augmentation;
    }

    /**
     * Per-node squared norms and {@code M^2}; {@code a(x)} is derived from them on use. {@code M} is the
     * largest norm when the augmentation is computed over existing vectors; when a vector inserted later
     * is longer, {@code M^2} is raised to 1.25 times its squared norm (so raises are rare), which keeps
     * the reduction exact for every vector (an index grown by inserts alone starts from its first vector).
     */
    static final class Augmentation {
        private volatile float[] squaredNorms;
        private volatile float maxSquaredNorm;

        private Augmentation(float[] squaredNorms, float maxSquaredNorm) {
            this.squaredNorms = squaredNorms;
            this.maxSquaredNorm = maxSquaredNorm;
        }

        /** Computes the augmentation of slots {@code 0..count-1} (slots not in use get 0). */
        static Augmentation of(VectorStore vectors, int count) {
            QueryScorer dot = vectors.scorer(Metric.INNER_PRODUCT);
            float[] norms = new float[Math.max(count, 1)];
            float max = 0f;
            for (int i = 0; i < count; i++) {
                dot.setQueryToStored(i);
                norms[i] = -dot.score(i);
                max = Math.max(max, norms[i]);
            }
            return new Augmentation(norms, max);
        }

        float maxSquaredNorm() {
            return maxSquaredNorm;
        }

        /** {@code a(x) = sqrt(M^2 - |x|^2)} for {@code M^2 = maxSquaredNorm}. */
        float get(int slot, float maxSquared) {
            float[] n = squaredNorms;
            float norm = slot < n.length ? n[slot] : 0f;
            return (float) Math.sqrt(Math.max(0f, maxSquared - norm));
        }

        /** Records the squared norm of a newly stored vector (raising {@code M} if it is longer). */
        synchronized void add(VectorStore vectors, int slot) {
            float[] n = squaredNorms;
            if (slot >= n.length) {
                n = java.util.Arrays.copyOf(n, Math.max(slot + 1, n.length + (n.length >> 1) + 16));
            }
            QueryScorer dot = vectors.scorer(Metric.INNER_PRODUCT);
            dot.setQueryToStored(slot);
            float norm = -dot.score(slot);
            n[slot] = norm;
            squaredNorms = n;
            if (norm > maxSquaredNorm) {
                maxSquaredNorm = norm * 1.25f;
            }
        }

        /**
         * The node of largest norm: the start point of an inner-product index. On data that is not
         * centred (all-positive u8, say) the answers of most queries lie at the far rim of the data in the
         * direction of their mean, where the largest vectors are; starting there was measured to lift
         * recall@10 at L=100 from 0.92 to 0.945 on clustered u8 data, against starting at the node
         * nearest the centroid of the augmented points.
         */
        int largestNorm(int count) {
            float[] n = squaredNorms;
            int best = 0;
            for (int i = 1; i < count; i++) {
                if (n[i] > n[best]) {
                    best = i;
                }
            }
            return best;
        }
    }

    static MipsBuildScorer create(VectorStore vectors, Augmentation aug) {
        return new MipsBuildScorer(vectors.scorer(Metric.INNER_PRODUCT), aug);
    }

    @Override
    public void setQuery(float[] query) {
        throw new UnsupportedOperationException("construction scorer: queries are stored vectors");
    }

    @Override
    public void setQueryToStored(int ordinal) {
        dot.setQueryToStored(ordinal);
        maxSquared = augmentation.maxSquaredNorm();
        queryAugment = augmentation.get(ordinal, maxSquared);
    }

    @Override
    public float score(int ordinal) {
        // dot.score is -q.x
        return Math.max(0f, 2f * (maxSquared + dot.score(ordinal)
                - queryAugment * augmentation.get(ordinal, maxSquared)));
    }
}
