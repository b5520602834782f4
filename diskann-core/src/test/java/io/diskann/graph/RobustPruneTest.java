package io.diskann.graph;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import io.diskann.vector.Metric;
import io.diskann.vector.QueryScorer;
import io.diskann.vector.VectorStore;
import io.diskann.vector.VectorType;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** Robust prune on hand-made 2-D configurations whose correct neighbour lists can be worked out by hand. */
class RobustPruneTest {

    /** Points: 0 = p at the origin; the rest are candidates. */
    private static final float[][] POINTS = {
        {0, 0},       // 0: p
        {1, 0},       // 1: a, d(p)=1
        {2, 0.1f},    // 2: b, behind a: d(p)=4.01, d(a)=1.01 -> occluded by a at alpha 1 and 1.2
        {0, 1.5f},    // 3: c, orthogonal: d(p)=2.25, d(a)=3.25 -> kept
        {-1.6f, 0},   // 4: e, opposite side: d(p)=2.56, d(a)=6.76, d(c)=4.81 -> kept
        {1.3f, 1.3f}, // 5: f, between a and c: d(p)=3.38, d(a)=1.78 (ratio 1.9), d(c)=1.73 -> occluded
    };

    private static int[] prune(float alpha, int r, boolean saturate) {
        VectorStore store = VectorStore.create(VectorType.F32, 2, POINTS.length);
        for (int i = 0; i < POINTS.length; i++) {
            store.set(i, POINTS[i]);
        }
        QueryScorer toP = store.scorer(Metric.L2);
        toP.setQueryToStored(0);
        RobustPrune prune = new RobustPrune(Metric.L2, store.scorer(Metric.L2));
        // offered out of order, with a duplicate and p itself: prune sorts, de-duplicates and drops self
        for (int id : new int[] {5, 2, 0, 3, 1, 4, 3}) {
            prune.add(id, toP.score(id));
        }
        int[] out = new int[r];
        int n = prune.prune(0, r, alpha, 750, saturate, out);
        return Arrays.copyOf(out, n);
    }

    @Test
    void keepsDiverseNeighboursClosestFirst() {
        assertArrayEquals(new int[] {1, 3, 4}, prune(1.0f, 8, false));
    }

    @Test
    void degreeBoundKeepsTheClosest() {
        assertArrayEquals(new int[] {1}, prune(1.2f, 1, false));
        assertArrayEquals(new int[] {1, 3}, prune(1.2f, 2, false));
    }

    @Test
    void largerAlphaKeepsMoreLongEdges() {
        // at alpha 2: f's ratio to a is 3.38/1.78 = 1.9 <= 2 and to c 3.38/1.73 = 1.95 <= 2 -> kept;
        // b's ratio 4.01/1.01 = 3.97 -> still occluded
        assertArrayEquals(new int[] {1, 3, 4, 5}, prune(2.0f, 8, false));
    }

    @Test
    void saturationFillsFreeSlotsWithOccludedCandidates() {
        assertArrayEquals(new int[] {1, 3, 4, 5, 2}, prune(1.0f, 8, true));
        assertArrayEquals(new int[] {1, 3, 4, 5}, prune(1.0f, 4, true));
    }

    @Test
    void innerProductRuleOccludesCandidatesCloserToAKeptNeighbour() {
        // p = (1,0); candidates x = (2,0) (dot 2), y = (1.9, 0.1) (dot 1.9), z = (0, 3) (dot 0).
        // distances are -dot. After keeping x: y is occluded because x.y = 3.8 > alpha * p.y = 1.9;
        // z is kept because x.z = 0 is not > 0.
        VectorStore store = VectorStore.create(VectorType.F32, 2, 4);
        store.set(0, new float[] {1, 0});
        store.set(1, new float[] {2, 0});
        store.set(2, new float[] {1.9f, 0.1f});
        store.set(3, new float[] {0, 3});
        QueryScorer toP = store.scorer(Metric.INNER_PRODUCT);
        toP.setQueryToStored(0);
        RobustPrune prune = new RobustPrune(Metric.INNER_PRODUCT, store.scorer(Metric.INNER_PRODUCT));
        for (int id = 1; id <= 3; id++) {
            prune.add(id, toP.score(id));
        }
        int[] out = new int[4];
        int n = prune.prune(0, 4, 1.0f, 750, false, out);
        assertArrayEquals(new int[] {1, 3}, Arrays.copyOf(out, n));
        // As in DiskANN, the rule marks y with eps = alpha_cur + 0.01, so the next, larger alpha round
        // (1.2) admits it again when slots remain.
        prune.clear();
        for (int id = 1; id <= 3; id++) {
            prune.add(id, toP.score(id));
        }
        n = prune.prune(0, 4, 1.2f, 750, false, out);
        assertArrayEquals(new int[] {1, 3, 2}, Arrays.copyOf(out, n));
    }
}
