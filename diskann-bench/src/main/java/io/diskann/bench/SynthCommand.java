package io.diskann.bench;

import io.diskann.bench.data.GroundTruth;
import io.diskann.bench.data.SyntheticData;
import io.diskann.bench.data.VecsFiles;
import io.diskann.vector.Metric;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code ./diskann synth}: writes a seeded synthetic dataset (base, queries, exact ground truth, labels). */
@Command(name = "synth", mixinStandardHelpOptions = true,
        description = "Generate a seeded synthetic dataset: base.fvecs, query.fvecs (.bvecs with --type u8), gt.ivecs"
                + " and cluster labels.")
final class SynthCommand implements Callable<Integer> {

    @Option(names = "--kind", description = "clusters (isotropic Gaussian clusters), subspace (clusters of low intrinsic"
            + " dimension: each spans its own random --intrinsic-dimensional subspace, N(0,1) along it, N(0, --spread^2)"
            + " off it) or uniform (default ${DEFAULT-VALUE}).")
    String kind = "clusters";

    @Option(names = "-n", description = "Base vectors (default ${DEFAULT-VALUE}).")
    int n = 100_000;

    @Option(names = "--dim", description = "Dimensions (default ${DEFAULT-VALUE}).")
    int dim = 128;

    @Option(names = "--queries", description = "Queries (default ${DEFAULT-VALUE}).")
    int queries = 10_000;

    @Option(names = "--clusters", description = "Clusters (default ${DEFAULT-VALUE}).")
    int clusters = 256;

    @Option(names = "--spread", description = "Noise standard deviation around a centre (default ${DEFAULT-VALUE}).")
    double spread = 0.5;

    @Option(names = "--intrinsic", description = "With --kind subspace: directions each cluster spans (default"
            + " ${DEFAULT-VALUE}).")
    int intrinsic = 16;

    @Option(names = "--seed", description = "Seed (default ${DEFAULT-VALUE}).")
    long seed = 42;

    @Option(names = "--metric", description = "Metric of the ground truth: l2, cosine or ip (default ${DEFAULT-VALUE}).")
    String metric = "l2";

    @Option(names = "--type", description = "f32 (default) or u8: each component x becomes round(128 + 32 x) clamped"
            + " to 0..255 (cluster components lie within about +-4), written as base.bvecs/query.bvecs; the ground"
            + " truth is computed on the u8 values.")
    String type = "f32";

    @Option(names = "-k", description = "Ground-truth neighbours per query (default ${DEFAULT-VALUE}).")
    int k = 100;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Output directory.")
    Path out;

    @Override
    public Integer call() throws IOException {
        if (n < 1 || dim < 1 || queries < 1 || clusters < 1 || k < 1) {
            throw new IllegalArgumentException("-n, --dim, --queries, --clusters and -k must be positive");
        }
        if (!type.equals("f32") && !type.equals("u8")) {
            throw new IllegalArgumentException("unknown --type " + type + ": expected f32 or u8");
        }
        Metric m = Metric.parse(metric);
        SyntheticData.Split s = switch (kind) {
            case "clusters" -> SyntheticData.gaussianClusters(n, queries, dim, clusters, spread, seed);
            case "subspace" -> SyntheticData.subspaceClusters(n, queries, dim, clusters, intrinsic, spread, seed);
            case "uniform" -> SyntheticData.uniform(n, queries, dim, seed);
            default -> throw new IllegalArgumentException("unknown --kind " + kind
                    + ": expected clusters, subspace or uniform");
        };
        Files.createDirectories(out);
        switch (type) {
            case "f32" -> {
                VecsFiles.writeFloats(out.resolve("base.fvecs"), s.base());
                VecsFiles.writeFloats(out.resolve("query.fvecs"), s.queries());
            }
            case "u8" -> {
                toU8(s.base());
                toU8(s.queries());
                VecsFiles.writeBytes(out.resolve("base.bvecs"), s.base());
                VecsFiles.writeBytes(out.resolve("query.bvecs"), s.queries());
            }
            default -> throw new IllegalArgumentException("unknown --type " + type + ": expected f32 or u8");
        }
        if (s.baseLabels().length > 0) {
            Files.writeString(out.resolve("base-labels.txt"), lines(s.baseLabels()));
            Files.writeString(out.resolve("query-labels.txt"), lines(s.queryLabels()));
        }
        long t0 = System.nanoTime();
        Progress p = new Progress("ground truth", queries);
        GroundTruth.Result gt = GroundTruth.compute(s.base(), s.queries(), k, m, p::update);
        VecsFiles.writeInts(out.resolve("gt.ivecs"), gt.ids());
        System.out.printf(Locale.ROOT, "wrote %s: %d x %d %s base, %d queries, top-%d %s ground truth (%.1f s)%n", out, n,
                dim, kind, queries, gt.ids().cols(), m.cliName(), (System.nanoTime() - t0) / 1e9);
        return 0;
    }

    /** Maps each component to round(128 + 32 x) in 0..255, in place. */
    static void toU8(io.diskann.bench.data.FloatMatrix m) {
        float[] d = m.data();
        for (int i = 0; i < d.length; i++) {
            d[i] = (float) Math.max(0, Math.min(255, Math.rint(128 + 32 * (double) d[i])));
        }
    }

    private static String lines(int[] values) {
        return Arrays.stream(values).mapToObj(String::valueOf).collect(Collectors.joining("\n", "", "\n"));
    }
}
