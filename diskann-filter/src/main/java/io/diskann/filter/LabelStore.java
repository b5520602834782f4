package io.diskann.filter;

import java.util.Arrays;

/**
 * The live labels of an index's vectors, by id: each id's sorted labels, how many ids match each label,
 * and per label the ids that carried it (a posting list, appended to; entries whose id lost the label
 * stay until {@link #compact} and are dropped by re-checking). The posting lists are what an exact scan
 * of a selective filter walks instead of every id.
 *
 * <p>Thread-safety: writers ({@link #set}, {@link #clear}) take the store's lock; {@link #matches} reads
 * a volatile snapshot of the per-id array without locking (an id's labels are replaced as one array, so a
 * reader sees the old set or the new one). Counts are exact after each write.
 */
final class LabelStore implements LabelView {

    private static final int[] NONE = new int[0];
    /** Element access with release/acquire order: a reader that sees a new set sees its contents. */
    private static final java.lang.invoke.VarHandle SETS = java.lang.invoke.MethodHandles.arrayElementVarHandle(int[][].class);

    private final int universal;
    private volatile int[][] byId = new int[1024][];
    /** Written under the lock, read without it (estimates may lag a concurrent write). */
    private volatile int[] counts = new int[16];
    private volatile int universalPoints;
    private int[][] postings = new int[16][];
    private int[] postingSizes = new int[16];
    private int universalSize;
    private int[] universalPostings = new int[16];
    private volatile int points;

    LabelStore(int universal) {
        if (universal < -1 || universal > LabelSets.MAX_LABEL) {
            throw new IllegalArgumentException("the universal label must be a label (0.." + LabelSets.MAX_LABEL
                    + ") or -1, got " + universal);
        }
        this.universal = universal;
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
        count(id, normalized, old == null ? NONE : old);
        SETS.setRelease(a, id, normalized);
        byId = a; // publishes a grown array to lock-free readers
    }

    /** Forgets {@code id}'s labels (it was deleted). */
    synchronized void clear(int id) {
        int[][] a = byId;
        if (id < 0 || id >= a.length || a[id] == null) {
            return;
        }
        uncount(a[id]);
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
                if (universalSize == universalPostings.length) {
                    universalPostings = Arrays.copyOf(universalPostings, universalSize * 2);
                }
                universalPostings[universalSize++] = id;
            }
            return;
        }
        for (int l : set) {
            if (l >= counts.length) {
                int n = Math.min(LabelSets.MAX_LABEL + 1, Math.max(l + 1, counts.length * 2));
                counts = Arrays.copyOf(counts, n);
                postings = Arrays.copyOf(postings, n);
                postingSizes = Arrays.copyOf(postingSizes, n);
            }
            counts[l]++;
            if (Arrays.binarySearch(old, l) < 0 || isUniversalSet(old)) { // a label new to this id: post it
                int[] p = postings[l];
                if (p == null) {
                    p = postings[l] = new int[8];
                } else if (postingSizes[l] == p.length) {
                    p = postings[l] = Arrays.copyOf(p, p.length * 2);
                }
                p[postingSizes[l]++] = id;
            }
        }
    }

    private int[] setOf(int id) {
        int[][] a = byId;
        return id >= 0 && id < a.length ? (int[]) SETS.getAcquire(a, id) : null;
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
        int[] s = setOf(id);
        if (s == null || s.length == 0) {
            return false;
        }
        return Arrays.binarySearch(s, label) >= 0 || (universal >= 0 && Arrays.binarySearch(s, universal) >= 0);
    }

    @Override
    public boolean isUniversal(int id) {
        int[] s = setOf(id);
        return s != null && isUniversalSet(s);
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
     * Appends to {@code out} (from index {@code at}) the ids that may match {@code filter}: the posting lists
     * of its labels (for AND, of its rarest label) and of the universal label, then keeps only those that
     * match now, sorted and without duplicates.
     *
     * @return the new end of {@code out}'s ids, or -1 if {@code out} was too small
     */
    int candidates(LabelFilter filter, int[] out) {
        int n = gather(filter, out);
        if (n < 0) {
            return -1;
        }
        // sorted, de-duplicated and re-checked outside the lock: scans of different queries run in parallel
        Arrays.sort(out, 0, n);
        int w = 0;
        for (int i = 0; i < n; i++) {
            if ((w == 0 || out[i] != out[w - 1]) && filter.matches(this, out[i])) {
                out[w++] = out[i];
            }
        }
        return w;
    }

    /** Copies the relevant posting lists into {@code out}; returns the count, or -1 if it does not fit. */
    private synchronized int gather(LabelFilter filter, int[] out) {
        int n = 0;
        int[] labels = switch (filter) {
            case LabelFilter.Label l -> new int[] {l.label()};
            case LabelFilter.AnyOf a -> a.labels();
            case LabelFilter.AllOf a -> new int[] {a.rarest(this)};
            case LabelFilter.Predicate p -> throw new IllegalArgumentException("a predicate has no posting lists");
        };
        for (int l : labels) {
            if (l < postings.length && postings[l] != null) {
                if (n + postingSizes[l] > out.length) {
                    return -1;
                }
                System.arraycopy(postings[l], 0, out, n, postingSizes[l]);
                n += postingSizes[l];
            }
        }
        if (n + universalSize > out.length) {
            return -1;
        }
        System.arraycopy(universalPostings, 0, out, n, universalSize);
        return n + universalSize;
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
        for (int l = 0; l < postings.length; l++) {
            int[] p = postings[l];
            if (p == null) {
                continue;
            }
            int w = 0;
            for (int i = 0; i < postingSizes[l]; i++) {
                int[][] a = byId;
                int id = p[i];
                if (id < a.length && a[id] != null && Arrays.binarySearch(a[id], l) >= 0 && !isUniversalSet(a[id])) {
                    p[w++] = id;
                }
            }
            postingSizes[l] = w;
        }
        int w = 0;
        for (int i = 0; i < universalSize; i++) {
            int id = universalPostings[i];
            if (isUniversal(id)) {
                universalPostings[w++] = id;
            }
        }
        universalSize = w;
    }
}
