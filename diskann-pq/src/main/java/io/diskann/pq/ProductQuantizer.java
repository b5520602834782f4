package io.diskann.pq;

import io.diskann.util.Workers;
import io.diskann.vector.Metric;
import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.function.IntFunction;

/**
 * A trained product quantizer: the vector space split into M contiguous chunks of balanced size, 256
 * centroids per chunk, so a vector is encoded in M bytes (the index of its nearest centroid in each
 * chunk) and a query's distance to a code is M table look-ups ({@link DistanceTable}).
 *
 * <p>Why: product quantization is how DiskANN keeps the vectors a graph search touches in a few bytes
 * each; the graph can then be traversed on codes (little memory traffic) and only the best candidates
 * re-scored with full vectors.
 *
 * <p>Optionally the chunks are cut from a rotated space instead of the raw dimensions
 * ({@link PqParams#rotate}): the principal directions of the centred training data, dealt to the chunks
 * so each carries a similar share of the variance, and optionally only the strongest D' of them
 * ({@link PcaRotation}, OPQ's parametric solution). Codes, tables and offsets then live in that
 * {@link #codeDimensions() code space}; queries and vectors are projected on the way in.
 *
 * <p>Metrics: L2 quantizes residuals from the training mean when {@link PqParams#centre} is set; inner
 * product quantizes the same way and adds the query's product with the mean back as a constant; cosine
 * normalizes vectors (and queries) first and then behaves as inner product, so code distances estimate
 * {@code 1 - cos}. Encoding always picks the nearest centroid in L2, as DiskANN does.
 *
 * <p>Immutable and thread-safe once trained; {@link #encode} allocates nothing but callers pass scratch.
 */
public final class ProductQuantizer {

    private static final int K = PqParams.CENTROIDS;

    private final int dimensions;
    private final Metric metric;
    private final int[] offsets;
    private final float[][] centroidsT;
    private final float[] mean;
    private final PcaRotation rotation;
    private final int codeDimensions;
    private final PqKernels kernels;

    ProductQuantizer(int dimensions, Metric metric, int[] offsets, float[][] centroidsT, float[] mean,
                     PcaRotation rotation) {
        this.dimensions = dimensions;
        this.metric = metric;
        this.offsets = offsets;
        this.centroidsT = centroidsT;
        this.mean = mean;
        this.rotation = rotation;
        this.codeDimensions = rotation == null ? dimensions : rotation.outputDimensions();
        this.kernels = PqKernels.get();
    }

    /**
     * Trains a quantizer on {@code n} vectors ({@code rows.apply(i)} for i in 0..n-1; called from several
     * threads, so it must be thread-safe; returned arrays are not kept).
     *
     * @throws IllegalArgumentException if M is not in 1..dimensions, fewer than 256 vectors are given, or a
     *     vector has the wrong dimension or a non-finite component
     * @param dimensions components per vector
     * @param metric the distance
     * @param n vectors to train on
     * @param rows supplies vector i
     * @param params PQ parameters
     * @return the trained quantizer
     */
    public static ProductQuantizer train(int dimensions, Metric metric, int n, IntFunction<float[]> rows,
                                         PqParams params) {
        if (params.chunks() > dimensions) {
            throw new IllegalArgumentException("chunks (M) must be in 1.." + dimensions + " for " + dimensions
                    + " dimensions, got " + params.chunks());
        }
        if (n < K) {
            throw new IllegalArgumentException("product quantization needs at least " + K
                    + " training vectors (256 centroids per chunk), got " + n);
        }
        int codeDims = params.rotate() && params.rotatedDimensions() > 0 ? params.rotatedDimensions() : dimensions;
        if (params.rotate() && (codeDims < params.chunks() || codeDims > dimensions)) {
            throw new IllegalArgumentException("rotated dimensions must be in " + params.chunks() + ".." + dimensions
                    + " (at least one per chunk, at most the vector's " + dimensions + "), got " + codeDims);
        }
        int[] offsets = chunkOffsets(codeDims, params.chunks());
        int samples = Math.min(n, params.maxTrainingSamples());
        int[] sample = sample(n, samples, params.seed());
        float[] training = new float[samples * dimensions];
        boolean normalize = metric == Metric.COSINE;
        for (int i = 0; i < samples; i++) {
            float[] v = rows.apply(sample[i]);
            checkVector(v, dimensions, "training vector " + sample[i]);
            System.arraycopy(v, 0, training, i * dimensions, dimensions);
            if (normalize) {
                normalizeInPlace(training, i * dimensions, dimensions);
            }
        }
        float[] mean = null;
        if (params.centre() || params.rotate()) {
            double[] sum = new double[dimensions];
            for (int i = 0; i < samples; i++) {
                for (int d = 0; d < dimensions; d++) {
                    sum[d] += training[i * dimensions + d];
                }
            }
            mean = new float[dimensions];
            for (int d = 0; d < dimensions; d++) {
                mean[d] = (float) (sum[d] / samples);
            }
            for (int i = 0; i < samples; i++) {
                for (int d = 0; d < dimensions; d++) {
                    training[i * dimensions + d] -= mean[d];
                }
            }
        }
        PcaRotation rotation = null;
        if (params.rotate()) {
            rotation = PcaRotation.train(training, samples, dimensions, codeDims, params.chunks(), params.threads());
            float[] projected = new float[Math.multiplyExact(samples, codeDims)];
            PcaRotation r = rotation;
            float[] source = training;
            Workers.forEach("diskann-pq-rotate", params.threads(), samples, 256, () -> null,
                    (unused, i) -> r.apply(source, i * dimensions, projected, i * codeDims));
            training = projected;
        }
        float[] codeSpace = training;
        int chunks = params.chunks();
        float[][] centroidsT = new float[chunks][];
        PqKernels kernels = PqKernels.get();
        Workers.forEach("diskann-pq-train", Math.min(params.threads(), chunks), chunks, 1, () -> null, (unused, m) -> {
            int dims = offsets[m + 1] - offsets[m];
            float[] points = new float[samples * dims];
            for (int i = 0; i < samples; i++) {
                System.arraycopy(codeSpace, i * codeDims + offsets[m], points, i * dims, dims);
            }
            centroidsT[m] = KMeans.train(points, samples, dims, params.iterations(), params.seed() + 31L * m, kernels);
        });
        return new ProductQuantizer(dimensions, metric, offsets, centroidsT, mean, rotation);
    }

    /** M balanced contiguous ranges: the first {@code dims % M} chunks get one dimension more. */
    static int[] chunkOffsets(int dimensions, int chunks) {
        int[] offsets = new int[chunks + 1];
        int base = dimensions / chunks;
        int extra = dimensions % chunks;
        for (int m = 0; m < chunks; m++) {
            offsets[m + 1] = offsets[m] + base + (m < extra ? 1 : 0);
        }
        return offsets;
    }

    private static int[] sample(int n, int samples, long seed) {
        int[] all = new int[n];
        for (int i = 0; i < n; i++) {
            all[i] = i;
        }
        if (samples == n) {
            return all;
        }
        SplittableRandom random = new SplittableRandom(seed);
        for (int i = 0; i < samples; i++) {
            int j = i + random.nextInt(n - i);
            int t = all[i];
            all[i] = all[j];
            all[j] = t;
        }
        int[] out = Arrays.copyOf(all, samples);
        Arrays.sort(out);
        return out;
    }

    static void checkVector(float[] v, int dimensions, String what) {
        if (v == null || v.length != dimensions) {
            throw new IllegalArgumentException(what + ": expected " + dimensions + " dimensions, got "
                    + (v == null ? "null" : v.length));
        }
        for (int d = 0; d < dimensions; d++) {
            if (!Float.isFinite(v[d])) {
                throw new IllegalArgumentException(what + ": component " + d + " is " + v[d]);
            }
        }
    }

    static void normalizeInPlace(float[] a, int off, int dims) {
        double norm = 0;
        for (int d = 0; d < dims; d++) {
            norm += (double) a[off + d] * a[off + d];
        }
        if (norm > 0) {
            float inv = (float) (1 / Math.sqrt(norm));
            for (int d = 0; d < dims; d++) {
                a[off + d] *= inv;
            }
        }
    }

    /**
     * Components per input vector.
     *
     * @return the dimensions
     */
    public int dimensions() {
        return dimensions;
    }

    /**
     * The distance the codes approximate.
     *
     * @return the metric
     */
    public Metric metric() {
        return metric;
    }

    /**
     * M: bytes per code.
     *
     * @return M
     */
    public int chunks() {
        return centroidsT.length;
    }

    /**
     * Dimensions of the space the chunks cut: the vector's own, or D' when trained with a rotation that
     * keeps only the strongest D' directions.
     *
     * @return the dimensions of the quantized space
     */
    public int codeDimensions() {
        return codeDimensions;
    }

    /**
     * Whether vectors are rotated (PCA with eigenvalue allocation) before quantization.
     *
     * @return whether rotated
     */
    public boolean rotated() {
        return rotation != null;
    }

    /**
     * Share of the training variance the rotation keeps (1 without a rotation or when it keeps all).
     *
     * @return the share kept
     */
    public float rotationVarianceKept() {
        return rotation == null ? 1f : rotation.varianceKept();
    }

    /**
     * Bytes of the codebook (centroids, mean and rotation) in memory.
     *
     * @return bytes
     */
    public long codebookBytes() {
        return (long) codeDimensions * K * Float.BYTES + (mean == null ? 0 : (long) dimensions * Float.BYTES)
                + (rotation == null ? 0 : rotation.bytes());
    }

    int[] offsets() {
        return offsets;
    }

    float[][] centroidsTransposed() {
        return centroidsT;
    }

    float[] mean() {
        return mean;
    }

    PcaRotation rotation() {
        return rotation;
    }

    PqKernels kernels() {
        return kernels;
    }

    /**
     * Scratch for {@link #encode}: one per thread.
     *
     * @return new scratch
     */
    public float[] newEncodeScratch() {
        return new float[dimensions + codeDimensions + K];
    }

    /**
     * Encodes {@code vector} into {@code chunks()} bytes at {@code out[offset..]}.
     *
     * @param vector the vector, of {@link #dimensions()} finite components
     * @param out receives the code
     * @param offset where in {@code out} the code starts
     * @param scratch from {@link #newEncodeScratch}, owned by the calling thread
     * @throws IllegalArgumentException on a dimension mismatch or a non-finite component
     */
    public void encode(float[] vector, byte[] out, int offset, float[] scratch) {
        checkVector(vector, dimensions, "vector");
        System.arraycopy(vector, 0, scratch, 0, dimensions);
        int at = toCodeSpace(scratch);
        int distances = dimensions + codeDimensions;
        for (int m = 0; m < centroidsT.length; m++) {
            int dims = offsets[m + 1] - offsets[m];
            kernels.squareDistances(scratch, at + offsets[m], dims, centroidsT[m], 0, scratch, distances);
            out[offset + m] = (byte) kernels.argmin256(scratch, distances);
        }
    }

    /**
     * Normalizes (cosine) and centres (when trained so) {@code v[0..dimensions)} in place, then rotates it
     * into {@code v[dimensions .. dimensions + codeDimensions)} when trained with a rotation; returns where
     * the code-space vector starts.
     */
    int toCodeSpace(float[] v) {
        if (metric == Metric.COSINE) {
            normalizeInPlace(v, 0, dimensions);
        }
        if (mean != null) {
            for (int d = 0; d < dimensions; d++) {
                v[d] -= mean[d];
            }
        }
        if (rotation == null) {
            return 0;
        }
        rotation.apply(v, 0, v, dimensions);
        return dimensions;
    }

    /**
     * The vector a code stands for: its centroids plus the mean (for cosine, an approximation of the
     * normalized vector).
     *
     * @param code the array holding the code ({@link #chunks()} bytes)
     * @param offset where the code starts
     * @return the decoded vector
     */
    public float[] decode(byte[] code, int offset) {
        float[] inCodeSpace = new float[codeDimensions];
        for (int m = 0; m < centroidsT.length; m++) {
            int c = code[offset + m] & 0xFF;
            for (int d = offsets[m]; d < offsets[m + 1]; d++) {
                inCodeSpace[d] = centroidsT[m][(d - offsets[m]) * K + c];
            }
        }
        float[] out = inCodeSpace;
        if (rotation != null) {
            out = new float[dimensions];
            rotation.applyTransposed(inCodeSpace, out);
        }
        if (mean != null) {
            for (int d = 0; d < dimensions; d++) {
                out[d] += mean[d];
            }
        }
        return out;
    }

    /**
     * Encodes {@code n} vectors in parallel into a new array of {@code n * chunks()} bytes.
     *
     * @param n number of vectors
     * @param rows supplies vector i (called from several threads, so it must be thread-safe)
     * @param threads worker threads
     * @return the codes, vector i's at {@code i * chunks()}
     * @throws IllegalArgumentException if a vector has the wrong dimension or a non-finite component
     */
    public byte[] encodeAll(int n, IntFunction<float[]> rows, int threads) {
        byte[] codes = new byte[Math.multiplyExact(n, chunks())];
        Workers.forEach("diskann-pq-encode", threads, n, 256, this::newEncodeScratch,
                (scratch, i) -> encode(rows.apply(i), codes, i * chunks(), scratch));
        return codes;
    }

    /**
     * A new, reusable per-query distance table (one per thread).
     *
     * @return a new table
     */
    public DistanceTable newTable() {
        return new DistanceTable(this);
    }
}
