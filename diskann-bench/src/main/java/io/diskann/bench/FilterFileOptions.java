package io.diskann.bench;

import java.io.IOException;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/**
 * The label and filter files shared by {@code gt} and {@code eval}: the base vectors' labels (a DiskANN
 * label file) and one filter per query. Both or neither.
 */
final class FilterFileOptions {

    @Option(names = "--base-labels", paramLabel = "FILE",
            description = "Labels of the base vectors (DiskANN label file: line i = labels of vector i, comma-separated).")
    Path baseLabels;

    @Option(names = "--query-filters", paramLabel = "FILE",
            description = "One filter per query line: a label, a|b (any of) or a&b (all of); '*' or an empty line: no filter.")
    Path queryFilters;

    @Option(names = "--universal-label", paramLabel = "NAME",
            description = "The label that matches every filter (DiskANN's universal label).")
    String universalLabel;

    /** Checks that both files or neither are given; returns whether they are. */
    boolean given() {
        if ((baseLabels == null) != (queryFilters == null)) {
            throw new IllegalArgumentException("--base-labels and --query-filters go together");
        }
        return baseLabels != null;
    }

    /** Reads both files for {@code baseRows} base vectors and {@code queries} queries (null when not given). */
    QueryFilters read(int baseRows, int queries) throws IOException {
        return given() ? QueryFilters.read(baseLabels, queryFilters, universalLabel, baseRows, queries) : null;
    }
}
