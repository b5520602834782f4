package io.diskann.filter;

import static org.junit.jupiter.api.Assertions.assertTrue;

/** Test check shared by the label-aware build tests: every carrier is reachable from its label's start point. */
final class LabelReachability {

    private LabelReachability() {
    }

    /**
     * A filtered search for a label walks its carriers from the label's start point: the build must leave every
     * carrier reachable that way (the orphan repair gives each one an edge in), or no filtered search returns it.
     * Labels sharing their start point with another label are skipped: the repair walks their carriers together.
     */
    static void assertEveryCarrierReachable(LabeledIndex li, int[][] labels, FilterBuild mode) {
        int[] pairs = li.linkConstraint().startPairs();
        java.util.Map<Integer, Integer> labelsPerStart = new java.util.HashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            labelsPerStart.merge(pairs[i + 1], 1, Integer::sum);
        }
        int checked = 0;
        for (int i = 0; i < pairs.length; i += 2) {
            int label = pairs[i];
            int start = pairs[i + 1];
            if (labelsPerStart.get(start) > 1) {
                continue;
            }
            java.util.function.IntPredicate carries = id -> java.util.Arrays.stream(labels[id]).anyMatch(l -> l == label);
            java.util.BitSet seen = new java.util.BitSet(labels.length);
            java.util.ArrayDeque<Integer> queue = new java.util.ArrayDeque<>(java.util.List.of(start));
            seen.set(start);
            while (!queue.isEmpty()) {
                for (int t : li.index().neighbors(queue.poll())) {
                    if (!seen.get(t) && carries.test(t)) {
                        seen.set(t);
                        queue.add(t);
                    }
                }
            }
            for (int id = 0; id < labels.length; id++) {
                if (carries.test(id)) {
                    assertTrue(seen.get(id), mode + ": carrier " + id + " of label " + label
                            + " unreachable from the label's start " + start);
                }
            }
            checked++;
        }
        assertTrue(checked >= pairs.length / 4, mode + ": only " + checked + " labels have a start of their own");
    }
}
