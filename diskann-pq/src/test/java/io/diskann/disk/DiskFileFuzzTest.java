package io.diskann.disk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.diskann.graph.VamanaIndex;
import io.diskann.graph.VamanaParams;
import io.diskann.index.CorruptIndexException;
import io.diskann.index.SearchParams;
import io.diskann.index.VerifyReport;
import io.diskann.pq.PqParams;
import io.diskann.testing.FileFuzzer;
import io.diskann.testing.TestSeeds;
import io.diskann.vector.Metric;
import io.diskann.vector.VectorType;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Damaged and crafted disk index files: truncations at every boundary of the layout and at random offsets, bit
 * flips, random overwrites, and crafted counts and sizes (with the checksums recomputed so they reach the range
 * checks). Every mutant must be refused with a {@link CorruptIndexException} naming the file (when it opens, when
 * a search reads a damaged sector, or by {@link DiskIndex#verify}), or answer exactly as the original does; never
 * another exception, a hang or a wrong answer. Crafted values that make a well-formed file of another index must
 * open and search without any other failure.
 */
class DiskFileFuzzTest {

    @TempDir
    Path dir;

    /** Every count and size of the "params" section the reader trusts, and the PQ section's. */
    private static final List<FileFuzzer.Field> FIELDS = List.of(
            new FileFuzzer.Field("params", 0, "params.type"), new FileFuzzer.Field("params", 4, "params.metric"),
            new FileFuzzer.Field("params", 8, "params.dimensions"), new FileFuzzer.Field("params", 12, "params.count"),
            new FileFuzzer.Field("params", 16, "params.R"), new FileFuzzer.Field("params", 20, "params.entry"),
            new FileFuzzer.Field("params", 24, "params.recordBytes"), new FileFuzzer.Field("params", 28, "params.nodesPerSector"),
            new FileFuzzer.Field("params", 32, "params.sectorsPerNode"), new FileFuzzer.Field("params", 36, "params.buildL"),
            new FileFuzzer.Field("params", 44, "params.flags"),
            new FileFuzzer.Field("pq", 0, "pq.dimensions"), new FileFuzzer.Field("pq", 4, "pq.metric"),
            new FileFuzzer.Field("pq", 8, "pq.chunks"), new FileFuzzer.Field("pq", 12, "pq.hasMean"),
            new FileFuzzer.Field("pq", 16, "pq.codeDimensions"), new FileFuzzer.Field("pq", 20, "pq.hasRotation"));

    /** Opens, searches every query, then verifies: damage is refused by one of the three or changes nothing. */
    private static Object answers(Path file, float[][] queries) throws IOException {
        List<Object> out = new ArrayList<>();
        try (DiskIndex index = DiskIndex.open(file)) {
            out.add(index.size());
            for (float[] q : queries) {
                out.add(Arrays.toString(index.search(q, SearchParams.builder(5).listSize(30).beamWidth(4).build()).ids()));
            }
        } catch (IllegalStateException e) {
            throw unwrap(e);
        }
        refuseIfUnsound(file);
        return out;
    }

    /** A crafted file: whatever index it turned out to be, a search of the right width must work or be refused. */
    private static Object exercise(Path file) throws IOException {
        try (DiskIndex index = DiskIndex.open(file)) {
            float[] q = new float[index.dimensions()];
            Arrays.fill(q, 0.5f);
            int found = index.search(q, SearchParams.builder(5).listSize(30).beamWidth(4).build()).size();
            refuseIfUnsound(file);
            return found;
        } catch (IllegalStateException e) {
            throw unwrap(e);
        }
    }

    private static void refuseIfUnsound(Path file) throws IOException {
        VerifyReport report = DiskIndex.verify(file);
        if (!report.ok()) {
            throw new CorruptIndexException(file, "verify", report.problems().size(), String.valueOf(report.problems()));
        }
    }

    /** A search that read a damaged sector fails with an IllegalStateException caused by the file's damage. */
    private static RuntimeException unwrap(IllegalStateException e) throws CorruptIndexException {
        if (e.getCause() instanceof CorruptIndexException c) {
            throw c;
        }
        return e;
    }

    @Test
    void damagedAndCraftedDiskFilesAreRefusedOrAnswerAsTheOriginal() throws IOException {
        float[][] all = DiskIndexTest.clustered(460, 24, VectorType.F32, 51);
        float[][] base = Arrays.copyOf(all, 440);
        Path file = dir.resolve("good.disk");
        try (VamanaIndex g = VamanaIndex.builder(24, Metric.L2)
                .params(VamanaParams.builder().maxDegree(12).buildListSize(30).threads(1).build()).build()) {
            g.build(base);
            DiskIndexWriter.write(g, PqParams.builder(6).rotate(true).rotatedDimensions(18).threads(1).build(), file);
        }
        float[][] queries = Arrays.copyOfRange(all, 440, 452);
        Object expected = answers(file, queries);
        FileFuzzer f = new FileFuzzer(dir.resolve("mutant.disk"), p -> answers(p, queries), expected)
                .craftedOpener(DiskFileFuzzTest::exercise);
        FileFuzzer.Stats s = f.run(Files.readAllBytes(file), true, FIELDS, TestSeeds.random(3), 250);
        System.out.println("fuzz disk: " + s);
        assertEquals(List.of(), f.failures().stream().limit(20).toList(), f.failures().size() + " failures");
        assertTrue(s.mutants() > 900 && s.rejected() > s.mutants() * 8 / 10, s.toString());
    }
}
