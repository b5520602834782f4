package io.diskann.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The filtered eval's verdict per bucket and filter kind: each mode's best QPS among its rows at recall@k of at least
 * {@link #RECALL}, and ours against the best peer (Lucene or jvector) and against post-filtering ours, the ratios the
 * filter issue's targets are stated in. Why in the CLI: every comparison was otherwise recomputed by hand from the rows.
 */
final class FilterSummary {

    /** The recall the filter targets are read at. */
    static final double RECALL = 0.95;

    private FilterSummary() {
    }

    /**
     * One summary entry per (bucket, filter) in the order the rows first name them: {@code bucket}, {@code filter},
     * per mode ({@code filtered}, {@code post-filter}, {@code lucene}, {@code jvector}) its best row as {@code {L,
     * recall, qps}} or null when no row reached {@link #RECALL}, {@code best_peer} (the faster of Lucene and jvector,
     * or null), {@code vs_best_peer} and {@code vs_post_filter} (ours over theirs, or null).
     *
     * @param rows the eval's rows ({@code mode}, {@code bucket}, {@code filter}, {@code L}, {@code recall}, {@code qps})
     * @return the entries
     */
    static List<Map<String, Object>> of(List<Object> rows) {
        Map<String, Map<String, Map<String, Object>>> best = new LinkedHashMap<>();
        for (Object o : rows) {
            @SuppressWarnings("unchecked")
            Map<String, Object> r = (Map<String, Object>) o;
            String key = r.get("bucket") + " " + r.get("filter");
            Map<String, Map<String, Object>> byMode = best.computeIfAbsent(key, x -> new LinkedHashMap<>());
            String mode = (String) r.get("mode");
            byMode.putIfAbsent(mode, null);
            double recall = ((Number) r.get("recall")).doubleValue();
            double qps = ((Number) r.get("qps")).doubleValue();
            Map<String, Object> b = byMode.get(mode);
            if (recall >= RECALL && (b == null || qps > ((Number) b.get("qps")).doubleValue())) {
                Map<String, Object> e = new LinkedHashMap<>();
                e.put("L", r.get("L"));
                e.put("recall", r.get("recall"));
                e.put("qps", r.get("qps"));
                byMode.put(mode, e);
            }
        }
        List<Map<String, Object>> out = new ArrayList<>();
        for (Map.Entry<String, Map<String, Map<String, Object>>> e : best.entrySet()) {
            String[] parts = e.getKey().split(" ");
            Map<String, Map<String, Object>> byMode = e.getValue();
            Map<String, Object> s = new LinkedHashMap<>();
            s.put("bucket", parts[0]);
            s.put("filter", parts[1]);
            for (String mode : new String[] {"filtered", "post-filter", "lucene", "jvector"}) {
                if (byMode.containsKey(mode)) {
                    s.put(mode, byMode.get(mode));
                }
            }
            String peer = null;
            for (String mode : new String[] {"lucene", "jvector"}) {
                if (byMode.get(mode) != null && (peer == null || qps(byMode.get(mode)) > qps(byMode.get(peer)))) {
                    peer = mode;
                }
            }
            Map<String, Object> ours = byMode.get("filtered");
            s.put("best_peer", peer);
            s.put("vs_best_peer", ratio(ours, peer == null ? null : byMode.get(peer)));
            s.put("vs_post_filter", ratio(ours, byMode.get("post-filter")));
            out.add(s);
        }
        return out;
    }

    /** Prints {@link #of} as a table. */
    static void print(List<Map<String, Object>> summary) {
        System.out.printf(Locale.ROOT, "best QPS at recall@k >= %.2f (L, QPS), ours against the best peer and post-filtering:%n",
                RECALL);
        System.out.printf(Locale.ROOT, "  %7s  %-7s %16s %16s %16s %16s %12s %12s%n", "bucket", "filter", "ours", "post-filter",
                "lucene", "jvector", "vs peer", "vs post");
        for (Map<String, Object> s : summary) {
            System.out.printf(Locale.ROOT, "  %7s  %-7s %16s %16s %16s %16s %12s %12s%n", s.get("bucket"), s.get("filter"),
                    cell(s, "filtered"), cell(s, "post-filter"), cell(s, "lucene"), cell(s, "jvector"),
                    times(s.get("vs_best_peer")), times(s.get("vs_post_filter")));
        }
    }

    @SuppressWarnings("unchecked")
    private static String cell(Map<String, Object> s, String mode) {
        if (!s.containsKey(mode)) {
            return "-";
        }
        Map<String, Object> b = (Map<String, Object>) s.get(mode);
        return b == null ? "< " + RECALL : String.format(Locale.ROOT, "L=%s %.0f", b.get("L"), qps(b));
    }

    private static String times(Object ratio) {
        return ratio == null ? "-" : String.format(Locale.ROOT, "%.2fx", ((Number) ratio).doubleValue());
    }

    private static double qps(Map<String, Object> b) {
        return ((Number) b.get("qps")).doubleValue();
    }

    private static Double ratio(Map<String, Object> ours, Map<String, Object> theirs) {
        return ours == null || theirs == null ? null : ResultFiles.round(qps(ours) / qps(theirs), 3);
    }
}
