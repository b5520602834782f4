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

    private GreedySearch() {
    }

    static void search(SearchContext ctx, Adjacency graph, int capacity, int entry, int listSize,
                       RobustPrune expandedPool) {
        NeighborQueue queue = ctx.queue;
        VisitedSet visited = ctx.visited;
        var scorer = ctx.scorer;
        queue.reset(listSize);
        visited.clear(capacity);
        visited.visit(entry);
        queue.insert(entry, scorer.score(entry));
        long comps = 1;
        long hops = 0;
        int[] lists = graph.raw();
        int stride = graph.stride();
        int maxDegree = graph.maxDegree();
        while (queue.hasUnexpanded()) {
            int index = queue.pollClosestUnexpanded();
            int node = queue.id(index);
            if (expandedPool != null) {
                expandedPool.add(node, queue.distance(index));
            }
            hops++;
            int base = node * stride;
            int degree = Math.min(lists[base], maxDegree);
            for (int j = 1; j <= degree; j++) {
                int neighbor = lists[base + j];
                if (visited.visit(neighbor)) {
                    float d = scorer.score(neighbor);
                    comps++;
                    queue.insert(neighbor, d);
                }
            }
        }
        ctx.distanceComputations = comps;
        ctx.hops = hops;
    }
}
