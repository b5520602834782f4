package io.diskann.graph;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * The check a back edge's re-prune makes before writing back (is the list still the one it pruned?) and
 * the in-place renumbering against a copy-based reference.
 */
class AdjacencyTest {

    @Test
    void sameAsSeesEveryChangeAnotherThreadCouldMake() {
        Adjacency a = new Adjacency(4, 6);
        int[] list = {3, 1, 2};
        a.set(0, list, 3);
        assertTrue(a.sameAs(0, list, 3));
        assertFalse(a.sameAs(0, list, 2), "a shorter copy");
        assertTrue(a.tryAppend(0, 0));
        assertFalse(a.sameAs(0, list, 3), "an edge appended meanwhile");
        a.set(0, new int[] {1, 3, 2}, 3);
        assertFalse(a.sameAs(0, list, 3), "the same ids written back by another prune, in another order");
        a.set(0, new int[] {3, 1, 0}, 3);
        assertFalse(a.sameAs(0, list, 3), "another prune's result of the same length");
        a.set(0, list, 0);
        assertTrue(a.sameAs(0, new int[0], 0), "empty lists");
        assertFalse(a.sameAs(1, list, 1), "another node's list");
    }

    @Test
    void permuteInPlaceMatchesACopyBasedRenumbering() {
        for (int count : new int[] {1, 2, 3, 17, 64, 65, 1000}) {
            java.util.Random random = io.diskann.testing.TestSeeds.random(400 + count);
            int maxDegree = 5;
            Adjacency a = new Adjacency(count + 3, maxDegree); // capacity beyond count is left alone
            int[][] before = new int[count][];
            for (int v = 0; v < count; v++) {
                int d = random.nextInt(maxDegree + 1);
                before[v] = random.ints(d, 0, count).toArray();
                a.set(v, before[v], d);
            }
            a.set(count, new int[] {0, 1}, 2);
            int[] order = random.ints(0, count).distinct().limit(count).toArray(); // a random permutation
            if (count == 65) {
                java.util.Arrays.setAll(order, i -> i); // every node a cycle of its own
            }
            int[] newId = new int[count];
            for (int j = 0; j < count; j++) {
                newId[order[j]] = j;
            }
            a.permute(order, newId, count);
            int[] out = new int[maxDegree];
            for (int j = 0; j < count; j++) {
                int[] old = before[order[j]];
                int d = a.copy(j, out);
                assertEquals(old.length, d, "degree of " + j + " at " + count);
                for (int t = 0; t < d; t++) {
                    assertEquals(newId[old[t]], out[t], "neighbour " + t + " of " + j + " at " + count);
                }
            }
            assertEquals(2, a.copy(count, out), "a node past count is not moved");
        }
    }
}
