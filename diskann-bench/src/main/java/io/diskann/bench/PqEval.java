package io.diskann.bench;

import io.diskann.graph.VamanaIndex;
import io.diskann.pq.PqIndex;
import io.diskann.pq.PqParams;
import io.diskann.pq.PqStats;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The PQ part of {@code ./diskann eval}: for each {@code --pq-chunks} M, compresses the evaluated index
 * (training and encoding timed) and sweeps (k, L) for each {@code --rerank} value with graph traversal
 * on codes and full-precision rerank. JSON: {@code "pq": [{"chunks", "train_seconds", "encode_seconds",
 * "code_bytes", "vector_bytes", "compression_ratio", "rerank", "rows": [...]}]}, one entry per (M, rerank).
 */
final class PqEval {

    private PqEval() {
    }

    static List<Object> run(VamanaIndex index, int[] chunks, int[] reranks, DatasetOptions.Loaded data, int[] ks,
                            int[] searchL, int threads) throws InterruptedException {
        List<Object> out = new ArrayList<>();
        for (int m : chunks) {
            if (m < 1 || m > index.dimensions()) {
                throw new IllegalArgumentException("--pq-chunks must be in 1.." + index.dimensions() + ", got " + m);
            }
        }
        for (int r : reranks) {
            if (r < 0) {
                throw new IllegalArgumentException("--rerank must not be negative, got " + r);
            }
        }
        for (int m : chunks) {
            PqIndex pq = PqIndex.compress(index, PqParams.builder(m).threads(threads).build());
            PqStats s = pq.stats();
            System.out.printf(Locale.ROOT, "PQ M=%d: trained in %.2f s, encoded in %.2f s; codes %.1f MiB (%.1fx smaller"
                    + " than the vectors, %.1f MiB)%n", m, s.trainSeconds(), s.encodeSeconds(), s.codeBytes() / 1048576.0,
                    s.compressionRatio(), s.vectorBytes() / 1048576.0);
            int[] sweep = reranks.length == 0 ? new int[] {-1} : reranks;
            for (int rerank : sweep) {
                System.out.println("PQ M=" + m + ", rerank " + (rerank < 0 ? "= L" : rerank) + ":");
                SearchSweep.Searcher searcher = rerank < 0 ? pq::search : (q, k, l) -> pq.search(q, k, l, rerank);
                List<SearchSweep.Row> rows = new SearchSweep(searcher, data.queries().toRows(), data.truth(), threads)
                        .run(ks, searchL);
                Map<String, Object> o = new LinkedHashMap<>();
                o.put("chunks", m);
                o.put("rerank", rerank < 0 ? "L" : rerank);
                o.put("train_seconds", ResultFiles.round(s.trainSeconds(), 3));
                o.put("encode_seconds", ResultFiles.round(s.encodeSeconds(), 3));
                o.put("code_bytes", s.codeBytes());
                o.put("codebook_bytes", s.codebookBytes());
                o.put("vector_bytes", s.vectorBytes());
                o.put("compression_ratio", ResultFiles.round(s.compressionRatio(), 2));
                o.put("rows", ResultFiles.rowsAsMaps(rows));
                out.add(o);
            }
        }
        return out;
    }
}
