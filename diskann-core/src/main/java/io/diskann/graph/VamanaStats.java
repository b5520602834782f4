package io.diskann.graph;

import io.diskann.index.IndexStats;
import io.diskann.vector.Metric;
import io.diskann.vector.VectorType;

/**
 * A snapshot of a {@link VamanaIndex}'s shape and memory, for monitoring and for the evaluation tool.
 *
 * @param count number of live vectors
 * @param dimensions components per vector
 * @param type storage element type
 * @param metric distance metric
 * @param params construction parameters
 * @param minDegree smallest out-degree
 * @param meanDegree mean out-degree
 * @param maxDegree largest out-degree
 * @param vectorBytes bytes of vector storage (allocated, native memory)
 * @param graphBytes bytes of adjacency storage (allocated)
 * @param startPoint the id of the entry node of every search
 * @param deletedCount vectors deleted but not yet consolidated
 * @param freeSlots storage slots free for inserts without growing
 * @param traversal what searches traverse on
 * @param codeBytes bytes of the 8-bit traversal codes ({@link Traversal#SQ8}; 0 when exact)
 */
public record VamanaStats(int count, int dimensions, VectorType type, Metric metric, VamanaParams params,
                          int minDegree, double meanDegree, int maxDegree, long vectorBytes, long graphBytes,
                          int startPoint, int deletedCount, int freeSlots, Traversal traversal,
                          long codeBytes) implements IndexStats {

    /** Counts degrees over the live slots of {@code state}; the caller holds its read lock. */
    static VamanaStats of(GraphState state) {
        SlotTable slots = state.slots;
        int min = Integer.MAX_VALUE;
        int max = 0;
        long sum = 0;
        int live = 0;
        for (int i = 0; i < slots.highWater(); i++) {
            if (slots.isLive(i)) {
                int d = state.graph.degree(i);
                min = Math.min(min, d);
                max = Math.max(max, d);
                sum += d;
                live++;
            }
        }
        return new VamanaStats(live, state.dimensions, state.type, state.metric, state.params, live == 0 ? 0 : min,
                live == 0 ? 0 : (double) sum / live, max, state.vectors.bytes(), state.graph.bytes(),
                state.start < 0 ? -1 : slots.labelOf(state.start), slots.deletedCount(), slots.freeCount(),
                state.traversal, state.codes == null ? 0 : state.codes.codes.bytes());
    }

    /**
     * Vector, code and graph bytes.
     *
     * @return {@code vectorBytes + codeBytes + graphBytes}
     */
    public long totalBytes() {
        return vectorBytes + codeBytes + graphBytes;
    }

    @Override
    public VectorType vectorType() {
        return type;
    }

    @Override
    public long memoryBytes() {
        return totalBytes();
    }
}
