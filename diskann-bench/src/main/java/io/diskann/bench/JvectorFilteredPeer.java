package io.diskann.bench;

import io.diskann.filter.LabelFilter;
import io.diskann.vector.Metric;
import io.github.jbellis.jvector.graph.GraphIndexBuilder;
import io.github.jbellis.jvector.graph.GraphSearcher;
import io.github.jbellis.jvector.graph.ImmutableGraphIndex;
import io.github.jbellis.jvector.graph.ListRandomAccessVectorValues;
import io.github.jbellis.jvector.graph.SearchResult;
import io.github.jbellis.jvector.graph.similarity.DefaultSearchScoreProvider;
import io.github.jbellis.jvector.util.Bits;
import io.github.jbellis.jvector.vector.VectorSimilarityFunction;
import io.github.jbellis.jvector.vector.VectorizationProvider;
import io.github.jbellis.jvector.vector.types.VectorFloat;
import io.github.jbellis.jvector.vector.types.VectorTypeSupport;
import java.io.IOException;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * jvector's filtered search as a yardstick, run in the same JVM on the same vectors and filters
 * ({@code eval --compare-jvector}). jvector's {@link GraphSearcher} takes the filter as accepted ordinals
 * ({@link Bits}): rejected nodes steer the walk, only accepted ones are returned. jvector leaves the
 * choice of an exact scan to its caller (Cassandra's SAI decides by the filter's cardinality); this peer
 * makes it as {@link LuceneFilteredPeer} does: a filter matching at most the candidate list is answered
 * exactly. The graph: {@link GraphIndexBuilder} with jvector's usual settings (degree 32, beam width 100,
 * neighbour overflow 1.2, alpha 1.2, hierarchy on), built on the common pool (all cores).
 */
final class JvectorFilteredPeer implements AutoCloseable {

    private static final VectorTypeSupport VTS = VectorizationProvider.getInstance().getVectorTypeSupport();

    private final ListRandomAccessVectorValues values;
    private final VectorSimilarityFunction similarity;
    private final ImmutableGraphIndex graph;
    private final GraphSearcher searcher;
    private final double buildSeconds;
    private final Map<String, Filter> filters = new HashMap<>();

    /** A filter's accepted ordinals and their count. */
    private record Filter(BitSet bits, int cardinality) implements Bits {
        @Override
        public boolean get(int i) {
            return bits.get(i);
        }
    }

    JvectorFilteredPeer(float[][] base, Metric metric) throws IOException {
        List<VectorFloat<?>> rows = new ArrayList<>(base.length);
        for (float[] v : base) {
            rows.add(VTS.createFloatVector(v));
        }
        this.values = new ListRandomAccessVectorValues(rows, base[0].length);
        this.similarity = switch (metric) {
            case L2 -> VectorSimilarityFunction.EUCLIDEAN;
            case COSINE -> VectorSimilarityFunction.COSINE;
            case INNER_PRODUCT -> VectorSimilarityFunction.DOT_PRODUCT;
        };
        long t0 = System.nanoTime();
        try (GraphIndexBuilder builder = new GraphIndexBuilder(values, similarity, 32, 100, 1.2f, 1.2f, true)) {
            this.graph = builder.build(values);
        }
        this.buildSeconds = (System.nanoTime() - t0) / 1e9;
        this.searcher = new GraphSearcher(graph);
    }

    double buildSeconds() {
        return buildSeconds;
    }

    /** Prepares a filter's accepted set (once per distinct filter, before any timing). */
    void prepare(String expression, LabelFilter filter, QueryFilters queryFilters) {
        filters.computeIfAbsent(expression, e -> {
            BitSet b = new BitSet(queryFilters.labels().size());
            for (int i = 0; i < queryFilters.labels().size(); i++) {
                if (filter.matches(queryFilters.labels(), i)) {
                    b.set(i);
                }
            }
            return new Filter(b, b.cardinality());
        });
    }

    /**
     * The top {@code k} of a search with a candidate list of {@code ef} (jvector's rerankK), filtered by
     * the prepared filter {@code expression} (null: none); returns ordinals, best first. One thread.
     */
    int[] search(float[] query, int k, int ef, String expression) {
        VectorFloat<?> q = VTS.createFloatVector(query);
        Filter f = expression == null ? null : filters.get(expression);
        if (f != null && f.cardinality() <= ef) {
            return exact(q, f, k);
        }
        SearchResult r = searcher.search(DefaultSearchScoreProvider.exact(q, similarity, values), k, Math.max(k, ef),
                0f, 0f, f == null ? Bits.ALL : f);
        SearchResult.NodeScore[] nodes = r.getNodes();
        int[] out = new int[Math.min(k, nodes.length)];
        for (int i = 0; i < out.length; i++) {
            out[i] = nodes[i].node;
        }
        return out;
    }

    private int[] exact(VectorFloat<?> q, Filter f, int k) {
        BestScores best = new BestScores(k);
        for (int i = f.bits().nextSetBit(0); i >= 0; i = f.bits().nextSetBit(i + 1)) {
            best.offer(i, similarity.compare(q, values.getVector(i)));
        }
        return best.ids();
    }

    @Override
    public void close() throws IOException {
        searcher.close();
    }
}
