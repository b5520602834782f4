package io.diskann.bench;

import io.diskann.disk.DiskIndex;
import io.diskann.index.VerifyReport;
import io.diskann.pq.PqIndex;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code ./diskann verify}: reads a saved index through and through (every checksum, every structural
 * invariant) and says what it found, like Lucene's CheckIndex. Exit 0 when the file is sound, 1 when it
 * is not, 2 when it cannot be checked at all (missing, unreadable).
 */
@Command(name = "verify", mixinStandardHelpOptions = true,
        description = "Check a saved index: checksums, ids in range, degrees, slot table, PQ codes; exit 1 if it is damaged.")
final class VerifyCommand implements Callable<Integer> {

    @Option(names = "--index", required = true, paramLabel = "FILE", description = "A saved index (graph or PQ).")
    Path indexFile;

    @Option(names = "--json", paramLabel = "FILE", description = "Also write the report as JSON.")
    Path json;

    @Override
    public Integer call() throws IOException {
        VerifyReport report = isDiskIndex(indexFile) ? DiskIndex.verify(indexFile) : PqIndex.verify(indexFile);
        print(report);
        return report.ok() ? 0 : 1;
    }

    private static boolean isDiskIndex(Path file) throws IOException {
        if (!Files.exists(file) || Files.size(file) < 22) {
            return false;
        }
        byte[] head = new byte[21];
        try (var in = Files.newInputStream(file)) {
            in.readNBytes(head, 0, head.length);
        }
        String s = new String(head, java.nio.charset.StandardCharsets.ISO_8859_1);
        return s.startsWith("DISKANNF") && s.substring(9).startsWith("disk-index");
    }

    private void print(VerifyReport report) throws IOException {
        System.out.println("file:    " + report.file());
        System.out.println("format:  " + report.format() + (report.saveId() == null ? "" : ", save id " + report.saveId()));
        for (String s : report.sections()) {
            System.out.println("section: " + s);
        }
        for (String f : report.facts()) {
            System.out.println("found:   " + f);
        }
        for (String w : report.warnings()) {
            System.out.println("warning: " + w);
        }
        for (String p : report.problems()) {
            System.out.println("PROBLEM: " + p);
        }
        System.out.println(report.ok() ? "OK: the index is sound" : "DAMAGED: " + report.problems().size() + " problem(s)");
        if (json != null) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("file", report.file().toString());
            m.put("format", report.format());
            m.put("save_id", report.saveId());
            m.put("ok", report.ok());
            m.put("sections", report.sections());
            m.put("facts", report.facts());
            m.put("warnings", report.warnings());
            m.put("problems", report.problems());
            Files.writeString(json, Json.write(m));
        }
    }
}
