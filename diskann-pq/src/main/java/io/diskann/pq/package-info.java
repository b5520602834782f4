/**
 * Product quantization for diskann-java: codebook training (k-means++ and Lloyd iterations over M
 * balanced chunks, 256 centroids each, seeded and parallel), 8-bit codes, ADC distance tables built with
 * the Vector API (scalar and gather look-ups), versioned checksummed files, and {@link
 * io.diskann.pq.PqIndex}: graph traversal on codes with full-precision rerank.
 */
package io.diskann.pq;
