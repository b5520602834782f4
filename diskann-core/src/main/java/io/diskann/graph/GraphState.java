package io.diskann.graph;

import io.diskann.vector.Metric;
import io.diskann.vector.VectorStore;
import io.diskann.vector.VectorType;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * Everything an index is made of, shared by the search, mutation and file code: vectors, adjacency,
 * slot table, start point, construction parameters, and the lock that orders them.
 *
 * <p>Two locks, always taken in this order. {@link #mutationLock}: inserts, updates and deletes hold it
 * shared; consolidation and save hold it exclusively, so the graph and the slot table stand still for
 * them while searches go on. {@link #lock}: searches and mutations hold it shared (coordinating per node
 * through {@link Adjacency#lockFor} and through {@link SlotTable}); consolidation's repair phase and save
 * hold it shared too; only growing the arrays and freeing consolidated slots hold it exclusively, so
 * searches pause only for those.
 */
final class GraphState {

    final int dimensions;
    final Metric metric;
    final VectorType type;
    final VamanaParams params;
    final VectorStore vectors;
    final Adjacency graph;
    final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
    final ReentrantReadWriteLock mutationLock = new ReentrantReadWriteLock();
    volatile SlotTable slots;
    volatile int start;
    /** Set for inner-product indexes once construction or the first insert needs it. */
    volatile MipsBuildScorer.Augmentation mips;
    volatile GraphLinker linker;
    /** Extra search entry points of inner-product indexes ({@link MipsEntryPoints}); empty otherwise. */
    volatile int[] entryPoints = new int[0];
    /** Live count when {@link #entryPoints} were last chosen. */
    private volatile int entryPointsChosenAt;

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
     * hold a lock that keeps slots from being freed meanwhile (slots are only freed under the write lock).
     */
    synchronized void chooseEntryPoints() {
        installEntryPoints(computeEntryPoints());
    }

    /** Entry points over the current live slots, or null for metrics other than inner product. */
    int[] computeEntryPoints() {
        return metric == Metric.INNER_PRODUCT
                ? MipsEntryPoints.choose(vectors, slots.highWater(), slots, 0x5EEDL) : null;
    }

    /** Installs entry points from {@link #computeEntryPoints} (null: no-op). */
    synchronized void installEntryPoints(int[] points) {
        if (points != null) {
            entryPoints = points;
            entryPointsChosenAt = slots.liveCount();
        }
    }

    /** Re-chooses entry points once inserts have doubled the live count since the last choice. */
    void refreshEntryPointsAfterInsert() {
        if (metric == Metric.INNER_PRODUCT) {
            int live = slots.liveCount();
            if (live >= 64 && live >= 2 * entryPointsChosenAt) {
                synchronized (this) {
                    if (live >= 2 * entryPointsChosenAt) {
                        chooseEntryPoints();
                    }
                }
            }
        }
    }

    /**
     * Grows every per-slot array to hold at least {@code minCapacity} slots while searches go on: the
     * arrays are copied with only {@link #mutationLock} held exclusively (the caller's), so nothing writes
     * them, and the copies are installed under the exclusive {@link #lock}, which waits only for the
     * searches already running. At 1M x 128 the copy takes seconds; the install takes microseconds.
     */
    void growBesideSearches(int minCapacity) {
        if (minCapacity <= slots.capacity()) {
            return;
        }
        int capacity = SlotTable.grownCapacity(slots.capacity(), minCapacity);
        Runnable installSlots = slots.prepareCapacity(capacity);
        Runnable installVectors = vectors.prepareCapacity(capacity);
        Runnable installGraph = graph.prepareCapacity(capacity);
        var w = lock.writeLock();
        w.lock();
        try {
            installVectors.run();
            installGraph.run();
            installSlots.run(); // last: capacity() is what searches size their visited sets by
        } finally {
            w.unlock();
        }
    }
}
