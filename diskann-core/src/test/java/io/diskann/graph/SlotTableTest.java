package io.diskann.graph;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.diskann.testing.TestSeeds;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The id-to-slot lookups ({@link SlotTable#slotOf}, {@link SlotTable#slotsOf}) against a plain map through
 * inserts, updates, deletes, reclaims and restores: ids a build or load issued are looked up in an array,
 * later ones in the hash map, and the two must never disagree with what was published.
 */
class SlotTableTest {

    @Test
    void idToSlotLookupsFollowEveryMutation() {
        for (boolean restored : new boolean[] {false, true}) {
            Random r = TestSeeds.random(77 + (restored ? 1 : 0));
            int n = 500;
            SlotTable t = SlotTable.identity(n, 4 * n);
            Map<Integer, Integer> oracle = new HashMap<>();
            for (int i = 0; i < n; i++) {
                oracle.put(i, i);
            }
            List<Integer> ids = new ArrayList<>(oracle.keySet());
            for (int step = 0; step < 3_000; step++) {
                if (restored && step == 1_500) {
                    t = restore(t);
                }
                int op = r.nextInt(10);
                if (op < 3 && t.hasFreeSlot()) { // insert a fresh id
                    long reserved = t.reserve(-1);
                    int id = (int) (reserved >>> 32);
                    int slot = (int) reserved;
                    if (r.nextInt(8) == 0) {
                        t.abandon(slot);
                    } else {
                        t.publish(slot, false);
                        oracle.put(id, slot);
                        ids.add(id);
                    }
                } else if (op < 6 && !ids.isEmpty() && t.hasFreeSlot()) { // update: a new slot for an existing id
                    int id = ids.get(r.nextInt(ids.size()));
                    long reserved = t.reserveReplacement(id);
                    int slot = (int) reserved;
                    t.publish(slot, true);
                    oracle.put(id, slot);
                } else if (op < 9 && !ids.isEmpty()) { // delete
                    int id = ids.remove(r.nextInt(ids.size()));
                    assertEquals(oracle.remove(id).intValue(), t.delete(id));
                } else {
                    t.reclaimDeleted();
                }
                if (step % 100 == 0) {
                    check(t, oracle);
                }
            }
            check(t, oracle);
        }
    }

    /** A table rebuilt from its per-slot states and labels, as a load does. */
    private static SlotTable restore(SlotTable t) {
        int hw = t.highWater();
        int[] states = new int[hw];
        int[] labels = new int[hw];
        for (int s = 0; s < hw; s++) {
            states[s] = t.state(s);
            labels[s] = t.labelOf(s);
        }
        return SlotTable.restore(states, labels, hw, t.nextLabel(), t.capacity());
    }

    private static void check(SlotTable t, Map<Integer, Integer> oracle) {
        int bound = t.nextLabel() + 3;
        int[] all = new int[bound + 1];
        int[] expect = new int[bound + 1];
        for (int id = -1; id < bound; id++) {
            int want = oracle.getOrDefault(id, -1);
            assertEquals(want, t.slotOf(id), "slot of id " + id);
            all[id + 1] = id;
            expect[id + 1] = want;
        }
        int[] out = new int[all.length];
        t.slotsOf(all, 0, all.length, out);
        assertArrayEquals(expect, out);
    }
}
