package io.diskann.filter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.diskann.testing.TestSeeds;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The label summaries behind the build's "shares a label" and occlusion tests ({@link LabelSignatures}): both
 * tests answer as the label arrays do whatever the summaries' form (exact sets of up to three labels, hashed
 * bits for more labels or labels past the inline limit; universal and unlabeled ids, relabels and deletes
 * included), the summaries alone answer most of them, which is what they are for, and an exact summary never
 * needs the arrays.
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
        if (kind == 2) {
            return new int[] {r.nextInt(200), LabelSignatures.INLINE_LIMIT + r.nextInt(3)}; // past the inline limit
        }
        // Zipf-like: small labels far more common, as in the synthetic label files; one set in five has 4-6
        int size = kind < 6 ? 4 + r.nextInt(3) : 1 + r.nextInt(3);
        return LabelStore.normalize(r.ints(size, 0, 200).map(x -> x * x / 200).toArray());
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
        int tests = 0;
        int answeredBySummary = 0;
        for (int t = 0; t < 50_000; t++) {
            int x = r.nextInt(n);
            int y = r.nextInt(n);
            boolean truth = oracle(sets[x], sets[y]);
            assertEquals(truth, rule.shares(x, y), "shares(" + x + " " + Arrays.toString(sets[x]) + ", " + y + " "
                    + Arrays.toString(sets[y]) + ")");
            long sx = store.signature(x);
            long sy = store.signature(y);
            int answer = LabelSignatures.shares(sx, sy);
            if (answer >= 0 && sx != LabelSignatures.NONE) {
                assertEquals(truth, answer == 1, "summaries answered wrongly for " + x + ", " + y);
            }
            if (sx > 0 && sy > 0) {
                assertTrue(answer >= 0, "two exact summaries always answer");
            }
            if (!truth && sets[y].length > 0) {
                notSharing++;
                rejectedBySummary += answer == 0 ? 1 : 0;
            }
            int z = r.nextInt(n);
            boolean occludes = occlusionOracle(sets[x], sets[y], sets[z]);
            assertEquals(occludes, rule.mayOcclude(x, y, z), "mayOcclude(" + Arrays.toString(sets[x]) + ", occluder "
                    + Arrays.toString(sets[y]) + ", candidate " + Arrays.toString(sets[z]) + ")");
            if (sx != LabelSignatures.NONE && sx != 0) {
                long sz = store.signature(z);
                int o = LabelSignatures.mayOcclude(sx, sy, sz);
                tests++;
                if (sx > 0 && sy > 0 && sz > 0) {
                    assertTrue(o >= 0, "three exact summaries always answer");
                }
                if (o >= 0) {
                    answeredBySummary++;
                    assertEquals(occludes, o == 1, "summaries answered the occlusion wrongly");
                }
            }
        }
        assertTrue(rejectedBySummary > notSharing * 3 / 4, "summaries turned away " + rejectedBySummary + " of "
                + notSharing + " labeled pairs sharing nothing");
        assertTrue(answeredBySummary > tests * 2 / 5, "summaries answered " + answeredBySummary + " of " + tests
                + " occlusion tests");
        assertEquals(0, store.signature(1), "a deleted id has no summary");
        assertEquals(0, store.signature(n + 5), "an id never labeled has none");
        assertEquals(LabelSignatures.UNIVERSAL, LabelSignatures.of(new int[] {3, UNIVERSAL}, UNIVERSAL));
        assertEquals(LabelSignatures.NONE, LabelSignatures.of(new int[0], UNIVERSAL));
        assertTrue(LabelSignatures.of(new int[] {0, 7, LabelSignatures.INLINE_LIMIT - 1}, UNIVERSAL) > 0, "exact");
        assertTrue(LabelSignatures.of(new int[] {0, 7, 9, 11}, UNIVERSAL) < 0, "four labels: summarized");
        int[] many = java.util.stream.IntStream.range(0, 1000).filter(l -> l != UNIVERSAL).toArray();
        long all = LabelSignatures.of(many, UNIVERSAL);
        assertTrue(all != LabelSignatures.UNIVERSAL, "an id with every hash bit set is not universal");
        assertEquals(-1, LabelSignatures.shares(all, LabelSignatures.of(new int[] {5000, 6000, 7000, 8000}, UNIVERSAL)),
                "an id with 999 labels and one with four others: the arrays must tell");
        assertEquals(0, LabelSignatures.shares(all, LabelSignatures.NONE));
    }

    /** Filtered-Vamana's occlusion rule on the arrays: every label node and candidate share is the occluder's. */
    private static boolean occlusionOracle(int[] node, int[] occluder, int[] candidate) {
        if (node.length == 0 || contains(occluder, UNIVERSAL)) {
            return true;
        }
        boolean nodeAll = contains(node, UNIVERSAL);
        boolean candAll = contains(candidate, UNIVERSAL);
        int[] a = nodeAll ? candidate : node;
        int[] b = candAll || nodeAll ? a : candidate;
        return Arrays.stream(a).filter(l -> l != UNIVERSAL && contains(b, l)).allMatch(l -> contains(occluder, l));
    }
}
