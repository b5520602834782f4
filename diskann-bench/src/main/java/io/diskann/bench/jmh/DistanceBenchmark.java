package io.diskann.bench.jmh;

import io.diskann.vector.ChunkedRows;
import io.diskann.vector.DistanceKernels;
import io.diskann.vector.Metric;
import io.diskann.vector.SimdSupport;
import io.diskann.vector.VectorStore;
import io.diskann.vector.VectorType;
import io.github.jbellis.jvector.vector.VectorizationProvider;
import io.github.jbellis.jvector.vector.types.VectorFloat;
import io.github.jbellis.jvector.vector.types.VectorTypeSupport;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.apache.lucene.util.VectorUtil;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
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
 * Nanoseconds per distance for every element type x metric x dimension x implementation.
 *
 * <p>{@code impl} is {@code scalar} or {@code vector} (ours), or {@code jvector} / {@code lucene} (their
 * f32 kernels, as yardsticks). {@code width} labels the SIMD width the fork runs at; it must match
 * {@code -Ddiskann.simd.width}, which {@code ./diskann kernels} passes to the fork (the width is a
 * {@code static final} per JVM). Each invocation scores one query against {@value #BATCH} stored vectors
 * taken in turn from a pool of about 4 MiB, far larger than L1 and L2, so the numbers include the memory
 * traffic a graph search pays. The setup checks every implementation's result on the whole pool against
 * a double-precision reference, so a broken kernel cannot post a fast time.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@State(Scope.Thread)
@Fork(value = 1, jvmArgsAppend = {"--add-modules=jdk.incubator.vector", "-Xmx2g",
        "-Dorg.apache.lucene.vectorization.upperJavaFeatureVersion=25"})
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 3, time = 1)
public class DistanceBenchmark {

    static final int BATCH = 64;
    private static final int POOL_BYTES = 4 << 20;

    @Param({"f32", "f16", "i8", "u8"})
    public String type;

    @Param({"l2", "ip", "cosine"})
    public String metric;

    @Param({"96", "128", "384", "768", "784", "960", "1536"})
    public int dim;

    @Param({"scalar", "vector"})
    public String impl;

    @Param({"preferred"})
    public String width;

    /**
     * Where stored vectors live: {@code array}, one heap array (rows 16 bytes past a cache line), or
     * {@code rows}, a {@link VectorStore}'s aligned off-heap rows read through the segment kernels (how
     * indexes store vectors), or {@code split}, those rows with the query split once for the u8 L2 kernel that
     * reads whole zero-padded blocks ({@link DistanceKernels#squareDistanceU8Split}, what u8 and SQ8 L2 scorers
     * use where the rows allow). Ours only.
     */
    @Param({"array"})
    public String storage;

    private VectorStore store;

    private VectorType vectorType;
    private Metric vectorMetric;
    private DistanceKernels kernels;
    private int poolSize;
    private int cursor;

    private float[] queryF;
    private byte[] queryB;
    private float[] poolF;
    private short[] poolH;
    private byte[] poolB;
    private float[][] poolRows;
    private VectorFloat<?> jvQuery;
    private VectorFloat<?>[] jvPool;

    @Setup(Level.Trial)
    public void setUp() {
        vectorType = VectorType.parse(type);
        vectorMetric = Metric.parse(metric);
        kernels = switch (impl) {
            case "scalar" -> SimdSupport.scalar();
            case "vector" -> SimdSupport.vector().orElseThrow(() -> new IllegalStateException(
                    "the Vector API is not readable in this fork; pass --add-modules jdk.incubator.vector"));
            case "jvector", "lucene" -> {
                if (vectorType != VectorType.F32) {
                    throw new IllegalArgumentException(impl + " is a yardstick for f32 only, not " + type);
                }
                yield null;
            }
            default -> throw new IllegalArgumentException("unknown impl " + impl);
        };
        if (impl.equals("vector") && !width.equals("preferred")
                && kernels.widthBits() != Integer.parseInt(width)) {
            throw new IllegalStateException("width param " + width + " but the fork runs " + kernels.widthBits()
                    + "-bit kernels: pass -D" + SimdSupport.WIDTH_PROPERTY + "=" + width);
        }
        poolSize = Math.max(BATCH, POOL_BYTES / (dim * vectorType.bytesPerElement()));
        Random r = new Random(dim * 31L + type.hashCode());
        float[] q = randomVector(r);
        float[][] rows = new float[poolSize][];
        for (int i = 0; i < poolSize; i++) {
            rows[i] = randomVector(r);
        }
        fill(q, rows);
        if (storage.equals("rows") || storage.equals("split")) {
            if (kernels == null) {
                throw new IllegalArgumentException("storage=" + storage + " measures our kernels only, not " + impl);
            }
            store = VectorStore.create(vectorType, dim, poolSize);
            for (int i = 0; i < poolSize; i++) {
                store.set(i, vectorType == VectorType.F16 ? halfRounded(rows[i]) : rows[i]);
            }
        }
        fn = makeFunction();
        verify(q, rows);
    }

    private float[] randomVector(Random r) {
        float[] v = new float[dim];
        for (int i = 0; i < dim; i++) {
            v[i] = switch (vectorType) {
                case F32, F16 -> (float) r.nextGaussian();
                case I8 -> r.nextInt(256) - 128;
                case U8 -> r.nextInt(256);
            };
        }
        return v;
    }

    private void fill(float[] q, float[][] rows) {
        queryF = q;
        switch (vectorType) {
            case F32 -> {
                poolF = new float[poolSize * dim];
                for (int i = 0; i < poolSize; i++) {
                    System.arraycopy(rows[i], 0, poolF, i * dim, dim);
                }
                poolRows = rows;
                if (impl.equals("jvector")) {
                    VectorTypeSupport vts = VectorizationProvider.getInstance().getVectorTypeSupport();
                    jvQuery = vts.createFloatVector(q);
                    jvPool = new VectorFloat<?>[poolSize];
                    for (int i = 0; i < poolSize; i++) {
                        jvPool[i] = vts.createFloatVector(rows[i]);
                    }
                }
            }
            case F16 -> {
                poolH = new short[poolSize * dim];
                for (int i = 0; i < poolSize * dim; i++) {
                    poolH[i] = Float.floatToFloat16(rows[i / dim][i % dim]);
                }
            }
            case I8, U8 -> {
                queryB = new byte[dim];
                for (int i = 0; i < dim; i++) {
                    queryB[i] = (byte) (int) q[i];
                }
                poolB = new byte[poolSize * dim];
                for (int i = 0; i < poolSize * dim; i++) {
                    poolB[i] = (byte) (int) rows[i / dim][i % dim];
                }
            }
        }
    }

    private static float[] halfRounded(float[] v) {
        float[] out = new float[v.length];
        for (int i = 0; i < v.length; i++) {
            out[i] = Math.max(-65504f, Math.min(65504f, v[i]));
        }
        return out;
    }

    /** Checks {@link #distance} on the whole pool against a double-precision reference. */
    private void verify(float[] q, float[][] rows) {
        for (int i = 0; i < poolSize; i++) {
            double dot = 0;
            double l2 = 0;
            double nq = 0;
            double nr = 0;
            for (int j = 0; j < dim; j++) {
                double x = q[j];
                double y = vectorType == VectorType.F16 ? Float.float16ToFloat(Float.floatToFloat16(rows[i][j])) : rows[i][j];
                dot += x * y;
                l2 += (x - y) * (x - y);
                nq += x * x;
                nr += y * y;
            }
            double expected = switch (vectorMetric) {
                case L2 -> l2;
                case INNER_PRODUCT -> -dot;
                case COSINE -> 1 - dot / Math.sqrt(nq * nr);
            };
            double scale = vectorMetric == Metric.COSINE ? 1 : Math.max(Math.abs(l2), Math.sqrt(nq * nr));
            double got = distance(i);
            if (Math.abs(got - expected) > 1e-4 * scale) {
                throw new IllegalStateException(impl + " " + type + " " + metric + " dim " + dim + ": vector " + i
                        + " scored " + got + ", expected " + expected);
            }
        }
    }

    /** One pool-index-to-distance function per fork, so the benchmark loop's call site is monomorphic. */
    @FunctionalInterface
    interface PoolDistance {
        float apply(int i);
    }

    private PoolDistance fn;

    private float distance(int i) {
        return fn.apply(i);
    }

    private PoolDistance makeFunction() {
        final float[] qf = queryF;
        final byte[] qb = queryB;
        final float[][] rows = poolRows;
        final VectorFloat<?> jq = jvQuery;
        final VectorFloat<?>[] jp = jvPool;
        final DistanceKernels k = kernels;
        final int d = dim;
        final float[] pf = poolF;
        final short[] ph = poolH;
        final byte[] pb = poolB;
        if (store != null && storage.equals("split")) {
            final ChunkedRows r = store.rows();
            int block = k.u8SplitBlock();
            if (vectorType != VectorType.U8 || vectorMetric != Metric.L2 || block == 0 || r.stride() % block != 0) {
                throw new IllegalArgumentException("storage=split is for u8 l2 with the vector kernels and rows whose"
                        + " stride (" + r.stride() + ") is a multiple of the block (" + block + ")");
            }
            final int padded = (d + block - 1) / block * block;
            final short[] split = new short[padded];
            k.splitU8(qb, d, split, padded);
            return i -> k.squareDistanceU8Split(split, r.segment(i), r.offset(i), padded);
        }
        if (store != null) {
            final ChunkedRows r = store.rows();
            return switch (vectorType) {
                case F32 -> switch (vectorMetric) {
                    case L2 -> i -> k.squareDistanceF32(qf, 0, r.segment(i), r.offset(i), d);
                    case INNER_PRODUCT -> i -> -k.dotProductF32(qf, 0, r.segment(i), r.offset(i), d);
                    case COSINE -> i -> k.cosineDistanceF32(qf, 0, r.segment(i), r.offset(i), d);
                };
                case F16 -> switch (vectorMetric) {
                    case L2 -> i -> k.squareDistanceF16(qf, 0, r.segment(i), r.offset(i), d);
                    case INNER_PRODUCT -> i -> -k.dotProductF16(qf, 0, r.segment(i), r.offset(i), d);
                    case COSINE -> i -> k.cosineDistanceF16(qf, 0, r.segment(i), r.offset(i), d);
                };
                case I8 -> switch (vectorMetric) {
                    case L2 -> i -> k.squareDistanceI8(qb, 0, r.segment(i), r.offset(i), d);
                    case INNER_PRODUCT -> i -> -k.dotProductI8(qb, 0, r.segment(i), r.offset(i), d);
                    case COSINE -> i -> k.cosineDistanceI8(qb, 0, r.segment(i), r.offset(i), d);
                };
                case U8 -> switch (vectorMetric) {
                    case L2 -> i -> k.squareDistanceU8(qb, 0, r.segment(i), r.offset(i), d);
                    case INNER_PRODUCT -> i -> -k.dotProductU8(qb, 0, r.segment(i), r.offset(i), d);
                    case COSINE -> i -> k.cosineDistanceU8(qb, 0, r.segment(i), r.offset(i), d);
                };
            };
        }
        return switch (impl) {
            case "lucene" -> switch (vectorMetric) {
                case L2 -> i -> VectorUtil.squareDistance(qf, rows[i]);
                case INNER_PRODUCT -> i -> -VectorUtil.dotProduct(qf, rows[i]);
                case COSINE -> i -> 1 - VectorUtil.cosine(qf, rows[i]);
            };
            case "jvector" -> switch (vectorMetric) {
                case L2 -> i -> io.github.jbellis.jvector.vector.VectorUtil.squareL2Distance(jq, jp[i]);
                case INNER_PRODUCT -> i -> -io.github.jbellis.jvector.vector.VectorUtil.dotProduct(jq, jp[i]);
                case COSINE -> i -> 1 - io.github.jbellis.jvector.vector.VectorUtil.cosine(jq, jp[i]);
            };
            default -> switch (vectorType) {
                case F32 -> switch (vectorMetric) {
                    case L2 -> i -> k.squareDistanceF32(qf, 0, pf, i * d, d);
                    case INNER_PRODUCT -> i -> -k.dotProductF32(qf, 0, pf, i * d, d);
                    case COSINE -> i -> k.cosineDistanceF32(qf, 0, pf, i * d, d);
                };
                case F16 -> switch (vectorMetric) {
                    case L2 -> i -> k.squareDistanceF16(qf, 0, ph, i * d, d);
                    case INNER_PRODUCT -> i -> -k.dotProductF16(qf, 0, ph, i * d, d);
                    case COSINE -> i -> k.cosineDistanceF16(qf, 0, ph, i * d, d);
                };
                case I8 -> switch (vectorMetric) {
                    case L2 -> i -> k.squareDistanceI8(qb, 0, pb, i * d, d);
                    case INNER_PRODUCT -> i -> -k.dotProductI8(qb, 0, pb, i * d, d);
                    case COSINE -> i -> k.cosineDistanceI8(qb, 0, pb, i * d, d);
                };
                case U8 -> switch (vectorMetric) {
                    case L2 -> i -> k.squareDistanceU8(qb, 0, pb, i * d, d);
                    case INNER_PRODUCT -> i -> -k.dotProductU8(qb, 0, pb, i * d, d);
                    case COSINE -> i -> k.cosineDistanceU8(qb, 0, pb, i * d, d);
                };
            };
        };
    }

    /** Scores the query against the next {@value #BATCH} vectors of the pool; returns the sum. */
    @Benchmark
    @OperationsPerInvocation(BATCH)
    public float distances() {
        int c = cursor;
        float sum = 0;
        for (int j = 0; j < BATCH; j++) {
            sum += distance(c);
            c = c + 1 == poolSize ? 0 : c + 1;
        }
        cursor = c;
        return sum;
    }
}
