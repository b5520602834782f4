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
 * Node records held in memory, in whole sectors, so that a cached node's sector mates are cached too and a
 * search scores the same nodes whether a record came from the cache or from the disk. Either nodes
 * 0..count-1, which are the nodes nearest the entry point by breadth first (DiskANN's
 * {@code num_nodes_to_cache}: the file numbers its nodes breadth-first from the entry point), read once,
 * sequentially, when the index opens; or the sectors a sample of queries read most
 * ({@link DiskIndex#cacheFromQueries}, DiskANN's {@code generate_cache_list_from_sample_queries}), found
 * through a primitive map. Immutable after construction, so searchers share it without locks.
 */
final class NodeCache {

    static final NodeCache EMPTY = new NodeCache(0, new byte[0], 1);

    private final int count;
    private final MemorySegment records;
    private final int recordBytes;
    /** Node to slot for a chosen set; null for the prefix 0..count-1. */
    private final org.agrona.collections.Int2IntHashMap slots;

    /** Nodes {@code 0..count-1}, whose records lie one after another in {@code records}. */
    NodeCache(int count, byte[] records, int recordBytes) {
        if ((long) count * recordBytes > records.length) {
            throw new IllegalArgumentException(count + " records of " + recordBytes + " bytes do not fit in "
                    + records.length);
        }
        this.count = count;
        this.records = MemorySegment.ofArray(records);
        this.recordBytes = recordBytes;
        this.slots = null;
    }

    /** The nodes {@code nodes} (distinct), record {@code i} of {@code records} being {@code nodes[i]}'s. */
    NodeCache(int[] nodes, byte[] records, int recordBytes) {
        if ((long) nodes.length * recordBytes > records.length) {
            throw new IllegalArgumentException(nodes.length + " records of " + recordBytes + " bytes do not fit in "
                    + records.length);
        }
        this.count = nodes.length;
        this.records = MemorySegment.ofArray(records);
        this.recordBytes = recordBytes;
        this.slots = new org.agrona.collections.Int2IntHashMap(Math.max(8, nodes.length * 2), 0.65f, -1);
        for (int i = 0; i < nodes.length; i++) {
            slots.put(nodes[i], i);
        }
    }

    /** Where node's record starts in {@link #records()}, or -1 if it is not cached. */
    long offsetOf(int node) {
        if (slots != null) {
            int slot = slots.get(node);
            return slot < 0 ? -1 : (long) slot * recordBytes;
        }
        return node >= 0 && node < count ? (long) node * recordBytes : -1;
    }

    MemorySegment records() {
        return records;
    }

    int size() {
        return count;
    }

    /** Records plus, for a chosen set, its map (two ints per slot of its table, measured by capacity). */
    long bytes() {
        return records.byteSize() + (slots == null ? 0 : 8L * slots.capacity());
    }

    /**
     * The sectors {@code sample} reads most, about {@code nodes} nodes in whole sectors ({@link DiskIndex#cacheFromQueries}).
     *
     * @throws IllegalArgumentException if {@code nodes} is negative or the sample or parameters are missing
     */
    static NodeCache fromQueries(DiskIndex index, float[][] sample, io.diskann.index.SearchParams params, int nodes,
                                 long nodesOffset, int[] sectorCrcs) throws IOException {
        if (nodes < 0) {
            throw new IllegalArgumentException("nodes must be >= 0, got " + nodes);
        }
        if (sample == null || sample.length == 0 || params == null) {
            throw new IllegalArgumentException("a sample of at least one query and search parameters are needed");
        }
        int[] units = mostVisitedUnits(index.layout(), visits(index, sample, params), nodes);
        return readUnits(index.path(), index.layout(), nodesOffset, sectorCrcs, units);
    }

    /** How often each node's record was asked for (read or cached) while {@code sample} was searched. */
    static int[] visits(DiskIndex index, float[][] sample, io.diskann.index.SearchParams params) {
        int[] counts = new int[index.layout().count()];
        try (DiskSearcher s = new DiskSearcher(index)) {
            s.countVisits(counts);
            for (float[] q : sample) {
                s.search(q, params);
            }
        }
        return counts;
    }

    /**
     * The units (sectors, or one node's sectors) whose nodes were visited most, about {@code nodes} nodes in
     * all, in file order so that reading them runs forward. Ties go to the lower unit.
     */
    static int[] mostVisitedUnits(DiskLayout layout, int[] visits, int nodes) {
        int perUnit = layout.recordBytes() <= DiskLayout.SECTOR ? layout.nodesPerSector() : 1;
        int unitCount = (layout.count() + perUnit - 1) / perUnit;
        long[] ranked = new long[unitCount]; // visits negated (most first) over the unit number
        for (int u = 0; u < unitCount; u++) {
            long sum = 0;
            for (int node = u * perUnit; node < Math.min(layout.count(), (u + 1) * perUnit); node++) {
                sum += visits[node];
            }
            ranked[u] = -sum << 32 | u;
        }
        java.util.Arrays.sort(ranked);
        int want = (int) Math.min(unitCount, ((long) Math.min(nodes, layout.count()) + perUnit - 1) / perUnit);
        int[] units = new int[want];
        for (int i = 0; i < want; i++) {
            units[i] = (int) ranked[i];
        }
        java.util.Arrays.sort(units);
        return units;
    }

    /**
     * Reads the given units (a sector of packed records, or one node's sectors when a record spans
     * several) of the file at {@code path}, each sector checked against {@code sectorCrcs}.
     *
     * @param units distinct unit numbers (unit u holds nodes u * perUnit .. ), in any order
     */
    static NodeCache readUnits(Path path, DiskLayout layout, long nodesOffset, int[] sectorCrcs, int[] units)
            throws IOException {
        if (units.length == 0) {
            return EMPTY;
        }
        boolean packed = layout.recordBytes() <= DiskLayout.SECTOR;
        int perRead = packed ? layout.nodesPerSector() : 1;
        int unitBytes = layout.readBytes();
        int total = 0;
        for (int u : units) {
            total += Math.min(layout.count(), (u + 1) * perRead) - u * perRead;
        }
        int[] nodes = new int[total];
        byte[] records = new byte[Math.multiplyExact(total, layout.recordBytes())];
        ByteBuffer unit = ByteBuffer.allocate(unitBytes);
        CRC32C crc = new CRC32C();
        int slot = 0;
        try (FileChannel in = FileChannel.open(path, StandardOpenOption.READ)) {
            for (int u : units) {
                int first = u * perRead;
                long sector = layout.sectorOf(first);
                unit.clear();
                long at = nodesOffset + sector * DiskLayout.SECTOR;
                while (unit.hasRemaining()) {
                    if (in.read(unit, at + unit.position()) < 0) {
                        throw new CorruptIndexException(path, "nodes", at + unit.position(), "the file ends inside"
                                + " the nodes section (truncated)");
                    }
                }
                byte[] b = unit.array();
                for (int s = 0; s < layout.sectorsPerNode(); s++) {
                    crc.reset();
                    crc.update(b, s * DiskLayout.SECTOR, DiskLayout.SECTOR);
                    if ((int) crc.getValue() != sectorCrcs[(int) (sector + s)]) {
                        throw SectorChecks.mismatch(path, sector + s, sectorCrcs[(int) (sector + s)],
                                (int) crc.getValue());
                    }
                }
                for (int node = first; node < Math.min(layout.count(), first + perRead); node++) {
                    System.arraycopy(b, layout.offsetInRead(node), records, slot * layout.recordBytes(),
                            layout.recordBytes());
                    nodes[slot++] = node;
                }
            }
        }
        return new NodeCache(nodes, records, layout.recordBytes());
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
