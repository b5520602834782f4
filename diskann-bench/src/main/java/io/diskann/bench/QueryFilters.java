package io.diskann.bench;

import io.diskann.filter.LabelDictionary;
import io.diskann.filter.LabelFile;
import io.diskann.filter.LabelFilter;
import io.diskann.filter.LabelSets;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.IntPredicate;

/**
 * The base vectors' labels and one filter per query, as {@code gt} and {@code eval} read them: a DiskANN
 * label file for the base, and a text file with one filter per query line ({@code 7}, {@code 3|9} any
 * of, {@code 3&9} all of; {@code *} or an empty line for none). Each distinct filter's exact selectivity
 * (share of base vectors it matches) is counted once.
 */
final class QueryFilters {

    private final LabelSets labels;
    private final LabelDictionary dictionary;
    private final String[] expressions;
    private final LabelFilter[] filters;
    private final Map<String, Double> selectivity = new HashMap<>();

    private QueryFilters(LabelSets labels, LabelDictionary dictionary, String[] expressions, LabelFilter[] filters) {
        this.labels = labels;
        this.dictionary = dictionary;
        this.expressions = expressions;
        this.filters = filters;
    }

    static QueryFilters read(Path baseLabels, Path queryFilters, String universal, int baseRows, int queries)
            throws IOException {
        LabelFile.Contents c = LabelFile.read(baseLabels, universal);
        if (c.labels().size() != baseRows) {
            throw new IllegalArgumentException(baseLabels + " has labels for " + c.labels().size() + " vectors, the base has "
                    + baseRows + " (one line per base vector)");
        }
        List<String> lines = Files.readAllLines(queryFilters, StandardCharsets.UTF_8);
        if (lines.size() < queries) {
            throw new IllegalArgumentException(queryFilters + " has " + lines.size() + " filters for " + queries
                    + " queries (one line per query)");
        }
        String[] expressions = new String[queries];
        LabelFilter[] filters = new LabelFilter[queries];
        for (int q = 0; q < queries; q++) {
            String e = lines.get(q).strip();
            expressions[q] = e.isEmpty() ? "*" : e;
            if (!e.isEmpty() && !e.equals("*")) {
                try {
                    filters[q] = LabelFilter.parse(e, c.dictionary());
                } catch (IllegalArgumentException ex) {
                    throw new IllegalArgumentException(queryFilters + ", line " + (q + 1) + ": " + ex.getMessage(), ex);
                }
            }
        }
        return new QueryFilters(c.labels(), c.dictionary(), expressions, filters);
    }

    LabelSets labels() {
        return labels;
    }

    LabelDictionary dictionary() {
        return dictionary;
    }

    int queries() {
        return filters.length;
    }

    /** Query q's filter as a predicate over base ids, or null when it has none. */
    IntPredicate predicate(int q) {
        return filters[q] == null ? null : filters[q].asPredicate(labels);
    }

    LabelFilter filter(int q) {
        return filters[q];
    }

    String expression(int q) {
        return expressions[q];
    }

    /** label, or, and, or none. */
    String kind(int q) {
        LabelFilter f = filters[q];
        if (f == null) {
            return "none";
        }
        return switch (f) {
            case LabelFilter.Label l -> "label";
            case LabelFilter.AnyOf a -> "or";
            case LabelFilter.AllOf a -> "and";
            case LabelFilter.Predicate p -> "predicate";
        };
    }

    /** The share of base vectors query q's filter matches (1 without a filter), counted exactly. */
    synchronized double selectivity(int q) {
        LabelFilter f = filters[q];
        if (f == null) {
            return 1.0;
        }
        return selectivity.computeIfAbsent(expressions[q], e -> {
            int n = 0;
            for (int i = 0; i < labels.size(); i++) {
                n += f.matches(labels, i) ? 1 : 0;
            }
            return n / (double) labels.size();
        });
    }

    /** Queries per filter kind and selectivity decade. */
    String summary() {
        Map<String, Integer> counts = new TreeMap<>();
        for (int q = 0; q < filters.length; q++) {
            counts.merge(kind(q) + " " + bucket(selectivity(q)), 1, Integer::sum);
        }
        StringBuilder sb = new StringBuilder("query filters (kind, share of base vectors matched): ");
        counts.forEach((k, v) -> sb.append(String.format(Locale.ROOT, "%s x%d; ", k, v)));
        return sb.substring(0, sb.length() - 2);
    }

    /** Queries 0..nq-1 grouped by "bucket kind" (e.g. "10% and"), in key order. */
    Map<String, java.util.List<Integer>> groups(int nq) {
        Map<String, java.util.List<Integer>> groups = new TreeMap<>();
        for (int q = 0; q < nq; q++) {
            groups.computeIfAbsent(bucket(selectivity(q)) + " " + kind(q), g -> new java.util.ArrayList<>()).add(q);
        }
        return groups;
    }

    /** The selectivity bucket a share falls in: 50%, 10%, 1%, 0.1%... (nearest on a log scale). */
    static String bucket(double share) {
        if (share >= 0.999) {
            return "100%";
        }
        double[] buckets = {0.5, 0.1, 0.01, 0.001, 0.0001};
        String[] names = {"50%", "10%", "1%", "0.1%", "0.01%"};
        int best = 0;
        for (int i = 1; i < buckets.length; i++) {
            if (Math.abs(Math.log(share / buckets[i])) < Math.abs(Math.log(share / buckets[best]))) {
                best = i;
            }
        }
        return share <= 0 ? "0%" : names[best];
    }
}
