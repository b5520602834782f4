package io.diskann.graph;

import io.diskann.util.SymmetricEigen;
import io.diskann.util.Workers;
import io.diskann.vector.DistanceKernels;
import io.diskann.vector.Metric;
import io.diskann.vector.SimdSupport;
import io.diskann.vector.VectorStore;

/**
 * Lower bounds on L2 distances for exact scans ({@link VamanaSearcher#searchAmong}): each stored vector's
 * projection on {@link #K} strong principal directions of the data, {@code K} floats per slot. For any
 * matrix {@code P}, {@code |q - x|^2 >= |P(q - x)|^2 / lambda}, {@code lambda} the largest eigenvalue of
 * {@code P P^T} (1 for orthonormal rows, computed rather than assumed). A scan scores the rows in the order of
 * their bounds, nearest first, and stops where the next bound passes its k-th best distance: the rows it skips
 * could not have entered the results, so the results are those of the full scan.
 *
 * <p>Why: a selective filter is answered by scanning its matches, and when the same filters repeat, their rows
 * sit in the CPU's caches, where the kernel's arithmetic, not memory, is the cost (Fashion-MNIST's 0.1% ANDs: 60
 * rows, ~37 ns each). With 16 directions a scan of 60 random Fashion-MNIST rows for k = 10 scores about 22 of
 * them (numpy; docs/PERFORMANCE.md section 42); a bound is one 64-byte row and one SIMD step.
 *
 * <p>The arithmetic is made safe for the "same results" promise: projections are computed in float, so each
 * bound is reduced by the worst-case rounding of a {@code d}-term dot product ({@code gamma_d |P_r| |v|} per
 * direction, with {@code |v|} at most the largest stored norm) before it is divided by {@code lambda}, and a row
 * is skipped only if the bound, less the scorer's own relative rounding, still exceeds the k-th best distance.
 * Projections are taken of the vectors as stored (f16 rounding included), so the bound holds for the distances
 * the scorer computes.
 *
 * <p>When: L2 only (the bound is Euclidean), at least {@link #MIN_DIMENSIONS} components (below that a row is a
 * few cache lines and a bound saves little), at least {@link #MIN_VECTORS} vectors to estimate the directions.
 * Fitted when a build ends, when an index is loaded, and when an index filled by inserts reaches
 * {@link #MIN_VECTORS}; kept up to date as a {@link SlotCompanion}. {@code -Ddiskann.scanBounds=false} turns it
 * off (scans then score every row, as before).
 *
 * <p>Thread-safety: {@link #stored} runs on inserting threads for distinct slots, before the slot is visible;
 * searches read the projections of visible slots; growth and renumbering run while nothing else does.
 */
final class ScanBounds implements SlotCompanion {

    /** Directions kept: one 512-bit register of floats per row. */
    static final int K = 16;
    static final int MIN_DIMENSIONS = 256;
    static final int MIN_VECTORS = 1_000;
    /** Vectors the directions are estimated from, at most (a bound holds for any directions; these only tighten it). */
    private static final int SAMPLE_ROWS = 512;
    /** Whether indexes fit bounds: a developer switch for A/B runs. */
    static volatile boolean enabled = !"false".equals(System.getProperty("diskann.scanBounds"));

    private final DistanceKernels kernels = SimdSupport.kernels();
    private final int dims;
    /** The K directions component-major ({@link DistanceKernels#projectF32}): component i of direction r at i * K + r. */
    private final float[] transposed;
    /** {@code 1 / lambda}, rounded down. */
    private final double inverseLambda;
    /** Worst relative rounding of one projection component, per unit of the vector's norm: {@code gamma_d sqrt(lambda)}. */
    private final double projectionError;
    private final int threads;
    private VectorStore vectors;
    /** K floats per slot. Replaced whole when the index grows (see {@link #prepareCapacity}). */
    private volatile float[] projections = new float[0];
    private final Object normLock = new Object();
    /** The largest norm of a vector projected so far (never lowered: deletes leave it as it was). */
    private volatile float maxNorm;

    private ScanBounds(int dims, float[] transposed, double inverseLambda, int threads) {
        this.dims = dims;
        this.transposed = transposed;
        this.inverseLambda = inverseLambda;
        double unit = Math.ulp(1.0f) / 2; // 2^-24
        double gamma = dims * unit / (1 - dims * unit);
        this.projectionError = gamma * Math.sqrt(1 / inverseLambda) * 1.01;
        this.threads = Math.max(1, threads);
    }

    /** Whether an index of this shape would fit bounds. */
    static boolean wanted(GraphState state) {
        return enabled && state.metric == Metric.L2 && state.dimensions >= MIN_DIMENSIONS
                && state.slots.liveCount() >= MIN_VECTORS;
    }

    /**
     * Bounds fitted to the vectors in slots below the high-water mark of {@code state} (not yet attached), or null
     * if the directions cannot be estimated (sums past float range, a solver that does not converge).
     */
    static ScanBounds fit(GraphState state) {
        int n = state.slots.highWater();
        int dims = state.dimensions;
        try {
            float[][] basis = ProjectedWalkCodes.strongSubspace(state.vectors, n, K, SAMPLE_ROWS, state.params.threads());
            float[] flat = new float[K * dims];
            double[] gram = new double[K * K];
            for (int a = 0; a < K; a++) {
                for (int i = 0; i < dims; i++) {
                    flat[i * K + a] = basis[a][i];
                }
                for (int b = 0; b <= a; b++) {
                    double s = 0;
                    for (int i = 0; i < dims; i++) {
                        s += (double) basis[a][i] * basis[b][i];
                    }
                    gram[a * K + b] = s;
                    gram[b * K + a] = s;
                }
            }
            double lambda = SymmetricEigen.decompose(gram, K).values[0];
            if (!(lambda > 0) || Double.isInfinite(lambda)) {
                return null;
            }
            return new ScanBounds(dims, flat, 1 / (lambda * (1 + 1e-9)), state.params.threads());
        } catch (RuntimeException e) {
            return null; // an optimisation only: scans score every row without it
        }
    }

    /** Heap bytes held. */
    long bytes() {
        return 4L * (projections.length + transposed.length);
    }

    // ---------------------------------------------------------------- queries

    /**
     * Projects {@code query} into {@code out} (K floats) and returns how much any projected distance of it may
     * be overstated by rounding, in distance units (not squared): {@code sqrt(K)} times the worst error of one
     * component of the query's and of a stored vector's projection.
     */
    float prepare(float[] query, float[] out) {
        kernels.projectF32(transposed, K, query, dims, out);
        double norm = Math.sqrt(kernels.dotProductF32(query, 0, query, 0, dims)) * 1.01;
        return (float) (Math.sqrt(K) * projectionError * (norm + maxNorm) * 1.01 + Float.MIN_NORMAL);
    }

    /**
     * A lower bound on the squared distance from the prepared query to the vector at {@code slot}.
     *
     * @param projected the query's projection ({@link #prepare})
     * @param slack what {@link #prepare} returned
     */
    float bound(float[] projected, float slack, int slot) {
        float projectedDistance = kernels.squareDistanceF32(projected, 0, projections, slot * K, K);
        // the float sum of K squares is off by at most K units in the last place: taken off with the root's
        double root = Math.sqrt(projectedDistance * (1 - 1e-6)) - slack;
        return root <= 0 ? 0f : (float) (root * root * inverseLambda * (1 - 1e-6));
    }

    /**
     * Whether a row whose bound is {@code bound} may be skipped when the results' worst distance is {@code
     * worst}: the scorer's distance of a {@code d}-component row is at least {@code (1 - 2 d u)} of the true one.
     */
    boolean skips(float bound, float worst) {
        return bound * (1 - 2.5e-7 * dims) > worst;
    }

    // ---------------------------------------------------------------- companion

    /** {@code v}'s projection into {@code out[at..at+K)}. */
    private void project(float[] v, float[] out, int at, float[] scratch) {
        kernels.projectF32(transposed, K, v, dims, scratch);
        System.arraycopy(scratch, 0, out, at, K);
    }

    /** Projects slot {@code slot} as the store holds it (rounded as the scorer reads it) into {@code into}. */
    private void projectStored(int slot, float[] buffer, float[] into) {
        vectors.get(slot, buffer);
        project(buffer, into, slot * K, new float[K]);
        float norm = (float) (Math.sqrt(kernels.dotProductF32(buffer, 0, buffer, 0, dims)) * 1.01);
        if (norm > maxNorm) {
            raiseMaxNorm(norm);
        }
    }

    /** Not {@code this}: {@link #synchronize} holds that while its workers project. */
    private void raiseMaxNorm(float norm) {
        synchronized (normLock) {
            if (norm > maxNorm) {
                maxNorm = norm;
            }
        }
    }

    @Override
    public synchronized void synchronize(VectorStore store, int ordinalLimit) {
        this.vectors = store;
        float[] into = projections;
        int t = ordinalLimit >= 16_384 ? threads : 1;
        Workers.forEach("diskann-scan-bounds", t, ordinalLimit, 1024, () -> new float[dims],
                (buffer, slot) -> projectStored(slot, buffer, into));
    }

    @Override
    public void stored(int slot, float[] vector) {
        projectStored(slot, new float[dims], projections);
    }

    @Override
    public Runnable prepareCapacity(int capacity) {
        return () -> {
            float[] old = projections;
            if (old.length < (long) capacity * K) {
                float[] grown = new float[Math.multiplyExact(capacity, K)];
                System.arraycopy(old, 0, grown, 0, old.length);
                projections = grown;
            }
        };
    }

    @Override
    public void reordered(int[] order, int count) {
        float[] old = projections;
        float[] moved = old.clone();
        for (int j = 0; j < count; j++) {
            System.arraycopy(old, order[j] * K, moved, j * K, K);
        }
        projections = moved;
    }
}
