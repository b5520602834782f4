package io.diskann.bench;

import io.diskann.filter.FilterParams;
import picocli.CommandLine.Option;

/**
 * How a filtered query chooses between scanning its matches and walking the graph, shared by {@code eval}
 * and {@code search-disk}: options left out take the defaults of the index kind ({@link #params}).
 */
final class FilterSearchOptions {

    @Option(names = "--scan-fraction", description = "Answer a filter by scanning its matches when it matches at most"
            + " this share of the base (default: 0.02 for an unfiltered graph and the disk index, 0 with"
            + " --filter-build filtered or stitched).")
    Double scanFraction;

    @Option(names = "--scan-minimum", description = "... or at most this many vectors (default: 2000 for an unfiltered"
            + " graph and the disk index; with filtered or stitched 500 at 784 dimensions, scaled by 784 / dimensions).")
    Integer scanMinimum;

    @Option(names = "--filter-max-L", converter = Converters.Positive.class, paramLabel = "L",
            description = "With filters: the widest list a filtered graph search may widen to, as L / sqrt(selectivity)"
                    + " (default 2000; at most L: no widening).")
    Integer filterMaxL;

    /** The options given, the rest from {@code base}; bad values throw. */
    FilterParams params(FilterParams base) {
        return FilterParams.builder()
                .scanFraction(scanFraction != null ? scanFraction : base.scanFraction())
                .scanMinimum(scanMinimum != null ? scanMinimum : base.scanMinimum())
                .maxListSize(filterMaxL != null ? filterMaxL : base.maxListSize()).build();
    }
}
