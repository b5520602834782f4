package io.diskann.bench;

import io.diskann.disk.IoMode;
import picocli.CommandLine.Option;

/** How a disk index reads its nodes ({@link IoMode}); shared by search-disk and eval --disk. */
final class IoModeOptions {

    @Option(names = "--direct", description = "Disk index: O_DIRECT reads (bypass the page cache), W reads in parallel.")
    boolean direct;

    @Option(names = "--mmap", description = "Disk index: map the node section into memory and read records where they"
            + " lie in the page cache: no system call or copy per read (fastest when the file fits in free memory).")
    boolean mmap;

    /**
     * The mode the flags name: page-cache reads when neither is given.
     *
     * @throws IllegalArgumentException if both are given
     */
    IoMode ioMode() {
        if (direct && mmap) {
            throw new IllegalArgumentException("--direct and --mmap exclude each other: pick one way to read");
        }
        return direct ? IoMode.DIRECT : mmap ? IoMode.MMAP : IoMode.PAGE_CACHE;
    }
}
