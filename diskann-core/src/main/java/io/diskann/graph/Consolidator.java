package io.diskann.graph;

import io.diskann.util.Workers;
import io.diskann.vector.Metric;
import io.diskann.vector.VectorStore;

/**
 * FreshDiskANN's {@code consolidate_deletes}: every live node with deleted out-neighbours gets as
 * candidates its live neighbours plus the live neighbours of its deleted neighbours, robust-pruned to R;
 * then the deleted nodes' lists are cleared and their slots freed, and if the start point was deleted a
 * new one is chosen (the live node nearest the centroid of the live nodes).
 *
 * <p>Two phases ({@link IndexMutations#consolidate} holds the locks): {@link #repair} runs in parallel on
 * the index's build threads while searches continue and mutations wait; {@link #free} runs under the
 * exclusive lock, briefly, so a slot is freed only when no running search can still be standing on it.
 */
final class Consolidator {

    private static final int[] EMPTY = new int[0];

    private final VectorStore vectors;
    private final Metric metric;
    private final VamanaParams params;
    private final Adjacency graph;
    private final SlotTable slots;
    private final GraphLinker linker;

    Consolidator(VectorStore vectors, Metric metric, VamanaParams params, Adjacency graph, SlotTable slots,
                 GraphLinker linker) {
        this.vectors = vectors;
        this.metric = metric;
        this.params = params;
        this.graph = graph;
        this.slots = slots;
        this.linker = linker;
    }

    /**
     * Phase 1, the long one: rewires every live node around its deleted neighbours, in parallel, and
     * returns the start point to use afterwards ({@code start} if it is live, else the live node nearest
     * the centroid of the live nodes; -1 if none remains). Searches may run meanwhile (they read lists
     * while they are replaced, as they do during inserts); the caller keeps every mutation out, so the
     * sets of live and deleted nodes do not change until {@link #free} has run.
     */
    int repair(int start) {
        int highWater = slots.highWater();
        int threads = Math.max(1, Math.min(params.threads(), highWater / 256 + 1));
        int candidateRoom = params.maxCandidates() + graph.maxDegree() + 1;
        Workers.forEach("diskann-consolidate", threads, highWater, 64,
                () -> new RepairScratch(linker.newScratch(highWater), new int[candidateRoom],
                        new int[graph.maxDegree() + 1]),
                (s, p) -> {
                    if (slots.isLive(p)) {
                        repair(s.linking(), p, s.candidates(), s.neighbours());
                    }
                });
        return start >= 0 && slots.isLive(start) ? start : Medoid.of(vectors, highWater, slots::isLive, metric, threads);
    }

    /**
     * Phase 2, short: clears the deleted nodes' lists and frees their slots. The caller holds the
     * exclusive lock, so no search that could still reach a deleted node is running: once this returns,
     * nothing links to the freed slots and they may be reused.
     */
    void free() {
        int highWater = slots.highWater();
        for (int p = 0; p < highWater; p++) {
            if (slots.isDeleted(p)) {
                graph.set(p, EMPTY, 0);
            }
        }
        slots.reclaimDeleted();
    }

    private record RepairScratch(GraphLinker.Scratch linking, int[] candidates, int[] neighbours) {
    }

    /** Rewires {@code p} around its deleted neighbours. */
    private void repair(GraphLinker.Scratch s, int p, int[] candidates, int[] nbBuffer) {
        int degree = graph.copy(p, s.buffer);
        boolean touched = false;
        for (int i = 0; i < degree; i++) {
            if (!slots.isLive(s.buffer[i])) {
                touched = true;
                break;
            }
        }
        if (!touched) {
            return;
        }
        int n = 0;
        int cap = candidates.length;
        for (int i = 0; i < degree && n < cap; i++) {
            int nb = s.buffer[i];
            if (slots.isLive(nb)) {
                candidates[n++] = nb;
            } else if (slots.isDeleted(nb)) {
                int d2 = graph.copy(nb, nbBuffer);
                for (int j = 0; j < d2 && n < cap; j++) {
                    int c = nbBuffer[j];
                    if (c != p && slots.isLive(c)) {
                        candidates[n++] = c;
                    }
                }
            }
        }
        int kept = linker.prune(s, p, candidates, n, s.out);
        graph.set(p, s.out, kept);
    }
}
