package io.diskann.graph;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.diskann.index.SearchResult;
import io.diskann.vector.Metric;
import io.diskann.vector.VectorType;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Files written by earlier builds still load and answer exactly as they did; the current format can be
 * mapped instead of read, with the same answers, and a mapped index can still change (in memory only).
 */
class LegacyAndMappedFilesTest {

    @TempDir
    Path dir;

    private static String resource(String name) throws IOException {
        try (InputStream in = LegacyAndMappedFilesTest.class.getResourceAsStream("/legacy/" + name)) {
            return new String(in.readAllBytes(), StandardCharsets.US_ASCII);
        }
    }

    private Path copyResource(String name) throws IOException {
        Path p = dir.resolve(name);
        try (InputStream in = LegacyAndMappedFilesTest.class.getResourceAsStream("/legacy/" + name)) {
            Files.copy(in, p);
        }
        return p;
    }

    /**
     * {@code v2-*.idx} were written by the format-2 build (commit 681387f): 400 x 12 vectors, ids 7 and 8
     * deleted, id 1000 inserted; {@code v2-expected.txt} holds what that build answered.
     */
    @Test
    void versionTwoFilesLoadAndAnswerAsTheBuildThatWroteThem() throws IOException {
        List<float[]> vectors = resource("v2-vectors.txt").lines().map(l -> {
            String[] f = l.trim().split(" ");
            float[] v = new float[f.length];
            for (int i = 0; i < f.length; i++) {
                v[i] = Float.parseFloat(f[i]);
            }
            return v;
        }).toList();
        int checked = 0;
        for (String line : resource("v2-expected.txt").lines().toList()) {
            String[] f = line.split(" ");
            VamanaIndex index = VamanaIndex.load(copyResource(f[0]).getParent().resolve(f[0]));
            assertEquals(399, index.size(), f[0]);
            assertTrue(index.contains(1000) && !index.contains(7) && !index.contains(8));
            SearchResult r = index.search(vectors.get(Integer.parseInt(f[1])), 5, 40);
            assertEquals(f.length - 2, r.size(), line);
            for (int i = 0; i < r.size(); i++) {
                String[] idAndDistance = f[i + 2].split(":");
                assertEquals(Integer.parseInt(idAndDistance[0]), r.ids()[i], line);
                assertEquals(Float.parseFloat(idAndDistance[1]), r.distances()[i], line);
            }
            index.close();
            Files.delete(dir.resolve(f[0]));
            checked++;
        }
        assertEquals(10, checked);
    }

    /**
     * {@code v1-*.idx} were written by the format-1 build (commit 59a8b07, the first index): 300 x 8
     * vectors; {@code v3-f32-l2.idx} by the format-3 build (commit a1d556f, the last before the container
     * format): 400 x 16, ids 3 and 4 deleted, id 1000 inserted. The expected files hold what those builds
     * answered.
     */
    @Test
    void versionOneAndThreeFilesLoadAndAnswerAsTheBuildsThatWroteThem() throws IOException {
        for (String v : new String[] {"v1", "v3"}) {
            List<float[]> vectors = resource(v + "-vectors.txt").lines().map(l -> {
                String[] f = l.trim().split(" ");
                float[] x = new float[f.length];
                for (int i = 0; i < f.length; i++) {
                    x[i] = Float.parseFloat(f[i]);
                }
                return x;
            }).toList();
            int checked = 0;
            for (String line : resource(v + "-expected.txt").lines().toList()) {
                String[] f = line.split(" ");
                Path file = dir.resolve(f[0]);
                if (!Files.exists(file)) {
                    copyResource(f[0]);
                }
                try (VamanaIndex index = VamanaIndex.load(file)) {
                    if (v.equals("v3")) {
                        assertEquals(399, index.size());
                        assertTrue(index.contains(1000) && !index.contains(3) && !index.contains(4));
                    } else {
                        assertEquals(300, index.size());
                    }
                    SearchResult r = index.search(vectors.get(Integer.parseInt(f[1])), 5, 40);
                    for (int i = 0; i < r.size(); i++) {
                        String[] idAndDistance = f[i + 2].split(":");
                        assertEquals(Integer.parseInt(idAndDistance[0]), r.ids()[i], line);
                        float d = Float.parseFloat(idAndDistance[1]);
                        assertEquals(d, r.distances()[i], 1e-5f * Math.max(1f, d), line);
                    }
                }
                checked++;
            }
            assertEquals(v.equals("v1") ? 10 : 5, checked, v);
        }
    }

    @ParameterizedTest
    @EnumSource(VectorType.class)
    void mappedIndexAnswersAsALoadedOneAndChangesOnlyInMemory(VectorType type) throws IOException {
        float[][] data = TestData.clustered(3000, 100, 8, type, 11);
        VamanaIndex built = VamanaIndex.builder(100, Metric.L2).vectorType(type)
                .params(VamanaParams.builder().maxDegree(16).buildListSize(40).threads(2).build()).build();
        built.build(data);
        Path file = dir.resolve("mapped.idx");
        built.save(file);
        byte[] saved = Files.readAllBytes(file);
        try (VamanaIndex copied = VamanaIndex.load(file);
             VamanaIndex mapped = VamanaIndex.load(file, VamanaIndex.LoadMode.MAP)) {
            for (int q = 0; q < 40; q++) {
                SearchResult a = copied.search(data[q * 7], 10, 40);
                SearchResult b = mapped.search(data[q * 7], 10, 40);
                assertArrayEquals(a.ids(), b.ids());
                // the same kernel on the same bytes; the last bit may differ between interpreted and
                // compiled code (their lane reductions associate differently), not between the two stores
                assertArrayEquals(a.distances(), b.distances(), 1e-5f * Math.max(1f, Math.abs(a.distances()[9])));
            }
            // changes go to memory: updates overwrite mapped rows copy-on-write, inserts grow past the mapping
            mapped.update(5, data[6]);
            for (int i = 0; i < 200; i++) {
                mapped.insert(data[i]);
            }
            assertEquals(3200, mapped.size());
            float[] stored = TestData.asStored(new float[][] {data[6]}, type)[0];
            assertArrayEquals(stored, mapped.vector(5), 0f);
            assertArrayEquals(saved, Files.readAllBytes(file), "the mapped file itself never changes");
            Path again = dir.resolve("again.idx");
            mapped.save(again);
            try (VamanaIndex reloaded = VamanaIndex.load(again)) {
                assertEquals(3200, reloaded.size());
                assertArrayEquals(stored, reloaded.vector(5), 0f);
            }
        }
        built.close();
    }
}
