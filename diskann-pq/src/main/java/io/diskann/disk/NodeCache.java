package io.diskann.disk;

import java.lang.foreign.MemorySegment;
import org.agrona.collections.Int2IntHashMap;

/**
 * Node records held in memory: the nodes nearest the entry point (DiskANN's {@code num_nodes_to_cache}),
 * read once when the index opens. Immutable after construction, so searchers share it without locks.
 */
final class NodeCache {

    static final NodeCache EMPTY = new NodeCache(new int[0], new byte[0], 1);

    private final Int2IntHashMap slotOfNode;
    private final MemorySegment records;
    private final int recordBytes;

    NodeCache(int[] nodes, byte[] records, int recordBytes) {
        this.slotOfNode = new Int2IntHashMap(Math.max(8, nodes.length * 2), 0.5f, -1);
        for (int i = 0; i < nodes.length; i++) {
            slotOfNode.put(nodes[i], i);
        }
        this.records = MemorySegment.ofArray(records);
        this.recordBytes = recordBytes;
    }

    /** Where node's record starts in {@link #records()}, or -1 if it is not cached. */
    long offsetOf(int node) {
        int slot = slotOfNode.get(node);
        return slot < 0 ? -1 : (long) slot * recordBytes;
    }

    MemorySegment records() {
        return records;
    }

    int size() {
        return slotOfNode.size();
    }

    long bytes() {
        return records.byteSize() + 16L * slotOfNode.capacity();
    }
}
