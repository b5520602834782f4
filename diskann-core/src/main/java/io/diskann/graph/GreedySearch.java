package io.diskann.graph;

/**
 * Vamana's greedy search ({@code GreedySearch} in the DiskANN paper, {@code iterate_to_fixed_point} in
 * its code): starting from an entry point, repeatedly expand the closest candidate not yet expanded,
 * scoring its unvisited neighbours into a search list of size L, until every candidate in the list has
 * been expanded. The list then holds the approximate L nearest neighbours.
 *
 * <p>When {@code expandedPool} is given (graph construction), every expanded node is also added to it
 * with its distance: DiskANN prunes a new node's neighbour list from exactly that set.
 */
final class GreedySearch {

    /** Experimental switch for A/B measurements: {@code -Ddiskann.touch=false} disables touching. */
    static final boolean TOUCH = !System.getProperty("diskann.touch", "true").equals("false");

    private GreedySearch() {
    }

    /** Search from a single entry point. */
    static void search(SearchContext ctx, Adjacency graph, int capacity, int entry, int listSize,
                       RobustPrune expandedPool) {
        begin(ctx, capacity, listSize);
        ctx.visited.visit(entry);
        ctx.queue.insert(entry, ctx.scorer.score(entry));
        ctx.distanceComputations = 1;
        run(ctx, graph, expandedPool);
    }

    /** Search seeded with the start point and {@code extra} entry points (duplicates skipped). */
    static void searchFrom(SearchContext ctx, Adjacency graph, int capacity, int entry, int[] extra,
                           int listSize) {
        begin(ctx, capacity, listSize);
        ctx.visited.visit(entry);
        ctx.queue.insert(entry, ctx.scorer.score(entry));
        long comps = 1;
        for (int e : extra) {
            if (ctx.visited.visit(e)) {
                ctx.queue.insert(e, ctx.scorer.score(e));
                comps++;
            }
        }
        ctx.distanceComputations = comps;
        run(ctx, graph, null);
    }

    /** Resets the search list and visited set; the caller then seeds the list before {@link #run}. */
    static void begin(SearchContext ctx, int capacity, int listSize) {
        ctx.queue.reset(listSize);
        ctx.visited.clear(capacity);
        ctx.distanceComputations = 0;
    }

    /** Expands the seeded search list to a fixed point; adds to the counters already in {@code ctx}. */
    static void run(SearchContext ctx, Adjacency graph, RobustPrune expandedPool) {
        NeighborQueue queue = ctx.queue;
        VisitedSet visited = ctx.visited;
        var scorer = ctx.scorer;
        long comps = ctx.distanceComputations;
        long hops = 0;
        int[] lists = graph.raw();
        int stride = graph.stride();
        int maxDegree = graph.maxDegree();
        int[] pending = ctx.pending(maxDegree);
        float[] scores = ctx.pendingScores(maxDegree);
        int sink = 0;
        while (queue.hasUnexpanded()) {
            int index = queue.pollClosestUnexpanded();
            int node = queue.id(index);
            if (expandedPool != null && (ctx.poolFilter == null || ctx.poolFilter.isLive(node))) {
                expandedPool.add(node, queue.distance(index));
            }
            hops++;
            int base = node * stride;
            int degree = Math.min(lists[base], maxDegree);
            // Collect the unvisited neighbours first and touch their vectors, so their cache misses
            // overlap, then score them.
            int fresh = 0;
            int touched = 0;
            for (int j = 1; j <= degree; j++) {
                int neighbor = lists[base + j];
                if (visited.visit(neighbor)) {
                    pending[fresh++] = neighbor;
                    if (TOUCH) {
                        touched += scorer.touch(neighbor);
                    }
                }
            }
            // Score the whole batch before inserting: queue insertion branches on each distance, and a
            // mispredicted branch between two distance kernels would stop the CPU from running ahead
            // into the next vector's loads.
            scorer.scoreBatch(pending, fresh, scores);
            for (int j = 0; j < fresh; j++) {
                queue.insert(pending[j], scores[j]);
            }
            sink += touched;
            comps += fresh;
        }
        ctx.touchSink = sink;
        ctx.distanceComputations = comps;
        ctx.hops = hops;
    }
}
