package io.diskann.filter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.diskann.disk.DiskIndex;
import io.diskann.disk.DiskIndexWriter;
import io.diskann.disk.DiskOptions;
import io.diskann.graph.VamanaIndex;
import io.diskann.graph.VamanaParams;
import io.diskann.index.CorruptIndexException;
import io.diskann.index.SearchParams;
import io.diskann.index.SearchResult;
import io.diskann.io.FormatReader;
import io.diskann.pq.PqParams;
import io.diskann.testing.TestSeeds;
import io.diskann.vector.Distances;
import io.diskann.vector.Metric;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Random;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.io.TempDir;

/**
 * Label-aware graphs laid out on disk ({@link DiskLabels#write}, {@link DiskLabels#open}):
 * filtered recall against brute force for every label filter kind and both builds, the walk reading only
 * nodes that carry the label, and files without labels or with damaged labels refused clearly.
 */
class LabelAwareDiskTest {

    private static final int N = 3000;
    private static final int DIMS = 24;

    @TempDir
    Path dir;

    /** One build thread, so a seed replays the graph a recall floor was checked on. */
    private static LabeledIndex build(float[][] base, int[][] labels, FilterBuild mode, Metric metric) {
        VamanaIndex index = VamanaIndex.builder(DIMS, metric)
                .params(VamanaParams.builder().maxDegree(24).buildListSize(64).threads(1).build()).build();
        LabeledIndex li = LabeledIndex.wrap(index, -1, FilterParams.defaults());
        li.build(base, labels, mode);
        return li;
    }

    @ParameterizedTest
    @EnumSource(value = FilterBuild.class, names = {"FILTERED", "STITCHED"})
    void labelAwareDiskGraphsAgainstBruteForce(FilterBuild mode) throws IOException {
        for (Metric metric : new Metric[] {Metric.L2, Metric.COSINE, Metric.INNER_PRODUCT}) {
            Random r = TestSeeds.random(911 + metric.ordinal() + 10L * mode.ordinal());
            float[][] all = LabeledIndexTest.clustered(N + 40, r);
            float[][] base = Arrays.copyOf(all, N);
            int[][] labels = LabeledIndexTest.labels(N, r);
            Path file = dir.resolve(mode + "-" + metric + ".disk");
            try (LabeledIndex li = build(base, labels, mode, metric)) {
                DiskLabels.write(li, file, PqParams.builder(12).threads(2).build());
            }
            assertTrue(LabeledIndex.hasLabels(file));
            FilterParams graphOnly = FilterParams.builder().scanFraction(0).scanMinimum(0).maxListSize(1500).build();
            try (FilteredIndex fi = DiskLabels.open(file, DiskOptions.defaults(), graphOnly)) {
                assertTrue(fi.labelAware(), "a " + mode + " graph opens label-aware");
                for (LabelFilter f : new LabelFilter[] {LabelFilter.label(0), LabelFilter.label(30), LabelFilter.label(39),
                        LabelFilter.anyOf(35, 39), LabelFilter.anyOf(2, 3), LabelFilter.allOf(0, 1)}) {
                    long matching = IntStream.range(0, N).filter(id -> f.matches(fi.labels(), id)).count();
                    long carriersWalked = switch (f) { // the walk passes only through these nodes
                        case LabelFilter.Label one -> fi.labels().matchCount(one.label());
                        case LabelFilter.AnyOf any -> matching;
                        case LabelFilter.AllOf and -> fi.labels().matchCount(and.rarest(fi.labels()));
                        default -> N;
                    };
                    int hits = 0;
                    int want = 0;
                    for (int q = N; q < N + 40; q++) {
                        float[] query = all[q];
                        int[] t = IntStream.range(0, N).filter(id -> f.matches(fi.labels(), id)).boxed()
                                .sorted(Comparator.comparingDouble((Integer i) -> Distances.distance(metric, query, base[i]))
                                        .thenComparingInt(i -> i)).limit(10).mapToInt(Integer::intValue).toArray();
                        SearchResult res = fi.search(query, SearchParams.builder(10).listSize(40).beamWidth(4).build(), f);
                        for (int i = 0; i < res.size(); i++) {
                            int id = res.ids()[i];
                            assertTrue(f.matches(fi.labels(), id), mode + " " + metric + " " + f + ": " + id + " fails the filter");
                            assertEquals(Distances.distance(metric, query, base[id]), res.distances()[i],
                                    1e-3 * Math.max(1, Math.abs(res.distances()[i])), "exact distances are returned");
                            hits += Arrays.stream(t).anyMatch(x -> x == id) ? 1 : 0;
                        }
                        // guided: every sector read holds a node carrying the walked label(s); the unfiltered
                        // graph's filter-in-the-loop search reads about L nodes whatever the filter matches
                        assertTrue(res.stats().reads() <= carriersWalked, mode + " " + metric + " " + f + ": "
                                + res.stats().reads() + " reads, only " + carriersWalked + " nodes may be walked");
                        want += t.length;
                    }
                    double recall = hits / (double) want;
                    // as in memory (LabeledIndexTest): a label of a few dozen carriers is reachable on the graph only
                    // through its own vectors; such labels are scanned by default
                    double floor = matching >= 100 ? 0.85 : matching >= 30 ? 0.45 : 0.0;
                    assertTrue(recall >= floor, mode + " " + metric + " " + f + " (" + matching + " match): recall " + recall);
                }
            }
        }
    }

    @Test
    void plainDiskFilesLabeledFilesAndDamagedLabels() throws IOException {
        Random r = TestSeeds.random(977);
        float[][] all = LabeledIndexTest.clustered(N + 5, r);
        float[][] base = Arrays.copyOf(all, N);
        int[][] labels = LabeledIndexTest.labels(N, r);
        Path plain = dir.resolve("plain.disk");
        Path labeled = dir.resolve("labeled.disk");
        Path graph = dir.resolve("labeled.index");
        try (LabeledIndex li = build(base, labels, FilterBuild.STITCHED, Metric.L2)) {
            DiskIndexWriter.write(li.index(), PqParams.builder(12).threads(2).build(), plain);
            DiskLabels.write(li, labeled, PqParams.builder(12).threads(2).build());
            li.save(graph);
        }
        assertFalse(LabeledIndex.hasLabels(plain));
        Path text = java.nio.file.Files.writeString(dir.resolve("not-an-index.txt"), "hello"); // nor an older format
        assertFalse(LabeledIndex.hasLabels(text));
        assertTrue(LabeledIndex.hasLabels(labeled));
        assertTrue(LabeledIndex.hasLabels(graph));
        IOException none = assertThrows(IOException.class,
                () -> DiskLabels.open(plain, DiskOptions.defaults(), FilterParams.defaults()));
        assertTrue(none.getMessage().contains("holds no labels"), none.getMessage());
        // a labeled file is still a disk index to code that knows nothing of labels
        try (DiskIndex d = DiskIndex.open(labeled)) {
            assertEquals(N, d.size());
            assertEquals(10, d.search(all[N], SearchParams.builder(10).listSize(40).build()).size());
        }
        // the same filtered query from the in-memory labeled graph and its disk layout agree on most results
        try (LabeledIndex mem = LabeledIndex.load(graph, FilterParams.defaults());
             FilteredIndex disk = DiskLabels.open(labeled, DiskOptions.defaults(), FilterParams.defaults())) {
            for (int i = 0; i < N; i += 97) {
                assertEquals(Arrays.toString(mem.labelsOf(i)), Arrays.toString(disk.labelsOf(i)), "labels of " + i);
            }
            // the defaults still scan small filters (exact; on disk its shortlist's reads go out in parallel),
            // broader ones walk the label-aware graph
            assertEquals(0, disk.search(all[N], 10, LabelFilter.allOf(0, 1)).stats().hops(), "a small AND is scanned");
            FilteredIndex walking = DiskLabels.open(labeled, DiskOptions.defaults(),
                    FilterParams.builder().scanFraction(0).scanMinimum(0).build());
            try (walking) {
                assertTrue(walking.search(all[N], 10, LabelFilter.label(0)).stats().hops() > 0, "a walk has hops");
            }
        }
        // damage one byte inside the labels section: its checksum refuses the file, naming it
        long at;
        try (FormatReader fr = FormatReader.openAnyCodec(labeled)) {
            long found = -1;
            while (fr.hasNext()) {
                FormatReader.Section s = fr.next();
                if (s.name().equals("labels")) {
                    found = s.offset() + s.length() / 2;
                }
                s.skipUnchecked();
            }
            at = found;
        }
        assertTrue(at > 0, "the labels section is in the file");
        try (FileChannel ch = FileChannel.open(labeled, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            ByteBuffer b = ByteBuffer.allocate(1);
            ch.read(b, at);
            b.put(0, (byte) (b.get(0) ^ 0x5A)).rewind();
            ch.write(b, at);
        }
        CorruptIndexException bad = assertThrows(CorruptIndexException.class,
                () -> DiskLabels.open(labeled, DiskOptions.defaults(), FilterParams.defaults()));
        assertTrue(bad.getMessage().contains("labels"), bad.getMessage());
    }
}
