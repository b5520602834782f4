package io.diskann.disk;

import io.diskann.graph.LinkConstraint;
import io.diskann.util.Workers;
import io.diskann.vector.Distances;
import io.diskann.vector.Metric;
import java.util.Arrays;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * One Vamana pass over a graph that already exists: every vector searches for itself from the entry
 * point (list size L, exact distances), its neighbours are robust-pruned from the nodes that search
 * expanded plus its current ones, and back edges are added under the neighbours' locks.
 *
 * <p>Why: the partitioned build's merged graph only links vectors that share a part. On data whose
 * k-means parts are not local (128-d Gaussian clusters: the nearest two centroids are 0.97 as far from a
 * vector as each other) each part graph is close to a graph over a random subset, and the merge of
 * such graphs needed 4x the search list for the one-piece graph's recall (300k vectors, 12 parts:
 * 0.849 against 0.952 at L = 40). One pass over the merged graph, which reads the vectors from the
 * memory-mapped base file and nothing more than the merged graph in the heap, brings it back (see
 * docs/PERFORMANCE.md, "Partitioned build").
 *
 * <p>The graph is the partitioned build's {@link MergedGraph}, off the heap. Lists may grow past R into the stride's slack (DiskANN's 1.3 R) through back edges before
 * they are pruned: without it nearly every back edge met a full list and paid a prune (the pass took
 * 101 s at 300k). Lists are read and written under striped locks; one lock is held at a time.
 */
final class GraphRefiner {

    private static final float ALPHA_STEP = 1.2f;
    private static final int LOCK_STRIPES = 1 << 12;

    private final VectorReader vectors;
    private final Metric metric;
    private final MergedGraph graph;
    private final int stride;
    private final int r;
    private final int listSize;
    private final float alpha;
    private final int maxCandidates;
    private final boolean saturate;
    private final Object[] locks = new Object[LOCK_STRIPES];
    /** Filtered-Vamana's rules for a label-aware graph (diskann-filter), or null for plain Vamana. */
    private final LinkConstraint constraint;

    GraphRefiner(VectorReader vectors, Metric metric, MergedGraph graph, int r, int listSize, float alpha,
                 int maxCandidates, boolean saturate) {
        this(vectors, metric, graph, r, listSize, alpha, maxCandidates, saturate, null);
    }

    /**
     * @param constraint the linking rule of a label-aware graph, or null: with one, a vector's search starts at
     *     its labels' start points and passes only through vectors that share a label with it, and prunes keep an
     *     edge whose labels the occluder does not carry (as the in-memory Filtered-Vamana build)
     */
    GraphRefiner(VectorReader vectors, Metric metric, MergedGraph graph, int r, int listSize, float alpha,
                 int maxCandidates, boolean saturate, LinkConstraint constraint) {
        this.constraint = constraint;
        this.vectors = vectors;
        this.metric = metric;
        this.graph = graph;
        this.stride = graph.stride();
        this.r = r;
        this.listSize = listSize;
        this.alpha = alpha;
        this.maxCandidates = Math.max(maxCandidates, r + 1);
        this.saturate = saturate;
        for (int i = 0; i < LOCK_STRIPES; i++) {
            locks[i] = new Object();
        }
    }

    /**
     * Refines every vector's list once, in a seeded random order.
     *
     * @param entry where each search starts (with a constraint: the searches of vectors without start points)
     * @param threads worker threads
     * @param seed the order's seed
     * @param say told of progress every tenth
     */
    void refineAll(int entry, int threads, long seed, Consumer<String> say) {
        int n = vectors.count();
        int[] order = new int[n];
        Arrays.setAll(order, i -> i);
        Random random = new Random(seed);
        for (int i = n - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
        AtomicInteger done = new AtomicInteger();
        int step = Math.max(1, n / 10);
        long start = System.nanoTime();
        Workers.forEach("diskann-refine", threads, n, 64, () -> new Scratch(vectors.dimensions(), n),
                (s, i) -> {
                    refine(s, order[i], entry);
                    int d = done.incrementAndGet();
                    if (d % step == 0) {
                        say.accept(DiskIndexBuilder.progressLine("refined", d, n, start));
                    }
                });
        // lists that grew into the slack are pruned back to R
        Workers.forEach("diskann-refine", threads, n, 256, () -> new Scratch(vectors.dimensions(), 0),
                (s, v) -> {
                    if (degree(v) > r) { // no back edges are added in this pass: nothing to lose
                        int kept = pruneFor(s, v, copyList(v, s.neighbors));
                        synchronized (lockFor(v)) {
                            setList(v, s.out, kept);
                        }
                    }
                });
    }

    private Object lockFor(int v) {
        return locks[v & (LOCK_STRIPES - 1)];
    }

    private int degree(int v) {
        return graph.degree(v);
    }

    private void setList(int v, int[] ids, int count) {
        graph.setList(v, ids, count);
    }

    private int copyList(int v, int[] out) {
        synchronized (lockFor(v)) {
            return graph.copyList(v, out);
        }
    }

    /** Searches for {@code v}, prunes its new list from what the search expanded, adds back edges. */
    void refine(Scratch s, int v, int entry) {
        vectors.vector(v, s.query);
        s.pool.clear();
        search(s, v, entry);
        int existing = copyList(v, s.neighbors);
        for (int j = 0; j < existing; j++) {
            int t = s.neighbors[j];
            s.pool.add(t, Distances.distance(metric, s.query, vectors.vector(t, s.row)));
        }
        int kept = prune(s, v);
        for (int attempt = 1; ; attempt++) {
            synchronized (lockFor(v)) {
                if (attempt == REPRUNE_ATTEMPTS || sameList(v, s.neighbors, existing)) {
                    setList(v, s.out, kept);
                    break;
                }
                // other threads added back edges to v (every node is reachable in this pass) or re-pruned its
                // list while it was refined: take the list in again rather than overwrite their edges
                existing = graph.copyList(v, s.neighbors);
            }
            for (int j = 0; j < existing; j++) {
                int t = s.neighbors[j];
                s.pool.add(t, Distances.distance(metric, s.query, vectors.vector(t, s.row)));
            }
            kept = prune(s, v);
        }
        System.arraycopy(s.out, 0, s.kept, 0, kept);
        for (int j = 0; j < kept; j++) {
            addBackEdge(s, s.kept[j], v);
        }
    }

    /**
     * Adds {@code source} to {@code target}'s list, re-pruning it when the slack is used up. The prune runs
     * outside the lock; if another thread changed the list meanwhile it is done again on the new list, so
     * that thread's edge is not overwritten (as {@code GraphLinker} in the in-memory build); the last of
     * {@link #REPRUNE_ATTEMPTS} holds the lock throughout.
     */
    private void addBackEdge(Scratch s, int target, int source) {
        for (int attempt = 1; ; attempt++) {
            boolean last = attempt == REPRUNE_ATTEMPTS;
            int n;
            synchronized (lockFor(target)) {
                n = appendOrCopy(s, target, source);
                if (n < 0) {
                    return;
                }
                if (last) {
                    s.neighbors[n] = source;
                    setList(target, s.out, pruneFor(s, target, n + 1));
                    return;
                }
            }
            s.neighbors[n] = source;
            int kept = pruneFor(s, target, n + 1);
            synchronized (lockFor(target)) {
                if (sameList(target, s.neighbors, n)) {
                    setList(target, s.out, kept);
                    return;
                }
            }
        }
    }

    /** Prunes of one back edge at most (see {@link #addBackEdge}). */
    private static final int REPRUNE_ATTEMPTS = 4;

    /**
     * Under {@code target}'s lock: -1 if {@code source} is in its list or was appended into the slack;
     * otherwise the list copied into {@code s.neighbors}, and its length.
     */
    private int appendOrCopy(Scratch s, int target, int source) {
        if (graph.contains(target, source) || graph.append(target, source)) {
            return -1; // present, or appended into the slack: pruned back to R only when the slack is used up
        }
        return graph.copyList(target, s.neighbors);
    }

    /** Whether {@code v}'s list is exactly {@code ids[0..n)}. Caller holds the lock. */
    private boolean sameList(int v, int[] ids, int n) {
        return graph.sameList(v, ids, n);
    }

    /** Prunes {@code s.neighbors[0..n)} for {@code v} to R into {@code s.out}; returns the count kept. */
    private int pruneFor(Scratch s, int v, int n) {
        vectors.vector(v, s.query);
        s.pool.clear();
        for (int j = 0; j < n; j++) {
            s.pool.add(s.neighbors[j], Distances.distance(metric, s.query, vectors.vector(s.neighbors[j], s.row)));
        }
        return prune(s, v);
    }

    /** Greedy search for {@code s.query} with list size L, recording every expanded node in the pool. */
    private void search(Scratch s, int self, int entry) {
        int epoch = s.nextEpoch();
        int[] ids = s.listIds;
        float[] dist = s.listDist;
        boolean[] expanded = s.listExpanded;
        int size = 0;
        s.visited[self] = epoch; // never its own candidate
        int starts = constraint == null ? 0 : constraint.startPoints(self, s.starts);
        for (int j = 0; j < starts; j++) { // a labeled vector's search starts at its labels' start points
            int t = s.starts[j];
            if (s.visited[t] != epoch) {
                s.visited[t] = epoch;
                size = insert(ids, dist, expanded, size, t, Distances.distance(metric, s.query, vectors.vector(t, s.row)));
            }
        }
        if (size == 0 && starts == 0 && constraint != null) {
            // the start point of all its labels (or unlabeled): its own list, of vectors it may pass through
            int d = copyList(self, s.neighbors);
            for (int j = 0; j < d; j++) {
                int t = s.neighbors[j];
                if (s.visited[t] != epoch && constraint.shares(self, t)) {
                    s.visited[t] = epoch;
                    size = insert(ids, dist, expanded, size, t, Distances.distance(metric, s.query, vectors.vector(t, s.row)));
                }
            }
        }
        boolean useEntry = constraint == null ? size == 0 : starts == 0 && constraint.shares(self, entry);
        if (useEntry && entry != self && s.visited[entry] != epoch) {
            s.visited[entry] = epoch;
            size = insert(ids, dist, expanded, size, entry, Distances.distance(metric, s.query, vectors.vector(entry, s.row)));
        }
        if (size == 0) { // start from the entry's neighbours instead
            int d = copyList(entry, s.neighbors);
            for (int j = 0; j < d && size < listSize; j++) {
                int t = s.neighbors[j];
                if (s.visited[t] != epoch && (constraint == null || constraint.shares(self, t))) {
                    s.visited[t] = epoch;
                    size = insert(ids, dist, expanded, size,
                            t, Distances.distance(metric, s.query, vectors.vector(t, s.row)));
                }
            }
        }
        int cursor = 0;
        while (cursor < size) {
            int u = ids[cursor];
            expanded[cursor] = true;
            s.pool.add(u, dist[cursor]);
            int d = copyList(u, s.neighbors);
            for (int j = 0; j < d; j++) {
                int t = s.neighbors[j];
                if (s.visited[t] == epoch) {
                    continue;
                }
                s.visited[t] = epoch;
                if (constraint != null && !constraint.shares(self, t)) {
                    continue; // Filtered-Vamana: the search passes only through vectors sharing a label
                }
                float dt = Distances.distance(metric, s.query, vectors.vector(t, s.row));
                if (size < listSize || dt < dist[size - 1]) {
                    size = insert(ids, dist, expanded, size, t, dt);
                }
            }
            // the closest candidate not yet expanded (a list of L entries: a scan costs less than one distance)
            cursor = 0;
            while (cursor < size && expanded[cursor]) {
                cursor++;
            }
        }
    }

    /** Inserts into the sorted list (dropping the last when full); returns the new size. */
    private int insert(int[] ids, float[] dist, boolean[] expanded, int size, int id, float d) {
        int at = size;
        while (at > 0 && dist[at - 1] > d) {
            at--;
        }
        int newSize = Math.min(size + 1, listSize);
        int moveEnd = newSize - 1;
        if (moveEnd > at) {
            System.arraycopy(ids, at, ids, at + 1, moveEnd - at);
            System.arraycopy(dist, at, dist, at + 1, moveEnd - at);
            System.arraycopy(expanded, at, expanded, at + 1, moveEnd - at);
        }
        if (at < listSize) {
            ids[at] = id;
            dist[at] = d;
            expanded[at] = false;
        }
        return newSize;
    }

    /**
     * Robust prune of the pool for {@code self} into {@code s.out}: DiskANN's rounds, the occlusion bound
     * raised from 1 by 1.2x per round up to alpha (inner product: DiskANN's rule), optional saturation.
     */
    private int prune(Scratch s, int self) {
        int n = s.pool.sortAndDeduplicate(self, maxCandidates);
        int[] ids = s.pool.ids;
        float[] dists = s.pool.dists;
        float[][] rows = s.rows(n);
        for (int i = 0; i < n; i++) {
            vectors.vector(ids[i], rows[i]);
        }
        float[] occlusion = s.occlusion(n);
        Arrays.fill(occlusion, 0, n, 0f);
        int kept = 0;
        float cur = 1f;
        while (cur <= alpha && kept < r) {
            float eps = cur + 0.01f;
            for (int i = 0; i < n && kept < r; i++) {
                if (occlusion[i] > cur) {
                    continue;
                }
                occlusion[i] = Float.MAX_VALUE;
                s.out[kept++] = ids[i];
                for (int j = i + 1; j < n; j++) {
                    if (occlusion[j] > alpha) {
                        continue;
                    }
                    if (constraint != null && !constraint.mayOcclude(self, ids[i], ids[j])) {
                        continue; // ids[i] lacks a label ids[j] shares with self: it cannot stand in for it
                    }
                    float djk = Distances.distance(metric, rows[i], rows[j]);
                    if (metric == Metric.INNER_PRODUCT) {
                        if (-djk > cur * -dists[j]) {
                            occlusion[j] = Math.max(occlusion[j], eps);
                        }
                    } else {
                        occlusion[j] = djk <= 0f ? Float.MAX_VALUE : Math.max(occlusion[j], dists[j] / djk);
                    }
                }
            }
            if (cur == alpha) {
                break;
            }
            cur = Math.min(alpha, cur * ALPHA_STEP);
        }
        if (saturate) {
            for (int i = 0; i < n && kept < r; i++) {
                if (occlusion[i] != Float.MAX_VALUE) {
                    occlusion[i] = Float.MAX_VALUE;
                    s.out[kept++] = ids[i];
                }
            }
        }
        return kept;
    }

    /** Per-thread buffers. */
    final class Scratch {
        final float[] query;
        final float[] row;
        final int[] visited;
        private int epoch;
        final int[] listIds = new int[listSize];
        final float[] listDist = new float[listSize];
        final boolean[] listExpanded = new boolean[listSize];
        final int[] neighbors = new int[stride + 1];
        final int[] starts = new int[constraint == null ? 0 : constraint.maxStartPoints()];
        final int[] kept = new int[r];
        final int[] out = new int[r];
        final Pool pool = new Pool();
        private float[][] rows = new float[0][];
        private float[] occlusion = new float[64];
        private final int dims;

        Scratch(int dims, int n) {
            this.dims = dims;
            query = new float[dims];
            row = new float[dims];
            visited = new int[n];
        }

        int nextEpoch() {
            if (++epoch == Integer.MAX_VALUE) {
                Arrays.fill(visited, 0);
                epoch = 1;
            }
            return epoch;
        }

        float[][] rows(int n) {
            if (rows.length < n) {
                float[][] grown = Arrays.copyOf(rows, Math.max(n, rows.length * 2));
                for (int i = rows.length; i < grown.length; i++) {
                    grown[i] = new float[dims];
                }
                rows = grown;
            }
            return rows;
        }

        float[] occlusion(int n) {
            if (occlusion.length < n) {
                occlusion = new float[Math.max(n, occlusion.length * 2)];
            }
            return occlusion;
        }
    }

    /** Candidates with their distance to the node being pruned. */
    static final class Pool {
        int[] ids = new int[128];
        float[] dists = new float[128];
        private long[] sort = new long[128];
        private int size;

        void clear() {
            size = 0;
        }

        void add(int id, float d) {
            if (size == ids.length) {
                ids = Arrays.copyOf(ids, size * 2);
                dists = Arrays.copyOf(dists, size * 2);
                sort = Arrays.copyOf(sort, size * 2);
            }
            ids[size] = id;
            dists[size] = d;
            size++;
        }

        /** Sorts by distance (ties by id), drops {@code self} and duplicates, keeps at most {@code max}. */
        int sortAndDeduplicate(int self, int max) {
            for (int i = 0; i < size; i++) {
                int bits = Float.floatToRawIntBits(dists[i]);
                bits ^= (bits >> 31) & 0x7fffffff; // order-preserving for negative distances too
                sort[i] = ((long) bits << 32) | (ids[i] & 0xffffffffL);
            }
            Arrays.sort(sort, 0, size);
            int w = 0;
            int last = -1;
            for (int i = 0; i < size && w < max; i++) {
                int id = (int) sort[i];
                if (id == self || (w > 0 && id == last)) {
                    continue;
                }
                int bits = (int) (sort[i] >> 32);
                bits ^= (bits >> 31) & 0x7fffffff;
                ids[w] = id;
                dists[w] = Float.intBitsToFloat(bits);
                last = id;
                w++;
            }
            size = w;
            return w;
        }
    }
}
