package io.diskann.filter;

/**
 * How a filtered search chooses between the graph and an exact scan of the matching vectors, and how far
 * it may widen the graph search for a selective filter.
 *
 * @param scanFraction answer exactly when the filter matches at most this share of the vectors
 * @param scanMinimum answer exactly when it matches at most this many vectors, whatever the share; on a
 *     label-aware graph per list of L its walk keeps (a selective OR of m labels walks m lists, so it is
 *     scanned up to m times this)
 * @param maxListSize the widest search list a graph search may use (the list grows as L / sqrt(selectivity))
 */
public record FilterParams(double scanFraction, int scanMinimum, int maxListSize) {

    /**
     * Validates.
     *
     * @param scanFraction in [0, 1]
     * @param scanMinimum at least 0
     * @param maxListSize at least 1
     */
    public FilterParams {
        if (!(scanFraction >= 0 && scanFraction <= 1)) {
            throw new IllegalArgumentException("scanFraction must be in [0, 1], got " + scanFraction);
        }
        if (scanMinimum < 0) {
            throw new IllegalArgumentException("scanMinimum must be >= 0, got " + scanMinimum);
        }
        if (maxListSize < 1) {
            throw new IllegalArgumentException("maxListSize must be >= 1, got " + maxListSize);
        }
    }

    /**
     * Defaults for an unfiltered graph ({@link FilterBuild#NONE}): scan at or below 2% of the vectors or
     * 2,000 of them (a graph search through a filter loses recall as the filter narrows: 0.84 at ~1% on a
     * 3,000-vector test even with L = 1,500); lists up to 2,000. A share, not a count, because on an
     * unfiltered graph the walk's cost at a fixed share grows with n while the scan's does not shrink: on
     * 1M x 128 the scan was the only path to recall 0.95 up to 1% (10,000 matches, 220-350 QPS) and the
     * two-hop walk won from about 4%; on Fashion-MNIST (60k) the scan won through 1% and the walk at 10%
     * (docs/PERFORMANCE.md, section 14).
     *
     * @return the defaults
     */
    public static FilterParams defaults() {
        return builder().build();
    }

    /**
     * Defaults for a Filtered-Vamana graph ({@link FilterBuild#FILTERED}), measured on Fashion-MNIST
     * (60k x 784, 200 Zipf labels, docs/PERFORMANCE.md): the graph walk over a label's vectors beat the
     * scan of ~600 matches (1%) by 2.9x at recall 0.984, and lost to the scan of ~90 matches (0.15%),
     * where it also stopped at recall 0.82. So: scan at or below 500 matches, whatever the share.
     *
     * @return the defaults for a filtered graph
     */
    public static FilterParams filteredGraphDefaults() {
        return builder().scanFraction(0).scanMinimum(500).build();
    }

    /**
     * {@link #filteredGraphDefaults()} for vectors of {@code dimensions} components: a scan costs matches
     * x dimensions while a graph walk costs little more at fewer dimensions, so the scan takes the same
     * budget of 500 x 784 components (at least 100 matches, at most 20,000). On 1M x 128 a label held by
     * 0.1% of the vectors (1,000) was walked on the stitched graph at 1,277 QPS and recall 0.95; 1,000
     * vectors of 128 components cost a scan about what 160 of Fashion-MNIST's do.
     *
     * @param dimensions components per vector
     * @return the defaults for a label-aware graph of that dimension
     */
    public static FilterParams filteredGraphDefaults(int dimensions) {
        if (dimensions < 1) {
            throw new IllegalArgumentException("dimensions must be >= 1, got " + dimensions);
        }
        int scan = (int) Math.max(100, Math.min(20_000, Math.round(500.0 * 784 / dimensions)));
        return builder().scanFraction(0).scanMinimum(scan).build();
    }

    /**
     * A builder starting from the defaults.
     *
     * @return the builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /** Builder; {@link #build()} validates. */
    public static final class Builder {
        private double scanFraction = 0.02;
        private int scanMinimum = 2_000;
        private int maxListSize = 2_000;

        private Builder() {
        }

        /**
         * Share of the vectors at or below which a filter is answered by an exact scan.
         *
         * @param f in [0, 1]; 0 with a scan minimum of 0 never scans, 1 always scans
         * @return this builder
         */
        public Builder scanFraction(double f) {
            this.scanFraction = f;
            return this;
        }

        /**
         * Number of matches at or below which a filter is answered by an exact scan.
         *
         * @param n at least 0
         * @return this builder
         */
        public Builder scanMinimum(int n) {
            this.scanMinimum = n;
            return this;
        }

        /**
         * The widest search list a filtered graph search may use.
         *
         * @param l at least 1
         * @return this builder
         */
        public Builder maxListSize(int l) {
            this.maxListSize = l;
            return this;
        }

        /**
         * The parameters.
         *
         * @return validated parameters
         */
        public FilterParams build() {
            return new FilterParams(scanFraction, scanMinimum, maxListSize);
        }
    }
}
