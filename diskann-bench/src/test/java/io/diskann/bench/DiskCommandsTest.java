package io.diskann.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.diskann.bench.data.BinFiles;
import io.diskann.bench.data.SyntheticData;
import io.diskann.bench.data.VecsFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code build-disk}, {@code search-disk} and {@code verify} chained, as a user runs them. */
class DiskCommandsTest {

    @TempDir
    Path dir;

    @Test
    void buildSearchAndVerifyADiskIndex() throws Exception {
        SyntheticData.Split s = SyntheticData.gaussianClusters(3000, 50, 32, 8, 0.5, 9);
        Path base = dir.resolve("base.fbin");
        Path query = dir.resolve("query.fvecs");
        BinFiles.writeFloats(base, s.base());
        VecsFiles.writeFloats(query, s.queries());
        Path gt = dir.resolve("gt.ivecs");
        assertEquals(0, DiskannCli.run("gt", "--base", base.toString(), "--query", query.toString(), "-k", "10",
                "--out", gt.toString()));
        Path disk = dir.resolve("i.disk");
        assertEquals(0, DiskannCli.run("build-disk", "--base", base.toString(), "--out", disk.toString(), "--pq-bytes", "16",
                "-R", "24", "--build-L", "60", "--threads", "2"));
        for (String mode : new String[] {"--cache-nodes=0", "--direct", "--mmap", "--no-kernel-aio"}) {
            Path json = dir.resolve("s" + mode.replace("-", "").replace("=", "") + ".json");
            if (mode.equals("--no-kernel-aio")) { // direct reads through FileChannel
                assertEquals(0, DiskannCli.run("search-disk", "--index", disk.toString(), "--query", query.toString(), "--gt",
                        gt.toString(), "-L", "20,60", "-W", "2", "--runs", "1", "--direct", mode, "--json", json.toString()));
                assertTrue(Files.readString(json).contains("\"read_path\": \"O_DIRECT, FileChannel"), Files.readString(json));
            } else {
            assertEquals(0, DiskannCli.run("search-disk", "--index", disk.toString(), "--query", query.toString(), "--gt",
                    gt.toString(), "-L", "20,60", "-W", "2", "--runs", "1", mode, "--json", json.toString()));
            }
            String text = Files.readString(json);
            List<Double> recall = Pattern.compile("\"recall\": ([0-9.eE-]+)").matcher(text).results()
                    .map(m -> Double.parseDouble(m.group(1))).toList();
            assertEquals(2, recall.size(), text);
            assertTrue(recall.get(1) >= 0.95 && recall.get(1) >= recall.get(0), "recall " + recall);
            assertTrue(text.contains("\"ios_per_query\"") && text.contains("\"ram_bytes\""), text);
            for (String key : new String[] {"W", "io_us", "cpu_us", "hops_per_query", "cache_hits_per_query", "file_bytes",
                    "searcher_bytes", "read_path", "pq_distances_per_query", "exact_distances_per_query"}) {
                assertTrue(text.contains("\"" + key + "\": "), key + " in " + text);
            }
            double pqDistances = Double.parseDouble(Pattern.compile("\"pq_distances_per_query\": ([0-9.eE-]+)").matcher(text)
                    .results().findFirst().orElseThrow().group(1));
            double exactDistances = Double.parseDouble(Pattern.compile("\"exact_distances_per_query\": ([0-9.eE-]+)")
                    .matcher(text).results().findFirst().orElseThrow().group(1));
            assertTrue(pqDistances > 20 && exactDistances >= 10, pqDistances + " PQ, " + exactDistances + " exact distances");
        }
        // a cache chosen by sample queries (the base as the sample): same recall, hits reported
        Path sampled = dir.resolve("sampled.json");
        assertEquals(0, DiskannCli.run("search-disk", "--index", disk.toString(), "--query", query.toString(), "--gt",
                gt.toString(), "-L", "60", "-W", "2", "--runs", "1", "--cache-nodes", "200", "--cache-from-queries",
                base.toString(), "--cache-sample", "300", "--json", sampled.toString()));
        String sampledText = Files.readString(sampled);
        assertTrue(sampledText.contains("\"cache_policy\": \"sample_queries\""), sampledText);
        double hits = Double.parseDouble(Pattern.compile("\"cache_hits_per_query\": ([0-9.eE-]+)").matcher(sampledText)
                .results().findFirst().orElseThrow().group(1));
        assertTrue(hits > 0, "cache hits " + hits);
        assertEquals(2, DiskannCli.run("search-disk", "--index", disk.toString(), "--query", query.toString(),
                "--cache-from-queries", base.toString()), "--cache-from-queries needs --cache-nodes");
        // the start chosen from a sample of nodes (default: auto) against the medoid: both reported, both at recall
        Path medoid = dir.resolve("medoid.json");
        assertEquals(0, DiskannCli.run("search-disk", "--index", disk.toString(), "--query", query.toString(), "--gt",
                gt.toString(), "-L", "60", "-W", "2", "--runs", "1", "--entry-sample", "0", "--json", medoid.toString()));
        assertTrue(Files.readString(medoid).contains("\"entry_sample\": 0,"), Files.readString(medoid));
        Path chosenStart = dir.resolve("chosen-start.json");
        assertEquals(0, DiskannCli.run("search-disk", "--index", disk.toString(), "--query", query.toString(), "--gt",
                gt.toString(), "-L", "60", "-W", "2", "--runs", "1", "--entry-sample", "100", "--json", chosenStart.toString()));
        String chosenText = Files.readString(chosenStart);
        assertTrue(chosenText.contains("\"entry_sample\": 100,"), chosenText);
        assertTrue(Double.parseDouble(Pattern.compile("\"recall\": ([0-9.eE-]+)").matcher(chosenText).results().findFirst()
                .orElseThrow().group(1)) >= 0.95, chosenText);
        assertEquals(2, DiskannCli.run("search-disk", "--index", disk.toString(), "--query", query.toString(),
                "--entry-sample", "some"), "--entry-sample takes auto or a count");
        assertEquals(2, DiskannCli.run("search-disk", "--index", disk.toString(), "--query", query.toString(),
                "--entry-sample", "-3"), "--entry-sample is not negative");
        assertEquals(0, DiskannCli.run("verify", "--index", disk.toString()));
        // a budget below what one graph needs: the partitioned build (parts merged), read from the mapped file
        Path parts = dir.resolve("parts.disk");
        assertEquals(0, DiskannCli.run("build-disk", "--base", base.toString(), "--out", parts.toString(), "--pq-bytes",
                "16", "-R", "24", "--build-L", "60", "--threads", "2", "--build-memory", "0.0004", "--no-saturate"));
        Path partsJson = dir.resolve("parts.json");
        assertEquals(0, DiskannCli.run("search-disk", "--index", parts.toString(), "--query", query.toString(), "--gt",
                gt.toString(), "-L", "60", "-W", "4", "--runs", "1", "--json", partsJson.toString()));
        double partsRecall = Double.parseDouble(Pattern.compile("\"recall\": ([0-9.eE-]+)")
                .matcher(Files.readString(partsJson)).results().findFirst().orElseThrow().group(1));
        assertTrue(partsRecall >= 0.93, "partitioned build recall " + partsRecall);
        assertEquals(0, DiskannCli.run("verify", "--index", parts.toString()));
        byte[] b = Files.readAllBytes(disk);
        b[b.length - 4096 * 2] ^= 4; // inside the last sectors of the nodes (the sector checksums follow them)
        Path damaged = dir.resolve("damaged.disk");
        Files.write(damaged, b);
        assertEquals(1, DiskannCli.run("verify", "--index", damaged.toString()));
        // eval builds, sweeps in memory, lays the graph out and sweeps the disk index in one command
        Path evalJson = dir.resolve("eval.json");
        assertEquals(0, DiskannCli.run("eval", "--runs", "1", "--min-seconds", "0", "--row-seconds", "0", "--warmup-seconds",
                "0", "--base", base.toString(), "--query", query.toString(), "--gt", gt.toString(), "-R", "24",
                "--build-L", "60", "-k", "10", "--search-L", "20,60", "--disk", "-W", "2", "--no-plot", "--json",
                evalJson.toString(), "--cache-nodes", "200", "--cache-from-queries", base.toString(), "--cache-sample", "300"));
        String eval = Files.readString(evalJson);
        assertTrue(eval.contains("\"disk\"") && eval.contains("\"ios_per_query\"") && eval.contains("\"ram_bytes\""), eval);
        // the disk sweep's cache chosen by sample queries, as search-disk's
        assertTrue(eval.contains("\"cache_policy\": \"sample_queries\""), eval);
        assertTrue(eval.contains("\"entry_sample\": "), eval);
        assertTrue(Pattern.compile("\"cache_hits_per_query\": ([0-9.eE-]+)").matcher(eval).results()
                .mapToDouble(m -> Double.parseDouble(m.group(1))).max().orElse(0) > 0, "eval --disk cache hits: " + eval);
        // without --pq-bytes: 1/8 of the stored f32 vector, dims/2 bytes (dims/8 left 96-d data at recall 0.47)
        int dims = s.base().dims();
        assertTrue(eval.contains("\"pq_bytes\": " + dims / 2 + ","), "default PQ bytes " + dims / 2 + ": " + eval);
        List<Double> cpu = Pattern.compile("\"cpu_us\": ([0-9.eE-]+)").matcher(eval).results()
                .map(m -> Double.parseDouble(m.group(1))).toList();
        assertTrue(!cpu.isEmpty() && cpu.stream().allMatch(c -> c >= 0), "cpu_us of the timed pass " + cpu);
        assertEquals(2, DiskannCli.run("build-disk", "--base", base.toString(), "--out", disk.toString(), "--pq-bytes", "0"));
        assertEquals(2, DiskannCli.run("build-disk", "--base", base.toString(), "--out", dir.resolve("r.disk").toString(),
                "--pq-bytes", "16", "--pq-rotation", "sideways"), "--pq-rotation takes auto, none, pca or pca:D");
        assertTrue(eval.contains("\"pq_rotation\": \"pca:"), "eval --disk reports its PQ rotation: " + eval);
        assertEquals(2, DiskannCli.run("search-disk", "--index", dir.resolve("missing").toString(), "--query",
                query.toString()));
        assertEquals(2, DiskannCli.run("search-disk", "--index", disk.toString(), "--query", query.toString(), "--direct",
                "--mmap"), "one way to read");
        assertEquals(2, DiskannCli.run("eval", "--base", base.toString(), "--query", query.toString(), "--disk",
                "--direct", "--mmap"), "eval --disk: one way to read");
        assertEquals(2, DiskannCli.run("eval", "--base", base.toString(), "--query", query.toString(), "--disk",
                "--cache-from-queries", base.toString()), "eval --disk: --cache-from-queries needs --cache-nodes");
    }
}
