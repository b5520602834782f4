package io.diskann.graph;

import io.diskann.testing.TestSeeds;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.diskann.index.SearchResult;
import io.diskann.vector.Metric;
import io.diskann.vector.QueryScorer;
import io.diskann.vector.VectorType;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * An index of more than 2^31 components: 2.2M vectors of 1,024 u8 components (2.25 GB of vectors, past
 * what one Java array can hold) is built, searched against brute force, saved and loaded. Takes a few
 * minutes and about 5 GB, so it is not part of the default run:
 *
 * <pre>./diskann test -Dgroups=large -Dexcluded.groups=none</pre>
 */
@Tag("large")
class LargeIndexTest {

    private static final int N = 2_200_000;
    private static final int DIM = 1024;
    /** Intrinsic dimension: vectors are a linear image of 8-d points, so neighbourhoods are well defined. */
    private static final int LATENT = 8;
    private static final float[][] MIX = mix();

    private static float[][] mix() {
        SplittableRandom r = new SplittableRandom(TestSeeds.seed(11));
        float[][] m = new float[DIM][LATENT];
        for (float[] row : m) {
            for (int k = 0; k < LATENT; k++) {
                row[k] = (float) (r.nextDouble(-1, 1) * 25);
            }
        }
        return m;
    }

    /**
     * Vector {@code i}: a random 8-d point (drawn from its index) mapped to 1,024 u8 components, so the
     * vectors are never all in the heap and neighbours are close in the latent space.
     */
    private static float[] vector(int i, float[] out) {
        SplittableRandom r = new SplittableRandom(TestSeeds.seed(i * 0x9E3779B97F4A7C15L + 1));
        double[] z = new double[LATENT];
        for (int k = 0; k < LATENT; k++) {
            z[k] = r.nextDouble(-1, 1);
        }
        for (int j = 0; j < DIM; j++) {
            double v = 128;
            for (int k = 0; k < LATENT; k++) {
                v += MIX[j][k] * z[k];
            }
            out[j] = (float) Math.max(0, Math.min(255, Math.rint(v)));
        }
        return out;
    }

    @Test
    void anIndexPastTwoToTheThirtyOneComponentsBuildsAndSearches() throws Exception {
        assertTrue((long) N * DIM > Integer.MAX_VALUE);
        VamanaIndex index = VamanaIndex.builder(DIM, Metric.L2).vectorType(VectorType.U8)
                .params(VamanaParams.builder().maxDegree(12).buildListSize(24).alpha(1.2f).build()).build();
        long t0 = System.nanoTime();
        index.build(N, (i, reuse) -> vector(i, reuse), (done, total) -> { });
        System.out.printf("built %d x %d u8 in %.1f s; %s%n", N, DIM, (System.nanoTime() - t0) / 1e9, index.stats());
        assertEquals(N, index.size());
        assertTrue(index.stats().vectorBytes() > Integer.MAX_VALUE);
        // rows past 2^31 bytes hold what was stored there
        float[] expected = new float[DIM];
        for (int id = N - 1; id > N - 2000; id -= 97) {
            assertEquals(Arrays.toString(vector(id, expected)), Arrays.toString(index.vector(id)), "vector " + id);
        }
        QueryScorer exact = index.ordinals().vectors().scorer(Metric.L2);
        double recall = 0;
        int selfFound = 0;
        int queries = 10;
        for (int q = 0; q < queries; q++) {
            // queries are stored vectors, most of them past 2^31 bytes into the store
            int self = N - 1 - q * 20_011;
            float[] query = vector(self, new float[DIM]);
            exact.setQuery(query);
            float[] d = new float[N];
            for (int i = 0; i < N; i++) {
                d[i] = exact.score(i);
            }
            float[] sorted = d.clone();
            Arrays.sort(sorted);
            SearchResult r = index.search(query, 10, 200);
            selfFound += r.ids()[0] == self && r.distances()[0] == 0f ? 1 : 0;
            int hits = 0;
            for (int id : r.ids()) {
                hits += d[id] <= sorted[9] ? 1 : 0;
            }
            recall += hits / 10.0;
        }
        recall /= queries;
        System.out.println("recall@10 at L=200: " + recall + "; self found first " + selfFound + " of " + queries);
        assertTrue(selfFound >= queries - 1, "a stored vector finds itself first: " + selfFound + " of " + queries);
        assertTrue(recall >= 0.9, "recall@10 " + recall);
        java.nio.file.Path file = java.nio.file.Files.createTempFile("diskann-large", ".idx");
        try {
            index.save(file);
            try (VamanaIndex mapped = VamanaIndex.load(file, VamanaIndex.LoadMode.MAP)) {
                float[] query = vector(N - 1, new float[DIM]);
                assertEquals(Arrays.toString(index.search(query, 10, 100).ids()),
                        Arrays.toString(mapped.search(query, 10, 100).ids()));
            }
        } finally {
            java.nio.file.Files.deleteIfExists(file);
            index.close();
        }
    }
}
