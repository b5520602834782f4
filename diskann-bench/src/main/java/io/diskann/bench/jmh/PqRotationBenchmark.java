package io.diskann.bench.jmh;

import io.diskann.pq.DistanceTable;
import io.diskann.pq.PqParams;
import io.diskann.pq.ProductQuantizer;
import io.diskann.vector.Metric;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The per-query cost of a rotated quantizer at 784 dimensions: projecting the query onto D' principal
 * directions (a column-major matrix-vector product, {@code PqKernels.project}) plus the ADC table over D' dimensions, for the
 * configurations docs/PERFORMANCE.md compares ({@code M/D'}: 32/128, 49/196, and 49/784, the full
 * rotation). Set against {@link PqBenchmark#tableBuild} without rotation.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@State(Scope.Thread)
@Fork(value = 1, jvmArgsAppend = {"--add-modules=jdk.incubator.vector"})
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class PqRotationBenchmark {

    private static final int DIMS = 784;

    /** {@code M/D'}: chunks, then the directions kept. */
    @Param({"32/128", "49/196", "49/784"})
    String config;

    private DistanceTable table;
    private float[] query;

    @Setup
    public void setup() {
        String[] parts = config.split("/");
        int chunks = Integer.parseInt(parts[0]);
        int keep = Integer.parseInt(parts[1]);
        Random r = new Random(1);
        float[][] train = new float[2000][DIMS];
        for (float[] v : train) {
            for (int d = 0; d < DIMS; d++) {
                v[d] = r.nextFloat();
            }
        }
        ProductQuantizer pq = ProductQuantizer.train(DIMS, Metric.L2, train.length, i -> train[i],
                PqParams.builder(chunks).iterations(2).threads(2).rotatedDimensions(keep).build());
        table = pq.newTable();
        query = train[0].clone();
        table.setQuery(query);
    }

    /** Projection plus table, per query. */
    @Benchmark
    public void tableBuildRotated() {
        table.setQuery(query);
    }
}
