package io.diskann.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.diskann.bench.data.SyntheticData;
import io.diskann.bench.data.VecsFiles;
import io.diskann.filter.LabelFile;
import io.diskann.filter.LabelFilter;
import io.diskann.filter.LabelSets;
import io.diskann.vector.Distances;
import io.diskann.vector.Metric;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** synth-labels writes labels and filters at the asked selectivities; gt with filters is brute force over matches. */
class FilterCommandsTest {

    @TempDir
    Path dir;

    /** {@code n} clustered 24-d vectors and 16 queries, written as base.fvecs and query.fvecs in the test directory. */
    private SyntheticData.Split writeVectors(int n, long seed) throws java.io.IOException {
        SyntheticData.Split s = SyntheticData.gaussianClusters(n, 24, 16, 8, 0.5, seed);
        VecsFiles.writeFloats(dir.resolve("base.fvecs"), s.base());
        VecsFiles.writeFloats(dir.resolve("query.fvecs"), s.queries());
        return s;
    }

    @Test
    void filtersPerKindBoundsTheDistinctFiltersOfEachKindAndShare() throws Exception {
        int n = 4000;
        Path labels = dir.resolve("base.labels");
        java.util.Map<Integer, Integer> distinct = new java.util.HashMap<>();
        for (int perKind : new int[] {2, 8, 40}) {
            Path filters = dir.resolve("and-" + perKind + ".filters");
            List<String> args = new java.util.ArrayList<>(List.of("synth-labels", "--n", Integer.toString(n), "--labels",
                    "40", "--out", labels.toString(), "--queries", "400", "--query-filters-out", filters.toString(),
                    "--selectivity", "0.01", "--filter-kinds", "and"));
            if (perKind != 8) {
                args.addAll(List.of("--filters-per-kind", Integer.toString(perKind)));
            }
            assertEquals(0, DiskannCli.run(args.toArray(String[]::new)));
            List<String> lines = Files.readAllLines(filters, StandardCharsets.UTF_8);
            assertTrue(lines.stream().allMatch(l -> l.contains("&")), "only ANDs were asked for");
            int count = (int) lines.stream().distinct().count();
            assertTrue(count <= perKind, count + " distinct filters with --filters-per-kind " + perKind);
            distinct.put(perKind, count);
        }
        assertEquals(2, distinct.get(2), "400 draws from 2 filters use both");
        assertTrue(distinct.get(40) > distinct.get(8), "more filters to draw from: " + distinct);
        assertEquals(2, DiskannCli.run("synth-labels", "--n", "100", "--out", labels.toString(), "--filters-per-kind", "0"),
                "--filters-per-kind must be positive");
    }

    @Test
    void synthLabelsAndFilteredGroundTruth() throws Exception {
        int n = 4000;
        SyntheticData.Split s = writeVectors(n, 3);
        Path base = dir.resolve("base.fvecs");
        Path query = dir.resolve("query.fvecs");
        Path labels = dir.resolve("base.labels");
        Path filters = dir.resolve("query.filters");
        assertEquals(0, DiskannCli.run("synth-labels", "--n", Integer.toString(n), "--labels", "40", "--distribution", "zipf",
                "--per-point", "1..3", "--out", labels.toString(), "--queries", "24", "--query-filters-out",
                filters.toString(), "--selectivity", "0.5,0.1,0.01,0.001"));
        LabelFile.Contents c = LabelFile.read(labels, null);
        LabelSets sets = c.labels();
        assertEquals(n, sets.size());
        for (int p = 0; p < n; p++) {
            int k = sets.labelsOf(p).length;
            assertTrue(k >= 1 && k <= 3, "point " + p + " has " + k + " labels");
        }
        assertTrue(sets.matchCount(0) > 4 * sets.matchCount(39), "zipf: label 0 is far more common than label 39");
        List<String> lines = Files.readAllLines(filters, StandardCharsets.UTF_8);
        assertEquals(24, lines.size());
        assertTrue(lines.get(4).contains("|") && lines.get(8).contains("&"), "kinds cycle after the selectivities: " + lines);
        // selectivity buckets cycle: 50% filters match far more than 1% ones
        QueryFilters qf = QueryFilters.read(labels, filters, null, n, 24);
        assertTrue(qf.selectivity(0) > 0.2 && qf.selectivity(2) < 0.03, qf.selectivity(0) + " " + qf.selectivity(2));
        Path gt = dir.resolve("gt.ivecs");
        assertEquals(0, DiskannCli.run("gt", "--base", base.toString(), "--query", query.toString(), "-k", "10",
                "--base-labels", labels.toString(), "--query-filters", filters.toString(), "--out", gt.toString()));
        var truth = VecsFiles.readInts(gt, -1);
        float[][] b = s.base().toRows();
        float[][] q = s.queries().toRows();
        for (int i = 0; i < 24; i++) {
            LabelFilter f = LabelFilter.parse(lines.get(i), c.dictionary());
            int qi = i;
            int[] expected = IntStream.range(0, n).filter(p -> f.matches(sets, p)).boxed()
                    .sorted(Comparator.comparingDouble((Integer p) -> Distances.distance(Metric.L2, q[qi], b[p]))
                            .thenComparingInt(p -> p))
                    .limit(10).mapToInt(Integer::intValue).toArray();
            for (int j = 0; j < 10; j++) {
                assertEquals(j < expected.length ? expected[j] : -1, truth.get(i, j), "query " + i + " rank " + j
                        + " filter " + lines.get(i));
            }
        }
        // eval with filters: per bucket rows for the labeled index and for post-filtering
        Path json = dir.resolve("eval.json");
        assertEquals(0, DiskannCli.run("eval", "--runs", "1", "--min-seconds", "0", "--row-seconds", "0", "--warmup-seconds",
                "0", "--base", base.toString(), "--query", query.toString(), "-R", "24", "--build-L", "60", "-k", "10",
                "--search-L", "20,60", "--base-labels", labels.toString(), "--query-filters", filters.toString(), "--no-plot",
                "--filter-build", "filtered", "--scan-minimum", "100", "--compare-lucene", "--filter-runs", "2",
                "--filter-pass-seconds", "0", "--save-filtered-index", dir.resolve("filtered.idx").toString(),
                "--json", json.toString()));
        String text = Files.readString(json);
        // every row keeps its timed passes, and its QPS is the best of them
        java.util.regex.Matcher passes = java.util.regex.Pattern.compile(
                "\"qps\": ([0-9.]+),[^}]*?\"qps_passes\": \\[([0-9., ]+)\\]").matcher(text.replace("\n", " "));
        int timedRows = 0;
        while (passes.find()) {
            double[] each = java.util.Arrays.stream(passes.group(2).split(",")).mapToDouble(x -> Double.parseDouble(x.trim()))
                    .toArray();
            assertEquals(2, each.length, passes.group());
            assertEquals(java.util.Arrays.stream(each).max().orElseThrow(), Double.parseDouble(passes.group(1)), 1e-9,
                    passes.group());
            timedRows++;
        }
        assertTrue(timedRows >= 8, "rows with their passes: " + timedRows + " in " + text);
        assertTrue(text.contains("\"filter_build\": \"filtered\"") && text.contains("\"lucene\""), text);
        List<Double> lucene = java.util.regex.Pattern.compile("\"mode\": \"lucene\".*?\"recall\": ([0-9.]+)")
                .matcher(text.replace("\n", " ")).results().map(m -> Double.parseDouble(m.group(1))).toList();
        assertTrue(!lucene.isEmpty() && lucene.stream().mapToDouble(Double::doubleValue).average().orElse(0) >= 0.85,
                "Lucene's filtered search is a working yardstick: " + lucene);
        assertTrue(text.contains("\"filtered\"") && text.contains("\"post-filter\"") && text.contains("\"exact_scan\""), text);
        assertTrue(text.contains("\"summary\"") && text.contains("\"vs_best_peer\"") && text.contains("\"vs_post_filter\""),
                "the per-bucket summary against the peers: " + text);
        List<Double> scans = java.util.regex.Pattern.compile("\"exact_scan\": ([0-9.]+)").matcher(text).results()
                .map(m -> Double.parseDouble(m.group(1))).toList();
        assertTrue(scans.stream().anyMatch(x -> x > 0), "selective filters are answered by the scan: " + scans);
        List<Double> recalls = java.util.regex.Pattern.compile("\"mode\": \"filtered\".*?\"recall\": ([0-9.]+)")
                .matcher(text.replace("\n", " ")).results().map(m -> Double.parseDouble(m.group(1))).toList();
        // a function test on 4,000 vectors with 1-2 queries per bucket: quality is measured by the benchmarks
        assertTrue(!recalls.isEmpty() && recalls.stream().allMatch(x -> x >= 0.5)
                && recalls.stream().mapToDouble(Double::doubleValue).average().orElse(0) >= 0.85, "filtered recall per bucket " + recalls);
        // the saved label-aware index loads in place of a build and answers the same queries with the same recall
        Path again = dir.resolve("again.json");
        String[] reuse = {"eval", "--runs", "1", "--min-seconds", "0", "--row-seconds", "0", "--warmup-seconds",
                "0", "--base", base.toString(), "--query", query.toString(), "-R", "24", "--build-L", "60", "-k", "10",
                "--search-L", "20,60", "--base-labels", labels.toString(), "--query-filters", filters.toString(), "--no-plot",
                "--filter-build", "filtered", "--scan-minimum", "100", "--filter-runs", "1", "--filter-pass-seconds", "0",
                "--filtered-index", dir.resolve("filtered.idx").toString(), "--json", again.toString()};
        assertEquals(0, DiskannCli.run(reuse));
        String reloaded = Files.readString(again);
        assertTrue(reloaded.contains("\"filter_index_loaded\""), reloaded);
        assertEquals(recalls, java.util.regex.Pattern.compile("\"mode\": \"filtered\".*?\"recall\": ([0-9.]+)")
                .matcher(reloaded.replace("\n", " ")).results().map(m -> Double.parseDouble(m.group(1))).toList());
        reuse[java.util.Arrays.asList(reuse).indexOf("filtered")] = "stitched"; // the file holds a Filtered-Vamana graph
        assertEquals(2, DiskannCli.run(reuse));
        // a filter file with a bad line names it
        Files.writeString(filters, "1\n2|\n" + "1\n".repeat(22), StandardCharsets.UTF_8);
        IllegalArgumentException bad = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> QueryFilters.read(labels, filters, null, n, 24));
        assertTrue(bad.getMessage().contains("line 2"), bad.getMessage());
        assertEquals(2, DiskannCli.run("gt", "--base", base.toString(), "--query", query.toString(), "-k", "10",
                "--base-labels", labels.toString(), "--query-filters", filters.toString(), "--out", gt.toString()));
    }

    /** build-disk with labels lays out a label-aware graph; search-disk walks it and refuses other labels. */
    @Test
    void labelAwareDiskIndexFromTheCommandLine() throws Exception {
        writeLabeledData(3000, 5);
        Path base = dir.resolve("base.fvecs");
        Path query = dir.resolve("query.fvecs");
        Path labels = dir.resolve("base.labels");
        Path filters = dir.resolve("query.filters");
        Path gt = dir.resolve("gt.ivecs");
        Path disk = dir.resolve("labeled.disk");
        buildLabeledDisk(disk, "--filter-build", "stitched");
        assertTrue(io.diskann.filter.LabeledIndex.hasLabels(disk));
        assertFilteredRecall(searchFiltered(disk), true, 0.85);
        // the file's labels must be those of --base-labels, whose names the filters use
        List<String> lines = Files.readAllLines(labels, StandardCharsets.UTF_8);
        java.util.Collections.reverse(lines);
        Path other = dir.resolve("other.labels");
        Files.write(other, lines, StandardCharsets.UTF_8);
        assertEquals(2, DiskannCli.run("search-disk", "--index", disk.toString(), "--query", query.toString(), "--gt",
                gt.toString(), "--base-labels", other.toString(), "--query-filters", filters.toString(), "-L", "40",
                "--runs", "1"));
        assertEquals(2, DiskannCli.run("build-disk", "--base", base.toString(), "--filter-build", "stitched", "--out",
                dir.resolve("x.disk").toString(), "--pq-bytes", "12"));
    }

    /**
     * {@code n} vectors (base.fvecs, query.fvecs), Zipf labels (base.labels), query filters at 50% and 10%
     * (query.filters) and their filtered ground truth (gt.ivecs), in the test directory.
     */
    private void writeLabeledData(int n, long seed) throws Exception {
        writeVectors(n, seed);
        Path labels = dir.resolve("base.labels");
        Path filters = dir.resolve("query.filters");
        assertEquals(0, DiskannCli.run("synth-labels", "--n", Integer.toString(n), "--labels", "20", "--distribution", "zipf",
                "--per-point", "1..2", "--out", labels.toString(), "--queries", "24", "--query-filters-out",
                filters.toString(), "--selectivity", "0.5,0.1"));
        assertEquals(0, DiskannCli.run("gt", "--base", dir.resolve("base.fvecs").toString(), "--query",
                dir.resolve("query.fvecs").toString(), "-k", "10", "--base-labels", labels.toString(), "--query-filters",
                filters.toString(), "--out", dir.resolve("gt.ivecs").toString()));
    }

    /**
     * build-disk of {@link #writeLabeledData}'s base with its labels into {@code out} (R=24, L_build=60, 12 PQ
     * bytes) and {@code options}; asserts it succeeds and returns what it printed.
     */
    private String buildLabeledDisk(Path out, String... options) {
        List<String> args = new java.util.ArrayList<>(List.of("build-disk", "--base", dir.resolve("base.fvecs").toString(),
                "--base-labels", dir.resolve("base.labels").toString(), "--out", out.toString(), "--pq-bytes", "12",
                "-R", "24", "--build-L", "60", "--threads", "2"));
        args.addAll(List.of(options));
        return CliOutput.run(0, args.toArray(String[]::new));
    }

    /** search-disk of {@code disk} with {@link #writeLabeledData}'s queries, filters and truth; returns its JSON. */
    private Path searchFiltered(Path disk) {
        Path json = dir.resolve(disk.getFileName() + ".json");
        CliOutput.run(0, "search-disk", "--index", disk.toString(), "--query", dir.resolve("query.fvecs").toString(),
                "--gt", dir.resolve("gt.ivecs").toString(), "--base-labels", dir.resolve("base.labels").toString(),
                "--query-filters", dir.resolve("query.filters").toString(), "-L", "40", "-W", "4", "--runs", "1",
                "--json", json.toString());
        return json;
    }

    /** The search-disk JSON says whether the graph was label-aware, and its mean filtered recall is at least {@code min}. */
    private static void assertFilteredRecall(Path json, boolean labelAware, double min) throws java.io.IOException {
        String text = Files.readString(json);
        assertTrue(text.contains("\"label_aware\": " + labelAware), text);
        List<Double> recalls = java.util.regex.Pattern.compile("\"recall\": ([0-9.]+)").matcher(text).results()
                .map(m -> Double.parseDouble(m.group(1))).toList();
        assertTrue(!recalls.isEmpty() && recalls.stream().mapToDouble(Double::doubleValue).average().orElse(0) >= min,
                "filtered recall on the disk index " + recalls);
    }

    @Test
    void labeledGraphsBuiltInPartsFromTheCommandLine() throws Exception {
        writeLabeledData(3000, 7);
        Path base = dir.resolve("base.fvecs");
        Path labels = dir.resolve("base.labels");
        Path disk = dir.resolve("parts.disk");
        // 0.0003 GiB is below the graph build's need for 3,000 x 24-d at R=24: the build is partitioned
        String log = buildLabeledDisk(disk, "--build-memory", "0.0003", "--filter-build", "none");
        assertTrue(log.contains("parts merged") && log.contains("labels written with the index"), log);
        assertTrue(io.diskann.filter.LabeledIndex.hasLabels(disk));
        assertFilteredRecall(searchFiltered(disk), false, 0.85);
        // the same in one piece (no --build-memory: the budget is half the machine's RAM)
        Path whole = dir.resolve("whole.disk");
        buildLabeledDisk(whole, "--filter-build", "none");
        assertFilteredRecall(searchFiltered(whole), false, 0.85);
        // label-aware graphs past the budget: built in parts, merged and refined under the label rules
        for (String mode : new String[] {"stitched", "filtered"}) {
            Path aware = dir.resolve(mode + "-parts.disk");
            String said = buildLabeledDisk(aware, "--build-memory", "0.0003", "--filter-build", mode);
            assertTrue(said.contains("parts merged") && said.contains("label start points written"), said);
            assertFilteredRecall(searchFiltered(aware), true, 0.85);
        }
        assertEquals(2, DiskannCli.run("build-disk", "--base", base.toString(), "--base-labels", labels.toString(),
                "--filter-build", "bogus", "--out", dir.resolve("x.disk").toString(), "--pq-bytes", "12"));
        // labels for another number of vectors are refused
        Files.write(dir.resolve("short.labels"), Files.readAllLines(labels, StandardCharsets.UTF_8).subList(0, 100),
                StandardCharsets.UTF_8);
        assertEquals(2, DiskannCli.run("build-disk", "--base", base.toString(), "--base-labels",
                dir.resolve("short.labels").toString(), "--filter-build", "none", "--out", dir.resolve("y.disk").toString(),
                "--pq-bytes", "12"));
    }
}
