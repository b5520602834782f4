package io.diskann.disk;

import io.diskann.index.CorruptIndexException;
import io.diskann.index.VerifyReport;
import io.diskann.io.FormatReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Locale;

/**
 * {@link DiskIndex#verify}: checks a disk index file end to end without trusting it, so a damaged file
 * is described (which section, which sector, how many nodes the entry point still reaches) rather than
 * failing a search later. Kept apart from the index because it reads every sector once, a job no search does.
 */
final class DiskVerifier {

    private DiskVerifier() {
    }

    /** See {@link DiskIndex#verify}. */
    static VerifyReport verify(Path path) throws IOException {
        List<String> facts = new ArrayList<>();
        List<String> warnings = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        String saveId;
        int version = DiskIndexWriter.VERSION;
        List<String> sections = new ArrayList<>();
        try (FormatReader r = FormatReader.open(path, DiskIndexWriter.CODEC, DiskIndexWriter.VERSION,
                DiskIndexWriter.VERSION_RECORD_IDS)) {
            saveId = r.saveId().toString();
            version = r.codecVersion();
            while (r.hasNext()) {
                FormatReader.Section x = r.next();
                sections.add(String.format(Locale.ROOT, "%-10s v%d  at byte %,d  %,d bytes", x.name(),
                        x.version(), x.offset(), x.length()));
                x.skip();
            }
            r.finish();
        } catch (CorruptIndexException e) {
            problems.add(e.getMessage());
            return new VerifyReport(path, DiskIndexWriter.CODEC, null, sections, facts, warnings, problems);
        }
        try (DiskIndex index = DiskIndex.open(path)) {
            DiskLayout l = index.layout();
            facts.add(String.format(Locale.ROOT, "%d x %d %s %s, R %d, %d-byte records, %d per sector x %d"
                            + " sector(s), %d PQ bytes", l.count(), l.dimensions(), l.type(), index.metric(), l.maxDegree(),
                    l.recordBytes(), l.nodesPerSector(), l.sectorsPerNode(), index.quantizer().chunks()));
            DiskReader reader = new DiskReader(index, 1);
            float[] none = new float[l.dimensions()];
            int[] one = new int[1];
            int[] nbrs = new int[l.maxDegree()];
            BitSet reached = new BitSet(l.count());
            long edges = 0;
            int bad = 0;
            int idMismatches = 0;
            IdTable ids = null;
            try { // once: the records' ids are compared with the ids section
                ids = index.idTable();
            } catch (IllegalStateException e) {
                problems.add(e.getMessage());
            }
            for (int node = 0; node < l.count(); node++) {
                one[0] = node;
                try {
                    reader.start(none); // per node: the expanded list must not grow with the file
                    reader.fetch(one, 1);
                    edges += reader.neighbors(node, nbrs);
                    if (l.recordIds() && ids != null && reader.expandedIds[0] != ids.idOf(node) && idMismatches++ < 10) {
                        problems.add("node " + node + ": its record holds id " + reader.expandedIds[0]
                                + ", the ids section " + ids.idOf(node));
                    }
                } catch (UncheckedIOException e) {
                    if (bad++ < 10) {
                        problems.add(e.getCause().getMessage());
                    }
                }
            }
            facts.add("sectors read and checksums compared: " + l.sectors() + "; mean degree "
                    + String.format(Locale.ROOT, "%.1f", edges / (double) l.count()));
            if (problems.isEmpty()) {
                int[] queue = new int[l.count()];
                int head = 0;
                int tail = 0;
                queue[tail++] = index.entryNode();
                reached.set(index.entryNode());
                while (head < tail) {
                    one[0] = queue[head++];
                    reader.start(none);
                    reader.fetch(one, 1);
                    int d = reader.neighbors(one[0], nbrs);
                    for (int j = 0; j < d; j++) {
                        if (!reached.get(nbrs[j])) {
                            reached.set(nbrs[j]);
                            queue[tail++] = nbrs[j];
                        }
                    }
                }
                facts.add("reachable from the entry point: " + tail + " of " + l.count() + " nodes");
                if (tail < l.count()) {
                    warnings.add((l.count() - tail) + " nodes cannot be reached from the entry point (searches never"
                            + " return them)");
                }
            }
        } catch (CorruptIndexException e) {
            problems.add(e.getMessage());
        }
        return new VerifyReport(path, DiskIndexWriter.CODEC + " v" + version, saveId, sections, facts,
                warnings, problems);
    }
}
