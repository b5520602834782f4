package io.diskann.filter;

/**
 * The matching ids of recently repeated label filters, as {@link LabelStore#candidates} listed them, each
 * stamped with the store's write sequence: an entry answers only while no label write has run since it was
 * listed, so it is always the store's current answer. Lucene's query cache keeps a filter's matching
 * documents for the same reason: applications repeat their filters ("category shoes AND in stock", one
 * tenant's ACL), and listing a selective AND's matches was 10-15% of its whole exact scan (Fashion-MNIST's 0.1%
 * ANDs: 0.6 us of 4-5 us; docs/PERFORMANCE.md section 42).
 *
 * <p>Direct-mapped by the filter's hash, {@link #SLOTS} entries of at most {@link #MAX_IDS} ids (256 KiB at
 * most). A filter is kept the second time it is listed in a row for its slot (a filter seen once, as when
 * every query brings its own, allocates nothing). Label filters only: an application predicate has no
 * identity to cache by.
 *
 * <p>Thread-safety: lock-free. Entries are immutable and published by a plain array store (their fields are
 * final, so a reader that sees an entry sees its ids); a racing writer may replace another's entry, which
 * costs a later miss, never a wrong answer.
 */
final class CandidateCache {

    /** Entries (a power of two). */
    static final int SLOTS = 64;
    /** Matches above this are not kept: listing them is a small share of what is then done with them. */
    static final int MAX_IDS = 1024;
    /** {@link #lookup}'s answer when no valid entry holds the filter. */
    static final int MISS = -2;
    /** Whether label filters' matches are cached: a developer switch for A/B runs ({@code -Ddiskann.filterCache=false}). */
    static volatile boolean enabled = !"false".equals(System.getProperty("diskann.filterCache"));

    private record Entry(LabelFilter filter, long writes, int[] ids) {
    }

    private final Entry[] entries = new Entry[SLOTS];
    /** Per slot, the hash of the last filter listed there and not kept (its second listing keeps it). */
    private final int[] seen = new int[SLOTS];

    /** Whether {@code filter} can be cached (a label filter, not an application predicate). */
    static boolean cacheable(LabelFilter filter) {
        return enabled && !(filter instanceof LabelFilter.Predicate);
    }

    private static int slot(int hash) {
        return UnionCache.slot(hash, SLOTS); // mixed: filters of consecutive labels have hashes a constant apart
    }

    /**
     * Copies the ids of {@code filter} listed at write sequence {@code writes} into {@code out}.
     *
     * @return how many, {@link #MISS} if no entry holds them, -1 if {@code out} is too small
     */
    int lookup(LabelFilter filter, long writes, int[] out) {
        Entry e = entries[slot(filter.hashCode())];
        if (e == null || e.writes != writes || !e.filter.equals(filter)) {
            return MISS;
        }
        int[] ids = e.ids;
        if (ids.length > out.length) {
            return -1;
        }
        System.arraycopy(ids, 0, out, 0, ids.length);
        return ids.length;
    }

    /** Whether a valid entry for {@code filter} at write sequence {@code writes} is held (tests). */
    boolean holds(LabelFilter filter, long writes) {
        Entry e = entries[slot(filter.hashCode())];
        return e != null && e.writes == writes && e.filter.equals(filter);
    }

    /**
     * Offers the {@code n} ids of {@code filter} listed at write sequence {@code writes} (no write ran while
     * they were listed); kept on the filter's second offer in a row for its slot.
     */
    void offer(LabelFilter filter, long writes, int[] ids, int n) {
        if (n > MAX_IDS) {
            return;
        }
        int hash = filter.hashCode();
        int at = slot(hash);
        if (seen[at] != hash) {
            seen[at] = hash;
            return;
        }
        entries[at] = new Entry(filter, writes, java.util.Arrays.copyOf(ids, n));
    }
}
