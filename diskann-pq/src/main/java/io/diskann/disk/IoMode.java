package io.diskann.disk;

/**
 * How the disk index reads sectors.
 *
 * <p>Why two modes: {@link #DIRECT} bypasses the operating system's page cache (O_DIRECT, as Microsoft
 * DiskANN reads), so the index's RAM is what it says it is and an index larger than RAM behaves the same
 * from the first query; every read goes to the device, so W reads of a round are issued in parallel.
 * {@link #PAGE_CACHE} reads through the page cache, which serves repeated sectors from RAM (fast when
 * the file fits in free memory, e.g. benchmarks) but lets the kernel, not the index, decide what stays
 * in memory. {@link #MMAP} maps the node section and reads records where they lie in the page cache, with
 * no system call or copy per read: the fastest when the file fits in free memory (section 24 of
 * docs/PERFORMANCE.md). docs/PERFORMANCE.md has the measurements.
 */
public enum IoMode {
    /** O_DIRECT reads into aligned buffers; W reads of a round in parallel. */
    DIRECT,
    /** Positional reads through the page cache, on the searching thread. */
    PAGE_CACHE,
    /**
     * The node section mapped into memory ({@code FileChannel.map}); each sector checked against its
     * checksum the first time a search touches it. No system call per read; page faults instead.
     */
    MMAP
}
