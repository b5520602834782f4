package io.diskann.bench;

import io.diskann.bench.jmh.PqBenchmark;
import io.diskann.bench.jmh.PqRotationBenchmark;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * {@code ./diskann kernels --pq}: {@link PqBenchmark} (ADC table build per query, look-up per code, at 784
 * dimensions for M in {49, 98, 196}) in three forks: Vector-API tables with gather look-ups, Vector-API
 * tables with scalar look-ups, and all scalar; plus {@link PqRotationBenchmark} (projection and table of a
 * PCA-rotated quantizer, M/D' in {32/128, 49/196, 49/784}) in the vector and the scalar fork.
 */
final class PqKernelsRun {

    private PqKernelsRun() {
    }

    /** {@code rotatedDims}: D' of a rotated quantizer, 0 for none. */
    record Row(String impl, int chunks, int rotatedDims, String benchmark, double ns) {
    }

    static void run(boolean quick, Path json) throws RunnerException, IOException {
        String[][] configs = {
                {"vector-gather", "-Ddiskann.pq.lookup=gather"},
                {"vector-scalar-lookup", "-Ddiskann.pq.lookup=scalar"},
                {"scalar", "-Ddiskann.simd=scalar"}};
        List<Row> rows = new ArrayList<>();
        for (String[] c : configs) {
            ChainedOptionsBuilder opt = new OptionsBuilder().include(PqBenchmark.class.getName() + ".")
                    .forks(1).jvmArgsAppend(c[1].split(" ")).shouldFailOnError(true);
            if (!c[0].equals("vector-scalar-lookup")) {
                opt.include(PqRotationBenchmark.class.getName() + ".");
            }
            if (quick) {
                opt.warmupIterations(2).warmupTime(TimeValue.milliseconds(250))
                        .measurementIterations(3).measurementTime(TimeValue.milliseconds(250));
            }
            for (RunResult r : new Runner(opt.build()).run()) {
                String label = r.getParams().getBenchmark();
                String config = r.getParams().getParam("config");
                int chunks = config == null ? Integer.parseInt(r.getParams().getParam("chunks"))
                        : Integer.parseInt(config.split("/")[0]);
                int rotated = config == null ? 0 : Integer.parseInt(config.split("/")[1]);
                rows.add(new Row(c[0], chunks, rotated, label.substring(label.lastIndexOf('.') + 1),
                        r.getPrimaryResult().getScore()));
            }
        }
        System.out.println();
        System.out.printf(Locale.ROOT, "%-22s %6s %5s %-16s %12s %10s%n", "impl", "M", "D'", "benchmark", "ns", "vs scalar");
        for (Row r : rows) {
            double scalar = rows.stream().filter(s -> s.impl().equals("scalar") && s.chunks() == r.chunks()
                    && s.rotatedDims() == r.rotatedDims() && s.benchmark().equals(r.benchmark()))
                    .mapToDouble(Row::ns).findFirst().orElse(Double.NaN);
            String unit = switch (r.benchmark()) {
                case "tableBuild" -> "ns/table";
                case "tableBuildRotated" -> "ns/rotate+table";
                case "lookup" -> "ns/code";
                default -> "ns/code(32)";
            };
            System.out.printf(Locale.ROOT, "%-22s %6d %5s %-16s %12.2f %9.2fx%n", r.impl(), r.chunks(),
                    r.rotatedDims() == 0 ? "-" : String.valueOf(r.rotatedDims()), unit, r.ns(), scalar / r.ns());
        }
        if (json != null) {
            List<Object> list = new ArrayList<>();
            for (Row r : rows) {
                Map<String, Object> o = new LinkedHashMap<>();
                o.put("impl", r.impl());
                o.put("chunks", r.chunks());
                o.put("rotated_dims", r.rotatedDims());
                o.put("benchmark", r.benchmark());
                o.put("ns", ResultFiles.round(r.ns(), 3));
                list.add(o);
            }
            Map<String, Object> root = new LinkedHashMap<>();
            root.put("benchmark", "PqBenchmark");
            root.put("dims", 784);
            root.put("machine", RunInfo.machine());
            root.put("rows", list);
            ResultFiles.writeJson(json, root);
            System.out.println("wrote " + json);
        }
    }
}
