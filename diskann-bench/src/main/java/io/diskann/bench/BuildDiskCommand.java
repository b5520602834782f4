package io.diskann.bench;

import io.diskann.bench.data.Datasets;
import io.diskann.bench.data.FloatMatrix;
import io.diskann.bench.data.MappedVectors;
import io.diskann.disk.DiskBuildResult;
import io.diskann.disk.DiskIndexBuilder;
import io.diskann.disk.DiskIndexWriter;
import io.diskann.disk.VectorReader;
import io.diskann.vector.VectorType;
import io.diskann.disk.DiskLayoutInfo;
import io.diskann.filter.DiskLabels;
import io.diskann.filter.FilterBuild;
import io.diskann.filter.FilterParams;
import io.diskann.filter.LabelFile;
import io.diskann.filter.LabelSets;
import io.diskann.filter.LabeledIndex;
import io.diskann.graph.VamanaIndex;
import io.diskann.io.FormatWriter;
import io.diskann.pq.PqParams;
import io.diskann.vector.SimdSupport;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code ./diskann build-disk}: builds the Vamana graph (vectors off-heap, so the JVM heap never holds
 * them), trains PQ on the vectors, and writes the SSD-resident index file.
 */
@Command(name = "build-disk", mixinStandardHelpOptions = true,
        description = "Build an SSD-resident index: graph + full vectors on disk in 4 KiB sectors, PQ codes for RAM.")
final class BuildDiskCommand implements Callable<Integer> {

    @Option(names = "--base", paramLabel = "FILE", description = "Vectors (.fvecs, .bvecs, .fbin, .u8bin, .i8bin, .npy).")
    Path base;

    @Option(names = "--from-index", paramLabel = "FILE",
            description = "Lay out a saved in-memory index instead of building one from --base.")
    Path fromIndex;

    @Option(names = "--max-base", converter = Converters.Positive.class, paramLabel = "N", description = "Use only the first N vectors.")
    int maxBase = -1;

    @Option(names = "--out", required = true, paramLabel = "FILE", description = "Where to write the disk index.")
    Path out;

    @Option(names = "--pq-bytes", required = true, converter = Converters.Positive.class, paramLabel = "M",
            description = "PQ code bytes per vector held in RAM (DiskANN's PQ bytes; e.g. 98 for 784 x f32 = 1/32).")
    int pqBytes;

    @Option(names = "--pq-rotation", paramLabel = "R", description = "auto (default: PQ on the 4 x M strongest principal"
            + " directions, or all of them when that is the whole vector), none, pca (all directions) or pca:D (the D"
            + " strongest). Fashion-MNIST, 98 bytes: recall@10 0.995 at 21.8 reads per query with auto (392 directions),"
            + " 31.4 without a rotation.")
    String rotation = "auto";

    @Option(names = "--build-memory", paramLabel = "GB", converter = Converters.PositiveReal.class,
            description = "Memory the graph build may use, in GiB; above it the build is partitioned (k-means parts,"
                    + " each vector in its 2 nearest, graphs merged). Default: half the machine's RAM.")
    Double buildMemoryGb;

    @Option(names = "--base-labels", paramLabel = "FILE",
            description = "Labels of the --base vectors (DiskANN label file), kept in the disk index file with the"
                    + " graph --filter-build chooses and its label start points.")
    Path baseLabels;

    @Option(names = "--universal-label", paramLabel = "NAME", description = "The label that matches every filter.")
    String universalLabel;

    @Option(names = "--filter-build", paramLabel = "MODE",
            description = "With --base-labels: stitched (Stitched-Vamana, the default), filtered (Filtered-Vamana) or"
                    + " none (the plain graph). Each is built in one piece within --build-memory and partitioned past"
                    + " it (a label-aware graph's parts merged and refined under Filtered-Vamana's rules).")
    String filterBuild;

    @Mixin
    IndexOptions indexOptions;

    @Override
    public Integer call() throws IOException {
        if ((base == null) == (fromIndex == null)) {
            throw new IllegalArgumentException("give exactly one of --base (build) and --from-index (a saved index)");
        }
        System.out.println("kernels: " + SimdSupport.describe());
        long t0 = System.nanoTime();
        PqParams.Builder pq = PqParams.builder(pqBytes).threads(indexOptions.threads);
        if (baseLabels != null && base == null) {
            throw new IllegalArgumentException("--base-labels goes with --base (an index saved with labels keeps them:"
                    + " --from-index lays them out too)");
        }
        if (baseLabels == null && (filterBuild != null || universalLabel != null)) {
            throw new IllegalArgumentException("--filter-build and --universal-label go with --base-labels");
        }
        String mode = filterBuild != null ? filterBuild : "stitched";
        if (baseLabels != null && buildMemoryGb != null && filterBuild == null) {
            // until session 24 this combination built the plain graph: say what it builds now
            System.out.println("--base-labels with --build-memory: Stitched-Vamana (the default), in parts past the budget;"
                    + " --filter-build none builds the plain graph, 2-4x faster in parts");
        }
        if (!mode.equals("stitched") && !mode.equals("filtered") && !mode.equals("none")) {
            throw new IllegalArgumentException("--filter-build must be stitched, filtered or none, got " + filterBuild);
        }
        if (fromIndex != null && LabeledIndex.hasLabels(fromIndex)) {
            try (LabeledIndex li = LabeledIndex.load(fromIndex, FilterParams.defaults())) {
                System.out.printf(Locale.ROOT, "loaded %s: %d vectors x %d dims with labels (%s graph)%n", fromIndex,
                        li.index().size(), li.index().dimensions(), li.filterBuild().toString().toLowerCase(Locale.ROOT));
                writeLabeled(li, pq);
            }
        } else if (baseLabels != null && !mode.equals("none")) {
            FilterBuild graphMode = mode.equals("stitched") ? FilterBuild.STITCHED : FilterBuild.FILTERED;
            long budget = buildMemoryGb != null ? (long) (buildMemoryGb * (1L << 30)) : defaultBudget();
            // mapped where the format allows: the vectors never enter the JVM heap; past the budget the label-aware
            // graph is built in parts (DiskLabels.build)
            try (VectorSource source = VectorSource.open(base, maxBase)) {
                VectorReader vectors = source.reader();
                rotate(pq, vectors.dimensions());
                LabelSets labels = LabelFile.read(baseLabels, universalLabel).labels();
                checkLabelCount(labels, vectors.count());
                System.out.printf(Locale.ROOT, "%d vectors x %d dims from %s with labels (%s graph); build memory budget"
                        + " %.1f GiB%n", vectors.count(), vectors.dimensions(), base, graphMode == FilterBuild.STITCHED
                        ? "Stitched-Vamana" : "Filtered-Vamana", budget / (double) (1L << 30));
                DiskBuildResult r = DiskLabels.build(vectors, indexOptions.type(), indexOptions.metric(),
                        indexOptions.params(true), pq.build(), budget, labels, graphMode, out, System.out::println);
                report(r.layout(), r.parts(), (System.nanoTime() - t0) / 1e9);
                System.out.println("labels and label start points written with the index: search-disk uses them");
            }
        } else if (fromIndex != null) {
            try (VamanaIndex index = VamanaIndex.load(fromIndex)) {
                System.out.printf(Locale.ROOT, "loaded %s: %d vectors x %d dims%n", fromIndex, index.size(),
                        index.dimensions());
                rotate(pq, index.dimensions());
                long t1 = System.nanoTime();
                DiskLayoutInfo info = DiskIndexWriter.write(index, pq.build(), out);
                report(info, 1, (System.nanoTime() - t1) / 1e9);
            }
        } else {
            long budget = buildMemoryGb != null ? (long) (buildMemoryGb * (1L << 30)) : defaultBudget();
            // mapped where the format allows: the vectors never enter the JVM heap
            try (VectorSource source = VectorSource.open(base, maxBase)) {
                VectorReader vectors = source.reader();
                rotate(pq, vectors.dimensions());
                System.out.printf(Locale.ROOT, "%d vectors x %d dims from %s; build memory budget %.1f GiB%n",
                        vectors.count(), vectors.dimensions(), base, budget / (double) (1L << 30));
                VectorType type = indexOptions.type();
                List<FormatWriter.Section> extra = List.of();
                if (baseLabels != null) { // --filter-build none: the plain graph, the labels in the file
                    LabelSets labels = LabelFile.read(baseLabels, universalLabel).labels();
                    checkLabelCount(labels, vectors.count());
                    extra = List.of(DiskLabels.plainGraphSection(labels, vectors.count()));
                }
                DiskBuildResult r = DiskIndexBuilder.build(vectors, type, indexOptions.metric(), indexOptions.params(true),
                        pq.build(), budget, out, System.out::println, extra);
                report(r.layout(), r.parts(), (System.nanoTime() - t0) / 1e9);
                if (baseLabels != null) {
                    System.out.println("labels written with the index (plain graph): search-disk filters with them");
                }
            }
        }
        System.out.printf(Locale.ROOT, "total %.1f s%n", (System.nanoTime() - t0) / 1e9);
        return 0;
    }

    private void checkLabelCount(LabelSets labels, int vectors) {
        if (labels.size() != vectors) {
            throw new IllegalArgumentException(baseLabels + " has labels for " + labels.size() + " vectors, the base has "
                    + vectors);
        }
    }

    /** Writes a labeled index with its labels and, for a label-aware graph, its label start points. */
    private void writeLabeled(LabeledIndex li, PqParams.Builder pq) throws IOException {
        rotate(pq, li.index().dimensions());
        long t1 = System.nanoTime();
        DiskLayoutInfo info = DiskLabels.write(li, out, pq.build());
        report(info, 1, (System.nanoTime() - t1) / 1e9);
        System.out.println("labels and label start points written with the index: search-disk uses them");
    }

    private void rotate(PqParams.Builder pq, int dims) {
        int rotated = PqEval.parseRotation(rotation, dims, pqBytes);
        if (rotated >= 0) {
            pq.rotate(true).rotatedDimensions(rotated);
        }
    }

    private void report(DiskLayoutInfo info, int parts, double seconds) throws IOException {
        System.out.printf(Locale.ROOT, "wrote %s in %.1f s (%s): %d nodes, R %d, %d-byte records, %d per sector x %d"
                        + " sector(s), %.1f MiB on disk, %d PQ bytes per vector in RAM%n", out, seconds,
                parts == 1 ? "one graph" : parts + " parts merged", info.nodes(), info.maxDegree(), info.recordBytes(),
                info.nodesPerSector(), info.sectorsPerNode(), Files.size(out) / 1048576.0, info.pqBytes());
    }

    /** Half the machine's physical memory, or 4 GiB when it cannot be read. */
    static long defaultBudget() {
        try {
            var os = (com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory
                    .getOperatingSystemMXBean();
            return Math.max(1L << 28, os.getTotalMemorySize() / 2);
        } catch (RuntimeException | LinkageError e) {
            return 4L << 30;
        }
    }

    /** A mapped vector file, or a loaded one for formats that cannot be mapped. */
    private record VectorSource(VectorReader reader, AutoCloseable mapping) implements AutoCloseable {
        static VectorSource open(Path base, int limit) throws IOException {
            if (MappedVectors.supports(base)) {
                MappedVectors m = MappedVectors.open(base, limit);
                System.out.println("reading " + base + " through a memory mapping: the vectors never sit in the heap");
                return new VectorSource(m, m);
            }
            System.out.println("loading " + base + " into the heap: only .fbin, .u8bin, .i8bin, .fvecs, .bvecs and .npy"
                    + " are streamed; convert a file larger than the heap to one of them");
            FloatMatrix data = Datasets.readVectors(base, limit);
            return new VectorSource(VectorReader.of(data.toRows()), null);
        }

        @Override
        public void close() {
            if (mapping instanceof MappedVectors m) {
                m.close();
            }
        }
    }
}
