/**
 * Product quantization for diskann-java: codebook training (with an optional PCA rotation), ADC distance
 * tables, and {@code PqIndex}, the Vamana graph searched on PQ codes and re-ranked at full precision.
 * Requires {@code io.diskann.core} transitively, since its API types appear in this module's API.
 */
module io.diskann.pq {
    requires transitive io.diskann.core;
    requires jdk.incubator.vector;

    exports io.diskann.pq;
}
