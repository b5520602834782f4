package io.diskann.bench;

import picocli.CommandLine.Option;

/** How search rows are timed (see {@link SearchSweep.Timing}); shared by eval and search. */
final class TimingOptions {

    @Option(names = "--runs", description = "Least timed passes per (k, L), interleaved; QPS takes each block of 64"
            + " queries at its best over the passes; the passes' own rates and spread are in the JSON (qps_runs,"
            + " qps_best_pass, qps_spread) (default ${DEFAULT-VALUE}).")
    int runs = SearchSweep.Timing.DEFAULT.runs();

    @Option(names = "--min-seconds", description = "Each timed pass repeats the queries until it has run this long"
            + " (default ${DEFAULT-VALUE}).")
    double minSeconds = SearchSweep.Timing.DEFAULT.minSeconds();

    @Option(names = "--warmup-seconds", description = "Longest warm-up: searches run until two 0.25 s blocks agree"
            + " within 3%% (default ${DEFAULT-VALUE}).")
    double warmupSeconds = SearchSweep.Timing.DEFAULT.warmupSeconds();

    @Option(names = "--row-seconds", description = "More passes (beyond --runs, at most 100) until each (k, L) has"
            + " been timed this long in all (default ${DEFAULT-VALUE}).")
    double rowSeconds = SearchSweep.Timing.DEFAULT.rowSeconds();

    @Option(names = "--timing-queries", description = "Timed passes search an evenly spaced sample of at most this many"
            + " queries, so that each row gets many short passes; recall is over all queries; 0 = all (default"
            + " ${DEFAULT-VALUE}).")
    int timingQueries = SearchSweep.Timing.DEFAULT.timingQueries();

    /** The timing settings as JSON keys, so a result file says how its QPS was measured. */
    java.util.Map<String, Object> asJson() {
        java.util.Map<String, Object> m = new java.util.LinkedHashMap<>();
        m.put("runs", runs);
        m.put("min_seconds", minSeconds);
        m.put("row_seconds", rowSeconds);
        m.put("timing_queries", timingQueries);
        m.put("warmup_seconds", warmupSeconds);
        m.put("qps_estimator", "per-block best over passes, block " + SearchSweep.BLOCK);
        return m;
    }

    SearchSweep.Timing timing() {
        return new SearchSweep.Timing(runs, minSeconds, warmupSeconds, rowSeconds, timingQueries);
    }
}
