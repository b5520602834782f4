package io.diskann.filter;

import io.diskann.index.ExactScan;
import io.diskann.index.GuidedSearch;
import io.diskann.index.RangeParams;
import io.diskann.index.SearchParams;
import io.diskann.index.SearchResult;
import io.diskann.index.Searcher;
import io.diskann.index.VectorIndex;
import io.diskann.util.ObjectPool;
import java.util.Arrays;
import java.util.function.IntPredicate;

/**
 * How a label-filtered query runs on any index kind, shared by {@link LabeledIndex} (the mutable
 * in-memory graph) and {@link FilteredIndex} (a PQ or SSD-resident index with labels in RAM).
 *
 * <p>The filter's match count is known from label counts alone ({@link LabelFilter#maxMatches}). When it
 * matches few vectors ({@link FilterParams}) and the index's searcher can score given ids
 * ({@link ExactScan}), the matching ids are read from the posting lists and scored: recall 1 (or, on the
 * disk index, PQ-shortlisted and re-read exactly). An AND is first counted exactly when its rarest label
 * is small enough. A Filtered-Vamana graph ({@link #constraint} set, searcher a {@link GuidedSearch})
 * is walked from the labels' start points through their vectors. Otherwise the graph is searched with
 * the filter inside the loop: below {@link SearchParams#TWO_HOP_BELOW} of the vectors with two-hop expansion
 * on the in-memory graph (a label filter made a bitset first), otherwise with the list widened as
 * L / sqrt(selectivity) up to {@link FilterParams#maxListSize}.
 *
 * <p>Thread-safe: searchers and buffers come from a pool, one per concurrent search.
 */
final class FilterSearch implements AutoCloseable {

    /** An AND is counted exactly when its rarest label has at most this many carriers. */
    static final int AND_CHECK_LIMIT = 50_000;

    private final VectorIndex index;
    private final LabelStore labels;
    private final FilterParams params;
    /** Ids are below this (a labeled index's next id): where a predicate's share is sampled. */
    private final java.util.function.IntSupplier idBound;
    /** Filtered-Vamana's rules when the graph was built with them (null: a plain graph). */
    private volatile LabelLinkConstraint constraint;
    private final ObjectPool<Scratch> scratch = new ObjectPool<>(2 * Runtime.getRuntime().availableProcessors());

    /** Per-search buffers: a searcher, the candidate ids, and a bitset of them for two-hop searches. */
    private final class Scratch {
        final Searcher searcher = index.searcher();
        int[] candidates = new int[1024];
        final int[] starts = new int[LabelLinkConstraint.MAX_STARTS];
        long[] bits = new long[16];
        private final IntPredicate marked = id -> id >= 0 && (id >>> 6) < bits.length && (bits[id >>> 6] & (1L << id)) != 0;

        /** Sets the bits of {@code candidates[0..count)}; returns the test. */
        IntPredicate mark(int count) {
            int max = 0;
            for (int i = 0; i < count; i++) {
                max = Math.max(max, candidates[i]);
            }
            if ((max >>> 6) >= bits.length) {
                bits = new long[Math.max((max >>> 6) + 1, 2 * bits.length)];
            }
            for (int i = 0; i < count; i++) {
                bits[candidates[i] >>> 6] |= 1L << candidates[i];
            }
            return marked;
        }

        /** The ids carrying any label of the current OR (see {@link #unionOf}); all zero between searches. */
        long[] union = new long[16];
        private final IntPredicate united = id -> id >= 0 && (id >>> 6) < union.length
                && (union[id >>> 6] & (1L << id)) != 0;

        /** A cached union being walked ({@link LabelUnions#shared}), read only; null between searches. */
        long[] shared;
        private final IntPredicate inShared = id -> id >= 0 && (id >>> 6) < shared.length
                && (shared[id >>> 6] & (1L << id)) != 0;

        /** The OR's own test, behind {@link #unitedExactly}. */
        IntPredicate exact;
        private final IntPredicate unitedExactly = id -> united.test(id) && exact.test(id);

        /**
         * The test of the OR's union: a cached one when held (returned with nothing to clear), else {@link #union}
         * set to the OR's carriers; {@link #unionWords} then holds how many words to clear afterwards. When stale
         * postings were marked (labels taken off since the last compaction), the union test is followed by
         * {@code exactTest} (the OR's own), so the walk passes and keeps what the per-node test would.
         */
        IntPredicate unionOf(LabelFilter.AnyOf any, IntPredicate exactTest) {
            long[] held = labels.unions().shared(any);
            if (held != null) {
                shared = held;
                unionWords = 0;
                return inShared;
            }
            long built;
            while ((built = labels.unions().into(any.labels(), union)) < 0) {
                union = new long[Math.max(labels.unions().words(), 2 * union.length)];
            }
            unionWords = (int) built;
            if ((built >>> 32) != 0) {
                return united;
            }
            exact = exactTest;
            return unitedExactly;
        }

        /** Words of {@link #union} the last {@link #unionOf} set (0: a cached union was used). */
        int unionWords;

        /** Forgets the union of the last {@link #unionOf}, clearing what it set. */
        void dropUnion() {
            shared = null;
            exact = null;
            if (unionWords > 0) {
                Arrays.fill(union, 0, unionWords, 0L);
                unionWords = 0;
            }
        }

        /** Clears what {@link #mark} set (only those words: no pass over the whole bitset). */
        void unmark(int count) {
            for (int i = 0; i < count; i++) {
                bits[candidates[i] >>> 6] = 0;
            }
        }
    }

    FilterSearch(VectorIndex index, LabelStore labels, FilterParams params, java.util.function.IntSupplier idBound) {
        this.idBound = idBound;
        this.index = index;
        this.labels = labels;
        this.params = params;
    }

    void constraint(LabelLinkConstraint c) {
        this.constraint = c;
    }

    LabelLinkConstraint constraint() {
        return constraint;
    }

    FilterParams params() {
        return params;
    }

    /** Returns scratch to the pool, or closes its searcher when the pool is full (a disk searcher holds a kernel context). */
    private void release(Scratch s) {
        if (!scratch.offer(s)) {
            s.searcher.close();
        }
    }

    private Scratch take() {
        Scratch s = scratch.poll();
        return s != null ? s : new Scratch();
    }

    SearchResult search(float[] query, SearchParams searchParams, LabelFilter filter) {
        if (searchParams == null) {
            throw new IllegalArgumentException("params is null");
        }
        if (searchParams.filter() != null) {
            throw new IllegalArgumentException("pass the filter as a LabelFilter (a predicate: LabelFilter.predicate)");
        }
        if (filter == null) {
            return index.search(query, searchParams);
        }
        int n = Math.max(1, index.size());
        int matches = filter.maxMatches(labels);
        Scratch s = take();
        try {
            boolean scannable = s.searcher instanceof ExactScan && !(filter instanceof LabelFilter.Predicate);
            int exactCount = -1;
            if (scannable && matches >= 0 && scans(matches, n, walkLists(filter))) {
                return scanCandidates(s, query, searchParams.k(), candidates(s, filter));
            }
            if (scannable && filter instanceof LabelFilter.AllOf && matches <= AND_CHECK_LIMIT) {
                // an AND's true matches are the rarest label's carriers that have the others: checking labels
                // costs far less than one distance, so count them, and scan if few (Lucene knows the exact
                // cardinality from its bitset and scanned Fashion-MNIST's 0.1% ANDs 7-38x faster than our
                // graph walk did)
                int count = candidates(s, filter);
                if (scans(count, n)) {
                    return scanCandidates(s, query, searchParams.k(), count);
                }
                exactCount = count;
            }
            // a broad OR (>= 5%) walked unguided over the whole label-aware graph, filter in the loop, was worse:
            // Fashion-MNIST stitched, 10% OR at L=80 0.976 recall with 3,395 distances vs guided 0.992 with 623
            if (constraint != null && s.searcher instanceof GuidedSearch && !(filter instanceof LabelFilter.Predicate)) {
                return guided(s, query, searchParams, filter);
            }
            // widen L by 1 / sqrt(selectivity): the loop keeps the best accepted nodes among all it scores, so a
            // list of L / selectivity overpays. Fashion-MNIST, 3,000 filtered queries, at recall ~0.99-0.997:
            // 1/s -> 1/sqrt(s) took 10% AND 297 -> 401 QPS, 50% OR 1,043 -> 1,942 (in memory); the disk index at
            // 10% label 454 -> 1,362 QPS (recall 0.996 -> 0.988, 216 -> 88 reads); no widening needed L = 100
            // there for 0.990 at 743 QPS
            double expected = exactCount >= 0 ? Math.max(exactCount, 1)
                    : filter instanceof LabelFilter.AllOf all ? all.independentEstimate(labels) : Math.max(matches, 1);
            IntPredicate accept = filter.asPredicate(labels);
            double selectivity = matches < 0 ? sampleShare(accept, idBound.getAsInt())
                    : Math.min(1.0, expected / n);
            int marked = -1;
            boolean united = false;
            boolean recheck = false;
            try {
                boolean twoHop = selectivity < SearchParams.TWO_HOP_BELOW && s.searcher.expandsTwoHops();
                if (twoHop && !(filter instanceof LabelFilter.Predicate)) {
                    // the in-memory graph searches it with two-hop expansion, which tests thousands of nodes per
                    // hop: a label filter becomes a bitset first (Fashion-MNIST, 3% AND: 190 QPS testing labels
                    // per node, 310 with the bitset), and its exact count decides again
                    int count = exactCount >= 0 ? exactCount : candidates(s, filter);
                    if (scannable && scans(count, n)) {
                        return scanCandidates(s, query, searchParams.k(), count);
                    }
                    marked = count;
                    accept = s.mark(count);
                    selectivity = Math.min(1.0, Math.max(1.0 / n, count / (double) n));
                    twoHop = selectivity < SearchParams.TWO_HOP_BELOW;
                } else if (!twoHop && filter instanceof LabelFilter.AnyOf any
                        && unites(any, widened(searchParams.listSize(), selectivity))) {
                    // the OR's labels as one bitset: one probe per node instead of one per label (see unites)
                    accept = s.unionOf(any, accept);
                    united = true;
                    recheck = true;
                } else if (!twoHop && markSparseOrs && filter instanceof LabelFilter.AnyOf any
                        && matches <= MARK_OR_PER_LIST_ENTRY * (long) widened(searchParams.listSize(), selectivity)
                        && labels.anySparse(any.labels())) {
                    // an OR with sparse labels tested per node reads the node's label array (a cache miss) for
                    // them: mark the posting lists in a bitset instead, unsorted (docs/PERFORMANCE.md section 36)
                    long gathered;
                    while ((gathered = labels.unsortedPostings(any, s.candidates)) < 0) {
                        s.candidates = new int[s.candidates.length * 2];
                    }
                    marked = (int) gathered;
                    IntPredicate bits = s.mark(marked);
                    IntPredicate byLabels = accept;
                    accept = (gathered >>> 32) != 0 ? bits : id -> bits.test(id) && byLabels.test(id);
                    recheck = true;
                }
                int l = searchParams.listSize();
                // with two-hop the list holds accepted nodes only: no widening
                int widened = twoHop ? l : widened(l, selectivity);
                SearchParams p = SearchParams.builder(searchParams.k()).listSize(Math.max(l, widened))
                        .beamWidth(searchParams.beamWidth()).rerank(searchParams.rerank())
                        .touchLines(searchParams.touchLines()).filter(accept, selectivity).build();
                SearchResult walked = s.searcher.search(query, p);
                // a two-hop walk that found fewer than k of the marked matches got stuck in one region (its list
                // holds accepted nodes only, and each hop explores a bounded ring of rejected ones): answer
                // exactly from the marked ids (the stats add both searches). Seen on 3,000 clustered vectors, a label with 20 carriers, the
                // graph path forced: 2 results in 3 hops, recall 0.135
                if (twoHop && marked >= 0 && scannable && walked.size() < Math.min(searchParams.k(), marked)) {
                    SearchResult scanned = scanCandidates(s, query, searchParams.k(), marked);
                    return new SearchResult(scanned.ids(), scanned.distances(), walked.stats().plus(scanned.stats()));
                }
                return recheck ? stillMatching(walked, filter) : walked;
            } finally {
                if (marked >= 0) {
                    s.unmark(marked);
                }
                if (united) {
                    s.dropUnion();
                }
            }
        } finally {
            release(s);
        }
    }

    SearchResult rangeSearch(float[] query, float radius, RangeParams rangeParams, LabelFilter filter) {
        if (rangeParams == null) {
            throw new IllegalArgumentException("params is null");
        }
        if (rangeParams.filter() != null) {
            throw new IllegalArgumentException("pass the filter as a LabelFilter (a predicate: LabelFilter.predicate)");
        }
        if (!(radius >= 0) || Float.isInfinite(radius)) {
            throw new IllegalArgumentException("radius must be a finite number >= 0, got " + radius);
        }
        if (filter == null) {
            return index.rangeSearch(query, radius, rangeParams);
        }
        int matches = filter.maxMatches(labels);
        if (matches >= 0 && !(filter instanceof LabelFilter.Predicate) && scans(matches, Math.max(1, index.size()))) {
            Scratch s = take();
            try {
                if (s.searcher instanceof ExactScan scan) {
                    int count = candidates(s, filter);
                    if (count == 0) {
                        return new SearchResult(new int[0], new float[0], null);
                    }
                    int[] ids = new int[count];
                    float[] d = new float[count];
                    int found = scan.searchAmong(query, s.candidates, count, count, ids, d);
                    int inside = 0;
                    while (inside < found && d[inside] <= radius) {
                        inside++;
                    }
                    return new SearchResult(Arrays.copyOf(ids, inside), Arrays.copyOf(d, inside), s.searcher.lastStats());
                }
            } finally {
                release(s);
            }
        }
        return index.rangeSearch(query, radius, rangeParams.withFilter(filter.asPredicate(labels)));
    }

    /**
     * Filtered-Vamana's search: from the start points of the filter's labels, through the vectors that
     * carry them (for AND, the rarest label's, results the vectors with all), L widened for AND by how
     * much rarer the conjunction is than its rarest label.
     */
    private SearchResult guided(Scratch s, float[] query, SearchParams sp, LabelFilter filter) {
        LabelLinkConstraint c = constraint;
        int count = 0;
        IntPredicate traverse;
        IntPredicate accept = null;
        int marked = 0;
        boolean united = false;
        int l = sp.listSize();
        switch (filter) {
            case LabelFilter.Label one -> {
                count = addStart(s.starts, count, c.startOf(one.label()));
                int label = one.label();
                IntPredicate exact = id -> labels.matches(id, label);
                if (!labels.dense(label) && labels.matchCount(label) <= MARK_PER_LIST_ENTRY * (long) l) {
                    // A sparse label has no bitset, and testing a neighbour meant a binary search in its label
                    // array (19% of the filtered walks' CPU). Its carriers are few: mark them in a bitset for this
                    // walk; results are still checked on the labels (a node relabeled meanwhile is not returned).
                    // Fashion-MNIST stitched, 1% labels, L=20: 6,011-9,214 -> 12,044-17,408 QPS at the same
                    // recall (docs/PERFORMANCE.md section 22). Only while listing and sorting the carriers costs
                    // less than the walk: up to MARK_PER_LIST_ENTRY per entry of the list.
                    marked = candidates(s, filter);
                    traverse = s.mark(marked);
                    accept = exact;
                } else {
                    traverse = exact;
                }
            }
            case LabelFilter.AnyOf any -> {
                for (int label : any.labels()) {
                    count = addStart(s.starts, count, c.startOf(label));
                }
                traverse = filter.asPredicate(labels);
                if (unites(any, l)) {
                    // walked and accepted on the union, results confirmed on the labels after the walk: testing
                    // the labels of every scored node was 13% of a 1M 10% OR's time (profile, section 44)
                    traverse = s.unionOf(any, traverse);
                    united = true;
                }
                // each label's vectors form their own region of the graph: when the union is selective, one
                // list of L per label (Fashion-MNIST, OR of 2-8 labels at 1%: recall 0.66 at L = 20 with one
                // shared list, 0.90 with one per label); broad unions need no more (at 10-65% one list per
                // label cost 2-4x the QPS for under 0.01 of recall)
                double union = Math.max(1, filter.maxMatches(labels)) / (double) Math.max(1, labels.size());
                if (union < SELECTIVE_UNION) {
                    l = (int) Math.min(Math.max(l, params.maxListSize()), (long) l * Math.max(1, count));
                }
            }
            case LabelFilter.AllOf all -> {
                int rarest = all.rarest(labels);
                count = addStart(s.starts, count, c.startOf(rarest));
                traverse = id -> labels.matches(id, rarest);
                accept = filter.asPredicate(labels);
                // results are the rarest label's vectors that carry the others too: widen by the square root
                // of how much rarer that is (Fashion-MNIST: the full ratio cost 3x the QPS at 10% for +0.017
                // recall; none left 0.958 at 1%)
                double share = Math.min(1, all.independentEstimate(labels) / Math.max(1, labels.matchCount(rarest)));
                l = (int) Math.min(Math.max(l, params.maxListSize()), Math.ceil(l / Math.sqrt(share)));
            }
            case LabelFilter.Predicate p -> throw new IllegalStateException("predicates search the graph unguided");
        }
        try {
            int live = 0;
            for (int i = 0; i < count; i++) { // a start deleted or relabeled meanwhile would lead the walk astray
                if (index.contains(s.starts[i]) && traverse.test(s.starts[i])) {
                    s.starts[live++] = s.starts[i];
                }
            }
            if (live == 0 && s.searcher instanceof ExactScan) { // no vector carries the labels (universal ones may match)
                if (marked > 0) {
                    s.unmark(marked); // before the candidates are listed again, over the marked ones
                    marked = 0;
                }
                return scanCandidates(s, query, sp.k(), candidates(s, filter));
            }
            if (accept == null) {
                accept = traverse; // results are checked too: a node relabeled during the walk is not returned
            }
            SearchParams p = SearchParams.builder(sp.k()).listSize(Math.max(l, sp.listSize())).beamWidth(sp.beamWidth())
                    .rerank(sp.rerank()).touchLines(sp.touchLines()).filter(accept).build();
            int[] ids = new int[sp.k()];
            float[] d = new float[sp.k()];
            int n = ((GuidedSearch) s.searcher).searchFrom(query, p, s.starts, live, traverse, ids, d);
            SearchResult walked = new SearchResult(Arrays.copyOf(ids, n), Arrays.copyOf(d, n), s.searcher.lastStats());
            return united ? stillMatching(walked, filter) : walked;
        } finally {
            if (marked > 0) {
                s.unmark(marked); // the scratch goes back to the pool clean, whatever happened
            }
            if (united) {
                s.dropUnion();
            }
        }
    }

    /** A/B switch: ORs walk a per-query union bitset ({@code -Ddiskann.uniteOrs=false}: label tests per node). */
    static volatile boolean uniteOrs = !"false".equals(System.getProperty("diskann.uniteOrs"));

    /**
     * A walk of a list of {@code l} tests an OR on about l x R neighbours, each a probe per label (a bitset word
     * per dense label, the id's label array for sparse ones): most miss the cache once the walk leaves a few
     * regions. One bitset of the union, built per query, makes it one probe. 1M x 128, Stitched-Vamana, 10% ORs
     * of 8 Zipf labels, alternating processes: L=20 2,303-2,730 -> 3,880-4,228 QPS, L=40 1,581-1,668 ->
     * 2,212-2,873, same results (docs/PERFORMANCE.md section 44). Building it costs about 0.14 ns per word and
     * label (19 us for 8 labels and the universal bits over 1M ids, measured), so it is built while the words
     * are at most {@link #UNITE_WORDS_PER_ENTRY} per list entry (L x R tests at ~R = 64 per entry, each saving
     * several nanoseconds per label): up to ~5M ids at L = 20, more with longer lists.
     */
    private boolean unites(LabelFilter.AnyOf any, int l) {
        return uniteOrs && any.labels().length > 1 && labels.unions().words() <= UNITE_WORDS_PER_ENTRY * (long) l;
    }

    /** See {@link #unites}. */
    static final int UNITE_WORDS_PER_ENTRY = 4096;

    /** The list a plain-graph walk keeps for a filter of this share: L / sqrt(share), at most the cap (or L). */
    private int widened(int l, double selectivity) {
        return (int) Math.min(Math.max(l, params.maxListSize()), Math.ceil(l / Math.sqrt(selectivity)));
    }

    /**
     * Whether a widened walk for an OR with sparse labels marks their posting lists first (default true; {@code
     * -Ddiskann.markSparseOrs=false} tests per node, for A/B measurements).
     */
    static volatile boolean markSparseOrs = !"false".equals(System.getProperty("diskann.markSparseOrs"));

    /**
     * A widened walk marks an OR's postings only while they are at most this many per entry of its list: the
     * marking costs a few nanoseconds per posting, the walk's label tests it replaces scale with the list. Fashion-MNIST
     * (10% ORs, ~6,000 postings, lists of ~32): 9-13% faster marked; 1M x 128 (10% ORs, ~100,000 postings): level
     * (docs/PERFORMANCE.md section 36), and a larger index would only pay more per query for the same walk.
     */
    static final int MARK_OR_PER_LIST_ENTRY = 512;

    /**
     * {@code walked} without the ids that no longer match {@code filter}: a walk on a bitset marked before it
     * started returns no id relabeled meanwhile, as the walks that test labels per node do not.
     */
    private SearchResult stillMatching(SearchResult walked, LabelFilter filter) {
        int[] ids = walked.ids();
        int kept = 0;
        for (int id : ids) {
            kept += filter.matches(labels, id) ? 1 : 0;
        }
        if (kept == ids.length) {
            return walked;
        }
        int[] keptIds = new int[kept];
        float[] keptDistances = new float[kept];
        int w = 0;
        for (int i = 0; i < ids.length; i++) {
            if (filter.matches(labels, ids[i])) {
                keptIds[w] = ids[i];
                keptDistances[w++] = walked.distances()[i];
            }
        }
        return new SearchResult(Arrays.copyOf(keptIds, w), Arrays.copyOf(keptDistances, w), walked.stats());
    }

    /** A sparse label's walk marks its carriers when they are at most this many per entry of the list. */
    static final int MARK_PER_LIST_ENTRY = 64;

    /** Ids tested to estimate a predicate's share when its cardinality is not given. */
    private static final int SAMPLE = 256;

    /**
     * The share of ids 0..n-1 (the id bound) {@code accept} passes, from {@link #SAMPLE} ids spread evenly: a predicate
     * with no stated cardinality (an ACL check, say) still gets the two-hop search when it is selective.
     */
    private static double sampleShare(IntPredicate accept, int n) {
        n = Math.max(1, n);
        int samples = Math.min(SAMPLE, n);
        int passed = 0;
        for (int i = 0; i < samples; i++) {
            passed += accept.test((int) ((long) i * n / samples)) ? 1 : 0;
        }
        return Math.max(1.0 / n, passed / (double) samples);
    }

    private static int addStart(int[] starts, int count, int id) {
        if (id < 0 || count == starts.length) {
            return count;
        }
        for (int i = 0; i < count; i++) {
            if (starts[i] == id) {
                return count;
            }
        }
        starts[count] = id;
        return count + 1;
    }

    private boolean scans(int matches, int n) {
        return scans(matches, n, 1);
    }

    /** Whether to scan when the graph path would walk {@code lists} lists of L ({@link #walkLists}). */
    private boolean scans(int matches, int n, double lists) {
        return matches <= params.scanMinimum() * lists || matches <= params.scanFraction() * n;
    }

    /**
     * How many lists of L the guided walk of {@code filter} on a label-aware graph keeps, the unit its
     * scan budget ({@link FilterParams#scanMinimum}) is set in: one per label of a selective OR (each
     * label's vectors are their own region, {@link #guided}), one otherwise and on a plain graph.
     * Fashion-MNIST, Stitched-Vamana, 2,000 queries: the 1% ORs of 2-8 labels (~700 matches) went from a
     * walk at 1,433 QPS (recall 0.993, L=40) to a scan at 7,185 (recall 1). Not for ANDs: their widened
     * walk stayed cheaper than the scan (1% AND counted this way: half the queries scanned, 355 -> 499
     * distances per query at L=20, best QPS 4,107 -> 2,964; docs/PERFORMANCE.md, section 14).
     */
    private double walkLists(LabelFilter filter) {
        if (constraint != null && filter instanceof LabelFilter.AnyOf any
                && Math.max(1, filter.maxMatches(labels)) / (double) Math.max(1, labels.size()) < SELECTIVE_UNION) {
            return Math.max(1, any.labels().length);
        }
        return 1;
    }

    /** An OR matching less than this share of the vectors walks one list per label ({@link #guided}). */
    static final double SELECTIVE_UNION = 0.05;

    private int candidates(Scratch s, LabelFilter filter) {
        int count;
        while ((count = labels.candidates(filter, s.candidates)) < 0) {
            s.candidates = new int[s.candidates.length * 2];
        }
        return count;
    }

    private SearchResult scanCandidates(Scratch s, float[] query, int k, int count) {
        int[] ids = new int[k];
        float[] distances = new float[k];
        int found = ((ExactScan) s.searcher).searchAmong(query, s.candidates, count, k, ids, distances);
        return new SearchResult(Arrays.copyOf(ids, found), Arrays.copyOf(distances, found), s.searcher.lastStats());
    }

    /** Closes the pooled searchers (not the index). */
    @Override
    public void close() {
        Scratch s;
        while ((s = scratch.poll()) != null) {
            s.searcher.close();
        }
    }
}
