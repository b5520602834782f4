package io.diskann.filter;

/**
 * The union bitsets of recently repeated OR filters ({@link LabelUnions#shared}), each stamped with the
 * store's write sequence: an entry answers only while no label write has run since it was built. Why: an OR's
 * walk tests its union once per neighbour; building the union per query (one pass over a word per 64 ids per
 * label) was 15% of a 1M x 128 10% OR's time (8 labels, ~60 us; docs/PERFORMANCE.md section 44), and
 * applications repeat their filters. Lucene keeps a filter's bitset in its query cache for the same reason
 * (and the Lucene yardstick in diskann-bench is handed each filter's bitset before timing).
 *
 * <p>Direct-mapped by the filter's hash (mixed: ORs of consecutive labels have hashes a constant apart, and
 * the eight 10% ORs of the 1M benchmark fell into 3 of 16 slots unmixed), {@link #SLOTS} entries holding at
 * most {@link #BUDGET_BYTES} in all (125 KiB an entry at 1M ids). A filter is kept the second time it is asked
 * for in a row for its slot with no label write between, so a stream of distinct filters, or label writes
 * between every two queries (churn), allocates nothing. Entries are shared read-only between searches.
 *
 * <p>Thread-safety: lock-free. Entries are immutable once published (the bitset is filled before the entry is
 * stored; the entry's fields are final, so a reader that sees it sees the bits); a racing writer may replace
 * another's entry, which costs a later miss, never a wrong answer.
 */
final class UnionCache {

    /** Entries (a power of two). */
    static final int SLOTS = 64;
    /** Bytes the entries may hold in all; an entry that would pass it is not kept. */
    static final long BUDGET_BYTES = 32L << 20;
    /** Bitsets above this many words (8 MiB, 67M ids) are never built for the cache. */
    static final int MAX_WORDS = 1 << 20;

    private record Entry(LabelFilter.AnyOf filter, long writes, long[] bits) {
    }

    private final Entry[] entries = new Entry[SLOTS];
    /** Per slot, the hash of the last filter asked for there and not kept (its second request keeps it). */
    private final int[] seen = new int[SLOTS];
    /** Per slot, the write sequence {@link #seen} was asked at. */
    private final long[] seenAt = new long[SLOTS];
    /** Bytes of the bitsets the entries hold (racy updates may drift it a little: a budget, not an invariant). */
    private final java.util.concurrent.atomic.AtomicLong held = new java.util.concurrent.atomic.AtomicLong();

    /** The slot of a hash: murmur3's finalizer, then the low bits. */
    static int slot(int hash, int slots) {
        int h = hash;
        h ^= h >>> 16;
        h *= 0x85EBCA6B;
        h ^= h >>> 13;
        h *= 0xC2B2AE35;
        h ^= h >>> 16;
        return h & (slots - 1);
    }

    private static int slot(int hash) {
        return slot(hash, SLOTS);
    }

    /** The bitset kept for {@code filter} at write sequence {@code writes}, or null. */
    long[] lookup(LabelFilter.AnyOf filter, long writes) {
        Entry e = entries[slot(filter.hashCode())];
        return e != null && e.writes == writes && e.filter.equals(filter) ? e.bits : null;
    }

    /**
     * Whether {@code filter}, not held, should be built and kept now: true on its second request in a row for
     * its slot at write sequence {@code writes}; otherwise it is remembered and false is returned.
     */
    boolean admits(LabelFilter.AnyOf filter, long writes) {
        int hash = filter.hashCode();
        int at = slot(hash);
        if (seen[at] != hash || seenAt[at] != writes) {
            seen[at] = hash;
            seenAt[at] = writes;
            return false;
        }
        return true;
    }

    /** Keeps {@code bits}, the union of {@code filter} at write sequence {@code writes} (no write ran while it was built). */
    void put(LabelFilter.AnyOf filter, long writes, long[] bits) {
        int at = slot(filter.hashCode());
        Entry old = entries[at];
        long delta = 8L * bits.length - (old == null ? 0 : 8L * old.bits.length);
        if (held.get() + delta > BUDGET_BYTES) {
            return;
        }
        held.addAndGet(delta);
        entries[at] = new Entry(filter, writes, bits);
    }

    /** Bytes the entries hold (tests). */
    long bytes() {
        return held.get();
    }
}
