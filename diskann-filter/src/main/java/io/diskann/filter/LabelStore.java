package io.diskann.filter;

import java.lang.invoke.VarHandle;
import java.util.Arrays;

/**
 * The live labels of an index's vectors, by id: each id's sorted labels, how many ids match each label,
 * and per label the ids that carried it (a posting list, appended to; entries whose id lost the label
 * stay until {@link #compact} and are dropped by re-checking). The posting lists are what an exact scan
 * of a selective filter walks instead of every id ({@link LabelPostings}).
 *
 * <p>Thread-safety: writers ({@link #set}, {@link #clear}) take the store's lock; {@link #matches} reads
 * a volatile snapshot of the per-id array without locking (an id's labels are replaced as one array, so a
 * reader sees the old set or the new one). Counts are exact after each write. Dense labels also keep a
 * bitset ({@link LabelBits}): one label's bit shows the old or the new membership; a check of several
 * labels that their bits pass is confirmed on the id's array; a negative bit answer stands only if no write
 * ran meanwhile (a write sequence count, as a seqlock), and a bitset AND/OR over all ids is validated the
 * same way and repeated under the lock otherwise. So every filter sees each id's old or new labels.
 */
final class LabelStore implements LabelView {

    private static final int[] NONE = new int[0];
    /** Element access with release/acquire order: a reader that sees a new set sees its contents. */
    private static final VarHandle SETS = java.lang.invoke.MethodHandles.arrayElementVarHandle(int[][].class);

    private final int universal;
    private volatile int[][] byId = new int[1024][];
    /** Written under the lock, read without it (estimates may lag a concurrent write). */
    private volatile int[] counts = new int[16];
    private volatile int universalPoints;
    /** Per label, the ids given it, and the universal ids (see {@link LabelPostings}); under the lock. */
    private final LabelPostings postings = new LabelPostings();
    private volatile int points;
    /** Bitsets of the dense labels and of the universal ids (see {@link LabelBits}). */
    private final LabelBits bits;
    /** Each id's 64-bit label summary, for the build's "shares a label" and occlusion tests ({@link LabelSignatures}). */
    private final LabelSignatures signatures = new LabelSignatures();
    /** ORs' union bitsets, built per query or shared when repeated (see {@link LabelUnions}). */
    private final LabelUnions unions = new LabelUnions(this);
    /** The ids a filter matches, from bitsets, posting lists or a cache (see {@link LabelCandidates}). */
    private final LabelCandidates candidates;
    /** A sequence count of label writes: odd while one is under way (a seqlock for lock-free readers). */
    private volatile long writes;
    /** Ids below this bound have had labels (sizes new bitsets); written under the lock, read without it. */
    private volatile int idBound;

    /** A label gets a bitset once this many ids carry it and at least 1/32 of the points do. */
    static final int MIN_DENSE = 256;

    LabelStore(int universal) {
        if (universal < -1 || universal > LabelSets.MAX_LABEL) {
            throw new IllegalArgumentException("the universal label must be a label (0.." + LabelSets.MAX_LABEL
                    + ") or -1, got " + universal);
        }
        this.universal = universal;
        this.bits = new LabelBits(universal >= 0);
        this.candidates = new LabelCandidates(this, postings, bits);
    }

    @Override
    public int universalLabel() {
        return universal;
    }

    @Override
    public int universalCount() {
        return universalPoints;
    }

    /** Sorted, de-duplicated, checked copy of {@code labels}. */
    static int[] normalize(int[] labels) {
        if (labels == null || labels.length == 0) {
            return NONE;
        }
        int[] s = labels.clone();
        Arrays.sort(s);
        int w = 0;
        for (int i = 0; i < s.length; i++) {
            if (s[i] < 0 || s[i] > LabelSets.MAX_LABEL) {
                throw new IllegalArgumentException("labels are 0.." + LabelSets.MAX_LABEL + ", got " + s[i]);
            }
            if (w == 0 || s[i] != s[w - 1]) {
                s[w++] = s[i];
            }
        }
        return w == s.length ? s : Arrays.copyOf(s, w);
    }

    /** Gives {@code id} the labels {@code normalized} (from {@link #normalize}), replacing any it had. */
    synchronized void set(int id, int[] normalized) {
        writes++; // odd: a write is under way (see denseCombine)
        try {
            setLocked(id, normalized);
        } finally {
            writes++;
        }
    }

    private void setLocked(int id, int[] normalized) {
        if (id < 0) {
            throw new IllegalArgumentException("ids are non-negative, got " + id);
        }
        int[][] a = byId;
        if (id >= a.length) {
            a = Arrays.copyOf(a, Math.max(id + 1, a.length * 2));
        }
        int[] old = a[id];
        if (old != null) {
            uncount(old);
        } else {
            points++;
        }
        idBound = Math.max(idBound, id + 1);
        count(id, normalized, old == null ? NONE : old);
        updateBits(id, old == null ? NONE : old, normalized);
        signatures.set(id, LabelSignatures.of(normalized, universal));
        SETS.setRelease(a, id, normalized);
        byId = a; // publishes a grown array to lock-free readers
    }

    /** Sets {@code id}'s bits for {@code now}, then clears those of {@code before} it lost (see LabelBits). */
    private void updateBits(int id, int[] before, int[] now) {
        boolean wasUniversal = isUniversalSet(before);
        boolean isUniversal = isUniversalSet(now);
        if (isUniversal) {
            bits.setUniversal(id);
        } else {
            for (int l : now) {
                bits.set(l, id);
            }
        }
        if (wasUniversal) {
            if (!isUniversal) {
                bits.clearUniversal(id);
                postings.markUniversalStale();
            }
        } else {
            for (int l : before) {
                if (isUniversal || Arrays.binarySearch(now, l) < 0) {
                    bits.clear(l, id);
                    postings.markStale(l);
                }
            }
        }
    }

    /** Forgets {@code id}'s labels (it was deleted). */
    synchronized void clear(int id) {
        writes++;
        try {
            clearLocked(id);
        } finally {
            writes++;
        }
    }

    private void clearLocked(int id) {
        int[][] a = byId;
        if (id < 0 || id >= a.length || a[id] == null) {
            return;
        }
        uncount(a[id]);
        updateBits(id, a[id], NONE);
        signatures.set(id, 0L);
        SETS.setRelease(a, id, (int[]) null);
        points--;
        byId = a;
    }

    private boolean isUniversalSet(int[] set) {
        return universal >= 0 && Arrays.binarySearch(set, universal) >= 0;
    }

    private void uncount(int[] set) {
        if (isUniversalSet(set)) {
            universalPoints--;
            return;
        }
        for (int l : set) {
            counts[l]--;
        }
    }

    private void count(int id, int[] set, int[] old) {
        if (isUniversalSet(set)) {
            universalPoints++;
            if (!isUniversalSet(old)) {
                postings.postUniversal(id);
            }
            return;
        }
        for (int l : set) {
            if (l >= counts.length) {
                int n = Math.min(LabelSets.MAX_LABEL + 1, Math.max(l + 1, counts.length * 2));
                counts = Arrays.copyOf(counts, n);
                postings.ensureLabels(n);
            }
            counts[l]++;
            if (Arrays.binarySearch(old, l) < 0 || isUniversalSet(old)) { // a label new to this id: post it
                int posted = postings.post(l, id);
                if (posted >= MIN_DENSE && posted >= points / 32 && !bits.dense(l)) {
                    makeDense(l, id);
                }
            }
        }
    }

    /** Gives {@code l} a bitset of its current carriers; {@code adding} is gaining it in this write. */
    private void makeDense(int l, int adding) {
        int[] p = postings.list(l);
        int[] carriers = new int[postings.size(l)];
        int n = 0;
        int[][] a = byId;
        for (int i = 0; i < carriers.length; i++) {
            int id = p[i];
            int[] set = id < a.length ? a[id] : null;
            if (id == adding || (set != null && Arrays.binarySearch(set, l) >= 0 && !isUniversalSet(set))) {
                carriers[n++] = id;
            }
        }
        bits.makeDense(l, carriers, n, idBound);
    }

    private int[] setOf(int id) {
        int[][] a = byId;
        return id >= 0 && id < a.length ? (int[]) SETS.getAcquire(a, id) : null;
    }

    /** Id {@code id}'s label summary ({@link LabelSignatures}), or 0 if unknown. */
    long signature(int id) {
        return signatures.get(id);
    }

    /** Id {@code id}'s labels, the stored array itself: callers must not modify it (hot paths; no copy). */
    int[] raw(int id) {
        int[] s = setOf(id);
        return s == null ? NONE : s;
    }

    /** Id {@code id}'s labels (empty if none or unknown). */
    int[] labelsOf(int id) {
        int[] s = setOf(id);
        return s == null ? NONE : s.clone();
    }

    @Override
    public boolean matches(int id, int label) {
        long before = writes;
        int bit = bits.test(label, id);
        if (bit == 1 || (bit == 0 && bits.universal(id))) {
            return true; // a set bit belongs to the id's old or new labels
        }
        if (bit == 0 && unchangedSince(before)) {
            return false; // no write ran: the bits were exact
        }
        int[] s = setOf(id); // sparse label, or a write ran (an id turning universal clears its label bits)
        if (s == null || s.length == 0) {
            return false;
        }
        return Arrays.binarySearch(s, label) >= 0 || (universal >= 0 && Arrays.binarySearch(s, universal) >= 0);
    }

    @Override
    public boolean isUniversal(int id) {
        return bits.universal(id);
    }

    /**
     * Dense labels are checked on their bits first, so most ids that fail are rejected without reading their
     * label array; ids that pass are confirmed on the array (one consistent version of the id's labels).
     */
    @Override
    public boolean matchesAll(int[] labels, int id) {
        long before = writes;
        if (bits.universal(id)) {
            return true;
        }
        for (int l : labels) {
            if (bits.test(l, id) == 0) {
                return !unchangedSince(before) && confirmAll(labels, id);
            }
        }
        return confirmAll(labels, id);
    }

    /**
     * An OR in one pass: the dense labels' bits first, then (only when some label is sparse, or a write ran) one
     * read of the id's label array for all the labels, instead of a seqlock check and an array read per label.
     * Why: a 10% OR of Zipf labels is 2-8 sparse labels, and the per-label test read the id's array and
     * searched it once per label for every node the widened walk met (docs/PERFORMANCE.md section 36).
     * Same answers as label by label: a set bit belongs to the id's old or new labels; otherwise the array is
     * one consistent version of them.
     */
    @Override
    public boolean matchesAny(int[] labels, int id) {
        long before = writes;
        boolean sparse = false;
        for (int l : labels) {
            int bit = bits.test(l, id);
            if (bit == 1) {
                return true;
            }
            sparse |= bit < 0;
        }
        if (bits.universal(id)) {
            return true;
        }
        if (!sparse && unchangedSince(before)) {
            return false; // no write ran: the bits were exact
        }
        int[] s = setOf(id);
        if (s == null) {
            return false;
        }
        for (int x : s) {
            if (x == universal) {
                return true;
            }
            for (int l : labels) {
                if (l == x) {
                    return true;
                }
            }
        }
        return false;
    }

    /** Whether no label write ran since {@code before} was read from {@link #writes} (a seqlock check). */
    boolean unchangedSince(long before) {
        VarHandle.acquireFence();
        return (before & 1) == 0 && writes == before;
    }

    /** Whether {@code label} has a bitset (tests). */
    boolean dense(int label) {
        return bits.dense(label);
    }

    /** Bytes held by the dense labels' bitsets. */
    long bitsetBytes() {
        return bits.bytes();
    }

    @Override
    public int matchCount(int label) {
        int u = universalPoints;
        if (label == universal) {
            return u;
        }
        int[] c = counts;
        return (label >= 0 && label < c.length ? c[label] : 0) + u;
    }

    @Override
    public int size() {
        return points;
    }

    /**
     * Writes to {@code out} the ids that match {@code filter} now, ascending and without duplicates
     * ({@link LabelCandidates#candidates}).
     *
     * @return the new end of {@code out}'s ids, or -1 if {@code out} was too small
     */
    int candidates(LabelFilter filter, int[] out) {
        return candidates.candidates(filter, out);
    }

    /** Whether {@link #candidates} would answer {@code filter} from its cache now (tests). */
    boolean cached(LabelFilter filter) {
        return candidates.cached(filter);
    }

    /**
     * The posting lists of an OR's labels and the universal points, unsorted and with duplicates
     * ({@link LabelCandidates#unsortedPostings}).
     *
     * @return the count in the low 32 bits, bit 32 set when no entry needs a re-check; -1 if {@code out} is too small
     */
    long unsortedPostings(LabelFilter.AnyOf filter, int[] out) {
        return candidates.unsortedPostings(filter, out);
    }

    /** ORs' union bitsets over this store ({@link LabelUnions}). */
    LabelUnions unions() {
        return unions;
    }

    /** The dense labels' and universal bitsets. */
    LabelBits bits() {
        return bits;
    }

    /** The write sequence ({@link #writes}): odd while a write is under way. */
    long writeSequence() {
        return writes;
    }

    /** Ids below this bound have had labels. */
    int idBound() {
        return idBound;
    }

    /**
     * Sets in {@code out} the bits of {@code label}'s posting list below {@code words} words, under the lock (lists
     * change under it); every label has a list, dense or not. Returns whether the list had no stale entry.
     */
    synchronized boolean markPostings(int label, long[] out, int words) {
        int[] list = postings.list(label);
        int size = postings.size(label);
        for (int i = 0; list != null && i < size; i++) {
            int id = list[i];
            if ((id >>> 6) < words) { // ids beyond came after the bound was read
                out[id >>> 6] |= 1L << id;
            }
        }
        return postings.fresh(label);
    }

    /** Whether any of {@code labels} has no bitset (its test reads the id's label array). */
    boolean anySparse(int[] labels) {
        for (int l : labels) {
            if (!bits.dense(l)) {
                return true;
            }
        }
        return false;
    }

    /** {@code id} holds every label, or the universal one, by its label array (one consistent version). */
    private boolean confirmAll(int[] labels, int id) {
        int[] s = setOf(id);
        if (s == null || s.length == 0) {
            return false;
        }
        if (isUniversalSet(s)) {
            return true;
        }
        for (int l : labels) {
            if (Arrays.binarySearch(s, l) < 0) {
                return false;
            }
        }
        return true;
    }

    /** The label sets by id (shared immutable arrays; null: none), for a save. */
    synchronized int[][] snapshot() {
        int[][] a = byId;
        int bound = a.length;
        while (bound > 0 && a[bound - 1] == null) {
            bound--;
        }
        return java.util.Arrays.copyOf(a, bound);
    }

    /** Drops posting entries whose id no longer carries the label (after deletes and updates). */
    synchronized void compact() {
        int[][] a = byId;
        postings.compact((l, id) -> id < a.length && a[id] != null && Arrays.binarySearch(a[id], l) >= 0
                && !isUniversalSet(a[id]), this::isUniversal);
    }
}
