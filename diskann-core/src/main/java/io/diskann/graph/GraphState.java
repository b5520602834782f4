package io.diskann.graph;

import io.diskann.vector.Metric;
import io.diskann.vector.VectorStore;
import io.diskann.vector.VectorType;
import java.util.Arrays;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * Everything an index is made of, shared by the search, mutation and file code: vectors, adjacency,
 * slot table, start point, construction parameters, companions, and the locks that order them. It is
 * also the {@link Graph} searches walk: its adjacency, bounded by the slot capacity, from the start point
 * (and, for inner product, the extra entry points).
 *
 * <p>Two locks, always taken in this order. {@link #mutationLock}: inserts, updates and deletes hold it
 * shared; consolidation and save hold it exclusively, so the graph and the slot table stand still for
 * them while searches go on. {@link #lock}: searches and mutations hold it shared (coordinating per node
 * through {@link Adjacency#lockFor} and through {@link SlotTable}); consolidation's repair phase and save
 * hold it shared too; only growing the arrays, freeing consolidated slots and closing hold it
 * exclusively, so searches pause only for those.
 */
final class GraphState implements Graph {

    final int dimensions;
    final Metric metric;
    final VectorType type;
    /** Replaced only by a bulk build that chooses L_build by its size ({@link VamanaParams#buildListSizeFor}),
     * under the exclusive lock of an empty index. */
    volatile VamanaParams params;
    final VectorStore vectors;
    final Adjacency graph;
    final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
    final ReentrantReadWriteLock mutationLock = new ReentrantReadWriteLock();
    volatile SlotTable slots;
    volatile int start;
    /** Set for inner-product indexes once construction or the first insert needs it. */
    volatile MipsBuildScorer.Augmentation mips;
    volatile GraphLinker linker;
    /** Filtered-Vamana's rules for builds and inserts (null: plain Vamana); see {@link VamanaIndex#setLinkConstraint}. */
    volatile LinkConstraint constraint;
    /** Extra search entry points of inner-product indexes ({@link MipsEntryPoints}); empty otherwise. */
    private volatile int[] extraEntries = new int[0];
    /** Where searches start: {@link #start}, then {@link #extraEntries} (without duplicates). */
    private volatile int[] searchEntries = new int[0];
    /** Live count when {@link #extraEntries} were last chosen. */
    private volatile int entryPointsChosenAt;
    private volatile SlotCompanion[] companions = new SlotCompanion[0];
    /** What searches traverse on, as chosen; {@link #codes} exist only once fitted (and for f32/f16). */
    volatile Traversal traversal = Traversal.EXACT;
    /** The 8-bit codes of a {@link Traversal#SQ8} index; swapped only under the exclusive {@link #lock}. */
    volatile TraversalCodes codes;
    /** Lower bounds for exact scans ({@link ScanBounds}); null until fitted, or when the index does not qualify. */
    volatile ScanBounds scanBounds;
    private volatile boolean scanBoundsFailed;
    /** The start samples of searches on the traversal codes and on the vectors ({@link StartSample}); null until chosen. */
    private volatile StartSample codesSample;
    private volatile StartSample vectorsSample;
    /** Set under the exclusive lock by close; checked by everything under the shared lock. */
    volatile boolean closed;

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
        refreshSearchEntries();
    }

    /** Throws if the index was closed (the one check every entry point shares). */
    void ensureOpen() {
        if (closed) {
            throw new IllegalStateException("the index is closed");
        }
    }

    /** Frees the vectors and codes of a closed index; the caller holds both write locks. */
    void closeStorage() {
        dropStartSamples();
        vectors.close();
        TraversalCodes c = codes;
        if (c != null) {
            c.codes.close();
        }
    }

    // ---------------------------------------------------------------- Graph

    @Override
    public int maxDegree() {
        return graph.maxDegree();
    }

    /** The slot capacity: it only changes under the exclusive lock, so no search meets a larger slot. */
    @Override
    public int nodeBound() {
        return slots.capacity();
    }

    @Override
    public int[] entryPoints() {
        return searchEntries;
    }

    @Override
    public GraphReader reader() {
        return graph;
    }

    // ---------------------------------------------------------------- start and entry points

    /** Sets the start point (and the search entries that begin with it). */
    synchronized void setStart(int newStart) {
        start = newStart;
        refreshSearchEntries();
    }

    private synchronized void refreshSearchEntries() {
        int s = start;
        int[] extra = extraEntries;
        int[] all = new int[1 + extra.length];
        int n = 0;
        if (s >= 0) {
            all[n++] = s;
        }
        for (int e : extra) {
            if (e != s) {
                all[n++] = e;
            }
        }
        searchEntries = Arrays.copyOf(all, n);
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
                    l = new GraphLinker(vectors, metric, params, graph, mips, slots, constraint);
                    TraversalCodes c = codes;
                    l.useCodes(c == null ? null : c.codes);
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
                ? MipsEntryPoints.choose(vectors, slots.highWater(), slots, params.ipEntryDirections(), 0x5EEDL)
                : null;
    }

    /** Installs entry points from {@link #computeEntryPoints} (null: no-op). */
    synchronized void installEntryPoints(int[] points) {
        if (points != null) {
            extraEntries = points;
            entryPointsChosenAt = slots.liveCount();
            refreshSearchEntries();
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

    // ---------------------------------------------------------------- start samples

    /**
     * The start sample of searches that traverse the codes ({@code ofCodes}) or the vectors, chosen on first
     * use; null when the index is too small for one or it is switched off, and one that is not {@link
     * StartSample#useful} when the test found it not worth it (remembered until it is dropped). The caller
     * holds the shared lock.
     */
    StartSample startSample(boolean ofCodes) {
        if (!StartSample.enabled) {
            return null;
        }
        StartSample s = ofCodes ? codesSample : vectorsSample;
        if (s != null || slots.liveCount() < StartSample.MIN_LIVE) {
            return s;
        }
        synchronized (this) {
            s = ofCodes ? codesSample : vectorsSample;
            if (s == null && !closed) {
                s = StartSample.choose(this, ofCodes);
                if (ofCodes) {
                    codesSample = s;
                } else {
                    vectorsSample = s;
                }
            }
            return s;
        }
    }

    /**
     * Frees the start samples; the next search chooses them again. Called under the exclusive lock (or by
     * the state's only owner) whenever a sampled slot could change what it holds: slots freed, rows
     * reordered, codes replaced, the index closed. Searchers notice the change by identity.
     */
    synchronized void dropStartSamples() {
        StartSample c = codesSample;
        StartSample v = vectorsSample;
        codesSample = null;
        vectorsSample = null;
        if (c != null) {
            c.close();
        }
        if (v != null) {
            v.close();
        }
    }

    // ---------------------------------------------------------------- companions

    /** Adds a companion; the caller holds {@link #mutationLock} exclusively. */
    synchronized void addCompanion(SlotCompanion c) {
        c.prepareCapacity(slots.capacity()).run();
        c.synchronize(vectors, slots.highWater());
        SlotCompanion[] cs = Arrays.copyOf(companions, companions.length + 1);
        cs[cs.length - 1] = c;
        companions = cs;
    }

    /** Removes a companion; the caller holds {@link #mutationLock} exclusively. */
    synchronized void removeCompanion(SlotCompanion c) {
        companions = Arrays.stream(companions).filter(x -> x != c).toArray(SlotCompanion[]::new);
    }

    /** Tells every companion that the slots were renumbered (see {@link SlotCompanion#reordered}). */
    void reorderCompanions(int[] order, int count) {
        for (SlotCompanion c : companions) {
            c.reordered(order, count);
        }
    }

    /** Tells every companion that {@code vector} was stored at {@code slot}. */
    void stored(int slot, float[] vector) {
        for (SlotCompanion c : companions) {
            c.stored(slot, vector);
        }
    }

    // ---------------------------------------------------------------- traversal codes

    /** Whether this index's vectors are wider than the 8-bit codes (f32, f16). */
    boolean quantizable() {
        return !type.isInteger();
    }

    /**
     * Installs {@code c} as the traversal codes, replacing (and freeing) any previous ones. The caller
     * holds {@link #mutationLock} exclusively (or owns the state alone, building or loading): the codes are
     * brought up to date beside searches, then swapped in while none runs.
     */
    void installCodes(TraversalCodes c) {
        if (c != null) {
            addCompanion(c);
        }
        TraversalCodes old;
        var w = lock.writeLock();
        w.lock();
        try {
            synchronized (this) {
                dropStartSamples();
                old = codes;
                codes = c;
                GraphLinker l = linker;
                if (l != null) {
                    l.useCodes(c == null ? null : c.codes);
                }
            }
        } finally {
            w.unlock();
        }
        if (old != null) {
            removeCompanion(old);
            old.codes.close();
        }
    }

    /** Fits and installs codes when the index traverses on them and holds enough vectors (see callers). */
    void fitCodesIfWanted(int minLive) {
        if (traversal == Traversal.SQ8 && quantizable() && slots.liveCount() >= Math.max(1, minLive)) {
            installCodes(TraversalCodes.fit(this));
        }
    }

    /** Whether this index qualifies for {@link ScanBounds} and has none yet (nor failed to fit them). */
    boolean scanBoundsPending() {
        return scanBounds == null && !scanBoundsFailed && !closed && ScanBounds.wanted(this);
    }

    /**
     * Fits and attaches {@link ScanBounds} if the index qualifies and has none. The caller holds {@link
     * #mutationLock} exclusively (or owns the state alone, building or loading): the projections are complete
     * before the field that searches read is set.
     */
    void fitScanBoundsIfWanted() {
        if (!scanBoundsPending()) {
            return;
        }
        ScanBounds b = ScanBounds.fit(this);
        if (b != null) {
            addCompanion(b);
            scanBounds = b;
        } else {
            scanBoundsFailed = true; // not retried on every insert
        }
    }

    // ---------------------------------------------------------------- growth

    /**
     * Grows every per-slot structure to hold at least {@code minCapacity} slots while searches go on:
     * new storage is prepared with only {@link #mutationLock} held exclusively (the caller's), so nothing
     * writes it, and installed under the exclusive {@link #lock}, which waits only for the searches
     * already running. Vectors grow by new chunks (no copy); the adjacency and slot table are copied.
     */
    void growBesideSearches(int minCapacity) {
        if (minCapacity <= slots.capacity()) {
            return;
        }
        int capacity = SlotTable.grownCapacity(slots.capacity(), minCapacity);
        Runnable installSlots = slots.prepareCapacity(capacity);
        Runnable installVectors = vectors.prepareCapacity(capacity);
        Runnable installGraph = graph.prepareCapacity(capacity);
        SlotCompanion[] cs = companions;
        Runnable[] installCompanions = new Runnable[cs.length];
        for (int i = 0; i < cs.length; i++) {
            installCompanions[i] = cs[i].prepareCapacity(capacity);
        }
        var w = lock.writeLock();
        w.lock();
        try {
            installVectors.run();
            installGraph.run();
            for (Runnable r : installCompanions) {
                r.run();
            }
            installSlots.run(); // last: capacity() is what searches size their visited sets by
        } finally {
            w.unlock();
        }
    }
}
