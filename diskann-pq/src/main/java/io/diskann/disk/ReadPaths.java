package io.diskann.disk;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * How an index's sectors are read: the channel each I/O mode opens, the mapping of {@link IoMode#MMAP}, and a
 * description for logs and reports. In direct mode the description depends on
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

    /** The channel {@code mode} reads through: opened with O_DIRECT in direct mode, plain otherwise. */
    static FileChannel openChannel(Path path, IoMode mode) throws IOException {
        if (mode != IoMode.DIRECT) {
            return FileChannel.open(path, StandardOpenOption.READ);
        }
        try {
            return FileChannel.open(path, StandardOpenOption.READ, com.sun.nio.file.ExtendedOpenOption.DIRECT);
        } catch (UnsupportedOperationException | IOException e) {
            throw new IOException("cannot open " + path + " for direct I/O (O_DIRECT): " + e.getMessage()
                    + "; its file system may not support it; open with IoMode.PAGE_CACHE instead", e);
        }
    }

    /** The node section mapped for {@link IoMode#MMAP}; closes {@code channel} if mapping fails. */
    static MappedNodes mapNodes(Path path, DiskLayout layout, long nodesOffset, int[] crcs, FileChannel channel)
            throws IOException {
        try {
            return new MappedNodes(path, layout, nodesOffset, crcs);
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
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
