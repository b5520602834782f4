package io.diskann.disk;

import java.util.Arrays;

/**
 * The nodes whose PQ codes choose where a disk search starts ({@link DiskOptions#entrySample}): spread evenly over
 * the file's numbering (breadth-first from the medoid, so the stride reaches every part of the graph), the medoid
 * among them. Scoring them costs table look-ups in RAM; each hop it saves from the medoid towards the query's
 * region would have cost a read. Immutable; shared by all searchers of an index.
 *
 * <p>The sample keeps its own contiguous copy of its nodes' codes: spread over the whole code array they were a
 * cache miss or two each, and scoring 255 of them took 16.7% of a Fashion-MNIST disk query's CPU, about 100 ns per
 * code against 28 ns for the neighbours the search touches ahead of scoring (async-profiler, docs/PERFORMANCE.md
 * section 28). The copy (about 25 KB at Fashion-MNIST's automatic size) stays in the core's caches
 * from query to query.
 */
final class EntrySample {
    private final int[] nodes;
    /** The nodes' codes, {@code chunks} bytes each in sample order. */
    private final byte[] codes;

    private EntrySample(int[] nodes, byte[] codes) {
        this.nodes = nodes;
        this.codes = codes;
    }

    /**
     * {@code size} nodes of {@code count} at an even stride, {@code entry} replacing the first when the stride misses it.
     *
     * @param count nodes in the index
     * @param size nodes to sample, 0 for none (every search starts at the entry)
     * @param entry the medoid
     * @param codes the index's PQ codes, {@code chunks} bytes per node
     * @param chunks bytes per code
     * @return the sample
     */
    static EntrySample spread(int count, int size, int entry, byte[] codes, int chunks) {
        if (size < 0 || size > count) {
            throw new IllegalArgumentException("sample size must be in 0.." + count + ", got " + size);
        }
        if (chunks <= 0 || (long) count * chunks > codes.length) {
            throw new IllegalArgumentException("codes hold " + codes.length + " bytes, " + count + " codes of " + chunks
                    + " expected");
        }
        int[] nodes = new int[size];
        for (int i = 0; i < size; i++) {
            nodes[i] = (int) ((long) i * count / size);
        }
        if (size > 0 && entry >= 0 && entry < count && Arrays.stream(nodes).noneMatch(n -> n == entry)) {
            nodes[0] = entry;
        }
        byte[] own = new byte[size * chunks];
        for (int i = 0; i < size; i++) {
            System.arraycopy(codes, nodes[i] * chunks, own, i * chunks, chunks);
        }
        return new EntrySample(nodes, own);
    }

    int size() {
        return nodes.length;
    }

    /** RAM held: the node numbers and the codes' copy. */
    long bytes() {
        return 4L * nodes.length + codes.length;
    }

    /** A copy of the sampled nodes (for tests). */
    int[] nodes() {
        return nodes.clone();
    }

    /**
     * The sampled node closest to the scorer's query on PQ distances. One node, not several: on Fashion-MNIST the
     * best 4 as starts cost 0.8 more reads per query than the best one at the same recall (each start is expanded).
     *
     * @param scorer PQ distances to the current query
     * @param scratch at least {@link #size()} floats
     * @return the node to start from; the sample must not be empty
     */
    int closest(DiskPqScorer scorer, float[] scratch) {
        scorer.scoreCodes(codes, nodes.length, scratch);
        int best = 0;
        for (int i = 1; i < nodes.length; i++) {
            if (scratch[i] < scratch[best]) {
                best = i;
            }
        }
        return nodes[best];
    }
}
