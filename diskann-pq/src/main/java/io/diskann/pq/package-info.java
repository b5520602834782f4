/**
 * Product quantization for diskann-java (planned; see the project's issue on diskann-pq): codebook
 * training by k-means, 8-bit codes, SIMD asymmetric distance tables, and PQ-guided search with rerank.
 * The module exists now so that the build layout is final and dependents can be wired.
 */
package io.diskann.pq;
