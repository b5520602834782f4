package io.diskann.graph;

import io.diskann.vector.QueryScorer;
import java.util.Arrays;

/**
 * Greedy search whose traversal scores candidates with an approximate scorer (product-quantization
 * codes, say), after which the best candidates are re-scored with the full-precision vectors: DiskANN's
 * search over PQ codes with full-precision rerank.
 *
 * <p>Why: graph search is bound by memory traffic, and a code of M bytes is far less to fetch than a
 * full vector; only the {@code rerank} best candidates of the search list pay for a full vector read.
 * Scratch lives in per-thread contexts, as for plain searches.
 */
final class RerankingSearch {

    /** Candidates whose vectors are touched together before scoring (their misses overlap). */
    private static final int RERANK_BLOCK = 16;
    /** A/B switch for measurements: {@code -Ddiskann.rerank.touch=false}. */
    private static final boolean TOUCH = GreedySearch.TOUCH
            && !System.getProperty("diskann.rerank.touch", "true").equals("false");

    private final GraphState state;
    private final ThreadLocal<SearchContext> traversalContexts;
    private final ThreadLocal<Scratch> scratch = ThreadLocal.withInitial(Scratch::new);

    RerankingSearch(GraphState state) {
        this.state = state;
        this.traversalContexts = ThreadLocal.withInitial(() -> new SearchContext(state.vectors, state.metric,
                Math.max(1, state.slots.highWater()), state.graph.maxDegree()));
    }

    private static final class Scratch {
        int[] slots = new int[64];
        float[] distances = new float[64];
    }

    /**
     * Runs the search; the caller holds the read lock and has set {@code exact}'s query (validated).
     * {@code rerank == 0} returns the traversal's own (approximate) distances.
     */
    SearchResult search(float[] query, int k, int listSize, QueryScorer traversal, int rerank, QueryScorer exact) {
        traversal.setQuery(query);
        SearchContext ctx = traversalContexts.get();
        ctx.scorer = traversal;
        int[] extra = state.entryPoints;
        int capacity = state.slots.capacity();
        if (extra.length == 0) {
            GreedySearch.search(ctx, state.graph, capacity, state.start, listSize, null);
        } else {
            GreedySearch.searchFrom(ctx, state.graph, capacity, state.start, extra, listSize);
        }
        NeighborQueue q = ctx.queue;
        SlotTable slots = state.slots;
        int want = Math.max(k, rerank);
        Scratch s = scratch.get();
        if (s.slots.length < want) {
            s.slots = new int[want];
            s.distances = new float[want];
        }
        int n = 0;
        for (int i = 0; i < q.size() && n < want; i++) {
            int slot = q.id(i);
            if (slots.isLive(slot)) {
                s.slots[n] = slot;
                s.distances[n++] = q.distance(i);
            }
        }
        if (rerank > 0) {
            // full vectors are random reads: touch a block's vectors first so their misses overlap, then
            // score the block (as the traversal does for a node's neighbours)
            int sink = 0;
            for (int from = 0; from < n; from += RERANK_BLOCK) {
                int to = Math.min(n, from + RERANK_BLOCK);
                if (TOUCH) {
                    for (int i = from; i < to; i++) {
                        sink += exact.touch(s.slots[i]);
                    }
                }
                for (int i = from; i < to; i++) {
                    s.distances[i] = exact.score(s.slots[i]);
                }
            }
            ctx.touchSink += sink;
        }
        long comps = ctx.distanceComputations + (rerank == 0 ? 0 : n);
        if (rerank > 0) {
            sortByDistance(s.slots, s.distances, n);
        }
        int[] ids = new int[Math.min(k, n)];
        float[] d = new float[ids.length];
        int out = 0;
        for (int i = 0; i < n && out < ids.length; i++) {
            int label = slots.labelOf(s.slots[i]);
            boolean seen = false;
            for (int j = 0; j < out && !seen; j++) {
                seen = ids[j] == label;
            }
            if (!seen) {
                ids[out] = label;
                d[out++] = s.distances[i];
            }
        }
        if (out < ids.length) {
            ids = Arrays.copyOf(ids, out);
            d = Arrays.copyOf(d, out);
        }
        return new SearchResult(ids, d, comps, ctx.hops);
    }

    /** Insertion sort: the lists are short (rerank candidates) and mostly ordered already. */
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
}
