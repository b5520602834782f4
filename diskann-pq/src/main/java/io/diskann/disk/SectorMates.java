package io.diskann.disk;

import java.lang.foreign.MemorySegment;
import org.agrona.collections.IntHashSet;

/**
 * The sector mates one query has scored: the other records of each sector read (records smaller than a
 * sector only), scored at full precision and offered to the results without being expanded
 * ({@link DiskOptions#sectorMates}). They came with the read, so they cost CPU only, and the breadth-first
 * layout makes them graph siblings of the node read. A sector is scored once per query: a sibling in it
 * expanded later finds its sector in the set of scored sectors. A node may still appear here and among the expanded
 * nodes.
 *
 * <p>Not thread-safe: one per {@link DiskReader}; allocation-free once its arrays have grown.
 */
final class SectorMates {
    private final DiskIndex index;
    private final DiskLayout layout;
    private final RecordScorer scorer;
    /** Sectors whose mates this query scored; Agrona's set keeps its table across {@link #clear}. */
    private final IntHashSet scoredSectors = new IntHashSet(256);
    int[] ids = new int[256];
    float[] distances = new float[256];
    int count;

    SectorMates(DiskIndex index, RecordScorer scorer) {
        this.index = index;
        this.layout = index.layout();
        this.scorer = scorer;
    }

    /** Starts a query. */
    void clear() {
        count = 0;
        scoredSectors.clear();
    }

    /**
     * Scores the mates of {@code node}, whose sector starts at {@code sectorBase} in {@code seg} (a read
     * buffer or the mapping), or lies in the node cache when {@code cached} (the cache holds whole sectors,
     * so a search scores the same nodes with or without a cache).
     */
    void score(int node, MemorySegment seg, long sectorBase, boolean cached) {
        int perSector = layout.nodesPerSector();
        if (perSector <= 1 || layout.recordBytes() > DiskLayout.SECTOR) {
            return;
        }
        if (!scoredSectors.add(node / perSector)) {
            return; // a sibling in this sector was read before: its mates are scored already
        }
        int first = node - node % perSector;
        int last = Math.min(layout.count(), first + perSector);
        if (count + perSector > ids.length) {
            ids = java.util.Arrays.copyOf(ids, Math.max(ids.length * 2, count + perSector));
            distances = java.util.Arrays.copyOf(distances, ids.length);
        }
        for (int m = first; m < last; m++) {
            if (m == node) {
                continue;
            }
            long base = cached ? index.cache().offsetOf(m) : sectorBase + layout.offsetInRead(m);
            if (base < 0) {
                continue; // not cached (a cache holds whole sectors: only if its file's layout is foreign)
            }
            ids[count] = DiskReader.recordId(index, m, seg, base);
            distances[count++] = scorer.distance(seg, base);
        }
    }
}
