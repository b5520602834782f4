/**
 * Labels and label filters: each vector carries zero or more int labels (names through a
 * {@link io.diskann.filter.LabelDictionary}), read from and written to Microsoft DiskANN's label files,
 * and a query carries a {@link io.diskann.filter.LabelFilter} (one label, any of, all of, or an id
 * predicate). The filtered graph builds (Filtered-Vamana, Stitched-Vamana) come next.
 */
package io.diskann.filter;
