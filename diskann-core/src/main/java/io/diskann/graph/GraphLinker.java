package io.diskann.graph;

import io.diskann.vector.Metric;
import io.diskann.vector.QuantizedVectors;
import io.diskann.vector.QueryScorer;
import io.diskann.vector.VectorStore;
import io.diskann.vector.VectorType;
import java.util.function.IntPredicate;

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
    /** Filtered-Vamana's rules (start points, who may be traversed, who may occlude); null: plain Vamana. */
    private final LinkConstraint constraint;
    /**
     * 8-bit codes the search for a new node's candidates walks on (null: full vectors). Changed only
     * while no link runs (under the mutation lock, or before a build starts).
     */
    private volatile QuantizedVectors codes;
    /**
     * Codes of the vectors' strongest principal directions that the walk uses instead of {@link #codes}
     * ({@link ProjectedWalkCodes}; bulk builds only), null: none. Set before the build's links start.
     */
    private volatile QuantizedVectors projectedWalk;
    /**
     * Whether a node's own prune scores on the walk's codes in this linker ({@link #ownPrunesOnCodes}; large
     * bulk builds). Set before the build's links start.
     */
    private volatile boolean ownPruneOnCodes;

    GraphLinker(VectorStore vectors, Metric metric, VamanaParams params, Adjacency graph,
                MipsBuildScorer.Augmentation mips, SlotTable slots, LinkConstraint constraint) {
        this.constraint = constraint;
        this.vectors = vectors;
        this.metric = metric;
        this.params = params;
        this.graph = graph;
        this.mips = mips;
        this.slots = slots;
    }

    /**
     * Makes the candidate search walk {@code c} (null: the full vectors). Inner-product graphs, built over
     * the MIPS-to-L2 reduction, always walk full vectors.
     *
     * <p>Why: the candidate search is 70% of a build (async-profiler, 100k x 128), and its time is memory
     * stalls on candidates' vectors; codes are a quarter of f32's bytes. A node's own prune stays exact
     * (unless the codes are, or the bulk build is large: {@link #pruneOnCodes}), re-prunes of full lists score on the codes
     * ({@link #PRUNE_ON_CODES}, {@link #REPRUNE_ON_CODES}: pair distances on full vectors were 26% of a
     * 200k x 128 build).
     */
    void useCodes(QuantizedVectors c) {
        this.codes = mips == null ? c : null;
    }

    /**
     * Makes the candidate search walk the projected codes {@code p} (null: as {@link #useCodes} says); the
     * expanded nodes are then re-scored on the full codes or vectors before the prune.
     */
    void walkOnProjection(QuantizedVectors p) {
        this.projectedWalk = p;
    }

    /**
     * Makes each node's own prune score on the walk's codes, with the walk's own distances, instead of re-scoring
     * the expanded nodes and pruning on full vectors ({@code -Ddiskann.buildPrune=exact} keeps them exact). For
     * large bulk builds ({@link BulkBuild#codesPruneMinimum}): see there for why and what was measured.
     *
     * @param on true to prune on the codes
     */
    void ownPrunesOnCodes(boolean on) {
        this.ownPruneOnCodes = on && REPRUNE_ON_CODES;
    }

    /** Per-thread scratch for linking: a search recording its expanded nodes, scorers, prune, buffers. */
    static final class Scratch {
        final GraphSearch search;
        /** Scores from the node being linked (whose vector is the query); also the prune's distances. */
        final QueryScorer scorer;
        final RobustPrune prune;
        final int[] entry = new int[1];
        /** Keeps touched loads observable so they are not optimised away. */
        int touchSink;
        final int[] buffer;
        /** Output of prunes other than the linked node's own (back edges, repairs). */
        final int[] out;
        /** The linked node's new neighbours, kept while back edges are added. */
        final int[] kept;
        /** The codes {@link #codesScorer} scores, and the scorer (made on first use of those codes). */
        private QuantizedVectors seenCodes;
        private QueryScorer codesScorer;
        /** A prune whose pair distances come from {@link #seenCodes} (made with {@link #codesScorer}). */
        private RobustPrune codesPrune;
        /** The projected codes {@link #projectedScorer} scores (made on first use of those codes). */
        private QuantizedVectors seenProjection;
        private QueryScorer projectedScorer;
        private final Metric metric;
        /** The id being linked or pruned, for the constraint's predicates below. */
        int constrainedId;
        /** Start points' ids, then entry arrays by length (the search takes an exact-length array). */
        int[] startIds = new int[0];
        int[][] entries = new int[0][];
        IntPredicate traverse;
        RobustPrune.OcclusionGuard guard;

        Scratch(GraphSearch search, QueryScorer scorer, RobustPrune prune, int maxDegree, Metric metric) {
            this.metric = metric;
            this.search = search;
            this.scorer = scorer;
            this.prune = prune;
            this.buffer = new int[maxDegree + 1];
            this.out = new int[maxDegree + 1];
            this.kept = new int[maxDegree + 1];
        }

        /** The scorer the candidate search walks with: over {@code c}, or the exact one. */
        QueryScorer walker(QuantizedVectors c) {
            if (c == null) {
                return scorer;
            }
            if (c != seenCodes) {
                seenCodes = c;
                codesScorer = c.scorer(metric);
                codesPrune = new RobustPrune(metric, c.scorer(metric));
            }
            return codesScorer;
        }

        /** The scorer over projected walk codes {@code p}. */
        QueryScorer projectedWalker(QuantizedVectors p) {
            if (p != seenProjection) {
                seenProjection = p;
                projectedScorer = p.scorer(metric);
            }
            return projectedScorer;
        }

        /** The prune matching {@link #walker}: pair distances over {@code c}, or the exact one. */
        RobustPrune pruner(QuantizedVectors c) {
            if (c == null) {
                return prune;
            }
            walker(c);
            return codesPrune;
        }
    }

    /**
     * Whether a node's own prune scores on the walk's codes (default false; {@code -Ddiskann.buildPrune=codes}
     * is a developer switch). Measured with the re-prunes below on codes too: 1M x 128 263 s -> 241 s.
     * Not the default: on the filter tests' data (3,000 x 24, clustered) the unfiltered graph searched
     * through a label of 15-25 carriers fell to recall 0.115 and 0.375 in 2 of 6 seeds (exact own prunes:
     * 0.6 or more in all): the own prune chooses a node's out-edges, where the graph is thinnest.
     */
    static final boolean PRUNE_ON_CODES = "codes".equals(System.getProperty("diskann.buildPrune"));
    /**
     * Whether re-prunes of full lists (a back edge overflowing a neighbour's slack) score on the codes
     * (default true; {@code -Ddiskann.buildPrune=exact} turns it off for A/B). They were 16% of a 200k x 128
     * build, mostly stalls on full vectors, and only choose which in-edges survive. Measured: 1M x 128
     * 263.4 s -> 236.8 s, recall@10 at L=32 0.9940 -> 0.9936; the rare-label recall above 0.81-0.98 in
     * the same 6 seeds.
     */
    static final boolean REPRUNE_ON_CODES = !"exact".equals(System.getProperty("diskann.buildPrune"));

    /** Whether a prune of a given list touches its candidates' rows before scoring them (A/B switch). */
    static volatile boolean touchBeforePrune = !"false".equals(System.getProperty("diskann.touchBeforePrune"));

    /** Expanded candidates re-scored together: their vectors are touched first so the misses overlap. */
    private static final int RESCORE_BLOCK = 16;

    /**
     * Scratch for a graph of up to {@code capacity} nodes. Inner-product graphs are built over the
     * MIPS-to-L2 reduction ({@link MipsBuildScorer}) and pruned with the L2 rule.
     */
    Scratch newScratch(int capacity) {
        QueryScorer scorer = mips != null ? MipsBuildScorer.create(vectors, mips) : vectors.scorer(metric);
        QueryScorer pairs = mips != null ? MipsBuildScorer.create(vectors, mips) : vectors.scorer(metric);
        RobustPrune prune = new RobustPrune(mips != null ? Metric.L2 : metric, pairs);
        GraphSearch search = new GraphSearch(capacity);
        search.recordExpanded(true);
        Scratch s = new Scratch(search, scorer, prune, graph.maxDegree(), metric);
        if (constraint != null) {
            LinkConstraint c = constraint;
            s.startIds = new int[Math.max(1, c.maxStartPoints())];
            s.entries = new int[s.startIds.length + 1][];
            for (int i = 1; i < s.entries.length; i++) {
                s.entries[i] = new int[i];
            }
            s.traverse = o -> c.shares(s.constrainedId, idOf(o));
            s.guard = (kept, candidate) -> c.mayOcclude(s.constrainedId, idOf(kept), idOf(candidate));
        }
        return s;
    }

    /** The id of storage ordinal {@code o} (a bulk build without a layout numbers ids as ordinals: no slot table). */
    private int idOf(int o) {
        return slots == null ? o : slots.labelOf(o);
    }

    /** The constraint's start points for {@code node} as ordinals below {@code capacity}; {@code start} if none. */
    private int[] entriesFor(Scratch s, int node, int start, int capacity) {
        int n = Math.min(constraint.startPoints(idOf(node), s.startIds), s.startIds.length);
        int w = 0;
        int[] tmp = s.startIds;
        if (slots != null) {
            slots.slotsOf(tmp, 0, n, tmp); // ids to slots in place, under one lock
        }
        for (int i = 0; i < n; i++) {
            int o = tmp[i];
            if (o >= 0 && o < capacity && o != node) {
                tmp[w++] = o;
            }
        }
        if (w == 0) {
            s.entry[0] = start;
            return s.entry;
        }
        int[] exact = s.entries[w];
        System.arraycopy(tmp, 0, exact, 0, w);
        return exact;
    }

    /** The link constraint's start points of {@code node} as ordinals below {@code capacity} into {@code out}
     * (room for {@link LinkConstraint#maxStartPoints()}); returns how many (0 without a constraint). */
    int startOrdinals(Scratch s, int node, int capacity, int[] out) {
        if (constraint == null) {
            return 0;
        }
        int[] entries = entriesFor(s, node, -1, capacity);
        if (entries == s.entry) { // no start point of its own (the fallback entry)
            return 0;
        }
        System.arraycopy(entries, 0, out, 0, entries.length);
        return entries.length;
    }

    /**
     * Searches for stored {@code node} from {@code entries} with list size {@code listSize} (0: L_build) on the walk's
     * codes, as the build's own searches (full vectors without codes), under the constraint's traversal rule if any,
     * keeping up to that many results that {@code accept} takes, nearest first, in {@code s.search}. Used to find a
     * host for a node the build left unreachable ({@link OrphanRepair}).
     */
    GraphSearch searchFor(Scratch s, int node, int[] entries, int capacity, IntPredicate accept, int listSize) {
        QueryScorer walker = s.walker(codes);
        walker.setQueryToStored(node);
        if (constraint != null) {
            s.constrainedId = idOf(node);
            s.search.traverseOnly(s.traverse);
        }
        int l = listSize > 0 ? listSize : params.buildListSize();
        try {
            s.search.search(graph, graph.maxDegree(), capacity, entries, walker, l, 1, accept, l);
        } finally {
            s.search.traverseOnly(null);
        }
        return s.search;
    }

    /** The exact (or inner-product build) distance between stored nodes {@code a} and {@code b}. */
    float distance(Scratch s, int a, int b) {
        s.scorer.setQueryToStored(a);
        return s.scorer.score(b);
    }

    /** Links {@code node} (its vector already stored) into the graph of nodes below {@code capacity}. */
    void link(Scratch s, int node, int start, int capacity) {
        QuantizedVectors walkCodes = codes;
        QuantizedVectors pruneCodes = pruneOnCodes(walkCodes) ? walkCodes : null;
        QuantizedVectors projected = projectedWalk;
        QueryScorer walker = projected != null ? s.projectedWalker(projected) : s.walker(walkCodes);
        QueryScorer nodeScorer = pruneCodes != null ? s.walker(walkCodes) : s.scorer;
        RobustPrune prune = s.pruner(pruneCodes);
        nodeScorer.setQueryToStored(node);
        if (walker != nodeScorer) {
            walker.setQueryToStored(node);
        }
        prune.clear();
        s.entry[0] = start;
        int[] entries = s.entry;
        if (constraint != null) {
            s.constrainedId = idOf(node);
            entries = entriesFor(s, node, start, capacity);
            s.search.traverseOnly(s.traverse);
        }
        GraphSearch search = s.search;
        try {
            search.search(graph, graph.maxDegree(), capacity, entries, walker, params.buildListSize(), 1, null, 1);
        } finally {
            search.traverseOnly(null);
        }
        // DiskANN prunes from the expanded nodes; deleted and pending ones are never chosen as neighbours
        int expandedCount = search.expandedCount();
        if (walker == nodeScorer) {
            for (int i = 0; i < expandedCount; i++) {
                int expanded = search.expandedNode(i);
                if (slots == null || slots.isLive(expanded)) {
                    prune.add(expanded, search.expandedDistance(i));
                }
            }
        } else {
            // walked on codes (or projected codes), pruned on full vectors (or full codes): re-score the
            // expanded nodes
            int sink = 0;
            for (int from = 0; from < expandedCount; from += RESCORE_BLOCK) {
                int to = Math.min(expandedCount, from + RESCORE_BLOCK);
                for (int i = from; i < to; i++) {
                    sink += nodeScorer.touch(search.expandedNode(i));
                }
                for (int i = from; i < to; i++) {
                    int expanded = search.expandedNode(i);
                    if (slots == null || slots.isLive(expanded)) {
                        prune.add(expanded, nodeScorer.score(expanded));
                    }
                }
            }
            s.touchSink += sink;
        }
        // Neighbours already linked to this node (back edges from earlier nodes) are candidates too;
        // an id already in the pool gets the identical distance, so prune's de-duplication drops it.
        int existing;
        synchronized (graph.lockFor(node)) {
            existing = graph.copy(node, s.buffer);
        }
        for (int i = 0; i < existing; i++) {
            if (slots == null || slots.isLive(s.buffer[i])) {
                prune.add(s.buffer[i], nodeScorer.score(s.buffer[i]));
            }
        }
        if (constraint != null) {
            s.constrainedId = idOf(node);
        }
        prune.guard = s.guard;
        int kept = prune.prune(node, params.maxDegree(), params.alpha(), params.maxCandidates(),
                params.saturate(), s.kept);
        prune.guard = null;
        synchronized (graph.lockFor(node)) {
            graph.set(node, s.kept, kept);
        }
        for (int i = 0; i < kept; i++) {
            addBackEdge(s, s.kept[i], node);
        }
    }

    /**
     * Adds {@code source} to {@code target}'s list, re-pruning the list if it is full. The prune runs outside
     * the lock (as DiskANN's {@code inter_insert}); if another thread changed the list meanwhile, the prune is
     * done again on the new list, so its back edge is not overwritten; the last of {@link #REPRUNE_ATTEMPTS}
     * prunes runs under the lock.
     */
    private void addBackEdge(Scratch s, int target, int source) {
        for (int attempt = 1; attempt < REPRUNE_ATTEMPTS; attempt++) {
            int n;
            synchronized (graph.lockFor(target)) {
                if (graph.contains(target, source) || graph.tryAppend(target, source)) {
                    return;
                }
                n = graph.copy(target, s.buffer);
            }
            s.buffer[n] = source;
            int kept = prune(s, target, s.buffer, n + 1, s.out, REPRUNE_ON_CODES);
            synchronized (graph.lockFor(target)) {
                if (graph.sameAs(target, s.buffer, n)) {
                    graph.set(target, s.out, kept);
                    return;
                }
            }
        }
        // the list kept changing under the prunes: the last one holds the lock throughout (rare, and slower
        // for the threads that wait on this lock stripe)
        synchronized (graph.lockFor(target)) {
            if (graph.contains(target, source) || graph.tryAppend(target, source)) {
                return;
            }
            int n = graph.copy(target, s.buffer);
            s.buffer[n] = source;
            graph.set(target, s.out, prune(s, target, s.buffer, n + 1, s.out, REPRUNE_ON_CODES));
        }
    }

    /**
     * Prunes of one back edge at most. Counted on a 200k x 128 build (2 threads): 278 of about 238,000
     * re-prunes met a list another thread had changed meanwhile; before, that thread's edge was overwritten.
     */
    private static final int REPRUNE_ATTEMPTS = 4;

    /** Robust-prunes {@code node}'s candidates {@code ids[0..n)} to R into {@code out}; returns the count. */
    int prune(Scratch s, int node, int[] ids, int n, int[] out) {
        return prune(s, node, ids, n, out, pruneOnCodes(codes));
    }

    /**
     * Whether a node's own prune scores on {@code c}: when asked to ({@link #PRUNE_ON_CODES}), in a large bulk
     * build ({@link #ownPrunesOnCodes}), or when the
     * codes are exact ({@link QuantizedVectors#exact}: 8-bit data stored as f32), where they give the
     * very distances of the full vectors from a quarter of the bytes. Not for f16 storage: its codes are
     * made from the caller's floats, which f16 may have rounded. Measured on Fashion-MNIST f32
     * (whole-number pixels): see PERFORMANCE.md section 18.
     */
    private boolean pruneOnCodes(QuantizedVectors c) {
        return c != null && (PRUNE_ON_CODES || ownPruneOnCodes || (c.exact() && vectors.type() == VectorType.F32));
    }

    /** As {@link #prune(Scratch, int, int[], int, int[])}, scoring on the walk's codes if {@code onCodes}. */
    private int prune(Scratch s, int node, int[] ids, int n, int[] out, boolean onCodes) {
        QuantizedVectors pruneCodes = onCodes ? codes : null;
        QueryScorer scorer = pruneCodes != null ? s.walker(pruneCodes) : s.scorer;
        RobustPrune prune = s.pruner(pruneCodes);
        scorer.setQueryToStored(node);
        prune.clear();
        if (touchBeforePrune) {
            // every candidate's row first, so their misses overlap; RobustPrune then finds them in cache for the
            // pair distances (a list's 128 code rows of 128 bytes are 16 KiB)
            int sink = 0;
            for (int i = 0; i < n; i++) {
                sink += scorer.touch(ids[i]);
            }
            s.touchSink += sink;
        }
        for (int i = 0; i < n; i++) {
            prune.add(ids[i], scorer.score(ids[i]));
        }
        if (constraint != null) {
            s.constrainedId = idOf(node);
        }
        prune.guard = s.guard;
        try {
            return prune.prune(node, params.maxDegree(), params.alpha(), params.maxCandidates(),
                    params.saturate(), out);
        } finally {
            prune.guard = null;
        }
    }

    /** Prunes {@code node}'s list to R if it is longer. */
    void pruneIfAboveDegree(Scratch s, int node) {
        if (graph.degree(node) > params.maxDegree()) {
            int n;
            synchronized (graph.lockFor(node)) {
                n = graph.copy(node, s.buffer);
            }
            int kept = prune(s, node, s.buffer, n, s.out, REPRUNE_ON_CODES);
            synchronized (graph.lockFor(node)) {
                graph.set(node, s.out, kept);
            }
        }
    }
}
