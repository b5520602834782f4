/**
 * Filtered search for diskann-java: labels ({@code LabelSets}, {@code LabelDictionary}, Microsoft DiskANN's
 * label files), the filters a query carries ({@code LabelFilter}: one label, any of, all of, an id
 * predicate), Filtered-Vamana and Stitched-Vamana builds ({@code LabeledIndex}), filters over indexes that
 * are searched but not changed ({@code FilteredIndex}) and label-aware graphs in disk index files
 * ({@code DiskLabels}, which alone needs {@code io.diskann.pq}). See docs/DESIGN.md.
 */
module io.diskann.filter {
    requires transitive io.diskann.core;
    // only DiskLabels (label-aware disk indexes) needs it; applications that use it have it anyway
    requires static io.diskann.pq;

    exports io.diskann.filter;
}
