package io.diskann.graph;

import io.diskann.index.CorruptIndexException;
import io.diskann.index.VerifyReport;
import io.diskann.io.FormatReader;
import io.diskann.vector.VectorType;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Locale;

/**
 * Checks a saved graph index file through and through, as Lucene's CheckIndex does: every checksum, then
 * the structural invariants loading does not need but searches rely on. Loading already rejects ids out of
 * range, degrees above the slack bound, bad slot states and duplicate ids; this adds self loops,
 * duplicate neighbours, edges to free slots, the entry point's state, non-finite vectors, and which live
 * nodes the entry point cannot reach.
 *
 * <p>Why a separate check rather than more work in every load: a load must stay fast for a service that
 * restarts, while a check is what an operator runs after a disk incident or before shipping an index.
 */
public final class IndexVerifier {

    private IndexVerifier() {
    }

    /**
     * Checks {@code path}. Sections saved by other modules (PQ codes) are checksummed here; their
     * contents are checked by those modules' verifiers ({@code PqIndex.verify}).
     *
     * @param path the index file
     * @return what was found; {@link VerifyReport#ok()} tells whether the file is sound
     * @throws NoSuchFileException if the file does not exist
     * @throws IOException if it cannot be read (not if it is corrupt: that is a problem in the report)
     */
    public static VerifyReport verify(Path path) throws IOException {
        if (path == null) {
            throw new IllegalArgumentException("path is null");
        }
        if (!Files.exists(path)) {
            throw new NoSuchFileException(path.toString(), null, "index file does not exist");
        }
        List<String> sections = new ArrayList<>();
        List<String> facts = new ArrayList<>();
        List<String> warnings = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        String format;
        String saveId = null;
        facts.add("file size: " + Files.size(path) + " bytes");
        if (FormatReader.isFormatFile(path)) {
            format = IndexFile.CODEC + " (container format)";
            try (FormatReader r = FormatReader.open(path, IndexFile.CODEC, IndexFile.VERSION, IndexFile.VERSION)) {
                format = r.codec() + " v" + r.codecVersion();
                saveId = r.saveId().toString();
                while (r.hasNext()) {
                    FormatReader.Section s = r.next();
                    sections.add(String.format(Locale.ROOT, "%-10s v%d  at byte %,d  %,d bytes", s.name(), s.version(),
                            s.offset(), s.length()));
                    s.skip(); // reads every byte through the checksums
                }
                r.finish();
                facts.add("checksums: header, " + sections.size() + " sections and the whole file match");
            } catch (CorruptIndexException e) {
                problems.add(e.getMessage());
                return new VerifyReport(path, format, saveId, sections, facts, warnings, problems);
            }
        } else {
            format = "graph file of an earlier build (format 1-3)";
        }
        GraphState state;
        try {
            state = IndexFile.read(path, false, null);
        } catch (CorruptIndexException e) {
            problems.add(e.getMessage());
            return new VerifyReport(path, format, saveId, sections, facts, warnings, problems);
        }
        try {
            checkGraph(state, facts, warnings, problems);
        } finally {
            state.vectors.close();
            TraversalCodes c = state.codes;
            if (c != null) {
                c.codes.close();
            }
        }
        return new VerifyReport(path, format, saveId, sections, facts, warnings, problems);
    }

    private static final int MAX_LISTED = 10;

    private static void problem(List<String> problems, int[] counter, String what) {
        if (counter[0]++ < MAX_LISTED) {
            problems.add(what);
        } else if (counter[0] == MAX_LISTED + 1) {
            problems.add("... more of the same not listed");
        }
    }

    static void checkGraph(GraphState s, List<String> facts, List<String> warnings, List<String> problems) {
        SlotTable slots = s.slots;
        Adjacency g = s.graph;
        int n = slots.highWater();
        int r = s.params.maxDegree();
        facts.add(String.format(Locale.ROOT, "%s %s, %d dimensions, R %d, traversal %s", s.type, s.metric,
                s.dimensions, r, s.traversal));
        facts.add(String.format(Locale.ROOT, "slots: %d (live %d, deleted %d, free %d), next id %d", n,
                slots.liveCount(), slots.deletedCount(), slots.freeCount(), slots.nextLabel()));
        int[] counter = {0};
        int[] buf = new int[g.maxDegree()];
        long edges = 0;
        int aboveR = 0;
        int maxDegree = 0;
        BitSet seen = new BitSet();
        for (int i = 0; i < n; i++) {
            int d = g.copy(i, buf);
            int state = slots.state(i);
            if (state == SlotTable.FREE) {
                continue;
            }
            edges += d;
            maxDegree = Math.max(maxDegree, d);
            if (d > r) {
                aboveR++;
            }
            seen.clear();
            for (int j = 0; j < d; j++) {
                int t = buf[j];
                if (t == i) {
                    problem(problems, counter, "slot " + i + " links to itself");
                } else if (seen.get(t)) {
                    problem(problems, counter, "slot " + i + " lists neighbour " + t + " twice");
                } else if (slots.state(t) == SlotTable.FREE) {
                    problem(problems, counter, "slot " + i + " links to free slot " + t);
                }
                seen.set(t);
            }
        }
        int used = n - slots.freeCount();
        facts.add(String.format(Locale.ROOT, "degrees: mean %.1f, max %d; %d nodes above R (allowed up to %d until"
                + " their next prune)", used == 0 ? 0.0 : edges / (double) used, maxDegree, aboveR, s.params.slackDegree()));
        if (slots.state(s.start) == SlotTable.FREE) {
            problem(problems, counter, "the entry point, slot " + s.start + ", is a free slot");
        }
        // non-finite vectors would poison every distance computed against them
        if (s.type == VectorType.F32 || s.type == VectorType.F16) {
            float[] v = new float[s.dimensions];
            for (int i = 0; i < n; i++) {
                if (slots.state(i) == SlotTable.LIVE) {
                    s.vectors.get(i, v);
                    for (float x : v) {
                        if (!Float.isFinite(x)) {
                            problem(problems, counter, "slot " + i + " (id " + slots.labelOf(i) + ") holds a non-finite value");
                            break;
                        }
                    }
                }
            }
        }
        // which live nodes a search from the entry point can reach (through deleted ones too)
        BitSet reached = new BitSet(n);
        int[] queue = new int[n];
        int head = 0;
        int tail = 0;
        queue[tail++] = s.start;
        reached.set(s.start);
        while (head < tail) {
            int d = g.copy(queue[head++], buf);
            for (int j = 0; j < d; j++) {
                int t = buf[j];
                if (!reached.get(t) && slots.state(t) != SlotTable.FREE) {
                    reached.set(t);
                    queue[tail++] = t;
                }
            }
        }
        int unreachable = 0;
        for (int i = 0; i < n; i++) {
            if (slots.state(i) == SlotTable.LIVE && !reached.get(i)) {
                unreachable++;
            }
        }
        facts.add("reachable from the entry point: " + (slots.liveCount() - unreachable) + " of " + slots.liveCount()
                + " live nodes");
        if (unreachable > 0) {
            warnings.add(unreachable + " live nodes cannot be reached from the entry point (searches never return"
                    + " them); a rebuild links them (builds give every unreachable node an edge in), as does"
                    + " consolidate() after a delete. A label-aware graph links each label's nodes from that label's"
                    + " start instead, so this count does not apply to it");
        }
    }
}
