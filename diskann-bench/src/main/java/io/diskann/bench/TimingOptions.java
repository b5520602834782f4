package io.diskann.bench;

import picocli.CommandLine.Option;

/** How search rows are timed (see {@link SearchSweep.Timing}); shared by eval and search. */
final class TimingOptions {

    @Option(names = "--runs", description = "Timed passes per (k, L), interleaved; QPS is the best, the spread is"
            + " in the JSON (qps_runs, qps_spread) (default ${DEFAULT-VALUE}).")
    int runs = SearchSweep.Timing.DEFAULT.runs();

    @Option(names = "--min-seconds", description = "Each timed pass repeats the queries until it has run this long"
            + " (default ${DEFAULT-VALUE}).")
    double minSeconds = SearchSweep.Timing.DEFAULT.minSeconds();

    @Option(names = "--warmup-seconds", description = "Longest warm-up: searches run until two 0.25 s blocks agree"
            + " within 3% (default ${DEFAULT-VALUE}).")
    double warmupSeconds = SearchSweep.Timing.DEFAULT.warmupSeconds();

    SearchSweep.Timing timing() {
        return new SearchSweep.Timing(runs, minSeconds, warmupSeconds);
    }
}
