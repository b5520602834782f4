/**
 * Filtered search for diskann-java. Built so far: labels ({@code LabelSets}, {@code LabelDictionary}),
 * Microsoft DiskANN's label files ({@code LabelFile}) and the filters a query can carry
 * ({@code LabelFilter}: one label, any of, all of, an id predicate). Filtered-Vamana and Stitched-Vamana
 * builds and the filtered searches over them are next (see docs/DESIGN.md).
 */
module io.diskann.filter {
    requires transitive io.diskann.core;

    exports io.diskann.filter;
}
