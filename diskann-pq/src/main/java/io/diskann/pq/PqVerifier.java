package io.diskann.pq;

import io.diskann.graph.IndexVerifier;
import io.diskann.index.CorruptIndexException;
import io.diskann.index.VerifyReport;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * {@link PqIndex#verify}: the graph's checks ({@link IndexVerifier}), then the PQ data's: it loads (the
 * codebook matches the graph, one code per stored vector), every codebook value is finite, and the codes
 * of live vectors are what the codebook encodes them to (a sample of up to {@value #SAMPLE}), which
 * catches codes that belong to other vectors than the ones beside them.
 */
final class PqVerifier {

    static final int SAMPLE = 10_000;

    private PqVerifier() {
    }

    static VerifyReport verify(Path path) throws IOException {
        VerifyReport graph = IndexVerifier.verify(path);
        boolean hasPq = graph.sections().stream().anyMatch(x -> x.startsWith(PqFile.SECTION + " "))
                || (graph.saveId() == null && java.nio.file.Files.exists(PqIndex.pqPath(path)));
        if (!hasPq) {
            return graph; // a graph saved without PQ codes: the graph's checks are all there is
        }
        List<String> facts = new ArrayList<>(graph.facts());
        List<String> warnings = new ArrayList<>(graph.warnings());
        List<String> problems = new ArrayList<>(graph.problems());
        if (problems.isEmpty()) {
            try (PqIndex pq = PqIndex.load(path)) {
                check(pq, facts, problems);
            } catch (CorruptIndexException e) {
                problems.add(e.getMessage());
            }
        }
        return new VerifyReport(path, graph.format(), graph.saveId(), graph.sections(), facts, warnings, problems);
    }

    private static void check(PqIndex pq, List<String> facts, List<String> problems) {
        ProductQuantizer q = pq.quantizer();
        facts.add(String.format(Locale.ROOT, "PQ: %d chunks over %d dimensions%s, %d codes", q.chunks(), q.codeDimensions(),
                q.rotated() ? " (PCA-rotated)" : "", pq.index().ordinals().limit()));
        for (float[] c : q.centroidsTransposed()) {
            if (!allFinite(c)) {
                problems.add("the PQ codebook holds non-finite centroids");
                return;
            }
        }
        if ((q.mean() != null && !allFinite(q.mean())) || (q.rotated() && !allFinite(q.rotation().matrix()))) {
            problems.add("the PQ mean or rotation holds non-finite values");
            return;
        }
        var graph = pq.index();
        int limit = graph.ordinals().limit();
        int step = Math.max(1, limit / SAMPLE);
        byte[] codes = pq.codes();
        int m = q.chunks();
        byte[] mine = new byte[m];
        float[] scratch = q.newEncodeScratch();
        float[] v = new float[graph.dimensions()];
        int checked = 0;
        int wrong = 0;
        for (int o = 0; o < limit; o += step) {
            if (!graph.ordinals().isLive(o)) {
                continue;
            }
            graph.ordinals().vectors().get(o, v);
            q.encode(v, mine, 0, scratch);
            checked++;
            if (!Arrays.equals(mine, 0, m, codes, o * m, o * m + m)) {
                wrong++;
            }
        }
        facts.add("PQ codes re-encoded and compared: " + checked + " live vectors, " + wrong + " differ");
        // a few may differ legitimately (an f16 vector was encoded before rounding and sits between two
        // centroids); codes of another save differ almost everywhere
        if (wrong > Math.max(2, checked / 100)) {
            problems.add(wrong + " of " + checked + " sampled PQ codes are not their vectors' codes (codes of other"
                    + " vectors, or a damaged codebook)");
        }
    }

    private static boolean allFinite(float[] a) {
        for (float x : a) {
            if (!Float.isFinite(x)) {
                return false;
            }
        }
        return true;
    }
}
