/**
 * diskann-java's core: the shared index API ({@code io.diskann.index}), the in-memory Vamana graph index
 * ({@code io.diskann.graph}), and vector types, metrics and SIMD distance kernels ({@code io.diskann.vector}).
 *
 * <p>The exported packages are the API and the seams other index kinds plug into (scorers, vector stores,
 * slot companions). File-format helpers ({@code io.diskann.io}) and thread pools
 * ({@code io.diskann.util}) are exported only to this project's other modules; applications cannot
 * reach them.
 *
 * <p>JVM flags: on the module path nothing is needed, because this module requires
 * {@code jdk.incubator.vector} and so resolves it. On the class path add
 * {@code --add-modules jdk.incubator.vector}; without it the library still works on its scalar kernels
 * and says so once in its log.
 */
module io.diskann.core {
    requires jdk.incubator.vector;
    requires org.agrona;
    // asks the JVM whether it emits FMA (-XX:UseFMA), which picks the fused kernels
    requires jdk.management;

    exports io.diskann.index;
    exports io.diskann.graph;
    exports io.diskann.vector;
    exports io.diskann.io to io.diskann.pq, io.diskann.filter;
    exports io.diskann.util to io.diskann.pq, io.diskann.filter;
}
