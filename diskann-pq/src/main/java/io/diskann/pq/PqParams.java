package io.diskann.pq;

/**
 * How a {@link ProductQuantizer} is trained.
 *
 * <p>Why these knobs: {@code chunks} (M) sets the code size (one byte per chunk) and so the trade between
 * memory and accuracy; the rest follow DiskANN's defaults (12 Lloyd iterations, at most 256k training
 * samples) and only change the training time. Training is seeded, so the same data and parameters give
 * the same codebook.
 *
 * @param chunks          M, the number of sub-vectors (1..dimensions); each is encoded in one byte
 * @param iterations      Lloyd iterations after k-means++ initialisation (DiskANN: 12)
 * @param maxTrainingSamples at most this many vectors (a seeded sample) train the codebook
 * @param centre          subtract the training mean before quantizing (helps L2 on data that is not centred)
 * @param seed            seed of the sample and of k-means++
 * @param threads         training and encoding threads
 * @param rotate          quantize in the principal-component space of the training data, its directions
 *                        dealt to the chunks by variance (OPQ's parametric solution, {@code PcaRotation});
 *                        implies centring. Costs a {@code D' x D} projection per query and per encoded vector
 * @param rotatedDimensions with {@code rotate}: keep only the strongest D' directions (0: all of them).
 *                        Fewer make queries cheaper (projection and table) at the price of the variance
 *                        left out, which only the rerank sees
 * @param lookup          how searches sum a code's table entries ({@link PqLookup}); a tuning choice that
 *                        does not shape the codes, so it is not saved (change it with
 *                        {@link PqIndex#lookup(PqLookup)})
 */
public record PqParams(int chunks, int iterations, int maxTrainingSamples, boolean centre, long seed, int threads,
                       boolean rotate, int rotatedDimensions, PqLookup lookup) {

    /** Centroids per chunk: codes are one byte. */
    public static final int CENTROIDS = 256;

    /**
     * Validates the parameters.
     *
     * @throws IllegalArgumentException if {@code chunks < 1}, {@code iterations < 0},
     *     {@code maxTrainingSamples < 256}, {@code threads < 1}, {@code rotatedDimensions} is negative, set
     *     without {@code rotate} or below {@code chunks}, or {@code lookup} is null
     */
    public PqParams {
        if (chunks < 1) {
            throw new IllegalArgumentException("chunks (M) must be at least 1, got " + chunks);
        }
        if (iterations < 0) {
            throw new IllegalArgumentException("iterations must not be negative, got " + iterations);
        }
        if (maxTrainingSamples < CENTROIDS) {
            throw new IllegalArgumentException("maxTrainingSamples must be at least " + CENTROIDS + ", got "
                    + maxTrainingSamples);
        }
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be at least 1, got " + threads);
        }
        if (rotatedDimensions < 0) {
            throw new IllegalArgumentException("rotatedDimensions must not be negative (0 keeps all), got "
                    + rotatedDimensions);
        }
        if (rotatedDimensions > 0 && !rotate) {
            throw new IllegalArgumentException("rotatedDimensions (" + rotatedDimensions + ") needs rotate(true)");
        }
        if (lookup == null) {
            throw new IllegalArgumentException("lookup is null");
        }
        if (rotatedDimensions > 0 && rotatedDimensions < chunks) {
            throw new IllegalArgumentException("rotatedDimensions must be at least chunks (" + chunks
                    + "): each chunk needs a dimension, got " + rotatedDimensions);
        }
    }

    /**
     * How many principal directions to quantize when the choice is left to the library: four per code byte (rounded
     * up to a multiple of 8), or all of them (0) when that is at least {@code dims}. Why four: fewer, stronger
     * directions per chunk quantize finer, and four per chunk led on both sets measured for the disk index
     * (docs/PERFORMANCE.md section 27): 1M x 128 u8 with 15 bytes, recall@10 at L=160 0.939 without a rotation,
     * 0.975 with 64 directions, 0.958 with 32 and 0.943 with all 128; Fashion-MNIST with 98 bytes at L=20, 0.980
     * without, 0.985 with 196 directions and 0.995 with 392.
     *
     * @param dims components per vector
     * @param chunks code bytes per vector
     * @return directions to keep, 0 for all
     */
    public static int autoRotatedDimensions(int dims, int chunks) {
        long want = ((4L * chunks + 7) / 8) * 8;
        return want >= dims ? 0 : (int) want;
    }

    /**
     * A builder for {@code chunks} bytes per code (M), defaults for the rest.
     *
     * @param chunks M, the number of sub-vectors and so the bytes per code (1..dimensions)
     * @return the builder
     */
    public static Builder builder(int chunks) {
        return new Builder(chunks);
    }

    /** Builder with DiskANN's defaults. */
    public static final class Builder {
        private final int chunks;
        private int iterations = 12;
        private int maxTrainingSamples = 256_000;
        private boolean centre = true;
        private long seed = 42;
        private int threads = Runtime.getRuntime().availableProcessors();
        private boolean rotate;
        private int rotatedDimensions;
        private PqLookup lookup = PqLookup.defaultLookup();

        private Builder(int chunks) {
            this.chunks = chunks;
        }

        /**
         * How searches sum codes (default {@link PqLookup#defaultLookup()}).
         *
         * @param l the look-up (not saved with the index)
         * @return this builder
         */
        public Builder lookup(PqLookup l) {
            this.lookup = l;
            return this;
        }

        /**
         * k-means iterations per chunk (default 12).
         *
         * @param n Lloyd iterations after k-means++ initialisation (0 or more)
         * @return this builder
         */
        public Builder iterations(int n) {
            this.iterations = n;
            return this;
        }

        /**
         * Most vectors sampled for training (default 256,000).
         *
         * @param n the sample size cap (at least 256)
         * @return this builder
         */
        public Builder maxTrainingSamples(int n) {
            this.maxTrainingSamples = n;
            return this;
        }

        /**
         * Whether vectors are centred (mean subtracted) before quantization (default true).
         *
         * @param c true to subtract the training mean
         * @return this builder
         */
        public Builder centre(boolean c) {
            this.centre = c;
            return this;
        }

        /**
         * Random seed of training (default 42).
         *
         * @param s seed of the training sample and of k-means++
         * @return this builder
         */
        public Builder seed(long s) {
            this.seed = s;
            return this;
        }

        /**
         * Threads for training and encoding (default: available processors).
         *
         * @param t thread count (at least 1)
         * @return this builder
         */
        public Builder threads(int t) {
            this.threads = t;
            return this;
        }

        /**
         * Quantize after a PCA rotation with eigenvalue allocation (see {@link PqParams#rotate}).
         *
         * @param r true to quantize in the principal-component space (implies centring)
         * @return this builder
         */
        public Builder rotate(boolean r) {
            this.rotate = r;
            return this;
        }

        /**
         * Rotate and keep the strongest {@code d} directions (0: all); see {@link PqParams#rotatedDimensions}.
         *
         * @param d directions kept (0: all; otherwise at least {@code chunks}); a positive value turns rotation on
         * @return this builder
         */
        public Builder rotatedDimensions(int d) {
            this.rotatedDimensions = d;
            if (d > 0) {
                this.rotate = true;
            }
            return this;
        }

        /**
         * Rotates and keeps {@link PqParams#autoRotatedDimensions} directions for vectors of {@code dims} components.
         *
         * @param dims components per vector
         * @return this builder
         */
        public Builder autoRotation(int dims) {
            this.rotate = true;
            this.rotatedDimensions = autoRotatedDimensions(dims, chunks);
            return this;
        }

        /**
         * Validates and builds.
         *
         * @return the parameters
         * @throws IllegalArgumentException if a value is out of range (see the record's constructor)
         */
        public PqParams build() {
            return new PqParams(chunks, iterations, maxTrainingSamples, centre, seed, threads, rotate, rotatedDimensions,
                    lookup);
        }
    }
}
