package io.diskann.disk;

import java.util.Arrays;

/**
 * The nodes whose PQ codes choose where a disk search starts ({@link DiskOptions#entrySample}): spread evenly over
 * the file's numbering (breadth-first from the medoid, so the stride reaches every part of the graph), the medoid
 * among them. Scoring them costs table look-ups in RAM; each hop it saves from the medoid towards the query's
 * region would have cost a read. Immutable; shared by all searchers of an index.
 */
final class EntrySample {
    private final int[] nodes;

    private EntrySample(int[] nodes) {
        this.nodes = nodes;
    }

    /**
     * {@code size} nodes of {@code count} at an even stride, {@code entry} replacing the first when the stride misses it.
     *
     * @param count nodes in the index
     * @param size nodes to sample, 0 for none (every search starts at the entry)
     * @param entry the medoid
     * @return the sample
     */
    static EntrySample spread(int count, int size, int entry) {
        if (size < 0 || size > count) {
            throw new IllegalArgumentException("sample size must be in 0.." + count + ", got " + size);
        }
        int[] nodes = new int[size];
        for (int i = 0; i < size; i++) {
            nodes[i] = (int) ((long) i * count / size);
        }
        if (size > 0 && entry >= 0 && entry < count && Arrays.stream(nodes).noneMatch(n -> n == entry)) {
            nodes[0] = entry;
        }
        return new EntrySample(nodes);
    }

    int size() {
        return nodes.length;
    }

    /** RAM held: the node numbers. */
    long bytes() {
        return 4L * nodes.length;
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
        scorer.scoreBatch(nodes, nodes.length, scratch);
        int best = 0;
        for (int i = 1; i < nodes.length; i++) {
            if (scratch[i] < scratch[best]) {
                best = i;
            }
        }
        return nodes[best];
    }
}
