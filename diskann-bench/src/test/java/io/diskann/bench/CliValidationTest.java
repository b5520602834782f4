package io.diskann.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.diskann.bench.data.IntMatrix;
import io.diskann.bench.data.SyntheticData;
import io.diskann.bench.data.VecsFiles;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Bad option values and files end with exit code 2 and one line naming the real reason, never a stack
 * trace, a hang or exit 0 (the cases a hostile-user session found).
 */
class CliValidationTest {

    @TempDir
    Path dir;
    Path base;
    Path query;
    Path idx;

    private static final String[] FAST = {"--runs", "1", "--min-seconds", "0", "--row-seconds", "0", "--warmup-seconds", "0"};

    @BeforeEach
    void files() throws Exception {
        SyntheticData.Split s = SyntheticData.gaussianClusters(600, 20, 8, 4, 0.5, 3);
        base = dir.resolve("b.fvecs");
        query = dir.resolve("q.fvecs");
        VecsFiles.writeFloats(base, s.base());
        VecsFiles.writeFloats(query, s.queries());
        idx = dir.resolve("i.idx");
        assertEquals(0, DiskannCli.run("build", "--base", base.toString(), "--out", idx.toString(), "-R", "8",
                "--build-L", "16", "--threads", "1"));
    }

    /** Runs the CLI, returns {exit code, what it wrote to stderr}. */
    private static Object[] run(String... args) {
        PrintStream old = System.err;
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        try {
            int code = DiskannCli.run(args);
            return new Object[] {code, err.toString(StandardCharsets.UTF_8).trim()};
        } finally {
            System.setErr(old);
        }
    }

    private static void refused(String reason, String... args) {
        Object[] r = run(args);
        String err = (String) r[1];
        assertEquals(2, r[0], Arrays.toString(args) + " -> " + err);
        assertTrue(err.contains(reason), "expected '" + reason + "' in: " + err);
        assertEquals(1, err.lines().count(), "one line: " + err);
        assertTrue(!err.contains("Exception") && !err.contains("\tat "), "no stack trace: " + err);
    }

    /** {@code command}, the fast timing options, then {@code args}. */
    private static String[] with(String command, String... args) {
        return concat(concat(new String[] {command}, FAST), args);
    }

    private String[] eval(String... more) {
        String[] head = {"eval", "--base", base.toString(), "--query", query.toString(), "--no-plot", "-k", "10",
                "--search-L", "16"};
        String[] all = Arrays.copyOf(head, head.length + more.length);
        System.arraycopy(more, 0, all, head.length, more.length);
        String[] out = Arrays.copyOf(all, all.length + FAST.length);
        System.arraycopy(FAST, 0, out, all.length, FAST.length);
        return out;
    }

    @Test
    void countsAndSizesAreCheckedAtTheEdge() {
        refused("Invalid value for option '--max-queries'", eval("--max-queries", "0"));
        refused("Invalid value for option '--max-base'", eval("--max-base", "-1"));
        refused("Invalid value for option '--threads'", eval("--threads", "-1"));
        refused("Invalid value for option '--search-L'", eval("--search-L", "-5"));
        refused("Invalid value for option '-k'", eval("-k", "0"));
        refused("Invalid value for option '--max-queries'", with("search", "--index", idx.toString(), "--query", query.toString(),
                "--max-queries", "0"));
        refused("must be at least 1, got -5", with("search", "--index", idx.toString(), "--query", query.toString(),
                "-L", "-5"));
        refused("Invalid value for option '--threads'", with("search", "--index", idx.toString(), "--query", query.toString(), "--threads", "0"));
        refused("Invalid value for option '--max-base'", "build", "--base", base.toString(), "--out", dir.resolve("x.idx").toString(),
                "--max-base", "-1");
    }

    @Test
    void churnFractionsAndRoundsAreCheckedAndAWholeRoundEnds() {
        String[] synth = {"churn", "--synth-n", "400", "--synth-dim", "8", "--synth-queries", "10", "-R", "8",
                "--build-L", "16", "--search-L", "16"};
        refused("Invalid value for option '--round-fraction'", concat(synth, "--round-fraction", "2"));
        refused("Invalid value for option '--round-fraction'", concat(synth, "--round-fraction", "NaN"));
        refused("Invalid value for option '--rounds'", concat(synth, "--rounds", "-1"));
        // every live vector replaced in one round: ended only by luck before (random picks, retrying the gone)
        assertEquals(0, run(concat(synth, "--round-fraction", "1", "--rounds", "1"))[0]);
    }

    @Test
    void missingFilesAndForeignGroundTruthAreNamed() throws Exception {
        refused("no such file: " + dir.resolve("nope.ivecs"), eval("--gt", dir.resolve("nope.ivecs").toString()));
        refused("no such file: " + dir.resolve("nope.idx"), with("search", "--index", dir.resolve("nope.idx").toString(),
                "--query", query.toString()));
        int[] ids = new int[20 * 10];
        ids[7] = 999_999;
        Path badGt = dir.resolve("bad.ivecs");
        VecsFiles.writeInts(badGt, new IntMatrix(20, 10, ids));
        refused("999999", with("search", "--index", idx.toString(), "--query", query.toString(), "--gt",
                badGt.toString()));
        ids[7] = -5;
        VecsFiles.writeInts(badGt, new IntMatrix(20, 10, ids));
        refused("-5", with("search", "--index", idx.toString(), "--query", query.toString(), "--gt", badGt.toString()));
    }

    private static String[] concat(String[] a, String... b) {
        String[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
