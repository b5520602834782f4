package io.diskann.filter;

import java.util.Arrays;

/**
 * The labels of n points (point i: the vector with id i), immutable: each point's labels sorted and
 * de-duplicated in one flat array with offsets (4 bytes per point plus 4 per label), how many points
 * carry each label, and which points carry the universal label, which matches every filter (Microsoft
 * DiskANN's {@code universal_label}).
 *
 * <p>Why immutable and flat: a filter test is on the hot path of every filtered search (one per scored
 * node), so it must be a binary search in a small sorted run, with no boxing and no locks. Thread-safe.
 */
public final class LabelSets implements LabelView {

    /**
     * The largest label (2^24 - 1): counts and posting lists are arrays indexed by label, so a label of
     * two billion would cost gigabytes. Label files with larger numbers are read as names and numbered
     * densely ({@link LabelFile}).
     */
    public static final int MAX_LABEL = (1 << 24) - 1;

    private final int[] offsets;
    private final int[] labels;
    private final int universal;
    /** Per label, the points that carry it and are not universal. */
    private final int[] counts;
    private final int universalPoints;

    private LabelSets(int[] offsets, int[] labels, int universal) {
        this.offsets = offsets;
        this.labels = labels;
        this.universal = universal;
        int max = -1;
        for (int l : labels) {
            max = Math.max(max, l);
        }
        int[] c = new int[max + 1];
        int u = 0;
        for (int p = 0; p + 1 < offsets.length; p++) {
            boolean isUniversal = false;
            for (int j = offsets[p]; j < offsets[p + 1] && !isUniversal; j++) {
                isUniversal = labels[j] == universal;
            }
            if (isUniversal) {
                u++; // counted once, as a match of every label
                continue;
            }
            for (int j = offsets[p]; j < offsets[p + 1]; j++) {
                c[labels[j]]++;
            }
        }
        this.counts = c;
        this.universalPoints = u;
    }

    /**
     * Label sets from one array per point.
     *
     * @param perPoint point i's labels (any order, duplicates ignored; null or empty: none)
     * @param universal the label that matches every filter, or -1 for none
     * @return the sets
     * @throws IllegalArgumentException if a label is negative
     */
    public static LabelSets of(int[][] perPoint, int universal) {
        if (perPoint == null) {
            throw new IllegalArgumentException("perPoint is null");
        }
        Builder b = builder(universal);
        for (int[] p : perPoint) {
            b.add(p == null ? new int[0] : p);
        }
        return b.build();
    }

    /**
     * A builder that takes points in order (as a label file is read).
     *
     * @param universal the label that matches every filter, or -1 for none
     * @return the builder
     */
    public static Builder builder(int universal) {
        if (universal < -1 || universal > MAX_LABEL) {
            throw new IllegalArgumentException("the universal label must be a label (0.." + MAX_LABEL + ") or -1, got "
                    + universal);
        }
        return new Builder(universal);
    }

    /**
     * How many points.
     *
     * @return n
     */
    @Override
    public int size() {
        return offsets.length - 1;
    }

    /**
     * The universal label.
     *
     * @return the label that matches every filter, or -1
     */
    @Override
    public int universalLabel() {
        return universal;
    }

    /**
     * Point {@code p}'s labels, sorted.
     *
     * @param p the point
     * @return a copy of its labels
     */
    public int[] labelsOf(int p) {
        checkPoint(p);
        return Arrays.copyOfRange(labels, offsets[p], offsets[p + 1]);
    }

    /** Where point {@code p}'s labels start in {@link #packedLabels()} (they end where point p + 1's start). */
    int[] offsets() {
        return offsets;
    }

    /** Every point's sorted labels, one after another (not copied: read only). */
    int[] packedLabels() {
        return labels;
    }

    /** How many labels point {@code p} has (without copying them). */
    int labelCount(int p) {
        checkPoint(p);
        return offsets[p + 1] - offsets[p];
    }

    /**
     * Whether point {@code p} carries {@code label} (or the universal label).
     *
     * @param p the point
     * @param label the label
     * @return true if a filter on {@code label} matches the point
     */
    @Override
    public boolean matches(int p, int label) {
        int from = offsets[p];
        int to = offsets[p + 1];
        if (from == to) {
            return false;
        }
        return Arrays.binarySearch(labels, from, to, label) >= 0
                || (universal >= 0 && Arrays.binarySearch(labels, from, to, universal) >= 0);
    }

    /**
     * Whether point {@code p} carries the universal label.
     *
     * @param p the point
     * @return true if every filter matches it
     */
    @Override
    public boolean isUniversal(int p) {
        return universal >= 0 && offsets[p] < offsets[p + 1]
                && Arrays.binarySearch(labels, offsets[p], offsets[p + 1], universal) >= 0;
    }

    /**
     * How many points carry the universal label.
     *
     * @return the count (0 without a universal label)
     */
    @Override
    public int universalCount() {
        return universalPoints;
    }

    /**
     * How many points a filter on {@code label} matches: its carriers plus the universal points.
     *
     * @param label the label
     * @return the count
     */
    @Override
    public int matchCount(int label) {
        if (label == universal) {
            return universalPoints;
        }
        int own = label >= 0 && label < counts.length ? counts[label] : 0;
        return own + universalPoints;
    }

    /**
     * One more than the largest label any point carries.
     *
     * @return the label limit (0 when no point has a label)
     */
    public int labelLimit() {
        return counts.length;
    }

    /**
     * The points a filter on {@code label} matches, ascending.
     *
     * @param label the label
     * @return their ids
     */
    public int[] pointsMatching(int label) {
        int[] out = new int[matchCount(label)];
        int n = 0;
        for (int p = 0; p < size(); p++) {
            if (matches(p, label)) {
                out[n++] = p;
            }
        }
        return n == out.length ? out : Arrays.copyOf(out, n);
    }

    private void checkPoint(int p) {
        if (p < 0 || p >= size()) {
            throw new IllegalArgumentException("point " + p + " is outside 0.." + (size() - 1));
        }
    }

    /** Takes points in order; not thread-safe. */
    public static final class Builder {
        private final int universal;
        private int[] offsets = new int[1025];
        private int[] labels = new int[1024];
        private int points;

        private Builder(int universal) {
            this.universal = universal;
        }

        /**
         * Adds the next point's labels.
         *
         * @param pointLabels its labels (any order, duplicates ignored)
         * @return this builder
         * @throws IllegalArgumentException if a label is negative
         */
        public Builder add(int... pointLabels) {
            int[] sorted = pointLabels.clone();
            Arrays.sort(sorted);
            int from = offsets[points];
            int n = 0;
            for (int i = 0; i < sorted.length; i++) {
                if (sorted[i] < 0 || sorted[i] > MAX_LABEL) {
                    throw new IllegalArgumentException("point " + points + ": labels are 0.." + MAX_LABEL + ", got "
                            + sorted[i]);
                }
                if (i > 0 && sorted[i] == sorted[i - 1]) {
                    continue;
                }
                if (from + n == labels.length) {
                    labels = Arrays.copyOf(labels, labels.length * 2);
                }
                labels[from + n++] = sorted[i];
            }
            if (points + 2 > offsets.length) {
                offsets = Arrays.copyOf(offsets, offsets.length * 2);
            }
            offsets[++points] = from + n;
            return this;
        }

        /**
         * The label sets of the points added.
         *
         * @return the sets
         */
        public LabelSets build() {
            return new LabelSets(Arrays.copyOf(offsets, points + 1), Arrays.copyOf(labels, offsets[points]), universal);
        }
    }
}
