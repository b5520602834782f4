package io.diskann.disk;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.diskann.graph.VamanaIndex;
import io.diskann.graph.VamanaParams;
import io.diskann.index.SearchParams;
import io.diskann.index.SearchResult;
import io.diskann.pq.PqParams;
import io.diskann.vector.Metric;
import io.diskann.vector.VectorType;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Searches that start at the sampled node closest to the query ({@link DiskOptions#entrySample}) instead of the
 * medoid: the same recall against brute force with fewer reads, the same results in every I/O mode, and the
 * option's bounds.
 */
class EntrySampleTest {

    @TempDir
    Path dir;

    /** An L2 disk file of {@code base} (graph of degree R built at list L, PQ of M chunks) in the test's directory. */
    private Path write(float[][] base, int maxDegree, int buildList, int chunks, String name) throws IOException {
        Path p = dir.resolve(name);
        try (VamanaIndex g = VamanaIndex.builder(base[0].length, Metric.L2)
                .params(VamanaParams.builder().maxDegree(maxDegree).buildListSize(buildList).threads(2).build()).build()) {
            g.build(base);
            DiskIndexWriter.write(g, PqParams.builder(chunks).threads(2).build(), p);
        }
        return p;
    }

    @Test
    void startingAtTheClosestSampledNodeKeepsRecallWithFewerReads() throws IOException {
        int n = 6000;
        float[][] all = DiskIndexTest.clustered(n + 200, 32, VectorType.F32, 71);
        float[][] base = Arrays.copyOf(all, n);
        Path p = write(base, 24, 64, 8, "s.disk");
        SearchParams params = SearchParams.builder(10).listSize(30).beamWidth(2).build();
        try (DiskIndex medoid = DiskIndex.open(p, DiskOptions.builder().entrySample(0).build());
             DiskIndex sampled = DiskIndex.open(p, DiskOptions.builder().entrySample(512).build());
             DiskIndex direct = DiskIndex.open(p, DiskOptions.builder().ioMode(IoMode.DIRECT).entrySample(512).build());
             DiskIndex mapped = DiskIndex.open(p, DiskOptions.builder().ioMode(IoMode.MMAP).entrySample(512).build())) {
            assertEquals(0, medoid.entrySampleSize());
            assertEquals(512, sampled.entrySampleSize());
            long readsMedoid = 0;
            long readsSampled = 0;
            int hitMedoid = 0;
            int hitSampled = 0;
            for (int q = n; q < n + 200; q++) {
                Set<Integer> truth = new HashSet<>();
                for (int id : DiskIndexTest.truth(Metric.L2, base, all[q], 10)) {
                    truth.add(id);
                }
                SearchResult a = medoid.search(all[q], params);
                SearchResult b = sampled.search(all[q], params);
                readsMedoid += a.stats().reads();
                readsSampled += b.stats().reads();
                assertTrue(b.stats().distanceComputations() >= 512, "the sample's scoring is counted");
                for (int id : a.ids()) {
                    hitMedoid += truth.contains(id) ? 1 : 0;
                }
                for (int id : b.ids()) {
                    hitSampled += truth.contains(id) ? 1 : 0;
                }
                assertArrayEquals(b.ids(), direct.search(all[q], params).ids(), "direct reads walk the same path");
                assertArrayEquals(b.ids(), mapped.search(all[q], params).ids(), "mapped reads walk the same path");
            }
            double recallMedoid = hitMedoid / 2000.0;
            double recallSampled = hitSampled / 2000.0;
            assertTrue(recallSampled >= 0.9, "recall@10 from the sampled start " + recallSampled);
            assertTrue(recallSampled >= recallMedoid - 0.02, recallSampled + " against " + recallMedoid + " from the medoid");
            assertTrue(readsSampled < 0.95 * readsMedoid, readsSampled + " reads from the sampled start against "
                    + readsMedoid + " from the medoid");
        }
    }

    @Test
    void theSamplesOwnCodesScoreAsTheIndexCodesDo() throws IOException {
        int n = 3000;
        float[][] all = DiskIndexTest.clustered(n + 50, 24, VectorType.F32, 72);
        float[][] base = Arrays.copyOf(all, n);
        Path p = write(base, 16, 32, 6, "c.disk");
        try (DiskIndex index = DiskIndex.open(p, DiskOptions.builder().entrySample(300).build())) {
            EntrySample sample = index.entrySample();
            int[] nodes = sample.nodes();
            DiskPqScorer scorer = new DiskPqScorer(index.quantizer().newTable(), index.codes(), index.quantizer().chunks());
            float[] direct = new float[nodes.length];
            float[] scratch = new float[nodes.length];
            for (int q = n; q < n + 50; q++) {
                scorer.setQuery(all[q]);
                scorer.scoreBatch(nodes, nodes.length, direct);
                int best = 0;
                for (int i = 1; i < nodes.length; i++) {
                    best = direct[i] < direct[best] ? i : best;
                }
                assertEquals(nodes[best], sample.closest(scorer, scratch), "query " + q);
                assertArrayEquals(direct, scratch, 0f, "the copy's codes are the index's");
            }
        }
        assertThrows(IllegalArgumentException.class, () -> EntrySample.spread(10, 5, 0, new byte[9], 1),
                "codes shorter than the count");
    }

    @Test
    void theSampleIsSpreadAndHoldsTheEntryAndItsSizeIsBounded() {
        int[] s = EntrySample.spread(1000, 10, 0, new byte[1000], 1).nodes();
        assertArrayEquals(new int[] {0, 100, 200, 300, 400, 500, 600, 700, 800, 900}, s);
        int[] withEntry = EntrySample.spread(1000, 10, 555, new byte[1000], 1).nodes();
        assertEquals(555, withEntry[0], "an entry off the stride replaces the first sampled node");
        assertEquals(10, Arrays.stream(withEntry).distinct().count());
        assertEquals(0, EntrySample.spread(1000, 0, 0, new byte[1000], 1).size());
        assertEquals(5, EntrySample.spread(5, 5, 0, new byte[5], 1).size());
        assertThrows(IllegalArgumentException.class, () -> EntrySample.spread(5, 6, 0, new byte[5], 1));

        assertEquals(255, DiskOptions.autoEntrySample(60_000, 98), "about 25,000 code bytes");
        assertEquals(3906, DiskOptions.autoEntrySample(1_000_000, 15), "one node in 256");
        assertEquals(1666, DiskOptions.autoEntrySample(400_000, 15), "about 25,000 code bytes");
        assertEquals(19_531, DiskOptions.autoEntrySample(5_000_000, 15), "one node in 256");
        assertEquals(4096, DiskOptions.autoEntrySample(500_000, 4), "at most 4,096 by look-ups");
        assertEquals(DiskOptions.MAX_ENTRY_SAMPLE, DiskOptions.autoEntrySample(100_000_000, 15), "capped");
        assertEquals(64, DiskOptions.autoEntrySample(10_000, 1024), "at least 64");
        assertEquals(125, DiskOptions.autoEntrySample(2000, 8), "at most one node in 16");
        assertEquals(0, DiskOptions.autoEntrySample(1000, 8), "none for a small index");
        assertEquals(100, DiskOptions.builder().entrySample(500).build().entrySampleFor(100, 8), "capped at the count");
        assertThrows(IllegalArgumentException.class, () -> DiskOptions.builder().entrySample(-2).build());
        assertThrows(IllegalArgumentException.class,
                () -> DiskOptions.builder().entrySample(DiskOptions.MAX_ENTRY_SAMPLE + 1).build());
    }
}
