package io.diskann.filter;

import java.util.Arrays;
import java.util.function.IntPredicate;

/**
 * What a filtered query asks for: points with one label, with any of several labels (OR), with all of
 * several labels (AND), or any predicate over ids that the application supplies (an ACL check, a
 * bitset). Microsoft DiskANN answers one label per query; its users ask for AND and OR (its issues #356
 * and #422), so all four are first-class here.
 *
 * <p>A point that carries the {@linkplain LabelSets#universalLabel() universal label} matches every label
 * filter. Records: immutable and thread-safe (a predicate must be thread-safe itself to be shared).
 */
public sealed interface LabelFilter {

    /**
     * Whether point {@code id} passes.
     *
     * @param labels the points' labels
     * @param id the point
     * @return true if the filter accepts it
     */
    boolean matches(LabelView labels, int id);

    /**
     * How many points pass at most, from label counts alone (no scan): what a search uses to choose
     * between the graph and a scan of the matching points.
     *
     * @param labels the points' labels
     * @return an upper bound on the matches, or -1 when unknown (a predicate without a cardinality)
     */
    int maxMatches(LabelView labels);

    /**
     * This filter as a predicate over ids.
     *
     * @param labels the points' labels
     * @return a thread-safe predicate
     */
    default IntPredicate asPredicate(LabelView labels) {
        return id -> matches(labels, id);
    }

    /**
     * Points with {@code label}.
     *
     * @param label the label
     * @return the filter
     */
    static LabelFilter label(int label) {
        return new Label(label);
    }

    /**
     * Points with at least one of {@code labels}.
     *
     * @param labels one or more labels
     * @return the filter
     */
    static LabelFilter anyOf(int... labels) {
        return new AnyOf(labels);
    }

    /**
     * Points with every one of {@code labels}.
     *
     * @param labels one or more labels
     * @return the filter
     */
    static LabelFilter allOf(int... labels) {
        return new AllOf(labels);
    }

    /**
     * Points the application accepts.
     *
     * @param test the predicate over ids (thread-safe when queries run in parallel)
     * @param cardinality how many ids it accepts, or -1 if unknown
     * @return the filter
     */
    static LabelFilter predicate(IntPredicate test, int cardinality) {
        return new Predicate(test, cardinality);
    }

    /**
     * Parses {@code a}, {@code a|b|c} (any of) or {@code a&b} (all of), labels named as the dictionary
     * names them. A label no point carries is allowed (it matches nothing, or only universal points).
     *
     * @param expression the filter text
     * @param dictionary the labels' names
     * @return the filter
     * @throws IllegalArgumentException if the text is empty, mixes | and &amp;, or names an invalid label
     */
    static LabelFilter parse(String expression, LabelDictionary dictionary) {
        if (expression == null || expression.isBlank()) {
            throw new IllegalArgumentException("empty filter: expected a label, a|b (any of) or a&b (all of)");
        }
        String e = expression.strip();
        boolean or = e.indexOf('|') >= 0;
        boolean and = e.indexOf('&') >= 0;
        if (or && and) {
            throw new IllegalArgumentException("filter '" + e + "' mixes | and &: write one kind per filter");
        }
        String[] parts = e.split(or ? "\\|" : "&", -1);
        int[] ids = new int[parts.length];
        for (int i = 0; i < parts.length; i++) {
            String name = parts[i].strip();
            if (name.isEmpty()) {
                throw new IllegalArgumentException("filter '" + e + "' has an empty label");
            }
            int id = dictionary.find(name);
            ids[i] = id >= 0 ? id : Integer.MAX_VALUE; // unknown name: a label no point has
        }
        if (ids.length == 1) {
            return new Label(ids[0]);
        }
        return or ? new AnyOf(ids) : new AllOf(ids);
    }

    /**
     * Points with one label.
     *
     * @param label the label
     */
    record Label(int label) implements LabelFilter {
        /**
         * Checks the label.
         *
         * @param label a label (>= 0)
         */
        public Label {
            if (label < 0) {
                throw new IllegalArgumentException("labels are non-negative, got " + label);
            }
        }

        @Override
        public boolean matches(LabelView labels, int id) {
            return labels.matches(id, label);
        }

        @Override
        public int maxMatches(LabelView labels) {
            return labels.matchCount(label);
        }
    }

    /**
     * Points with any of the labels (OR).
     *
     * @param labels the labels
     */
    record AnyOf(int[] labels) implements LabelFilter {
        /**
         * Checks and copies the labels.
         *
         * @param labels at least one label, none negative
         */
        public AnyOf {
            labels = checked(labels);
        }

        @Override
        public boolean matches(LabelView sets, int id) {
            return sets.matchesAny(labels, id);
        }

        @Override
        public int maxMatches(LabelView sets) {
            long universal = sets.universalCount();
            long sum = universal; // each matchCount includes the universal points: counted once here
            for (int l : labels) {
                sum += l == sets.universalLabel() ? 0 : sets.matchCount(l) - universal;
            }
            return (int) Math.min(sum, sets.size());
        }

        /**
         * The labels.
         *
         * @return a copy
         */
        @Override
        public int[] labels() {
            return labels.clone();
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof AnyOf a && Arrays.equals(labels, a.labels);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(labels);
        }

        @Override
        public String toString() {
            return "AnyOf" + Arrays.toString(labels);
        }
    }

    /**
     * Points with all of the labels (AND).
     *
     * @param labels the labels
     */
    record AllOf(int[] labels) implements LabelFilter {
        /**
         * Checks and copies the labels.
         *
         * @param labels at least one label, none negative
         */
        public AllOf {
            labels = checked(labels);
        }

        @Override
        public boolean matches(LabelView sets, int id) {
            return sets.matchesAll(labels, id);
        }

        @Override
        public int maxMatches(LabelView sets) {
            int min = sets.size();
            for (int l : labels) {
                min = Math.min(min, sets.matchCount(l));
            }
            return min;
        }

        /**
         * The expected matches if the labels were independent: n times the product of their shares. A
         * guess, not a bound (correlated labels match more); it sizes the search list of an AND search.
         *
         * @param sets the points' labels
         * @return the estimate, at least 1
         */
        public double independentEstimate(LabelView sets) {
            double n = Math.max(1, sets.size());
            double e = n;
            for (int l : labels) {
                e *= sets.matchCount(l) / n;
            }
            return Math.max(1, e);
        }

        /**
         * The label fewest points carry: where an AND search starts.
         *
         * @param sets the points' labels
         * @return the rarest of the labels
         */
        public int rarest(LabelView sets) {
            int best = labels[0];
            for (int l : labels) {
                if (sets.matchCount(l) < sets.matchCount(best)) {
                    best = l;
                }
            }
            return best;
        }

        /**
         * The labels.
         *
         * @return a copy
         */
        @Override
        public int[] labels() {
            return labels.clone();
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof AllOf a && Arrays.equals(labels, a.labels);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(labels);
        }

        @Override
        public String toString() {
            return "AllOf" + Arrays.toString(labels);
        }
    }

    /**
     * Ids an application predicate accepts.
     *
     * @param test the predicate over ids
     * @param cardinality how many ids it accepts, or -1 if unknown
     */
    record Predicate(IntPredicate test, int cardinality) implements LabelFilter {
        /**
         * Checks the arguments.
         *
         * @param test the predicate
         * @param cardinality how many ids it accepts, or -1
         */
        public Predicate {
            if (test == null) {
                throw new IllegalArgumentException("the predicate is null");
            }
            if (cardinality < -1) {
                throw new IllegalArgumentException("cardinality must be >= 0, or -1 when unknown; got " + cardinality);
            }
        }

        @Override
        public boolean matches(LabelView labels, int id) {
            return test.test(id);
        }

        @Override
        public int maxMatches(LabelView labels) {
            return cardinality;
        }
    }

    private static int[] checked(int[] labels) {
        if (labels == null || labels.length == 0) {
            throw new IllegalArgumentException("a filter needs at least one label");
        }
        for (int l : labels) {
            if (l < 0) {
                throw new IllegalArgumentException("labels are non-negative, got " + l);
            }
        }
        return labels.clone();
    }
}
