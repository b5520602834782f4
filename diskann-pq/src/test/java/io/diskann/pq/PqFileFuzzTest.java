package io.diskann.pq;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.diskann.graph.VamanaIndex;
import io.diskann.graph.VamanaParams;
import io.diskann.index.SearchParams;
import io.diskann.index.SearchResult;
import io.diskann.testing.FileFuzzer;
import io.diskann.testing.TestResources;
import io.diskann.testing.TestSeeds;
import io.diskann.vector.Metric;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Damaged and crafted PQ index files, the current one-file format and an earlier build's pair of files:
 * every load fails with a {@code CorruptIndexException} naming the file, without allocating first, or
 * answers exactly as the undamaged file does. The earlier pair (graph v3 + {@code .pq} v3) was written
 * by the build before the container format; {@code v3-expected.txt} holds what that build answered.
 */
class PqFileFuzzTest {

    @TempDir
    Path dir;

    /** Every count, size and flag of the "pq" section the reader trusts. */
    private static final List<FileFuzzer.Field> FIELDS = List.of(
            new FileFuzzer.Field("pq", 0, "pq.dimensions"), new FileFuzzer.Field("pq", 4, "pq.metric"),
            new FileFuzzer.Field("pq", 8, "pq.chunks"), new FileFuzzer.Field("pq", 12, "pq.hasMean"),
            new FileFuzzer.Field("pq", 16, "pq.codeDimensions"), new FileFuzzer.Field("pq", 20, "pq.hasRotation"),
            new FileFuzzer.Field("pq", 24, "pq.offsets[0]"), new FileFuzzer.Field("params", 12, "params.count"),
            new FileFuzzer.Field("params", 20, "params.R"));

    private static Object answers(Path file, float[][] queries) throws IOException {
        try (PqIndex index = PqIndex.load(file)) {
            List<Object> out = new ArrayList<>();
            out.add(index.index().size());
            for (float[] q : queries) {
                out.add(Arrays.toString(index.search(q, SearchParams.builder(5).listSize(40).rerank(20).build()).ids()));
            }
            return out;
        }
    }

    private static Object exercise(Path file) throws IOException {
        try (PqIndex index = PqIndex.load(file)) {
            float[] q = new float[index.dimensions()];
            Arrays.fill(q, 0.5f);
            return index.search(q, SearchParams.builder(5).listSize(40).rerank(20).build()).size();
        }
    }

    @Test
    void currentFormatWithRotationAndAnEarlierBuildsPair() throws IOException {
        float[][] data = QuantizerTest.clustered(400, 16, 6, 3, 0f);
        VamanaIndex graph = VamanaIndex.builder(16, Metric.L2)
                .params(VamanaParams.builder().maxDegree(12).buildListSize(30).threads(1).build()).build();
        graph.build(Arrays.copyOf(data, 380));
        Path file = dir.resolve("pq.idx");
        try (PqIndex pq = PqIndex.compress(graph, PqParams.builder(4).rotate(true).rotatedDimensions(12).threads(1).build())) {
            pq.delete(5);
            pq.insert(data[390]);
            pq.save(file);
        }
        float[][] queries = Arrays.copyOfRange(data, 380, 395);
        Object expected = answers(file, queries);
        FileFuzzer f = new FileFuzzer(dir.resolve("mutant.idx"), p -> answers(p, queries), expected)
                .craftedOpener(PqFileFuzzTest::exercise);
        FileFuzzer.Stats s = f.run(Files.readAllBytes(file), true, FIELDS, TestSeeds.random(1), 300);
        System.out.println("fuzz pq: " + s);
        assertEquals(List.of(), f.failures().stream().limit(20).toList(), f.failures().size() + " failures");
        assertTrue(s.mutants() > 900 && s.rejected() > s.mutants() * 8 / 10, s.toString());

        // the earlier build's pair: damage to its .pq file is caught the same way
        Path legacy = copy("v3-pq.idx");
        copy("v3-pq.idx.pq");
        float[][] legacyQueries = TestResources.vectors("v3-vectors.txt", 10);
        Object legacyExpected = answers(legacy, legacyQueries);
        FileFuzzer lf = new FileFuzzer(dir.resolve("v3-pq.idx.pq"), p -> answers(legacy, legacyQueries), legacyExpected);
        FileFuzzer.Stats ls = lf.run(TestResources.legacy("v3-pq.idx.pq"), false, List.of(), TestSeeds.random(2), 250);
        System.out.println("fuzz legacy pq: " + ls);
        assertEquals(List.of(), lf.failures().stream().limit(20).toList(), lf.failures().size() + " failures");
    }

    @Test
    void anEarlierBuildsPairLoadsAndAnswersAsThatBuildDid() throws IOException {
        Path legacy = copy("v3-pq.idx");
        copy("v3-pq.idx.pq");
        List<float[]> vectors = Arrays.asList(TestResources.vectors("v3-vectors.txt", 400));
        int checked = 0;
        try (PqIndex pq = PqIndex.load(legacy)) {
            assertEquals(399, pq.index().size());
            assertTrue(pq.index().contains(1000) && !pq.index().contains(3) && !pq.index().contains(4));
            for (String line : new String(TestResources.legacy("v3-expected.txt"), StandardCharsets.US_ASCII).lines().toList()) {
                String[] f = line.split(" ");
                if (!f[0].equals("v3-pq.idx")) {
                    continue;
                }
                SearchResult r = pq.search(vectors.get(Integer.parseInt(f[1])),
                        SearchParams.builder(5).listSize(40).rerank(20).build());
                int[] ids = new int[f.length - 2];
                float[] distances = new float[f.length - 2];
                for (int i = 0; i < ids.length; i++) {
                    String[] idAndDistance = f[i + 2].split(":");
                    ids[i] = Integer.parseInt(idAndDistance[0]);
                    distances[i] = Float.parseFloat(idAndDistance[1]);
                }
                assertArrayEquals(ids, r.ids(), line);
                assertArrayEquals(distances, r.distances(), 1e-5f * Math.max(1f, distances[distances.length - 1]), line);
                checked++;
            }
            // saving it writes the one-file format and removes the earlier .pq beside it
            pq.save(legacy);
        }
        assertEquals(5, checked);
        assertTrue(!Files.exists(dir.resolve("v3-pq.idx.pq")));
        try (PqIndex again = PqIndex.load(legacy)) {
            assertEquals(399, again.index().size());
        }
    }

    private Path copy(String name) throws IOException {
        Path p = dir.resolve(name);
        Files.write(p, TestResources.legacy(name));
        return p;
    }
}
