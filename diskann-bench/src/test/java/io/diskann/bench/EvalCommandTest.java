package io.diskann.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.diskann.bench.data.GroundTruth;
import io.diskann.bench.data.IntMatrix;
import io.diskann.bench.data.SyntheticData;
import io.diskann.graph.VamanaIndex;
import io.diskann.vector.Metric;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code eval} on a tiny synthetic dataset writes a JSON whose recall this test recomputes. */
class EvalCommandTest {

    @TempDir
    Path dir;

    @Test
    void evalJsonHoldsTheDocumentedKeysAndHonestRecall() throws Exception {
        Path json = dir.resolve("out.json");
        Path idx = dir.resolve("idx");
        int code = DiskannCli.run("eval", "--runs", "2", "--min-seconds", "0", "--row-seconds", "0", "--warmup-seconds", "0", "--timing-queries", "40", "--synth-n", "3000", "--synth-dim", "24", "--synth-queries", "100",
                "--synth-clusters", "10", "--synth-spread", "0.5", "--seed", "5", "-R", "16", "--build-L", "40", "--threads", "2",
                "--search-L", "10,20,40", "-k", "10", "--json", json.toString(), "--save-index", idx.toString(), "--no-plot");
        assertEquals(0, code);
        String text = Files.readString(json);
        for (String key : new String[] {"build_seconds", "index_bytes", "rows", "\"L\"", "\"k\"", "recall", "qps",
                "p50_us", "p99_us", "dist_comps", "p95_us", "mean_us", "hops", "qps_runs", "qps_spread", "traversal",
                "code_bytes", "qps_best_pass", "timing", "\"timing_queries\": 40"}) {
            assertTrue(text.contains(key.startsWith("\"") ? key : "\"" + key + "\""), "JSON lacks " + key);
        }
        List<Double> recalls = new ArrayList<>();
        Matcher m = Pattern.compile("\"recall\": ([0-9.]+)").matcher(text);
        while (m.find()) {
            recalls.add(Double.parseDouble(m.group(1)));
        }
        assertEquals(3, recalls.size());
        Matcher runs = Pattern.compile("\"qps_runs\": \\[\\s*([0-9.]+),\\s*([0-9.]+)\\s*\\]").matcher(text);
        assertTrue(runs.find(), "two timed passes per row: " + text);
        // the per-block best can only be faster than the best whole pass (each block at its fastest)
        Matcher qps = Pattern.compile("\"qps\": ([0-9.]+),").matcher(text);
        Matcher bestPass = Pattern.compile("\"qps_best_pass\": ([0-9.]+)").matcher(text);
        int rows = 0;
        while (qps.find() && bestPass.find()) {
            assertTrue(Double.parseDouble(qps.group(1)) >= Double.parseDouble(bestPass.group(1)) * 0.999,
                    "block-best qps " + qps.group(1) + " below best pass " + bestPass.group(1));
            rows++;
        }
        assertEquals(3, rows);
        assertTrue(text.contains("\"traversal\": \"sq8\""), "f32 traverses on 8-bit codes by default");

        // recompute recall@10 with the saved index and an independent ground truth
        SyntheticData.Split s = SyntheticData.gaussianClusters(3000, 100, 24, 10, 0.5, 5);
        IntMatrix truth = GroundTruth.compute(s.base(), s.queries(), 10, Metric.L2, null).ids();
        VamanaIndex index = VamanaIndex.load(idx);
        int[] ls = {10, 20, 40};
        for (int li = 0; li < ls.length; li++) {
            long hits = 0;
            for (int q = 0; q < 100; q++) {
                hits += Recall.hits(index.search(s.queries().row(q), 10, ls[li]).ids(), truth, q, 10);
            }
            assertEquals(hits / 1000.0, recalls.get(li), 1e-9, "recall at L=" + ls[li]);
        }
        assertTrue(recalls.get(2) > 0.9, "recall at L=40: " + recalls.get(2));
    }

    @Test
    void badInputExitsNonZeroWithAReason() {
        assertEquals(2, DiskannCli.run("eval", "--runs", "1", "--min-seconds", "0", "--row-seconds", "0", "--warmup-seconds", "0", "--metric", "hamming", "--synth-n", "100"));
        assertEquals(2, DiskannCli.run("eval", "--runs", "1", "--min-seconds", "0", "--row-seconds", "0", "--warmup-seconds", "0", "--search-L", "5", "-k", "10", "--synth-n", "100"));
        assertEquals(2, DiskannCli.run("eval", "--runs", "1", "--min-seconds", "0", "--row-seconds", "0", "--warmup-seconds", "0", "--query", "q.fvecs"));
    }

    @Test
    void pqChunksAndRerankAddPqRows() throws Exception {
        Path json = dir.resolve("pq.json");
        assertEquals(0, DiskannCli.run("eval", "--runs", "1", "--min-seconds", "0", "--row-seconds", "0", "--warmup-seconds", "0", "--synth-n", "3000", "--synth-dim", "24", "--synth-queries", "100",
                "--synth-clusters", "10", "--synth-spread", "0.5", "--seed", "5", "-R", "16", "--build-L", "40",
                "--threads", "2", "--search-L", "20,40", "-k", "10", "--pq-chunks", "6,12", "--rerank", "0,40",
                "--json", json.toString(), "--no-plot"));
        @SuppressWarnings("unchecked")
        Map<String, Object> root = (Map<String, Object>) JsonReader.parse(Files.readString(json));
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> pq = (List<Map<String, Object>>) root.get("pq");
        assertEquals(4, pq.size(), "one entry per (M, rerank)");
        double best = 0;
        for (Map<String, Object> entry : pq) {
            assertTrue(entry.get("compression_ratio") instanceof Double);
            assertTrue(entry.get("train_seconds") instanceof Double);
            @SuppressWarnings("unchecked")
            List<Map<String, Object>> rows = (List<Map<String, Object>>) entry.get("rows");
            assertEquals(2, rows.size());
            for (Map<String, Object> row : rows) {
                best = Math.max(best, (Double) row.get("recall"));
            }
        }
        assertTrue(best > 0.9, "PQ search with rerank finds the neighbours: " + best);
        assertEquals(2, DiskannCli.run("eval", "--runs", "1", "--min-seconds", "0", "--row-seconds", "0", "--warmup-seconds", "0", "--synth-n", "300", "--synth-dim", "8", "--pq-chunks", "9", "--no-plot"));
        assertEquals(2, DiskannCli.run("eval", "--runs", "1", "--min-seconds", "0", "--row-seconds", "0", "--warmup-seconds", "0", "--synth-n", "300", "--synth-dim", "8", "--pq-chunks", "2",
                "--rerank", "-1", "--no-plot"));
    }

    @Test
    void pqRotationSweepsPlainAndRotatedCodes() throws Exception {
        Path json = dir.resolve("pq-rot.json");
        assertEquals(0, DiskannCli.run("eval", "--runs", "1", "--min-seconds", "0", "--row-seconds", "0", "--warmup-seconds", "0", "--synth-n", "3000", "--synth-dim", "24", "--synth-queries", "100",
                "--synth-clusters", "10", "--synth-spread", "0.5", "--seed", "6", "-R", "16", "--build-L", "40",
                "--threads", "2", "--search-L", "40", "-k", "10", "--pq-chunks", "6", "--rerank", "40",
                "--pq-rotation", "none,pca,pca:12", "--json", json.toString(), "--no-plot"));
        @SuppressWarnings("unchecked")
        Map<String, Object> root = (Map<String, Object>) JsonReader.parse(Files.readString(json));
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> pq = (List<Map<String, Object>>) root.get("pq");
        assertEquals(3, pq.size(), "one entry per (M, rotation, rerank)");
        assertEquals("none", pq.get(0).get("rotation"));
        assertEquals("pca", pq.get(1).get("rotation"));
        assertEquals(24.0, ((Number) pq.get(1).get("code_dimensions")).doubleValue());
        assertEquals(12.0, ((Number) pq.get(2).get("code_dimensions")).doubleValue());
        double kept = ((Number) pq.get(2).get("variance_kept")).doubleValue();
        assertTrue(kept > 0.3 && kept < 1, "variance kept by 12 of 24 directions: " + kept);
        // all directions kept: as good as plain codes. Half of them: worse here, because on isotropic noise
        // around cluster centres the neighbours differ along the weak directions truncation drops
        double[] floor = {0.9, 0.9, 0.5};
        for (int i = 0; i < 3; i++) {
            @SuppressWarnings("unchecked")
            List<Map<String, Object>> rows = (List<Map<String, Object>>) pq.get(i).get("rows");
            assertTrue((Double) rows.get(0).get("recall") > floor[i], pq.get(i).get("code_dimensions") + ": " + rows.get(0));
        }
        // fewer kept directions than chunks: refused before any training
        assertEquals(2, DiskannCli.run("eval", "--runs", "1", "--min-seconds", "0", "--row-seconds", "0", "--warmup-seconds", "0", "--synth-n", "300", "--synth-dim", "24", "--pq-chunks", "2,6",
                "--pq-rotation", "pca:4", "--no-plot"));
        for (String bad : new String[] {"pca:0", "pca:25", "opq", "pca:x"}) {
            assertEquals(2, DiskannCli.run("eval", "--runs", "1", "--min-seconds", "0", "--row-seconds", "0", "--warmup-seconds", "0", "--synth-n", "300", "--synth-dim", "24", "--pq-chunks", "2",
                    "--pq-rotation", bad, "--no-plot"), bad);
        }
    }
}
