/**
 * Product quantization for diskann-java: codebook training (with an optional PCA rotation), ADC distance
 * tables, and {@code PqIndex}, the Vamana graph searched on PQ codes and re-ranked at full precision.
 * The SSD-resident index ({@code io.diskann.disk}) keeps PQ codes in memory and the graph and full vectors
 * on disk. Requires {@code io.diskann.core} transitively, since its API types appear in this module's API.
 */
module io.diskann.pq {
    requires transitive io.diskann.core;
    requires jdk.incubator.vector;
    // com.sun.nio.file.ExtendedOpenOption.DIRECT: the disk index's O_DIRECT reads
    requires jdk.unsupported;
    // primitive maps of the disk index (node cache, ids)
    requires org.agrona;

    exports io.diskann.pq;
    exports io.diskann.disk;
}
