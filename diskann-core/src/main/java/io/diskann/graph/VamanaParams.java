package io.diskann.graph;

/**
 * Construction parameters of a Vamana graph, validated on creation.
 *
 * @param maxDegree R, the most out-neighbours a node keeps after construction (DiskANN default 64)
 * @param buildListSize L_build, the search list size used to find a new node's candidates (default
 *     {@link #defaultBuildListSize}: 64, or R if larger; a bulk build of at least {@link #LARGE_BUILD} vectors
 *     uses {@link #largeBuildListSize} instead when L_build was not given: see {@link #buildListSizeFor(long)})
 * @param alpha the pruning slack: larger keeps more long edges, a shorter search path for a larger graph
 *     (default 1.2; 1.0 gives a relative-neighbourhood graph)
 * @param maxCandidates maxc, the most candidates robust prune considers (DiskANN: 750)
 * @param slackFactor a node may collect {@code ceil(slackFactor * R)} back edges before it is re-pruned
 *     (DiskANN's GRAPH_SLACK_FACTOR, 1.3)
 * @param saturate whether prune fills free slots with the closest occluded candidates (default false)
 * @param threads worker threads for construction, consolidation and batch search (default: available
 *     processors). A property of the machine, not of the index: it is not saved, and a loaded index uses
 *     the loading machine's processors
 * @param consolidateThreshold when deleted slots reach this fraction of live plus deleted ones, a delete
 *     runs {@code consolidate()} itself (default 0: never; consolidate explicitly)
 * @param ipEntryDirections inner-product indexes only: searches also start from the vectors with the
 *     largest inner product in this many data directions (default 128; 0: the start point only). Saved
 *     with the index. Measured: u8 recall@10 0.93-0.96 with 0, 0.996 with 128 (docs/PERFORMANCE.md)
 * @param buildListSizeGiven whether {@code buildListSize} was chosen by the caller (true) or is the default
 *     (false), which a large bulk build may replace ({@link #buildListSizeFor(long)}). Not saved: a loaded index
 *     holds the L_build its graph was built with, as given
 */
public record VamanaParams(int maxDegree, int buildListSize, float alpha, int maxCandidates, float slackFactor,
                           boolean saturate, int threads, float consolidateThreshold, int ipEntryDirections,
                           boolean buildListSizeGiven) {

    /**
     * Bulk builds of at least this many vectors use {@link #largeBuildListSize} when L_build was not given
     * ({@link #buildListSizeFor(long)}).
     */
    public static final int LARGE_BUILD = 500_000;

    /**
     * Default of {@link #ipEntryDirections}; {@code -Ddiskann.mips.entries} overrides it, a developer
     * switch for A/B measurements only.
     */
    public static final int DEFAULT_IP_ENTRY_DIRECTIONS = Integer.getInteger("diskann.mips.entries", 128);

    /**
     * L_build when none is given: 64, or R if larger (a node's prune chooses from the nodes its search
     * expanded, so fewer than R would cap its degree).
     *
     * <p>Why not DiskANN's 100: measured on 2 threads, L_build 64 built in 0.69x the time at the same
     * recall and QPS at recall@10 = 0.99 (1M x 128: 184 s against 268 s, recall 0.9919 / 0.9920 at L=32;
     * Fashion-MNIST: 11.1-12.6 s against 16.8-17.2 s, 0.9895 / 0.9919 at L=16, QPS at 0.99 equal).
     * PERFORMANCE.md section 18.
     *
     * @param maxDegree R
     * @return the default L_build for that R
     */
    public static int defaultBuildListSize(int maxDegree) {
        return Math.max(64, maxDegree);
    }

    /**
     * L_build of a bulk build of at least {@link #LARGE_BUILD} vectors when none is given: 48, or 3R/4 if
     * larger (a node's prune chooses from every node its walk scored, several hundred, so a list shorter than R
     * does not cap its degree).
     *
     * <p>One-piece builds only: the disk index's partitioned build keeps {@link #buildListSize} for its parts and
     * their refinement, as measured there.
     *
     * <p>Why: a 1M x 128 build spends half its time in the candidate walks, each expanding at least L_build
     * nodes whose neighbours' rows miss every cache. With 48 instead of 64 the build took 0.70-0.75x the time, and the
     * search needed 1.5% more distances per query at recall@10 = 0.99 (0-5% fewer queries per second; PERFORMANCE.md
     * sections 36 and 39). {@link Builder#buildListSize(int)} keeps 64 or any other list.
     * Smaller builds keep 64: Fashion-MNIST builds in 5-7 s and has nothing to trade.
     *
     * @param maxDegree R
     * @return the default L_build of a large bulk build for that R
     */
    public static int largeBuildListSize(int maxDegree) {
        return Math.max(48, (3 * maxDegree + 3) / 4);
    }

    /**
     * The L_build a bulk build of {@code n} vectors uses: {@link #buildListSize} when it was given, else
     * {@link #largeBuildListSize} from {@link #LARGE_BUILD} vectors and {@link #defaultBuildListSize} below.
     *
     * @param n the vectors the build links
     * @return L_build for that build
     */
    public int buildListSizeFor(long n) {
        return buildListSizeFor(n, LARGE_BUILD);
    }

    /** As {@link #buildListSizeFor(long)} with another threshold (tests build smaller graphs). */
    int buildListSizeFor(long n, long largeFrom) {
        return buildListSizeGiven || n < largeFrom ? buildListSize : largeBuildListSize(maxDegree);
    }

    /**
     * Parameters with L_build given as such (a file's, a caller's own record).
     *
     * @param maxDegree R
     * @param buildListSize L_build
     * @param alpha alpha
     * @param maxCandidates maxc
     * @param slackFactor the back-edge slack
     * @param saturate whether prune saturates
     * @param threads worker threads
     * @param consolidateThreshold the automatic consolidation threshold
     * @param ipEntryDirections inner-product entry directions
     */
    public VamanaParams(int maxDegree, int buildListSize, float alpha, int maxCandidates, float slackFactor,
                        boolean saturate, int threads, float consolidateThreshold, int ipEntryDirections) {
        this(maxDegree, buildListSize, alpha, maxCandidates, slackFactor, saturate, threads, consolidateThreshold,
                ipEntryDirections, true);
    }

    /**
     * The defaults: R=64, L_build=64 ({@link #defaultBuildListSize}; 48 for bulk builds of at least
     * {@link #LARGE_BUILD} vectors, {@link #largeBuildListSize}), alpha=1.2, maxc=750, slack 1.3, no
     * saturation, all cores. DiskANN's, except L_build (DiskANN: 100).
     *
     * @return the default parameters
     */
    public static VamanaParams defaults() {
        return builder().build();
    }

    /**
     * Validates the parameters.
     *
     * @throws IllegalArgumentException naming the first parameter out of range: R in 1..4096, L_build in
     *     1..100000, alpha in [1, 10], maxc at least R, slack in [1, 4], threads in 1..4096, consolidation
     *     threshold in [0, 1), entry directions in 0..65536
     */
    public VamanaParams {
        require(maxDegree >= 1 && maxDegree <= 4096, "maxDegree (R) must be in 1..4096, got " + maxDegree);
        require(buildListSize >= 1 && buildListSize <= 100_000, "buildListSize (L_build) must be in 1..100000, got " + buildListSize);
        require(Float.isFinite(alpha) && alpha >= 1f && alpha <= 10f, "alpha must be in [1, 10], got " + alpha);
        require(maxCandidates >= maxDegree, "maxCandidates (" + maxCandidates + ") must be at least maxDegree (" + maxDegree + ")");
        require(Float.isFinite(slackFactor) && slackFactor >= 1f && slackFactor <= 4f, "slackFactor must be in [1, 4], got " + slackFactor);
        require(threads >= 1 && threads <= 4096, "threads must be in 1..4096, got " + threads);
        require(consolidateThreshold >= 0f && consolidateThreshold < 1f,
                "consolidateThreshold must be in [0, 1), got " + consolidateThreshold);
        require(ipEntryDirections >= 0 && ipEntryDirections <= 65_536,
                "ipEntryDirections must be in 0..65536, got " + ipEntryDirections);
    }

    private static void require(boolean ok, String message) {
        if (!ok) {
            throw new IllegalArgumentException(message);
        }
    }

    /**
     * The degree a node may reach during construction before it is re-pruned.
     *
     * @return {@code ceil(slackFactor * maxDegree)}
     */
    public int slackDegree() {
        return (int) Math.ceil(slackFactor * maxDegree);
    }

    /**
     * Starts a builder holding the defaults (see {@link #defaults()}).
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * These parameters with another thread count (as a loaded index takes the loading machine's).
     *
     * @param t worker threads, 1..4096
     * @return a copy with {@code t} threads
     */
    public VamanaParams withThreads(int t) {
        return new VamanaParams(maxDegree, buildListSize, alpha, maxCandidates, slackFactor, saturate, t,
                consolidateThreshold, ipEntryDirections, buildListSizeGiven);
    }

    /**
     * These parameters with another build list size (the partitioned disk build's part graphs).
     *
     * @param l the candidate list size, at least 1
     * @return a validated copy with {@code l} as L_build
     */
    public VamanaParams withBuildListSize(int l) {
        return new VamanaParams(maxDegree, l, alpha, maxCandidates, slackFactor, saturate, threads,
                consolidateThreshold, ipEntryDirections, true);
    }

    /** Builder with the {@link #defaults()}; {@link #build()} validates. */
    public static final class Builder {
        private int maxDegree = 64;
        /** Until set: {@link #defaultBuildListSize} of the final R. */
        private Integer buildListSize;
        private float alpha = 1.2f;
        private int maxCandidates = 750;
        private float slackFactor = 1.3f;
        private boolean saturate;
        private int threads = Runtime.getRuntime().availableProcessors();
        private float consolidateThreshold;
        private int ipEntryDirections = DEFAULT_IP_ENTRY_DIRECTIONS;

        private Builder() {
        }

        /**
         * Inner-product entry directions; see {@link VamanaParams#ipEntryDirections}.
         *
         * @param directions data directions searched from (0..65536; 0: the start point only)
         * @return this builder
         */
        public Builder ipEntryDirections(int directions) {
            this.ipEntryDirections = directions;
            return this;
        }

        /**
         * Deleted fraction at which a delete consolidates itself (default 0: never); see
         * {@link VamanaParams#consolidateThreshold}.
         *
         * @param fraction deleted share of live plus deleted slots, in [0, 1)
         * @return this builder
         */
        public Builder consolidateThreshold(float fraction) {
            this.consolidateThreshold = fraction;
            return this;
        }

        /**
         * R, the most out-neighbours per node (default 64).
         *
         * @param r in 1..4096
         * @return this builder
         */
        public Builder maxDegree(int r) {
            this.maxDegree = r;
            return this;
        }

        /**
         * L_build, the search list size of construction (default {@link #defaultBuildListSize}: 64, or R if
         * larger; {@link #largeBuildListSize} for bulk builds of at least {@link #LARGE_BUILD} vectors).
         * Given here, it is used for every build whatever its size.
         *
         * @param l in 1..100000
         * @return this builder
         */
        public Builder buildListSize(int l) {
            this.buildListSize = l;
            return this;
        }

        /**
         * The pruning slack alpha (default 1.2).
         *
         * @param a in [1, 10]; larger keeps more long edges
         * @return this builder
         */
        public Builder alpha(float a) {
            this.alpha = a;
            return this;
        }

        /**
         * maxc, the most candidates robust prune considers (default 750).
         *
         * @param c candidates; raised to R if smaller
         * @return this builder
         */
        public Builder maxCandidates(int c) {
            this.maxCandidates = c;
            return this;
        }

        /**
         * The back-edge slack factor (default 1.3); see {@link VamanaParams#slackDegree()}.
         *
         * @param s in [1, 4]
         * @return this builder
         */
        public Builder slackFactor(float s) {
            this.slackFactor = s;
            return this;
        }

        /**
         * Whether prune fills free slots with the closest occluded candidates (default false).
         *
         * @param s true to saturate
         * @return this builder
         */
        public Builder saturate(boolean s) {
            this.saturate = s;
            return this;
        }

        /**
         * Worker threads for construction, consolidation and batch search (default: available processors).
         *
         * @param t in 1..4096
         * @return this builder
         */
        public Builder threads(int t) {
            this.threads = t;
            return this;
        }

        /**
         * Builds the parameters; {@code maxCandidates} is raised to {@code maxDegree} if smaller.
         *
         * @return the validated parameters
         * @throws IllegalArgumentException if a value is out of range
         */
        public VamanaParams build() {
            int l = buildListSize != null ? buildListSize : defaultBuildListSize(maxDegree);
            return new VamanaParams(maxDegree, l, alpha, Math.max(maxCandidates, maxDegree), slackFactor,
                    saturate, threads, consolidateThreshold, ipEntryDirections, buildListSize != null);
        }
    }
}
