/**
 * The examples as a named module: {@code run.sh} starts them once on the class path and once on the module
 * path, so the library's module descriptors are exercised the way a modular application uses them.
 */
module io.diskann.examples {
    requires io.diskann.pq; // brings io.diskann.core (required transitively)
}
