package io.diskann.index;

import java.nio.file.Path;
import java.util.List;

/**
 * What a check of an index file found (Lucene's CheckIndex in spirit): the file's layout, facts worth
 * knowing, warnings (legal but unusual: nodes no search can reach), and problems (the file is corrupt or
 * breaks an invariant the index relies on). A file is sound when {@link #problems()} is empty.
 *
 * @param file the file checked
 * @param format what the file is, e.g. {@code "vamana-index v4"} or {@code "legacy graph file v2"}
 * @param saveId the id of the save that wrote it, or {@code null} for formats without one
 * @param sections name, version, offset and length of each section, one line each (empty for legacy files)
 * @param facts what was found, e.g. counts, degrees, memory
 * @param warnings legal but worth a look
 * @param problems what is wrong; empty when the file is sound
 */
public record VerifyReport(Path file, String format, String saveId, List<String> sections, List<String> facts,
                           List<String> warnings, List<String> problems) {

    /** Copies the lists. */
    public VerifyReport {
        sections = List.copyOf(sections);
        facts = List.copyOf(facts);
        warnings = List.copyOf(warnings);
        problems = List.copyOf(problems);
    }

    /**
     * Whether the file is sound.
     *
     * @return true when no problem was found
     */
    public boolean ok() {
        return problems.isEmpty();
    }
}
