package io.diskann.pq;

import io.diskann.graph.VamanaStats;
import io.diskann.index.IndexStats;
import io.diskann.vector.Metric;
import io.diskann.vector.VectorType;

/**
 * Memory of a {@link PqIndex}: what graph traversal reads (codes) next to what it would read without
 * compression (full vectors), the codebook, and the graph's own statistics.
 *
 * @param graph            the wrapped graph index's statistics
 * @param chunks           M, bytes per code
 * @param codes            vectors encoded (storage ordinals, live or not)
 * @param codeBytes        bytes of all codes
 * @param codebookBytes    bytes of centroids, mean and rotation
 * @param vectorBytes      bytes of the full-precision vectors held by the index
 * @param compressionRatio full vector bytes per code byte, for one vector
 * @param trainSeconds     codebook training time of {@link PqIndex#compress} (NaN after load)
 * @param encodeSeconds    encoding time of {@link PqIndex#compress} (NaN after load)
 * @param rotated          whether codes quantize a PCA-rotated space ({@link PqParams#rotate})
 * @param codeDimensions   dimensions the chunks cut (the vector's, or the D' a rotation keeps)
 * @param varianceKept     share of the training variance in those dimensions (1 without truncation)
 */
public record PqStats(VamanaStats graph, int chunks, int codes, long codeBytes, long codebookBytes, long vectorBytes,
                      double compressionRatio, double trainSeconds, double encodeSeconds,
                      boolean rotated, int codeDimensions, double varianceKept) implements IndexStats {

    @Override
    public int count() {
        return graph.count();
    }

    @Override
    public int dimensions() {
        return graph.dimensions();
    }

    @Override
    public Metric metric() {
        return graph.metric();
    }

    @Override
    public VectorType vectorType() {
        return graph.type();
    }

    /** Graph, full vectors, codes and codebook. */
    @Override
    public long memoryBytes() {
        return graph.totalBytes() + codeBytes + codebookBytes;
    }
}
