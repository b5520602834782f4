package io.diskann.graph;

import io.diskann.vector.Metric;
import io.diskann.vector.VectorStore;

/**
 * Links one node into the graph, the step shared by bulk construction and dynamic inserts (DiskANN's
 * {@code search_for_point_and_prune} plus {@code inter_insert}): search for the node from the start
 * point with L_build, robust-prune its neighbours from the expanded nodes, then add back edges under the
 * neighbours' locks, re-pruning a neighbour's list once it exceeds the slack degree.
 *
 * <p>When a {@link SlotTable} is given, deleted and not-yet-published nodes never become neighbours of
 * the new node (they may still be traversed). Thread-safe: each thread passes its own scratch.
 */
final class GraphLinker {

    private final VectorStore vectors;
    private final Metric metric;
    private final VamanaParams params;
    private final Adjacency graph;
    private final MipsBuildScorer.Augmentation mips;
    private final SlotTable slots;

    GraphLinker(VectorStore vectors, Metric metric, VamanaParams params, Adjacency graph,
                MipsBuildScorer.Augmentation mips, SlotTable slots) {
        this.vectors = vectors;
        this.metric = metric;
        this.params = params;
        this.graph = graph;
        this.mips = mips;
        this.slots = slots;
    }

    /** Per-thread scratch for linking. */
    static final class Scratch {
        final SearchContext ctx;
        final int[] buffer;
        final int[] out;

        Scratch(SearchContext ctx, int maxDegree) {
            this.ctx = ctx;
            this.buffer = new int[maxDegree + 1];
            this.out = new int[maxDegree + 1];
        }
    }

    Scratch newScratch(int capacity) {
        SearchContext ctx = mips != null
                ? new SearchContext(MipsBuildScorer.create(vectors, mips), MipsBuildScorer.create(vectors, mips),
                        Metric.L2, capacity, graph.maxDegree())
                : new SearchContext(vectors, metric, capacity, graph.maxDegree());
        ctx.poolFilter = slots;
        return new Scratch(ctx, graph.maxDegree());
    }

    /** Links {@code node} (its vector already stored) into the graph of nodes below {@code capacity}. */
    void link(Scratch s, int node, int start, int capacity) {
        SearchContext ctx = s.ctx;
        ctx.scorer.setQueryToStored(node);
        ctx.prune.clear();
        GreedySearch.search(ctx, graph, capacity, start, params.buildListSize(), ctx.prune);
        // Neighbours already linked to this node (back edges from earlier nodes) are candidates too;
        // an id already in the pool gets the identical distance, so prune's de-duplication drops it.
        int existing;
        synchronized (graph.lockFor(node)) {
            existing = graph.copy(node, s.buffer);
        }
        for (int i = 0; i < existing; i++) {
            if (slots == null || slots.isLive(s.buffer[i])) {
                ctx.prune.add(s.buffer[i], ctx.scorer.score(s.buffer[i]));
            }
        }
        int[] out = ctx.pruneOut;
        int kept = ctx.prune.prune(node, params.maxDegree(), params.alpha(), params.maxCandidates(),
                params.saturate(), out);
        synchronized (graph.lockFor(node)) {
            graph.set(node, out, kept);
        }
        for (int i = 0; i < kept; i++) {
            addBackEdge(s, out[i], node);
        }
    }

    /** Adds {@code source} to {@code target}'s list, re-pruning the list if it is full. */
    private void addBackEdge(Scratch s, int target, int source) {
        int n;
        synchronized (graph.lockFor(target)) {
            if (graph.contains(target, source) || graph.tryAppend(target, source)) {
                return;
            }
            n = graph.copy(target, s.buffer);
        }
        s.buffer[n++] = source;
        int kept = prune(s.ctx, target, s.buffer, n, s.out);
        synchronized (graph.lockFor(target)) {
            graph.set(target, s.out, kept);
        }
    }

    /** Robust-prunes {@code node}'s candidates {@code ids[0..n)} to R into {@code out}; returns the count. */
    int prune(SearchContext ctx, int node, int[] ids, int n, int[] out) {
        ctx.scorer.setQueryToStored(node);
        ctx.prune.clear();
        for (int i = 0; i < n; i++) {
            ctx.prune.add(ids[i], ctx.scorer.score(ids[i]));
        }
        return ctx.prune.prune(node, params.maxDegree(), params.alpha(), params.maxCandidates(),
                params.saturate(), out);
    }

    /** Prunes {@code node}'s list to R if it is longer. */
    void pruneIfAboveDegree(Scratch s, int node) {
        if (graph.degree(node) > params.maxDegree()) {
            int n;
            synchronized (graph.lockFor(node)) {
                n = graph.copy(node, s.buffer);
            }
            int kept = prune(s.ctx, node, s.buffer, n, s.out);
            synchronized (graph.lockFor(node)) {
                graph.set(node, s.out, kept);
            }
        }
    }
}
