package io.diskann.bench;

import java.util.Arrays;

/**
 * The k highest similarity scores offered and their ids, best first: the exact scan of the Lucene and
 * jvector peers (both score by similarity, larger is closer).
 */
final class BestScores {

    private final int[] ids;
    private final float[] scores;
    private int n;

    BestScores(int k) {
        this.ids = new int[k];
        this.scores = new float[k];
    }

    /** Keeps {@code id} if its score is among the k best so far. */
    void offer(int id, float score) {
        int k = ids.length;
        if (n == k && score <= scores[k - 1]) {
            return;
        }
        int at = n == k ? k - 1 : n++;
        while (at > 0 && scores[at - 1] < score) {
            ids[at] = ids[at - 1];
            scores[at] = scores[at - 1];
            at--;
        }
        ids[at] = id;
        scores[at] = score;
    }

    /** The ids kept, best first. */
    int[] ids() {
        return Arrays.copyOf(ids, n);
    }
}
