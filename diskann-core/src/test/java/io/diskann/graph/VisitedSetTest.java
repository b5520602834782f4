package io.diskann.graph;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.diskann.testing.TestSeeds;
import java.util.HashSet;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The visited set against a {@link HashSet} oracle, query after query: small and large visit counts (the
 * dense mode clears only the words it set, or all of them past an eighth), growth of the bound, and the
 * sparse mode of very large graphs.
 */
class VisitedSetTest {

    @Test
    void denseModeMatchesAHashSetAcrossClears() {
        Random random = TestSeeds.random(0x715L);
        for (int bound : new int[] {1, 3, 63, 64, 65, 1000, 100_000}) {
            replay(new VisitedSet(bound), bound, random, 40);
        }
    }

    @Test
    void aGrownBoundForgetsEarlierVisits() {
        Random random = TestSeeds.random(0x716L);
        VisitedSet set = new VisitedSet(100);
        for (int i = 0; i < 100; i++) {
            set.visit(i);
        }
        set.clear(10_000); // grows: ids up to 9,999 are valid now, nothing is visited
        for (int i = 0; i < 10_000; i++) {
            assertEquals(false, set.contains(i), "id " + i + " after growing");
        }
        replay(set, 10_000, random, 20);
    }

    @Test
    void sparseModeMatchesAHashSetAcrossClears() {
        Random random = TestSeeds.random(0x717L);
        int bound = VisitedSet.DENSE_LIMIT + 1000;
        replay(new VisitedSet(bound), bound, random, 20);
    }

    /** Queries of random sizes (from a handful of ids to more than the dense mode's dirty list holds). */
    private static void replay(VisitedSet set, int bound, Random random, int queries) {
        for (int q = 0; q < queries; q++) {
            set.clear(bound);
            Set<Integer> oracle = new HashSet<>();
            int visits = switch (q % 4) {
                case 0 -> 1 + random.nextInt(8);
                case 1 -> 1 + random.nextInt(Math.max(1, bound / 100 + 1));
                case 2 -> 1 + random.nextInt(bound + 1);
                default -> 2 * bound;
            };
            visits = Math.min(visits, 200_000);
            // a narrow range first, so ids collide and words fill, then anywhere
            int range = q % 2 == 0 ? Math.min(bound, 200) : bound;
            for (int i = 0; i < visits; i++) {
                int id = random.nextInt(range);
                boolean expectedNew = oracle.add(id);
                if (random.nextBoolean()) {
                    assertEquals(!expectedNew, set.contains(id), "contains(" + id + "), bound " + bound);
                }
                assertEquals(expectedNew, set.visit(id), "visit(" + id + "), bound " + bound + ", query " + q);
            }
            for (int i = 0; i < 50; i++) {
                int id = random.nextInt(bound);
                assertEquals(oracle.contains(id), set.contains(id), "contains(" + id + ") after the query");
            }
        }
    }
}
