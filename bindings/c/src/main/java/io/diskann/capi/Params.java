package io.diskann.capi;

import io.diskann.index.RangeParams;
import io.diskann.index.SearchParams;
import java.util.function.IntPredicate;

/** Search and range parameters from the C call's values (0 = default). */
final class Params {
    /** A range search's list grows up to this many candidates, or to L when L is larger. */
    private static final int RANGE_MAX_LIST = 10_000;
    private static final int RANGE_INITIAL_LIST = 100;

    private Params() {
    }

    static SearchParams search(int k, int listSize, int beamWidth, IntPredicate filter, double share) {
        if (k < 1) {
            throw new IllegalArgumentException("k must be at least 1, got " + k);
        }
        if (listSize < 0 || beamWidth < 0) {
            throw new IllegalArgumentException("list_size and beam_width must fit in a signed 32-bit int");
        }
        SearchParams.Builder b = SearchParams.builder(k);
        if (listSize > 0) {
            b.listSize(listSize);
        }
        if (beamWidth > 0) {
            b.beamWidth(beamWidth);
        }
        if (filter != null) {
            b.filter(filter, share);
        }
        return b.build();
    }

    static RangeParams range(int listSize, int beamWidth, IntPredicate filter) {
        if (listSize < 0 || beamWidth < 0) {
            throw new IllegalArgumentException("list_size and beam_width must fit in a signed 32-bit int");
        }
        int initial = listSize > 0 ? listSize : RANGE_INITIAL_LIST;
        return new RangeParams(initial, Math.max(initial, RANGE_MAX_LIST), beamWidth > 0 ? beamWidth : 1, filter);
    }
}
