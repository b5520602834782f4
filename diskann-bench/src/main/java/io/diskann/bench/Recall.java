package io.diskann.bench;

import io.diskann.bench.data.IntMatrix;

/** Recall@k: how many of the true k nearest neighbours a result contains. */
final class Recall {

    private Recall() {
    }

    /** Number of ids in {@code found} that are among the first {@code k} of truth row {@code row}. */
    /** How many of row {@code row}'s first k truth entries are real (filtered truth pads with -1). */
    static int validTruth(IntMatrix truth, int row, int k) {
        int valid = 0;
        for (int j = 0; j < k; j++) {
            valid += truth.get(row, j) >= 0 ? 1 : 0;
        }
        return valid;
    }

    static int hits(int[] found, IntMatrix truth, int row, int k) {
        int hits = 0;
        int kk = Math.min(k, truth.cols());
        for (int id : found) {
            for (int j = 0; j < kk; j++) {
                if (truth.get(row, j) == id) {
                    hits++;
                    break;
                }
            }
        }
        return hits;
    }
}
