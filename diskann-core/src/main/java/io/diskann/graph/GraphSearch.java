package io.diskann.graph;

import io.diskann.vector.QueryScorer;
import java.util.Arrays;
import java.util.function.IntPredicate;

/**
 * The one graph search loop of the library, with its reusable scratch: Vamana's greedy search
 * generalised to a beam (DiskANN's {@code iterate_to_fixed_point} and its disk index's beam search).
 *
 * <p>Starting from the graph's entry points, each round takes the W closest candidates of the search
 * list (size L) that have not been expanded, lets the {@link GraphReader} fetch them together (the
 * SSD-resident index reads their sectors in parallel), then for each scores its unvisited neighbours and
 * offers them to the list, until every candidate in the list has been expanded. W = 1 is greedy search.
 * With a reader that reads asynchronously ({@link GraphReader#asynchronous}, the disk index) the beam is
 * pipelined instead: W reads stay in flight, and as each record comes back (in the order asked for) its
 * neighbours are scored and the closest unexpanded candidate is asked for at once, so no round waits for
 * its slowest read and the scoring overlaps the reads.
 *
 * <p><b>Accept filter.</b> Every scored node is offered to the search list, which steers the traversal;
 * only nodes the filter accepts are offered to a second, result list of the caller's capacity. Rejected
 * nodes (deleted ones, or ones outside a user's filter) are therefore traversed but never returned, and
 * the results are the best accepted nodes among everything scored, not just those left in the list.
 * Without a filter the search list itself is the result.
 *
 * <p><b>Memory-level parallelism.</b> A node's unvisited neighbours are collected first and their vectors
 * touched ({@link QueryScorer#touch}) before any is scored, so their cache misses overlap; then the batch
 * is scored before any is inserted, so no data-dependent branch of the list insertion sits between two
 * distance kernels (measured: +45% QPS for u8 784-d vectors, docs/PERFORMANCE.md).
 *
 * <p>With {@link #recordExpanded} on (graph construction), every expanded node and its distance is kept:
 * DiskANN prunes a new node's neighbour list from exactly that set.
 *
 * <p>Per-searcher scratch, reused query after query; not thread-safe. A steady-state search allocates
 * nothing.
 */
public final class GraphSearch {

    private final NeighborQueue list = new NeighborQueue(128);
    private final NeighborQueue accepted = new NeighborQueue(16);
    private final VisitedSet visited;
    private int[] beam = new int[8];
    private int[] neighbors = new int[64];
    private int[] fresh = new int[64];
    private float[] scores = new float[64];
    private boolean filtered;
    private IntPredicate traverse;
    private IntPredicate twoHop;
    private int[] secondHop = new int[64];
    private int[] exploreQueue = new int[256];
    private int resultCapacity;

    private boolean recordExpanded;
    private int[] expandedNodes = new int[64];
    private float[] expandedDistances = new float[64];
    private int expandedCount;

    private long distanceComputations;
    private long hops;
    /** Consumes the values read by {@link QueryScorer#touch} so the JIT keeps the loads. */
    private int touchSink;

    /**
     * Scratch for graphs of up to {@code nodeBound} nodes (it grows if a later graph is larger).
     *
     * @param nodeBound the expected node bound ({@link Graph#nodeBound()}), sizing the visited set
     */
    public GraphSearch(int nodeBound) {
        this.visited = new VisitedSet(nodeBound);
    }

    /**
     * The bytes of the visited set a searcher over {@code nodeBound} nodes holds (one bit per node up to 16M nodes, a
     * small hash beyond), for memory reports; the search list and buffers grow with L and R and are not counted.
     *
     * @param nodeBound the node bound
     * @return the visited set's bytes
     */
    public static long visitedBytes(int nodeBound) {
        return VisitedSet.bytesFor(nodeBound);
    }

    /**
     * Limits the traversal to the nodes {@code t} accepts (Filtered-Vamana: nodes that share a label with
     * the query's filter); others are neither scored nor followed. Stays set until changed; null: all.
     *
     * @param t the nodes (ordinals) the search may reach, or null for all
     */
    public void traverseOnly(IntPredicate t) {
        this.traverse = t;
    }

    /**
     * ACORN-1's two-hop expansion (Patel et al., SIGMOD 2024) for a selective filter: a neighbour that
     * {@code keep} rejects is neither scored nor listed, its own neighbours that {@code keep} accepts are
     * (up to 2R per expanded node). The list then holds only accepted nodes, so a filter matching 1% of
     * the graph no longer fills it with the 99% it rejects, and the walk still crosses rejected regions.
     * Needs a reader that returns any node's list without a fetch (the in-memory graph). Stays set until
     * changed; null: off.
     *
     * @param keep the nodes (ordinals) that may enter the search list, or null for the plain search
     */
    public void twoHop(IntPredicate keep) {
        this.twoHop = keep;
    }

    /**
     * Keep every expanded node and its distance ({@link #expandedCount()}); off by default.
     *
     * @param record true to record the expanded nodes of later searches
     */
    public void recordExpanded(boolean record) {
        this.recordExpanded = record;
    }

    /**
     * Searches {@code graph} for the query {@code scorer} holds.
     *
     * @param graph the graph to walk
     * @param reader the graph's reader for this searcher
     * @param scorer holds the query; scores nodes (smaller is closer)
     * @param listSize L (capped at the graph's node bound)
     * @param beamWidth W, nodes expanded per round (pipelined: reads kept in flight)
     * @param accept the nodes that may be results, or null for all
     * @param resultCapacity how many results to keep (at least 1; with no filter, at most L are kept)
     * @throws IllegalArgumentException if L, W or the result capacity is below 1
     */
    public void search(Graph graph, GraphReader reader, QueryScorer scorer, int listSize, int beamWidth,
                       IntPredicate accept, int resultCapacity) {
        search(reader, graph.maxDegree(), graph.nodeBound(), graph.entryPoints(), scorer, listSize, beamWidth,
                accept, resultCapacity);
    }

    /**
     * {@link #search(Graph, GraphReader, QueryScorer, int, int, IntPredicate, int)} with the graph's parts
     * given.
     *
     * @param reader reads neighbour lists
     * @param maxDegree the most neighbours a node has ({@link Graph#maxDegree()})
     * @param nodeBound every node is below it ({@link Graph#nodeBound()})
     * @param entryPoints where the search starts; ordinals outside {@code [0, nodeBound)} are skipped
     * @param scorer holds the query; scores nodes (smaller is closer)
     * @param listSize L (capped at the node bound)
     * @param beamWidth W, nodes expanded per round (pipelined: reads kept in flight)
     * @param accept the nodes that may be results, or null for all
     * @param resultCapacity how many results to keep (at least 1; with no filter, at most L are kept)
     * @throws IllegalArgumentException if L, W or the result capacity is below 1
     */
    public void search(GraphReader reader, int maxDegree, int nodeBound, int[] entryPoints, QueryScorer scorer,
                       int listSize, int beamWidth, IntPredicate accept, int resultCapacity) {
        if (listSize < 1 || beamWidth < 1 || resultCapacity < 1) {
            throw new IllegalArgumentException("need L >= 1, W >= 1 and a result capacity >= 1, got L=" + listSize
                    + ", W=" + beamWidth + ", capacity=" + resultCapacity);
        }
        int bound = Math.max(1, nodeBound);
        ensureBuffers(maxDegree, beamWidth);
        list.reset(Math.min(listSize, bound));
        visited.clear(bound);
        filtered = accept != null;
        this.resultCapacity = resultCapacity;
        if (filtered) {
            accepted.reset(Math.min(resultCapacity, bound));
        }
        expandedCount = 0;
        long comps = 0;
        for (int e : entryPoints) {
            if (e >= 0 && e < bound && visited.visit(e)) {
                float d = scorer.score(e);
                comps++;
                list.insert(e, d);
                if (filtered && accepted.wouldInsert(e, d) && accept.test(e)) {
                    accepted.insert(e, d);
                }
            }
        }
        long expanded = 0;
        if (reader.asynchronous() && twoHop == null && !recordExpanded) {
            // pipelined: W reads in flight; each arrival is scored, then the best unexpanded node is read next
            int inFlight = 0;
            while (true) {
                while (inFlight < beamWidth && list.hasUnexpanded()) {
                    reader.submit(list.id(list.pollClosestUnexpanded()));
                    inFlight++;
                    expanded++;
                }
                if (inFlight == 0) {
                    break;
                }
                // one arrival, then the best unexpanded node is asked for: the order of expansions depends on
                // the data only, not on when reads finish or which nodes are cached, so every I/O mode and
                // cache size walks the same path
                int node = reader.next();
                inFlight--;
                comps += expand(reader, node, scorer, accept, maxDegree);
            }
        } else {
            int[] beamNodes = beam;
            while (list.hasUnexpanded()) {
                int n = 0;
                do {
                    int index = list.pollClosestUnexpanded();
                    int node = list.id(index);
                    beamNodes[n++] = node;
                    if (recordExpanded) {
                        recordExpanded(node, list.distance(index));
                    }
                } while (n < beamWidth && list.hasUnexpanded());
                expanded += n;
                reader.fetch(beamNodes, n);
                for (int b = 0; b < n; b++) {
                    comps += expand(reader, beamNodes[b], scorer, accept, maxDegree);
                }
            }
        }
        distanceComputations = comps;
        hops = expanded;
    }

    /** Scores {@code node}'s unvisited neighbours and offers them to the lists; returns how many were scored. */
    private int expand(GraphReader reader, int node, QueryScorer scorer, IntPredicate accept, int maxDegree) {
        int[] nbrs = neighbors;
        int[] pending = fresh;
        float[] dists = scores;
        int degree = reader.neighbors(node, nbrs);
        int count = 0;
        int touched = 0;
        IntPredicate only = traverse;
        IntPredicate keep = twoHop;
        if (keep == null) {
            for (int j = 0; j < degree; j++) {
                int neighbor = nbrs[j];
                if (visited.visit(neighbor) && (only == null || only.test(neighbor))) {
                    pending[count++] = neighbor;
                    touched += scorer.touch(neighbor);
                }
            }
        } else {
            count = twoHopNeighbors(reader, keep, only, nbrs, degree, pending, 2 * maxDegree);
        }
        scorer.scoreBatch(pending, count, dists);
        for (int j = 0; j < count; j++) {
            list.insert(pending[j], dists[j]);
        }
        if (filtered) {
            for (int j = 0; j < count; j++) {
                if (accepted.wouldInsert(pending[j], dists[j]) && accept.test(pending[j])) {
                    accepted.insert(pending[j], dists[j]);
                }
            }
        }
        touchSink += touched;
        return count;
    }

    /**
     * The neighbours of one expanded node that enter the list under {@link #twoHop}: accepted ones, and the
     * accepted neighbours of rejected ones, at most {@code limit} (2R) in all.
     */
    private int twoHopNeighbors(GraphReader reader, IntPredicate keep, IntPredicate only, int[] nbrs, int degree,
                                int[] pending, int limit) {
        int count = 0;
        int cap = Math.min(pending.length, limit);
        int queued = 0;
        int[] explore = exploreQueue;
        for (int j = 0; j < degree && count < cap; j++) {
            int neighbor = nbrs[j];
            switch (classify(neighbor, keep, only)) {
                case ACCEPTED -> pending[count++] = neighbor;
                case REJECTED -> {
                    if (queued < explore.length) {
                        explore[queued++] = neighbor; // marked visited only once its list is read
                    }
                }
                default -> { }
            }
        }
        // the rejected neighbours' lists, until R/2 accepted nodes are found (each read visits R nodes:
        // reading every list cost Fashion-MNIST's 3% ANDs 3 ms a query at R=64). A rejected node whose list
        // is not read stays unvisited, so a later hop may still go through it. Past two hops, breadth first
        // through rejected nodes, only while almost nothing was found (Lucene's filtered searcher goes on
        // past two hops the same way for very selective filters)
        int want = Math.max(2, cap / 4);
        int twoHopEnd = queued;
        for (int head = 0; head < queued && (count < want && head < twoHopEnd || count < 2); head++) {
            if (!visited.visit(explore[head])) {
                continue; // read from another side already
            }
            int d2 = reader.neighbors(explore[head], secondHop);
            for (int t = 0; t < d2 && count < cap; t++) {
                int w = secondHop[t];
                switch (classify(w, keep, only)) {
                    case ACCEPTED -> pending[count++] = w;
                    case REJECTED -> {
                        if (queued < explore.length) {
                            explore[queued++] = w;
                        }
                    }
                    default -> { }
                }
            }
        }
        return count;
    }

    private static final int SKIPPED = 0;
    private static final int ACCEPTED = 1;
    private static final int REJECTED = 2;

    /**
     * Two-hop's view of a node: SKIPPED (visited, or outside the traversal: marked visited), ACCEPTED
     * (marked visited, to be scored) or REJECTED (left unvisited, a node to pass through).
     */
    private int classify(int node, IntPredicate keep, IntPredicate only) {
        if (visited.contains(node)) {
            return SKIPPED;
        }
        if (only != null && !only.test(node)) {
            visited.visit(node);
            return SKIPPED;
        }
        if (keep.test(node)) {
            visited.visit(node);
            return ACCEPTED;
        }
        return REJECTED;
    }

    private void ensureBuffers(int maxDegree, int beamWidth) {
        if (beam.length < beamWidth) {
            beam = new int[beamWidth];
        }
        int room = twoHop != null ? 2 * maxDegree : maxDegree;
        if (neighbors.length < maxDegree) {
            neighbors = new int[maxDegree];
            secondHop = new int[maxDegree];
        }
        if (twoHop != null && exploreQueue.length < 4 * maxDegree) {
            exploreQueue = new int[4 * maxDegree];
        }
        if (fresh.length < room) {
            fresh = new int[room];
            scores = new float[room];
        }
    }

    private void recordExpanded(int node, float distance) {
        if (expandedCount == expandedNodes.length) {
            expandedNodes = Arrays.copyOf(expandedNodes, expandedCount * 2);
            expandedDistances = Arrays.copyOf(expandedDistances, expandedCount * 2);
        }
        expandedNodes[expandedCount] = node;
        expandedDistances[expandedCount++] = distance;
    }

    /**
     * Results of the last search: accepted nodes, closest first, at most the result capacity.
     *
     * @return the number of results
     */
    public int resultCount() {
        return filtered ? accepted.size() : Math.min(resultCapacity, list.size());
    }

    /**
     * Node of result {@code i}.
     *
     * @param i result index, below {@link #resultCount()}
     * @return the node ordinal
     */
    public int resultNode(int i) {
        return filtered ? accepted.id(i) : list.id(i);
    }

    /**
     * Distance of result {@code i}.
     *
     * @param i result index, below {@link #resultCount()}
     * @return its distance to the query
     */
    public float resultDistance(int i) {
        return filtered ? accepted.distance(i) : list.distance(i);
    }

    /**
     * Entries in the search list after the last search (L, unless the graph ran out of nodes).
     *
     * @return the list's size
     */
    public int listCount() {
        return list.size();
    }

    /**
     * Distance of entry {@code i} of the search list (closest first), accepted or not.
     *
     * @param i list index, below {@link #listCount()}
     * @return its distance to the query
     */
    public float listDistance(int i) {
        return list.distance(i);
    }

    /**
     * Nodes expanded by the last search, when {@link #recordExpanded} is on.
     *
     * @return the number of recorded nodes (0 when recording is off)
     */
    public int expandedCount() {
        return expandedCount;
    }

    /**
     * Recorded expanded node {@code i}, in expansion order.
     *
     * @param i index, below {@link #expandedCount()}
     * @return the node ordinal
     */
    public int expandedNode(int i) {
        return expandedNodes[i];
    }

    /**
     * Distance of recorded expanded node {@code i}.
     *
     * @param i index, below {@link #expandedCount()}
     * @return its distance to the query
     */
    public float expandedDistance(int i) {
        return expandedDistances[i];
    }

    /**
     * Distances computed by the last search.
     *
     * @return the count, entry points included
     */
    public long distanceComputations() {
        return distanceComputations;
    }

    /**
     * Nodes expanded by the last search.
     *
     * @return the number of hops
     */
    public long hops() {
        return hops;
    }

    /** Nothing; keeps {@link #touchSink} observable so the touched loads are not optimised away. */
    int touchSink() {
        return touchSink;
    }
}
