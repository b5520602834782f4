package io.diskann.bench;

import io.diskann.vector.SimdSupport;
import io.diskann.bench.data.Datasets;
import io.diskann.bench.data.FloatMatrix;
import io.diskann.graph.VamanaStats;
import io.diskann.graph.VamanaIndex;
import io.diskann.graph.VectorSource;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code ./diskann build}: builds an index from a vector file and saves it. */
@Command(name = "build", mixinStandardHelpOptions = true, description = "Build an index from a vector file and save it.")
final class BuildCommand implements Callable<Integer> {

    @Option(names = "--base", required = true, paramLabel = "FILE",
            description = "Vectors (.fvecs, .bvecs, .fbin, .u8bin, .i8bin, .npy).")
    Path base;

    @Option(names = "--max-base", converter = Converters.Positive.class, paramLabel = "N", description = "Use only the first N vectors.")
    int maxBase = -1;

    @Option(names = "--out", required = true, paramLabel = "FILE", description = "Where to save the index.")
    Path out;

    @Mixin
    IndexOptions indexOptions;

    @Override
    public Integer call() throws IOException {
        System.out.println("kernels: " + SimdSupport.describe());
        FloatMatrix data = Datasets.readVectors(base, maxBase);
        VamanaIndex index = indexOptions.newIndex(data.dims());
        build(index, data, indexOptions);
        index.save(out);
        VamanaStats s = index.stats();
        System.out.printf(Locale.ROOT, "saved %s: %d vectors x %d dims, %.1f MiB, mean degree %.1f%n", out, s.count(),
                s.dimensions(), s.totalBytes() / 1048576.0, s.meanDegree());
        return 0;
    }

    /** Builds with a progress bar; returns the seconds it took. */
    static double build(VamanaIndex index, FloatMatrix data, IndexOptions o) {
        Progress p = new Progress("build", data.rows());
        long t0 = System.nanoTime();
        index.build(data.rows(), VectorSource.concurrent(data::row), (done, total) -> p.update(done));
        double seconds = (System.nanoTime() - t0) / 1e9;
        System.out.printf(Locale.ROOT, "built in %.2f s on %d threads (R=%d, L_build=%d, alpha=%.2f)%n", seconds,
                o.threads, o.maxDegree, index.params().buildListSize(), o.alpha);
        return seconds;
    }
}
