package io.diskann.filter;

import io.diskann.graph.VamanaParams;

/**
 * The per-label graphs of a Stitched-Vamana build ({@link FilterBuild#STITCHED}); the stitched graph
 * itself is pruned to the index's own R ({@link VamanaParams#maxDegree()}, R_stitched) with its alpha.
 *
 * @param smallDegree R_small, the degree of each label's graph (at least 1)
 * @param smallListSize L_small, the search list of each label's build (at least {@code smallDegree})
 */
public record StitchParams(int smallDegree, int smallListSize) {

    /**
     * Validates.
     *
     * @param smallDegree at least 1
     * @param smallListSize at least {@code smallDegree}
     */
    public StitchParams {
        if (smallDegree < 1) {
            throw new IllegalArgumentException("smallDegree (R_small) must be >= 1, got " + smallDegree);
        }
        if (smallListSize < smallDegree) {
            throw new IllegalArgumentException("smallListSize (L_small) must be >= smallDegree " + smallDegree + ", got "
                    + smallListSize);
        }
    }

    /**
     * The defaults for an index built with {@code graph}: R_small = R / 2 (at least 8) and L_small = the
     * index's build list, the ratios of the Filtered-DiskANN paper's experiments (R_small 32, L_small 100,
     * R_stitched 64).
     *
     * @param graph the index's parameters
     * @return the defaults
     */
    public static StitchParams defaultsFor(VamanaParams graph) {
        return defaultsFor(graph, 0);
    }

    /**
     * The defaults for a build of {@code vectors} vectors with {@code graph}: as {@link #defaultsFor(VamanaParams)},
     * with L_small the list the plain build of as many vectors would use ({@link VamanaParams#buildListSizeFor}):
     * 48 instead of 64 from {@link VamanaParams#LARGE_BUILD} vectors when L_build was not given.
     *
     * <p>Why: the per-label builds are most of a stitched build. 1M x 128, R = 64, Zipf labels (2.0M memberships),
     * L_small 64 -> 48: 174.9 -> 136.8 s (the plain build: 70.85 s, so 2.47x -> 1.93x), recall@10 per bucket at
     * L = 20-60 equal or higher, 2-8% fewer distances. L_small 32 built in 96.5 s but lost up to 0.04 of recall
     * at L = 20 (10% labels) and 0.01 at L = 60 (1% ANDs); R_small 24 lost more (docs/PERFORMANCE.md section 44).
     *
     * @param graph the index's parameters
     * @param vectors how many vectors the build links
     * @return the defaults
     */
    public static StitchParams defaultsFor(VamanaParams graph, long vectors) {
        int r = Math.max(8, graph.maxDegree() / 2);
        return new StitchParams(r, Math.max(r, graph.buildListSizeFor(vectors)));
    }
}
