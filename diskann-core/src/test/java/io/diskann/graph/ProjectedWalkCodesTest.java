package io.diskann.graph;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.diskann.index.SearchResult;
import io.diskann.testing.TestSeeds;
import io.diskann.vector.Metric;
import io.diskann.vector.QuantizedVectors;
import io.diskann.vector.QueryScorer;
import io.diskann.vector.VectorStore;
import io.diskann.vector.VectorType;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The build's walk on principal components ({@link ProjectedWalkCodes}): the directions it finds, when it
 * declines, that its codes keep neighbours, and that a build walking on them keeps recall.
 */
class ProjectedWalkCodesTest {

    private static final int DIM = 256;
    private static final int RANK = 12;

    /** {@code n} vectors {@code A z + noise}: z of RANK Gaussian components, A random DIM x RANK. */
    private static float[][] lowRank(int n, long purpose, float[][] basisOut) {
        Random random = TestSeeds.random(purpose);
        float[][] a = new float[RANK][DIM];
        for (float[] row : a) {
            for (int i = 0; i < DIM; i++) {
                row[i] = (float) random.nextGaussian();
            }
        }
        if (basisOut != null) {
            System.arraycopy(a, 0, basisOut, 0, RANK);
        }
        float[][] data = new float[n][DIM];
        for (float[] v : data) {
            for (int r = 0; r < RANK; r++) {
                float z = (float) random.nextGaussian() * (r + 1); // unequal variances
                for (int i = 0; i < DIM; i++) {
                    v[i] += z * a[r][i];
                }
            }
            for (int i = 0; i < DIM; i++) {
                v[i] += (float) random.nextGaussian() * 0.01f;
            }
        }
        return data;
    }

    private static VectorStore store(float[][] data) {
        VectorStore s = VectorStore.create(VectorType.F32, data[0].length, data.length);
        for (int i = 0; i < data.length; i++) {
            s.set(i, data[i]);
        }
        return s;
    }

    @Test
    void lowRankDataIsProjectedOnAnOrthonormalBasisOfItsSpan() {
        float[][] a = new float[RANK][];
        float[][] data = lowRank(3_000, 1, a);
        try (VectorStore s = store(data)) {
            float[][] d = ProjectedWalkCodes.strongestDirections(s, data.length, 2);
            assertNotNull(d);
            assertEquals(16, d.length, "12 directions hold the variance; kept in whole steps of 16");
            for (int i = 0; i < d.length; i++) {
                for (int j = 0; j <= i; j++) {
                    assertEquals(i == j ? 1 : 0, dot(d[i], d[j]), 1e-3, "rows " + i + ", " + j);
                }
            }
            // every generating direction lies in the span of the kept ones
            for (float[] column : a) {
                double norm2 = dot(column, column);
                double inSpan = 0;
                for (float[] row : d) {
                    double c = dot(column, row);
                    inSpan += c * c;
                }
                assertTrue(inSpan > 0.999 * norm2, "share of a generating direction in the span: " + inSpan / norm2);
            }
        }
    }

    @Test
    void declinesWhereTheVarianceIsSpreadOrTheDataDoesNotQualify() {
        Random random = TestSeeds.random(2);
        float[][] isotropic = new float[3_000][DIM];
        for (float[] v : isotropic) {
            for (int i = 0; i < DIM; i++) {
                v[i] = (float) random.nextGaussian();
            }
        }
        int saved = ProjectedWalkCodes.minimumVectors;
        ProjectedWalkCodes.minimumVectors = 1_000;
        try (VectorStore s = store(isotropic)) {
            assertNull(ProjectedWalkCodes.strongestDirections(s, isotropic.length, 2), "needs > d/2 directions");
            float[][] low = lowRank(3_000, 3, null);
            try (VectorStore l = store(low)) {
                assertNull(ProjectedWalkCodes.fitIfWorthIt(l, low.length, Metric.INNER_PRODUCT, 2), "L2 only");
                assertNull(ProjectedWalkCodes.fitIfWorthIt(l, 999, Metric.L2, 2), "too few vectors");
                try (QuantizedVectors q = ProjectedWalkCodes.fitIfWorthIt(l, low.length, Metric.L2, 2)) {
                    assertNotNull(q);
                }
            }
            float[][] narrow = new float[3_000][64];
            for (int i = 0; i < narrow.length; i++) {
                narrow[i] = Arrays.copyOf(low(i), 64);
            }
            try (VectorStore n = store(narrow)) {
                assertNull(ProjectedWalkCodes.fitIfWorthIt(n, narrow.length, Metric.L2, 2), "below 128 components");
            }
        } finally {
            ProjectedWalkCodes.minimumVectors = saved;
        }
    }

    private static float[] low(int i) {
        float[] v = new float[DIM];
        for (int j = 0; j < DIM; j++) {
            v[j] = (float) Math.sin(i * 0.37 + j * 1.3) * (j < 8 ? 10 : 0.1f);
        }
        return v;
    }

    @Test
    void projectedCodesKeepNearestNeighbours() {
        float[][] data = lowRank(3_000, 4, null);
        int saved = ProjectedWalkCodes.minimumVectors;
        ProjectedWalkCodes.minimumVectors = 1_000;
        try (VectorStore s = store(data);
             QuantizedVectors q = ProjectedWalkCodes.fitIfWorthIt(s, data.length, Metric.L2, 2)) {
            assertNotNull(q);
            QueryScorer scorer = q.scorer(Metric.L2);
            double recall = 0;
            int queries = 50;
            for (int t = 0; t < queries; t++) {
                int query = t * 59;
                int[] truth = TestData.topK(Metric.L2, data, data[query], 11);
                scorer.setQueryToStored(query);
                float[] d = new float[data.length];
                Integer[] order = new Integer[data.length];
                for (int i = 0; i < data.length; i++) {
                    d[i] = scorer.score(i);
                    order[i] = i;
                }
                Arrays.sort(order, (x, y) -> Float.compare(d[x], d[y]));
                int hits = 0;
                for (int i = 0; i < 11; i++) {
                    for (int j = 0; j < 11; j++) {
                        hits += order[i] == truth[j] ? 1 : 0;
                    }
                }
                recall += hits / 11.0 / queries;
            }
            assertTrue(recall >= 0.9, "top-11 by projected codes against exact: " + recall);
        } finally {
            ProjectedWalkCodes.minimumVectors = saved;
        }
    }

    @Test
    void aBuildWalkingOnProjectedCodesKeepsRecall() {
        int n = 4_000;
        float[][] data = lowRank(n + 100, 5, null);
        float[][] base = Arrays.copyOf(data, n);
        int saved = ProjectedWalkCodes.minimumVectors;
        int savedLayout = BulkBuild.layoutMinimum;
        ProjectedWalkCodes.minimumVectors = 1_000;
        BulkBuild.layoutMinimum = 1_000; // rows permuted by the cluster layout first: the projection must follow them
        try (VamanaIndex idx = VamanaIndex.builder(DIM, Metric.L2)
                .params(VamanaParams.builder().maxDegree(24).buildListSize(48).threads(2).build()).build()) {
            idx.build(base);
            assertEquals(16, ProjectedWalkCodes.lastKept, "the build walked on 16 projected components");
            double recall = 0;
            for (int q = 0; q < 100; q++) {
                float[] query = data[n + q];
                int[] truth = TestData.topK(Metric.L2, base, query, 10);
                SearchResult r = idx.search(query, 10, 48);
                recall += TestData.recall(Metric.L2, base, query, truth, r.ids()) / 100;
            }
            assertTrue(recall >= 0.95, "recall@10 " + recall);
        } finally {
            ProjectedWalkCodes.minimumVectors = saved;
            BulkBuild.layoutMinimum = savedLayout;
        }
    }

    @Test
    void dataPastFloatRangeFallsBackToTheFullCodes() {
        float[][] data = lowRank(3_000, 6, null);
        for (float[] v : data) {
            for (int i = 0; i < v.length; i++) {
                v[i] *= 1e18f; // squares overflow float: the optional step declines instead of failing the build
            }
        }
        int saved = ProjectedWalkCodes.minimumVectors;
        ProjectedWalkCodes.minimumVectors = 1_000;
        try (VectorStore s = store(data)) {
            assertNull(ProjectedWalkCodes.fitIfWorthIt(s, data.length, Metric.L2, 2));
        } finally {
            ProjectedWalkCodes.minimumVectors = saved;
        }
    }

    private static double dot(float[] a, float[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += (double) a[i] * b[i];
        }
        return s;
    }
}
