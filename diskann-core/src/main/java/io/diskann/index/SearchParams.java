package io.diskann.index;

import java.util.function.IntPredicate;

/**
 * How one search runs. The same record drives every index kind; a kind ignores what does not apply to
 * it (an exact in-memory search has nothing to re-rank), so code switches index kinds without changes.
 *
 * @param k neighbours wanted (at least 1)
 * @param listSize L, the search list size: the search expands roughly L nodes, trading time for recall
 *     (at least k; capped at the index size). Typical values are 1.5k to 10k
 * @param beamWidth W, nodes expanded per round (1 = greedy search). An SSD-resident index reads the W
 *     nodes' sectors in parallel; in memory, 1 is fastest
 * @param filter only ids for which it returns true are returned (others are still traversed, so the
 *     search can pass through them); null accepts every id. Called from the searching thread; with
 *     {@code batchSearch} from several threads at once, so it must be thread-safe
 * @param rerank for indexes that traverse on codes (8-bit codes of a {@code Traversal.SQ8} index, PQ
 *     codes): how many of the best candidates are re-scored with full-precision vectors
 *     ({@link #DEFAULT}: L; 0: return the approximate distances). A rerank above L re-scores the best of
 *     every node the walk scored, not only the L left in its list, so a short walk can still re-rank
 *     deeply. Exact traversal ignores it, and so does an index whose 8-bit codes are exact for the query
 *     (whole-number data, see {@code QuantizedVectors.exact()}): its distances are already the
 *     full-precision ones
 * @param touchLines cache lines of each candidate's vector read ahead before scoring a batch, so their
 *     memory misses overlap ({@link #DEFAULT}: 16; 0: none). Changes speed, never results
 * @param filterShare the share of the index's vectors {@code filter} accepts, if the caller knows or has
 *     estimated it (NaN: unknown). Below {@link #TWO_HOP_BELOW} the in-memory graph search switches to
 *     ACORN-style two-hop expansion, so a selective filter keeps its recall; at or above it the search may
 *     start at a sampled node near the query, as an unfiltered one does
 */
public record SearchParams(int k, int listSize, int beamWidth, IntPredicate filter, int rerank, int touchLines,
                           double filterShare) {

    /**
     * Filters accepting less than this share of the vectors are searched with two-hop expansion on the
     * in-memory graph (when {@link #filterShare} says so): 0.08, or {@code -Ddiskann.twoHopBelow} (a
     * developer switch for measuring; 0 turns it off). Fashion-MNIST, unfiltered graph, no scan: two-hop
     * reached 0.99 recall at 1.7-2x the QPS of the plain filtered search at 1-3%, was ahead or level at 3-7%,
     * and behind at 10% (a 10% OR: 0.9808 recall in 165 us widened against 0.9856 in 236 us two-hop; its
     * expansion tests the lists of every rejected neighbour, thousands of nodes per hop): docs/PERFORMANCE.md
     * section 35.
     */
    public static final double TWO_HOP_BELOW = Double.parseDouble(System.getProperty("diskann.twoHopBelow", "0.08"));

    /** "Use the index's default" for {@link #rerank} and {@link #touchLines}. */
    public static final int DEFAULT = -1;

    /** Largest beam width accepted. */
    public static final int MAX_BEAM_WIDTH = 128;

    /**
     * Validates the parameters.
     *
     * @throws IllegalArgumentException if {@code k < 1}, {@code listSize < k}, {@code beamWidth} is outside
     *     1..{@link #MAX_BEAM_WIDTH}, or {@code rerank} or {@code touchLines} is negative and not {@link #DEFAULT}
     */
    public SearchParams {
        if (k < 1) {
            throw new IllegalArgumentException("k must be at least 1, got " + k);
        }
        if (listSize < k) {
            throw new IllegalArgumentException("search list size L (" + listSize + ") must be at least k (" + k + ")");
        }
        if (beamWidth < 1 || beamWidth > MAX_BEAM_WIDTH) {
            throw new IllegalArgumentException("beam width W must be in 1.." + MAX_BEAM_WIDTH + ", got " + beamWidth);
        }
        if (rerank < DEFAULT) {
            throw new IllegalArgumentException("rerank must not be negative (or DEFAULT), got " + rerank);
        }
        if (touchLines < DEFAULT) {
            throw new IllegalArgumentException("touchLines must not be negative (or DEFAULT), got " + touchLines);
        }
        if (!(Double.isNaN(filterShare) || (filterShare >= 0 && filterShare <= 1))) {
            throw new IllegalArgumentException("filterShare must be in [0, 1] or NaN (unknown), got " + filterShare);
        }
    }

    /**
     * The parameters without a filter share (unknown), as before it existed.
     *
     * @param k neighbours wanted
     * @param listSize L
     * @param beamWidth W
     * @param filter the filter, or null
     * @param rerank candidates re-scored, or {@link #DEFAULT}
     * @param touchLines cache lines read ahead, or {@link #DEFAULT}
     */
    public SearchParams(int k, int listSize, int beamWidth, IntPredicate filter, int rerank, int touchLines) {
        this(k, listSize, beamWidth, filter, rerank, touchLines, Double.NaN);
    }

    /**
     * Whether a graph search should use two-hop expansion: a filter accepting a known share below
     * {@link #TWO_HOP_BELOW}.
     *
     * @return true for a selective filter of known share
     */
    public boolean selectiveFilter() {
        return filter != null && filterShare < TWO_HOP_BELOW;
    }

    /**
     * The default search list size for {@code k}: {@code max(64, 2k)}.
     *
     * @param k neighbours wanted
     * @return the list size, capped at {@link Integer#MAX_VALUE}
     */
    public static int defaultListSize(int k) {
        return (int) Math.min(Integer.MAX_VALUE, Math.max(64L, 2L * k));
    }

    /**
     * {@code k} neighbours with search list size {@code listSize}, defaults for the rest.
     *
     * @param k neighbours wanted (at least 1)
     * @param listSize L, the search list size (at least {@code k})
     * @return the parameters: greedy, no filter, default rerank and touch lines
     * @throws IllegalArgumentException if {@code k < 1} or {@code listSize < k}
     */
    public static SearchParams of(int k, int listSize) {
        return new SearchParams(k, listSize, 1, null, DEFAULT, DEFAULT);
    }

    /**
     * {@code k} neighbours with the default search list size ({@link #defaultListSize}).
     *
     * @param k neighbours wanted (at least 1)
     * @return the parameters, defaults for the rest
     * @throws IllegalArgumentException if {@code k < 1}
     */
    public static SearchParams of(int k) {
        return of(k, defaultListSize(k));
    }

    /**
     * Starts a builder for {@code k} neighbours.
     *
     * @param k neighbours wanted (checked by {@link Builder#build()})
     * @return a builder holding the defaults
     */
    public static Builder builder(int k) {
        return new Builder(k);
    }

    /**
     * These parameters with another filter.
     *
     * @param f the filter; null accepts every id
     * @return a copy with {@code f} as its filter
     */
    public SearchParams withFilter(IntPredicate f) {
        return new SearchParams(k, listSize, beamWidth, f, rerank, touchLines, Double.NaN);
    }

    /** Builder; {@link #build()} validates. */
    public static final class Builder {
        private final int k;
        private int listSize = -1;
        private int beamWidth = 1;
        private IntPredicate filter;
        private int rerank = DEFAULT;
        private int touchLines = DEFAULT;
        private double filterShare = Double.NaN;

        private Builder(int k) {
            this.k = k;
        }

        /**
         * L (default {@link SearchParams#defaultListSize}).
         *
         * @param l the search list size (at least k)
         * @return this builder
         */
        public Builder listSize(int l) {
            this.listSize = l;
            return this;
        }

        /**
         * W (default 1).
         *
         * @param w nodes expanded per round, 1..{@link SearchParams#MAX_BEAM_WIDTH}
         * @return this builder
         */
        public Builder beamWidth(int w) {
            this.beamWidth = w;
            return this;
        }

        /**
         * Only ids the filter accepts are returned (default: all).
         *
         * @param f the filter (thread-safe for batch searches); null accepts every id
         * @return this builder
         */
        public Builder filter(IntPredicate f) {
            this.filter = f;
            return this;
        }

        /**
         * Only ids the filter accepts are returned, and about {@code share} of the vectors pass it (an
         * estimate is enough): a share below {@link SearchParams#TWO_HOP_BELOW} makes the in-memory graph
         * search expand two hops through rejected nodes.
         *
         * @param f the filter (thread-safe for batch searches); null accepts every id
         * @param share the share of vectors {@code f} accepts, in [0, 1], or NaN if unknown
         * @return this builder
         */
        public Builder filter(IntPredicate f, double share) {
            this.filter = f;
            this.filterShare = share;
            return this;
        }

        /**
         * Candidates re-scored at full precision (default: the index's).
         *
         * @param r how many of the best candidates to re-score; 0 keeps the approximate distances
         * @return this builder
         */
        public Builder rerank(int r) {
            this.rerank = r;
            return this;
        }

        /**
         * Cache lines touched ahead per candidate (default 16; 0 off).
         *
         * @param lines cache lines of each candidate's vector to read ahead
         * @return this builder
         */
        public Builder touchLines(int lines) {
            this.touchLines = lines;
            return this;
        }

        /**
         * Builds the parameters; an unset list size becomes {@link SearchParams#defaultListSize}.
         *
         * @return the validated parameters
         * @throws IllegalArgumentException if a value is out of range (see {@link SearchParams})
         */
        public SearchParams build() {
            return new SearchParams(k, listSize < 0 ? defaultListSize(k) : listSize, beamWidth, filter, rerank,
                    touchLines, filter == null ? Double.NaN : filterShare);
        }
    }
}
