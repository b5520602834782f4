package io.diskann.filter;

import io.diskann.graph.BuildListener;
import io.diskann.graph.Traversal;
import io.diskann.graph.VamanaIndex;
import io.diskann.graph.VamanaParams;
import io.diskann.graph.VectorSource;
import java.util.Arrays;

/**
 * Stitched-Vamana (Gollapudi et al., "Filtered-DiskANN", WWW 2023): a small Vamana graph per label over
 * the vectors that carry it, the union of their edges per vector, robust-pruned to the index's R with the
 * filtered prune (an edge is occluded only by a neighbour carrying the labels the two ends share). The
 * medoid of each label's graph becomes the label's start point.
 *
 * <p>Groups: one per label; vectors with the universal label join every label's group (a filter on any
 * label must reach them); vectors with no label form one group of their own, so they stay connected.
 * Groups are built one after another, each on the index's threads, so memory holds one group's copy at a
 * time beside the union of candidate lists (about R_small ids per label a vector carries).
 */
final class StitchedBuild {

    /** Groups this small are linked all-to-all: a Vamana build over them would keep the same edges. */
    private static final int COMPLETE_BELOW = 3;

    /** Labeled vectors sampled into the group of the unlabeled ones, to tie it to the rest of the graph. */
    private static final int BRIDGES = 256;

    /**
     * How each group's small graph is traversed while it is built; null (the default): the index's own
     * traversal, SQ8 for f32. Why: the group builds are most of a stitched build, and on 1M x 128 with zipf
     * labels (3.0M memberships) SQ8 groups took 171.7 s against 195.6 s exact in alternating processes, with
     * recall@10 equal in every bucket within the queries' noise (PERFORMANCE 44). The final stitch prunes
     * at full precision either way. {@code -Ddiskann.stitch.groupTraversal=EXACT|SQ8} overrides it for A/B runs.
     */
    static final Traversal GROUP_TRAVERSAL = System.getProperty("diskann.stitch.groupTraversal") == null ? null
            : Traversal.valueOf(System.getProperty("diskann.stitch.groupTraversal"));

    private StitchedBuild() {
    }

    /**
     * Builds {@code index} (empty) over {@code vectors} with the stitched graph, and sets each label's
     * start point in {@code constraint} (installed on the index by the caller before, so the final prune is
     * the filtered one). Progress is one count over both passes: each group's members, then each vector stitched.
     */
    static void run(VamanaIndex index, VectorSource vectors, int[][] labels, int universal, StitchParams sp,
                    LabelLinkConstraint constraint, BuildListener listener) {
        int n = labels.length;
        int[][] groups = groups(labels, universal);
        int[][] candidates = new int[n][];
        int[] counts = new int[n];
        VamanaParams p = index.params();
        long memberships = 0;
        for (int[] members : groups) {
            memberships += members == null ? 0 : members.length;
        }
        int total = (int) Math.min(Integer.MAX_VALUE, memberships + n);
        int linked = 0;
        for (int g = 0; g < groups.length; g++) {
            int[] members = groups[g];
            if (members == null || members.length == 0) {
                continue;
            }
            int base = linked;
            BuildListener groupProgress = (done, all) -> listener.progress(base + done, total);
            int start;
            if (members.length < COMPLETE_BELOW) {
                for (int a : members) {
                    for (int b : members) {
                        if (a != b) {
                            add(candidates, counts, a, b);
                        }
                    }
                }
                start = members[0];
            } else {
                start = linkGroup(index, p, sp, vectors, members, candidates, counts, groupProgress);
            }
            linked = (int) Math.min(Integer.MAX_VALUE - n, (long) linked + members.length);
            listener.progress(linked, total);
            if (g < groups.length - 1) { // the last group holds the unlabeled vectors (and bridges): no label
                constraint.setStart(g, start);
            }
        }
        int[] empty = new int[0];
        int stitchedFrom = linked;
        index.buildFromCandidates(n, vectors, i -> candidates[i] == null ? empty
                : counts[i] == candidates[i].length ? candidates[i] : Arrays.copyOf(candidates[i], counts[i]),
                (done, all) -> listener.progress((int) Math.min(total, (long) stitchedFrom + done), total));
    }

    /** Builds one group's small graph and adds its edges (as global ids) to the candidates; returns its medoid. */
    private static int linkGroup(VamanaIndex index, VamanaParams p, StitchParams sp, VectorSource vectors, int[] members,
                                 int[][] candidates, int[] counts, BuildListener progress) {
        int m = members.length;
        VamanaParams small = VamanaParams.builder().maxDegree(Math.min(sp.smallDegree(), m - 1))
                .buildListSize(Math.max(Math.min(sp.smallDegree(), m - 1), Math.min(sp.smallListSize(), m)))
                .alpha(p.alpha()).threads(m >= 2_000 ? p.threads() : 1).build();
        try (VamanaIndex g = VamanaIndex.builder(index.dimensions(), index.metric()).vectorType(index.vectorType())
                .traversal(GROUP_TRAVERSAL != null ? GROUP_TRAVERSAL : index.traversal()).params(small).build()) {
            VectorSource groupRows = (i, reuse) -> vectors.get(members[i], reuse);
            g.build(m, vectors.concurrent() ? VectorSource.concurrent(groupRows) : groupRows, progress);
            for (int local = 0; local < m; local++) {
                for (int nb : g.neighbors(local)) {
                    add(candidates, counts, members[local], members[nb]);
                }
            }
            return members[g.ordinals().idAt(g.ordinals().graph().entryPoints()[0])];
        }
    }

    private static void add(int[][] candidates, int[] counts, int node, int neighbor) {
        LabelPostings.append(candidates, counts, node, neighbor);
    }

    /** Members per label (index = label; universal vectors in every group), then the unlabeled ones last. */
    static int[][] groups(int[][] labels, int universal) {
        int limit = 0;
        for (int[] set : labels) {
            for (int l : set) {
                limit = Math.max(limit, l + 1);
            }
        }
        int[] sizes = new int[limit + 1];
        int universalCount = 0;
        for (int[] set : labels) {
            if (isUniversal(set, universal)) {
                universalCount++;
            } else if (set.length == 0) {
                sizes[limit]++;
            } else {
                for (int l : set) {
                    sizes[l]++;
                }
            }
        }
        int[][] groups = new int[limit + 1][];
        for (int l = 0; l < limit; l++) {
            groups[l] = sizes[l] == 0 || l == universal ? null : new int[sizes[l] + universalCount];
        }
        groups[limit] = new int[sizes[limit]];
        int[] fill = new int[limit + 1];
        for (int id = 0; id < labels.length; id++) {
            int[] set = labels[id];
            if (isUniversal(set, universal)) {
                for (int l = 0; l < limit; l++) {
                    if (groups[l] != null) {
                        groups[l][fill[l]++] = id;
                    }
                }
            } else if (set.length == 0) {
                groups[limit][fill[limit]++] = id;
            } else {
                for (int l : set) {
                    groups[l][fill[l]++] = id;
                }
            }
        }
        // a vector in no group of two or more (the one carrier of a label, or universal when no label has
        // carriers) would get no edges at all: it joins the last group, linked with the unlabeled ones
        boolean[] linked = new boolean[labels.length];
        for (int l = 0; l < limit; l++) {
            if (groups[l] != null && groups[l].length > 1) {
                for (int id : groups[l]) {
                    linked[id] = true;
                }
            }
        }
        int[] rest = groups[limit];
        int w = rest.length;
        for (int id = 0; id < labels.length; id++) {
            boolean inRest = labels[id].length == 0 && !isUniversal(labels[id], universal);
            if (!linked[id] && !inRest) {
                if (w == rest.length) {
                    rest = Arrays.copyOf(rest, Math.max(8, 2 * rest.length));
                }
                rest[w++] = id;
            }
        }
        // and a sample of the others goes with them, or the group would be an island no walk from the
        // labeled vectors' side reaches (an unfiltered query, or a filter the universal label satisfies)
        if (w > 0 && w < labels.length) {
            boolean[] member = new boolean[labels.length];
            for (int i = 0; i < w; i++) {
                member[rest[i]] = true;
            }
            java.util.Random random = new java.util.Random(0x57117CL);
            int bridges = Math.min(labels.length - w, BRIDGES);
            rest = Arrays.copyOf(rest, w + bridges);
            for (int tries = 0; bridges > 0 && tries < 20 * BRIDGES; tries++) {
                int id = random.nextInt(labels.length);
                if (!member[id]) {
                    member[id] = true;
                    rest[w++] = id;
                    bridges--;
                }
            }
        }
        groups[limit] = Arrays.copyOf(rest, w);
        return groups;
    }

    private static boolean isUniversal(int[] set, int universal) {
        return universal >= 0 && Arrays.binarySearch(set, universal) >= 0;
    }
}
