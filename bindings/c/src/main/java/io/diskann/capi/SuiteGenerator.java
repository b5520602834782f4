package io.diskann.capi;

import io.diskann.disk.DiskIndex;
import io.diskann.disk.DiskIndexBuilder;
import io.diskann.disk.DiskOptions;
import io.diskann.disk.VectorReader;
import io.diskann.filter.FilterBuild;
import io.diskann.filter.FilteredIndex;
import io.diskann.filter.LabelDictionary;
import io.diskann.filter.LabelFile;
import io.diskann.filter.LabelSets;
import io.diskann.pq.PqParams;
import io.diskann.vector.VectorType;
import io.diskann.filter.FilterParams;
import io.diskann.filter.LabelFilter;
import io.diskann.filter.LabeledIndex;
import io.diskann.graph.VamanaIndex;
import io.diskann.graph.VamanaParams;
import io.diskann.index.RangeParams;
import io.diskann.index.SearchParams;
import io.diskann.index.SearchResult;
import io.diskann.vector.Metric;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Writes the shared correctness suite every language binding runs: seeded vectors, an index built and
 * saved by the Java API, and a script of operations (search, filtered search, range and batch search,
 * insert, delete, update, consolidate, save and load) with the results the Java API gives, ids and
 * distance bits exact. A binding passes when it reproduces every line through the C ABI.
 *
 * <p>Usage: {@code java -cp 'bindings/c/target/native/jars/*' --add-modules=jdk.incubator.vector
 * io.diskann.capi.SuiteGenerator OUT_DIR}. Files: {@code index.idx}, {@code queries.fvecs},
 * {@code extra.fvecs}, {@code cases.txt} (format in bindings/README.md).
 */
public final class SuiteGenerator {
    static final int N = 3000;
    static final int DIMS = 32;
    static final int QUERIES = 40;
    static final int EXTRA = 20;
    static final int LABELS = 10;
    /** Bitset filters cover ids below this. */
    static final int BITS = 4096;

    private final List<String> lines = new ArrayList<>();
    private final float[][] queries;
    private final float[][] extra;
    private LabeledIndex index;
    private FilteredIndex disk;

    private SuiteGenerator(float[][] queries, float[][] extra) {
        this.queries = queries;
        this.extra = extra;
    }

    /**
     * Writes the suite.
     *
     * @param args the output directory
     * @throws IOException if a file cannot be written
     */
    public static void main(String[] args) throws IOException {
        if (args.length != 1) {
            System.err.println("usage: SuiteGenerator OUT_DIR");
            System.exit(2);
        }
        Path out = Path.of(args[0]);
        Files.createDirectories(out);
        SplittableRandom rnd = new SplittableRandom(20261130L);
        float[][] base = vectors(rnd, N);
        float[][] queries = vectors(rnd, QUERIES);
        float[][] extra = vectors(rnd, EXTRA);
        int[][] labels = new int[N][];
        for (int i = 0; i < N; i++) {
            labels[i] = i % 4 == 0 ? new int[] {rnd.nextInt(LABELS), rnd.nextInt(LABELS)} : new int[] {rnd.nextInt(LABELS)};
        }
        VamanaParams params = VamanaParams.builder().maxDegree(32).buildListSize(64).threads(1).build();
        try (LabeledIndex built = LabeledIndex.wrap(VamanaIndex.builder(DIMS, Metric.L2).params(params).build(), -1,
                FilterParams.defaults())) {
            built.build(base, labels, FilterBuild.NONE);
            built.save(out.resolve("index.idx"));
        }
        // the SSD-resident index over the same vectors, with the labels in Microsoft DiskANN's label file
        DiskIndexBuilder.build(VectorReader.of(base), VectorType.F32, Metric.L2, params,
                PqParams.builder(8).seed(7).threads(1).build(), 1L << 30, out.resolve("index.disk"), null);
        LabelFile.write(out.resolve("index.labels"), LabelSets.of(labels, -1), LabelDictionary.numeric());
        writeFvecs(out.resolve("queries.fvecs"), queries);
        writeFvecs(out.resolve("extra.fvecs"), extra);
        SuiteGenerator g = new SuiteGenerator(queries, extra);
        g.index = LabeledIndex.load(out.resolve("index.idx"), FilterParams.defaults());
        try (DiskIndex disk = DiskIndex.open(out.resolve("index.disk"), DiskOptions.builder().cacheNodes(0).build());
             FilteredIndex filteredDisk = FilteredIndex.of(disk, LabelFile.read(out.resolve("index.labels"), null).labels(),
                     FilterParams.defaults())) {
            g.disk = filteredDisk;
            g.script(out);
        } finally {
            g.index.close();
        }
        Files.write(out.resolve("cases.txt"), g.lines, StandardCharsets.UTF_8);
        System.out.println("suite: " + g.lines.size() + " lines in " + out.resolve("cases.txt"));
    }

    private static float[][] vectors(SplittableRandom rnd, int n) {
        float[][] v = new float[n][DIMS];
        for (float[] row : v) {
            for (int j = 0; j < DIMS; j++) {
                row[j] = (float) rnd.nextDouble(-1, 1);
            }
        }
        return v;
    }

    private static void writeFvecs(Path path, float[][] rows) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(rows.length * (4 + 4 * DIMS)).order(ByteOrder.LITTLE_ENDIAN);
        for (float[] r : rows) {
            b.putInt(r.length);
            for (float x : r) {
                b.putFloat(x);
            }
        }
        Files.write(path, b.array());
    }

    private void script(Path out) throws IOException {
        lines.add("# diskann shared binding suite: see bindings/README.md for the format");
        lines.add("disk-open index.disk index.labels");
        for (int q = 0; q < 10; q++) {
            diskSearch(q, 10, 40, "none");
            diskSearch(q, 10, 40, "label:" + q);
            diskSearch(q, 10, 40, "bits:" + (3 + q));
        }
        // a node cache chosen by the queries as sample: the same results, from fewer reads
        int cached = ((DiskIndex) disk.index()).cacheFromQueries(queries, Params.search(10, 40, 0, null, 1), 64);
        lines.add("disk-cache 10 40 64 -> " + cached);
        for (int q = 0; q < 10; q++) {
            diskSearch(q, 10, 40, "none");
            diskSearch(q, 10, 40, "label:" + q);
        }
        lines.add("disk-close");
        lines.add("load index.idx");
        for (int q = 0; q < QUERIES; q++) {
            search(q, 10, 40, "none");
        }
        for (int q = 0; q < 10; q++) {
            search(q, 10, 40, "label:" + q);
            search(q, 10, 40, "any:1," + (2 + q % 8));
            search(q, 10, 40, "all:" + q + "," + ((q + 3) % LABELS));
            search(q, 10, 40, "bits:" + (3 + q));
        }
        for (int q = 0; q < 5; q++) {
            // radii halfway between two neighbours, so no vector sits on the boundary (distances may differ in
            // their last bits between JIT tiers)
            float[] d = index.index().search(queries[q], SearchParams.of(11, 40)).distances();
            range(q, (d[4] + d[5]) / 2, "none");
            range(q, (d[9] + d[10]) / 2, "label:" + q);
        }
        batch(5, 30, "none");
        batch(5, 30, "label:2");
        for (int i = 0; i < 10; i++) {
            int id = index.insert(extra[i], i % LABELS);
            lines.add("insert " + i + " " + (i % LABELS) + " -> " + id);
        }
        for (int q = 0; q < 10; q++) {
            search(q, 10, 40, "none");
            search(q, 10, 40, "label:" + q);
        }
        for (int id = 0; id < 90; id += 3) {
            index.delete(id);
            lines.add("delete " + id);
        }
        for (int i = 0; i < 5; i++) {
            int id = 100 + i;
            if (i % 2 == 0) {
                index.update(id, extra[10 + i], index.labelsOf(id));
                lines.add("update " + id + " " + (10 + i) + " keep");
            } else {
                index.update(id, extra[10 + i], 7);
                lines.add("update " + id + " " + (10 + i) + " 7");
            }
        }
        for (int q = 0; q < 10; q++) {
            search(q, 10, 40, "none");
            search(q, 10, 40, "label:7");
        }
        int removed = index.consolidate();
        lines.add("consolidate -> " + removed);
        lines.add("reload");
        lines.add("# final: a binding saves its index here and checks the other languages' saves against these lines");
        for (int q = 0; q < QUERIES; q++) {
            search(q, 10, 40, "none");
        }
        for (int q = 0; q < 10; q++) {
            search(q, 10, 40, "label:" + (q % LABELS));
            search(q, 10, 40, "bits:" + (3 + q));
        }
    }

    private LabelFilter filter(String spec) {
        if (spec.equals("none")) {
            return null;
        }
        String[] kv = spec.split(":");
        int[] values = Arrays.stream(kv[1].split(",")).mapToInt(Integer::parseInt).toArray();
        return switch (kv[0]) {
            case "label" -> LabelFilter.label(values[0]);
            case "any" -> LabelFilter.anyOf(values);
            case "all" -> LabelFilter.allOf(values);
            case "bits" -> {
                int m = values[0];
                // as NativeFilter reads a bitset of BITS bits with every m-th id set
                yield LabelFilter.predicate(id -> id >= 0 && id < BITS && id % m == 0, (BITS + m - 1) / m);
            }
            default -> throw new IllegalArgumentException(spec);
        };
    }

    private SearchResult run(float[] q, int k, int l, String spec) {
        LabelFilter f = filter(spec);
        SearchParams p = SearchParams.of(k, l);
        return f == null ? index.index().search(q, p) : index.search(q, p, f);
    }

    private static String results(SearchResult r) {
        StringBuilder b = new StringBuilder().append(r.size());
        for (int i = 0; i < r.size(); i++) {
            b.append(' ').append(r.ids()[i]).append(':').append(Integer.toHexString(Float.floatToRawIntBits(r.distances()[i])));
        }
        return b.toString();
    }

    private void search(int q, int k, int l, String spec) {
        lines.add("search " + q + " " + k + " " + l + " " + spec + " -> " + results(run(queries[q], k, l, spec)));
    }

    private void diskSearch(int q, int k, int l, String spec) {
        LabelFilter f = filter(spec);
        SearchParams p = SearchParams.of(k, l);
        SearchResult r = f == null ? disk.index().search(queries[q], p) : disk.search(queries[q], p, f);
        lines.add("disk-search " + q + " " + k + " " + l + " " + spec + " -> " + results(r));
    }

    private void range(int q, float radius, String spec) {
        LabelFilter f = filter(spec);
        RangeParams p = new RangeParams(100, 10_000, 1, null);
        SearchResult r = f == null ? index.index().rangeSearch(queries[q], radius, p) : index.rangeSearch(queries[q], radius, p, f);
        lines.add("range " + q + " " + Integer.toHexString(Float.floatToRawIntBits(radius)) + " " + spec + " -> " + results(r));
    }

    private void batch(int k, int l, String spec) {
        StringBuilder b = new StringBuilder("batch " + k + " " + l + " " + spec + " ->");
        for (int q = 0; q < QUERIES; q++) {
            b.append(q == 0 ? " " : " | ").append(results(run(queries[q], k, l, spec)));
        }
        lines.add(b.toString());
    }

}
