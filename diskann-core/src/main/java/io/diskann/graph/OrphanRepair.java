package io.diskann.graph;

/**
 * Gives every vector a build left unreachable an edge in, so that search can return it.
 *
 * <p>Why: Vamana guarantees no connectivity. A node whose every in-edge was pruned away by later back edges
 * (other nodes' re-prunes) is an orphan: no search ever reaches it, whatever L. Measured before this repair
 * (docs/PERFORMANCE.md section 45): 4-5 of 60,000 Fashion-MNIST nodes and 30-36 of 1M x 128 nodes unreachable
 * from the start point; under Filtered-Vamana's constraint about 1 carrier in 14 (Fashion-MNIST) or 10 (1M x 128,
 * 200 Zipf labels) unreachable from one of its labels' start points through that label's carriers, which a
 * filtered search for that label never returns (1% label queries: recall 0.9569 -> 0.9922 at L=40 on
 * Fashion-MNIST).
 *
 * <p>How: a breadth-first walk from the start point (or, under a {@link LinkConstraint}, from each start point
 * through the nodes that name it among their own start points: the carriers a filtered search for that label
 * walks) marks what is reached. Each node left unmarked gets an in-edge from a marked node with room: one of its
 * own neighbours (the reverse of an edge the build chose), else the nearest a search for it finds (L_build, on the
 * walk's codes, the constraint's traversal rule), else one a few hops from that. Only if none has room does a host
 * give up a neighbour (one with other in-edges), so the degree bound holds; a round that replaced an edge is
 * checked by another walk, for at most {@link #ROUNDS} rounds. The walk is one pass over the lists (0.6 s at 1M x
 * 128, R=64); a build with no orphans pays that alone.
 *
 * <p>Runs after the build's last prune, on one thread; in a consolidation, with searches running (they read lists
 * while edges are appended, as during inserts) and mutations held off. Off with {@code -Ddiskann.repairOrphans=false}
 * (for A/B measurements).
 */
final class OrphanRepair {

    static volatile boolean enabled = !"false".equals(System.getProperty("diskann.repairOrphans"));

    /** Rounds of walk-then-link; a replaced edge that orphans another node is caught by the next round. */
    static final int ROUNDS = 8;
    /** The list size of a search for a host (0: L_build); {@code -Ddiskann.repairOrphans.L} for A/B runs. */
    static final int LIST_SIZE = Math.max(0, Integer.getInteger("diskann.repairOrphans.L", 0));
    /** Nodes {@link Walker#nearestWithRoom} looks at, at most. */
    static final int WIDEN_LIMIT = 4096;

    private static final System.Logger LOG = System.getLogger("io.diskann.graph");

    /** What a repair did: nodes given an edge in, and nodes still unreachable after the last round. */
    record Outcome(int linked, int left) {
    }

    private final GraphLinker linker;
    private final Adjacency graph;
    private final int count;
    private final int maxDegree;
    private final int threads;
    /** The nodes that count (live ones, in a consolidation), or null for all below {@link #count}. */
    private final java.util.function.IntPredicate live;
    /** In-edges per node over the whole graph, counted on the first replacement; guarded by {@code this}. */
    private int[] inDegree;
    /** Nodes given an in-edge so far. */
    private final java.util.concurrent.atomic.AtomicInteger linked = new java.util.concurrent.atomic.AtomicInteger();
    /** Whether this round gave up an edge: only then can a node the round's walks reached be cut off again. */
    private volatile boolean replaced;
    /** Unreached nodes each round found, and how they were linked (for the debug log). */
    private final int[] foundByRound = new int[ROUNDS];
    private final java.util.concurrent.atomic.AtomicIntegerArray ways = new java.util.concurrent.atomic.AtomicIntegerArray(4);
    private static final int REVERSED = 0;
    private static final int SEARCHED = 1;
    private static final int WIDENED = 2;
    private static final int REPLACED = 3;

    private OrphanRepair(GraphLinker linker, Adjacency graph, int count, int maxDegree, int threads,
                         java.util.function.IntPredicate live) {
        this.linker = linker;
        this.graph = graph;
        this.count = count;
        this.maxDegree = maxDegree;
        this.threads = Math.max(1, threads);
        this.live = live;
    }

    /**
     * Repairs the graph of nodes {@code 0..count-1} built by {@code linker}: reachable from {@code start} (plain
     * build), or, when {@code constrained}, each node reachable from each of its start points through nodes that
     * share that start point, the start points' groups repaired on {@code threads} threads. With {@code live}, only
     * the nodes it takes are walked, linked and hosts (a consolidation, whose deleted nodes still hold lists); null:
     * every node below {@code count}.
     */
    static Outcome run(GraphLinker linker, Adjacency graph, int count, int maxDegree, int start, boolean constrained,
                       int threads, java.util.function.IntPredicate live) {
        if (!enabled || count <= 1) {
            return new Outcome(0, 0);
        }
        long t0 = System.nanoTime();
        OrphanRepair r = new OrphanRepair(linker, graph, count, maxDegree, threads, live);
        Outcome o = constrained ? r.repairGroups() : r.repairFrom(start);
        long ms = (System.nanoTime() - t0) / 1_000_000;
        String how = "unreached per round: " + java.util.Arrays.toString(r.foundByRound) + "; reverse edges "
                + r.ways.get(REVERSED) + ", searched hosts " + r.ways.get(SEARCHED) + ", wider hosts "
                + r.ways.get(WIDENED) + ", replaced edges " + r.ways.get(REPLACED);
        if (o.left() > 0) {
            LOG.log(System.Logger.Level.WARNING, "diskann-java: " + o.left() + " of " + count + " nodes are still"
                    + " unreachable after " + ROUNDS + " rounds of orphan repair (" + o.linked() + " linked; " + how + ")");
        } else {
            LOG.log(System.Logger.Level.DEBUG, () -> "diskann-java: orphan repair" + (constrained ? " (per start point)" : "")
                    + " linked " + o.linked() + " of " + count + " nodes in " + ms + " ms (" + how + ")");
        }
        return o;
    }

    private boolean counts(int node) {
        return live == null || live.test(node);
    }

    private Outcome repairFrom(int start) {
        if (start < 0 || start >= count || !counts(start)) {
            return new Outcome(0, 0);
        }
        Walker w = new Walker();
        for (int round = 0; round < ROUNDS; round++) {
            replaced = false;
            int before = linked.get();
            int found = w.visitAll(start, true); // its walk also checks the previous round's replacements
            foundByRound[round] = found;
            if (found == 0 || !replaced && linked.get() - before == found) { // appends only: the reached stay reached
                return new Outcome(linked.get(), 0);
            }
        }
        return new Outcome(linked.get(), w.visitAll(start, false));
    }

    /** The start points' groups: each distinct start point with the nodes that name it (CSR). */
    private record Groups(int[] start, int[] at, int[] members) {
        int size() {
            return start.length;
        }
    }

    private Groups groups() {
        GraphLinker.Scratch scratch = linker.newScratch(count);
        int[] buf = new int[Math.max(1, scratch.startIds.length)];
        int[] startAt = new int[count + 1];
        int[] starts = new int[Math.max(16, count)];
        int total = 0;
        for (int i = 0; i < count; i++) {
            int n = counts(i) ? linker.startOrdinals(scratch, i, count, buf) : 0;
            if (total + n > starts.length) {
                starts = java.util.Arrays.copyOf(starts, Math.max(total + n, 2 * starts.length));
            }
            System.arraycopy(buf, 0, starts, total, n);
            total += n;
            startAt[i + 1] = total;
        }
        int[] sizes = new int[count];
        for (int j = 0; j < total; j++) {
            sizes[starts[j]]++;
        }
        int groups = 0;
        for (int g = 0; g < count; g++) {
            if (sizes[g] > 0 && !counts(g)) { // a deleted start point: its label's search starts elsewhere
                sizes[g] = 0;
            }
            groups += sizes[g] > 0 ? 1 : 0;
        }
        int[] groupStart = new int[groups];
        int[] groupAt = new int[groups + 1];
        int[] slotOf = new int[count];
        for (int g = 0, k = 0; g < count; g++) {
            if (sizes[g] > 0) {
                groupStart[k] = g;
                groupAt[k + 1] = groupAt[k] + sizes[g];
                slotOf[g] = k++;
            }
        }
        int[] fill = java.util.Arrays.copyOf(groupAt, groups);
        int[] members = new int[groupAt[groups]];
        for (int i = 0; i < count; i++) {
            for (int j = startAt[i]; j < startAt[i + 1]; j++) {
                if (sizes[starts[j]] > 0) {
                    members[fill[slotOf[starts[j]]]++] = i;
                }
            }
        }
        return new Groups(groupStart, groupAt, members);
    }

    /**
     * Why threads: a 1M Filtered-Vamana graph left about 98,000 carriers unreachable from a label's start, each
     * searched for (22.8 s on one thread). Groups are independent but for the lists they append to (under the
     * lists' locks, degree checked there) and the rare replaced edge, which the next round checks.
     */
    private Outcome repairGroups() {
        Groups groups = groups();
        for (int round = 0; round < ROUNDS; round++) {
            replaced = false;
            int before = linked.get();
            java.util.concurrent.atomic.AtomicInteger found = new java.util.concurrent.atomic.AtomicInteger();
            int t = Math.min(threads, Math.max(1, groups.size()));
            io.diskann.util.Workers.forEach("diskann-orphans", t, groups.size(), 1, Walker::new,
                    (w, k) -> found.addAndGet(w.visitGroup(groups, k, true)));
            foundByRound[round] = found.get();
            if (found.get() == 0 || !replaced && linked.get() - before == found.get()) {
                return new Outcome(linked.get(), 0);
            }
        }
        // what the last round could not link, or a replaced edge orphaned: counted, not hidden
        Walker w = new Walker();
        int left = 0;
        for (int k = 0; k < groups.size(); k++) {
            left += w.visitGroup(groups, k, false);
        }
        return new Outcome(linked.get(), left);
    }

    /** Counts in-edges on the first replacement: appends alone need none (and orphan nothing). Holds {@code this}. */
    private void countInDegrees() {
        if (inDegree != null) {
            return;
        }
        int[] in = new int[count];
        int[] list = new int[graph.maxDegree() + 1];
        for (int i = 0; i < count; i++) {
            if (!counts(i)) {
                continue;
            }
            int d;
            synchronized (graph.lockFor(i)) {
                d = graph.copy(i, list);
            }
            for (int j = 0; j < d; j++) {
                int t = list[j];
                if (t >= 0 && t < count) {
                    in[t]++;
                }
            }
        }
        inDegree = in;
    }

    /** One thread's walks and links, with its own marks and scratch. */
    private final class Walker {
        /** Per node, the stamp of the last walk that reached it. */
        private final int[] mark = new int[count];
        private int stamp;
        /** Per node, the stamp of the last group walk it belongs to (start-point groups only). */
        private int[] member;
        private final int[] queue = new int[count];
        private final int[] list = new int[graph.maxDegree() + 1];
        private final int[] ownList = new int[graph.maxDegree() + 1];
        private final int[] one = new int[1];
        private final GraphLinker.Scratch scratch = linker.newScratch(count);
        private int[] seen;
        private int seenStamp;
        private int[] widenQueue;

        /**
         * Walks from {@code start} and visits every node that counts and the walk missed: with {@code link}, links
         * it ({@link #attach}) and walks on from it. Returns how many it missed.
         */
        int visitAll(int start, boolean link) {
            stamp++;
            walk(start, false);
            int missed = 0;
            for (int x = 0; x < count; x++) {
                if (mark[x] != stamp && counts(x)) {
                    missed++;
                    if (link && attach(x, start)) {
                        linked.incrementAndGet();
                        walk(x, false);
                    }
                }
            }
            return missed;
        }

        /** As {@link #visitAll}, over group {@code k} of {@code groups}: from its start, through its members. */
        int visitGroup(Groups groups, int k, boolean link) {
            int g = groups.start()[k];
            enterGroup(g, groups.members(), groups.at()[k], groups.at()[k + 1]);
            walk(g, true);
            int missed = 0;
            for (int m = groups.at()[k]; m < groups.at()[k + 1]; m++) {
                int x = groups.members()[m];
                if (mark[x] != stamp) {
                    missed++;
                    if (link && attach(x, g)) {
                        linked.incrementAndGet();
                        walk(x, true);
                    }
                }
            }
            return missed;
        }

        /**
         * Starts a walk of start point {@code g}'s group: a new stamp, with which its members {@code
         * members[from..to)} (and {@code g}) are tagged. Why tags: a walk's test is one array read per edge; looking
         * each node's start points up made the walks of a 1M stitched graph (3M memberships) take 3.6 s, not 1.7.
         */
        private void enterGroup(int g, int[] members, int from, int to) {
            stamp++;
            if (member == null) {
                member = new int[count];
            }
            member[g] = stamp;
            for (int m = from; m < to; m++) {
                member[members[m]] = stamp;
            }
        }

        /** Marks with the current stamp what is reachable from {@code from} (within the current group if
         * {@code inGroup}), skipping nodes already marked. */
        private void walk(int from, boolean inGroup) {
            int head = 0;
            int tail = 0;
            mark[from] = stamp;
            queue[tail++] = from;
            while (head < tail) {
                int d = graph.copy(queue[head++], list);
                for (int j = 0; j < d; j++) {
                    int t = list[j];
                    if (t >= 0 && t < count && mark[t] != stamp && counts(t) && (!inGroup || member[t] == stamp)) {
                        mark[t] = stamp;
                        queue[tail++] = t;
                    }
                }
            }
        }

        /**
         * Gives unreached {@code x} an in-edge: from a reached node among its own neighbours that has room (the
         * reverse of an edge the build chose, no search), else from the nearest reached node with room that a
         * search for {@code x} from {@code entry} finds, else from one a few hops from that
         * ({@link #nearestWithRoom}), else from a host giving up a neighbour with other in-edges; failing all, from
         * the nearest in place of a neighbour (which the next round checks). False if no reached node was found.
         */
        private boolean attach(int x, int entry) {
            final int current = stamp;
            int own = graph.copy(x, ownList);
            for (int j = 0; j < own; j++) {
                int y = ownList[j];
                if (y >= 0 && y < count && y != x && mark[y] == current && !graph.contains(y, x) && append(y, x)) {
                    ways.incrementAndGet(REVERSED);
                    return true;
                }
            }
            one[0] = entry;
            GraphSearch search = linker.searchFor(scratch, x, one, count, y -> y != x && mark[y] == current, LIST_SIZE);
            int hosts = search.resultCount();
            if (hosts == 0) {
                return false;
            }
            for (int h = 0; h < hosts; h++) {
                if (append(search.resultNode(h), x)) {
                    ways.incrementAndGet(SEARCHED);
                    return true;
                }
            }
            int roomy = nearestWithRoom(search.resultNode(0), current);
            if (roomy >= 0 && append(roomy, x)) {
                ways.incrementAndGet(WIDENED);
                return true;
            }
            ways.incrementAndGet(REPLACED);
            for (int h = 0; h < hosts; h++) {
                if (replace(search.resultNode(h), x, true)) {
                    return true;
                }
            }
            return replace(search.resultNode(0), x, false);
        }

        /** Appends {@code x} to {@code p}'s list if it is below R, under the list's lock; returns whether it did. */
        private boolean append(int p, int x) {
            if (graph.degree(p) >= maxDegree) {
                return false;
            }
            synchronized (graph.lockFor(p)) {
                if (graph.degree(p) >= maxDegree || !graph.tryAppend(p, x)) {
                    return false;
                }
            }
            synchronized (OrphanRepair.this) {
                if (inDegree != null) {
                    inDegree[x]++;
                }
            }
            return true;
        }

        /**
         * A reached node with room, breadth-first from {@code from} through reached nodes, at most {@link
         * #WIDEN_LIMIT} of them; -1 if none. Why: giving up an edge of a full host changes a list the build chose
         * and may cut another node off, while an in-edge from a node a few hops further only lengthens the path to
         * the orphan. Rarely needed: on a 1M Filtered-Vamana graph 75 of 98,386 orphans were linked this way and 1
         * by a replaced edge.
         */
        private int nearestWithRoom(int from, int current) {
            if (seen == null) {
                seen = new int[count];
                widenQueue = new int[WIDEN_LIMIT];
            }
            seenStamp++;
            int head = 0;
            int tail = 0;
            seen[from] = seenStamp;
            widenQueue[tail++] = from;
            while (head < tail) {
                int d = graph.copy(widenQueue[head++], list);
                for (int j = 0; j < d; j++) {
                    int t = list[j];
                    if (t < 0 || t >= count || seen[t] == seenStamp || mark[t] != current) {
                        continue;
                    }
                    if (graph.degree(t) < maxDegree) {
                        return t;
                    }
                    seen[t] = seenStamp;
                    if (tail < WIDEN_LIMIT) {
                        widenQueue[tail++] = t;
                    }
                }
            }
            return -1;
        }

        /**
         * Replaces one of {@code p}'s neighbours by {@code x}: the one with the most in-edges (at least two if
         * {@code spareOnly}), the farthest of those; an edge to a node that does not count goes first.
         */
        private boolean replace(int p, int x, boolean spareOnly) {
            synchronized (OrphanRepair.this) { // rare: one replacement at a time, in-degrees kept exact
                countInDegrees();
                synchronized (graph.lockFor(p)) {
                    int d = graph.copy(p, list);
                    int victim = -1;
                    int most = -1;
                    float farthest = Float.NEGATIVE_INFINITY;
                    for (int j = 0; j < d; j++) {
                        int y = list[j];
                        if (y < 0 || y >= count || !counts(y)) {
                            victim = j;
                            break;
                        }
                        if (spareOnly && inDegree[y] < 2) {
                            continue;
                        }
                        float dist = linker.distance(scratch, p, y);
                        if (victim < 0 || inDegree[y] > most || inDegree[y] == most && dist > farthest) {
                            victim = j;
                            most = inDegree[y];
                            farthest = dist;
                        }
                    }
                    if (victim < 0) {
                        return false;
                    }
                    replaced = true;
                    int gone = list[victim];
                    if (gone >= 0 && gone < count) {
                        inDegree[gone]--;
                    }
                    inDegree[x]++;
                    list[victim] = x;
                    graph.set(p, list, d);
                    return true;
                }
            }
        }
    }
}
