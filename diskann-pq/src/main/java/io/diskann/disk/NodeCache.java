package io.diskann.disk;

import java.lang.foreign.MemorySegment;

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
}
