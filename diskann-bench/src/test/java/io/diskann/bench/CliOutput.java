package io.diskann.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/** Runs a command of the command line with its standard output captured, for tests that check what it says. */
final class CliOutput {

    private CliOutput() {
    }

    /**
     * Runs {@code args}, asserts the exit code, and returns what the command printed.
     *
     * @param expectedExit the exit code the command must end with
     * @param args the command and its options
     * @return the command's standard output
     */
    static String run(int expectedExit, String... args) {
        PrintStream out = System.out;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            assertEquals(expectedExit, DiskannCli.run(args), String.join(" ", args));
        } finally {
            System.setOut(out);
        }
        return captured.toString(StandardCharsets.UTF_8);
    }
}
