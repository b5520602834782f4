package io.diskann.pq;

/**
 * Memory of a {@link PqIndex}: what graph traversal reads (codes) next to what it would read without
 * compression (full vectors), and the codebook.
 *
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
public record PqStats(int chunks, int codes, long codeBytes, long codebookBytes, long vectorBytes,
                      double compressionRatio, double trainSeconds, double encodeSeconds,
                      boolean rotated, int codeDimensions, double varianceKept) {
}
