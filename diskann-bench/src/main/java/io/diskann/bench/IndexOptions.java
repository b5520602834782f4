package io.diskann.bench;

import io.diskann.graph.VamanaIndex;
import io.diskann.graph.VamanaParams;
import io.diskann.vector.Metric;
import io.diskann.vector.VectorType;
import picocli.CommandLine.Option;

/** Index construction options shared by {@code eval} and {@code build}. */
final class IndexOptions {

    @Option(names = "--metric", description = "l2, cosine or ip (default: l2, or the HDF5 file's distance).")
    String metric;

    @Option(names = "--type", description = "Storage type: f32, f16, i8 or u8 (default ${DEFAULT-VALUE}).")
    String type = "f32";

    @Option(names = "-R", description = "Max out-degree R (default ${DEFAULT-VALUE}).")
    int maxDegree = 64;

    @Option(names = "--build-L", description = "Build search list size (default ${DEFAULT-VALUE}).")
    int buildL = 100;

    @Option(names = "--alpha", description = "Prune alpha (default ${DEFAULT-VALUE}).")
    float alpha = 1.2f;

    @Option(names = "--threads", description = "Build (and all-thread search) threads (default: all processors).")
    int threads = Runtime.getRuntime().availableProcessors();

    /** The metric given with --metric, or L2. */
    Metric metric() {
        return metric == null ? Metric.L2 : Metric.parse(metric);
    }

    VectorType type() {
        return VectorType.parse(type);
    }

    VamanaIndex newIndex(int dimensions) {
        return newIndex(dimensions, metric());
    }

    VamanaIndex newIndex(int dimensions, Metric m) {
        VamanaParams params = VamanaParams.builder().maxDegree(maxDegree).buildListSize(buildL).alpha(alpha)
                .threads(threads).build();
        return VamanaIndex.builder(dimensions, m).vectorType(type()).params(params).build();
    }
}
