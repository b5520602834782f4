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
 *     ({@link #DEFAULT}: L; 0: return the approximate distances). Exact traversal ignores it
 * @param touchLines cache lines of each candidate's vector read ahead before scoring a batch, so their
 *     memory misses overlap ({@link #DEFAULT}: 16; 0: none). Changes speed, never results
 */
public record SearchParams(int k, int listSize, int beamWidth, IntPredicate filter, int rerank, int touchLines) {

    /** "Use the index's default" for {@link #rerank} and {@link #touchLines}. */
    public static final int DEFAULT = -1;

    /** Largest beam width accepted. */
    public static final int MAX_BEAM_WIDTH = 128;

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
    }

    /** The default search list size for {@code k}: {@code max(64, 2k)}. */
    public static int defaultListSize(int k) {
        return (int) Math.min(Integer.MAX_VALUE, Math.max(64L, 2L * k));
    }

    /** {@code k} neighbours with search list size {@code listSize}, defaults for the rest. */
    public static SearchParams of(int k, int listSize) {
        return new SearchParams(k, listSize, 1, null, DEFAULT, DEFAULT);
    }

    /** {@code k} neighbours with the default search list size ({@link #defaultListSize}). */
    public static SearchParams of(int k) {
        return of(k, defaultListSize(k));
    }

    /** Starts a builder for {@code k} neighbours. */
    public static Builder builder(int k) {
        return new Builder(k);
    }

    /** These parameters with another filter. */
    public SearchParams withFilter(IntPredicate f) {
        return new SearchParams(k, listSize, beamWidth, f, rerank, touchLines);
    }

    /** Builder; {@link #build()} validates. */
    public static final class Builder {
        private final int k;
        private int listSize = -1;
        private int beamWidth = 1;
        private IntPredicate filter;
        private int rerank = DEFAULT;
        private int touchLines = DEFAULT;

        private Builder(int k) {
            this.k = k;
        }

        /** L (default {@link SearchParams#defaultListSize}). */
        public Builder listSize(int l) {
            this.listSize = l;
            return this;
        }

        /** W (default 1). */
        public Builder beamWidth(int w) {
            this.beamWidth = w;
            return this;
        }

        /** Only ids the filter accepts are returned (default: all). */
        public Builder filter(IntPredicate f) {
            this.filter = f;
            return this;
        }

        /** Candidates re-scored at full precision (default: the index's). */
        public Builder rerank(int r) {
            this.rerank = r;
            return this;
        }

        /** Cache lines touched ahead per candidate (default 16; 0 off). */
        public Builder touchLines(int lines) {
            this.touchLines = lines;
            return this;
        }

        public SearchParams build() {
            return new SearchParams(k, listSize < 0 ? defaultListSize(k) : listSize, beamWidth, filter, rerank,
                    touchLines);
        }
    }
}
