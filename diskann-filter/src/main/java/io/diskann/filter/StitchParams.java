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
        int r = Math.max(8, graph.maxDegree() / 2);
        return new StitchParams(r, Math.max(r, graph.buildListSize()));
    }
}
