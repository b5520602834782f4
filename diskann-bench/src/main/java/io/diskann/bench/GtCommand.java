package io.diskann.bench;

import io.diskann.vector.SimdSupport;
import io.diskann.bench.data.FloatMatrix;
import io.diskann.bench.data.GroundTruth;
import io.diskann.bench.data.Datasets;
import io.diskann.vector.Metric;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code ./diskann gt}: exact top-k ground truth by multi-threaded SIMD brute force, written as ivecs. */
@Command(name = "gt", mixinStandardHelpOptions = true,
        description = "Compute exact k-NN ground truth (.ivecs, or a DiskANN truthset .bin with distances).")
final class GtCommand implements Callable<Integer> {

    @Option(names = "--base", required = true, paramLabel = "FILE", description = "Base vectors (.fvecs/.bvecs).")
    Path base;

    @Option(names = "--query", required = true, paramLabel = "FILE", description = "Query vectors (.fvecs/.bvecs).")
    Path query;

    @Option(names = "-k", description = "Neighbours per query (default ${DEFAULT-VALUE}).")
    int k = 100;

    @Option(names = "--metric", description = "l2, cosine or ip (default ${DEFAULT-VALUE}).")
    String metric = "l2";

    @Option(names = "--out", required = true, paramLabel = "FILE", description = "Output .ivecs file.")
    Path out;

    @Option(names = "--base-labels", paramLabel = "FILE",
            description = "Labels of the base vectors (DiskANN label file: line i = labels of vector i, comma-separated).")
    Path baseLabels;

    @Option(names = "--query-filters", paramLabel = "FILE",
            description = "One filter per query line: a label, a|b (any of) or a&b (all of); '*' or an empty line: no filter.")
    Path queryFilters;

    @Option(names = "--universal-label", paramLabel = "NAME",
            description = "The label that matches every filter (DiskANN's universal label).")
    String universalLabel;

    @Override
    public Integer call() throws IOException {
        System.out.println("kernels: " + SimdSupport.describe());
        if (k < 1) {
            throw new IllegalArgumentException("-k must be at least 1, got " + k);
        }
        String name = out.getFileName().toString();
        if (!name.endsWith(".ivecs") && !name.endsWith(".bin")) {
            throw new IllegalArgumentException("--out must end in .ivecs or .bin (DiskANN truthset with distances)");
        }
        Metric m = Metric.parse(metric);
        FloatMatrix b = Datasets.readVectors(base, -1);
        FloatMatrix q = Datasets.readVectors(query, -1);
        long t0 = System.nanoTime();
        Progress p = new Progress("ground truth", q.rows());
        java.util.function.IntFunction<java.util.function.IntPredicate> accept = null;
        if ((baseLabels == null) != (queryFilters == null)) {
            throw new IllegalArgumentException("--base-labels and --query-filters go together");
        }
        if (baseLabels != null) {
            QueryFilters filters = QueryFilters.read(baseLabels, queryFilters, universalLabel, b.rows(), q.rows());
            System.out.println(filters.summary());
            accept = filters::predicate;
        }
        GroundTruth.Result r = GroundTruth.compute(b, q, k, m, accept, p::update);
        Datasets.writeTruth(out, r);
        System.out.printf(Locale.ROOT, "wrote %s: top-%d of %d base vectors for %d queries (%s) in %.1f s%n", out,
                r.ids().cols(), b.rows(), q.rows(), m.cliName(), (System.nanoTime() - t0) / 1e9);
        return 0;
    }
}
