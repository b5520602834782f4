package io.diskann.disk;

import io.diskann.index.CorruptIndexException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.zip.CRC32C;

/**
 * The nodes section of a disk index mapped into memory ({@link IoMode#MMAP}): searches read records where
 * they lie in the page cache, with no system call and no copy per read.
 *
 * <p>Why: when the file fits in free memory, a positional read costs a system call and a 4 KiB copy
 * (about 2.3 us per read on tmpfs here, two thirds of a query's time at 180 reads per query,
 * docs/PERFORMANCE.md section 24); a mapped record costs a page-table walk. The kernel still decides
 * which pages stay in memory, as in {@link IoMode#PAGE_CACHE}.
 *
 * <p>Checksums: each sector is checked against its CRC32C the first time any search touches it, and
 * remembered as checked in a bitset (one bit per sector, counted in the index's RAM); a corrupt sector
 * fails every search that touches it with a {@link CorruptIndexException}. Two threads that touch an
 * unchecked sector at once may both check it. A file truncated or rewritten under an open mapped index
 * is outside the contract: the JVM reports an access past the end of a truncated file as an
 * {@link InternalError}.
 *
 * <p>Thread-safe. Closed with the index; a search that runs on after that fails.
 */
final class MappedNodes implements AutoCloseable {
    private final Path path;
    private final DiskLayout layout;
    private final int[] sectorCrcs;
    private final Arena arena = Arena.ofShared();
    private final MemorySegment nodes;
    /** Sectors already checked, one bit each; racy by design: a lost bit means one more check. */
    private final long[] checked;

    MappedNodes(Path path, DiskLayout layout, long nodesOffset, int[] sectorCrcs) throws IOException {
        this.path = path;
        this.layout = layout;
        this.sectorCrcs = sectorCrcs;
        long bytes = layout.sectors() * DiskLayout.SECTOR;
        try (FileChannel ch = FileChannel.open(path, StandardOpenOption.READ)) {
            if (ch.size() < nodesOffset + bytes) {
                throw new CorruptIndexException(path, "nodes", ch.size(),
                        "the file ends inside the node section (truncated)");
            }
            this.nodes = ch.map(FileChannel.MapMode.READ_ONLY, nodesOffset, bytes, arena);
        } catch (IOException | RuntimeException e) {
            arena.close();
            throw e;
        }
        this.checked = new long[(int) ((layout.sectors() + 63) >>> 6)];
    }

    /** The mapped nodes section: sector {@code s} starts at byte {@code s * 4096}. */
    MemorySegment segment() {
        return nodes;
    }

    /** Where node {@code node}'s record starts in {@link #segment}, after checking its sectors once. */
    long recordOffset(int node) {
        long sector = layout.sectorOf(node);
        for (int s = 0; s < layout.sectorsPerNode(); s++) {
            checkOnce(sector + s);
        }
        return sector * DiskLayout.SECTOR + layout.offsetInRead(node);
    }

    private void checkOnce(long sector) {
        int word = (int) (sector >>> 6);
        long bit = 1L << (sector & 63);
        if ((checked[word] & bit) != 0) {
            return;
        }
        CRC32C crc = new CRC32C(); // once per sector per open
        crc.update(nodes.asSlice(sector * DiskLayout.SECTOR, DiskLayout.SECTOR).asByteBuffer());
        int stored = sectorCrcs[(int) sector];
        if ((int) crc.getValue() != stored) {
            throw new UncheckedIOException(SectorChecks.mismatch(path, sector, stored, (int) crc.getValue()));
        }
        checked[word] |= bit;
    }

    /** RAM this mapping holds outside the page cache: the checked-sector bitset. */
    long bytes() {
        return 8L * checked.length;
    }

    @Override
    public void close() {
        arena.close();
    }
}
