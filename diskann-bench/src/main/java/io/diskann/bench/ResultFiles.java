package io.diskann.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Writes sweep results as JSON (every parameter and row) or CSV (one line per row). */
final class ResultFiles {

    private ResultFiles() {
    }

    static List<Object> rowsAsMaps(List<SearchSweep.Row> rows) {
        List<Object> list = new ArrayList<>();
        for (SearchSweep.Row r : rows) {
            Map<String, Object> o = new LinkedHashMap<>();
            o.put("L", r.listSize());
            o.put("k", r.k());
            o.put("W", r.beamWidth());
            o.put("recall", Double.isNaN(r.recall()) ? null : round(r.recall(), 5));
            o.put("qps", round(r.qps(), 1));
            o.put("qps_runs", java.util.Arrays.stream(r.qpsRuns()).map(x -> round(x, 1)).boxed().toList());
            o.put("qps_spread", round(r.qpsSpread(), 4));
            o.put("qps_best_pass", round(r.qpsBestPass(), 1));
            o.put("qps_all_threads", Double.isNaN(r.qpsAllThreads()) ? null : round(r.qpsAllThreads(), 1));
            o.put("p50_us", round(r.p50Us(), 1));
            o.put("p95_us", round(r.p95Us(), 1));
            o.put("p99_us", round(r.p99Us(), 1));
            o.put("mean_us", round(r.meanUs(), 1));
            o.put("dist_comps", round(r.distComps(), 1));
            o.put("hops", round(r.hops(), 1));
            if (r.traversal() != null) {
                o.put("traversal", r.traversal());
            }
            if (r.layout() != null) {
                o.put("layout", r.layout());
            }
            list.add(o);
        }
        return list;
    }

    static void writeJson(Path file, Map<String, Object> root) throws IOException {
        createParent(file);
        Files.writeString(file, Json.write(root));
    }

    static void writeCsv(Path file, Map<String, Object> params, List<SearchSweep.Row> rows) throws IOException {
        createParent(file);
        StringBuilder sb = new StringBuilder(
                "dataset,type,metric,R,build_L,alpha,k,L,recall,qps,qps_all_threads,mean_us,p50_us,p95_us,p99_us,dist_comps,hops,W,traversal,qps_spread\n");
        for (SearchSweep.Row r : rows) {
            sb.append(String.format(Locale.ROOT, "%s,%s,%s,%s,%s,%s,%d,%d,%.5f,%.1f,%.1f,%.1f,%.1f,%.1f,%.1f,%.1f,%.1f,%d,%s,%.4f%n",
                    params.get("dataset"), params.get("type"), params.get("metric"), params.get("R"), params.get("build_L"),
                    params.get("alpha"), r.k(), r.listSize(), r.recall(), r.qps(), r.qpsAllThreads(), r.meanUs(), r.p50Us(),
                    r.p95Us(), r.p99Us(), r.distComps(), r.hops(), r.beamWidth(),
                    r.traversal() == null ? "" : r.traversal(), r.qpsSpread()));
        }
        Files.writeString(file, sb.toString());
    }

    private static void createParent(Path file) throws IOException {
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
    }

    static double round(double v, int digits) {
        double f = Math.pow(10, digits);
        return Math.round(v * f) / f;
    }
}
