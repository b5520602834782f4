package io.diskann.graph;

import io.diskann.index.QueryStats;
import io.diskann.index.RangeParams;
import io.diskann.index.SearchParams;
import io.diskann.index.SearchResult;
import io.diskann.index.Searcher;
import io.diskann.vector.MemoryTouch;
import io.diskann.vector.QueryScorer;
import io.diskann.vector.VectorType;
import java.util.Arrays;
import java.util.concurrent.locks.Lock;
import java.util.function.IntPredicate;

/**
 * The searcher of a {@link VamanaIndex}: one {@link GraphSearch} with its scratch, the exact scorer and,
 * for approximate traversal (diskann-pq's codes), the traversal scorer; and the one path from a query to
 * results: traverse (liveness and the user's filter inside the loop), re-rank the best candidates at full
 * precision when the traversal was approximate, turn slots into ids (each id once: during an update
 * both the old and the new vector of an id may be live for an instant).
 *
 * <p>Not thread-safe.
 */
final class VamanaSearcher implements Searcher, io.diskann.index.ExactScan, io.diskann.index.GuidedSearch {

    /** Re-ranked candidates whose vectors are touched together before scoring (their misses overlap). */
    private static final int RERANK_BLOCK = 16;
    /**
     * Whether a rerank deeper than L re-scores the best candidates of everything the walk scored (true), or only
     * the list of L (false: the depth is capped at L, as before). A developer switch for A/B measurements
     * ({@code -Ddiskann.noWidePool=true}); results stay correct either way.
     */
    static volatile boolean widePool = !Boolean.getBoolean("diskann.noWidePool");
    /**
     * Whether a re-rank after a caller's traversal may score the index's own codes where they are exact for the
     * query ({@link #rescorerFor}). A developer switch for A/B measurements ({@code
     * -Ddiskann.rerankOnCodes=false}); results are the same either way.
     */
    static volatile boolean exactRerankOnCodes = !"false".equals(System.getProperty("diskann.rerankOnCodes"));
    /**
     * Whether exact scans skip rows by {@link ScanBounds} where the index has them. A developer switch for A/B
     * measurements and tests ({@code -Ddiskann.boundedScans=false}); results are the same either way.
     */
    static volatile boolean boundedScans = !"false".equals(System.getProperty("diskann.boundedScans"));
    /** The pool of a rerank deeper than L: every scored node may enter it. */
    private static final IntPredicate ANY_SLOT = slot -> true;

    private final GraphState state;
    private final GraphSearch search;
    private final QueryScorer exact;
    /** The exact scans of {@link #searchAmong}, with their scratch. */
    private final IdScan scan = new IdScan();
    /** The caller's traversal scorer (diskann-pq's codes), or null to use the index's own codes, if any. */
    private final QueryScorer fixedTraversal;
    /** The index's traversal codes this searcher last saw, and its scorer over them. */
    private TraversalCodes seenCodes;
    private QueryScorer codesScorer;
    private QueryScorer traversal;
    private boolean approximate;
    private final LiveFilter filter = new LiveFilter();
    /** Maps the caller's traversal predicate on ids to ordinals (guided searches). */
    private final IdPredicate traverseIds = new IdPredicate();
    /** Entry ordinals of a guided search, by count (the search takes an exact-length array). */
    private int[][] entryArrays = new int[9][];
    /** Set during a guided search: where it starts (null: the graph's entry points). */
    private int[] guidedEntries;
    private int[] nodes = new int[64];
    private float[] distances = new float[64];
    private int touchLines = -1;
    private int touchSink;
    private QueryStats last = QueryStats.NONE;
    /** The start sample this searcher last saw, its scorer, and scratch for the entries it makes. */
    private StartSample seenSample;
    private QueryScorer sampleScorer;
    private float[] sampleDistances = new float[0];
    private int[] sampledEntries = new int[0];
    private boolean closed;

    /** @param traversal scores the graph traversal; null: the index's own codes ({@link Traversal#SQ8}) or exact distances */
    VamanaSearcher(GraphState state, QueryScorer traversal) {
        this.state = state;
        this.search = new GraphSearch(Math.max(1, state.slots.capacity()));
        this.exact = state.vectors.scorer(state.metric);
        this.fixedTraversal = traversal;
    }

    /** Picks this search's traversal scorer; called under the shared lock (codes only change under the exclusive one). */
    private void chooseTraversal() {
        TraversalCodes c = state.codes;
        if (c != seenCodes) {
            seenCodes = c;
            codesScorer = c == null ? null : c.codes.scorer(state.metric);
            if (codesScorer != null && touchLines >= 0) {
                codesScorer.setTouchLines(touchLines);
            }
        }
        QueryScorer t = fixedTraversal != null ? fixedTraversal : codesScorer;
        approximate = t != null;
        traversal = approximate ? t : exact;
    }

    /**
     * Whether the index's own codes could give full-precision distances (8-bit data stored as floats): then
     * they do for a query their scorer encodes exactly ({@link QueryScorer#queryExact}). f32 storage only: f16
     * may have rounded the vectors its codes were made from.
     */
    private boolean ownCodesExact() {
        return seenCodes != null && state.vectors.type() == VectorType.F32 && seenCodes.codes.exact();
    }

    /**
     * Whether this search traverses the index's own codes and they give full-precision distances for the query
     * the traversal scorer holds: then re-ranking changes nothing and is skipped (on Fashion-MNIST f32 it read L
     * rows of 3 KiB per query).
     */
    private boolean exactCodesForQuery() {
        return fixedTraversal == null && ownCodesExact() && codesScorer.queryExact();
    }

    /**
     * What a re-rank scores with: the index's own 8-bit codes where they are exact for {@code query} (a caller's
     * traversal, diskann-pq's codes, walked the graph), else the full vectors. Same distances from a quarter of
     * the bytes: a Fashion-MNIST PQ search re-ranking 48 read 13 cache lines per candidate instead of 49, and ran
     * 1.06-1.17x faster (docs/PERFORMANCE.md section 35).
     */
    private QueryScorer rescorerFor(float[] query) {
        if (fixedTraversal != null && codesScorer != null && exactRerankOnCodes && ownCodesExact()) {
            codesScorer.setQuery(query);
            if (codesScorer.queryExact()) {
                return codesScorer;
            }
        }
        return exact;
    }

    /** Accepts live slots whose id the user's filter accepts. Reused: no allocation per search. */
    private static final class LiveFilter implements IntPredicate {
        SlotTable slots;
        IntPredicate user;

        @Override
        public boolean test(int slot) {
            return slots.isLive(slot) && (user == null || user.test(slots.labelOf(slot)));
        }
    }

    /** Tests ordinals through their ids. */
    private static final class IdPredicate implements IntPredicate {
        SlotTable slots;
        IntPredicate ids;

        @Override
        public boolean test(int slot) {
            return ids.test(slots.labelOf(slot));
        }
    }

    @Override
    public int searchFrom(float[] query, SearchParams params, int[] startIds, int startCount, IntPredicate traverse,
                          int[] outIds, float[] outDistances) {
        if (params == null || traverse == null || startIds == null || startCount < 0 || startCount > startIds.length) {
            throw new IllegalArgumentException("params, start ids (with a count within them) and traverse are required");
        }
        if (outIds == null || outDistances == null || outIds.length < params.k() || outDistances.length < params.k()) {
            throw new IllegalArgumentException("result arrays must hold k = " + params.k() + " entries");
        }
        ensureOpen();
        Lock r = state.lock.readLock();
        r.lock();
        try {
            SlotTable slots = state.slots;
            int w = 0;
            if (entryArrays.length <= startCount) {
                entryArrays = new int[startCount + 1][];
            }
            int[] tmp = entryArrays[0] == null || entryArrays[0].length < startCount
                    ? (entryArrays[0] = new int[Math.max(8, startCount)]) : entryArrays[0];
            for (int i = 0; i < startCount; i++) {
                int slot = slots.slotOf(startIds[i]);
                if (slot >= 0) {
                    tmp[w++] = slot;
                }
            }
            if (w > 0) {
                if (entryArrays[w] == null) {
                    entryArrays[w] = new int[w];
                }
                System.arraycopy(tmp, 0, entryArrays[w], 0, w);
                guidedEntries = entryArrays[w];
            }
            traverseIds.slots = slots;
            traverseIds.ids = traverse;
            search.traverseOnly(traverseIds);
            int n = run(query, params);
            System.arraycopy(nodes, 0, outIds, 0, n);
            System.arraycopy(distances, 0, outDistances, 0, n);
            return n;
        } finally {
            search.traverseOnly(null);
            traverseIds.ids = null;
            guidedEntries = null;
            r.unlock();
        }
    }

    @Override
    public boolean expandsTwoHops() {
        return true;
    }

    @Override
    public SearchResult search(float[] query, SearchParams params) {
        int n = run(query, params);
        return new SearchResult(Arrays.copyOf(nodes, n), Arrays.copyOf(distances, n), last);
    }

    @Override
    public int search(float[] query, SearchParams params, int[] ids, float[] dists) {
        if (ids == null || dists == null || ids.length < params.k() || dists.length < params.k()) {
            throw new IllegalArgumentException("result arrays must hold k = " + params.k() + " entries");
        }
        int n = run(query, params);
        System.arraycopy(nodes, 0, ids, 0, n);
        System.arraycopy(distances, 0, dists, 0, n);
        return n;
    }

    /** Searches; leaves the ids and distances in {@link #nodes} and {@link #distances}; returns their count. */
    private int run(float[] query, SearchParams params) {
        ensureOpen();
        Lock r = state.lock.readLock();
        r.lock();
        try {
            chooseTraversal();
            setTouchLines(params.touchLines());
            exact.setQuery(query);
            checkSearchable();
            if (approximate) {
                traversal.setQuery(query);
            }
            SlotTable slots = state.slots;
            filter.slots = slots;
            filter.user = params.filter();
            int rerank = !approximate || exactCodesForQuery() ? 0
                    : params.rerank() == SearchParams.DEFAULT ? params.listSize() : params.rerank();
            int want = Math.max(params.k(), rerank);
            // with nothing to reject, the search list itself is the result: no second list, no predicate calls
            IntPredicate accept = params.filter() == null && slots.allReachableLive() ? null : filter;
            // a rerank deeper than L: the best `want` of every node scored, kept in the result list beside the
            // search list (nodes the list of L dropped may still be among the true top k). Fashion-MNIST, PQ
            // M=98 of PCA:196: L=20 with rerank 32 reaches 0.9918 at 1.05-1.21x the QPS of the best capped setting
            // (L=32, rerank 24: 0.9912; docs/PERFORMANCE.md section 34)
            if (accept == null && want > params.listSize() && widePool) {
                accept = ANY_SLOT;
            }
            // a selective filter of known share: ACORN-style two-hop expansion, the list holds accepted nodes only
            search.twoHop(params.selectiveFilter() ? filter : null);
            // a selective filter (or one of unknown share) may exclude the sample's region: it starts where it
            // always did. One accepting a known share of at least TWO_HOP_BELOW is walked as an unfiltered search
            // is, and starting near the query pays there too: Fashion-MNIST, 50% ORs at L=10, 423 -> 392
            // distances, recall 0.9754 -> 0.9826, 5-10% less time (in-JVM A/B); 10% labels 511 -> 488 distances,
            // 3-6% less time (docs/PERFORMANCE.md, section 41)
            int[] starts = guidedEntries != null ? guidedEntries
                    : params.filter() == null || params.filterShare() >= SearchParams.TWO_HOP_BELOW
                    ? sampledStarts(query) : null;
            int sampled = starts == null || starts == guidedEntries ? 0 : seenSample.slots.length;
            try {
                if (starts != null) {
                    search.search(state.graph, state.maxDegree(), state.nodeBound(), starts, traversal,
                            params.listSize(), params.beamWidth(), accept, want);
                } else {
                    search.search(state, state.graph, traversal, params.listSize(), params.beamWidth(), accept, want);
                }
            } finally {
                search.twoHop(null);
            }
            int n = takeResults(want);
            if (rerank > 0) {
                rescore(rescorerFor(query), n);
            }
            int out = toIds(slots, n, params.k(), Float.POSITIVE_INFINITY);
            last = QueryStats.inMemory(search.distanceComputations() + sampled, rerank > 0 ? n : 0, search.hops());
            return out;
        } finally {
            filter.user = null;
            r.unlock();
        }
    }

    @Override
    public int searchAmong(float[] query, int[] ids, int count, int k, int[] outIds, float[] outDistances) {
        if (k < 1 || outIds.length < k || outDistances.length < k || count < 0 || count > ids.length) {
            throw new IllegalArgumentException("k must be >= 1 with result arrays of at least k entries and count in 0.."
                    + ids.length + "; got k " + k + ", arrays " + outIds.length + "/" + outDistances.length + ", count " + count);
        }
        ensureOpen();
        Lock r = state.lock.readLock();
        r.lock();
        try {
            state.ensureOpen();
            // 8-bit data stored as floats, and an 8-bit query: the index's exact codes give the same distances as
            // the rows from a quarter of the bytes (a scan's rows are cold: 784 x f32 is 49 cache lines, its code 13)
            chooseTraversal();
            setTouchLines(IdScan.TOUCH_LINES);
            QueryScorer scorer = exact;
            if (codesScorer != null && ownCodesExact()) {
                codesScorer.setQuery(query);
                if (codesScorer.queryExact()) {
                    scorer = codesScorer;
                }
            }
            if (scorer == exact) {
                exact.setQuery(query);
            }
            ScanBounds bounds = boundedScans && count > k + IdScan.BLOCK ? state.scanBounds : null;
            int n = scan.run(state.slots, bounds, scorer, query, ids, count, k, outIds, outDistances);
            last = QueryStats.inMemory(scan.scored(), scan.scored(), 0);
            return n;
        } finally {
            r.unlock();
        }
    }

    @Override
    public SearchResult rangeSearch(float[] query, float radius, RangeParams params) {
        if (Float.isNaN(radius)) {
            throw new IllegalArgumentException("radius is NaN");
        }
        ensureOpen();
        Lock r = state.lock.readLock();
        r.lock();
        try {
            chooseTraversal();
            setTouchLines(SearchParams.DEFAULT);
            exact.setQuery(query);
            checkSearchable();
            SlotTable slots = state.slots;
            filter.slots = slots;
            filter.user = params.filter();
            int listSize = params.initialListSize();
            long comps = 0;
            long hops = 0;
            while (true) {
                search.search(state, state.graph, exact, listSize, params.beamWidth(), filter, listSize);
                comps += search.distanceComputations();
                hops += search.hops();
                int listed = search.listCount();
                int inside = 0;
                while (inside < listed && search.listDistance(inside) <= radius) {
                    inside++;
                }
                if (inside * 2 < listSize || listSize >= params.maxListSize() || listed < listSize) {
                    int n = takeResults(listSize);
                    int out = toIds(slots, n, n, radius);
                    last = QueryStats.inMemory(comps, 0, hops);
                    return new SearchResult(Arrays.copyOf(nodes, out), Arrays.copyOf(distances, out), last);
                }
                listSize = (int) Math.min(params.maxListSize(), 2L * listSize);
            }
        } finally {
            filter.user = null;
            r.unlock();
        }
    }

    /**
     * The search's entry points with the start sample's node closest to {@code query} in front (see {@link
     * StartSample}), or null to start at the graph's own entry points (no sample: the index is small or the
     * sample is off). Scores the sample's rows in the representation the traversal uses.
     */
    private int[] sampledStarts(float[] query) {
        StartSample s = state.startSample(fixedTraversal == null && approximate);
        if (s == null || !s.useful()) {
            return null;
        }
        if (s != seenSample) {
            seenSample = s;
            sampleScorer = s.scorer(state.metric);
            sampleDistances = new float[s.slots.length];
        }
        sampleScorer.setQuery(query);
        int n = s.slots.length;
        sampleScorer.scoreBatch(s.ordinals, n, sampleDistances);
        int best = 0;
        for (int i = 1; i < n; i++) {
            if (sampleDistances[i] < sampleDistances[best]) {
                best = i;
            }
        }
        int[] base = state.entryPoints();
        if (sampledEntries.length != base.length + 1) {
            sampledEntries = new int[base.length + 1];
        }
        sampledEntries[0] = s.slots[best];
        System.arraycopy(base, 0, sampledEntries, 1, base.length);
        return sampledEntries;
    }

    private void checkSearchable() {
        state.ensureOpen();
        if (state.start < 0 || state.slots.liveCount() == 0) {
            throw new IllegalStateException("the index is empty: build it or insert vectors first");
        }
    }

    private void setTouchLines(int lines) {
        int want = lines == SearchParams.DEFAULT ? MemoryTouch.DEFAULT_LINES : lines;
        if (want != touchLines) {
            exact.setTouchLines(want);
            if (fixedTraversal != null) {
                fixedTraversal.setTouchLines(want);
            }
            if (codesScorer != null) {
                codesScorer.setTouchLines(want);
            }
            touchLines = want;
        }
    }

    /** Copies up to {@code want} results of the traversal (slots, closest first) into the scratch. */
    private int takeResults(int want) {
        int n = Math.min(want, search.resultCount());
        if (nodes.length < n) {
            nodes = new int[n];
            distances = new float[n];
        }
        for (int i = 0; i < n; i++) {
            nodes[i] = search.resultNode(i);
            distances[i] = search.resultDistance(i);
        }
        return n;
    }

    /**
     * Re-scores the candidates with full-precision vectors and sorts them. Full vectors are random reads,
     * so a block's vectors are touched first and their misses overlap (measured +8% QPS on Fashion-MNIST
     * PQ searches), as the traversal does for a node's neighbours.
     */
    private void rescore(QueryScorer scorer, int n) {
        int sink = 0;
        for (int from = 0; from < n; from += RERANK_BLOCK) {
            int to = Math.min(n, from + RERANK_BLOCK);
            for (int i = from; i < to; i++) {
                sink += scorer.touch(nodes[i]);
            }
            for (int i = from; i < to; i++) {
                distances[i] = scorer.score(nodes[i]);
            }
        }
        touchSink += sink;
        sortByDistance(nodes, distances, n);
    }

    /**
     * Turns the first {@code n} result slots into ids, in place: at most {@code k}, each id once, none
     * farther than {@code radius}. Returns how many.
     */
    private int toIds(SlotTable slots, int n, int k, float radius) {
        int out = 0;
        for (int i = 0; i < n && out < k; i++) {
            float d = distances[i];
            if (d > radius) {
                break;
            }
            int id = slots.labelOf(nodes[i]);
            boolean seen = false;
            for (int j = 0; j < out && !seen; j++) {
                seen = nodes[j] == id;
            }
            if (!seen) {
                nodes[out] = id;
                distances[out++] = d;
            }
        }
        return out;
    }

    /** Insertion sort by distance, ties by slot: the lists are short and mostly ordered already. */
    private static void sortByDistance(int[] ids, float[] d, int n) {
        for (int i = 1; i < n; i++) {
            int id = ids[i];
            float v = d[i];
            int j = i - 1;
            while (j >= 0 && (d[j] > v || (d[j] == v && ids[j] > id))) {
                d[j + 1] = d[j];
                ids[j + 1] = ids[j];
                j--;
            }
            d[j + 1] = v;
            ids[j + 1] = id;
        }
    }

    @Override
    public QueryStats lastStats() {
        return last;
    }

    private void ensureOpen() {
        if (closed) {
            throw new IllegalStateException("this searcher is closed");
        }
    }

    /** Nothing; keeps the touched loads of re-ranking observable so they are not optimised away. */
    int touchSink() {
        return touchSink + search.touchSink() + scan.touchSink();
    }

    @Override
    public void close() {
        closed = true;
    }
}
