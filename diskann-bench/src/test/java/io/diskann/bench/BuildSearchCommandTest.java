package io.diskann.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.diskann.bench.data.BinFiles;
import io.diskann.bench.data.SyntheticData;
import io.diskann.bench.data.VecsFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code gt}, {@code build} and {@code search} chained over files, as a user would run them. */
class BuildSearchCommandTest {

    @TempDir
    Path dir;

    @Test
    void gtBuildSearchPipeline() throws Exception {
        SyntheticData.Split s = SyntheticData.gaussianClusters(2000, 50, 16, 8, 0.5, 3);
        Path base = dir.resolve("base.fbin");
        Path query = dir.resolve("query.fvecs");
        BinFiles.writeFloats(base, s.base());
        VecsFiles.writeFloats(query, s.queries());
        Path gt = dir.resolve("gt.bin");
        assertEquals(0, DiskannCli.run("gt", "--base", base.toString(), "--query", query.toString(), "-k", "20",
                "--out", gt.toString()));
        Path idx = dir.resolve("i.idx");
        assertEquals(0, DiskannCli.run("build", "--base", base.toString(), "--out", idx.toString(), "-R", "16",
                "--build-L", "40", "--threads", "2"));
        Path json = dir.resolve("s.json");
        assertEquals(0, DiskannCli.run("search", "--runs", "1", "--min-seconds", "0", "--row-seconds", "0", "--warmup-seconds", "0", "--index", idx.toString(), "--query", query.toString(), "--gt",
                gt.toString(), "-k", "1,10", "-L", "10,40", "--json", json.toString()));
        String text = Files.readString(json);
        assertTrue(text.contains("\"qps_all_threads\""), text);
        assertEquals(4, text.split("\"recall\"").length - 1, "rows for k=1 (L 10, 40) and k=10 (L 10, 40)");
        // not only the keys: the pipeline's recall, row by row (k=1 L=10, k=1 L=40, k=10 L=10, k=10 L=40)
        java.util.List<Double> recall = java.util.regex.Pattern.compile("\"recall\": ([0-9.eE-]+)").matcher(text).results()
                .map(m -> Double.parseDouble(m.group(1))).toList();
        assertTrue(recall.get(1) >= 0.95 && recall.get(3) >= 0.95, "recall at L=40 " + recall);
        assertTrue(recall.get(3) >= recall.get(2), "recall grows with L " + recall);
        assertEquals(2, DiskannCli.run("search", "--runs", "1", "--min-seconds", "0", "--row-seconds", "0", "--warmup-seconds", "0", "--index", dir.resolve("missing").toString(), "--query", query.toString()));
        // both traversals on the same saved graph, rows labelled; a bad name is a clear error
        Path both = dir.resolve("both.json");
        assertEquals(0, DiskannCli.run("search", "--runs", "1", "--min-seconds", "0", "--row-seconds", "0", "--warmup-seconds", "0",
                "--index", idx.toString(), "--query", query.toString(), "--gt", gt.toString(), "-k", "10", "-L", "40",
                "--traversal", "exact,sq8", "--json", both.toString()));
        String rows = Files.readString(both);
        assertTrue(rows.contains("\"traversal\": \"exact\"") && rows.contains("\"traversal\": \"sq8\""), rows);
        assertEquals(2, DiskannCli.run("search", "--index", idx.toString(), "--query", query.toString(),
                "--traversal", "pq"));
        assertEquals(2, DiskannCli.run("search", "--index", idx.toString(), "--query", query.toString(), "--runs", "0"));
    }

    @Test
    void evalRejectsGroundTruthOfAnotherMetric() throws Exception {
        SyntheticData.Split s = SyntheticData.gaussianClusters(1000, 40, 8, 4, 0.5, 3);
        Path base = dir.resolve("b.fvecs");
        Path query = dir.resolve("q.fvecs");
        VecsFiles.writeFloats(base, s.base());
        VecsFiles.writeFloats(query, s.queries());
        Path gt = dir.resolve("ip.ivecs");
        assertEquals(0, DiskannCli.run("gt", "--base", base.toString(), "--query", query.toString(), "-k", "10",
                "--metric", "ip", "--out", gt.toString()));
        assertEquals(2, DiskannCli.run("eval", "--runs", "1", "--min-seconds", "0", "--row-seconds", "0", "--warmup-seconds", "0", "--base", base.toString(), "--query", query.toString(), "--gt",
                gt.toString(), "-k", "10", "--no-plot"), "L2 evaluation with inner-product truth must be refused");
        assertEquals(0, DiskannCli.run("eval", "--runs", "1", "--min-seconds", "0", "--row-seconds", "0", "--warmup-seconds", "0", "--base", base.toString(), "--query", query.toString(), "--gt",
                gt.toString(), "--metric", "ip", "-k", "10", "--search-L", "20", "--no-plot"));
    }
}
