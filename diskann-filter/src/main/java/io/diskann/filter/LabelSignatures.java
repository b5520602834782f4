package io.diskann.filter;

import java.util.Arrays;

/**
 * A 16-bit summary of each id's labels: bit {@code hash(label) & 15} for each label, all bits for the universal
 * label, 0 for none (or an id never labeled). Two ids whose summaries share no bit share no label.
 *
 * <p>Why: Filtered-Vamana's build search asks "does this neighbour share a label with the vector being
 * linked?" for every neighbour it reaches. Answering from the neighbour's label array costs two dependent cache
 * misses (its slot in the per-id array, then the array); at 1M vectors that was 30% of a Filtered-Vamana build
 * (docs/PERFORMANCE.md section 37). The summaries are 2 bytes an id in one array (2 MB a million ids), and most
 * neighbours that share nothing are turned away on them; the rest are confirmed on the arrays.
 *
 * <p>Thread-safety: {@link #set} runs under the label store's lock; {@link #get} reads without locking and may
 * see an id's previous summary while it is relabeled (the build's search is a heuristic: a stale answer changes
 * which nodes it passes through, never a filter's results).
 */
final class LabelSignatures {

    /** The summary of a universal id: every bit, so it passes every check. */
    static final short UNIVERSAL = (short) 0xFFFF;

    private volatile short[] byId = new short[1024];

    /** The summary of a sorted label set. */
    static short of(int[] set, int universal) {
        return of(set, 0, set.length, universal);
    }

    /** The summary of the sorted labels {@code labels[from..to)}. */
    static short of(int[] labels, int from, int to, int universal) {
        int s = 0;
        for (int j = from; j < to; j++) {
            if (labels[j] == universal) {
                return UNIVERSAL;
            }
            s |= 1 << bit(labels[j]);
        }
        return (short) s;
    }

    /** Labels are small dense ints, often numbered by frequency: a multiplicative hash spreads them over the bits. */
    private static int bit(int label) {
        return (label * 0x9E3779B9) >>> 28;
    }

    /**
     * Whether two summaries rule out a shared label: both known (non-zero) and with no bit in common.
     *
     * @param a one id's summary
     * @param b the other's
     * @return true only if the two ids certainly share no label
     */
    static boolean disjoint(short a, short b) {
        return a != 0 && b != 0 && (a & b) == 0;
    }

    /** Records {@code id}'s summary; the caller holds the label store's lock. */
    void set(int id, short summary) {
        short[] a = byId;
        if (id >= a.length) {
            a = Arrays.copyOf(a, Math.max(id + 1, a.length * 2));
        }
        a[id] = summary;
        byId = a; // publishes a grown array
    }

    /** {@code id}'s summary, or 0 if unknown. */
    short get(int id) {
        short[] a = byId;
        return id >= 0 && id < a.length ? a[id] : 0;
    }
}
