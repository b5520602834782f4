package io.diskann.bench;

import io.diskann.bench.data.SyntheticLabels;
import io.diskann.filter.LabelDictionary;
import io.diskann.filter.LabelFile;
import io.diskann.filter.LabelSets;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code ./diskann synth-labels}: seeded labels for N base vectors (uniform or Zipf, not correlated with
 * the vectors) in Microsoft DiskANN's label-file format, and optionally one filter per query chosen to
 * match given shares of the base (label, any-of, all-of), for filtered ground truth and evaluation.
 */
@Command(name = "synth-labels", mixinStandardHelpOptions = true,
        description = "Write synthetic base labels (DiskANN label file) and query filters at chosen selectivities.")
final class SynthLabelsCommand implements Callable<Integer> {

    @Option(names = "--n", required = true, converter = Converters.Positive.class, paramLabel = "N",
            description = "Base vectors to label.")
    int n;

    @Option(names = "--labels", converter = Converters.Positive.class,
            description = "Distinct labels (default ${DEFAULT-VALUE}).")
    int labels = 50;

    @Option(names = "--distribution", description = "zipf or uniform (default ${DEFAULT-VALUE}).")
    String distribution = "zipf";

    @Option(names = "--zipf-exponent", description = "Zipf exponent: label l has weight 1/(l+1)^s (default ${DEFAULT-VALUE}).")
    double exponent = 1.0;

    @Option(names = "--per-point", paramLabel = "MIN..MAX", description = "Labels per point (default ${DEFAULT-VALUE}).")
    String perPoint = "1..3";

    @Option(names = "--seed", description = "Seed (default ${DEFAULT-VALUE}).")
    long seed = 7;

    @Option(names = "--out", required = true, paramLabel = "FILE", description = "The base label file to write.")
    Path out;

    @Option(names = "--queries", paramLabel = "Q", description = "Also write Q query filters (see --query-filters-out).")
    int queries;

    @Option(names = "--query-filters-out", paramLabel = "FILE", description = "Where the query filters go, one per line.")
    Path queryFiltersOut;

    @Option(names = "--selectivity", split = ",", paramLabel = "S",
            description = "Shares of the base the filters should match, cycled over queries (default ${DEFAULT-VALUE}).")
    double[] selectivities = {0.5, 0.1, 0.01, 0.001};

    @Option(names = "--filter-kinds", split = ",", paramLabel = "K",
            description = "label, or, and; cycled over queries after the selectivities (default ${DEFAULT-VALUE}).")
    String[] kinds = {"label", "or", "and"};

    // Why: with 8, a 0.1% bucket of Fashion-MNIST scans the same 8 x 60 rows in every query, which stay in the
    // CPU's caches; more distinct filters make the rows come from memory, as varied filters (per-user ACLs,
    // many categories) do
    @Option(names = "--filters-per-kind", converter = Converters.Positive.class, paramLabel = "N",
            description = "Distinct filters drawn from per kind and selectivity: those nearest the asked share "
                    + "(default ${DEFAULT-VALUE}).")
    int filtersPerKind = 8;

    @Override
    public Integer call() throws IOException {
        String[] range = perPoint.split("\\.\\.");
        int min;
        int max;
        try {
            min = Integer.parseInt(range[0].strip());
            max = Integer.parseInt(range[range.length - 1].strip());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--per-point must be MIN..MAX or N, got " + perPoint);
        }
        boolean zipf = switch (distribution) {
            case "zipf" -> true;
            case "uniform" -> false;
            default -> throw new IllegalArgumentException("--distribution must be zipf or uniform, got " + distribution);
        };
        if ((queries > 0) != (queryFiltersOut != null)) {
            throw new IllegalArgumentException("--queries and --query-filters-out go together");
        }
        for (double s : selectivities) {
            if (!(s > 0 && s <= 1)) {
                throw new IllegalArgumentException("--selectivity values must be in (0, 1], got " + s);
            }
        }
        long t0 = System.nanoTime();
        LabelSets sets = SyntheticLabels.generate(n, labels, zipf, exponent, min, max, seed);
        LabelFile.write(out, sets, LabelDictionary.numeric());
        System.out.printf(Locale.ROOT, "wrote %s: %d points, %d %s labels, %s per point; the most common matches %.1f%%, the rarest %.3f%%%n",
                out, n, labels, distribution, perPoint, 100.0 * maxCount(sets) / n, 100.0 * minCount(sets) / n);
        if (queries > 0) {
            Random random = new Random(seed ^ 0x5DEECE66DL);
            Map<String, List<SyntheticLabels.Candidate>> pools = new HashMap<>();
            List<String> lines = new ArrayList<>(queries);
            for (int q = 0; q < queries; q++) {
                double target = selectivities[q % selectivities.length];
                String kind = kinds[(q / selectivities.length) % kinds.length];
                List<SyntheticLabels.Candidate> pool = pools.computeIfAbsent(kind + "@" + target,
                        key -> SyntheticLabels.filtersNear(sets, kind, target, filtersPerKind));
                if (pool.isEmpty()) {
                    throw new IllegalArgumentException("no " + kind + " filter exists over these labels");
                }
                lines.add(pool.get(random.nextInt(pool.size())).expression());
            }
            Path tmp = Files.createTempFile(queryFiltersOut.toAbsolutePath().getParent(), "filters", ".tmp");
            Files.write(tmp, lines, StandardCharsets.UTF_8);
            Files.move(tmp, queryFiltersOut, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            System.out.printf(Locale.ROOT, "wrote %s: %d query filters%n", queryFiltersOut, queries);
            pools.entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(e -> {
                double lo = e.getValue().stream().mapToDouble(SyntheticLabels.Candidate::selectivity).min().orElse(0);
                double hi = e.getValue().stream().mapToDouble(SyntheticLabels.Candidate::selectivity).max().orElse(0);
                System.out.printf(Locale.ROOT, "  %-12s matches %.3f%% .. %.3f%% of the base%n", e.getKey(), 100 * lo, 100 * hi);
            });
        }
        System.out.printf(Locale.ROOT, "%.1f s%n", (System.nanoTime() - t0) / 1e9);
        return 0;
    }

    private static int maxCount(LabelSets s) {
        int m = 0;
        for (int l = 0; l < s.labelLimit(); l++) {
            m = Math.max(m, s.matchCount(l));
        }
        return m;
    }

    private static int minCount(LabelSets s) {
        int m = Integer.MAX_VALUE;
        for (int l = 0; l < s.labelLimit(); l++) {
            m = Math.min(m, s.matchCount(l));
        }
        return m;
    }
}
