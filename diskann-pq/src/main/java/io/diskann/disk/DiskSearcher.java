package io.diskann.disk;

import io.diskann.graph.GraphSearch;
import io.diskann.index.ExactScan;
import io.diskann.index.GuidedSearch;
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
 * distances (codes in memory) by the library's one search loop ({@link GraphSearch}); the
 * {@link DiskReader} keeps the sectors of the W best unexpanded nodes in flight (pipelined, the default) or
 * reads them a round at a time ({@link DiskOptions#pipelined}), and the full-precision vectors in them
 * give each expanded node its exact distance, so the final top k is re-ranked at full precision with
 * no extra reads. Results come from the expanded nodes and their sector mates (the other records of the
 * sectors read, scored exactly at no extra read). A filter (on ids) runs inside the loop: rejected
 * nodes still steer, the best accepted nodes among all scored are kept on their PQ distances, and those
 * the beam did not expand are read too ({@link #filterShortlist}; a range search reads up to its list),
 * so results are exact. Reuses its scratch query after query; not thread-safe.
 *
 * <p>As a {@link GuidedSearch} (a label filter on a Filtered- or Stitched-Vamana graph laid out on disk) it
 * starts from the labels' start points and reads only nodes that carry the label, so no read is spent on
 * a node the filter rejects.
 *
 * <p>As an {@link ExactScan} (how a selective label filter is answered) it scores the given ids on
 * their PQ codes, reads the best {@link #scanShortlist} of them and returns those by exact distance:
 * reading every match would cost one I/O each.
 */
final class DiskSearcher implements Searcher, ExactScan, GuidedSearch {

    /** Reads per round at most; a larger W is capped (DiskANN's W is typically 2-8). */
    static final int MAX_BEAM = 32;

    private final DiskIndex index;
    private final GraphSearch search;
    private final DiskPqScorer scorer;
    private final DiskReader reader;
    /** The ids of the best expanded nodes, from their records (see {@link #top}). */
    private int[] topIds = new int[16];
    private float[] topDistances = new float[16];
    private int[] scanNodes = new int[64];
    private float[] scanDistances = new float[64];
    private final int[] beamNodes = new int[MAX_BEAM];
    /** A search's start, chosen from the index's entry sample. */
    private final int[] start = new int[1];
    private float[] sampleDistances = new float[0];
    /** PQ distances the last {@link #run} spent choosing its start (counted in the query's stats). */
    private int sampled;
    private int[] sortedExpanded = new int[256];
    private final NodeFilter nodeFilter = new NodeFilter();
    /** A guided search's traversal limit (on ids), seen by the loop as one on nodes. */
    private final NodeFilter traverseFilter = new NodeFilter();
    /** Start nodes of guided searches, one exact-length array per count (the loop takes the whole array). */
    private int[][] startsByCount = new int[1][];
    private QueryStats last = QueryStats.NONE;
    /** When the current search began ({@link System#nanoTime}), for {@link QueryStats#computeNanos}. */
    private long startedAt;
    private boolean closed;

    /**
     * The bytes one searcher holds, for {@link DiskStats#searcherBytes}: {@link #MAX_BEAM} direct read buffers of one
     * record's sectors (plus a sector for alignment), the query's PQ table and projected query, the visited set,
     * the entry sample's distances, and 16 KiB for the lists that grow with L and R.
     */
    static long bytesFor(DiskLayout layout, io.diskann.pq.ProductQuantizer pq, int entrySample) {
        long readBuffers = (long) MAX_BEAM * (layout.readBytes() + DiskLayout.SECTOR);
        long table = 4L * pq.chunks() * 256 + 4L * (pq.dimensions() + (pq.rotated() ? pq.codeDimensions() : 0));
        return readBuffers + table + GraphSearch.visitedBytes(layout.count()) + 4L * entrySample + 16 * 1024;
    }

    DiskSearcher(DiskIndex index) {
        this.index = index;
        this.search = new GraphSearch(index.size());
        this.scorer = new DiskPqScorer(index.quantizer().newTable(), index.codes(), index.quantizer().chunks());
        this.reader = new DiskReader(index, MAX_BEAM);
        this.reader.scoreMates = index.sectorMates();
    }

    /** Whether this searcher's reads go through kernel AIO. */
    boolean usesKernelAio() {
        return reader.usesKernelAio();
    }

    /** Counts every record this searcher's searches ask for into {@code counts} (by node); null stops. */
    void countVisits(int[] counts) {
        reader.visitCounts = counts;
    }

    /** Runs the beam search; the expanded nodes and their exact distances are left in the reader. */
    private void run(float[] query, int listSize, int beamWidth) {
        run(query, listSize, beamWidth, null, 1);
    }

    /**
     * Runs the beam search; with a filter the search also keeps the best {@code capacity} nodes it
     * accepts among all it scored (on PQ distances), as {@link GraphSearch} does for in-memory filters.
     */
    private void run(float[] query, int listSize, int beamWidth, IntPredicate accept, int capacity) {
        if (closed) {
            throw new IllegalStateException("searcher is closed");
        }
        index.checkQuery(query);
        int w = Math.min(beamWidth, reader.maxBeam());
        int l = Math.min(listSize, index.size());
        scorer.setQuery(query);
        reader.start(query);
        try {
            EntrySample sample = index.entrySample();
            sampled = sample.size();
            if (sampled == 0) {
                search.search(index.graph(), reader, scorer, l, w, accept, accept == null ? l : capacity);
            } else {
                if (sampleDistances.length < sampled) {
                    sampleDistances = new float[sampled];
                }
                start[0] = sample.closest(scorer, sampleDistances);
                search.search(reader, index.graph().maxDegree(), index.graph().nodeBound(), start, scorer, l, w, accept,
                        accept == null ? l : capacity);
            }
        } catch (UncheckedIOException e) {
            throw new IllegalStateException("disk index " + index.path() + ": " + e.getCause().getMessage(), e.getCause());
        }
    }

    /**
     * The ids of the best {@code k} expanded nodes and sector mates by exact distance that {@code filter} (on ids) accepts, into
     * {@link #topIds}; returns the count. The ids come from the records read, not from an id table.
     */
    private int top(int k, IntPredicate filter, float radius) {
        ensureTop(k);
        int n = top(k, filter, radius, reader.expandedIds, reader.expandedDistances, reader.expandedCount, 0);
        return top(k, filter, radius, reader.mates.ids, reader.mates.distances, reader.mates.count, n);
    }

    /**
     * Adds the candidates {@code ids/dists[0..count)} to the best {@code n} in {@link #topIds}; an id already
     * there is not added again (a sector mate may be read twice, or be expanded too). Returns the new count.
     */
    private int top(int k, IntPredicate filter, float radius, int[] ids, float[] dists, int count, int n) {
        for (int i = 0; i < count; i++) {
            float d = dists[i];
            if (d > radius || (n == k && d >= topDistances[n - 1])) {
                continue;
            }
            int id = ids[i];
            if (contains(topIds, n, id) || (filter != null && !filter.test(id))) {
                continue;
            }
            n = insertSorted(topIds, topDistances, n, k, id, d);
        }
        return n;
    }

    private void ensureTop(int k) {
        if (topIds.length < k) {
            topIds = new int[k];
            topDistances = new float[k];
        }
    }

    private static boolean contains(int[] a, int n, int v) {
        for (int i = 0; i < n; i++) {
            if (a[i] == v) {
                return true;
            }
        }
        return false;
    }

    /**
     * Inserts {@code node} at distance {@code d} into the ascending {@code nodes/dists[0..n)} holding at most
     * {@code cap} (the caller has checked that it beats the last when full); returns the new count.
     */
    private static int insertSorted(int[] nodes, float[] dists, int n, int cap, int node, float d) {
        int at = n == cap ? cap - 1 : n++;
        while (at > 0 && dists[at - 1] > d) {
            nodes[at] = nodes[at - 1];
            dists[at] = dists[at - 1];
            at--;
        }
        nodes[at] = node;
        dists[at] = d;
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
        startedAt = System.nanoTime();
        touchCodes(params.touchLines());
        IntPredicate filter = params.filter();
        if (filter == null) {
            run(query, params.listSize(), params.beamWidth());
        } else {
            nodeFilter.ids = filter;
            try {
                int capacity = filterShortlist(k);
                run(query, params.listSize(), params.beamWidth(), nodeFilter, capacity);
                readAcceptedNotExpanded(capacity);
            } finally {
                nodeFilter.ids = null;
            }
        }
        int n = top(k, filter, Float.POSITIVE_INFINITY);
        for (int i = 0; i < n; i++) {
            ids[i] = topIds[i];
            distances[i] = topDistances[i];
        }
        last = stats(reader.expandedCount + reader.mates.count);
        return n;
    }

    /**
     * With a filter, how many of the accepted nodes (by PQ distance, among all the search scored) are
     * re-scored exactly: 2k and at least 20. Without it the results would be only the expanded nodes that
     * pass: a filter matching 14% of a 3,000-vector test kept recall@10 at 0.62 with L = 40.
     */
    static int filterShortlist(int k) {
        return Math.max(2 * k, 20);
    }

    /** Reads the best accepted nodes the beam did not expand, so they get exact distances too. */
    private void readAcceptedNotExpanded(int capacity) {
        int expanded = reader.expandedCount;
        if (sortedExpanded.length < expanded) {
            sortedExpanded = new int[Math.max(expanded, 2 * sortedExpanded.length)];
        }
        System.arraycopy(reader.expandedNodes, 0, sortedExpanded, 0, expanded);
        Arrays.sort(sortedExpanded, 0, expanded);
        int batch = 0;
        int results = Math.min(capacity, search.resultCount());
        try {
            for (int i = 0; i < results; i++) {
                int node = search.resultNode(i);
                if (Arrays.binarySearch(sortedExpanded, 0, expanded, node) >= 0) {
                    continue;
                }
                beamNodes[batch++] = node;
                if (batch == reader.maxBeam()) {
                    reader.fetch(beamNodes, batch);
                    batch = 0;
                }
            }
            if (batch > 0) {
                reader.fetch(beamNodes, batch);
            }
        } catch (java.io.UncheckedIOException e) {
            throw new IllegalStateException("disk index " + index.path() + ": " + e.getCause().getMessage(), e.getCause());
        }
    }

    /** A filter on ids, seen by the search loop as a filter on nodes; reused query after query. */
    private final class NodeFilter implements IntPredicate {
        IntPredicate ids;

        @Override
        public boolean test(int node) {
            return ids.test(index.idOf(node));
        }
    }

    private QueryStats stats(long exact) {
        return new QueryStats(search.distanceComputations() + sampled, exact, search.hops(), reader.reads, reader.cacheHits,
                reader.ioNanos, computeNanos(reader.ioNanos));
    }

    /** The time since {@link #startedAt} not spent waiting for reads ({@code io}), never negative. */
    private long computeNanos(long io) {
        return Math.max(0, System.nanoTime() - startedAt - io);
    }

    /**
     * {@link SearchParams#touchLines()} for the PQ codes: 0 turns touching them off, anything else (or the
     * default) on; a code is touched at its first and last byte whatever the count (docs: DiskPqScorer).
     */
    private void touchCodes(int lines) {
        scorer.setTouchLines(lines == SearchParams.DEFAULT ? 1 : lines);
    }

    @Override
    public int searchFrom(float[] query, SearchParams params, int[] startIds, int startCount, IntPredicate traverse,
                          int[] outIds, float[] outDistances) {
        if (params == null || traverse == null || startIds == null || outIds == null || outDistances == null) {
            throw new IllegalArgumentException("params, startIds, traverse and the result arrays must not be null");
        }
        int k = params.k();
        if (outIds.length < k || outDistances.length < k || startCount < 0 || startCount > startIds.length) {
            throw new IllegalArgumentException("result arrays hold " + Math.min(outIds.length, outDistances.length)
                    + " entries for k " + k + "; start count " + startCount + " of " + startIds.length);
        }
        if (closed) {
            throw new IllegalStateException("searcher is closed");
        }
        startedAt = System.nanoTime();
        touchCodes(params.touchLines());
        int found = 0;
        for (int i = 0; i < startCount; i++) { // ids the file does not hold are skipped
            found += index.nodeOf(startIds[i]) >= 0 ? 1 : 0;
        }
        int[] entries = found == 0 ? index.graph().entryPoints() : startNodes(startIds, startCount, found);
        index.checkQuery(query);
        int l = Math.min(params.listSize(), index.size());
        IntPredicate filter = params.filter();
        int capacity = filter == null ? l : filterShortlist(k);
        scorer.setQuery(query);
        reader.start(query);
        traverseFilter.ids = traverse;
        nodeFilter.ids = filter;
        search.traverseOnly(traverseFilter);
        sampled = 0; // a guided search starts at its labels' start points
        try {
            search.search(reader, index.graph().maxDegree(), index.graph().nodeBound(), entries, scorer, l,
                    Math.min(params.beamWidth(), reader.maxBeam()), filter == null ? null : nodeFilter, capacity);
            if (filter != null) {
                readAcceptedNotExpanded(capacity);
            }
        } catch (UncheckedIOException e) {
            throw new IllegalStateException("disk index " + index.path() + ": " + e.getCause().getMessage(), e.getCause());
        } finally {
            search.traverseOnly(null);
            traverseFilter.ids = null;
            nodeFilter.ids = null;
        }
        // results pass the result filter, or without one the traversal test (a start the caller gave may
        // fail it); the planner's result filters imply the traversal test
        IntPredicate keep = filter == null ? traverse : filter;
        int n = top(k, keep, Float.POSITIVE_INFINITY);
        for (int i = 0; i < n; i++) {
            outIds[i] = topIds[i];
            outDistances[i] = topDistances[i];
        }
        last = stats(reader.expandedCount + reader.mates.count);
        return n;
    }

    /** The {@code found} nodes of the ids in {@code ids[0..count)} the file holds, in an exact-length array (reused). */
    private int[] startNodes(int[] ids, int count, int found) {
        if (startsByCount.length <= found) {
            startsByCount = Arrays.copyOf(startsByCount, found + 1);
        }
        int[] nodes = startsByCount[found];
        if (nodes == null) {
            nodes = new int[found];
            startsByCount[found] = nodes;
        }
        int w = 0;
        for (int i = 0; i < count; i++) {
            int node = index.nodeOf(ids[i]);
            if (node >= 0) {
                nodes[w++] = node;
            }
        }
        return nodes;
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
        startedAt = System.nanoTime();
        long reads = 0;
        long hops = 0;
        long exact = 0;
        long comps = 0;
        long io = 0;
        long hits = 0;
        int listSize = Math.min(params.initialListSize(), index.size());
        IntPredicate filter = params.filter();
        while (true) {
            if (filter == null) {
                run(query, listSize, params.beamWidth());
            } else { // the filter inside the loop, as in search: the best accepted nodes scored are read too
                nodeFilter.ids = filter;
                try {
                    run(query, listSize, params.beamWidth(), nodeFilter, listSize);
                    readAcceptedNotExpanded(listSize);
                } finally {
                    nodeFilter.ids = null;
                }
            }
            reads += reader.reads;
            hits += reader.cacheHits;
            io += reader.ioNanos;
            hops += search.hops();
            exact += reader.expandedCount + reader.mates.count;
            comps += search.distanceComputations() + sampled;
            // the list grows on what the walk expanded; sector mates inside the radius are results too
            ensureTop(Math.max(1, reader.expandedCount));
            int insideExpanded = top(Math.max(1, reader.expandedCount), params.filter(), radius,
                    reader.expandedIds, reader.expandedDistances, reader.expandedCount, 0);
            if (insideExpanded * 2 < listSize || listSize >= Math.min(params.maxListSize(), index.size())) {
                int inside = top(Math.max(1, reader.expandedCount + reader.mates.count), params.filter(), radius);
                int[] ids = new int[inside];
                float[] d = new float[inside];
                for (int i = 0; i < inside; i++) {
                    ids[i] = topIds[i];
                    d[i] = topDistances[i];
                }
                last = new QueryStats(comps, exact, hops, reads, hits, io, computeNanos(io));
                return new SearchResult(ids, d, last);
            }
            listSize = (int) Math.min(Math.min(params.maxListSize(), index.size()), 2L * listSize);
        }
    }

    /**
     * How many of a scan's candidates are read and scored exactly: all when {@code k} is most of them
     * (a range search asks for all), else 4k and at least 50, as a PQ search re-ranks a list of L.
     */
    static int scanShortlist(int k, int count) {
        return Math.min(count, Math.max(k, Math.max(4 * k, 50)));
    }

    @Override
    public int searchAmong(float[] query, int[] ids, int count, int k, int[] outIds, float[] outDistances) {
        if (k < 1 || outIds.length < k || outDistances.length < k || count < 0 || count > ids.length) {
            throw new IllegalArgumentException("k must be >= 1 with result arrays of at least k entries and count in 0.."
                    + ids.length + "; got k " + k + ", arrays " + outIds.length + "/" + outDistances.length + ", count " + count);
        }
        if (closed) {
            throw new IllegalStateException("searcher is closed");
        }
        startedAt = System.nanoTime();
        index.checkQuery(query);
        scorer.setQuery(query);
        int shortlist = scanShortlist(k, count);
        if (scanNodes.length < shortlist) {
            scanNodes = new int[shortlist];
            scanDistances = new float[shortlist];
        }
        int n = 0;
        for (int i = 0; i < count; i++) { // the best `shortlist` nodes by PQ distance, kept sorted
            int node = index.nodeOf(ids[i]);
            if (node < 0) {
                continue;
            }
            float d = scorer.score(node);
            if (n == shortlist && d >= scanDistances[n - 1]) {
                continue;
            }
            n = insertSorted(scanNodes, scanDistances, n, shortlist, node, d);
        }
        reader.start(query);
        reader.scoreMates = false; // the results must be among the ids given
        try {
            for (int from = 0; from < n; from += reader.maxBeam()) { // exact distances, read a beam at a time
                int batch = Math.min(reader.maxBeam(), n - from);
                System.arraycopy(scanNodes, from, beamNodes, 0, batch);
                reader.fetch(beamNodes, batch);
            }
        } catch (java.io.UncheckedIOException e) {
            throw new IllegalStateException("disk index " + index.path() + ": " + e.getCause().getMessage(), e.getCause());
        } finally {
            reader.scoreMates = index.sectorMates();
        }
        int found = top(k, null, Float.POSITIVE_INFINITY);
        for (int i = 0; i < found; i++) {
            outIds[i] = topIds[i];
            outDistances[i] = topDistances[i];
        }
        last = new QueryStats(count, reader.expandedCount, 0, reader.reads, reader.cacheHits, reader.ioNanos,
                computeNanos(reader.ioNanos));
        return found;
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
