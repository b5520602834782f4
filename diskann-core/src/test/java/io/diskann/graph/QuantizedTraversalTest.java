package io.diskann.graph;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.diskann.index.SearchParams;
import io.diskann.index.SearchResult;
import io.diskann.vector.Metric;
import io.diskann.vector.VectorType;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * {@link Traversal#SQ8}: searches walk 8-bit codes and re-rank at full precision. Against brute force for
 * every metric and float type; codes kept in step with inserts and updates (written before the slot is
 * visible); fitted for an index filled by inserts; saved and loaded; switched at run time.
 */
class QuantizedTraversalTest {

    private static final int N = 4000;
    private static final int DIM = 48;

    private static VamanaIndex index(Metric metric, VectorType type, Traversal t) {
        return VamanaIndex.builder(DIM, metric).vectorType(type).traversal(t)
                .params(VamanaParams.builder().maxDegree(24).buildListSize(64).threads(2).build()).build();
    }

    private static double recall(VamanaIndex idx, Metric metric, float[][] data, float[][] queries, int k, int l) {
        double total = 0;
        for (float[] q : queries) {
            int[] truth = TestData.topK(metric, data, q, k);
            total += TestData.recall(metric, data, q, truth, idx.search(q, k, l).ids());
        }
        return total / queries.length;
    }

    @ParameterizedTest
    @EnumSource(Metric.class)
    void sq8TraversalFindsTheNeighboursAndReturnsExactDistances(Metric metric) {
        for (VectorType type : new VectorType[] {VectorType.F32, VectorType.F16}) {
            float[][] all = TestData.clustered(N + 50, DIM, 25, type, 31);
            float[][] data = TestData.asStored(Arrays.copyOf(all, N), type);
            float[][] queries = Arrays.copyOfRange(all, N, N + 50);
            try (VamanaIndex idx = index(metric, type, Traversal.SQ8)) {
                idx.build(data);
                assertEquals(Traversal.SQ8, idx.traversal());
                assertTrue(idx.stats().codeBytes() >= (long) N * DIM, "codes exist: " + idx.stats().codeBytes());
                double recall = recall(idx, metric, data, queries, 10, 48);
                assertTrue(recall >= 0.95, metric + " " + type + ": recall " + recall);
                for (float[] q : queries) {
                    SearchResult r = idx.search(q, 10, 48);
                    for (int i = 0; i < r.ids().length; i++) {
                        double exact = TestData.distance(metric, q, data[r.ids()[i]]);
                        assertEquals(exact, r.distances()[i], 1e-3 * Math.max(1, Math.abs(exact)), "re-ranked distances are exact");
                        if (i > 0) {
                            assertTrue(r.distances()[i - 1] <= r.distances()[i], "sorted");
                        }
                    }
                }
                // rerank 0: the traversal's own (approximate) distances, still the right neighbours mostly
                SearchResult raw = idx.search(queries[0], SearchParams.builder(10).listSize(48).rerank(0).build());
                assertEquals(10, raw.ids().length);
            }
        }
    }

    /**
     * 8-bit values stored as floats (pixels; SIFT's whole numbers) get codes that decode exactly: the build
     * prunes on them and searches skip the re-rank, with the same answers; a rounded query, or one stored
     * vector that is not whole, brings the re-rank back.
     */
    @ParameterizedTest
    @EnumSource(Metric.class)
    void wholeNumberDataIsTraversedOnExactCodesWithoutReRanking(Metric metric) {
        float[][] all = TestData.clustered(N + 50, DIM, 25, VectorType.F32, 41);
        float lo = metric == Metric.L2 ? 0f : -127f;
        float hi = metric == Metric.L2 ? 255f : 127f;
        float min = Float.POSITIVE_INFINITY;
        float max = Float.NEGATIVE_INFINITY;
        for (float[] v : all) {
            for (float x : v) {
                min = Math.min(min, x);
                max = Math.max(max, x);
            }
        }
        for (float[] v : all) {
            for (int j = 0; j < DIM; j++) {
                v[j] = Math.round(lo + (v[j] - min) / (max - min) * (hi - lo));
            }
        }
        float[][] data = Arrays.copyOf(all, N);
        float[][] queries = Arrays.copyOfRange(all, N, N + 50);
        try (VamanaIndex idx = index(metric, VectorType.F32, Traversal.SQ8)) {
            idx.build(data);
            var searcher = idx.searcher();
            double total = 0;
            for (float[] q : queries) {
                SearchResult r = searcher.search(q, SearchParams.of(10, 48));
                assertEquals(0, searcher.lastStats().rerankDistances(), metric + ": exact codes, no re-rank");
                for (int i = 0; i < r.ids().length; i++) {
                    double exact = TestData.distance(metric, q, data[r.ids()[i]]);
                    assertEquals(exact, r.distances()[i], 1e-3 * Math.max(1, Math.abs(exact)), "distances are exact");
                }
                total += TestData.recall(metric, data, q, TestData.topK(metric, data, q, 10), r.ids());
            }
            assertTrue(total / queries.length >= 0.95, metric + ": recall " + total / queries.length);

            float[] rounded = queries[0].clone();
            rounded[0] += 0.25f;
            searcher.search(rounded, SearchParams.of(10, 48));
            assertTrue(searcher.lastStats().rerankDistances() > 0, "a query the codes round is re-ranked");

            float[] fractional = queries[1].clone();
            fractional[1] += 0.5f;
            idx.insert(N + 1000, fractional);
            searcher.search(queries[0], SearchParams.of(10, 48));
            assertTrue(searcher.lastStats().rerankDistances() > 0, "once a stored vector is rounded, re-ranked again");
            searcher.close();
        }
    }

    /**
     * f16 storage keeps the re-rank even for whole numbers: above 2048 f16 rounds them (to even numbers),
     * while the codes were made from the caller's floats, so only the stored vectors give exact distances.
     */
    @Test
    void halfPrecisionStorageIsAlwaysReRanked() {
        java.util.Random r = new java.util.Random(3);
        float[][] data = new float[2000][DIM];
        for (float[] v : data) {
            for (int j = 0; j < DIM; j++) {
                v[j] = 3001 + r.nextInt(200); // whole, odd or even, within one 8-bit range
            }
        }
        try (VamanaIndex idx = index(Metric.L2, VectorType.F16, Traversal.SQ8)) {
            idx.build(data);
            float[][] stored = TestData.asStored(data, VectorType.F16);
            var searcher = idx.searcher();
            for (int q = 0; q < 20; q++) {
                SearchResult res = searcher.search(data[q], SearchParams.of(5, 32));
                assertTrue(searcher.lastStats().rerankDistances() > 0, "f16: re-ranked");
                for (int i = 0; i < res.ids().length; i++) {
                    double exact = TestData.distance(Metric.L2, data[q], stored[res.ids()[i]]);
                    assertEquals(exact, res.distances()[i], 1e-3 * Math.max(1, exact), "distances to the stored vectors");
                }
            }
            searcher.close();
        }
    }

    @Test
    void eightBitIndexesIgnoreSq8AndTraverseTheirOwnVectors() {
        float[][] data = TestData.clustered(500, DIM, 5, VectorType.U8, 3);
        try (VamanaIndex idx = index(Metric.L2, VectorType.U8, Traversal.SQ8)) {
            idx.build(data);
            assertEquals(0, idx.stats().codeBytes());
            assertEquals(7, idx.search(data[7], 1, 20).ids()[0]);
        }
    }

    @Test
    void exactAndSq8AgreeOnRecallOnTheSameGraph() {
        float[][] all = TestData.clustered(N + 50, DIM, 25, VectorType.F32, 5);
        float[][] data = Arrays.copyOf(all, N);
        float[][] queries = Arrays.copyOfRange(all, N, N + 50);
        try (VamanaIndex idx = index(Metric.L2, VectorType.F32, Traversal.EXACT)) {
            idx.build(data);
            assertEquals(0, idx.stats().codeBytes());
            double exact = recall(idx, Metric.L2, data, queries, 10, 32);
            idx.setTraversal(Traversal.SQ8);
            assertTrue(idx.stats().codeBytes() > 0);
            double sq8 = recall(idx, Metric.L2, data, queries, 10, 32);
            assertTrue(sq8 >= exact - 0.02, "sq8 " + sq8 + " against exact " + exact);
            idx.setTraversal(Traversal.EXACT);
            assertEquals(0, idx.stats().codeBytes(), "exact traversal frees the codes");
            assertEquals(exact, recall(idx, Metric.L2, data, queries, 10, 32), 1e-12, "back to the same exact searches");
        }
    }

    @Test
    void anIndexFilledByInsertsFitsItsCodesAndKeepsThemInStep() {
        float[][] all = TestData.clustered(3000, DIM, 20, VectorType.F32, 9);
        try (VamanaIndex idx = index(Metric.L2, VectorType.F32, Traversal.SQ8)) {
            for (int i = 0; i < TraversalCodes.FIT_AFTER - 1; i++) {
                idx.insert(all[i]);
            }
            assertEquals(0, idx.stats().codeBytes(), "too few vectors to fit codes yet: exact traversal");
            for (int i = TraversalCodes.FIT_AFTER - 1; i < all.length; i++) {
                idx.insert(all[i]);
            }
            assertTrue(idx.stats().codeBytes() > 0, "fitted once enough vectors arrived");
            for (int i = 0; i < all.length; i += 97) {
                assertEquals(i, idx.search(all[i], 1, 32).ids()[0], "vector " + i + " finds itself");
            }
            // updates re-encode before the new vector is visible: the moved vector is found at its new place
            float[] moved = all[2999].clone();
            for (int j = 0; j < DIM; j++) {
                moved[j] += 0.01f;
            }
            idx.update(5, moved);
            SearchResult r = idx.search(moved, 2, 32);
            assertTrue(r.ids()[0] == 5 || r.ids()[1] == 5, "updated id found next to its new position: " + Arrays.toString(r.ids()));
            assertArrayEquals(moved, idx.vector(5), "the stored vector is the new one");
        }
    }

    @Test
    void savedAndLoadedWithTheSameCodes(@TempDir Path dir) throws IOException {
        float[][] all = TestData.clustered(2050, DIM, 20, VectorType.F32, 11);
        float[][] data = Arrays.copyOf(all, 2000);
        Path file = dir.resolve("sq8.idx");
        Path exactFile = dir.resolve("exact.idx");
        try (VamanaIndex idx = index(Metric.COSINE, VectorType.F32, Traversal.SQ8)) {
            idx.build(data);
            idx.save(file);
            SearchParams raw = SearchParams.builder(10).listSize(40).rerank(0).build();
            try (VamanaIndex loaded = VamanaIndex.load(file)) {
                assertEquals(Traversal.SQ8, loaded.traversal());
                assertEquals(idx.stats().codeBytes() > 0, loaded.stats().codeBytes() > 0);
                for (int i = 2000; i < 2050; i++) {
                    // the approximate distances are the codes': equal only if the quantizer was kept
                    SearchResult a = idx.search(all[i], raw);
                    SearchResult b = loaded.search(all[i], raw);
                    assertArrayEquals(a.ids(), b.ids());
                    assertArrayEquals(a.distances(), b.distances());
                }
            }
            idx.setTraversal(Traversal.EXACT);
            idx.save(exactFile);
            try (VamanaIndex loaded = VamanaIndex.load(exactFile)) {
                assertEquals(Traversal.EXACT, loaded.traversal());
                assertEquals(0, loaded.stats().codeBytes());
            }
        }
    }

    @Test
    void corruptTraversalFieldsAreRejected(@TempDir Path dir) throws IOException {
        float[][] data = TestData.clustered(300, DIM, 5, VectorType.F32, 13);
        Path file = dir.resolve("a.idx");
        try (VamanaIndex idx = index(Metric.L2, VectorType.F32, Traversal.SQ8)) {
            idx.build(data);
            idx.save(file);
        }
        // the params section: traversal at byte 56 of its body, the code step at 68; checksums recomputed so
        // the value reaches the range check
        byte[] bytes = java.nio.file.Files.readAllBytes(file);
        io.diskann.testing.FormatBytes.Layout l = io.diskann.testing.FormatBytes.layout(bytes);
        int params = l.section("params").bodyStart();
        assertEquals(1, ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).getInt(params + 56),
                "traversal field where the format says");
        io.diskann.testing.FormatBytes.put(bytes, params + 68, Float.floatToIntBits(-1f)); // a negative step
        io.diskann.testing.FormatBytes.resealAll(bytes, l);
        java.nio.file.Files.write(file, bytes);
        io.diskann.index.CorruptIndexException e =
                assertThrows(io.diskann.index.CorruptIndexException.class, () -> VamanaIndex.load(file));
        assertEquals("params.codeStep", e.field(), e.getMessage());
        assertTrue(e.getMessage().contains("step"), e.getMessage());
    }

    @Test
    void legacyFilesLoadAsExact(@TempDir Path dir) throws IOException {
        Path p = dir.resolve("v2.idx");
        try (var in = QuantizedTraversalTest.class.getResourceAsStream("/legacy/v2-f32-l2.idx")) {
            java.nio.file.Files.copy(in, p);
        }
        try (VamanaIndex idx = VamanaIndex.load(p)) {
            assertEquals(Traversal.EXACT, idx.traversal());
            assertEquals(0, idx.stats().codeBytes());
        }
    }
}
