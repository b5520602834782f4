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

    @picocli.CommandLine.Mixin
    FilterFileOptions filterFiles = new FilterFileOptions();

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
        QueryFilters filters = filterFiles.read(b.rows(), q.rows());
        if (filters != null) {
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
