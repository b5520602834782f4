package io.diskann.graph;

import io.diskann.index.SearchResult;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.diskann.vector.Metric;
import io.diskann.vector.VectorType;
import io.diskann.index.CorruptIndexException;
import io.diskann.testing.FormatBytes;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.Test;

class IndexFileTest {

    @TempDir
    Path dir;

    private static VamanaIndex built(VectorType type, Metric metric) {
        float[][] data = TestData.clustered(1500, 24, 8, type, 4);
        VamanaIndex index = VamanaIndex.builder(24, metric).vectorType(type)
                .params(VamanaParams.builder().maxDegree(16).buildListSize(40).threads(2).build()).build();
        index.build(data);
        return index;
    }

    @ParameterizedTest
    @EnumSource(VectorType.class)
    void roundTripGivesIdenticalResults(VectorType type) throws IOException {
        VamanaIndex index = built(type, type == VectorType.I8 ? Metric.COSINE : Metric.L2);
        Path file = dir.resolve("idx-" + type);
        index.save(file);
        VamanaIndex loaded = VamanaIndex.load(file);
        assertEquals(withoutThreads(index.stats()), withoutThreads(loaded.stats()));
        float[][] queries = TestData.clustered(50, 24, 8, type, 4);
        for (float[] q : queries) {
            SearchResult a = index.search(q, 10, 50);
            SearchResult b = loaded.search(q, 10, 50);
            assertArrayEquals(a.ids(), b.ids());
            // equal up to the last bits: the Vector API leaves the order of a float reduction to the
            // implementation, and interpreted and compiled code of one kernel may sum lanes differently
            for (int i = 0; i < a.size(); i++) {
                assertEquals(a.distances()[i], b.distances()[i], 1e-5f * Math.max(1f, Math.abs(a.distances()[i])));
            }
        }
        try (var files = Files.list(dir)) {
            assertEquals(0, files.filter(p -> p.toString().endsWith(".tmp")).count(), "no temp file left behind");
        }
    }

    /** The build thread count is the loading machine's, not saved: compare stats without it. */
    static VamanaStats withoutThreads(VamanaStats s) {
        return new VamanaStats(s.count(), s.dimensions(), s.type(), s.metric(), s.params().withThreads(1), s.minDegree(),
                s.meanDegree(), s.maxDegree(), s.vectorBytes(), s.graphBytes(), s.startPoint(), s.deletedCount(),
                s.freeSlots(), s.traversal(), s.codeBytes());
    }

    @Test
    void saveReplacesAnExistingFileAtomically() throws IOException {
        Path file = dir.resolve("idx");
        Files.writeString(file, "old contents");
        built(VectorType.F32, Metric.L2).save(file);
        assertEquals(1500, VamanaIndex.load(file).size());
    }

    @Test
    void rejectsMissingTruncatedCorruptAndForeignFiles() throws IOException {
        Path file = dir.resolve("idx");
        built(VectorType.F32, Metric.L2).save(file);
        byte[] good = Files.readAllBytes(file);

        var missing = assertThrows(IOException.class, () -> VamanaIndex.load(dir.resolve("nope")));
        assertTrue(missing.getMessage().contains("nope"), missing.getMessage());

        for (int cut : new int[] {0, 10, 70, good.length / 2, good.length - 1}) {
            Path t = dir.resolve("truncated" + cut);
            Files.write(t, Arrays.copyOf(good, cut));
            var e = assertThrows(IOException.class, () -> VamanaIndex.load(t));
            assertTrue(e.getMessage().contains(t.toString()), e.getMessage());
        }

        byte[] flipped = good.clone();
        flipped[good.length / 2] ^= 0x40;
        Path c = dir.resolve("corrupt");
        Files.write(c, flipped);
        var e = assertThrows(IOException.class, () -> VamanaIndex.load(c));
        assertTrue(e.getMessage().contains("corrupt") || e.getMessage().contains("outside"), e.getMessage());

        // crafted values with their checksums recomputed reach the range checks, which name field and value
        FormatBytes.Layout layout = FormatBytes.layout(good);
        byte[] version = good.clone();
        FormatBytes.put(version, layout.versionAt(), 99);
        FormatBytes.resealAll(version, layout);
        Path v = dir.resolve("version");
        Files.write(v, version);
        var ev = assertThrows(CorruptIndexException.class, () -> VamanaIndex.load(v));
        assertEquals("header.version", ev.field(), ev.getMessage());
        assertEquals("99", ev.value());
        assertTrue(ev.getMessage().contains("newer build"), ev.getMessage());

        byte[] type = good.clone();
        FormatBytes.put(type, layout.section("params").bodyStart(), 7);
        FormatBytes.resealAll(type, layout);
        Path ty = dir.resolve("type");
        Files.write(ty, type);
        var et = assertThrows(CorruptIndexException.class, () -> VamanaIndex.load(ty));
        assertEquals("params.type", et.field(), et.getMessage());
        assertTrue(et.getMessage().contains("element type"), et.getMessage());

        byte[] unsealed = good.clone(); // the same change without the checksums: caught as damage first
        FormatBytes.put(unsealed, layout.section("params").bodyStart(), 7);
        Path us = dir.resolve("unsealed");
        Files.write(us, unsealed);
        var eu = assertThrows(CorruptIndexException.class, () -> VamanaIndex.load(us));
        assertEquals("params.checksum", eu.field(), eu.getMessage());

        Path foreign = dir.resolve("foreign");
        Files.write(foreign, new byte[200]);
        var ef = assertThrows(CorruptIndexException.class, () -> VamanaIndex.load(foreign));
        assertTrue(ef.getMessage().contains("magic"), ef.getMessage());
    }
}
