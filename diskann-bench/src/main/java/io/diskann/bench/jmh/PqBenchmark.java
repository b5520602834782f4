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
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Product quantization at 784 dimensions (Fashion-MNIST's): ADC table build per query and look-up per
 * code, for M in {49, 98, 196}. The implementation is chosen per fork: run once as is (Vector API table
 * build, gather look-up), once with {@code -Ddiskann.pq.lookup=scalar} (scalar look-up) and once with
 * {@code -Ddiskann.simd=scalar} (everything scalar); see docs/PERFORMANCE.md for the commands.
 * Codes are drawn from a pool of 64k (3-12 MiB) so look-ups include cache misses, as in a search.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@State(Scope.Thread)
@Fork(value = 1, jvmArgsAppend = {"--add-modules=jdk.incubator.vector"})
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class PqBenchmark {

    private static final int DIMS = 784;
    private static final int POOL = 65_536;
    private static final int BATCH = 1024;

    @Param({"49", "98", "196"})
    int chunks;

    private DistanceTable table;
    private float[] query;
    private byte[] codes;
    private int cursor;
    private final int[] ordinals = new int[32];
    private final float[] out = new float[32];

    @Setup
    public void setup() {
        Random r = new Random(1);
        float[][] train = new float[2000][DIMS];
        for (float[] v : train) {
            for (int d = 0; d < DIMS; d++) {
                v[d] = r.nextFloat();
            }
        }
        ProductQuantizer pq = ProductQuantizer.train(DIMS, Metric.L2, train.length, i -> train[i],
                PqParams.builder(chunks).iterations(2).threads(2).build());
        table = pq.newTable();
        query = train[0].clone();
        table.setQuery(query);
        codes = new byte[POOL * chunks];
        r.nextBytes(codes);
    }

    @Benchmark
    public void tableBuild() {
        table.setQuery(query);
    }

    /** Nanoseconds per code. */
    @Benchmark
    @OperationsPerInvocation(BATCH)
    public float lookup() {
        float sum = 0;
        int c = cursor;
        for (int i = 0; i < BATCH; i++) {
            c = (c + 7919) & (POOL - 1);
            sum += table.distance(codes, c * chunks);
        }
        cursor = c;
        return sum;
    }

    /** Nanoseconds per code, scored 32 at a time as a node's neighbours are. */
    @Benchmark
    @OperationsPerInvocation(BATCH)
    public float lookupBatch() {
        float sum = 0;
        int c = cursor;
        for (int b = 0; b < BATCH; b += 32) {
            for (int i = 0; i < 32; i++) {
                c = (c + 7919) & (POOL - 1);
                ordinals[i] = c;
            }
            table.distances(codes, ordinals, 32, out);
            sum += out[0] + out[31];
        }
        cursor = c;
        return sum;
    }
}
