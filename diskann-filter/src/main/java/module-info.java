/**
 * Filtered search for diskann-java (labels, Filtered-Vamana and Stitched-Vamana builds, label and
 * predicate filters). Being built: this module has no public types yet.
 */
module io.diskann.filter {
    requires transitive io.diskann.core;
}
