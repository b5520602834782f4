package io.diskann.disk;

/**
 * How a disk index is opened: the I/O mode, the node cache, the reader threads, how a search schedules
 * its reads.
 *
 * @param ioMode direct (O_DIRECT) or page-cache reads
 * @param cacheNodes nodes held in memory, the nearest to the entry point by BFS (DiskANN's
 *     {@code num_nodes_to_cache}), rounded up to whole sectors; 0 for none
 * @param ioThreads whether the reads of a round are issued in parallel in direct mode without kernel AIO: 0 reads
 *     them on the searching thread, one after another; more than 0 issues each extra read on a virtual thread
 *     (docs/PERFORMANCE.md section 30: 1.2-1.3x the sequential reads on Fashion-MNIST at W=2)
 * @param pipelined whether a search keeps W reads in flight and scores each record as it arrives (the
 *     default), or reads in rounds of W and waits for the whole round, as Microsoft DiskANN does. Both walk
 *     the graph in an order that depends on the data only, so every I/O mode returns the same results;
 *     measured on Fashion-MNIST in direct mode (docs/PERFORMANCE.md section 17) the pipeline is ahead from
 *     W = 4 on, where a round waits for its slowest read
 * @param sectorMates whether a search also scores, at full precision, the other records of each sector
 *     it reads (when records are smaller than a sector) and lets them compete for the results (the
 *     default). They arrive with the read at no I/O cost, and the breadth-first layout puts siblings
 *     of the graph side by side, so they are near the node read. Why: with few PQ bytes the traversal's
 *     ranking is coarse and the re-ranked pool decides the recall (as Starling, Wang et al. SIGMOD 2024,
 *     uses whole blocks); figures in docs/PERFORMANCE.md section 24
 * @param entrySample how many nodes, spread evenly over the file, are scored on their PQ codes (in RAM, no
 *     read) at the start of each search, the closest becoming the search's start instead of the medoid;
 *     0 starts every search at the medoid, as Microsoft DiskANN does; {@link #AUTO_ENTRY_SAMPLE} (the
 *     default) picks {@link #autoEntrySample}. Why: the first hops from the medoid towards the query's
 *     region each cost a read; on Fashion-MNIST 256 sampled nodes cut the reads at L = 20 from 26.9 to 21.7
 *     at the same recall, for ~25,000 table look-ups (docs/PERFORMANCE.md section 27)
 * @param kernelAio whether direct mode reads through Linux kernel AIO ({@code io_submit}, called through the FFM
 *     API) where the kernel allows it (the default), or always through {@code FileChannel} positional reads opened
 *     with {@code ExtendedOpenOption.DIRECT}, each extra read of a round on a virtual thread ({@link #ioThreads}). Why the switch: kernel
 *     AIO needs native access and an {@code aio-max-nr} budget that some containers withhold; the portable path
 *     gives the same results (it is tested to) at one thread hand-off per read. Page-cache and mapped modes
 *     ignore it
 */
public record DiskOptions(IoMode ioMode, int cacheNodes, int ioThreads, boolean pipelined, boolean sectorMates,
                          int entrySample, boolean kernelAio) {

    /**
     * Options reading through kernel AIO in direct mode where it works (the default).
     *
     * @param ioMode direct or page-cache reads
     * @param cacheNodes nodes held in memory; 0 for none
     * @param ioThreads reader threads for direct mode without kernel AIO
     * @param pipelined whether reads are pipelined
     * @param sectorMates whether sector mates are scored
     * @param entrySample nodes scored to choose the start; 0 for the medoid, {@link #AUTO_ENTRY_SAMPLE} for automatic
     */
    public DiskOptions(IoMode ioMode, int cacheNodes, int ioThreads, boolean pipelined, boolean sectorMates,
                       int entrySample) {
        this(ioMode, cacheNodes, ioThreads, pipelined, sectorMates, entrySample, true);
    }

    /** {@link #entrySample} value asking for {@link #autoEntrySample}. */
    public static final int AUTO_ENTRY_SAMPLE = -1;

    /** Largest {@link #entrySample}: the per-query scoring grows with it. */
    public static final int MAX_ENTRY_SAMPLE = 1 << 16;

    /**
     * Options with the automatic entry sample.
     *
     * @param ioMode direct or page-cache reads
     * @param cacheNodes nodes held in memory; 0 for none
     * @param ioThreads reader threads for direct mode without kernel AIO
     * @param pipelined whether reads are pipelined
     * @param sectorMates whether sector mates are scored
     */
    public DiskOptions(IoMode ioMode, int cacheNodes, int ioThreads, boolean pipelined, boolean sectorMates) {
        this(ioMode, cacheNodes, ioThreads, pipelined, sectorMates, AUTO_ENTRY_SAMPLE);
    }

    /**
     * Options scoring sector mates (the default).
     *
     * @param ioMode direct or page-cache reads
     * @param cacheNodes nodes held in memory; 0 for none
     * @param ioThreads reader threads for direct mode without kernel AIO
     * @param pipelined whether reads are pipelined
     */
    public DiskOptions(IoMode ioMode, int cacheNodes, int ioThreads, boolean pipelined) {
        this(ioMode, cacheNodes, ioThreads, pipelined, true, AUTO_ENTRY_SAMPLE);
    }

    /**
     * Options with pipelined reads (the default schedule).
     *
     * @param ioMode direct or page-cache reads
     * @param cacheNodes nodes held in memory; 0 for none
     * @param ioThreads reader threads for direct mode without kernel AIO
     */
    public DiskOptions(IoMode ioMode, int cacheNodes, int ioThreads) {
        this(ioMode, cacheNodes, ioThreads, true, true, AUTO_ENTRY_SAMPLE);
    }

    /** Checks the fields. */
    public DiskOptions {
        if (ioMode == null) {
            throw new IllegalArgumentException("ioMode is null");
        }
        if (cacheNodes < 0) {
            throw new IllegalArgumentException("cacheNodes must be >= 0, got " + cacheNodes);
        }
        if (ioThreads < 0 || ioThreads > 256) {
            throw new IllegalArgumentException("ioThreads must be in 0..256, got " + ioThreads);
        }
        if (entrySample < AUTO_ENTRY_SAMPLE || entrySample > MAX_ENTRY_SAMPLE) {
            throw new IllegalArgumentException("entrySample must be in 0.." + MAX_ENTRY_SAMPLE + " (or -1 for automatic), got "
                    + entrySample);
        }
    }

    /**
     * The entry sample used for an index of {@code count} nodes with {@code pqBytes} code bytes each: the larger of
     * about 25,000 table look-ups per query (255 nodes at 98 bytes, 1,666 at 15; at least 64, at most 4,096) and one
     * node in 256 (19,531 at 5M), never more than one node in 16 or {@link #MAX_ENTRY_SAMPLE}.
     *
     * <p>Why both: the look-ups are a fraction of one read's time, and on Fashion-MNIST more nodes gave diminishing
     * returns (L = 20: 21.7 reads with 256, 20.9 with 1,024, 20.3 with 4,096, 26.9 from the medoid). But a large
     * index needs the sample to cover its regions: on 5M x 128 u8 (subspace set, 15 bytes, W = 4, L = 160) a start
     * chosen among 1,666 nodes reached recall@10 0.805, below the medoid's 0.852, while 4,096 reached 0.896 and
     * 20,000 reached 0.984 with fewer reads (160.5 against 193.0) for about 120 us more CPU per query
     * (docs/PERFORMANCE.md section 28). A start close on the codes but in a region the graph links poorly to the
     * query's neighbours costs more than it saves; one node in 256 made that rare on every set measured.
     *
     * @param count nodes in the index
     * @param pqBytes PQ code bytes per node
     * @return the number of nodes to sample, 0 when the index is too small to need it
     */
    public static int autoEntrySample(int count, int pqBytes) {
        if (count < 1024) {
            return 0;
        }
        int byLookups = Math.max(64, Math.min(4096, 25_000 / Math.max(1, pqBytes)));
        int byCoverage = Math.min(MAX_ENTRY_SAMPLE, count / 256);
        return Math.min(Math.max(byLookups, byCoverage), count / 16);
    }

    /**
     * The entry sample for an index of {@code count} nodes with {@code pqBytes} code bytes.
     *
     * @param count nodes in the index
     * @param pqBytes PQ code bytes per node
     * @return {@link #entrySample}, or {@link #autoEntrySample} when it is automatic; never more than {@code count}
     */
    public int entrySampleFor(int count, int pqBytes) {
        return entrySample == AUTO_ENTRY_SAMPLE ? autoEntrySample(count, pqBytes) : Math.min(entrySample, count);
    }

    /**
     * Page-cache reads, no node cache, reads on the searching thread, pipelined.
     *
     * @return the defaults
     */
    public static DiskOptions defaults() {
        return new DiskOptions(IoMode.PAGE_CACHE, 0, 0);
    }

    /**
     * A builder starting from {@link #defaults()}.
     *
     * @return the builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /** Builds {@link DiskOptions}. */
    public static final class Builder {
        private IoMode ioMode = IoMode.PAGE_CACHE;
        private int cacheNodes;
        private int ioThreads = -1;
        private boolean pipelined = true;
        private boolean sectorMates = true;
        private int entrySample = AUTO_ENTRY_SAMPLE;
        private boolean kernelAio = true;

        private Builder() {
        }

        /**
         * Sets the I/O mode.
         *
         * @param m the mode
         * @return this builder
         */
        public Builder ioMode(IoMode m) {
            this.ioMode = m;
            return this;
        }

        /**
         * Sets how many nodes to cache.
         *
         * @param n nodes, 0 for none
         * @return this builder
         */
        public Builder cacheNodes(int n) {
            this.cacheNodes = n;
            return this;
        }

        /**
         * Sets the reader threads (default: 2 in direct mode, 0 in page-cache mode). Where kernel AIO is not used,
         * more than 0 reads a round's W sectors in parallel, each extra read on a virtual thread; such a
         * direct-mode index then reads in rounds.
         *
         * @param t threads, 0 to read on the searching thread
         * @return this builder
         */
        public Builder ioThreads(int t) {
            this.ioThreads = t;
            return this;
        }

        /**
         * Sets how a search schedules its reads (default: pipelined).
         *
         * @param p true to keep W reads in flight and score each as it arrives; false for rounds of W reads
         * @return this builder
         */
        public Builder pipelined(boolean p) {
            this.pipelined = p;
            return this;
        }

        /**
         * Sets whether searches score the other records of each sector they read (default: true).
         *
         * @param s true to let a read's sector mates compete for the results
         * @return this builder
         */
        public Builder sectorMates(boolean s) {
            this.sectorMates = s;
            return this;
        }

        /**
         * Sets how many nodes are scored to choose each search's start (see {@link DiskOptions#entrySample}).
         *
         * @param n nodes, 0 to start at the medoid, {@link DiskOptions#AUTO_ENTRY_SAMPLE} for the default
         * @return this builder
         */
        public Builder entrySample(int n) {
            this.entrySample = n;
            return this;
        }

        /**
         * Sets whether direct mode may read through kernel AIO (default: true; see {@link DiskOptions#kernelAio}).
         *
         * @param k false to read through {@code FileChannel} with O_DIRECT on the reader threads
         * @return this builder
         */
        public Builder kernelAio(boolean k) {
            this.kernelAio = k;
            return this;
        }

        /**
         * Builds the options.
         *
         * @return the options
         */
        public DiskOptions build() {
            int threads = ioThreads >= 0 ? ioThreads : (ioMode == IoMode.DIRECT ? 2 : 0);
            return new DiskOptions(ioMode, cacheNodes, threads, pipelined, sectorMates, entrySample, kernelAio);
        }
    }
}
