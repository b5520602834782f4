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
 */
public record PqParams(int chunks, int iterations, int maxTrainingSamples, boolean centre, long seed, int threads) {

    /** Centroids per chunk: codes are one byte. */
    public static final int CENTROIDS = 256;

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
    }

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

        private Builder(int chunks) {
            this.chunks = chunks;
        }

        public Builder iterations(int n) {
            this.iterations = n;
            return this;
        }

        public Builder maxTrainingSamples(int n) {
            this.maxTrainingSamples = n;
            return this;
        }

        public Builder centre(boolean c) {
            this.centre = c;
            return this;
        }

        public Builder seed(long s) {
            this.seed = s;
            return this;
        }

        public Builder threads(int t) {
            this.threads = t;
            return this;
        }

        public PqParams build() {
            return new PqParams(chunks, iterations, maxTrainingSamples, centre, seed, threads);
        }
    }
}
