package io.diskann.filter;

/**
 * How a filtered search chooses between the graph and an exact scan of the matching vectors, and how far
 * it may widen the graph search for a selective filter.
 *
 * @param scanFraction answer exactly when the filter matches at most this share of the vectors
 * @param scanMinimum answer exactly when it matches at most this many vectors, whatever the share
 * @param maxListSize the widest search list a graph search may use (the list grows as L / selectivity)
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
     * Provisional defaults, to be replaced by measured ones: scan at or below 2% of the vectors or 2,000
     * of them; lists up to 2,000.
     *
     * @return the defaults
     */
    public static FilterParams defaults() {
        return builder().build();
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
