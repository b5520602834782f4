package io.diskann.graph;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.diskann.index.ExactScan;
import io.diskann.index.Searcher;
import io.diskann.testing.TestSeeds;
import io.diskann.vector.Metric;
import io.diskann.vector.VectorType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * {@link ScanBounds}: an exact scan that skips rows by their bounds returns exactly what scoring every row
 * returns (ids and distances), for every storage type, at awkward dimensions, through inserts, updates, deletes,
 * consolidation, renumbering and a reload; the bounds are lower bounds even for huge and tiny magnitudes; and
 * they do skip rows (a test that cannot fail would not show they engage).
 */
class ScanBoundsTest {

    private static final int DIMS = 272; // past ScanBounds.MIN_DIMENSIONS, not a multiple of 64

    private static VamanaParams params() {
        return VamanaParams.builder().maxDegree(16).buildListSize(32).threads(2).build();
    }

    @ParameterizedTest
    @EnumSource(value = VectorType.class, names = {"F32", "F16", "U8"})
    void boundedScansReturnWhatFullScansReturn(VectorType type) {
        Random r = TestSeeds.random(9301 + type.ordinal());
        int n = 2_500;
        float[][] base = TestData.clustered(n, DIMS, 10, type, r.nextLong());
        VamanaIndex index = VamanaIndex.builder(DIMS, Metric.L2).vectorType(type).params(params()).build();
        index.build(base);
        try (index) {
            assertNotNull(index.state().scanBounds, type + ": an L2 index of this shape fits bounds");
            long[] scored = compareScans(index, base, r, 120, new int[] {17, 60, 300, n});
            assertTrue(scored[0] < 0.6 * scored[1], type + ": the bounds skip rows (" + scored[0] + " of " + scored[1] + ")");
        }
    }

    @Test
    void boundsStayBelowTheDistanceForHugeAndTinyMagnitudes() {
        for (double scale : new double[] {1e-3, 1, 3e4}) {
            Random r = TestSeeds.random(9311);
            int n = 1_200;
            float[][] base = TestData.clustered(n, DIMS, 6, VectorType.F32, r.nextLong());
            for (float[] v : base) {
                for (int j = 0; j < DIMS; j++) {
                    v[j] *= (float) scale;
                }
            }
            VamanaIndex index = VamanaIndex.builder(DIMS, Metric.L2).params(params()).build();
            index.build(base);
            try (index) {
                GraphState state = index.state();
                ScanBounds bounds = state.scanBounds;
                assertNotNull(bounds);
                float[] projected = new float[ScanBounds.K];
                double tightest = 0;
                for (int t = 0; t < 300; t++) {
                    float[] query = base[r.nextInt(n)].clone();
                    for (int j = 0; j < DIMS; j++) {
                        query[j] += (float) (r.nextGaussian() * scale * (t % 3 == 0 ? 1e-4 : 0.3));
                    }
                    float slack = bounds.prepare(query, projected);
                    int id = r.nextInt(n);
                    int slot = state.slots.slotOf(id);
                    double exact = 0;
                    for (int j = 0; j < DIMS; j++) {
                        double d = (double) query[j] - base[id][j];
                        exact += d * d;
                    }
                    float b = bounds.bound(projected, slack, slot);
                    assertTrue(b <= exact, "scale " + scale + ": bound " + b + " past the distance " + exact);
                    tightest = Math.max(tightest, b / exact);
                }
                assertTrue(tightest > 0.3, "scale " + scale + ": bounds are not vacuous (best ratio " + tightest + ")");
            }
        }
    }

    @Test
    void boundsFollowInsertsUpdatesDeletesConsolidationReorderAndReload(@TempDir Path dir) throws Exception {
        Random r = TestSeeds.random(9321);
        int n = 1_600;
        float[][] data = TestData.clustered(n + 400, DIMS, 8, VectorType.F32, r.nextLong());
        VamanaIndex index = VamanaIndex.builder(DIMS, Metric.L2).params(params()).build();
        float[][] current = new float[n][];
        for (int i = 0; i < n; i++) {
            index.insert(i, data[i]);
            current[i] = data[i];
            if (i == ScanBounds.MIN_VECTORS - 2) {
                assertNull(index.state().scanBounds, "too few vectors yet");
            }
        }
        assertNotNull(index.state().scanBounds, "fitted once the inserts reached the minimum");
        compareScans(index, current, r, 40, new int[] {60, 600});
        for (int i = 0; i < 300; i++) { // updates move ids to new slots
            int id = r.nextInt(n);
            index.update(id, data[n + r.nextInt(400)]);
            current[id] = index.vector(id);
        }
        compareScans(index, current, r, 40, new int[] {60, 600});
        for (int i = 0; i < 200; i++) {
            int id = r.nextInt(n);
            if (current[id] != null) {
                index.delete(id);
                current[id] = null;
            }
        }
        index.consolidate();
        for (int i = 0; i < 150; i++) { // freed slots are reused: their bounds must be the new vectors'
            int id = r.nextInt(n);
            if (current[id] == null) {
                index.insert(id, data[n + r.nextInt(400)]);
                current[id] = index.vector(id);
            }
        }
        compareScans(index, current, r, 40, new int[] {60, 600});
        index.reorder();
        compareScans(index, current, r, 40, new int[] {60, 600});
        Path file = dir.resolve("bounds.idx");
        index.save(file);
        index.close();
        try (VamanaIndex loaded = VamanaIndex.load(file)) {
            assertNotNull(loaded.state().scanBounds, "fitted again on load");
            compareScans(loaded, current, r, 40, new int[] {60, 600});
        }
        assertTrue(Files.size(file) > 0);
    }

    @Test
    void onlyL2IndexesOfEnoughDimensionsFitBounds() {
        Random r = TestSeeds.random(9331);
        float[][] wide = TestData.clustered(1_100, DIMS, 4, VectorType.F32, r.nextLong());
        float[][] narrow = TestData.clustered(1_100, 128, 4, VectorType.F32, r.nextLong());
        for (Metric metric : new Metric[] {Metric.INNER_PRODUCT, Metric.COSINE}) {
            try (VamanaIndex index = VamanaIndex.builder(DIMS, metric).params(params()).build()) {
                index.build(wide);
                assertNull(index.state().scanBounds, metric + ": the bound is Euclidean");
            }
        }
        try (VamanaIndex index = VamanaIndex.builder(128, Metric.L2).params(params()).build()) {
            index.build(narrow);
            assertNull(index.state().scanBounds, "128 components: below the minimum");
        }
        ScanBounds.enabled = false;
        try (VamanaIndex index = VamanaIndex.builder(DIMS, Metric.L2).params(params()).build()) {
            index.build(wide);
            assertNull(index.state().scanBounds, "switched off");
        } finally {
            ScanBounds.enabled = true;
        }
    }

    /**
     * Scans of random id sets of the given sizes among the live ids (null entries of {@code vectors} are deleted),
     * with bounds and without: the same ids and distances. Returns {rows scored with bounds, rows without}.
     */
    private static long[] compareScans(VamanaIndex index, float[][] vectors, Random r, int queries, int[] sizes) {
        List<Integer> live = new ArrayList<>();
        for (int id = 0; id < vectors.length; id++) {
            if (vectors[id] != null) {
                live.add(id);
            }
        }
        boolean integer = index.vectorType().isInteger();
        long[] scored = new long[2];
        try (Searcher searcher = index.searcher()) {
            ExactScan scan = (ExactScan) searcher;
            for (int q = 0; q < queries; q++) {
                float[] query = vectors[live.get(r.nextInt(live.size()))].clone();
                for (int j = 0; j < query.length; j++) {
                    query[j] += integer ? r.nextInt(9) - 4 : (float) (r.nextGaussian() * 0.2 * Math.abs(query[j]) + 0.01);
                    if (integer) {
                        query[j] = Math.max(0, Math.min(255, query[j]));
                    }
                }
                int size = Math.min(sizes[q % sizes.length], live.size());
                int[] ids = r.ints(0, live.size()).distinct().limit(size).map(live::get).toArray();
                int k = q % 4 == 0 ? 1 : 10;
                int[][] outIds = new int[2][k];
                float[][] outDistances = new float[2][k];
                int[] found = new int[2];
                for (int side = 0; side < 2; side++) {
                    VamanaSearcher.boundedScans = side == 0;
                    try {
                        found[side] = scan.searchAmong(query, ids, size, k, outIds[side], outDistances[side]);
                    } finally {
                        VamanaSearcher.boundedScans = true;
                    }
                    scored[side] += searcher.lastStats().distanceComputations();
                }
                assertEquals(found[1], found[0], "result counts");
                assertArrayEquals(outIds[1], outIds[0], "the same ids, scan of " + size + ", k " + k);
                assertArrayEquals(outDistances[1], outDistances[0], "the same distances");
            }
        }
        return scored;
    }
}
