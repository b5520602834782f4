package io.diskann.testing;

import java.util.Random;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.TestExecutionExceptionHandler;

/**
 * Per-run random seeds, as Lucene's randomized testing draws them: each run of the suite meets new
 * inputs, and a failure says how to replay it. The run's root seed is {@code -Dtests.seed=<hex>} when
 * given, otherwise drawn at start-up; every test derives its own seeds from the root and a fixed
 * "purpose" constant, so one root replays every test exactly.
 *
 * <p>Registered for every test through JUnit's extension auto-detection
 * ({@code META-INF/services}); on a failure it adds "reproduce with -Dtests.seed=..." to the error and
 * prints it.
 */
public final class TestSeeds implements TestExecutionExceptionHandler {

    private static final long ROOT = root0();

    private static long root0() {
        String given = System.getProperty("tests.seed");
        if (given != null && !given.isBlank()) {
            return Long.parseUnsignedLong(given.strip().replaceFirst("^0x", ""), 16);
        }
        return new Random().nextLong();
    }

    /**
     * The run's root seed.
     *
     * @return the seed every test's seeds derive from
     */
    public static long root() {
        return ROOT;
    }

    /**
     * A seed for one purpose in one test, derived from the run's root: the same purpose gets the same
     * seed within a run, different purposes independent ones.
     *
     * @param purpose a constant that tells this use apart (the fixed seed a test used before)
     * @return the seed
     */
    public static long seed(long purpose) {
        return seedUnder(ROOT, purpose);
    }

    /**
     * The seed {@link #seed} gives under another run's root: a test that pins data a random run once found
     * (a recorded failure) rebuilds it from that run's root.
     *
     * @param root the recorded run's root ({@code -Dtests.seed})
     * @param purpose the purpose the data was made for
     * @return the seed
     */
    public static long seedUnder(long root, long purpose) {
        return mix(root ^ mix(purpose + 0x9E3779B97F4A7C15L));
    }

    /**
     * A random generator for one purpose ({@link #seed}).
     *
     * @param purpose a constant that tells this use apart
     * @return a generator seeded for this run
     */
    public static Random random(long purpose) {
        return new Random(seed(purpose));
    }

    /**
     * The flag that replays this run.
     *
     * @return e.g. {@code -Dtests.seed=1f2e3d4c5b6a7988}
     */
    public static String replay() {
        return "-Dtests.seed=" + Long.toHexString(ROOT);
    }

    private static long mix(long z) { // SplitMix64's finaliser
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    @Override
    public void handleTestExecutionException(ExtensionContext context, Throwable failure) throws Throwable {
        String line = "reproduce with: ./diskann test " + replay() + "  (or mvn test -Dtest="
                + context.getRequiredTestClass().getSimpleName() + " " + replay() + ")";
        System.err.println(context.getDisplayName() + " failed; " + line);
        failure.addSuppressed(new AssertionError(line));
        throw failure;
    }
}
