package io.diskann.disk;

import io.diskann.index.CorruptIndexException;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.zip.CRC32C;

/**
 * Node records held in memory: nodes 0..count-1, which are the nodes nearest the entry point by breadth
 * first (DiskANN's {@code num_nodes_to_cache}), since the file numbers its nodes breadth-first from the
 * entry point (node 0). Read once, sequentially, when the index opens, in whole sectors, so that a cached
 * node's sector mates are cached too and a search scores the same nodes whether a record came from the
 * cache or from the disk. Immutable after construction, so searchers share it without locks.
 */
final class NodeCache {

    static final NodeCache EMPTY = new NodeCache(0, new byte[0], 1);

    private final int count;
    private final MemorySegment records;
    private final int recordBytes;

    /** Nodes {@code 0..count-1}, whose records lie one after another in {@code records}. */
    NodeCache(int count, byte[] records, int recordBytes) {
        if ((long) count * recordBytes > records.length) {
            throw new IllegalArgumentException(count + " records of " + recordBytes + " bytes do not fit in "
                    + records.length);
        }
        this.count = count;
        this.records = MemorySegment.ofArray(records);
        this.recordBytes = recordBytes;
    }

    /** Where node's record starts in {@link #records()}, or -1 if it is not cached. */
    long offsetOf(int node) {
        return node >= 0 && node < count ? (long) node * recordBytes : -1;
    }

    MemorySegment records() {
        return records;
    }

    int size() {
        return count;
    }

    long bytes() {
        return records.byteSize();
    }

    /**
     * Reads the first {@code n} nodes' records (rounded up to whole sectors) of the file at {@code path}
     * sequentially, each sector checked against {@code sectorCrcs}; {@link #EMPTY} for none.
     */
    static NodeCache read(Path path, DiskLayout layout, long nodesOffset, int[] sectorCrcs, int n) throws IOException {
        if (Math.min(n, layout.count()) == 0) {
            return EMPTY;
        }
        boolean packed = layout.recordBytes() <= DiskLayout.SECTOR;
        int perRead = packed ? layout.nodesPerSector() : 1;
        int want = (int) Math.min(layout.count(), ((long) n + perRead - 1) / perRead * perRead);
        int units = (want + perRead - 1) / perRead;
        int unitBytes = layout.readBytes();
        byte[] records = new byte[Math.multiplyExact(want, layout.recordBytes())];
        int unitsPerChunk = Math.max(1, (1 << 20) / unitBytes);
        ByteBuffer chunk = ByteBuffer.allocate(unitsPerChunk * unitBytes);
        CRC32C crc = new CRC32C();
        try (FileChannel in = FileChannel.open(path, StandardOpenOption.READ)) {
            for (int u0 = 0; u0 < units; u0 += unitsPerChunk) {
                int take = Math.min(unitsPerChunk, units - u0);
                chunk.clear().limit(take * unitBytes);
                long at = nodesOffset + (long) u0 * unitBytes;
                while (chunk.hasRemaining()) {
                    if (in.read(chunk, at + chunk.position()) < 0) {
                        throw new CorruptIndexException(path, "nodes", at + chunk.position(), "the file ends inside"
                                + " the nodes section (truncated)");
                    }
                }
                byte[] b = chunk.array();
                for (int u = 0; u < take; u++) {
                    long sector = layout.sectorOf((u0 + u) * perRead);
                    for (int s = 0; s < layout.sectorsPerNode(); s++) {
                        crc.reset();
                        crc.update(b, u * unitBytes + s * DiskLayout.SECTOR, DiskLayout.SECTOR);
                        if ((int) crc.getValue() != sectorCrcs[(int) (sector + s)]) {
                            throw SectorChecks.mismatch(path, sector + s, sectorCrcs[(int) (sector + s)],
                                    (int) crc.getValue());
                        }
                    }
                    for (int node = (u0 + u) * perRead; node < Math.min(want, (u0 + u + 1) * perRead); node++) {
                        System.arraycopy(b, u * unitBytes + layout.offsetInRead(node), records,
                                node * layout.recordBytes(), layout.recordBytes());
                    }
                }
            }
        }
        return new NodeCache(want, records, layout.recordBytes());
    }
}
