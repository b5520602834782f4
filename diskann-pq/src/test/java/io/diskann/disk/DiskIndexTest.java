package io.diskann.disk;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.diskann.graph.VamanaIndex;
import io.diskann.graph.VamanaParams;
import io.diskann.index.CorruptIndexException;
import io.diskann.index.SearchParams;
import io.diskann.index.SearchResult;
import io.diskann.pq.PqParams;
import io.diskann.testing.FormatBytes;
import io.diskann.testing.TestSeeds;
import io.diskann.vector.Metric;
import io.diskann.vector.VectorType;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Random;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The SSD-resident index against brute force: every type and metric, both I/O modes, the node cache, damage. */
class DiskIndexTest {

    @TempDir
    Path dir;

    static float[][] clustered(int n, int dim, VectorType type, long seed) {
        Random r = TestSeeds.random(seed);
        double scale = type.isInteger() ? 30 : 1;
        double offset = type == VectorType.U8 ? 128 : 0;
        float[][] centres = new float[12][dim];
        for (float[] c : centres) {
            for (int j = 0; j < dim; j++) {
                c[j] = (float) (r.nextGaussian() * scale);
            }
        }
        float[][] out = new float[n][dim];
        for (int i = 0; i < n; i++) {
            float[] c = centres[r.nextInt(centres.length)];
            for (int j = 0; j < dim; j++) {
                double v = c[j] + r.nextGaussian() * scale * 0.4 + offset;
                if (type.isInteger()) {
                    v = Math.max(type.minValue(), Math.min(type.maxValue(), Math.rint(v)));
                } else if (type == VectorType.F16) {
                    v = Float.float16ToFloat(Float.floatToFloat16((float) v));
                }
                out[i][j] = (float) v;
            }
        }
        return out;
    }

    static double distance(Metric m, float[] a, float[] b) {
        double dot = 0;
        double l2 = 0;
        double na = 0;
        double nb = 0;
        for (int i = 0; i < a.length; i++) {
            dot += (double) a[i] * b[i];
            l2 += ((double) a[i] - b[i]) * ((double) a[i] - b[i]);
            na += (double) a[i] * a[i];
            nb += (double) b[i] * b[i];
        }
        return switch (m) {
            case L2 -> l2;
            case INNER_PRODUCT -> -dot;
            case COSINE -> 1 - dot / Math.sqrt(na * nb);
        };
    }

    static int[] truth(Metric m, float[][] base, float[] q, int k) {
        return IntStream.range(0, base.length).boxed()
                .sorted(Comparator.comparingDouble(i -> distance(m, q, base[i])))
                .limit(k).mapToInt(Integer::intValue).toArray();
    }

    private Path write(float[][] base, VectorType type, Metric metric, int pqBytes) throws IOException {
        return write(dir, base, type, metric, pqBytes);
    }

    /** A disk index of {@code base} (R=24, L_build=64) written in {@code dir}. */
    static Path write(Path dir, float[][] base, VectorType type, Metric metric, int pqBytes) throws IOException {
        Path p = dir.resolve(type + "-" + metric + ".disk");
        try (VamanaIndex g = VamanaIndex.builder(base[0].length, metric).vectorType(type)
                .params(VamanaParams.builder().maxDegree(24).buildListSize(64).threads(2).build()).build()) {
            g.build(base);
            DiskIndexWriter.write(g, PqParams.builder(pqBytes).threads(2).build(), p);
        }
        return p;
    }

    @ParameterizedTest
    @CsvSource({"F32,L2", "F32,COSINE", "F32,INNER_PRODUCT", "F16,L2", "F16,COSINE", "F16,INNER_PRODUCT", "U8,L2",
            "U8,COSINE", "U8,INNER_PRODUCT", "I8,L2", "I8,COSINE", "I8,INNER_PRODUCT"})
    void recallAgainstBruteForce(VectorType type, Metric metric) throws IOException {
        float[][] all = clustered(3100, 32, type, 1 + type.ordinal() * 7L + metric.ordinal());
        float[][] base = Arrays.copyOf(all, 3000);
        Path p = write(base, type, metric, 16);
        SearchParams params = SearchParams.builder(10).listSize(60).beamWidth(4).build();
        try (DiskIndex disk = DiskIndex.open(p)) {
            assertEquals(3000, disk.size());
            int hit = 0;
            long reads = 0;
            long hops = 0;
            for (int q = 3000; q < 3100; q++) {
                SearchResult r = disk.search(all[q], params);
                int[] t = truth(metric, base, all[q], 10);
                for (int id : r.ids()) {
                    for (int x : t) {
                        hit += id == x ? 1 : 0;
                    }
                }
                reads += r.stats().reads();
                hops += r.stats().hops();
                for (int i = 1; i < r.size(); i++) {
                    assertTrue(r.distances()[i - 1] <= r.distances()[i], "sorted by exact distance");
                }
            }
            double recall = hit / 1000.0;
            assertTrue(recall >= 0.9, type + " " + metric + " recall@10 " + recall);
            assertEquals(hops, reads, "one read per expanded node without a cache");
        }
    }

    /**
     * A cache chosen from a sample of queries: the same results as no cache, every expanded node read or
     * cached, whole sectors, and more hits than the breadth-first cache of the same size for queries drawn
     * like the sample (disjoint sets from one neighbourhood of the data).
     */
    @Test
    void aCacheChosenBySampleQueriesAnswersAlikeAndServesMoreHitsThanBreadthFirst() throws IOException {
        float[][] base = clustered(2800, 48, VectorType.F32, 17);
        Path p = write(base, VectorType.F32, Metric.L2, 18);
        SearchParams params = SearchParams.builder(10).listSize(40).beamWidth(4).build();
        // the queries of one neighbourhood (the 200 base vectors nearest base[0], slightly moved): the sample and
        // the measured set alternate through it, so the sample tells where the measured queries will go
        int[] near = truth(Metric.L2, base, base[0], 200);
        java.util.Random r = TestSeeds.random(19);
        float[][] sample = new float[100][];
        float[][] measured = new float[100][];
        for (int i = 0; i < 200; i++) {
            float[] q = base[near[i]].clone();
            for (int j = 0; j < q.length; j++) {
                q[j] += (float) (0.05 * r.nextGaussian());
            }
            if (i % 2 == 0) {
                sample[i / 2] = q;
            } else {
                measured[i / 2] = q;
            }
        }
        // searches start at the medoid here, as DiskANN's do: the comparison is between the two caches, and a start
        // chosen near each query (the default, EntrySampleTest) skips the hops the breadth-first cache serves
        DiskOptions medoidStart = DiskOptions.builder().entrySample(0).build();
        try (DiskIndex plain = DiskIndex.open(p, medoidStart);
             DiskIndex bfs = DiskIndex.open(p, DiskOptions.builder().cacheNodes(300).entrySample(0).build());
             DiskIndex chosen = DiskIndex.open(p, medoidStart)) {
            int cached = chosen.cacheFromQueries(sample, params, 300);
            int perSector = chosen.layout().nodesPerSector();
            // whole sectors, at most the request rounded up; fewer when the sample read fewer sectors than that (the
            // searches start near their queries, so 100 queries of one neighbourhood may read only ~38 sectors)
            assertEquals(0, cached % perSector, "whole sectors: " + cached);
            assertTrue(cached >= perSector && cached <= (300 + perSector - 1) / perSector * perSector, "cached " + cached);
            assertEquals(cached, chosen.stats().cacheNodes());
            long bfsHits = 0;
            long chosenHits = 0;
            for (float[] q : measured) {
                SearchResult a = plain.search(q, params);
                SearchResult c = chosen.search(q, params);
                assertArrayEquals(a.ids(), c.ids(), "the cache changes where records come from, not the results");
                assertEquals(a.stats().hops(), c.stats().reads() + c.stats().cacheHits(), "each expanded node read or cached");
                chosenHits += c.stats().cacheHits();
                bfsHits += bfs.search(q, params).stats().cacheHits();
            }
            // more, not twice as many: when the queries' neighbourhood lies near the medoid the breadth-first cache
            // serves it well too (seed 26d062c91bf35e75: 4,160 against 3,682, before the sampled start existed)
            assertTrue(chosenHits > bfsHits, "sample-chosen " + chosenHits + " hits vs breadth-first " + bfsHits);
            assertEquals(0, chosen.cacheFromQueries(sample, params, 0), "0 empties the cache");
            assertEquals(0, chosen.search(measured[0], params).stats().cacheHits());
            assertThrows(IllegalArgumentException.class, () -> chosen.cacheFromQueries(sample, params, -1));
            assertThrows(IllegalArgumentException.class, () -> chosen.cacheFromQueries(new float[0][], params, 10));
        }
    }

    @Test
    void directAndPageCacheModesAndTheCacheAnswerAlike() throws IOException {
        float[][] all = clustered(2600, 48, VectorType.F32, 11);
        float[][] base = Arrays.copyOf(all, 2500);
        Path p = write(base, VectorType.F32, Metric.L2, 12);
        SearchParams params = SearchParams.builder(10).listSize(40).beamWidth(4).build();
        try (DiskIndex buffered = DiskIndex.open(p);
             DiskIndex direct = DiskIndex.open(p, DiskOptions.builder().ioMode(IoMode.DIRECT).build());
             DiskIndex cached = DiskIndex.open(p, DiskOptions.builder().cacheNodes(500).build())) {
            long hits = 0;
            for (int q = 2500; q < 2600; q++) {
                SearchResult a = buffered.search(all[q], params);
                SearchResult b = direct.search(all[q], params);
                SearchResult c = cached.search(all[q], params);
                assertArrayEquals(a.ids(), b.ids());
                // same vectors, same kernel; the last bit may differ while one mode's kernel still runs
                // interpreted (the Vector API's fallback sums lanes in another order): CI saw 11.48487 vs 11.484871
                assertArrayEquals(a.distances(), b.distances(), 1e-5f * Math.max(1f, a.distances()[a.size() - 1]));
                assertArrayEquals(a.ids(), c.ids());
                assertEquals(a.stats().hops(), c.stats().hops());
                assertEquals(c.stats().hops(), c.stats().reads() + c.stats().cacheHits(), "each expanded node read or cached");
                hits += c.stats().cacheHits();
            }
            assertTrue(hits > 100, "the cache serves the first hops: " + hits);
            int perSector = cached.layout().nodesPerSector();
            assertTrue(perSector > 1, "records share sectors here: " + perSector);
            assertEquals((500 + perSector - 1) / perSector * perSector, cached.stats().cacheNodes(), "whole sectors");
            assertTrue(cached.stats().memoryBytes() < cached.stats().rawVectorBytes(), cached.stats().toString());
            // batch and range search on the same index
            SearchResult[] batch = buffered.batchSearch(Arrays.copyOfRange(all, 2500, 2600), params);
            assertArrayEquals(buffered.search(all[2510], params).ids(), batch[10].ids());
            float radius = (float) distance(Metric.L2, all[2500], base[truth(Metric.L2, base, all[2500], 30)[29]]);
            SearchResult range = buffered.rangeSearch(all[2500], radius);
            assertTrue(range.size() >= 25, "range search found " + range.size() + " of 30");
        }
    }

    /**
     * A FileChannel closes itself for every thread when one reader is interrupted. The interrupted search
     * must fail alone: the other searchers, and later searches, go on with a reopened channel.
     */
    @Test
    void anInterruptedSearchFailsAloneAndTheIndexKeepsWorking() throws Exception {
        float[][] all = clustered(1600, 32, VectorType.F32, 13);
        float[][] base = Arrays.copyOf(all, 1500);
        Path p = write(base, VectorType.F32, Metric.L2, 12);
        SearchParams params = SearchParams.builder(10).listSize(40).beamWidth(4).build();
        for (DiskOptions options : new DiskOptions[] {DiskOptions.defaults(),
                DiskOptions.builder().ioMode(IoMode.DIRECT).ioThreads(0).build()}) {
            try (DiskIndex disk = DiskIndex.open(p, options)) {
                int[] expected = disk.search(all[1500], params).ids();
                java.util.concurrent.atomic.AtomicReference<Throwable> otherFailed = new java.util.concurrent.atomic.AtomicReference<>();
                java.util.concurrent.atomic.AtomicBoolean stop = new java.util.concurrent.atomic.AtomicBoolean();
                Thread other = new Thread(() -> {
                    try (var searcher = disk.searcher()) {
                        while (!stop.get()) {
                            for (int q = 1500; q < 1600; q++) {
                                searcher.search(all[q], params);
                            }
                        }
                    } catch (Throwable t) {
                        otherFailed.set(t);
                    }
                });
                other.start();
                int interrupted = 0;
                try (var searcher = disk.searcher()) {
                    for (int i = 0; i < 200; i++) {
                        Thread.currentThread().interrupt(); // the next blocking read meets the interrupt
                        try {
                            searcher.search(all[1500 + i % 100], params);
                        } catch (IllegalStateException e) {
                            assertTrue(e.getMessage().contains("interrupted"), e.getMessage());
                            interrupted++;
                        } finally {
                            Thread.interrupted();
                        }
                    }
                }
                stop.set(true);
                other.join();
                assertEquals(null, otherFailed.get(), options + ": another thread's search failed");
                if (options.ioMode() == IoMode.PAGE_CACHE) {
                    assertTrue(interrupted > 0, "an interrupt set before a channel read fails that search");
                }
                assertArrayEquals(expected, disk.search(all[1500], params).ids(), options + ": later searches");
            }
        }
    }

    @Test
    void idsFollowTheSourceIndexAndDamageIsNamed() throws IOException {
        float[][] base = clustered(1200, 16, VectorType.F32, 21);
        Path p = dir.resolve("ids.disk");
        try (VamanaIndex g = VamanaIndex.builder(16, Metric.L2)
                .params(VamanaParams.builder().maxDegree(16).buildListSize(40).threads(2).build()).build()) {
            g.build(base);
            g.delete(5);
            assertThrows(IllegalStateException.class, () -> DiskIndexWriter.write(g, PqParams.builder(4).build(), p));
            g.consolidate();
            g.insert(777_000, base[5]);
            DiskIndexWriter.write(g, PqParams.builder(4).threads(2).build(), p);
        }
        byte[] good = Files.readAllBytes(p);
        try (DiskIndex disk = DiskIndex.open(p)) {
            assertTrue(disk.contains(777_000) && !disk.contains(5));
            assertEquals(777_000, disk.search(base[5], SearchParams.builder(1).listSize(20).beamWidth(2).build()).ids()[0]);
        }
        // a damaged sector is named by the search that reads it
        FormatBytes.Span nodes = FormatBytes.layout(good).section("nodes");
        byte[] bad = good.clone();
        for (int s = 0; s < nodes.bodyLength(); s += 4096) {
            bad[nodes.bodyStart() + s + 100] ^= 1;
        }
        Files.write(p, bad);
        try (DiskIndex disk = DiskIndex.open(p)) {
            IllegalStateException e = assertThrows(IllegalStateException.class,
                    () -> disk.search(base[0], SearchParams.builder(5).listSize(20).beamWidth(2).build()));
            assertTrue(e.getCause() instanceof CorruptIndexException && e.getMessage().contains("sector checksum"),
                    e.getMessage());
        }
        // damage outside the nodes is found when the index opens
        byte[] header = good.clone();
        header[FormatBytes.layout(good).section("ids").bodyStart() + 3] ^= 1;
        Files.write(p, header);
        assertThrows(CorruptIndexException.class, () -> DiskIndex.open(p));
        // truncated anywhere: at the footer, inside the sector checksums, inside the nodes, inside the header
        FormatBytes.Layout layout = FormatBytes.layout(good);
        for (int cut : new int[] {good.length - 10, good.length - 1, layout.section("sector-crc").bodyStart() + 2,
                layout.section("nodes").bodyStart() + 4096 + 7, layout.section("pq").bodyStart() + 3, 30, 0}) {
            Files.write(p, Arrays.copyOf(good, cut));
            CorruptIndexException e = assertThrows(CorruptIndexException.class, () -> DiskIndex.open(p), "cut at " + cut);
            assertTrue(e.getMessage().contains(p.getFileName().toString()), "names the file: " + e.getMessage());
            assertFalse(DiskIndex.verify(p).ok(), "verify also refuses a file cut at " + cut);
        }
    }

    @Test
    void recordsHoldTheIdsAndTheIdTableIsReadOnlyWhenAFilterNeedsIt() throws IOException {
        float[][] all = clustered(2050, 24, VectorType.F32, 33);
        float[][] base = Arrays.copyOf(all, 2000);
        Path v3 = dir.resolve("v3.disk");
        Path v1 = dir.resolve("v1.disk");
        try (VamanaIndex g = VamanaIndex.builder(24, Metric.L2)
                .params(VamanaParams.builder().maxDegree(16).buildListSize(40).threads(2).build()).build()) {
            g.build(base);
            g.delete(7);
            g.consolidate();
            g.insert(900_007, base[7]); // ids no longer a permutation of 0..n-1
            DiskIndexWriter.write(g, PqParams.builder(8).threads(2).build(), v3);
            DiskIndexWriter.writeWithoutRecordIds(g, PqParams.builder(8).threads(2).build(), v1);
        }
        SearchParams plain = SearchParams.builder(10).listSize(40).beamWidth(4).build();
        SearchParams odd = SearchParams.builder(10).listSize(40).beamWidth(4).filter(id -> id % 2 == 1).build();
        // without sector mates: the v1 records are shorter, so more share a sector
        DiskOptions noMates = DiskOptions.builder().sectorMates(false).build();
        try (DiskIndex a = DiskIndex.open(v3, noMates); DiskIndex b = DiskIndex.open(v1, noMates)) {
            assertTrue(a.layout().recordIds() && !b.layout().recordIds());
            long checksums = 4L * a.layout().sectors();
            assertEquals(checksums, a.stats().idBytes(), "v3: no id table at open");
            assertTrue(b.stats().idBytes() >= checksums + 8L * 2000, "v1: the id table is read at open");
            int hit = 0;
            for (int q = 2000; q < 2050; q++) {
                SearchResult ra = a.search(all[q], plain);
                SearchResult rb = b.search(all[q], plain);
                assertArrayEquals(rb.ids(), ra.ids(), "both versions answer alike");
                int[] t = truth(Metric.L2, base, all[q], 10);
                for (int id : ra.ids()) {
                    for (int x : t) {
                        hit += (x == 7 ? 900_007 : x) == id ? 1 : 0;
                    }
                }
            }
            assertTrue(hit >= 450, "recall@10 " + hit / 500.0);
            assertEquals(checksums, a.stats().idBytes(), "plain searches take the ids from the records");
            for (int q = 2000; q < 2010; q++) {
                SearchResult ra = a.search(all[q], odd);
                assertArrayEquals(b.search(all[q], odd).ids(), ra.ids());
                assertTrue(ra.size() == 10 && Arrays.stream(ra.ids()).allMatch(id -> id % 2 == 1), Arrays.toString(ra.ids()));
            }
            assertTrue(a.stats().idBytes() >= checksums + 8L * 2000, "a filter on ids read the id table");
            assertTrue(a.contains(900_007) && !a.contains(7));
        }
        // the ids are read through the channel opened with the index: a file replaced at its path since
        // does not matter; ids changed in place underneath are refused
        try (DiskIndex a = DiskIndex.open(v3, noMates)) {
            SearchResult before;
            try (DiskIndex fresh = DiskIndex.open(v3, noMates)) {
                before = fresh.search(all[2000], odd);
            }
            Files.copy(v1, dir.resolve("tmp.disk"));
            Files.move(dir.resolve("tmp.disk"), v3, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                    java.nio.file.StandardCopyOption.ATOMIC_MOVE);
            assertArrayEquals(before.ids(), a.search(all[2000], odd).ids(), "the file opened answers");
        }
        DiskIndexWriter.write(rebuilt(base), PqParams.builder(8).threads(2).build(), v3);
        assertTrue(DiskIndex.verify(v3).ok(), "v3 verifies");
        byte[] good = Files.readAllBytes(v3);
        try (DiskIndex a = DiskIndex.open(v3, noMates);
             java.nio.channels.FileChannel w = java.nio.channels.FileChannel.open(v3, java.nio.file.StandardOpenOption.WRITE)) {
            long at = FormatBytes.layout(Files.readAllBytes(v3)).section("ids").bodyStart() + 8;
            w.write(java.nio.ByteBuffer.wrap(new byte[] {1, 2, 3, 4}), at); // in place: the same file
            assertEquals(10, a.search(all[2000], plain).size(), "plain searches take the ids from the records");
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> a.search(all[2000], odd));
            assertTrue(String.valueOf(e.getMessage()).contains("do not match")
                    || String.valueOf(e.getCause()).contains("do not match"), e.toString());
        }
        assertFalse(DiskIndex.verify(v3).ok(), "ids changed in place fail verify too");
        // a record whose id disagrees with the ids section (sector checksum recomputed): verify names it
        Files.write(v3, good);
        writeWithRecordId(v3, 5, 1_234_567);
        io.diskann.index.VerifyReport report = DiskIndex.verify(v3);
        assertTrue(!report.ok() && report.problems().toString().contains("1234567"), report.problems().toString());
        assertTrue(DiskIndex.verify(v1).ok(), "v1 verifies");
    }

    @Test
    void sectorMatesRaiseRecallAtTheSameReadsAndKeepEveryContract() throws IOException {
        float[][] all = clustered(4100, 32, VectorType.F32, 44);
        float[][] base = Arrays.copyOf(all, 4000);
        Path p = write(base, VectorType.F32, Metric.L2, 2); // 2 PQ bytes: a coarse traversal
        SearchParams params = SearchParams.builder(10).listSize(12).beamWidth(2).build();
        try (DiskIndex mates = DiskIndex.open(p);
             DiskIndex plain = DiskIndex.open(p, DiskOptions.builder().sectorMates(false).build());
             DiskIndex cached = DiskIndex.open(p, DiskOptions.builder().cacheNodes(1000).build());
             DiskIndex mapped = DiskIndex.open(p, DiskOptions.builder().ioMode(IoMode.MMAP).build())) {
            assertTrue(mates.layout().nodesPerSector() >= 10, "records share sectors: " + mates.layout().nodesPerSector());
            int hitMates = 0;
            int hitPlain = 0;
            for (int q = 4000; q < 4100; q++) {
                SearchResult a = mates.search(all[q], params);
                SearchResult b = plain.search(all[q], params);
                SearchResult c = cached.search(all[q], params);
                assertEquals(b.stats().reads(), a.stats().reads(), "the same walk, the same reads");
                assertTrue(a.stats().rerankDistances() > b.stats().rerankDistances());
                assertArrayEquals(a.ids(), c.ids(), "the cache holds whole sectors: the same mates are scored");
                assertArrayEquals(a.ids(), mapped.search(all[q], params).ids(), "mapped: the same mates are scored");
                assertEquals(a.stats().reads(), c.stats().reads() + c.stats().cacheHits());
                assertEquals(10, Arrays.stream(a.ids()).distinct().count(), "no id twice: " + Arrays.toString(a.ids()));
                for (int i = 1; i < a.size(); i++) {
                    assertTrue(a.distances()[i - 1] <= a.distances()[i]);
                }
                int[] t = truth(Metric.L2, base, all[q], 10);
                for (int x : t) {
                    hitMates += Arrays.stream(a.ids()).anyMatch(id -> id == x) ? 1 : 0;
                    hitPlain += Arrays.stream(b.ids()).anyMatch(id -> id == x) ? 1 : 0;
                }
                // each result's distance is its vector's
                for (int i = 0; i < a.size(); i++) {
                    assertEquals(distance(Metric.L2, all[q], base[a.ids()[i]]), a.distances()[i],
                            1e-3 * Math.max(1, a.distances()[i]));
                }
            }
            assertTrue(hitMates > hitPlain + 50, "recall@10 with mates " + hitMates / 1000.0 + ", without "
                    + hitPlain / 1000.0);
            // a filter applies to the mates too
            SearchParams even = SearchParams.builder(10).listSize(12).beamWidth(2).filter(id -> id % 2 == 0).build();
            SearchResult f = mates.search(all[4001], even);
            assertTrue(f.size() > 0 && Arrays.stream(f.ids()).allMatch(id -> id % 2 == 0), Arrays.toString(f.ids()));
            // a scan among given ids returns only those ids, mates or not
            int[] among = IntStream.range(0, 4000).filter(i -> i % 7 == 3).toArray();
            int[] outIds = new int[10];
            float[] outD = new float[10];
            try (io.diskann.index.Searcher s = mates.searcher()) {
                int got = ((io.diskann.index.ExactScan) s).searchAmong(all[4002], among, among.length, 10, outIds, outD);
                assertEquals(10, got);
                assertTrue(Arrays.stream(outIds).allMatch(id -> id % 7 == 3), Arrays.toString(outIds));
            }
            // range search: everything the plain search finds, and within the radius
            float radius = (float) distance(Metric.L2, all[4003], base[truth(Metric.L2, base, all[4003], 40)[39]]);
            SearchResult rm = mates.rangeSearch(all[4003], radius);
            SearchResult rp = plain.rangeSearch(all[4003], radius);
            assertTrue(rm.size() >= rp.size() && Arrays.stream(rp.ids()).allMatch(id ->
                    Arrays.stream(rm.ids()).anyMatch(x -> x == id)), rm.size() + " vs " + rp.size());
            assertEquals(rm.size(), Arrays.stream(rm.ids()).distinct().count());
            for (float d : rm.distances()) {
                assertTrue(d <= radius);
            }
        }
    }

    /** A sector's mates are scored once per query, whichever of its records is read first, and again next query. */
    @Test
    void aSectorsMatesAreScoredOncePerQuery() throws IOException {
        float[][] base = clustered(400, 16, VectorType.F32, 7);
        Path p = write(base, VectorType.F32, Metric.L2, 4);
        try (DiskIndex disk = DiskIndex.open(p); DiskReader r = new DiskReader(disk, 4)) {
            int per = disk.layout().nodesPerSector();
            assertTrue(per >= 3, "records share sectors: " + per);
            r.scoreMates = true;
            r.start(base[0]);
            r.fetch(new int[] {0}, 1);
            assertEquals(per - 1, r.mates.count);
            for (int i = 0; i < r.mates.count; i++) { // each mate's id and exact distance
                int id = r.mates.ids[i];
                assertEquals(distance(Metric.L2, base[0], base[id]), r.mates.distances[i], 1e-3);
                assertTrue(id != disk.idOf(0), "the node read is not its own mate");
            }
            r.fetch(new int[] {1}, 1); // the same sector: nothing new
            assertEquals(per - 1, r.mates.count);
            r.fetch(new int[] {per}, 1); // the next sector
            assertEquals(2 * (per - 1), r.mates.count);
            r.start(base[1]); // a new query scores them again
            r.fetch(new int[] {1}, 1);
            assertEquals(per - 1, r.mates.count);
        }
    }

    private static VamanaIndex rebuilt(float[][] base) {
        VamanaIndex g = VamanaIndex.builder(base[0].length, Metric.L2)
                .params(VamanaParams.builder().maxDegree(16).buildListSize(40).threads(2).build()).build();
        g.build(base);
        return g;
    }

    /** Overwrites node {@code node}'s record id in place and fixes its sector's checksum. */
    private static void writeWithRecordId(Path p, int node, int id) throws IOException {
        byte[] bytes = Files.readAllBytes(p);
        FormatBytes.Layout f = FormatBytes.layout(bytes);
        DiskLayout l;
        try (DiskIndex d = DiskIndex.open(p)) {
            l = d.layout();
        }
        int sectorStart = f.section("nodes").bodyStart() + (int) l.sectorOf(node) * DiskLayout.SECTOR;
        java.nio.ByteBuffer.wrap(bytes).order(java.nio.ByteOrder.LITTLE_ENDIAN)
                .putInt(sectorStart + l.offsetInRead(node) + l.idOffset(), id);
        java.util.zip.CRC32C crc = new java.util.zip.CRC32C();
        crc.update(bytes, sectorStart, DiskLayout.SECTOR);
        java.nio.ByteBuffer.wrap(bytes).order(java.nio.ByteOrder.LITTLE_ENDIAN)
                .putInt(f.section("sector-crc").bodyStart() + 4 * (int) l.sectorOf(node), (int) crc.getValue());
        FormatBytes.resealAll(bytes, f); // the sector-crc section's own checksum, and the file's
        Files.write(p, bytes);
    }
}
