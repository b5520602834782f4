package io.diskann.bench;

import io.diskann.filter.LabelFilter;
import io.diskann.vector.Metric;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.lucene.codecs.hnsw.DefaultFlatVectorScorer;
import org.apache.lucene.index.FloatVectorValues;
import org.apache.lucene.index.VectorSimilarityFunction;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.TopKnnCollector;
import org.apache.lucene.util.FixedBitSet;
import org.apache.lucene.util.hnsw.HnswGraphBuilder;
import org.apache.lucene.util.hnsw.HnswGraphSearcher;
import org.apache.lucene.util.hnsw.OnHeapHnswGraph;
import org.apache.lucene.util.hnsw.RandomVectorScorer;
import org.apache.lucene.util.hnsw.RandomVectorScorerSupplier;

/**
 * Lucene's filtered HNSW search as a yardstick, run in the same JVM on the same vectors and filters
 * ({@code eval --compare-lucene}). It follows what Lucene's {@code KnnFloatVectorQuery} does with a
 * filter: a filter that matches at most k documents is answered exactly; otherwise the graph is searched
 * with the filter's bitset as accepted ordinals and a visit limit of the filter's cardinality (Lucene
 * 10 then chooses its filtered, ACORN-style searcher for restrictive filters), and a search that hits the
 * limit is redone exactly over the filter. The graph: {@link HnswGraphBuilder}, M = 16, beam width 100,
 * one thread.
 */
final class LuceneFilteredPeer {

    private final FloatVectorValues values;
    private final VectorSimilarityFunction similarity;
    private final OnHeapHnswGraph graph;
    private final double buildSeconds;
    private final Map<String, FixedBitSet> bitsets = new HashMap<>();

    LuceneFilteredPeer(float[][] base, Metric metric) throws IOException {
        List<float[]> rows = new ArrayList<>(Arrays.asList(base));
        this.values = FloatVectorValues.fromFloats(rows, base[0].length);
        this.similarity = switch (metric) {
            case L2 -> VectorSimilarityFunction.EUCLIDEAN;
            case COSINE -> VectorSimilarityFunction.COSINE;
            case INNER_PRODUCT -> VectorSimilarityFunction.MAXIMUM_INNER_PRODUCT;
        };
        RandomVectorScorerSupplier supplier = DefaultFlatVectorScorer.INSTANCE.getRandomVectorScorerSupplier(similarity, values);
        long t0 = System.nanoTime();
        this.graph = HnswGraphBuilder.create(supplier, 16, 100, 42).build(base.length);
        this.buildSeconds = (System.nanoTime() - t0) / 1e9;
    }

    double buildSeconds() {
        return buildSeconds;
    }

    /** The filter's bitset over the base (computed once per distinct filter, before any timing). */
    FixedBitSet bitset(String expression, LabelFilter filter, QueryFilters filters) {
        return bitsets.computeIfAbsent(expression, e -> {
            FixedBitSet b = new FixedBitSet(filters.labels().size());
            for (int i = 0; i < filters.labels().size(); i++) {
                if (filter.matches(filters.labels(), i)) {
                    b.set(i);
                }
            }
            return b;
        });
    }

    /**
     * The top {@code k} of a search whose candidate list holds {@code ef}, filtered by {@code accept}
     * (null: none); returns ordinals, best first.
     */
    int[] search(float[] query, int k, int ef, FixedBitSet accept) throws IOException {
        RandomVectorScorer scorer = DefaultFlatVectorScorer.INSTANCE.getRandomVectorScorer(similarity, values, query);
        int cost = accept == null ? values.size() : accept.cardinality();
        if (accept != null && cost <= ef) {
            return exact(scorer, accept, k);
        }
        TopKnnCollector collector = new TopKnnCollector(ef, accept == null ? Integer.MAX_VALUE : cost);
        HnswGraphSearcher.search(scorer, collector, graph, accept, cost);
        if (collector.earlyTerminated()) {
            return exact(scorer, accept, k);
        }
        ScoreDoc[] docs = collector.topDocs().scoreDocs;
        int[] out = new int[Math.min(k, docs.length)];
        for (int i = 0; i < out.length; i++) {
            out[i] = docs[i].doc;
        }
        return out;
    }

    private static int[] exact(RandomVectorScorer scorer, FixedBitSet accept, int k) throws IOException {
        BestScores best = new BestScores(k);
        for (int i = accept.nextSetBit(0); i != org.apache.lucene.search.DocIdSetIterator.NO_MORE_DOCS;
             i = i + 1 < accept.length() ? accept.nextSetBit(i + 1) : org.apache.lucene.search.DocIdSetIterator.NO_MORE_DOCS) {
            best.offer(i, scorer.score(i));
        }
        return best.ids();
    }
}
