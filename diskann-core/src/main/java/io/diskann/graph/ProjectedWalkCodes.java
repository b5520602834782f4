package io.diskann.graph;

import io.diskann.util.SymmetricEigen;
import io.diskann.util.Workers;
import io.diskann.vector.DistanceKernels;
import io.diskann.vector.Metric;
import io.diskann.vector.QuantizedVectors;
import io.diskann.vector.ScalarQuantizer;
import io.diskann.vector.SimdSupport;
import io.diskann.vector.VectorStore;
import io.diskann.vector.VectorType;
import java.util.Random;

/**
 * Codes a bulk build's candidate searches walk on when the vectors' variance sits in a few directions: each
 * vector projected on its {@code K} strongest principal directions, then 8-bit coded. Only the walk uses
 * them. The nodes it expands are re-scored on the full codes (or vectors) before the prune, and back edges
 * are re-pruned on the full codes as before. So the projection decides which nodes a walk reaches, never
 * the distances the neighbours are chosen by.
 *
 * <p>Why: the walk is most of a build, and its time is memory stalls on candidates' code rows
 * (PERFORMANCE.md sections 15 and 18). Fashion-MNIST's rows are 784 bytes, 13 cache lines, 47 MB for 60k
 * vectors, past the 32 MiB L3; 80 directions hold 90% of its variance: 80-byte rows, 4.8 MB. Build median
 * 11.56 -> 9.94 s in five alternations on a slow stretch of the machine (7.5-8.3 -> 6.4-7.4 s on a fast
 * one), recall at every search L within the build's run-to-run spread (PERFORMANCE.md section 23).
 *
 * <p>When: L2 only (the projection keeps Euclidean geometry; inner-product builds walk the MIPS reduction's
 * full vectors, cosine ones were not measured); at least {@link #MIN_DIMENSIONS} components and
 * {@link #minimumVectors} vectors; and only if at most {@code min(d/2, 128)} directions hold
 * {@link #VARIANCE_KEPT} of the variance (1M x 128 Gaussian clusters need 108 of 128: no projection).
 *
 * <p>How, in 0.7-0.8 s for Fashion-MNIST on 2 threads (directions 0.4 s, codes 0.4 s): the covariance of an
 * evenly strided sample of at most {@link #SAMPLE_ROWS} vectors; its strongest directions by subspace
 * iteration (a few products with a random block, orthonormalised, then Rayleigh-Ritz on the small block with
 * {@link SymmetricEigen}); projections centred on the sample's mean and the codes' step fitted to them
 * ({@link ScalarQuantizer#fit}); every vector projected and coded on the build's threads. A fixed seed:
 * builds stay deterministic. Not shared with diskann-pq's {@code PcaRotation}: that one needs every
 * direction of a 16M-float sample, for which these row-streaming loops would read far too much memory.
 */
final class ProjectedWalkCodes {

    /** Share of the variance the kept directions must hold. */
    static final double VARIANCE_KEPT = 0.90;
    /** Fewer components than this: rows are two cache lines or less, nothing to save. */
    static final int MIN_DIMENSIONS = 128;
    /**
     * More components than this: the d x d covariance (16 MiB at 2,048) and its products cost seconds, and
     * spread embeddings of that size rarely qualify. Not measured beyond Fashion-MNIST's 784.
     */
    static final int MAX_DIMENSIONS = 2048;
    /** Kept directions come in multiples of this (whole SIMD steps of the 8-bit kernels). */
    private static final int STEP = 16;
    /** Most directions kept. */
    private static final int MAX_KEPT = 128;
    /** Extra directions iterated beyond the most kept, so the kept ones converge. */
    private static final int OVERSAMPLE = 8;
    private static final int ITERATIONS = 3;
    /** Vectors the covariance is estimated on, at most. */
    private static final int SAMPLE_ROWS = 1024;
    private static final int BLOCK = 1024;

    /**
     * Fewer vectors than this: the fixed cost (0.4 s for the directions at 784-d) is not paid back. Tests lower it
     * ({@code -Ddiskann.projectedWalk.minimum}, or this field).
     */
    static volatile int minimumVectors = Integer.getInteger("diskann.projectedWalk.minimum", 20_000);

    /** {@code -Ddiskann.projectedWalk=false} turns the projection off: a developer switch for A/B runs. */
    static final boolean ENABLED = !"false".equals(System.getProperty("diskann.projectedWalk"));

    /** Directions the last {@link #fitIfWorthIt} kept (0: none): for tests, which cannot see the walk. */
    static volatile int lastKept;

    private ProjectedWalkCodes() {
    }

    /**
     * Projected codes of rows {@code 0..n-1} of {@code vectors}, or null when the data does not qualify (see
     * the class comment). The caller closes them when the build is done.
     */
    static QuantizedVectors fitIfWorthIt(VectorStore vectors, int n, Metric metric, int threads) {
        int dims = vectors.dimensions();
        lastKept = 0;
        if (!ENABLED || metric != Metric.L2 || dims < MIN_DIMENSIONS || dims > MAX_DIMENSIONS
                || n < Math.max(2, minimumVectors)) {
            return null;
        }
        QuantizedVectors codes;
        try {
            float[][] directions = strongestDirections(vectors, n, threads);
            if (directions == null) {
                return null;
            }
            codes = encode(vectors, n, directions, threads);
            lastKept = directions.length;
        } catch (RuntimeException e) {
            // an optimisation only: data it cannot handle (sums overflowing float, an eigen-solver that does not
            // converge) is walked on the full codes as before
            return null;
        }
        return codes;
    }

    /**
     * The kept directions (rows of length d), or null if more than {@code min(d/2, 128)} are needed for
     * {@link #VARIANCE_KEPT} of the variance.
     */
    static float[][] strongestDirections(VectorStore vectors, int n, int threads) {
        int dims = vectors.dimensions();
        int maxKept = Math.min(dims / 2, MAX_KEPT) / STEP * STEP;
        if (maxKept < STEP) {
            return null;
        }
        int m = Math.min(n, SAMPLE_ROWS);
        float[] covariance = covariance(vectors, n, m, threads);
        double trace = 0;
        for (int i = 0; i < dims; i++) {
            trace += covariance[i * dims + i];
        }
        if (!(trace > 0) || Double.isInfinite(trace)) {
            return null; // all sampled vectors equal, or sums past float range
        }
        int k = Math.min(dims, maxKept + OVERSAMPLE);
        float[][] basis = subspace(covariance, dims, k, threads);
        // Rayleigh-Ritz: the covariance restricted to the block, diagonalised
        float[][] image = multiply(covariance, dims, basis, threads);
        double[] small = new double[k * k];
        for (int a = 0; a < k; a++) {
            for (int b = 0; b <= a; b++) {
                double v = dot(basis[a], image[b]);
                small[a * k + b] = v;
                small[b * k + a] = v;
            }
        }
        SymmetricEigen eigen = SymmetricEigen.decompose(small, k);
        int kept = 0;
        double sum = 0;
        while (kept < maxKept && sum < VARIANCE_KEPT * trace) {
            sum += Math.max(0, eigen.values[kept]);
            kept++;
        }
        if (sum < VARIANCE_KEPT * trace) {
            return null;
        }
        kept = Math.min(maxKept, (kept + STEP - 1) / STEP * STEP);
        float[][] directions = new float[kept][dims];
        for (int r = 0; r < kept; r++) {
            double[] w = eigen.vectors[r];
            double[] row = new double[dims];
            for (int a = 0; a < k; a++) {
                float[] q = basis[a];
                double c = w[a];
                for (int i = 0; i < dims; i++) {
                    row[i] += c * q[i];
                }
            }
            for (int i = 0; i < dims; i++) {
                directions[r][i] = (float) row[i];
            }
        }
        return directions;
    }

    /**
     * An orthonormal basis ({@code k} rows of length d) of the strongest {@code k}-dimensional subspace of rows
     * {@code 0..n-1}, estimated from at most {@code sampleRows} of them ({@link ScanBounds}' directions).
     */
    static float[][] strongSubspace(VectorStore vectors, int n, int k, int sampleRows, int threads) {
        int dims = vectors.dimensions();
        float[] covariance = covariance(vectors, n, Math.min(n, sampleRows), threads);
        return subspace(covariance, dims, Math.min(k, dims), threads);
    }

    /**
     * Covariance (row-major d x d, upper and lower triangle) of {@code m} rows strided evenly through
     * {@code 0..n-1}. Plain loops, four sample rows per pass over a row of the matrix: the JIT vectorises them
     * within milliseconds, where the SIMD kernels run cold this early in a process (0.3 s for this step
     * through {@code dotProductF32}, measured).
     */
    private static float[] covariance(VectorStore vectors, int n, int m, int threads) {
        int dims = vectors.dimensions();
        float[][] rows = new float[m][dims];
        double[] mean = new double[dims];
        for (int r = 0; r < m; r++) {
            vectors.get((int) ((long) r * n / m), rows[r]);
            for (int i = 0; i < dims; i++) {
                mean[i] += rows[r][i];
            }
        }
        for (float[] row : rows) {
            for (int i = 0; i < dims; i++) {
                row[i] -= (float) (mean[i] / m);
            }
        }
        float[] covariance = new float[dims * dims];
        int blocks = (m + 3) / 4;
        // rows of the matrix dealt out in stripes of 8 (the triangle's rows shrink; stripes keep the
        // threads' shares even)
        Workers.forEach("diskann-walk-pca", threads, dims, 8, () -> null, (unused, i) -> {
            int base = i * dims;
            for (int b = 0; b < blocks; b++) {
                int r = 4 * b;
                float[] x0 = rows[r];
                float[] x1 = rows[Math.min(r + 1, m - 1)];
                float[] x2 = rows[Math.min(r + 2, m - 1)];
                float[] x3 = rows[Math.min(r + 3, m - 1)];
                float a0 = x0[i];
                float a1 = r + 1 < m ? x1[i] : 0f;
                float a2 = r + 2 < m ? x2[i] : 0f;
                float a3 = r + 3 < m ? x3[i] : 0f;
                for (int j = i; j < dims; j++) {
                    covariance[base + j] += a0 * x0[j] + a1 * x1[j] + a2 * x2[j] + a3 * x3[j];
                }
            }
            for (int j = i; j < dims; j++) {
                covariance[base + j] /= m;
                covariance[j * dims + i] = covariance[base + j];
            }
        });
        return covariance;
    }

    /** An orthonormal basis (k rows of length d) of the covariance's strongest k-dimensional subspace. */
    private static float[][] subspace(float[] covariance, int dims, int k, int threads) {
        Random random = new Random(0x5eedL);
        float[][] basis = new float[k][dims];
        for (float[] q : basis) {
            for (int i = 0; i < dims; i++) {
                q[i] = (float) random.nextGaussian();
            }
        }
        orthonormalise(basis, 1);
        for (int it = 0; it < ITERATIONS; it++) {
            basis = multiply(covariance, dims, basis, threads);
            // the last basis is the one the directions are made from: orthonormal to float precision
            orthonormalise(basis, it == ITERATIONS - 1 ? 2 : 1);
        }
        return basis;
    }

    /**
     * {@code covariance x q} for each row q of {@code block}: as sums of the (symmetric) matrix's rows
     * weighted by q, plain loops the JIT vectorises.
     */
    private static float[][] multiply(float[] covariance, int dims, float[][] block, int threads) {
        float[][] out = new float[block.length][dims];
        Workers.forEach("diskann-walk-pca", threads, block.length, 1, () -> null, (unused, j) -> {
            float[] q = block[j];
            float[] z = out[j];
            for (int i = 0; i < dims; i++) {
                float c = q[i];
                int base = i * dims;
                for (int t = 0; t < dims; t++) {
                    z[t] += c * covariance[base + t];
                }
            }
        });
        return out;
    }

    /**
     * Modified Gram-Schmidt on the rows, {@code passes} times (twice is enough for float rows; once for the
     * iteration's intermediate blocks); a row that vanishes is replaced by zeros. Plain loops, as above.
     */
    private static void orthonormalise(float[][] rows, int passes) {
        int dims = rows[0].length;
        for (int pass = 0; pass < passes; pass++) {
            for (int j = 0; j < rows.length; j++) {
                float[] v = rows[j];
                for (int p = 0; p < j; p++) {
                    float[] q = rows[p];
                    float c = (float) dot(v, q);
                    for (int i = 0; i < dims; i++) {
                        v[i] -= c * q[i];
                    }
                }
                double norm = Math.sqrt(dot(v, v));
                float scale = norm > 1e-20 ? (float) (1 / norm) : 0f;
                for (int i = 0; i < dims; i++) {
                    v[i] *= scale;
                }
            }
        }
    }

    /** Dot product in double, four partial sums (independent chains). */
    private static double dot(float[] a, float[] b) {
        double s0 = 0;
        double s1 = 0;
        double s2 = 0;
        double s3 = 0;
        int i = 0;
        for (; i + 4 <= a.length; i += 4) {
            s0 += (double) a[i] * b[i];
            s1 += (double) a[i + 1] * b[i + 1];
            s2 += (double) a[i + 2] * b[i + 2];
            s3 += (double) a[i + 3] * b[i + 3];
        }
        for (; i < a.length; i++) {
            s0 += (double) a[i] * b[i];
        }
        return (s0 + s1) + (s2 + s3);
    }

    /**
     * Projects rows {@code 0..n-1} on {@code directions} (one SIMD dot product per direction), centred on the
     * sample's mean projection, and codes them, the step fitted to the sample (one offset and step serve
     * every direction only once their offsets are removed; distances do not change).
     */
    private static QuantizedVectors encode(VectorStore vectors, int n, float[][] directions, int threads) {
        int dims = vectors.dimensions();
        int kept = directions.length;
        float[] flat = new float[kept * dims];
        for (int r = 0; r < kept; r++) {
            System.arraycopy(directions[r], 0, flat, r * dims, dims);
        }
        DistanceKernels kernels = SimdSupport.kernels();
        int m = Math.min(n, SAMPLE_ROWS);
        float[][] rows = new float[m][kept];
        float[] row = new float[dims];
        float[] centre = new float[kept]; // the sample's mean projection, subtracted: one step and offset fit all
        for (int r = 0; r < m; r++) {
            vectors.get((int) ((long) r * n / m), row);
            project(kernels, flat, kept, row, centre, rows[r]);
        }
        for (int c = 0; c < kept; c++) {
            double sum = 0;
            for (float[] p : rows) {
                sum += p[c];
            }
            centre[c] = (float) (sum / m);
        }
        ScalarQuantizer quantizer;
        try (VectorStore sample = VectorStore.create(VectorType.F32, kept, m)) {
            int[] ordinals = new int[m];
            for (int r = 0; r < m; r++) {
                for (int c = 0; c < kept; c++) {
                    rows[r][c] -= centre[c];
                }
                sample.set(r, rows[r]);
                ordinals[r] = r;
            }
            quantizer = ScalarQuantizer.fit(Metric.L2, sample, ordinals, m);
        }
        QuantizedVectors codes = new QuantizedVectors(quantizer, kept, n);
        try {
            Workers.forEach("diskann-walk-codes", threads, n, BLOCK,
                    () -> new float[][] {new float[dims], new float[kept]}, (buffers, i) -> {
                        vectors.get(i, buffers[0]);
                        project(kernels, flat, kept, buffers[0], centre, buffers[1]);
                        codes.set(i, buffers[1]);
                    });
        } catch (RuntimeException | Error e) {
            codes.close();
            throw e;
        }
        return codes;
    }

    /** {@code out[r] = directions[r] . v - centre[r]} (centre all zeros while it is being measured). */
    private static void project(DistanceKernels kernels, float[] directions, int kept, float[] v, float[] centre,
                                float[] out) {
        int dims = v.length;
        for (int r = 0; r < kept; r++) {
            out[r] = kernels.dotProductF32(directions, r * dims, v, 0, dims) - centre[r];
        }
    }
}
