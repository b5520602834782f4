package io.diskann.graph;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The check a back edge's re-prune makes before writing back: is the list still the one it pruned? */
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
}
