package io.diskann.bench.jmh;

import io.diskann.vector.DistanceKernels;
import io.diskann.vector.SimdSupport;
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
 * Nanoseconds to encode one query to 8-bit codes and test the codes for exactness ({@link
 * DistanceKernels#quantize}): what every search of 8-bit codes or u8/i8 rows pays once per query before its first
 * distance. Pixel-like whole numbers (all codes exact, so no early exit), offset 0 and step 1 as Fashion-MNIST's
 * quantizer; scalar against Vector API. The setup checks that both give the same codes.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@State(Scope.Thread)
@Fork(value = 1, jvmArgsAppend = {"--add-modules=jdk.incubator.vector"})
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class QuantizeBenchmark {

    @Param({"128", "784", "1536"})
    public int dim;

    @Param({"scalar", "vector"})
    public String impl;

    private DistanceKernels kernels;
    private float[] query;
    private byte[] codes;

    @Setup
    public void setup() {
        kernels = impl.equals("scalar") ? SimdSupport.scalar()
                : SimdSupport.vector().orElseThrow(() -> new IllegalStateException("no Vector API kernels in this JVM"));
        Random r = new Random(dim);
        query = new float[dim];
        for (int i = 0; i < dim; i++) {
            query[i] = r.nextInt(256);
        }
        codes = new byte[dim];
        byte[] reference = new byte[dim];
        int a = kernels.quantize(query, 0f, 1f, 0f, 255f, codes, dim);
        int b = SimdSupport.scalar().quantize(query, 0f, 1f, 0f, 255f, reference, dim);
        if (a != 1 || b != 1 || !java.util.Arrays.equals(codes, reference)) {
            throw new IllegalStateException(impl + " dim " + dim + ": codes or exactness differ from the scalar kernel");
        }
    }

    /** One query's codes and exactness. */
    @Benchmark
    public int quantize() {
        return kernels.quantize(query, 0f, 1f, 0f, 255f, codes, dim);
    }
}
