package io.diskann.bench;

import io.diskann.bench.data.VecsFiles;
import io.diskann.vector.Metric;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Runs the team's hnswlib yardstick ({@code ../shared/peers/hnswlib_bench.cpp}, compiled here with
 * {@code -O3 -march=native}) on the same data, so the comparison is side by side in one run.
 */
final class HnswlibPeer {

    private HnswlibPeer() {
    }

    static List<Object> run(DatasetOptions.Loaded data, Metric metric, int threads, int m, int efc, int[] efs, int k)
            throws IOException, InterruptedException {
        if (metric != Metric.L2) {
            throw new IllegalArgumentException("the hnswlib yardstick measures l2 only, not " + metric.cliName());
        }
        Path binary = build();
        Path[] files = writeTemp(data);
        List<String> cmd = List.of(binary.toString(), files[0].toString(), files[1].toString(), files[2].toString(),
                String.valueOf(m), String.valueOf(efc), String.valueOf(threads),
                Arrays.stream(efs).mapToObj(String::valueOf).collect(Collectors.joining(",")), String.valueOf(k));
        System.out.println("hnswlib: " + String.join(" ", cmd));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        List<Object> rows = new ArrayList<>();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line; (line = r.readLine()) != null; ) {
                System.out.println("hnswlib: " + line);
                if (line.startsWith("{")) {
                    rows.add(new Json.Raw(line.trim()));
                }
            }
        }
        int code = p.waitFor();
        for (Path f : files) {
            Files.deleteIfExists(f);
        }
        if (code != 0) {
            throw new IllegalStateException("hnswlib yardstick exited with " + code);
        }
        return rows;
    }

    /** Writes the dataset as fvecs/ivecs files, which the yardstick reads. */
    private static Path[] writeTemp(DatasetOptions.Loaded data) throws IOException {
        Path dir = Files.createTempDirectory("diskann-eval");
        Path b = dir.resolve("base.fvecs");
        Path q = dir.resolve("query.fvecs");
        Path g = dir.resolve("gt.ivecs");
        VecsFiles.writeFloats(b, data.base());
        VecsFiles.writeFloats(q, data.queries());
        VecsFiles.writeInts(g, data.truth());
        return new Path[] {b, q, g};
    }

    private static Path build() throws IOException, InterruptedException {
        String home = System.getenv().getOrDefault("DISKANN_HOME", ".");
        Path source = Path.of(home).resolve("../shared/peers/hnswlib_bench.cpp").normalize();
        if (!Files.exists(source)) {
            throw new IllegalStateException("hnswlib yardstick source not found at " + source);
        }
        if (!Files.exists(Path.of("/usr/include/hnswlib/hnswlib.h"))) {
            throw new IllegalStateException("hnswlib headers missing: apt-get install -y libhnswlib-dev");
        }
        Path binary = Path.of(home, "diskann-bench", "target", "hnswlib_bench");
        if (Files.exists(binary) && Files.getLastModifiedTime(binary).compareTo(Files.getLastModifiedTime(source)) > 0) {
            return binary;
        }
        Files.createDirectories(binary.getParent());
        Process p = new ProcessBuilder("g++", "-O3", "-march=native", "-pthread", "-o", binary.toString(),
                source.toString()).inheritIO().start();
        if (p.waitFor() != 0) {
            throw new IllegalStateException("compiling " + source + " failed");
        }
        return binary;
    }
}
