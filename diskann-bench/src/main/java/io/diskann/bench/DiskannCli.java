package io.diskann.bench;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code ./diskann} command line: one entry point for evaluation, benchmarks and index tools.
 *
 * <p>Why picocli: sub-commands, typed options, {@code --help} and error messages for free, so every
 * command reports bad input as a one-line reason and a non-zero exit code.
 */
@Command(name = "diskann", mixinStandardHelpOptions = true, version = "diskann-java 0.1.0-SNAPSHOT",
        description = "diskann-java: approximate nearest-neighbour search in pure Java.",
        subcommands = {EvalCommand.class, BuildCommand.class, SearchCommand.class, ChurnCommand.class, PlotCommand.class,
                GtCommand.class,
                ConvertCommand.class, SynthCommand.class,
                KernelsCommand.class,
                SelfCheckCommand.class, AbCommand.class, CommandLine.HelpCommand.class})
public final class DiskannCli {

    private DiskannCli() {
    }

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs the command line and returns its exit code (for tests). */
    public static int run(String... args) {
        CommandLine cli = new CommandLine(new DiskannCli());
        cli.setExecutionExceptionHandler((e, cmd, parsed) -> {
            if (e instanceof IllegalArgumentException || e instanceof IllegalStateException
                    || e instanceof java.io.IOException) {
                cmd.getErr().println("diskann " + cmd.getCommandName() + ": " + e.getMessage());
                return 2;
            }
            throw e;
        });
        return cli.execute(args);
    }
}
