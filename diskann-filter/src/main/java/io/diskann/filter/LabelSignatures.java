package io.diskann.filter;

import java.util.Arrays;

/**
 * A 64-bit summary of each id's labels that answers Filtered-Vamana's two build-time questions ("does this
 * neighbour share a label with the vector being linked?", "may this kept neighbour occlude that candidate?")
 * without reading the label arrays, in two forms:
 * <ul>
 *   <li><b>exact</b> (bit 63 clear): up to {@value #INLINE_LABELS} labels below {@value #INLINE_LIMIT}, each
 *       stored plus one in a 21-bit field, lowest first, unused fields zero. Both questions are answered exactly
 *       from three such words;</li>
 *   <li><b>summary</b> (bit 63 set): one hashed bit of 62 (bits 0-61) per label, so that no summary is all ones;
 *       {@link #UNIVERSAL} (every bit) for an id with the universal label, {@link #NONE} (no bit) for an id with no label. Two summaries with no bit in common
 *       share no label; anything else is confirmed on the arrays.</li>
 * </ul>
 * 0 means unknown (an id never labeled or deleted): the callers read the arrays.
 *
 * <p>Why: the build search asks "shares" for every neighbour it reaches, and the prune asks "may occlude" for
 * every (kept, candidate) pair; answered from the label arrays, each costs two dependent cache misses per id (its
 * slot in the per-id array, then the array). At 1M vectors that was 30% of a Filtered-Vamana build before 16-bit
 * summaries turned away the neighbours sharing nothing (section 37 of docs/PERFORMANCE.md); the neighbours that
 * do share still read their arrays, and a profile after that change still put 12% of the build in the two tests.
 * Most vectors carry one to three labels, which fit one word: 8 bytes an id (8 MB a million ids).
 *
 * <p>Thread-safety: {@link #set} runs under the label store's lock; {@link #get} reads without locking and may
 * see an id's previous summary while it is relabeled (the build's search and prune are heuristics: a stale
 * answer changes which nodes they pass through or keep, never a filter's results).
 */
final class LabelSignatures {

    /** Labels an exact summary holds at most. */
    static final int INLINE_LABELS = 3;
    /** Labels at or above this are summarized by their bit only. */
    static final int INLINE_LIMIT = (1 << 21) - 1;
    /** The summary form's flag (bit 63). */
    static final long SUMMARY = Long.MIN_VALUE;
    /** The summary of a universal id: every bit, so it shares with everything. */
    static final long UNIVERSAL = -1L;
    /** The summary of an id with no label: no bit, so it shares nothing. */
    static final long NONE = SUMMARY;

    private static final int FIELD_BITS = 21;
    private static final long FIELD_MASK = (1L << FIELD_BITS) - 1;

    private volatile long[] byId = new long[1024];

    /** The summary of a sorted label set. */
    static long of(int[] set, int universal) {
        return of(set, 0, set.length, universal);
    }

    /** The summary of the sorted labels {@code labels[from..to)}. */
    static long of(int[] labels, int from, int to, int universal) {
        if (from == to) {
            return NONE;
        }
        boolean inline = to - from <= INLINE_LABELS;
        long exact = 0;
        long bits = 0;
        for (int j = from; j < to; j++) {
            int label = labels[j];
            if (label == universal) {
                return UNIVERSAL;
            }
            if (label < 0 || label >= INLINE_LIMIT) {
                inline = false;
            } else if (inline) {
                exact |= (long) (label + 1) << (FIELD_BITS * (j - from));
            }
            bits |= bit(label);
        }
        return inline ? exact : SUMMARY | bits;
    }

    /**
     * Labels are small dense ints, often numbered by frequency: a multiplicative hash spreads them over 62 bits.
     * Not 63: an id with enough labels would set them all and its summary would read as {@link #UNIVERSAL}.
     */
    private static long bit(int label) {
        return 1L << (int) (((label * 0x9E3779B97F4A7C15L) >>> 33) % 62);
    }

    /** The hashed bits of a summary in either form. */
    private static long bits(long s) {
        if (s < 0) {
            return s & ~SUMMARY;
        }
        long b = 0;
        for (; s != 0; s >>>= FIELD_BITS) {
            b |= bit((int) (s & FIELD_MASK) - 1);
        }
        return b;
    }

    /** Whether the exact summary {@code s} holds field value {@code f} (a label plus one, non-zero). */
    private static boolean holds(long s, long f) {
        return (s & FIELD_MASK) == f || ((s >>> FIELD_BITS) & FIELD_MASK) == f || (s >>> (2 * FIELD_BITS)) == f;
    }

    /**
     * Whether ids with summaries {@code a} and {@code b} share a label (the universal label counts as shared).
     *
     * @return 1 if they certainly do, 0 if they certainly do not, -1 if the arrays must tell
     */
    static int shares(long a, long b) {
        if (a == 0 || b == 0) {
            return -1;
        }
        if (a == UNIVERSAL || b == UNIVERSAL) {
            return 1;
        }
        if (a > 0 && b > 0) {
            for (long s = a; s != 0; s >>>= FIELD_BITS) {
                if (holds(b, s & FIELD_MASK)) {
                    return 1;
                }
            }
            return 0;
        }
        return (bits(a) & bits(b)) == 0 ? 0 : -1;
    }

    /**
     * Filtered-Vamana's occlusion rule on summaries: whether every label the candidate shares with the node
     * (the universal label aside) is one of the occluder's. The caller has handled a node with no label.
     *
     * @return 1 if it may occlude, 0 if it may not, -1 if the arrays must tell
     */
    static int mayOcclude(long node, long occluder, long candidate) {
        if (node == 0 || occluder == 0 || candidate == 0) {
            return -1;
        }
        if (occluder == UNIVERSAL) {
            return 1;
        }
        long a = node == UNIVERSAL ? candidate : node;
        long b = candidate == UNIVERSAL || node == UNIVERSAL ? a : candidate;
        if (a == NONE || b == NONE) {
            return 1; // nothing shared but the universal label
        }
        if (a < 0 || b < 0) { // a summary, or both universal (the rule then asks for all the candidate's labels)
            return -1;
        }
        int answer = 1;
        for (long s = a; s != 0; s >>>= FIELD_BITS) {
            long f = s & FIELD_MASK;
            if (holds(b, f)) {
                if (occluder > 0 ? !holds(occluder, f) : (occluder & bit((int) f - 1)) == 0) {
                    return 0; // a shared label the occluder lacks (its bit is missing from a summary too)
                }
                if (occluder < 0) {
                    answer = -1; // its bit is there, the label may not be: keep looking for a certain "no"
                }
            }
        }
        return answer;
    }

    /** Records {@code id}'s summary; the caller holds the label store's lock. */
    void set(int id, long summary) {
        long[] a = byId;
        if (id >= a.length) {
            a = Arrays.copyOf(a, Math.max(id + 1, a.length * 2));
        }
        a[id] = summary;
        byId = a; // publishes a grown array
    }

    /** {@code id}'s summary, or 0 if unknown. */
    long get(int id) {
        long[] a = byId;
        return id >= 0 && id < a.length ? a[id] : 0;
    }
}
