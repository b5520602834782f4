package io.diskann.filter;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Arrays;

/**
 * A bit per id for each dense label (one that at least 1/32 of the points carry) and for the universal
 * label: bit {@code id} of label {@code l} is set exactly when id's current label set holds {@code l} and is
 * not universal. At that density a bitset takes no more memory than the label's posting list.
 *
 * <p>Why: checking a label by the id's sorted label array costs a dependent load (the id's array) and a
 * binary search per id. An AND scan over the rarest label's carriers did that for every carrier
 * (Fashion-MNIST, 1% AND: 532 QPS, most of it in those checks); a graph walk does it for every node it
 * meets. A bit is one load from a compact array, and an AND of dense labels is a word-wise AND.
 *
 * <p>A label turns dense when its posting list (which counts stale entries until compaction) reaches the
 * threshold, and stays dense: its bitset costs {@code idBound / 8} bytes from then on.
 *
 * <p>Thread-safety: written only under the owning {@link LabelStore}'s lock; read without it. Words are
 * read and written with volatile semantics, and when an id's labels change the store sets the new labels'
 * bits before it clears the old ones, so a lone reader of one label sees the old or the new membership,
 * never a missing label held by both. Readers that combine several labels (AND) confirm against the id's
 * label array, which changes atomically.
 */
final class LabelBits {

    private static final VarHandle WORDS = MethodHandles.arrayElementVarHandle(long[].class);

    /** Per label its bitset, or null while sparse. Copied on every change (under the lock); read lock-free. */
    private volatile long[][] byLabel = new long[16][];
    /** Ids whose set is universal (null: no universal label). */
    private volatile long[] universal;
    private final boolean hasUniversal;

    LabelBits(boolean hasUniversal) {
        this.hasUniversal = hasUniversal;
        this.universal = hasUniversal ? new long[16] : null;
    }

    /** Whether {@code label} has a bitset. */
    boolean dense(int label) {
        long[][] b = byLabel;
        return label >= 0 && label < b.length && b[label] != null;
    }

    /**
     * Bit {@code id} of {@code label}: 1 = carries it, 0 = does not, -1 = the label has no bitset (ask the
     * label array).
     */
    int test(int label, int id) {
        long[][] b = byLabel;
        if (label < 0 || label >= b.length) {
            return -1;
        }
        long[] words = b[label];
        if (words == null) {
            return -1;
        }
        return get(words, id) ? 1 : 0;
    }

    /** Whether {@code id}'s set is universal (false without a universal label). */
    boolean universal(int id) {
        long[] u = universal;
        return u != null && get(u, id);
    }

    boolean hasUniversal() {
        return hasUniversal;
    }

    /** The bitset of a dense label (shared: read only), or null. */
    long[] words(int label) {
        long[][] b = byLabel;
        return label >= 0 && label < b.length ? b[label] : null;
    }

    /** The universal bitset (shared: read only), or null. */
    long[] universalWords() {
        return universal;
    }

    private static boolean get(long[] words, int id) {
        int w = id >>> 6;
        return w < words.length && ((long) WORDS.getVolatile(words, w) & (1L << id)) != 0;
    }

    // ---- writers: under the store's lock ----

    /** Gives {@code label} a bitset holding {@code ids[0..n)}. */
    void makeDense(int label, int[] ids, int n, int idBound) {
        long[] words = new long[wordsFor(idBound)];
        for (int i = 0; i < n; i++) {
            words[ids[i] >>> 6] |= 1L << ids[i];
        }
        publish(label, words);
    }

    void set(int label, int id) {
        long[][] b = byLabel;
        if (label < b.length && b[label] != null) {
            long[] words = setBit(b[label], id);
            if (words != b[label]) {
                publish(label, words);
            }
        }
    }

    /**
     * Installs {@code words} as {@code label}'s bitset in a new outer array, published by the volatile write:
     * a reader that sees the new array sees the bitset's contents (a plain store into the shared outer array
     * would not give it that).
     */
    private void publish(int label, long[] words) {
        long[][] b = Arrays.copyOf(byLabel, Math.max(label + 1, byLabel.length));
        b[label] = words;
        byLabel = b;
    }

    void clear(int label, int id) {
        long[][] b = byLabel;
        if (label < b.length && b[label] != null) {
            clearBit(b[label], id);
        }
    }

    void setUniversal(int id) {
        if (universal != null) {
            universal = setBit(universal, id);
        }
    }

    void clearUniversal(int id) {
        if (universal != null) {
            clearBit(universal, id);
        }
    }

    /** Sets the bit, growing (copying) the array first if needed; returns the array that now holds it. */
    private static long[] setBit(long[] words, int id) {
        int w = id >>> 6;
        if (w >= words.length) {
            words = Arrays.copyOf(words, Math.max(w + 1, words.length * 2));
        }
        WORDS.setVolatile(words, w, (long) WORDS.getVolatile(words, w) | (1L << id));
        return words;
    }

    private static void clearBit(long[] words, int id) {
        int w = id >>> 6;
        if (w < words.length) {
            WORDS.setVolatile(words, w, (long) WORDS.getVolatile(words, w) & ~(1L << id));
        }
    }

    static int wordsFor(int idBound) {
        return Math.max(16, (idBound + 63) >>> 6);
    }

    /**
     * {@code out[0..words) |= set[0..words)}, read plainly (a racy read of a bitset being written shows each word
     * old or new, which callers of a superset accept). A loop the JIT vectorizes.
     */
    static void orInto(long[] set, long[] out, int words) {
        for (int w = 0; w < words; w++) {
            out[w] |= set[w];
        }
    }

    /** Bytes held by the bitsets. */
    long bytes() {
        long total = universal == null ? 0 : 8L * universal.length;
        for (long[] w : byLabel) {
            total += w == null ? 0 : 8L * w.length;
        }
        return total;
    }

    /**
     * The ids set in every one ({@code and}) or any of {@code sets}, or in {@code universalWords}, ascending, into
     * {@code out}: a word-wise AND (or OR) of bitsets.
     *
     * @return the count, or -1 if {@code out} is too small
     */
    static int combine(long[][] sets, long[] universalWords, boolean and, int[] out) {
        if (and && sets.length == 2) {
            return andOfTwo(sets[0], sets[1], universalWords, out);
        }
        int common = and ? Integer.MAX_VALUE : 0;
        for (long[] set : sets) {
            common = and ? Math.min(common, set.length) : Math.max(common, set.length);
        }
        int universalLength = universalWords == null ? 0 : universalWords.length;
        int end = Math.max(common, universalLength);
        int w = 0;
        for (int word = 0; word < end; word++) {
            long x = 0;
            if (word < common) {
                x = and ? -1L : 0L;
                for (long[] set : sets) {
                    long bitsOfWord = word < set.length ? set[word] : 0L;
                    x = and ? x & bitsOfWord : x | bitsOfWord;
                }
            }
            if (word < universalLength) {
                x |= universalWords[word];
            }
            while (x != 0) {
                int id = (word << 6) + Long.numberOfTrailingZeros(x);
                x &= x - 1;
                if (w == out.length) {
                    return -1;
                }
                out[w++] = id;
            }
        }
        return w;
    }

    private static final long[] NO_WORDS = new long[0];

    /**
     * The common AND of two dense labels: a plain loop of word ANDs, ORed with the universal ids' words (the
     * general loop's per-word tests of the mode and of each set's length are not hoisted by C2). With the
     * branch-free pass of {@link LabelStore}'s {@code gatherAnd}: Fashion-MNIST's 833 0.1% ANDs listed in 0.60 us
     * instead of 1.60 (docs/PERFORMANCE.md section 38).
     */
    private static int andOfTwo(long[] a, long[] b, long[] universalWords, int[] out) {
        int common = Math.min(a.length, b.length);
        long[] u = universalWords == null ? NO_WORDS : universalWords; // no allocation per query
        int end = Math.max(common, u.length);
        int w = 0;
        for (int word = 0; word < end; word++) {
            long x = (word < common ? a[word] & b[word] : 0L) | (word < u.length ? u[word] : 0L);
            while (x != 0) {
                if (w == out.length) {
                    return -1;
                }
                out[w++] = (word << 6) + Long.numberOfTrailingZeros(x);
                x &= x - 1;
            }
        }
        return w;
    }
}
