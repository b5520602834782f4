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
                ConvertCommand.class, SynthCommand.class, SynthLabelsCommand.class,
                KernelsCommand.class,
                SelfCheckCommand.class, AbCommand.class, VerifyCommand.class, BuildDiskCommand.class, SearchDiskCommand.class, CommandLine.HelpCommand.class})
public final class DiskannCli {

    /** Held strongly: java.util.logging keeps loggers weakly, and a collected one forgets its level. */
    private static final java.util.logging.Logger LIBRARY_LOGGER = java.util.logging.Logger.getLogger("io.diskann");

    private DiskannCli() {
    }

    public static void main(String[] args) {
        try {
            quietLibraryLogging();
        } catch (IllegalArgumentException e) {
            System.err.println("diskann: " + e.getMessage());
            System.exit(2);
        }
        System.exit(run(args));
    }

    /**
     * Each command prints one {@code kernels: ...} line itself, so the library's start-up INFO record (two
     * lines with a timestamp under the JDK's default format) would only repeat it: the CLI shows the
     * library's warnings and errors, one line each. Applications embedding the library keep its records
     * through {@code System.Logger} untouched; {@code -Ddiskann.log=info} brings them back here
     * ({@code debug} adds the build's orphan repair, for one).
     */
    static void quietLibraryLogging() {
        java.util.logging.Logger library = LIBRARY_LOGGER;
        String level = System.getProperty("diskann.log", "warning").toUpperCase(java.util.Locale.ROOT);
        try { // System.Logger's names as well as java.util.logging's
            library.setLevel(java.util.logging.Level.parse(switch (level) {
                case "DEBUG" -> "FINE";
                case "TRACE" -> "FINER";
                case "ERROR" -> "SEVERE";
                default -> level;
            }));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("-Ddiskann.log=" + System.getProperty("diskann.log")
                    + ": not a level (error, warning, info, debug, trace, or a java.util.logging level)", e);
        }
        library.setUseParentHandlers(false);
        java.util.logging.ConsoleHandler oneLine = new java.util.logging.ConsoleHandler();
        oneLine.setLevel(java.util.logging.Level.ALL);
        oneLine.setFormatter(new java.util.logging.Formatter() {
            @Override
            public String format(java.util.logging.LogRecord r) {
                return "diskann: " + r.getLevel().getName().toLowerCase(java.util.Locale.ROOT) + ": "
                        + formatMessage(r) + System.lineSeparator();
            }
        });
        library.addHandler(oneLine);
    }

    /** The reason of a failure in one line; file-system exceptions carry only a path as their message. */
    static String oneLine(Exception e) {
        String why = switch (e) {
            case java.nio.file.NoSuchFileException f -> "no such file: " + f.getFile();
            case java.nio.file.AccessDeniedException f -> "permission denied: " + f.getFile();
            case java.nio.file.FileAlreadyExistsException f -> "already exists: " + f.getFile();
            case java.nio.file.NotDirectoryException f -> "not a directory: " + f.getFile();
            case java.nio.file.DirectoryNotEmptyException f -> "directory not empty: " + f.getFile();
            default -> e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        };
        return why.replace('\n', ' ');
    }

    /** Runs the command line and returns its exit code (for tests). */
    public static int run(String... args) {
        CommandLine cli = new CommandLine(new DiskannCli());
        cli.setExecutionExceptionHandler((e, cmd, parsed) -> {
            if (e instanceof IllegalArgumentException || e instanceof IllegalStateException
                    || e instanceof java.io.IOException) {
                cmd.getErr().println("diskann " + cmd.getCommandName() + ": " + oneLine(e));
                return 2;
            }
            throw e;
        });
        cli.setParameterExceptionHandler((e, unused) -> {
            CommandLine cmd = e.getCommandLine();
            cmd.getErr().println("diskann " + cmd.getCommandName() + ": " + e.getMessage()
                    + " (./diskann " + cmd.getCommandName() + " --help lists the options)");
            return 2;
        });
        return cli.execute(args);
    }
}
