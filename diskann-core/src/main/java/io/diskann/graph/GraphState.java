package io.diskann.graph;

import io.diskann.vector.Metric;
import io.diskann.vector.VectorStore;
import io.diskann.vector.VectorType;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * Everything an index is made of, shared by the search, mutation and file code: vectors, adjacency,
 * slot table, start point, construction parameters, and the lock that orders them.
 *
 * <p>The lock: searches, inserts, deletes and updates hold the read lock (they run concurrently with
 * each other, coordinating per node through {@link Adjacency#lockFor} and through {@link SlotTable});
 * growing the arrays, consolidating and saving hold the write lock (nothing else runs meanwhile).
 */
final class GraphState {

    final int dimensions;
    final Metric metric;
    final VectorType type;
    final VamanaParams params;
    final VectorStore vectors;
    final Adjacency graph;
    final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
    volatile SlotTable slots;
    volatile int start;
    /** Set for inner-product indexes once construction or the first insert needs it. */
    volatile MipsBuildScorer.Augmentation mips;
    volatile GraphLinker linker;
    /** Extra search entry points of inner-product indexes ({@link MipsEntryPoints}); empty otherwise. */
    volatile int[] entryPoints = new int[0];
    /** Live count when {@link #entryPoints} were last chosen. */
    private int entryPointsChosenAt;

    GraphState(int dimensions, Metric metric, VectorType type, VamanaParams params, VectorStore vectors,
               Adjacency graph, SlotTable slots, int start) {
        this.dimensions = dimensions;
        this.metric = metric;
        this.type = type;
        this.params = params;
        this.vectors = vectors;
        this.graph = graph;
        this.slots = slots;
        this.start = start;
    }

    /** The linker for inserts and consolidation, created (with the MIPS augmentation if needed) on first use. */
    GraphLinker linker() {
        GraphLinker l = linker;
        if (l == null) {
            synchronized (this) {
                l = linker;
                if (l == null) {
                    if (metric == Metric.INNER_PRODUCT && mips == null) {
                        mips = MipsBuildScorer.Augmentation.of(vectors, slots.highWater());
                    }
                    l = new GraphLinker(vectors, metric, params, graph, mips, slots);
                    linker = l;
                }
            }
        }
        return l;
    }

    /**
     * Re-chooses the inner-product entry points over the live slots (no-op for other metrics). Callers
     * hold the write lock, or the read lock (slots may be added meanwhile; the choice stays valid because
     * slots are only freed under the write lock).
     */
    synchronized void chooseEntryPoints() {
        if (metric != Metric.INNER_PRODUCT) {
            return;
        }
        SlotTable s = slots;
        entryPoints = MipsEntryPoints.choose(vectors, s.highWater(), s, 0x5EEDL);
        entryPointsChosenAt = s.liveCount();
    }

    /** Re-chooses entry points once inserts have doubled the live count since the last choice. */
    void refreshEntryPointsAfterInsert() {
        if (metric == Metric.INNER_PRODUCT) {
            int live = slots.liveCount();
            if (live >= 64 && live >= 2 * entryPointsChosenAt) {
                chooseEntryPoints();
            }
        }
    }

    /** Grows every per-slot array to hold at least {@code minCapacity} slots. Caller holds the write lock. */
    void grow(int minCapacity) {
        slots.ensureCapacity(minCapacity);
        // (SlotTable grows by at least 1.5x, so a run of inserts pays for a copy only now and then)
        int capacity = slots.capacity();
        vectors.ensureCapacity(capacity);
        graph.ensureCapacity(capacity);
    }
}
