package io.diskann.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.VectorGraphicsEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code ./diskann plot}: recall-vs-QPS curves (QPS on a log axis) of one or more {@code eval}/{@code search}
 * JSON files, with any peer rows they carry (hnswlib), written as PNG and SVG.
 */
@Command(name = "plot", mixinStandardHelpOptions = true,
        description = "Plot recall@k vs single-thread QPS (log axis) of eval JSON files as PNG and SVG.")
final class PlotCommand implements Callable<Integer> {

    @Parameters(arity = "1..*", paramLabel = "RESULT.json", description = "Result files written by eval --json.")
    List<Path> inputs;

    @Option(names = "--out", required = true, paramLabel = "FILE.png",
            description = "Output PNG; an SVG is written beside it with the same name.")
    Path out;

    @Option(names = "--title", description = "Chart title (default: the first file's dataset).")
    String title;

    @Override
    public Integer call() throws IOException {
        plot(inputs, out, title);
        return 0;
    }

    /** Plots the rows of the given result files into {@code out} (PNG) and its SVG twin. */
    static void plot(List<Path> inputs, Path out, String title) throws IOException {
        List<Series> series = new ArrayList<>();
        String firstDataset = null;
        for (Path in : inputs) {
            Object parsed;
            try {
                parsed = JsonReader.parse(Files.readString(in));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(in + ": " + e.getMessage());
            }
            if (!(parsed instanceof Map<?, ?> root) || !(root.get("rows") instanceof List<?> rows)) {
                throw new IllegalArgumentException(in + " is not an eval result (no \"rows\")");
            }
            if (firstDataset == null && root.get("dataset") != null) {
                firstDataset = root.get("dataset").toString();
            }
            String source = inputs.size() > 1 ? " [" + in.getFileName() + "]" : "";
            String label = String.format("diskann-java %s R=%s", root.get("type") == null ? "?" : root.get("type"),
                    intText(root.get("R"))) + source;
            series.addAll(Series.fromRows(label, rows, "L"));
            if (root.get("filtered") instanceof Map<?, ?> filtered && filtered.get("rows") instanceof List<?> frows) {
                series.addAll(Series.fromFilteredRows(label, frows));
            }
            if (root.get("peers") instanceof List<?> peers) {
                series.addAll(Series.fromRows("hnswlib M=" + peerM(peers) + source, peers, "ef"));
            }
        }
        if (series.isEmpty()) {
            throw new IllegalArgumentException("no rows with recall to plot");
        }
        render(series, title != null ? title : firstDataset == null ? "recall vs QPS" : firstDataset, out);
    }

    private static String intText(Object v) {
        return v instanceof Double d ? String.valueOf(d.intValue()) : String.valueOf(v);
    }

    private static String peerM(List<?> peers) {
        for (Object p : peers) {
            if (p instanceof Map<?, ?> m && m.get("M") != null) {
                return intText(m.get("M"));
            }
        }
        return "?";
    }

    /** One curve: recall (x) and QPS (y) of rows with the same k. */
    record Series(String name, List<Double> recall, List<Double> qps) {
        static List<Series> fromRows(String label, List<?> rows, String sizeKey) {
            Map<String, Series> byK = new TreeMap<>();
            for (Object o : rows) {
                if (o instanceof Map<?, ?> r && r.get("recall") instanceof Double rec && r.get("qps") instanceof Double q
                        && r.get(sizeKey) != null) {
                    int k = r.get("k") instanceof Double kd ? kd.intValue() : 10;
                    String t = (r.get("traversal") instanceof String ts ? ts : "")
                            + (r.get("layout") instanceof String ls ? " " + ls : "");
                    Series s = byK.computeIfAbsent(t + " k=" + k, key -> new Series(label + (t.isEmpty() ? "" : " " + t) + " k=" + k,
                            new ArrayList<>(), new ArrayList<>()));
                    s.recall().add(rec);
                    s.qps().add(q);
                }
            }
            return new ArrayList<>(byK.values());
        }

        /** Filtered rows: one curve per mode (filtered, post-filter), selectivity bucket and filter kind. */
        static List<Series> fromFilteredRows(String label, List<?> rows) {
            Map<String, Series> byKey = new TreeMap<>();
            for (Object o : rows) {
                if (o instanceof Map<?, ?> r && r.get("recall") instanceof Double rec && r.get("qps") instanceof Double q) {
                    String key = r.get("mode") + " " + r.get("bucket") + " " + r.get("filter");
                    Series s = byKey.computeIfAbsent(key, k -> new Series(label + " " + k, new ArrayList<>(), new ArrayList<>()));
                    s.recall().add(rec);
                    s.qps().add(q);
                }
            }
            return new ArrayList<>(byKey.values());
        }
    }

    static void render(List<Series> series, String title, Path png) throws IOException {
        System.setProperty("java.awt.headless", "true");
        java.util.Set<String> used = new java.util.HashSet<>();
        XYChart chart = new XYChartBuilder().width(960).height(600).title(title)
                .xAxisTitle("recall@k").yAxisTitle("queries per second, 1 thread (log)").build();
        chart.getStyler().setYAxisLogarithmic(true);
        chart.getStyler().setLegendPosition(Styler.LegendPosition.InsideSW);
        chart.getStyler().setChartBackgroundColor(java.awt.Color.WHITE);
        chart.getStyler().setPlotGridLinesVisible(true);
        chart.getStyler().setYAxisDecimalPattern("#,###");
        for (Series s : series) {
            String name = s.name();
            for (int copy = 2; !used.add(name); copy++) {
                name = s.name() + " (" + copy + ")";
            }
            chart.addSeries(name, s.recall(), s.qps()).setMarker(SeriesMarkers.CIRCLE);
        }
        Path abs = png.toAbsolutePath();
        if (abs.getParent() != null) {
            Files.createDirectories(abs.getParent());
        }
        String base = abs.toString().replaceFirst("\\.png$", "");
        BitmapEncoder.saveBitmap(chart, base, BitmapEncoder.BitmapFormat.PNG);
        VectorGraphicsEncoder.saveVectorGraphic(chart, base, VectorGraphicsEncoder.VectorGraphicsFormat.SVG);
        System.out.println("wrote " + base + ".png and " + base + ".svg");
    }
}
