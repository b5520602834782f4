package io.diskann.graph;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.diskann.index.SearchResult;
import io.diskann.testing.FileFuzzer;
import io.diskann.testing.TestResources;
import io.diskann.testing.TestSeeds;
import io.diskann.vector.Metric;
import io.diskann.vector.VectorType;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Thousands of damaged and crafted graph files, current and legacy formats: each load fails with a
 * {@code CorruptIndexException} naming the file, without allocating first, or answers exactly as the
 * undamaged file does (FileFuzzer). Seeds are drawn per run ({@code -Dtests.seed} replays one).
 */
class FileFuzzTest {

    private static final int RANDOM_MUTANTS = 250;

    @TempDir
    Path dir;

    /** Body fields of the current format worth crafting: every count, size and code the reader trusts. */
    private static final List<FileFuzzer.Field> FIELDS = List.of(
            new FileFuzzer.Field("params", 0, "params.type"), new FileFuzzer.Field("params", 4, "params.metric"),
            new FileFuzzer.Field("params", 8, "params.dimensions"), new FileFuzzer.Field("params", 12, "params.count"),
            new FileFuzzer.Field("params", 16, "params.start"), new FileFuzzer.Field("params", 20, "params.R"),
            new FileFuzzer.Field("params", 24, "params.L"), new FileFuzzer.Field("params", 32, "params.maxc"),
            new FileFuzzer.Field("params", 48, "params.entryDirections"), new FileFuzzer.Field("params", 52, "params.stride"),
            new FileFuzzer.Field("params", 56, "params.traversal"), new FileFuzzer.Field("adjacency", 0, "adjacency.degree[0]"),
            new FileFuzzer.Field("adjacency", 4, "adjacency.neighbour[0][0]"), new FileFuzzer.Field("slots", 0, "slots.nextId"),
            new FileFuzzer.Field("slots", 4, "slots.state[0]"), new FileFuzzer.Field("slots", 8, "slots.id[0]"));

    private static Object answers(Path file, float[][] queries) throws IOException {
        try (VamanaIndex index = VamanaIndex.load(file)) {
            List<Object> out = new ArrayList<>();
            out.add(index.size());
            out.add(index.dimensions());
            for (float[] q : queries) {
                SearchResult r = index.search(q, 5, 40);
                // ids, not distances: the last bit of a distance may differ between interpreted and compiled code
                out.add(Arrays.toString(r.ids()));
            }
            return out;
        }
    }

    /** Loads a well-formed file of whatever index it holds and searches it with a query valid for any type. */
    static Object exercise(Path file) throws IOException {
        try (VamanaIndex index = VamanaIndex.load(file)) {
            float[] q = new float[index.dimensions()];
            Arrays.fill(q, 1f);
            return index.search(q, 5, 40).size();
        }
    }

    private void fuzz(String name, byte[] good, boolean container, float[][] queries, long purpose) throws IOException {
        Path original = dir.resolve(name + ".orig");
        Files.write(original, good);
        Object expected = answers(original, queries);
        FileFuzzer f = new FileFuzzer(dir.resolve(name), p -> answers(p, queries), expected)
                .craftedOpener(FileFuzzTest::exercise);
        FileFuzzer.Stats s = f.run(good, container, container ? FIELDS : List.of(), TestSeeds.random(purpose), RANDOM_MUTANTS);
        System.out.println("fuzz " + name + ": " + s);
        assertEquals(List.of(), f.failures().stream().limit(20).toList(), name + ": " + f.failures().size() + " failures");
        assertTrue(s.mutants() > 700, name + " " + s);
        assertTrue(s.rejected() > s.mutants() * 8 / 10, name + " " + s);
    }

    private static VamanaIndex small(VectorType type, Metric metric, float[][] data) {
        VamanaIndex index = VamanaIndex.builder(data[0].length, metric).vectorType(type)
                .params(VamanaParams.builder().maxDegree(12).buildListSize(30).threads(1).build()).build();
        index.build(data);
        return index;
    }

    @Test
    void currentFormatF32WithDeletesAndInserts() throws IOException {
        float[][] data = TestData.clustered(320, 16, 6, VectorType.F32, 1);
        Path p = dir.resolve("f32.idx");
        try (VamanaIndex index = small(VectorType.F32, Metric.L2, Arrays.copyOf(data, 300))) {
            for (int i = 0; i < 10; i++) {
                index.delete(i * 7);
            }
            index.consolidate();
            for (int i = 300; i < 320; i++) {
                index.insert(data[i]);
            }
            index.delete(301);
            index.save(p);
        }
        fuzz("f32", Files.readAllBytes(p), true, Arrays.copyOfRange(data, 280, 300), 2);
    }

    @Test
    void currentFormatU8CosineWithQuantizedTraversal() throws IOException {
        float[][] data = TestData.clustered(300, 24, 5, VectorType.U8, 3);
        Path p = dir.resolve("u8.idx");
        try (VamanaIndex index = small(VectorType.U8, Metric.COSINE, data)) {
            index.save(p);
        }
        fuzz("u8", Files.readAllBytes(p), true, Arrays.copyOf(data, 15), 4);
    }

    @Test
    void currentFormatF32WithSq8Traversal() throws IOException {
        float[][] data = TestData.clustered(300, 16, 5, VectorType.F32, 5);
        Path p = dir.resolve("sq8.idx");
        try (VamanaIndex index = small(VectorType.F32, Metric.INNER_PRODUCT, data)) {
            index.setTraversal(Traversal.SQ8);
            index.save(p);
        }
        fuzz("sq8", Files.readAllBytes(p), true, Arrays.copyOf(data, 15), 6);
    }

    @Test
    void legacyVersionOneTwoAndThreeFiles() throws IOException {
        fuzz("v1", TestResources.legacy("v1-f32-l2.idx"), false, TestResources.vectors("v1-vectors.txt", 10), 7);
        fuzz("v2", TestResources.legacy("v2-u8-ip.idx"), false, TestResources.vectors("v2-vectors.txt", 10), 8);
        fuzz("v3", TestResources.legacy("v3-f32-l2.idx"), false, TestResources.vectors("v3-vectors.txt", 10), 9);
    }
}
