package io.diskann.graph;

import io.diskann.vector.Metric;
import io.diskann.vector.QueryScorer;
import io.diskann.vector.VectorStore;
import java.util.SplittableRandom;

/**
 * Extra entry points for inner-product searches: for a few directions taken from the data itself, the
 * vector with the largest inner product in that direction.
 *
 * <p>Why: an inner-product index is built over the MIPS-to-L2 reduction ({@link MipsBuildScorer}), where
 * every data point sits on a sphere but a query sits inside it. Greedy search from a single start point
 * then sometimes settles in the wrong region: on all-positive, clustered u8 data about 3% of queries
 * found none of their true top 10 at L=100, while the others found nearly all. The answers to maximum
 * inner product queries lie on the outside of the data (points that are the maximum in some direction),
 * so seeding the search list with the maxima of a spread of directions puts the search in the right
 * region from the first hop, for the price of a few extra distance computations per query.
 *
 * <p>Directions are data vectors drawn with a fixed seed, so the same index always chooses the same
 * points; choosing costs {@code count x directions} inner products (about a second at 1M x 128) and is
 * repeated after consolidation, at load, and when inserts have doubled the index. Many directions share a
 * maximum, so the set is small (duplicates are dropped). Measured on the u8 test data (20k x 64, 40
 * clusters, recall@10 at L=100): one start point 0.94-0.96 with 2-7 of 200 queries at recall 0; 32
 * directions 0.95-0.97; 128 directions 0.995-0.998 and no query below 0.5; 512 no better. The number of
 * directions is {@link VamanaParams#ipEntryDirections} (0 turns the extra entries off).
 */
final class MipsEntryPoints {

    private MipsEntryPoints() {
    }

    /**
     * Chooses entry points among live slots {@code 0..count-1} from {@code directions} data directions
     * (duplicates collapse, so there may be fewer); {@code live} may be null when every slot below
     * {@code count} is live. Returns an empty array when there is nothing to choose from.
     */
    static int[] choose(VectorStore vectors, int count, SlotTable live, int directions, long seed) {
        directions = Math.min(directions, count);
        if (directions <= 0) {
            return new int[0];
        }
        SplittableRandom random = new SplittableRandom(seed);
        QueryScorer dot = vectors.scorer(Metric.INNER_PRODUCT);
        int[] chosen = new int[directions];
        int found = 0;
        for (int d = 0; d < directions; d++) {
            int direction = -1;
            for (int attempt = 0; attempt < 16 && direction < 0; attempt++) {
                int candidate = random.nextInt(count);
                if (live == null || live.isLive(candidate)) {
                    direction = candidate;
                }
            }
            if (direction < 0) {
                continue;
            }
            dot.setQueryToStored(direction);
            int best = -1;
            float bestScore = Float.POSITIVE_INFINITY;
            for (int i = 0; i < count; i++) {
                if (live == null || live.isLive(i)) {
                    float s = dot.score(i); // -q.x: smaller is a larger inner product
                    if (s < bestScore) {
                        bestScore = s;
                        best = i;
                    }
                }
            }
            if (best >= 0 && !contains(chosen, found, best)) {
                chosen[found++] = best;
            }
        }
        return java.util.Arrays.copyOf(chosen, found);
    }

    private static boolean contains(int[] a, int n, int v) {
        for (int i = 0; i < n; i++) {
            if (a[i] == v) {
                return true;
            }
        }
        return false;
    }
}
