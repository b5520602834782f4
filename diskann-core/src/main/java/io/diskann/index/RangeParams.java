package io.diskann.index;

import java.util.function.IntPredicate;

/**
 * How a range search runs, DiskANN's way: search with list size {@code initialListSize}; while at least
 * half the list lies inside the radius, double it (up to {@code maxListSize}) and search again.
 *
 * @param initialListSize first search list size (at least 1)
 * @param maxListSize largest list size (at least the initial one); bounds the work and the results
 * @param beamWidth nodes expanded per round (see {@link SearchParams#beamWidth})
 * @param filter only ids it accepts are returned; null accepts all (see {@link SearchParams#filter})
 */
public record RangeParams(int initialListSize, int maxListSize, int beamWidth, IntPredicate filter) {

    /**
     * Validates the parameters.
     *
     * @throws IllegalArgumentException if {@code initialListSize < 1}, {@code maxListSize < initialListSize},
     *     or {@code beamWidth} is outside 1..{@link SearchParams#MAX_BEAM_WIDTH}
     */
    public RangeParams {
        if (initialListSize < 1 || maxListSize < initialListSize) {
            throw new IllegalArgumentException("need 1 <= initialListSize (" + initialListSize
                    + ") <= maxListSize (" + maxListSize + ")");
        }
        if (beamWidth < 1 || beamWidth > SearchParams.MAX_BEAM_WIDTH) {
            throw new IllegalArgumentException("beam width W must be in 1.." + SearchParams.MAX_BEAM_WIDTH
                    + ", got " + beamWidth);
        }
    }

    /**
     * List sizes 100 to 10,000, greedy, no filter.
     *
     * @return the default range parameters
     */
    public static RangeParams defaults() {
        return of(100, 10_000);
    }

    /**
     * List sizes {@code initial} to {@code max}, greedy, no filter.
     *
     * @param initial first search list size (at least 1)
     * @param max largest search list size (at least {@code initial})
     * @return the parameters
     * @throws IllegalArgumentException if the sizes are out of range
     */
    public static RangeParams of(int initial, int max) {
        return new RangeParams(initial, max, 1, null);
    }

    /**
     * These parameters with another filter.
     *
     * @param f the filter; null accepts every id
     * @return a copy with {@code f} as its filter
     */
    public RangeParams withFilter(IntPredicate f) {
        return new RangeParams(initialListSize, maxListSize, beamWidth, f);
    }
}
