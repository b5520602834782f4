package io.diskann.bench;

import io.diskann.bench.data.Datasets;
import io.diskann.bench.data.FloatMatrix;
import io.diskann.disk.DiskIndexWriter;
import io.diskann.disk.DiskLayoutInfo;
import io.diskann.graph.VamanaIndex;
import io.diskann.pq.PqParams;
import io.diskann.vector.SimdSupport;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
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

    @Option(names = "--pq-rotation", paramLabel = "R", description = "none (default), pca, or pca:D (D strongest directions).")
    String rotation = "none";

    @Mixin
    IndexOptions indexOptions;

    @Override
    public Integer call() throws IOException {
        if ((base == null) == (fromIndex == null)) {
            throw new IllegalArgumentException("give exactly one of --base (build) and --from-index (a saved index)");
        }
        System.out.println("kernels: " + SimdSupport.describe());
        long t0 = System.nanoTime();
        VamanaIndex index;
        if (fromIndex != null) {
            index = VamanaIndex.load(fromIndex);
            System.out.printf(Locale.ROOT, "loaded %s: %d vectors x %d dims%n", fromIndex, index.size(), index.dimensions());
        } else {
            FloatMatrix data = Datasets.readVectors(base, maxBase);
            index = indexOptions.newIndex(data.dims());
            BuildCommand.build(index, data, indexOptions);
        }
        try (index) {
            PqParams.Builder pq = PqParams.builder(pqBytes).threads(indexOptions.threads);
            int rotated = PqEval.parseRotation(rotation, index.dimensions());
            if (rotated >= 0) {
                pq.rotate(true).rotatedDimensions(rotated);
            }
            long t1 = System.nanoTime();
            DiskLayoutInfo info = DiskIndexWriter.write(index, pq.build(), out);
            double writeSeconds = (System.nanoTime() - t1) / 1e9;
            System.out.printf(Locale.ROOT, "wrote %s in %.1f s (PQ training, encoding, layout): %d nodes, R %d, %d-byte"
                            + " records, %d per sector x %d sector(s), %.1f MiB on disk, %d PQ bytes per vector in RAM%n",
                    out, writeSeconds, info.nodes(), info.maxDegree(), info.recordBytes(), info.nodesPerSector(),
                    info.sectorsPerNode(), Files.size(out) / 1048576.0, info.pqBytes());
            System.out.printf(Locale.ROOT, "total %.1f s%n", (System.nanoTime() - t0) / 1e9);
        }
        return 0;
    }
}
