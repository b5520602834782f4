package io.diskann.graph;

import io.diskann.vector.QueryScorer;

/**
 * Exact scans over a caller's ids ({@link io.diskann.index.ExactScan#searchAmong}: the filtered search's answer
 * when a filter matches few vectors): slots looked up, rows touched and scored in blocks, the best k kept; with
 * {@link ScanBounds}, candidates visited nearest bound first and the scan stopped once no bound can beat the k-th
 * distance. Split from {@link VamanaSearcher}, which owns the lock and the scorer; this class owns the scratch.
 *
 * <p>Not thread-safe: one per searcher.
 */
final class IdScan {

    /** Ids per block, and the block's slots. */
    static final int BLOCK = 16;
    /**
     * Lines of each row a scan touches before scoring its block: the first two, whatever the
     * searches' setting. Why: a block's 16 rows touched whole (13 lines each for 784 8-bit codes) put 208 misses in
     * row order behind the core's few miss buffers, so the last rows' first lines start late; two lines a row start
     * every row's fetch at once and the hardware prefetcher streams the rest. {@code -Ddiskann.scanTouchLines}
     * overrides it for A/B runs (docs/PERFORMANCE.md section 43).
     */
    static final int TOUCH_LINES = Math.max(0, Integer.getInteger("diskann.scanTouchLines", 2));
    private final int[] scanBlock = new int[BLOCK];
    /** A block's live slots, their places in the caller's ids, and their distances. */
    private final int[] scanLive = new int[BLOCK];
    private final int[] scanAt = new int[BLOCK];
    private final float[] scanScores = new float[BLOCK];
    /** A bounded scan's candidates: bound and index packed for sorting, their slots and places in the ids. */
    private long[] order = new long[0];
    private int[] orderSlots = new int[0];
    private int[] orderAt = new int[0];
    private final float[] projectedQuery = new float[ScanBounds.K];
    private long scored;
    private int touchSink;

    /** Rows the last {@link #run} scored. */
    long scored() {
        return scored;
    }

    /** Keeps the touched loads observable so they are not optimised away. */
    int touchSink() {
        return touchSink;
    }

    /**
     * Scores the live ones of {@code ids[0..count)} with {@code scorer} (its query set) and keeps the best {@code k},
     * nearest first, ties to the smaller id; returns how many. With {@code bounds} (null: none), skips rows whose bound
     * cannot beat the k-th distance: same results. Called under the index's shared lock.
     */
    int run(SlotTable slots, ScanBounds bounds, QueryScorer scorer, float[] query, int[] ids, int count, int k,
            int[] outIds, float[] outDistances) {
        if (bounds != null) {
            return boundedScan(slots, bounds, scorer, query, ids, count, k, outIds, outDistances);
        }
        int n = 0;
        long scored = 0;
        int[] block = scanBlock;
        int[] live = scanLive;
        int[] at = scanAt;
        float[] scores = scanScores;
        int sink = 0;
        // Why blocks: slots are looked up under one lock per block (not one per id), a block's vectors are
        // touched before any is scored so their cache misses overlap (a scan's ids are scattered; one 784 x
        // f32 row is 49 lines), and the block is scored before any result is kept: a kept-or-not branch per
        // row, mispredicted, made each kernel wait for the one before it (0.1% ANDs of Fashion-MNIST, 60
        // rows in cache: 4.9 -> 4.2 us a scan; docs/PERFORMANCE.md section 42)
        for (int from = 0; from < count; from += BLOCK) {
            int m = Math.min(BLOCK, count - from);
            slots.slotsOf(ids, from, m, block);
            int c = 0;
            for (int j = 0; j < m; j++) {
                int slot = block[j];
                if (slot >= 0 && slots.isLive(slot)) {
                    live[c] = slot;
                    at[c++] = from + j;
                }
            }
            for (int j = 0; j < c; j++) {
                sink += scorer.touch(live[j]);
            }
            scorer.scoreBatch(live, c, scores);
            scored += c;
            for (int j = 0; j < c; j++) {
                n = keep(ids[at[j]], scores[j], n, k, outIds, outDistances);
            }
        }
        touchSink += sink;
        this.scored = scored;
        return n;
    }

    /**
     * {@link #run} with {@link ScanBounds}: every candidate's bound first (slots looked up in blocks), the
     * candidates sorted by bound, then scored nearest-bound first in blocks (touched, then scored, then kept, as
     * in the plain scan) until the next bound passes the k-th best distance. Same results as scoring them all.
     */
    private int boundedScan(SlotTable slots, ScanBounds bounds, QueryScorer scorer, float[] query, int[] ids, int count,
                            int k, int[] outIds, float[] outDistances) {
        if (order.length < count) {
            order = new long[Math.max(count, 2 * order.length)];
            orderSlots = new int[order.length];
            orderAt = new int[order.length];
        }
        long[] sorted = order;
        int[] candidateSlots = orderSlots;
        int[] at = orderAt;
        float slack = bounds.prepare(query, projectedQuery);
        int[] block = scanBlock;
        int c = 0;
        for (int from = 0; from < count; from += BLOCK) {
            int m = Math.min(BLOCK, count - from);
            slots.slotsOf(ids, from, m, block);
            for (int j = 0; j < m; j++) {
                int slot = block[j];
                if (slot >= 0 && slots.isLive(slot)) {
                    float b = bounds.bound(projectedQuery, slack, slot);
                    candidateSlots[c] = slot;
                    at[c] = from + j;
                    // bounds are never negative: their bits sort as the floats do; the low half says which candidate
                    sorted[c] = ((long) Float.floatToRawIntBits(b) << 32) | c;
                    c++;
                }
            }
        }
        java.util.Arrays.sort(sorted, 0, c);
        int n = 0;
        long scored = 0;
        int sink = 0;
        int[] live = scanLive;
        int[] place = scanAt;
        float[] scores = scanScores;
        int next = 0;
        while (next < c) {
            float worst = n == k ? outDistances[k - 1] : Float.POSITIVE_INFINITY;
            int m = 0;
            while (m < BLOCK && next < c) {
                long key = sorted[next];
                if (n == k && bounds.skips(Float.intBitsToFloat((int) (key >>> 32)), worst)) {
                    next = c; // sorted: every later bound is at least this one
                    break;
                }
                int i = (int) key;
                live[m] = candidateSlots[i];
                place[m++] = at[i];
                next++;
            }
            for (int j = 0; j < m; j++) {
                sink += scorer.touch(live[j]);
            }
            scorer.scoreBatch(live, m, scores);
            scored += m;
            for (int j = 0; j < m; j++) {
                n = keep(ids[place[j]], scores[j], n, k, outIds, outDistances);
            }
        }
        touchSink += sink;
        this.scored = scored;
        return n;
    }

    /**
     * Keeps {@code id} at {@code d} among the best {@code k} so far ({@code n} of them, nearest first) and returns
     * the new count. Ties go to the smaller id, as within the list.
     */
    private static int keep(int id, float d, int n, int k, int[] outIds, float[] outDistances) {
        if (n == k && (d > outDistances[k - 1] || (d == outDistances[k - 1] && id > outIds[k - 1]))) {
            return n;
        }
        int at = n == k ? k - 1 : n++;
        while (at > 0 && (outDistances[at - 1] > d || (outDistances[at - 1] == d && outIds[at - 1] > id))) {
            outIds[at] = outIds[at - 1];
            outDistances[at] = outDistances[at - 1];
            at--;
        }
        outIds[at] = id;
        outDistances[at] = d;
        return n;
    }
}
