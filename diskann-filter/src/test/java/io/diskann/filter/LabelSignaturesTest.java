package io.diskann.filter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.diskann.testing.TestSeeds;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The label summaries behind the build's "shares a label" test ({@link LabelSignatures}): they never turn away
 * a pair that shares a label (universal and unlabeled ids, relabels and deletes included), and they turn away
 * most pairs that share none, which is what they are for.
 */
class LabelSignaturesTest {

    private static final int UNIVERSAL = 99;

    private static boolean oracle(int[] a, int[] b) {
        if (a.length == 0 || contains(a, UNIVERSAL) || contains(b, UNIVERSAL)) {
            return true; // the linking rule: an unlabeled or universal vector passes through anything
        }
        return Arrays.stream(a).anyMatch(x -> contains(b, x));
    }

    private static boolean contains(int[] s, int x) {
        return Arrays.stream(s).anyMatch(y -> y == x);
    }

    private static int[] randomSet(Random r) {
        int kind = r.nextInt(20);
        if (kind == 0) {
            return new int[0];
        }
        if (kind == 1) {
            return new int[] {UNIVERSAL, r.nextInt(200)};
        }
        // Zipf-like: small labels far more common, as in the synthetic label files
        return LabelStore.normalize(r.ints(1 + r.nextInt(3), 0, 200).map(x -> x * x / 200).toArray());
    }

    @Test
    void summariesNeverRejectASharedLabelAndRejectMostOthers() {
        Random r = TestSeeds.random(5150);
        int n = 2000;
        int[][] sets = new int[n][];
        LabelStore store = new LabelStore(UNIVERSAL);
        for (int i = 0; i < n; i++) {
            sets[i] = LabelStore.normalize(randomSet(r));
            store.set(i, sets[i]);
        }
        // relabel a quarter, delete a tenth: the summaries follow
        for (int i = 0; i < n; i += 4) {
            sets[i] = LabelStore.normalize(randomSet(r));
            store.set(i, sets[i]);
        }
        for (int i = 1; i < n; i += 10) {
            sets[i] = new int[0];
            store.clear(i);
        }
        LabelLinkConstraint rule = new LabelLinkConstraint(store, 200);
        int notSharing = 0;
        int rejectedBySummary = 0;
        for (int t = 0; t < 50_000; t++) {
            int x = r.nextInt(n);
            int y = r.nextInt(n);
            boolean truth = oracle(sets[x], sets[y]);
            assertEquals(truth, rule.shares(x, y), "shares(" + x + " " + Arrays.toString(sets[x]) + ", " + y + " "
                    + Arrays.toString(sets[y]) + ")");
            boolean disjoint = LabelSignatures.disjoint(store.signature(x), store.signature(y));
            if (truth) {
                assertFalse(disjoint && sets[x].length > 0 && !contains(sets[x], UNIVERSAL),
                        "summaries rejected a sharing pair " + x + ", " + y);
            } else if (sets[y].length > 0) {
                notSharing++;
                rejectedBySummary += disjoint ? 1 : 0;
            }
        }
        assertTrue(rejectedBySummary > notSharing / 2, "summaries turned away " + rejectedBySummary + " of "
                + notSharing + " labeled pairs sharing nothing");
        assertEquals(0, store.signature(1), "a deleted id has no summary");
        assertEquals(0, store.signature(n + 5), "an id never labeled has none");
        assertEquals(LabelSignatures.UNIVERSAL, LabelSignatures.of(new int[] {3, UNIVERSAL}, UNIVERSAL));
    }
}
