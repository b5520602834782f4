package io.diskann.bench;

import io.diskann.graph.Traversal;
import io.diskann.graph.VamanaIndex;
import io.diskann.graph.VamanaIndexBuilder;
import io.diskann.graph.VamanaParams;
import io.diskann.vector.Metric;
import io.diskann.vector.VectorType;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import picocli.CommandLine.Option;

/** Index construction options shared by {@code eval} and {@code build}. */
final class IndexOptions {

    @Option(names = "--metric", description = "l2, cosine or ip (default: l2, or the HDF5 file's distance).")
    String metric;

    @Option(names = "--type", description = "Storage type: f32, f16, i8 or u8 (default ${DEFAULT-VALUE}).")
    String type = "f32";

    @Option(names = "-R", description = "Max out-degree R (default ${DEFAULT-VALUE}).")
    int maxDegree = 64;

    @Option(names = "--build-L", description = "Build search list size (default: 64, or R if larger; 48, or 3R/4 "
            + "if larger, for one-piece builds of 500,000 vectors or more).")
    Integer buildL;

    @Option(names = "--alpha", description = "Prune alpha (default ${DEFAULT-VALUE}).")
    float alpha = 1.2f;

    @Option(names = "--saturate", negatable = true, description = "Fill every list to R with the closest pruned"
            + " candidates (DiskANN's saturate_graph): more neighbours per node, which a disk index reads at no extra"
            + " cost from its fixed-size records. Default: on for build-disk's graphs from --base (plain and label-aware;"
            + " not --from-index), off otherwise.")
    Boolean saturate;

    @Option(names = "--threads", converter = Converters.Positive.class, description = "Build (and all-thread search) threads (default: all processors).")
    int threads = Runtime.getRuntime().availableProcessors();

    @Option(names = "--traversal", split = ",", paramLabel = "T",
            description = "What searches traverse on: sq8 (8-bit codes, best candidates re-ranked at full precision;"
                    + " the default for f32 and f16) or exact. A list (exact,sq8) sweeps each on the same graph.")
    String[] traversal;

    /** The traversals given with --traversal (empty: the index's own). */
    List<Traversal> traversals() {
        return traversals(traversal);
    }

    static List<Traversal> traversals(String[] names) {
        List<Traversal> out = new ArrayList<>();
        if (names != null) {
            for (String n : names) {
                out.add(switch (n.trim().toLowerCase(Locale.ROOT)) {
                    case "exact" -> Traversal.EXACT;
                    case "sq8" -> Traversal.SQ8;
                    default -> throw new IllegalArgumentException("unknown --traversal '" + n + "': use exact or sq8");
                });
            }
        }
        return out;
    }

    /** What the index traverses on now: "sq8" when it has codes, else "exact". */
    static String traversalLabel(VamanaIndex index) {
        return index.stats().codeBytes() > 0 ? "sq8" : "exact";
    }

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

    /** The construction parameters given (R, L, alpha, threads), lists saturated only if asked. */
    VamanaParams params() {
        return params(false);
    }

    /** As {@link #params()}, saturating lists unless told otherwise when {@code saturateByDefault}. */
    VamanaParams params(boolean saturateByDefault) {
        VamanaParams.Builder b = VamanaParams.builder().maxDegree(maxDegree).alpha(alpha)
                .saturate(saturate != null ? saturate : saturateByDefault).threads(threads);
        if (buildL != null) { // else the library's: it shortens the list for large builds
            b.buildListSize(buildL);
        }
        return b.build();
    }

    VamanaIndex newIndex(int dimensions, Metric m) {
        VamanaParams params = params();
        VamanaIndexBuilder b = VamanaIndex.builder(dimensions, m).vectorType(type()).params(params);
        List<Traversal> ts = traversals();
        if (!ts.isEmpty()) {
            b.traversal(ts.get(0));
        }
        return b.build();
    }
}
