/**
 * The API every index kind shares: {@link io.diskann.index.VectorIndex} (search, batch search, range
 * search, stats, save, close), {@link io.diskann.index.MutableVectorIndex} (insert, delete, update,
 * consolidate), caller-owned {@link io.diskann.index.Searcher}s, and the parameter and result records.
 * Code written against these types switches between the in-memory graph ({@code VamanaIndex}), the PQ
 * index ({@code PqIndex}) and the coming SSD-resident index without other changes.
 */
package io.diskann.index;
