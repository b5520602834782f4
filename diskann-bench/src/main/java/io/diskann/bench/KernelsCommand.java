package io.diskann.bench;

import io.diskann.bench.jmh.DistanceBenchmark;
import io.diskann.bench.jmh.QuantizeBenchmark;
import io.diskann.vector.SimdSupport;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code ./diskann kernels}: runs {@link DistanceBenchmark} under JMH for our scalar and Vector API
 * kernels (at the preferred width and at 128 bits, NEON's width) and for the f32 kernels of jvector and
 * Lucene, then prints ns/distance with the vector/scalar speedup per row and optionally writes JSON.
 */
@Command(name = "kernels", mixinStandardHelpOptions = true,
        description = "JMH benchmark of the distance kernels: ns per distance and vector/scalar speedup.")
final class KernelsCommand implements Callable<Integer> {

    private static final String[] ALL_DIMS = {"96", "128", "384", "768", "784", "960", "1536"};
    private static final String[] QUICK_DIMS = {"128", "784"};

    @Option(names = "--quick", description = "A subset (dims 128 and 784, l2 and ip, short iterations): about two minutes.")
    boolean quick;

    @Option(names = "--json", paramLabel = "FILE", description = "Write every row to this JSON file.")
    Path json;

    @Option(names = "--pq", description = "Benchmark product quantization instead: ADC table build and look-up"
            + " per code at 784 dims, M in {49, 98, 196}; Vector API (gather or scalar look-up) vs scalar.")
    boolean pq;

    @Option(names = "--quantize", description = "Benchmark query quantization instead: a query's 8-bit codes and"
            + " exactness test (every 8-bit search does it once), dims 128, 784 and 1536; Vector API vs scalar.")
    boolean quantize;

    @Option(names = "--types", split = ",", paramLabel = "T", description = "Element types (default: f32,f16,i8,u8).")
    List<String> types;

    @Option(names = "--metrics", split = ",", paramLabel = "M", description = "Metrics (default: l2,ip,cosine; --quick: l2,ip).")
    List<String> metrics;

    @Option(names = "--dims", split = ",", paramLabel = "D", description = "Dimensions (default: 96,128,384,768,784,960,1536; --quick: 128,784).")
    List<String> dims;

    /** One benchmark result. */
    record Row(String type, String metric, int dim, String width, String impl, double nsPerDistance) {
    }

    @Override
    public Integer call() throws RunnerException, IOException {
        if (pq) {
            PqKernelsRun.run(quick, json);
            return 0;
        }
        if (quantize) {
            runQuantize();
            return 0;
        }
        String[] typeList = types != null ? types.toArray(String[]::new) : new String[] {"f32", "f16", "i8", "u8"};
        String[] metricList = metrics != null ? metrics.toArray(String[]::new)
                : quick ? new String[] {"l2", "ip"} : new String[] {"l2", "ip", "cosine"};
        String[] dimList = dims != null ? dims.toArray(String[]::new) : quick ? QUICK_DIMS : ALL_DIMS;
        String preferred = String.valueOf(SimdSupport.vector().map(k -> k.widthBits()).orElse(0));
        System.out.println("kernels: " + SimdSupport.describe() + "; benchmarking preferred width " + preferred + " and 128");

        List<Row> rows = new ArrayList<>();
        rows.addAll(run(typeList, metricList, dimList, new String[] {"scalar", "vector"}, preferred, null));
        if (!preferred.equals("128")) {
            rows.addAll(run(typeList, metricList, dimList, new String[] {"vector"}, "128", "128"));
        }
        if (List.of(typeList).contains("f32")) {
            rows.addAll(run(new String[] {"f32"}, metricList, dimList, new String[] {"jvector", "lucene"}, preferred, null));
        }
        rows.sort(Comparator.comparing(Row::type).thenComparing(Row::metric).thenComparingInt(Row::dim)
                .thenComparing(r -> implOrder(r.impl())).thenComparing(Row::width));
        printTable(rows);
        if (json != null) {
            writeJson(rows, preferred);
            System.out.println("wrote " + json);
        }
        return 0;
    }

    private void runQuantize() throws RunnerException, IOException {
        ChainedOptionsBuilder opt = new OptionsBuilder().include(QuantizeBenchmark.class.getName() + ".")
                .forks(1).shouldFailOnError(true);
        if (quick) { // the warm-up stays a second and a half: a kernel run before C2 compiles it is ~100x slower
            opt.warmupIterations(3).warmupTime(TimeValue.milliseconds(500))
                    .measurementIterations(3).measurementTime(TimeValue.milliseconds(250));
        }
        List<Row> rows = new ArrayList<>();
        String preferred = String.valueOf(SimdSupport.vector().map(k -> k.widthBits()).orElse(0));
        for (RunResult r : new Runner(opt.build()).run()) {
            String impl = r.getParams().getParam("impl");
            rows.add(new Row("f32", "quantize", Integer.parseInt(r.getParams().getParam("dim")),
                    impl.equals("scalar") ? "-" : preferred, impl, r.getPrimaryResult().getScore()));
        }
        System.out.println();
        System.out.printf(Locale.ROOT, "%5s %-7s %6s %12s %10s%n", "dim", "impl", "width", "ns/query", "vs scalar");
        for (Row r : rows) {
            double scalar = rows.stream().filter(s -> s.impl().equals("scalar") && s.dim() == r.dim())
                    .mapToDouble(Row::nsPerDistance).findFirst().orElse(Double.NaN);
            System.out.printf(Locale.ROOT, "%5d %-7s %6s %12.1f %9.2fx%n", r.dim(), r.impl(), r.width(),
                    r.nsPerDistance(), scalar / r.nsPerDistance());
        }
        if (json != null) {
            writeJson(rows, preferred);
            System.out.println("wrote " + json);
        }
    }

    private static int implOrder(String impl) {
        return switch (impl) {
            case "scalar" -> 0;
            case "vector" -> 1;
            case "jvector" -> 2;
            default -> 3;
        };
    }

    private List<Row> run(String[] typeList, String[] metricList, String[] dimList, String[] impls,
                          String widthLabel, String forcedWidth) throws RunnerException {
        ChainedOptionsBuilder opt = new OptionsBuilder()
                .include(DistanceBenchmark.class.getName() + ".distances")
                .param("type", typeList)
                .param("metric", metricList)
                .param("dim", dimList)
                .param("impl", impls)
                .param("width", forcedWidth == null ? "preferred" : forcedWidth)
                .forks(1)
                .shouldFailOnError(true);
        if (quick) {
            opt.warmupIterations(2).warmupTime(TimeValue.milliseconds(250))
                    .measurementIterations(3).measurementTime(TimeValue.milliseconds(250));
        }
        if (forcedWidth != null) {
            opt.jvmArgsAppend("-D" + SimdSupport.WIDTH_PROPERTY + "=" + forcedWidth);
        }
        List<Row> out = new ArrayList<>();
        for (RunResult r : new Runner(opt.build()).run()) {
            var p = r.getParams();
            out.add(new Row(p.getParam("type"), p.getParam("metric"), Integer.parseInt(p.getParam("dim")),
                    p.getParam("impl").equals("scalar") ? "-" : widthLabel, p.getParam("impl"),
                    r.getPrimaryResult().getScore()));
        }
        return out;
    }

    private static void printTable(List<Row> rows) {
        System.out.println();
        System.out.printf(Locale.ROOT, "%-4s %-6s %5s %-9s %6s %12s %10s%n", "type", "metric", "dim", "impl", "width",
                "ns/distance", "vs scalar");
        for (Row r : rows) {
            double scalar = rows.stream().filter(s -> s.impl().equals("scalar") && s.type().equals(r.type())
                            && s.metric().equals(r.metric()) && s.dim() == r.dim())
                    .mapToDouble(Row::nsPerDistance).findFirst().orElse(Double.NaN);
            System.out.printf(Locale.ROOT, "%-4s %-6s %5d %-9s %6s %12.2f %9.2fx%n", r.type(), r.metric(), r.dim(),
                    r.impl(), r.width(), r.nsPerDistance(), scalar / r.nsPerDistance());
        }
    }

    private void writeJson(List<Row> rows, String preferred) throws IOException {
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("benchmark", "DistanceBenchmark");
        root.put("quick", quick);
        root.put("preferred_width", Integer.parseInt(preferred));
        root.put("kernels", SimdSupport.describe());
        root.put("jdk", System.getProperty("java.vm.name") + " " + Runtime.version());
        root.put("os_arch", System.getProperty("os.arch"));
        root.put("cpus", Runtime.getRuntime().availableProcessors());
        List<Object> list = new ArrayList<>();
        for (Row r : rows) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("type", r.type());
            m.put("metric", r.metric());
            m.put("dim", r.dim());
            m.put("width", r.width().equals("-") ? 0 : Integer.parseInt(r.width()));
            m.put("impl", r.impl());
            m.put("ns_per_distance", Math.round(r.nsPerDistance() * 1000) / 1000.0);
            list.add(m);
        }
        root.put("rows", list);
        Path parent = json.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        Files.writeString(json, Json.write(root));
    }
}
