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
import io.diskann.vector.Metric;
import io.diskann.vector.VectorType;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * How sectors reach a search: records spanning several sectors, kernel AIO, and direct reads through
 * {@code FileChannel}; each against the page cache and brute force (split from {@link DiskIndexTest}).
 */
class DiskReadPathsTest {

    @TempDir
    Path dir;

    /**
     * Records larger than a sector (1,100 f32 components: 4,400 bytes of vector) span two whole sectors: node i is
     * still found by arithmetic, every I/O mode and the cache answer alike and near brute force, verify passes,
     * and damage to a node's second sector is named by the search that reads it.
     */
    @Test
    void recordsLargerThanASectorSpanWholeSectors() throws IOException {
        int dim = 1100;
        float[][] all = DiskIndexTest.clustered(640, dim, VectorType.F32, 41);
        float[][] base = Arrays.copyOf(all, 600);
        Path p = dir.resolve("wide.disk");
        try (VamanaIndex g = VamanaIndex.builder(dim, Metric.L2)
                .params(VamanaParams.builder().maxDegree(16).buildListSize(40).threads(2).build()).build()) {
            g.build(base);
            DiskLayoutInfo info = DiskIndexWriter.write(g, PqParams.builder(55).threads(2).build(), p);
            assertEquals(2, info.sectorsPerNode(), info.toString());
            assertEquals(1, info.nodesPerSector(), info.toString());
            assertEquals(1200, info.sectors(), info.toString());
        }
        assertTrue(DiskIndex.verify(p).ok(), DiskIndex.verify(p).problems().toString());
        SearchParams params = SearchParams.builder(10).listSize(40).beamWidth(4).build();
        int hit = 0;
        try (DiskIndex paged = DiskIndex.open(p);
             DiskIndex direct = DiskIndex.open(p, DiskOptions.builder().ioMode(IoMode.DIRECT).build());
             DiskIndex mapped = DiskIndex.open(p, DiskOptions.builder().ioMode(IoMode.MMAP).build());
             DiskIndex cached = DiskIndex.open(p, DiskOptions.builder().cacheNodes(100).build())) {
            assertEquals(2, paged.stats().sectorsPerNode());
            assertEquals(100, cached.stats().cacheNodes(), "one node per read: the cache holds what was asked");
            for (int q = 600; q < 640; q++) {
                SearchResult a = paged.search(all[q], params);
                for (DiskIndex other : new DiskIndex[] {direct, mapped, cached}) {
                    SearchResult b = other.search(all[q], params);
                    assertArrayEquals(a.ids(), b.ids(), other.stats().ioMode() + " cache " + other.stats().cacheNodes());
                    assertArrayEquals(a.distances(), b.distances(), 1e-5f * Math.max(1f, a.distances()[a.size() - 1]));
                }
                int[] t = DiskIndexTest.truth(Metric.L2, base, all[q], 10);
                for (int id : a.ids()) {
                    for (int x : t) {
                        hit += id == x ? 1 : 0;
                    }
                }
                assertEquals(a.stats().hops(), a.stats().reads(), "one read (of two sectors) per expanded node");
            }
        }
        assertTrue(hit >= 0.9 * 400, "recall@10 " + hit / 400.0);
        // damage the second sector of every node: the first search that reads a node names it
        byte[] good = Files.readAllBytes(p);
        FormatBytes.Span nodes = FormatBytes.layout(good).section("nodes");
        byte[] bad = good.clone();
        for (int node = 0; node < 600; node++) {
            bad[nodes.bodyStart() + (2 * node + 1) * 4096 + 200] ^= 4;
        }
        Files.write(p, bad);
        assertFalse(DiskIndex.verify(p).ok(), "verify reads every sector");
        for (IoMode mode : IoMode.values()) {
            try (DiskIndex disk = DiskIndex.open(p, DiskOptions.builder().ioMode(mode).build())) {
                IllegalStateException e = assertThrows(IllegalStateException.class, () -> disk.search(all[600], params));
                assertTrue(e.getCause() instanceof CorruptIndexException && e.getMessage().contains("sector checksum"),
                        mode + ": " + e.getMessage());
            }
        }
    }

    /**
     * Direct mode without kernel AIO reads through {@code FileChannel} opened with O_DIRECT, on reader threads or
     * on the searching thread, and answers as kernel AIO and the page cache do.
     */
    @Test
    void directReadsThroughFileChannelAnswerAsKernelAioAndThePageCache() throws IOException {
        float[][] all = DiskIndexTest.clustered(1560, 32, VectorType.F32, 43);
        float[][] base = Arrays.copyOf(all, 1500);
        Path p = DiskIndexTest.write(dir, base, VectorType.F32, Metric.L2, 8);
        SearchParams params = SearchParams.builder(10).listSize(40).beamWidth(4).build();
        DiskOptions[] portable = {
                DiskOptions.builder().ioMode(IoMode.DIRECT).kernelAio(false).build(),
                DiskOptions.builder().ioMode(IoMode.DIRECT).kernelAio(false).ioThreads(0).build(),
                DiskOptions.builder().ioMode(IoMode.DIRECT).kernelAio(false).ioThreads(0).pipelined(false).build()};
        try (DiskIndex paged = DiskIndex.open(p); DiskIndex aio = DiskIndex.open(p, DiskOptions.builder().ioMode(IoMode.DIRECT).build())) {
            try (DiskSearcher s = (DiskSearcher) aio.searcher()) {
                // where the kernel allows it (io_setup and O_DIRECT may still be refused: the searcher then falls back)
                assertTrue(!s.usesKernelAio() || LinuxAio.available(), "kernel AIO only where available");
                assertEquals(s.usesKernelAio(), aio.readPath().contains("kernel AIO"), aio.readPath());
            }
            for (DiskOptions o : portable) {
                try (DiskIndex direct = DiskIndex.open(p, o); DiskSearcher s = (DiskSearcher) direct.searcher()) {
                    assertFalse(s.usesKernelAio(), o.toString());
                    assertTrue(direct.readPath().contains("FileChannel"), direct.readPath());
                    for (int q = 1500; q < 1560; q++) {
                        SearchResult a = paged.search(all[q], params);
                        SearchResult b = s.search(all[q], params);
                        assertArrayEquals(a.ids(), b.ids(), o.toString());
                        assertEquals(b.stats().hops(), b.stats().reads(), "one read per expanded node");
                        assertTrue(b.stats().computeNanos() > 0, "compute time measured");
                        assertArrayEquals(a.ids(), aio.search(all[q], params).ids(), "kernel AIO");
                    }
                }
            }
        }
    }

    @Test
    void kernelAsynchronousReadsReadTheRightSectors() throws IOException {
        org.junit.jupiter.api.Assumptions.assumeTrue(System.getProperty("os.name").toLowerCase().contains("linux"),
                "Linux only");
        assertTrue(LinuxAio.available(), "kernel AIO through the FFM API on Linux (tests run with native access)");
        Path f = dir.resolve("sectors.bin");
        byte[] data = new byte[4096 * 5];
        for (int i = 0; i < data.length; i++) {
            data[i] = (byte) (i / 4096 * 31 + i % 251);
        }
        Files.write(f, data);
        try (LinuxAio aio = LinuxAio.open(f, 4); java.lang.foreign.Arena arena = java.lang.foreign.Arena.ofConfined()) {
            assertTrue(aio != null, "O_DIRECT and io_setup work on this file system");
            java.lang.foreign.MemorySegment[] bufs = new java.lang.foreign.MemorySegment[3];
            for (int i = 0; i < 3; i++) {
                bufs[i] = arena.allocate(4096, 4096);
            }
            aio.readAll(new long[] {4096 * 4, 0, 4096 * 2}, bufs, 4096, 3);
            int[] sectors = {4, 0, 2};
            for (int i = 0; i < 3; i++) {
                assertArrayEquals(Arrays.copyOfRange(data, sectors[i] * 4096, sectors[i] * 4096 + 4096),
                        bufs[i].toArray(java.lang.foreign.ValueLayout.JAVA_BYTE), "sector " + sectors[i]);
            }
        }
    }
}
