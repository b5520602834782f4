package io.diskann.filter;

import java.lang.invoke.VarHandle;
import java.util.Arrays;

/**
 * The ids a label filter matches, for the exact scan and the walks that mark them: from the dense labels' bitsets
 * when every label of an AND or OR has one, else from the posting lists (an AND's rarest label, an OR's labels, the
 * universal ids), each id re-checked unless the lists hold no stale entry; a filter listed again with no label
 * write since comes from {@link CandidateCache}.
 *
 * <p>Split from {@link LabelStore}, whose lock and write sequence it shares: posting lists are read under the
 * store's lock; bitsets are read as a seqlock read (the store's write sequence before and after) and re-read under
 * the lock if a write ran meanwhile. Thread-safe as the store is.
 */
final class LabelCandidates {

    private final LabelStore store;
    private final LabelPostings postings;
    private final LabelBits bits;
    /** Recently repeated filters' matching ids, valid while the store's write sequence stays as it was. */
    private final CandidateCache cache = new CandidateCache();

    LabelCandidates(LabelStore store, LabelPostings postings, LabelBits bits) {
        this.store = store;
        this.postings = postings;
        this.bits = bits;
    }

    /**
     * Writes to {@code out} the ids that match {@code filter} now, ascending and without duplicates. An AND
     * or OR whose labels are all dense comes from their bitsets ({@link #denseCombine}); otherwise from the
     * posting lists of its labels (for AND, of its rarest label) and of the universal label, each id
     * re-checked (dense labels on their bits first). A filter listed again with no label write since comes
     * from {@link CandidateCache}.
     *
     * @return the new end of {@code out}'s ids, or -1 if {@code out} was too small
     */
    int candidates(LabelFilter filter, int[] out) {
        if (!CandidateCache.cacheable(filter)) {
            return listCandidates(filter, out);
        }
        long before = store.writeSequence();
        if ((before & 1) == 0) {
            int cached = cache.lookup(filter, before, out);
            if (cached != CandidateCache.MISS) {
                return cached;
            }
        }
        int n = listCandidates(filter, out);
        if (n >= 0 && store.unchangedSince(before)) {
            cache.offer(filter, before, out, n); // listed with no write under way or since: the answer at `before`
        }
        return n;
    }

    /** Whether {@link #candidates} would answer {@code filter} from its cache now (tests). */
    boolean cached(LabelFilter filter) {
        return cache.holds(filter, store.writeSequence());
    }

    /** {@link #candidates} without the cache. */
    private int listCandidates(LabelFilter filter, int[] out) {
        if (filter instanceof LabelFilter.AllOf all) {
            int found = denseCombine(all.labels(), true, out);
            if (found != NOT_ALL_DENSE) {
                return found;
            }
        } else if (filter instanceof LabelFilter.AnyOf any) {
            int found = denseCombine(any.labels(), false, out);
            if (found != NOT_ALL_DENSE) {
                return found;
            }
        }
        long gathered = gather(filter, out);
        int n = (int) gathered;
        if (n < 0) {
            return -1;
        }
        boolean exact = (gathered >>> 32) != 0;
        // sorted, de-duplicated and (unless every list was free of stale entries) re-checked outside the
        // lock: scans of different queries run in parallel
        Arrays.sort(out, 0, n);
        int w = 0;
        for (int i = 0; i < n; i++) {
            if ((w == 0 || out[i] != out[w - 1]) && (exact || filter.matches(store, out[i]))) {
                out[w++] = out[i];
            }
        }
        return w;
    }

    /**
     * The posting lists of an OR's labels and the universal points, copied into {@code out} unsorted and with
     * duplicates: what a walk marks in a bitset, which needs no order (sorting ~6,000 ids cost more than the
     * walk's label tests they replace; docs/PERFORMANCE.md section 35).
     *
     * @return the count in the low 32 bits, bit 32 set when every entry still carries its label (no re-check
     *     needed); -1 if {@code out} is too small
     */
    long unsortedPostings(LabelFilter.AnyOf filter, int[] out) {
        return gather(filter, out);
    }

    private static final int NOT_ALL_DENSE = -2;

    /**
     * The ids that carry all ({@code and}) or any of {@code labels}, or the universal label, when every label
     * is dense: the word-wise AND (or OR) of their bitsets, OR the universal bits. Ascending, without
     * duplicates. Read without the lock as a seqlock read: the write sequence is read before the bitsets
     * are fetched and checked after the pass; if a write ran meanwhile (it may have shown an id with part of
     * its new labels, or grown a bitset into a new array), the pass is repeated under the lock.
     *
     * @return the count, -1 if {@code out} is too small, or {@link #NOT_ALL_DENSE}
     */
    private int denseCombine(int[] labels, boolean and, int[] out) {
        long before = store.writeSequence();
        if ((before & 1) == 0) {
            long[][] sets = bitsets(labels);
            if (sets == null) {
                return NOT_ALL_DENSE;
            }
            int found = LabelBits.combine(sets, bits.universalWords(), and, out);
            VarHandle.acquireFence(); // the reads above happen before the re-check (as StampedLock.validate)
            if (store.writeSequence() == before) {
                return found;
            }
        }
        synchronized (store) { // writers hold the store's lock
            long[][] sets = bitsets(labels);
            return sets == null ? NOT_ALL_DENSE : LabelBits.combine(sets, bits.universalWords(), and, out);
        }
    }

    /** The bitsets of {@code labels}, or null if one of them is not dense. */
    private long[][] bitsets(int[] labels) {
        long[][] sets = new long[labels.length][];
        for (int i = 0; i < labels.length; i++) {
            sets[i] = bits.words(labels[i]);
            if (sets[i] == null) {
                return null;
            }
        }
        return sets;
    }

    /** Copies the relevant posting lists into {@code out}; returns the count, or -1 if it does not fit. */
    private long gather(LabelFilter filter, int[] out) {
        synchronized (store) { // posting lists change under the store's lock
            return gatherLocked(filter, out);
        }
    }

    private long gatherLocked(LabelFilter filter, int[] out) {
        int[] labels = switch (filter) {
            case LabelFilter.Label l -> new int[] {l.label()};
            case LabelFilter.AnyOf a -> a.labels();
            case LabelFilter.AllOf a -> new int[] {a.rarest(store)};
            case LabelFilter.Predicate p -> throw new IllegalArgumentException("a predicate has no posting lists");
        };
        if (filter instanceof LabelFilter.AllOf all && all.labels().length > 1) {
            long found = gatherAnd(all, labels[0], out);
            if (found != NOT_ALL_DENSE) {
                return found;
            }
        }
        // the lists hold exactly the matches when none has stale entries (an AND still checks its other labels)
        long copied = postings.copy(labels, out);
        boolean and = filter instanceof LabelFilter.AllOf a && a.labels().length > 1;
        return copied < 0 || !and ? copied : copied & 0xFFFF_FFFFL; // an AND's ids still need their other labels
    }

    /**
     * An AND's matches when its rarest label's posting list has no stale entry and its other labels are all dense:
     * the rarest's carriers tested on the others' bitsets, read plainly under the lock (writers hold it), so the
     * result needs no re-check. Fashion-MNIST, 0.1% ANDs (a sparse label of ~870 carriers on average and a dense one):
     * the per-id {@link #matchesAll} re-check was half of the exact scan's time (docs/PERFORMANCE.md, section 26).
     *
     * @return as {@link #gather}, or {@link #NOT_ALL_DENSE} when this does not apply
     */
    private long gatherAnd(LabelFilter.AllOf all, int rarest, int[] out) {
        if (postings.list(rarest) == null || !postings.fresh(rarest)) {
            return NOT_ALL_DENSE;
        }
        int[] others = all.labels();
        long[][] sets = new long[others.length - 1][];
        int k = 0;
        for (int l : others) {
            if (l == rarest) {
                continue;
            }
            long[] words = bits.words(l);
            if (words == null || k == sets.length) {
                return NOT_ALL_DENSE;
            }
            sets[k++] = words;
        }
        int[] list = postings.list(rarest);
        int size = postings.size(rarest);
        int n = 0;
        if (sets.length == 1 && out.length >= size) {
            // one other label (the common AND of two) and room for every carrier: no branch per carrier, whose
            // outcome (~1 in 15 kept at a 0.1% AND) the CPU cannot predict
            long[] set = sets[0];
            int words = set.length;
            for (int i = 0; i < size; i++) {
                int id = list[i];
                int word = id >>> 6;
                long bitsOfWord = word < words ? set[word] : 0L;
                out[n] = id;
                n += (int) ((bitsOfWord >>> id) & 1L);
            }
            n = postings.appendUniversal(out, n);
            return n < 0 ? -1 : (1L << 32) | n;
        }
        for (int i = 0; i < size; i++) {
            int id = list[i];
            int word = id >>> 6;
            boolean all1 = true;
            for (long[] set : sets) {
                if (word >= set.length || (set[word] & (1L << id)) == 0) {
                    all1 = false;
                    break;
                }
            }
            if (all1) {
                if (n == out.length) {
                    return -1;
                }
                out[n++] = id;
            }
        }
        n = postings.appendUniversal(out, n);
        return n < 0 ? -1 : (1L << 32) | n;
    }
}
