package io.diskann.bench;

import io.diskann.graph.VamanaIndex;
import io.diskann.index.SearchParams;
import io.diskann.pq.PqIndex;
import io.diskann.pq.PqParams;
import io.diskann.pq.PqStats;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The PQ part of {@code ./diskann eval}: for each {@code --pq-chunks} M and {@code --pq-rotation}, compresses the evaluated index
 * (training and encoding timed) and sweeps (k, L) for each {@code --rerank} value with graph traversal
 * on codes and full-precision rerank. JSON: {@code "pq": [{"chunks", "train_seconds", "encode_seconds",
 * "code_bytes", "vector_bytes", "compression_ratio", "rerank", "rotation", "code_dimensions", "variance_kept",
 * "rows": [...]}]}, one entry per (M, rotation, rerank).
 */
final class PqEval {

    private PqEval() {
    }

    static List<Object> run(VamanaIndex index, int[] chunks, String[] rotations, int[] reranks, DatasetOptions.Loaded data, int[] ks,
                            int[] searchL, int threads, int beamWidth, SearchSweep.Timing timing)
            throws InterruptedException {
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
        int[] rotatedDims = new int[rotations.length];
        for (int i = 0; i < rotations.length; i++) {
            rotatedDims[i] = parseRotation(rotations[i], index.dimensions());
        }
        // every (M, D') pair checked before any training, so a long sweep cannot fail half-way
        for (int m : chunks) {
            for (int keep : rotatedDims) {
                if (keep > 0 && keep < m) {
                    throw new IllegalArgumentException("--pq-rotation pca:" + keep + " keeps fewer directions than --pq-chunks "
                            + m + " (each chunk needs at least one)");
                }
            }
        }
        for (int m : chunks) {
            for (int keep : rotatedDims) {
                PqParams params = PqParams.builder(m).threads(threads).rotate(keep >= 0)
                        .rotatedDimensions(Math.max(keep, 0)).build();
                out.addAll(evaluate(PqIndex.compress(index, params), reranks, data, ks, searchL, threads, beamWidth, timing));
            }
        }
        return out;
    }

    private static List<Object> evaluate(PqIndex pq, int[] reranks, DatasetOptions.Loaded data, int[] ks,
                                         int[] searchL, int threads, int beamWidth, SearchSweep.Timing timing)
            throws InterruptedException {
        PqStats s = pq.stats();
        String label = "PQ M=" + s.chunks() + (s.rotated() ? ", PCA rotation to " + s.codeDimensions() + " dims" : "");
        System.out.printf(Locale.ROOT, "%s: trained in %.2f s, encoded in %.2f s; codes %.1f MiB (%.1fx smaller"
                + " than the vectors, %.1f MiB)%s%n", label, s.trainSeconds(), s.encodeSeconds(),
                s.codeBytes() / 1048576.0, s.compressionRatio(), s.vectorBytes() / 1048576.0,
                s.rotated() ? String.format(Locale.ROOT, "; %.1f%% of the variance kept", 100 * s.varianceKept()) : "");
        List<Object> out = new ArrayList<>();
        int[] sweep = reranks.length == 0 ? new int[] {-1} : reranks;
        for (int rerank : sweep) {
            System.out.println(label + ", rerank " + (rerank < 0 ? "= L" : rerank) + ":");
            SearchSweep.ParamsFn params = (k, l) -> SearchParams.builder(k).listSize(l).beamWidth(beamWidth)
                    .rerank(rerank < 0 ? SearchParams.DEFAULT : rerank).build();
            List<SearchSweep.Row> rows = new SearchSweep(pq::searcher, params, data.queries().toRows(), data.truth(),
                    threads).timing(timing).run(ks, searchL);
            Map<String, Object> o = new LinkedHashMap<>();
            o.put("chunks", s.chunks());
            o.put("rerank", rerank < 0 ? "L" : rerank);
            o.put("rotation", s.rotated() ? "pca" : "none");
            o.put("code_dimensions", s.codeDimensions());
            o.put("variance_kept", ResultFiles.round(s.varianceKept(), 4));
            o.put("train_seconds", ResultFiles.round(s.trainSeconds(), 3));
            o.put("encode_seconds", ResultFiles.round(s.encodeSeconds(), 3));
            o.put("code_bytes", s.codeBytes());
            o.put("codebook_bytes", s.codebookBytes());
            o.put("vector_bytes", s.vectorBytes());
            o.put("compression_ratio", ResultFiles.round(s.compressionRatio(), 2));
            o.put("rows", ResultFiles.rowsAsMaps(rows));
            out.add(o);
        }
        return out;
    }

    /** {@code none} -> -1, {@code pca} -> 0 (all directions), {@code pca:D} -> D. */
    static int parseRotation(String spec, int dims) {
        return parseRotation(spec, dims, 0);
    }

    /**
     * {@code none} (-1), {@code pca} (0: all directions), {@code pca:D}, or with {@code chunks > 0} also {@code auto}
     * ({@link io.diskann.pq.PqParams#autoRotatedDimensions}).
     */
    static int parseRotation(String spec, int dims, int chunks) {
        String s = spec.trim().toLowerCase(Locale.ROOT);
        if (s.equals("auto") && chunks > 0) {
            return io.diskann.pq.PqParams.autoRotatedDimensions(dims, chunks);
        }
        if (s.equals("none")) {
            return -1;
        }
        if (s.equals("pca")) {
            return 0;
        }
        if (s.startsWith("pca:")) {
            try {
                int d = Integer.parseInt(s.substring(4));
                if (d >= 1 && d <= dims) {
                    return d;
                }
            } catch (NumberFormatException e) {
                // fall through to the message below
            }
        }
        throw new IllegalArgumentException("--pq-rotation takes " + (chunks > 0 ? "auto, " : "") + "none, pca or pca:D with D in 1.."
                + dims + ", got '" + spec + "'");
    }
}
