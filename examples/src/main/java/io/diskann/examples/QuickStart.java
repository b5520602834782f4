package io.diskann.examples;

import io.diskann.graph.Traversal;
import io.diskann.graph.VamanaIndex;
import io.diskann.graph.VamanaParams;
import io.diskann.index.SearchParams;
import io.diskann.index.SearchResult;
import io.diskann.index.Searcher;
import io.diskann.index.VectorIndex;
import io.diskann.pq.PqIndex;
import io.diskann.pq.PqParams;
import io.diskann.vector.Metric;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;

/**
 * The first hour with diskann-java: build an in-memory index, search it (plain, with a filter, with a
 * reusable searcher), change it, save and load it, compress it with PQ. Checks its own answers against
 * brute force and exits with status 1 when they are wrong, so CI catches a broken public API or a broken
 * search.
 */
public final class QuickStart {

    public static void main(String[] args) throws Exception {
        int n = 20_000;
        int dim = 64;
        Random random = new Random(1);
        float[][] vectors = clustered(random, n, dim);
        float[][] queries = clustered(random, 100, dim);

        // 1. build: R = 32 neighbours per node, L_build = 64; f32 vectors, searched on 8-bit codes
        VamanaIndex index = VamanaIndex.builder(dim, Metric.L2)
                .params(VamanaParams.builder().maxDegree(32).buildListSize(64).build())
                .build();
        index.build(vectors, (done, total) -> { });
        System.out.printf("built %d vectors, traversal %s, %.1f MiB%n", index.size(), index.traversal(),
                index.stats().totalBytes() / 1048576.0);

        // 2. search: k = 10 with search list L = 64, checked against brute force
        double recall = recall(index, vectors, queries, SearchParams.of(10, 64));
        System.out.printf("recall@10 = %.3f%n", recall);
        check(recall >= 0.95, "recall@10 " + recall);

        // 3. filters run inside the search: only even ids
        SearchResult even = index.search(queries[0], SearchParams.builder(10).listSize(100).filter(id -> id % 2 == 0).build());
        for (int id : even.ids()) {
            check(id % 2 == 0, "filter let through id " + id);
        }

        // 4. one searcher per thread, results into your own arrays without allocating
        try (Searcher searcher = index.searcher()) {
            int[] ids = new int[10];
            float[] distances = new float[10];
            int found = searcher.search(queries[1], SearchParams.of(10, 64), ids, distances);
            check(found == 10, "searcher found " + found);
        }

        // 5. change it: insert, delete, update, consolidate
        int id = index.insert(queries[2]);
        check(index.search(queries[2], 1, 32).ids()[0] == id, "inserted vector not found first");
        index.delete(id);
        check(!index.contains(id), "deleted id still present");
        index.update(7, queries[3]);
        index.consolidate();

        // 6. save atomically, load, same answers
        Path dir = Files.createTempDirectory("diskann-quickstart");
        Path file = dir.resolve("quickstart.idx");
        index.save(file);
        try (VamanaIndex loaded = VamanaIndex.load(file)) {
            check(loaded.search(queries[4], 10, 64).ids()[0] == index.search(queries[4], 10, 64).ids()[0],
                    "loaded index answers differently");
        }

        // 7. exact traversal is one call away (frees the codes)
        index.setTraversal(Traversal.EXACT);
        check(recall(index, vectors, queries, SearchParams.of(10, 64)) >= 0.95, "exact traversal recall");

        // 8. product quantization: 32 bytes per vector for the traversal (8x smaller), re-ranked with full vectors
        PqIndex pq = PqIndex.compress(index, PqParams.builder(32).build());
        double pqRecall = recall(pq, vectors, queries, SearchParams.builder(10).listSize(100).rerank(100).build());
        System.out.printf("PQ (32 bytes per vector) recall@10 = %.3f%n", pqRecall);
        check(pqRecall >= 0.9, "PQ recall " + pqRecall);
        pq.close();
        index.close();
        Files.deleteIfExists(file);
        Files.deleteIfExists(dir);
        // 8. on the module path the library is three named modules; internals are not exported to us
        Module core = VamanaIndex.class.getModule();
        if (core.isNamed()) {
            check(core.getName().equals("io.diskann.core"), "core module named " + core.getName());
            check(core.isExported("io.diskann.index") && core.isExported("io.diskann.graph"), "API packages exported");
            check(!core.isExported("io.diskann.io") && !core.isExported("io.diskann.util"),
                    "internal packages exported to everyone");
            System.out.println("module path: " + core.getName() + " and " + PqIndex.class.getModule().getName()
                    + ", internals hidden");
        }
        System.out.println("quick start: all checks passed");
    }

    private static float[][] clustered(Random r, int n, int dim) {
        float[][] centres = new float[32][dim];
        Random c = new Random(7);
        for (float[] centre : centres) {
            for (int j = 0; j < dim; j++) {
                centre[j] = (float) c.nextGaussian();
            }
        }
        float[][] out = new float[n][dim];
        for (float[] v : out) {
            float[] centre = centres[r.nextInt(centres.length)];
            for (int j = 0; j < dim; j++) {
                v[j] = centre[j] + 0.3f * (float) r.nextGaussian();
            }
        }
        return out;
    }

    /** Recall@k of {@code index} against a brute-force scan, over {@code queries}. */
    private static double recall(VectorIndex index, float[][] data, float[][] queries, SearchParams p) {
        double hits = 0;
        for (float[] q : queries) {
            int k = p.k();
            float[] best = new float[k];
            java.util.Arrays.fill(best, Float.MAX_VALUE);
            for (float[] v : data) {
                float d = 0;
                for (int j = 0; j < v.length; j++) {
                    float t = q[j] - v[j];
                    d += t * t;
                }
                if (d < best[k - 1]) {
                    int i = k - 1;
                    while (i > 0 && best[i - 1] > d) {
                        best[i] = best[i - 1];
                        i--;
                    }
                    best[i] = d;
                }
            }
            SearchResult r = index.search(q, p);
            for (float d : r.distances()) {
                if (d <= best[k - 1] * 1.0001f + 1e-6f) {
                    hits++;
                }
            }
        }
        return hits / (queries.length * (double) p.k());
    }

    private static void check(boolean ok, String what) {
        if (!ok) {
            System.err.println("quick start FAILED: " + what);
            System.exit(1);
        }
    }
}
