package io.diskann.graph;

import io.diskann.vector.Metric;
import io.diskann.vector.QueryScorer;
import java.util.Arrays;

/**
 * DiskANN's RobustPrune (the {@code occlude_list} step of Vamana), with reusable scratch.
 *
 * <p>Given a node {@code p} and candidates sorted by distance to {@code p}, it keeps at most {@code R}
 * neighbours that are diverse: a candidate {@code c} is dropped ("occluded") once some kept neighbour
 * {@code s} is much closer to it than {@code p} is, i.e. when {@code d(p,c) / d(s,c) > alpha}. The ratio
 * bound starts at 1 and is raised by a factor of 1.2 per round up to {@code alpha}, as in DiskANN, so the
 * closest, most diverse neighbours are chosen first and long-range edges fill the remaining slots.
 *
 * <ul>
 *   <li>At most {@code maxc} candidates (DiskANN: 750) are considered.</li>
 *   <li>For {@link Metric#INNER_PRODUCT}, where distances are negative dot products and ratios are
 *       meaningless, DiskANN's rule is used: {@code c} is occluded by {@code s} when
 *       {@code -d(s,c) > alpha_cur * -d(p,c)}.</li>
 *   <li>With {@code saturate}, slots still free after the last round are filled with the closest
 *       remaining candidates (DiskANN's {@code saturate_graph}).</li>
 * </ul>
 * Distances between candidates come from a {@link QueryScorer} re-pointed at each kept neighbour, so only
 * the kept ones (at most R) are decoded. One instance per thread.
 */
final class RobustPrune {

    private static final float ALPHA_STEP = 1.2f;

    /** Limits which kept neighbour may occlude which candidate (Filtered-Vamana); null: any may. */
    interface OcclusionGuard {
        boolean mayOcclude(int occluder, int candidate);
    }

    private final Metric metric;
    private final QueryScorer pairScorer;
    /** Set by the caller around a prune, null otherwise. */
    OcclusionGuard guard;
    private int[] ids = new int[64];
    private float[] dists = new float[64];
    private float[] occlusion = new float[64];
    private long[] sortBuffer = new long[64];
    private int size;

    RobustPrune(Metric metric, QueryScorer pairScorer) {
        this.metric = metric;
        this.pairScorer = pairScorer;
    }

    /** Starts a new candidate pool. */
    void clear() {
        size = 0;
    }

    /** Adds a candidate with its distance to the node being pruned. Duplicates are removed by {@link #prune}. */
    void add(int id, float distance) {
        if (size == ids.length) {
            int n = size * 2;
            ids = Arrays.copyOf(ids, n);
            dists = Arrays.copyOf(dists, n);
            occlusion = Arrays.copyOf(occlusion, n);
            sortBuffer = Arrays.copyOf(sortBuffer, n);
        }
        ids[size] = id;
        dists[size] = distance;
        size++;
    }

    /**
     * Prunes the pool for node {@code self}.
     *
     * @param out receives the kept neighbour ids, closest first
     * @return how many were kept (at most {@code maxDegree})
     */
    int prune(int self, int maxDegree, float alpha, int maxCandidates, boolean saturate, int[] out) {
        sortAndDeduplicate(self);
        int n = Math.min(size, maxCandidates);
        Arrays.fill(occlusion, 0, n, 0f);
        int kept = 0;
        float curAlpha = 1f;
        while (curAlpha <= alpha && kept < maxDegree) {
            float eps = curAlpha + 0.01f;
            for (int i = 0; i < n && kept < maxDegree; i++) {
                if (occlusion[i] > curAlpha) {
                    continue;
                }
                occlusion[i] = Float.MAX_VALUE;
                out[kept++] = ids[i];
                if (kept == maxDegree) {
                    break; // the list is full: no later candidate's occlusion is read again
                }
                pairScorer.setQueryToStored(ids[i]);
                OcclusionGuard g = guard;
                for (int j = i + 1; j < n; j++) {
                    if (occlusion[j] > alpha || (g != null && !g.mayOcclude(ids[i], ids[j]))) {
                        continue;
                    }
                    float djk = pairScorer.score(ids[j]);
                    if (metric == Metric.INNER_PRODUCT) {
                        if (-djk > curAlpha * -dists[j]) {
                            occlusion[j] = Math.max(occlusion[j], eps);
                        }
                    } else {
                        occlusion[j] = djk <= 0f ? Float.MAX_VALUE : Math.max(occlusion[j], dists[j] / djk);
                    }
                }
            }
            if (curAlpha == alpha) {
                break;
            }
            curAlpha = Math.min(alpha, curAlpha * ALPHA_STEP);
        }
        if (saturate && kept < maxDegree) {
            for (int i = 0; i < n && kept < maxDegree; i++) {
                if (occlusion[i] != Float.MAX_VALUE) {
                    occlusion[i] = Float.MAX_VALUE;
                    out[kept++] = ids[i];
                }
            }
        }
        return kept;
    }

    /**
     * Sorts candidates by distance (ties by id) and drops {@code self} and duplicates. A duplicate id always
     * carries the same distance (same pair of stored vectors, same kernel), so duplicates end up adjacent.
     */
    private void sortAndDeduplicate(int self) {
        for (int i = 0; i < size; i++) {
            sortBuffer[i] = ((long) NeighborQueue.sortableBits(dists[i]) << 32) | (ids[i] & 0xFFFFFFFFL);
        }
        Arrays.sort(sortBuffer, 0, size);
        int w = 0;
        int lastId = -1;
        for (int i = 0; i < size; i++) {
            int id = (int) sortBuffer[i];
            if (id == self || (w > 0 && id == lastId)) {
                continue;
            }
            ids[w] = id;
            dists[w] = NeighborQueue.fromSortableBits((int) (sortBuffer[i] >> 32));
            lastId = id;
            w++;
        }
        size = w;
    }
}
