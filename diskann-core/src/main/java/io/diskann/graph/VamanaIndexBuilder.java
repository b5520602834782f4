package io.diskann.graph;

import io.diskann.vector.Metric;
import io.diskann.vector.VectorStore;
import io.diskann.vector.VectorType;

/**
 * Configures a new, empty {@link VamanaIndex} ({@link VamanaIndex#builder}): element type, construction
 * parameters and what searches traverse on. Validates each setting as it is given, so a bad value fails
 * where it was written rather than at the first build.
 */
public final class VamanaIndexBuilder {
    private final int dimensions;
    private final Metric metric;
    private VectorType type = VectorType.F32;
    private VamanaParams params = VamanaParams.defaults();
    private Traversal traversal = Traversal.SQ8;

    VamanaIndexBuilder(int dimensions, Metric metric) {
        if (dimensions <= 0 || dimensions > 65_536) {
            throw new IllegalArgumentException("dimensions must be in 1..65536, got " + dimensions);
        }
        if (metric == null) {
            throw new IllegalArgumentException("metric is null");
        }
        this.dimensions = dimensions;
        this.metric = metric;
    }

    /**
     * Storage element type (default {@link VectorType#F32}).
     *
     * @param t the element type; 8-bit types allow at most 32768 dimensions
     * @return this builder
     * @throws IllegalArgumentException if {@code t} is null or an 8-bit type with too many dimensions
     */
    public VamanaIndexBuilder vectorType(VectorType t) {
        if (t == null) {
            throw new IllegalArgumentException("vector type is null");
        }
        if (t.isInteger() && dimensions > 32_768) {
            throw new IllegalArgumentException("8-bit vectors support at most 32768 dimensions (exact 32-bit sums), got " + dimensions);
        }
        this.type = t;
        return this;
    }

    /**
     * Construction parameters (default {@link VamanaParams#defaults()}).
     *
     * @param p the parameters
     * @return this builder
     * @throws IllegalArgumentException if {@code p} is null
     */
    public VamanaIndexBuilder params(VamanaParams p) {
        if (p == null) {
            throw new IllegalArgumentException("params is null");
        }
        this.params = p;
        return this;
    }

    /**
     * What searches score while walking the graph (default {@link Traversal#SQ8}: 8-bit codes, best
     * candidates re-ranked at full precision; see {@link Traversal} for why and what it costs). Ignored
     * by 8-bit vector types, which traverse on their own vectors.
     *
     * @param t what to traverse on
     * @return this builder
     * @throws IllegalArgumentException if {@code t} is null
     */
    public VamanaIndexBuilder traversal(Traversal t) {
        if (t == null) {
            throw new IllegalArgumentException("traversal is null");
        }
        this.traversal = t;
        return this;
    }

    /**
     * An empty index: {@link VamanaIndex#build} it, or {@link VamanaIndex#insert} into it.
     *
     * @return the new index
     */
    public VamanaIndex build() {
        GraphState s = new GraphState(dimensions, metric, type, params, VectorStore.create(type, dimensions, 0),
                new Adjacency(0, params.slackDegree()), SlotTable.identity(0, 0), -1);
        s.traversal = traversal;
        return new VamanaIndex(s);
    }
}
