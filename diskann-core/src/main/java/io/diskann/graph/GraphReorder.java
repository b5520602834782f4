package io.diskann.graph;

import java.util.Arrays;

/**
 * Renumbers an index's slots so that nodes a search meets together sit together in memory: breadth-first
 * from the start point, each node's neighbours numbered right after one another (the "BFS" order of
 * Coleman et al., "Graph Reordering for Cache-Efficient Near Neighbor Search", NeurIPS 2022). Ids do not
 * change: the slot table maps them to their new slots.
 *
 * <p>Why: a search's time is mostly memory stalls on candidates' rows (half of it on Fashion-MNIST,
 * async-profiler), and in insertion order a node's neighbours are scattered over the whole store; in BFS
 * order they tend to share pages (TLB) and DRAM rows, and the next hops' rows are near.
 */
final class GraphReorder {

    private GraphReorder() {
    }

    /**
     * The new order: {@code order[newSlot] = oldSlot} for slots below {@code count}. Live slots reached from
     * {@code start} come first, in BFS order; then every other slot (unreached, deleted, free) in its
     * current order.
     */
    static int[] bfsOrder(Adjacency graph, SlotTable slots, int count, int start) {
        int[] order = new int[count];
        boolean[] placed = new boolean[count];
        int[] buf = new int[graph.maxDegree()];
        int n = 0;
        if (start >= 0 && start < count) {
            order[n++] = start;
            placed[start] = true;
        }
        for (int head = 0; head < n; head++) {
            int d = graph.copy(order[head], buf);
            for (int i = 0; i < d; i++) {
                int v = buf[i];
                if (v >= 0 && v < count && !placed[v] && slots.isLive(v)) {
                    placed[v] = true;
                    order[n++] = v;
                }
            }
        }
        for (int s = 0; s < count; s++) {
            if (!placed[s]) {
                order[n++] = s;
            }
        }
        return order;
    }

    /** {@code newSlot[oldSlot]} for {@link #bfsOrder}'s {@code order}. */
    static int[] inverse(int[] order) {
        int[] inv = new int[order.length];
        Arrays.fill(inv, -1);
        for (int j = 0; j < order.length; j++) {
            inv[order[j]] = j;
        }
        return inv;
    }

    /**
     * Applies {@code order} to every per-slot structure of {@code state}: vectors, adjacency, slot table,
     * companions (codes), start point; the inner-product augmentation and entry points are recomputed.
     * The caller holds both locks exclusively.
     */
    static void apply(GraphState state, int[] order) {
        apply(state, order, true);
    }

    /**
     * As {@link #apply(GraphState, int[])}; {@code graphBuilt} false (a layout before the build) skips what
     * needs a graph: the inner-product augmentation and the entry points.
     */
    static void apply(GraphState state, int[] order, boolean graphBuilt) {
        int count = order.length;
        int[] newSlot = inverse(order);
        state.dropStartSamples(); // the sampled slots' rows move
        state.vectors.rows().permute(order, count);
        state.graph.permute(order, newSlot, count);
        SlotTable old = state.slots;
        int[] states = new int[count];
        int[] labels = new int[count];
        for (int j = 0; j < count; j++) {
            int st = old.state(order[j]);
            boolean used = st == SlotTable.LIVE || st == SlotTable.DELETED;
            states[j] = used ? st : SlotTable.FREE;
            labels[j] = used ? old.labelOf(order[j]) : -1;
        }
        state.slots = SlotTable.restore(states, labels, count, old.nextLabel(), old.capacity());
        state.reorderCompanions(order, count);
        state.linker = null; // its slot table is the old one; made again on the next insert
        state.setStart(state.start >= 0 ? newSlot[state.start] : -1);
        if (graphBuilt) {
            if (state.mips != null) {
                state.mips = MipsBuildScorer.Augmentation.of(state.vectors, count);
            }
            state.chooseEntryPoints();
        }
    }
}
