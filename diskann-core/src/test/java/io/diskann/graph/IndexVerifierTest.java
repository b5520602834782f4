package io.diskann.graph;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.diskann.index.VerifyReport;
import io.diskann.testing.FormatBytes;
import io.diskann.vector.Metric;
import io.diskann.vector.VectorType;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link IndexVerifier}: sound files pass, damage and broken invariants are named, legacy files are checked. */
class IndexVerifierTest {

    @TempDir
    Path dir;

    private Path saved() throws IOException {
        float[][] data = TestData.clustered(600, 16, 6, VectorType.F32, 21);
        Path p = dir.resolve("g.idx");
        try (VamanaIndex index = VamanaIndex.builder(16, Metric.L2)
                .params(VamanaParams.builder().maxDegree(12).buildListSize(30).threads(2).build()).build()) {
            index.build(data);
            index.delete(3);
            index.save(p);
        }
        return p;
    }

    @Test
    void aSoundFileHasNoProblemsAndDescribesItself() throws IOException {
        VerifyReport r = IndexVerifier.verify(saved());
        assertTrue(r.ok(), r.problems().toString());
        assertEquals("vamana-index v4", r.format());
        assertEquals(32, r.saveId().length());
        assertEquals(4, r.sections().size(), r.sections().toString());
        assertTrue(r.facts().stream().anyMatch(f -> f.contains("live 599, deleted 1")), r.facts().toString());
    }

    @Test
    void damageAndBrokenInvariantsAreProblems() throws IOException {
        Path p = saved();
        byte[] good = Files.readAllBytes(p);
        FormatBytes.Layout l = FormatBytes.layout(good);

        byte[] flipped = good.clone();
        flipped[l.section("vectors").bodyStart() + 5] ^= 1;
        Path f = dir.resolve("flipped.idx");
        Files.write(f, flipped);
        VerifyReport rf = IndexVerifier.verify(f);
        assertFalse(rf.ok());
        assertTrue(rf.problems().get(0).contains("vectors.checksum"), rf.problems().toString());

        // a well-formed file (checksums recomputed) whose first node links to itself and lists a neighbour twice
        byte[] loops = good.clone();
        int adjacency = l.section("adjacency").bodyStart();
        FormatBytes.put(loops, adjacency + 4, 0);
        FormatBytes.put(loops, adjacency + 12, java.nio.ByteBuffer.wrap(good).order(java.nio.ByteOrder.LITTLE_ENDIAN)
                .getInt(adjacency + 8));
        FormatBytes.resealAll(loops, l);
        Path lp = dir.resolve("loops.idx");
        Files.write(lp, loops);
        VerifyReport rl = IndexVerifier.verify(lp);
        assertFalse(rl.ok());
        assertTrue(rl.problems().stream().anyMatch(x -> x.contains("slot 0 links to itself")), rl.problems().toString());
        assertTrue(rl.problems().stream().anyMatch(x -> x.contains("twice")), rl.problems().toString());

        assertThrows(NoSuchFileException.class, () -> IndexVerifier.verify(dir.resolve("missing.idx")));
    }

    @Test
    void legacyFilesAreCheckedToo() throws IOException {
        for (String name : new String[] {"v1-f32-l2.idx", "v2-u8-ip.idx", "v3-f32-l2.idx"}) {
            Path p = dir.resolve(name);
            try (InputStream in = IndexVerifierTest.class.getResourceAsStream("/legacy/" + name)) {
                Files.copy(in, p);
            }
            VerifyReport r = IndexVerifier.verify(p);
            assertTrue(r.ok(), name + " " + r.problems());
            assertTrue(r.format().contains("earlier build"), r.format());
            byte[] b = Files.readAllBytes(p);
            Files.write(p, Arrays.copyOf(b, b.length - 3));
            assertFalse(IndexVerifier.verify(p).ok(), name + " truncated");
        }
    }
}
