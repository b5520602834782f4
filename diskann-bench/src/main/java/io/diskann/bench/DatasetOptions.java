package io.diskann.bench;

import io.diskann.bench.data.FloatMatrix;
import io.diskann.bench.data.GroundTruth;
import io.diskann.bench.data.Hdf5Dataset;
import io.diskann.bench.data.IntMatrix;
import io.diskann.bench.data.SyntheticData;
import io.diskann.bench.data.Datasets;
import io.diskann.vector.Metric;
import java.io.IOException;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/**
 * Dataset options shared by commands: files ({@code --base/--query/--gt}) or, when no base is given,
 * the embedded default, a seeded synthetic set of Gaussian clusters.
 */
final class DatasetOptions {

    @Option(names = "--base", paramLabel = "FILE", description = "Base vectors (.fvecs, .bvecs, .fbin, .u8bin, .i8bin, .npy). Default: synthetic clusters.")
    Path base;

    @Option(names = "--query", paramLabel = "FILE", description = "Query vectors (same formats).")
    Path query;

    @Option(names = "--gt", paramLabel = "FILE", description = "Ground truth (.ivecs or DiskANN truthset .bin); computed exactly if absent.")
    Path gt;

    @Option(names = "--dataset", paramLabel = "FILE.hdf5",
            description = "An ann-benchmarks HDF5 file (train, test, neighbors; its distance attribute sets the metric).")
    Path hdf5;

    @Option(names = "--max-base", converter = Converters.Positive.class, paramLabel = "N", description = "Use only the first N base vectors (ground truth is then recomputed).")
    int maxBase = -1;

    @Option(names = "--max-queries", converter = Converters.Positive.class, paramLabel = "N", description = "Use only the first N queries.")
    int maxQueries = -1;

    @Option(names = "--synth-n", converter = Converters.Positive.class, paramLabel = "N", description = "Synthetic base size (default ${DEFAULT-VALUE}).")
    int synthN = 50_000;

    @Option(names = "--synth-dim", converter = Converters.Positive.class, paramLabel = "D", description = "Synthetic dimensions (default ${DEFAULT-VALUE}).")
    int synthDim = 96;

    @Option(names = "--synth-clusters", converter = Converters.Positive.class, paramLabel = "C", description = "Synthetic cluster count (default ${DEFAULT-VALUE}).")
    int synthClusters = 64;

    @Option(names = "--synth-queries", converter = Converters.Positive.class, paramLabel = "Q", description = "Synthetic query count (default ${DEFAULT-VALUE}).")
    int synthQueries = 1000;

    @Option(names = "--synth-spread", description = "Synthetic noise around each centre, relative to the spread of centres (default ${DEFAULT-VALUE}).")
    double synthSpread = 1.0;

    @Option(names = "--seed", description = "Seed of the synthetic data (default ${DEFAULT-VALUE}).")
    long seed = 42;

    /** A loaded dataset with exact ground truth of at least k neighbours, and the metric it is evaluated in. */
    record Loaded(String name, FloatMatrix base, FloatMatrix queries, IntMatrix truth, Metric metric) {
    }

    /** The last three components of a dataset path, e.g. {@code fashion-mnist/data/base.fvecs}. */
    static String describe(Path file) {
        Path abs = file.toAbsolutePath().normalize();
        int n = abs.getNameCount();
        return abs.subpath(Math.max(0, n - 3), n).toString();
    }

    /** Loads base and queries only (for commands that compute their own ground truth). */
    Loaded loadWithoutTruth(String metricOption) throws IOException {
        Path savedGt = gt;
        gt = null;
        try {
            return load(metricOption, 0);
        } finally {
            gt = savedGt;
        }
    }

    /**
     * Loads the dataset. The metric is {@code metricOption} if given, else the HDF5 file's distance
     * attribute, else L2. Ground truth is read if given (and the base is not cut) and computed otherwise.
     */
    Loaded load(String metricOption, int k) throws IOException {
        FloatMatrix b;
        FloatMatrix q;
        String name;
        Metric metric = metricOption == null ? Metric.L2 : Metric.parse(metricOption);
        IntMatrix given = null;
        if (hdf5 != null) {
            if (base != null || query != null) {
                throw new IllegalArgumentException("--dataset replaces --base/--query; give one or the other");
            }
            Hdf5Dataset h = Hdf5Dataset.read(hdf5, maxBase, maxQueries);
            b = h.base();
            q = h.queries();
            name = hdf5.getFileName().toString();
            if (metricOption == null && h.metricName() != null) {
                metric = Metric.parse(h.metricName());
            }
            if (maxBase < 0 && h.truth() != null && h.truth().cols() >= k) {
                given = h.truth();
            }
        } else if (base == null) {
            if (query != null || gt != null) {
                throw new IllegalArgumentException("--query/--gt need --base");
            }
            SyntheticData.Split s = SyntheticData.gaussianClusters(synthN, synthQueries, synthDim, synthClusters, synthSpread, seed);
            b = s.base();
            q = s.queries();
            name = "synthetic-clusters-" + synthN + "x" + synthDim + "-spread" + synthSpread + "-seed" + seed;
        } else {
            if (query == null) {
                throw new IllegalArgumentException("--base needs --query");
            }
            b = Datasets.readVectors(base, maxBase);
            q = Datasets.readVectors(query, maxQueries);
            name = describe(base);
            if (b.dims() != q.dims()) {
                throw new IllegalArgumentException("dimension mismatch: " + base + " has " + b.dims() + ", " + query
                        + " has " + q.dims());
            }
        }
        if (maxQueries > 0) {
            q = q.head(maxQueries);
        }
        IntMatrix truth;
        if (k == 0) {
            return new Loaded(name, b, q, null, metric);
        }
        if (given != null) {
            truth = given;
        } else if (gt != null && maxBase < 0) {
            truth = Datasets.readTruth(gt, q.rows());
            if (truth.rows() < q.rows()) {
                throw new IllegalArgumentException(gt + " has ground truth for " + truth.rows() + " queries, fewer than "
                        + q.rows());
            }
            if (truth.cols() < k) {
                throw new IllegalArgumentException(gt + " has " + truth.cols() + " neighbours per query, fewer than k=" + k);
            }
        } else {
            Progress p = new Progress("ground truth", q.rows());
            truth = GroundTruth.compute(b, q, Math.max(k, 100), metric, p::update).ids();
            return new Loaded(name, b, q, truth, metric);
        }
        GroundTruthCheck.verify(b, q, truth, metric, k, gt != null ? gt.toString() : String.valueOf(hdf5));
        return new Loaded(name, b, q, truth, metric);
    }
}
