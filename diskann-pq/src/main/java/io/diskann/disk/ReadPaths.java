package io.diskann.disk;

import java.nio.file.Path;

/**
 * Which way an index's sectors are read, described for logs and reports. In direct mode the answer depends on
 * more than the options: kernel AIO needs the platform ({@link LinuxAio#available}) and a kernel that grants
 * an {@code io_setup} context and O_DIRECT on this file, which containers and some file systems refuse (each
 * searcher then falls back to {@code FileChannel}). So the first description opens and closes one context
 * to find out, and remembers the answer. Thread-safe: a racing second probe gives the same answer.
 */
final class ReadPaths {

    private final Path path;
    private final DiskOptions options;
    /** Whether a kernel AIO context opened on the file; null until probed. */
    private volatile Boolean aioOpens;

    ReadPaths(Path path, DiskOptions options) {
        this.path = path;
        this.options = options;
    }

    /** A short description, e.g. "O_DIRECT, kernel AIO" or "page cache, mapped". */
    String describe() {
        return switch (options.ioMode()) {
            case DIRECT -> options.kernelAio() && kernelAioOpens() ? "O_DIRECT, kernel AIO"
                    : "O_DIRECT, FileChannel, " + (options.ioThreads() == 0 ? "reads on the searching thread"
                    : IoWorkers.VIRTUAL_THREADS ? "parallel reads on virtual threads" : options.ioThreads() + " reader threads");
            case PAGE_CACHE -> "page cache, FileChannel";
            case MMAP -> "page cache, mapped";
        };
    }

    private boolean kernelAioOpens() {
        Boolean known = aioOpens;
        if (known == null) {
            LinuxAio probe = LinuxAio.available() ? LinuxAio.open(path, 1) : null;
            if (probe != null) {
                probe.close();
            }
            known = probe != null;
            aioOpens = known;
        }
        return known;
    }
}
