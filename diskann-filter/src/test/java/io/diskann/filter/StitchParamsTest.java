package io.diskann.filter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.diskann.graph.VamanaParams;
import org.junit.jupiter.api.Test;

/** The per-label graphs' defaults follow the index's R and the list rule of a plain build of as many vectors. */
class StitchParamsTest {

    @Test
    void defaultsFollowThePlainBuildsListRule() {
        VamanaParams r64 = VamanaParams.builder().maxDegree(64).build();
        assertEquals(new StitchParams(32, 64), StitchParams.defaultsFor(r64));
        assertEquals(new StitchParams(32, 64), StitchParams.defaultsFor(r64, 60_000), "small builds keep L_build");
        assertEquals(new StitchParams(32, 48), StitchParams.defaultsFor(r64, VamanaParams.LARGE_BUILD),
                "large builds use the plain build's shorter list");
        VamanaParams given = VamanaParams.builder().maxDegree(64).buildListSize(100).build();
        assertEquals(new StitchParams(32, 100), StitchParams.defaultsFor(given, 1_000_000), "a given L_build is kept");
        VamanaParams r8 = VamanaParams.builder().maxDegree(8).build();
        assertEquals(8, StitchParams.defaultsFor(r8, 10).smallDegree(), "R_small is at least 8");
        assertThrows(IllegalArgumentException.class, () -> new StitchParams(32, 31));
        assertThrows(IllegalArgumentException.class, () -> new StitchParams(0, 10));
    }
}
