package io.diskann.filter;

import java.lang.invoke.VarHandle;

/**
 * Bitsets of the ids an OR of labels matches, which an OR's walk tests once per node instead of once per label
 * (see {@code FilterSearch.unionOf}): built into a search's own bitset, or shared from {@link UnionCache} when
 * the OR repeats. Split from {@link LabelStore}, whose bitsets, posting lists and write sequence it reads.
 *
 * <p>Thread-safety: lock-free except while marking a sparse label's postings (under the store's lock).
 */
final class LabelUnions {

    private final LabelStore store;
    private final UnionCache cache = new UnionCache();

    LabelUnions(LabelStore store) {
        this.store = store;
    }

    /** Words a bitset over every id written so far needs (ids written later are beyond it). */
    int words() {
        return LabelBits.wordsFor(store.idBound());
    }

    /**
     * Sets in {@code out} (all zero on entry) the bit of every id that carries one of {@code labels} or is
     * universal: the dense labels' bitsets and the universal one ORed word by word, the other labels' posting
     * lists marked. A superset, never a subset, of the matches when it started (a posting may be stale; a label
     * written meanwhile may or may not show): callers confirm results on the labels.
     *
     * @return how many words of {@code out} may hold set bits (to clear) in the low 32 bits, bit 32 set when no
     *     marked posting list had a stale entry (the bits were then the matches, barring a concurrent write); -1
     *     if {@code out} is too short for the ids ({@link #words})
     */
    long into(int[] labels, long[] out) {
        int words = words();
        if (out.length < words) {
            return -1;
        }
        LabelBits bits = store.bits();
        boolean exact = true;
        for (int l : labels) {
            long[] set = bits.words(l);
            if (set != null) {
                LabelBits.orInto(set, out, Math.min(words, set.length));
            } else { // the list holds every carrier even if the label turns dense meanwhile
                exact &= store.markPostings(l, out, words);
            }
        }
        long[] u = bits.universalWords();
        if (u != null) {
            LabelBits.orInto(u, out, Math.min(words, u.length));
        }
        return (exact ? 1L << 32 : 0L) | words;
    }

    /**
     * A union bitset of {@code filter}'s labels shared by every search (read only), as {@link #into} builds it,
     * when one is cached at the current write sequence; an OR asked for the second time at the same sequence
     * in a row for its slot is built and kept now. Only exact unions are kept (the matches at that sequence, no
     * stale posting). Null otherwise (a write under way, the cache off, too many ids, stale postings, writes
     * between the requests): the caller builds its own.
     */
    long[] shared(LabelFilter.AnyOf filter) {
        long before = store.writeSequence();
        if (!CandidateCache.enabled || (before & 1) != 0) {
            return null;
        }
        long[] held = cache.lookup(filter, before);
        if (held != null) {
            return held;
        }
        int words = words();
        if (words > UnionCache.MAX_WORDS || !cache.admits(filter, before)) {
            return null;
        }
        long[] bits = new long[words];
        long built = into(filter.labels(), bits);
        VarHandle.acquireFence(); // the reads above happen before the re-check (as StampedLock.validate)
        if (store.writeSequence() != before || (built >>> 32) == 0) {
            return null; // a write ran meanwhile, or stale postings: not the matches at `before`
        }
        cache.put(filter, before, bits);
        return bits;
    }
}
