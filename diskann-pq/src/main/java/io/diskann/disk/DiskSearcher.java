package io.diskann.disk;

import io.diskann.graph.GraphSearch;
import io.diskann.index.QueryStats;
import io.diskann.index.RangeParams;
import io.diskann.index.SearchParams;
import io.diskann.index.SearchResult;
import io.diskann.index.Searcher;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.function.IntPredicate;

/**
 * One thread's searcher of a {@link DiskIndex}: DiskANN's beam search. The graph is traversed on PQ
 * distances (codes in memory) by the library's one search loop ({@link GraphSearch}); each round the
 * {@link DiskReader} reads the W best unexpanded nodes' sectors, and the full-precision vectors in them
 * give each expanded node its exact distance, so the final top k is re-ranked at full precision with
 * no extra reads. Results come from the expanded nodes; a filter (on ids) chooses among them, the
 * traversal is not filtered. Reuses its scratch query after query; not thread-safe.
 */
final class DiskSearcher implements Searcher {

    /** Reads per round at most; a larger W is capped (DiskANN's W is typically 2-8). */
    static final int MAX_BEAM = 32;

    private final DiskIndex index;
    private final GraphSearch search;
    private final DiskPqScorer scorer;
    private final DiskReader reader;
    private int[] topNodes = new int[16];
    private float[] topDistances = new float[16];
    private QueryStats last = QueryStats.NONE;
    private boolean closed;

    DiskSearcher(DiskIndex index) {
        this.index = index;
        this.search = new GraphSearch(index.size());
        this.scorer = new DiskPqScorer(index.quantizer().newTable(), index.codes(), index.quantizer().chunks());
        this.reader = new DiskReader(index, MAX_BEAM);
    }

    /** Runs the beam search; the expanded nodes and their exact distances are left in the reader. */
    private void run(float[] query, int listSize, int beamWidth) {
        if (closed) {
            throw new IllegalStateException("searcher is closed");
        }
        index.checkQuery(query);
        int w = Math.min(beamWidth, reader.maxBeam());
        int l = Math.min(listSize, index.size());
        scorer.setQuery(query);
        reader.start(query);
        try {
            search.search(index.graph(), reader, scorer, l, w, null, l);
        } catch (UncheckedIOException e) {
            throw new IllegalStateException("disk index " + index.path() + ": " + e.getCause().getMessage(), e.getCause());
        }
    }

    /** The best {@code k} expanded nodes by exact distance that {@code filter} (on ids) accepts; returns the count. */
    private int top(int k, IntPredicate filter, float radius) {
        if (topNodes.length < k) {
            topNodes = new int[k];
            topDistances = new float[k];
        }
        int n = 0;
        int[] nodes = reader.expandedNodes;
        float[] dists = reader.expandedDistances;
        for (int i = 0; i < reader.expandedCount; i++) {
            float d = dists[i];
            if (d > radius || (n == k && d >= topDistances[n - 1])) {
                continue;
            }
            int node = nodes[i];
            if (filter != null && !filter.test(index.idOf(node))) {
                continue;
            }
            int at = n == k ? k - 1 : n++;
            while (at > 0 && topDistances[at - 1] > d) {
                topNodes[at] = topNodes[at - 1];
                topDistances[at] = topDistances[at - 1];
                at--;
            }
            topNodes[at] = node;
            topDistances[at] = d;
        }
        return n;
    }

    @Override
    public SearchResult search(float[] query, SearchParams params) {
        int k = params.k();
        int[] ids = new int[k];
        float[] distances = new float[k];
        int n = search(query, params, ids, distances);
        return new SearchResult(Arrays.copyOf(ids, n), Arrays.copyOf(distances, n), last);
    }

    @Override
    public int search(float[] query, SearchParams params, int[] ids, float[] distances) {
        if (params == null) {
            throw new IllegalArgumentException("params is null");
        }
        int k = params.k();
        if (ids.length < k || distances.length < k) {
            throw new IllegalArgumentException("result arrays hold " + Math.min(ids.length, distances.length)
                    + " entries, k is " + k);
        }
        run(query, params.listSize(), params.beamWidth());
        int n = top(k, params.filter(), Float.POSITIVE_INFINITY);
        for (int i = 0; i < n; i++) {
            ids[i] = index.idOf(topNodes[i]);
            distances[i] = topDistances[i];
        }
        last = stats(reader.expandedCount);
        return n;
    }

    private QueryStats stats(long exact) {
        return new QueryStats(search.distanceComputations(), exact, search.hops(), reader.reads, reader.cacheHits,
                reader.ioNanos);
    }

    /**
     * Every vector within {@code radius}, closest first: searches with the initial list size and doubles
     * it while at least half the list is inside the radius (so more may lie beyond it), up to the maximum.
     */
    @Override
    public SearchResult rangeSearch(float[] query, float radius, RangeParams params) {
        if (params == null) {
            throw new IllegalArgumentException("params is null");
        }
        if (!(radius >= 0) || Float.isInfinite(radius)) {
            throw new IllegalArgumentException("radius must be a finite number >= 0, got " + radius);
        }
        long reads = 0;
        long hops = 0;
        long exact = 0;
        long comps = 0;
        long io = 0;
        long hits = 0;
        int listSize = Math.min(params.initialListSize(), index.size());
        while (true) {
            run(query, listSize, params.beamWidth());
            reads += reader.reads;
            hits += reader.cacheHits;
            io += reader.ioNanos;
            hops += search.hops();
            exact += reader.expandedCount;
            comps += search.distanceComputations();
            int inside = top(Math.max(1, reader.expandedCount), params.filter(), radius);
            if (inside * 2 < listSize || listSize >= Math.min(params.maxListSize(), index.size())) {
                int[] ids = new int[inside];
                float[] d = new float[inside];
                for (int i = 0; i < inside; i++) {
                    ids[i] = index.idOf(topNodes[i]);
                    d[i] = topDistances[i];
                }
                last = new QueryStats(comps, exact, hops, reads, hits, io);
                return new SearchResult(ids, d, last);
            }
            listSize = (int) Math.min(Math.min(params.maxListSize(), index.size()), 2L * listSize);
        }
    }

    @Override
    public QueryStats lastStats() {
        return last;
    }

    @Override
    public void close() {
        closed = true;
        reader.close();
    }
}
