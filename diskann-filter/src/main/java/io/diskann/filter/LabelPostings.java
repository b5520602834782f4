package io.diskann.filter;

import java.util.Arrays;

/**
 * The posting lists of a {@link LabelStore}: per label, the ids that were given it (appended; an id that loses the
 * label leaves a stale entry until {@link #compact}), and the universal ids likewise. An exact scan of a selective
 * filter walks these lists instead of every id; a list without stale entries holds exactly the label's carriers, so
 * its ids need no re-check.
 *
 * <p>Why a class of its own: the store's per-id arrays, counts, bitsets and lock-free reads are one concern, the
 * append-only lists another. Not thread-safe: every call runs under the store's lock.
 */
final class LabelPostings {

    private int[][] lists = new int[16][];
    private int[] sizes = new int[16];
    /** Per label, entries made stale (the id lost the label) since the last compaction. */
    private int[] stale = new int[16];
    private int[] universal = new int[16];
    private int universalSize;
    private int universalStale;

    /** Makes room for labels below {@code limit}. */
    void ensureLabels(int limit) {
        if (limit > lists.length) {
            lists = Arrays.copyOf(lists, limit);
            sizes = Arrays.copyOf(sizes, limit);
            stale = Arrays.copyOf(stale, limit);
        }
    }

    /** Appends {@code id} to {@code label}'s list (room made by {@link #ensureLabels}); returns the list's length. */
    int post(int label, int id) {
        return append(lists, sizes, label, id);
    }

    /**
     * Appends {@code value} to the growable list {@code lists[i]} of {@code sizes[i]} entries (created at 8,
     * doubled when full); returns its new length. Shared with the stitched build's candidate lists.
     */
    static int append(int[][] lists, int[] sizes, int i, int value) {
        int[] p = lists[i];
        if (p == null) {
            p = lists[i] = new int[8];
        } else if (sizes[i] == p.length) {
            p = lists[i] = Arrays.copyOf(p, p.length * 2);
        }
        p[sizes[i]++] = value;
        return sizes[i];
    }

    /** Appends {@code id} to the universal ids. */
    void postUniversal(int id) {
        if (universalSize == universal.length) {
            universal = Arrays.copyOf(universal, universalSize * 2);
        }
        universal[universalSize++] = id;
    }

    /** An id lost {@code label}: its entry is stale. */
    void markStale(int label) {
        stale[label]++;
    }

    /** An id lost the universal label: its entry is stale. */
    void markUniversalStale() {
        universalStale++;
    }

    /** {@code label}'s list (its first {@link #size} entries), or null if it never had one. */
    int[] list(int label) {
        return label >= 0 && label < lists.length ? lists[label] : null;
    }

    /** How many entries {@code label}'s list holds. */
    int size(int label) {
        return label >= 0 && label < sizes.length ? sizes[label] : 0;
    }

    /** Whether {@code label}'s list, and the universal ids', hold no stale entry. */
    boolean fresh(int label) {
        return universalStale == 0 && (label < 0 || label >= stale.length || stale[label] == 0);
    }

    /**
     * Copies the lists of {@code labels} and then the universal ids into {@code out}.
     *
     * @return the count in the low 32 bits, bit 32 set when no copied list had a stale entry; -1 if {@code out} is
     *     too small
     */
    long copy(int[] labels, int[] out) {
        int n = 0;
        boolean exact = universalStale == 0;
        for (int l : labels) {
            int[] p = list(l);
            if (p != null) {
                if (n + sizes[l] > out.length) {
                    return -1;
                }
                System.arraycopy(p, 0, out, n, sizes[l]);
                n += sizes[l];
                exact &= stale[l] == 0;
            }
        }
        n = appendUniversal(out, n);
        return n < 0 ? -1 : (exact ? 1L << 32 : 0L) | n;
    }

    /** Appends the universal ids to {@code out[0..n)}; returns the new count, or -1 if they do not fit. */
    int appendUniversal(int[] out, int n) {
        if (n + universalSize > out.length) {
            return -1;
        }
        System.arraycopy(universal, 0, out, n, universalSize);
        return n + universalSize;
    }

    /** Label-and-id tests for {@link #compact}. */
    interface Carries {
        boolean test(int label, int id);
    }

    /**
     * Drops the entries whose id no longer carries the label ({@code carries}) or is no longer universal
     * ({@code isUniversal}).
     */
    void compact(Carries carries, java.util.function.IntPredicate isUniversal) {
        for (int l = 0; l < lists.length; l++) {
            int[] p = lists[l];
            if (p == null) {
                continue;
            }
            int w = 0;
            for (int i = 0; i < sizes[l]; i++) {
                if (carries.test(l, p[i])) {
                    p[w++] = p[i];
                }
            }
            sizes[l] = w;
            stale[l] = 0;
        }
        int w = 0;
        for (int i = 0; i < universalSize; i++) {
            if (isUniversal.test(universal[i])) {
                universal[w++] = universal[i];
            }
        }
        universalSize = w;
        universalStale = 0;
    }
}
