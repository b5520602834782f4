package io.diskann.disk;

import io.diskann.vector.VectorType;

/**
 * Where node {@code i} lies in the nodes section, by arithmetic: fixed-size records of the vector in its
 * element type, an int32 degree, R int32 neighbour slots and (format v3 on, {@link #recordIds}) the node's
 * int32 id, packed {@link #nodesPerSector} to a 4 KiB
 * sector, or spread over {@link #sectorsPerNode} whole sectors when a record is larger than a sector
 * (784 x f32 with R = 64 is 3,396 bytes: one per sector; 1536 x f32 is 6 KiB: two sectors).
 *
 * @param type element type of the stored vectors
 * @param dimensions components per vector
 * @param maxDegree R, neighbour slots per record
 * @param count nodes
 * @param recordIds whether each record ends with the node's id (v3 files). Why: a search returns ids of
 *     nodes whose records it read, so with the id in the record the in-RAM id table (4 bytes per vector,
 *     8 with its inverse) is needed only by filters on ids, and is loaded when one first runs. For 128-d
 *     u8 vectors that table alone was half of the 16 bytes per vector that 1/8 of the raw size allows.
 */
record DiskLayout(VectorType type, int dimensions, int maxDegree, int count, boolean recordIds) {

    /** Sector size: the unit of every read. */
    static final int SECTOR = 4096;

    DiskLayout {
        if (dimensions < 1 || maxDegree < 1 || count < 1) {
            throw new IllegalArgumentException("bad layout: " + dimensions + " dimensions, R " + maxDegree + ", "
                    + count + " nodes");
        }
    }

    /** Bytes of one node's vector. */
    int vectorBytes() {
        return dimensions * type.bytesPerElement();
    }

    /** Bytes of one node record: vector, degree, R neighbours, and the id when {@link #recordIds}. */
    int recordBytes() {
        return vectorBytes() + 4 + 4 * maxDegree + (recordIds ? 4 : 0);
    }

    /** Where the node's id lies within its record (when {@link #recordIds}). */
    int idOffset() {
        return vectorBytes() + 4 + 4 * maxDegree;
    }

    /** Records per sector when they fit (at least 1), else 1. */
    int nodesPerSector() {
        return Math.max(1, SECTOR / recordBytes());
    }

    /** Sectors one read of a node takes: 1 when records are packed, else enough for a record. */
    int sectorsPerNode() {
        return (recordBytes() + SECTOR - 1) / SECTOR;
    }

    /** Sectors of the whole nodes section. */
    long sectors() {
        return recordBytes() <= SECTOR ? ((long) count + nodesPerSector() - 1) / nodesPerSector()
                : (long) count * sectorsPerNode();
    }

    /** The first sector of node {@code node}. */
    long sectorOf(int node) {
        return recordBytes() <= SECTOR ? node / nodesPerSector() : (long) node * sectorsPerNode();
    }

    /** Where node {@code node}'s record starts within the bytes read for it. */
    int offsetInRead(int node) {
        return recordBytes() <= SECTOR ? (node % nodesPerSector()) * recordBytes() : 0;
    }

    /** Bytes one read of a node takes. */
    int readBytes() {
        return sectorsPerNode() * SECTOR;
    }
}
