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

    /** List sizes 100 to 10,000, greedy, no filter. */
    public static RangeParams defaults() {
        return of(100, 10_000);
    }

    /** List sizes {@code initial} to {@code max}, greedy, no filter. */
    public static RangeParams of(int initial, int max) {
        return new RangeParams(initial, max, 1, null);
    }

    /** These parameters with another filter. */
    public RangeParams withFilter(IntPredicate f) {
        return new RangeParams(initialListSize, maxListSize, beamWidth, f);
    }
}
