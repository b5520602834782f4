package io.diskann.graph;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.diskann.index.SearchResult;
import io.diskann.vector.Metric;
import io.diskann.vector.VectorType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Large bulk builds take a shorter L_build when none was given ({@link VamanaParams#largeBuildListSize}), keep it
 * as the index's own (reported, saved, used by later inserts), and a given L_build is never replaced.
 */
class LargeBuildListTest {

    @Test
    void theDefaultShortensFromTheThresholdAndAGivenValueNever() {
        VamanaParams d = VamanaParams.defaults();
        assertFalse(d.buildListSizeGiven());
        assertEquals(64, d.buildListSize());
        assertEquals(64, d.buildListSizeFor(VamanaParams.LARGE_BUILD - 1));
        assertEquals(48, d.buildListSizeFor(VamanaParams.LARGE_BUILD));
        assertEquals(96, VamanaParams.builder().maxDegree(128).build().buildListSizeFor(2_000_000), "3R/4");
        assertEquals(48, VamanaParams.builder().maxDegree(16).build().buildListSizeFor(2_000_000), "at least 48");
        VamanaParams given = VamanaParams.builder().buildListSize(64).build();
        assertTrue(given.buildListSizeGiven());
        assertEquals(64, given.buildListSizeFor(10_000_000), "a given L_build is kept at any size");
        assertTrue(given.withThreads(1).buildListSizeGiven(), "copies keep it");
        assertFalse(d.withThreads(1).buildListSizeGiven(), "copies keep it");
        assertTrue(d.withBuildListSize(30).buildListSizeGiven());
        assertTrue(new VamanaParams(64, 64, 1.2f, 750, 1.3f, false, 2, 0f, 128).buildListSizeGiven(),
                "a record built field by field (a file's) is as given");
    }

    @Test
    void aLargeBuildKeepsItsShorterListAsTheIndexsOwn(@TempDir Path dir) throws Exception {
        int n = 3_000;
        int dim = 16;
        float[][] data = TestData.clustered(n + 100, dim, 20, VectorType.F32, 17);
        float[][] base = Arrays.copyOf(data, n);
        int saved = BulkBuild.largeListMinimum;
        BulkBuild.largeListMinimum = 1_000;
        try {
            try (VamanaIndex idx = VamanaIndex.builder(dim, Metric.L2)
                    .params(VamanaParams.builder().maxDegree(16).threads(2).build()).build()) {
                assertEquals(64, idx.params().buildListSize(), "before the build");
                idx.build(base);
                assertEquals(48, idx.params().buildListSize(), "a build of 3,000 at threshold 1,000");
                int hits = 0;
                for (int q = 0; q < 100; q++) {
                    float[] query = data[n + q];
                    int best = 0;
                    for (int i = 1; i < n; i++) {
                        if (dist(base[i], query) < dist(base[best], query)) {
                            best = i;
                        }
                    }
                    SearchResult r = idx.search(query, 1, 32);
                    hits += r.ids()[0] == best ? 1 : 0;
                }
                assertTrue(hits >= 95, "recall@1 " + hits + "%");
                Path file = dir.resolve("i.idx");
                idx.save(file);
                try (VamanaIndex loaded = VamanaIndex.load(file)) {
                    assertEquals(48, loaded.params().buildListSize(), "saved as built");
                }
            }
            try (VamanaIndex idx = VamanaIndex.builder(dim, Metric.L2)
                    .params(VamanaParams.builder().maxDegree(16).buildListSize(40).threads(2).build()).build()) {
                idx.build(base);
                assertEquals(40, idx.params().buildListSize(), "given: kept");
            }
            BulkBuild.largeListMinimum = n + 1;
            try (VamanaIndex idx = VamanaIndex.builder(dim, Metric.L2)
                    .params(VamanaParams.builder().maxDegree(16).threads(2).build()).build()) {
                idx.build(base);
                assertEquals(64, idx.params().buildListSize(), "below the threshold");
            }
            assertTrue(Files.exists(dir.resolve("i.idx")));
        } finally {
            BulkBuild.largeListMinimum = saved;
        }
    }

    private static float dist(float[] a, float[] b) {
        float s = 0;
        for (int i = 0; i < a.length; i++) {
            float d = a[i] - b[i];
            s += d * d;
        }
        return s;
    }
}
