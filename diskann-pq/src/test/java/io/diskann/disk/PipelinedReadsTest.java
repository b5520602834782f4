package io.diskann.disk;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.diskann.graph.VamanaIndex;
import io.diskann.graph.VamanaParams;
import io.diskann.index.CorruptIndexException;
import io.diskann.index.SearchParams;
import io.diskann.index.SearchResult;
import io.diskann.index.Searcher;
import io.diskann.pq.PqParams;
import io.diskann.testing.FormatBytes;
import io.diskann.testing.TestSeeds;
import io.diskann.vector.Metric;
import io.diskann.vector.VectorType;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Pipelined reads (W in flight, each record scored as it arrives) against rounds of W reads: both against
 * brute force, the same results in every I/O mode and with a node cache, and a damaged sector met with
 * reads still in flight fails that search alone.
 */
class PipelinedReadsTest {

    @TempDir
    Path dir;

    private Path write(float[][] base) throws IOException {
        Path p = dir.resolve("pipelined.disk");
        try (VamanaIndex g = VamanaIndex.builder(base[0].length, Metric.L2)
                .params(VamanaParams.builder().maxDegree(24).buildListSize(64).threads(2).build()).build()) {
            g.build(base);
            DiskIndexWriter.write(g, PqParams.builder(12).threads(2).build(), p);
        }
        return p;
    }

    private static DiskOptions options(IoMode mode, boolean pipelined, int cacheNodes) {
        return DiskOptions.builder().ioMode(mode).pipelined(pipelined).cacheNodes(cacheNodes).build();
    }

    @Test
    void bothSchedulesMeetBruteForceAndEveryModeAgrees() throws IOException {
        float[][] all = DiskIndexTest.clustered(3100, 32, VectorType.F32, 41);
        float[][] base = Arrays.copyOf(all, 3000);
        Path p = write(base);
        for (int w : new int[] {1, 2, 4, 8}) {
            SearchParams params = SearchParams.builder(10).listSize(50).beamWidth(w).build();
            try (DiskIndex pipedPage = DiskIndex.open(p, options(IoMode.PAGE_CACHE, true, 0));
                 DiskIndex pipedDirect = DiskIndex.open(p, options(IoMode.DIRECT, true, 0));
                 DiskIndex pipedCached = DiskIndex.open(p, options(IoMode.DIRECT, true, 400));
                 DiskIndex roundsPage = DiskIndex.open(p, options(IoMode.PAGE_CACHE, false, 0));
                 DiskIndex roundsDirect = DiskIndex.open(p, options(IoMode.DIRECT, false, 0));
                 DiskIndex pipedMapped = DiskIndex.open(p, options(IoMode.MMAP, true, 0));
                 DiskIndex roundsMapped = DiskIndex.open(p, options(IoMode.MMAP, false, 0))) {
                int pipedHits = 0;
                int roundHits = 0;
                long cacheHits = 0;
                for (int q = 3000; q < 3100; q++) {
                    SearchResult a = pipedPage.search(all[q], params);
                    SearchResult b = pipedDirect.search(all[q], params);
                    SearchResult c = pipedCached.search(all[q], params);
                    SearchResult r = roundsPage.search(all[q], params);
                    SearchResult d = roundsDirect.search(all[q], params);
                    // the order of expansions depends on the data only: not on when reads finish, nor on the cache
                    assertArrayEquals(a.ids(), b.ids(), "W=" + w + " query " + q + ": direct vs page cache");
                    assertArrayEquals(a.ids(), c.ids(), "W=" + w + " query " + q + ": with a node cache");
                    assertEquals(a.stats().hops(), c.stats().hops(), "the cache does not change the path");
                    assertEquals(b.stats().hops(), b.stats().reads(), "one read per expanded node, no cache");
                    assertEquals(c.stats().hops(), c.stats().reads() + c.stats().cacheHits());
                    assertArrayEquals(r.ids(), d.ids(), "W=" + w + " query " + q + ": rounds, direct vs page cache");
                    SearchResult m = pipedMapped.search(all[q], params);
                    assertArrayEquals(a.ids(), m.ids(), "W=" + w + " query " + q + ": mapped vs page cache");
                    assertArrayEquals(a.distances(), m.distances(), 1e-5f * Math.max(1f, a.distances()[a.size() - 1]));
                    assertEquals(a.stats().reads(), m.stats().reads(), "a mapped record counts as a read");
                    assertArrayEquals(r.ids(), roundsMapped.search(all[q], params).ids(), "rounds, mapped");
                    cacheHits += c.stats().cacheHits();
                    int[] truth = DiskIndexTest.truth(Metric.L2, base, all[q], 10);
                    pipedHits += overlap(truth, a.ids());
                    roundHits += overlap(truth, r.ids());
                }
                assertTrue(cacheHits > 100, "the cache serves the first hops: " + cacheHits);
                assertTrue(pipedHits >= 900, "W=" + w + " pipelined recall@10 " + pipedHits / 1000.0);
                assertTrue(roundHits >= 900, "W=" + w + " rounds recall@10 " + roundHits / 1000.0);
                // the pipeline reads what it asks for: the same recall within a few hits
                assertTrue(Math.abs(pipedHits - roundHits) <= 30, pipedHits + " vs " + roundHits);
            }
        }
    }

    /**
     * A search abandoned with reads in flight (its caller failed) must not let those reads land in the
     * buffers of the next search: the reader waits for them first. Deterministic: the abandoned reads are
     * never reaped by their own search.
     */
    @Test
    void readsLeftInFlightAreAwaitedBeforeTheirBuffersAreReused() throws IOException {
        float[][] all = DiskIndexTest.clustered(1100, 32, VectorType.F32, 47);
        Path p = write(Arrays.copyOf(all, 1000));
        try (DiskIndex direct = DiskIndex.open(p, options(IoMode.DIRECT, true, 0));
             DiskIndex page = DiskIndex.open(p, options(IoMode.PAGE_CACHE, true, 0));
             DiskReader reader = new DiskReader(direct, 8);
             DiskReader reference = new DiskReader(page, 8)) {
            int[] got = new int[64];
            int[] want = new int[64];
            for (int round = 0; round < 20; round++) {
                reader.start(all[1000]);
                for (int i = 0; i < 8; i++) {
                    reader.submit(round * 40 + i);
                }
                assertEquals(round * 40, reader.next()); // all eight go out; seven are left in flight
                reader.start(all[1000]);
                reference.start(all[1000]);
                for (int i = 0; i < 8; i++) {
                    reader.submit(round * 40 + 20 + i);
                    reference.submit(round * 40 + 20 + i);
                }
                for (int i = 0; i < 8; i++) {
                    int node = reader.next();
                    assertEquals(reference.next(), node, "records come in the order asked for");
                    int n = reader.neighbors(node, got);
                    assertEquals(reference.neighbors(node, want), n, "node " + node);
                    assertArrayEquals(Arrays.copyOf(want, n), Arrays.copyOf(got, n), "node " + node);
                }
            }
        }
    }

    /**
     * Reads go to the kernel a few at a time ({@code DiskReader.SUBMIT_BATCH}), or at once when the record
     * handed out next is among the unsubmitted ones. Any interleaving of asks, hand-outs and abandoned
     * queries (a new {@code start} with reads prepared, submitted or arrived) hands out the records asked
     * for, in order, with the neighbour lists the page-cache reader reads.
     */
    @Test
    @Timeout(value = 120, threadMode = Timeout.ThreadMode.SEPARATE_THREAD) // a read never submitted hangs, not fails
    void anyInterleavingOfAsksAndHandOutsGetsTheRecordsInOrder() throws IOException {
        assumeTrue(LinuxAio.available(), "kernel AIO (Linux x86-64 or aarch64) is what submits reads in batches");
        float[][] all = DiskIndexTest.clustered(1100, 32, VectorType.F32, 53);
        Path p = write(Arrays.copyOf(all, 1000));
        Random r = TestSeeds.random(17);
        try (DiskIndex direct = DiskIndex.open(p, options(IoMode.DIRECT, true, 0));
             DiskIndex page = DiskIndex.open(p, options(IoMode.PAGE_CACHE, true, 0));
             DiskReader reader = new DiskReader(direct, 8);
             DiskReader reference = new DiskReader(page, 8)) {
            int[] got = new int[64];
            int[] want = new int[64];
            int asked = 0;
            int handedOut = 0;
            reader.start(all[1000]);
            reference.start(all[1000]);
            for (int step = 0; step < 3000; step++) {
                int open = asked - handedOut;
                if (r.nextInt(60) == 0) {
                    reader.start(all[1000 + r.nextInt(100)]); // abandons whatever is in flight
                    reference.start(all[1000]);
                    asked = handedOut = 0;
                } else if (open < 8 && (open == 0 || r.nextBoolean())) {
                    int node = r.nextInt(1000);
                    reader.submit(node);
                    reference.submit(node);
                    asked++;
                } else {
                    int node = reader.next();
                    assertEquals(reference.next(), node, "step " + step + ": records come in the order asked for");
                    handedOut++;
                    int n = reader.neighbors(node, got);
                    assertEquals(reference.neighbors(node, want), n, "node " + node);
                    assertArrayEquals(Arrays.copyOf(want, n), Arrays.copyOf(got, n), "node " + node);
                }
            }
        }
    }

    /** Whether the search fails on the damaged sector; if it answers, the answer is the one expected. */
    private static boolean outcome(Searcher s, float[] query, SearchParams params, int[] expected) {
        try {
            assertArrayEquals(expected, s.search(query, params).ids(), "an answer that did not read the damage");
            return false;
        } catch (IllegalStateException e) {
            assertTrue(e.getCause() instanceof CorruptIndexException && e.getMessage().contains("sector checksum"),
                    e.getMessage());
            return true;
        }
    }

    /**
     * Searchers on several threads each keep their own reads in flight (one kernel AIO context each), or
     * read one mapped node section (checking its sectors on first touch, racing): a batch on four threads,
     * repeated, answers exactly as one searcher does query by query.
     */
    @Test
    void concurrentPipelinedSearchersAnswerAsOneDoes() throws Exception {
        float[][] all = DiskIndexTest.clustered(2200, 32, VectorType.F32, 53);
        Path p = write(Arrays.copyOf(all, 2000));
        float[][] queries = Arrays.copyOfRange(all, 2000, 2200);
        SearchParams params = SearchParams.builder(10).listSize(40).beamWidth(8).build();
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(4);
        try {
            for (IoMode mode : new IoMode[] {IoMode.DIRECT, IoMode.MMAP}) {
                try (DiskIndex disk = DiskIndex.open(p, options(mode, true, 200))) {
                    int[][] expected = new int[queries.length][];
                    try (Searcher s = disk.searcher()) {
                        for (int q = 0; q < queries.length; q++) {
                            expected[q] = s.search(queries[q], params).ids();
                        }
                    }
                    for (int round = 0; round < 5; round++) {
                        SearchResult[] batch = disk.batchSearch(queries, params, pool);
                        for (int q = 0; q < queries.length; q++) {
                            assertArrayEquals(expected[q], batch[q].ids(), mode + " round " + round + ", query " + q);
                        }
                    }
                }
            }
        } finally {
            pool.shutdown();
        }
    }

    private static int overlap(int[] truth, int[] ids) {
        int hit = 0;
        for (int t : truth) {
            for (int id : ids) {
                hit += id == t ? 1 : 0;
            }
        }
        return hit;
    }

    /**
     * A damaged sector found while other reads are in flight fails that search with the sector named; the
     * searcher waits for the reads left in flight before it reuses their buffers, so later searches that
     * avoid the damage answer as before.
     */
    @Test
    void aDamagedSectorFailsOneSearchAndTheNextAnswerAsBefore() throws IOException {
        float[][] all = DiskIndexTest.clustered(2100, 32, VectorType.F32, 43);
        float[][] base = Arrays.copyOf(all, 2000);
        Path p = write(base);
        SearchParams params = SearchParams.builder(10).listSize(40).beamWidth(8).build();
        int[][] expected = new int[100][];
        try (DiskIndex disk = DiskIndex.open(p, options(IoMode.DIRECT, true, 0))) {
            for (int q = 0; q < 100; q++) {
                SearchResult r = disk.search(all[2000 + q], params);
                expected[q] = r.ids();
            }
        }
        // damage the sector of a node that some queries reach late (not an entry point, not a first hop):
        // the ninth result of query c, for the first c whose damage fails some queries but not all (a
        // sector holds several nodes, and one of them may be on every query's path)
        byte[] good = Files.readAllBytes(p);
        FormatBytes.Span nodes = FormatBytes.layout(good).section("nodes");
        boolean[] fails = null;
        int victimQuery = -1;
        for (int c = 0; c < 10 && victimQuery < 0; c++) {
            try (DiskIndex disk = DiskIndex.open(p)) {
                int node = disk.nodeOf(expected[c][9]);
                byte[] bad = good.clone();
                bad[(int) (nodes.bodyStart() + disk.layout().sectorOf(node) * DiskLayout.SECTOR + 7)] ^= 1;
                Files.write(p, bad);
            }
            try (DiskIndex disk = DiskIndex.open(p, options(IoMode.DIRECT, true, 0))) {
                // each query on a fresh searcher: which ones meet the damage
                boolean[] f = new boolean[100];
                int failed = 0;
                for (int q = 0; q < 100; q++) {
                    try (Searcher fresh = disk.searcher()) {
                        f[q] = outcome(fresh, all[2000 + q], params, expected[q]);
                        failed += f[q] ? 1 : 0;
                    }
                }
                assertTrue(f[c], "query " + c + " reads the damaged node");
                if (failed < 100) {
                    fails = f;
                    victimQuery = c;
                }
            }
        }
        assertTrue(victimQuery >= 0, "some damaged sector among 10 tried is avoided by some queries");
        for (IoMode mode : new IoMode[] {IoMode.DIRECT, IoMode.MMAP}) {
            try (DiskIndex disk = DiskIndex.open(p, options(mode, true, 0))) {
                // one searcher for all, twice: a failed search leaves reads in flight, and must not disturb the
                // next; mapped, a damaged sector fails every search that touches it, not only the first
                try (Searcher s = disk.searcher()) {
                    for (int round = 0; round < 2; round++) {
                        for (int q = 0; q < 100; q++) {
                            assertEquals(fails[q], outcome(s, all[2000 + q], params, expected[q]), mode + " query " + q);
                        }
                    }
                }
            }
        }
        Files.write(p, good);
    }
}
