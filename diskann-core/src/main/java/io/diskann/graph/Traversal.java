package io.diskann.graph;

/**
 * What a {@link VamanaIndex} search scores while it walks the graph. Chosen per index
 * ({@link VamanaIndexBuilder#traversal}, {@link VamanaIndex#setTraversal}) and saved with it.
 *
 * <p>Why quantized traversal: a search scores a thousand or more candidates, each a random read of its
 * whole vector (3 KiB for 784 x f32), and memory, not arithmetic, bounds it. Scoring 8-bit copies reads a
 * quarter of the bytes, and the few best candidates are then re-scored with the full vectors
 * ({@link io.diskann.index.SearchParams#rerank}, default L), so recall stays that of an exact search
 * (measured in docs/PERFORMANCE.md). The price is one byte per component more memory.
 */
public enum Traversal {
    /** Score every candidate with the stored full-precision vectors. */
    EXACT,
    /**
     * Score candidates with 8-bit scalar-quantized copies ({@link io.diskann.vector.ScalarQuantizer}) and
     * re-rank the best at full precision. Applies to f32 and f16 storage; 8-bit storage is already 8-bit,
     * so such an index traverses exactly whatever this says.
     */
    SQ8
}
