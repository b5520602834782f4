package io.diskann.disk;

import io.diskann.index.IndexStats;
import io.diskann.vector.Metric;
import io.diskann.vector.VectorType;

/**
 * What a disk index holds and what it costs: the file, and the RAM in use while searching (PQ codes,
 * codebook, node cache, ids; per-searcher buffers are W x one read each), nothing proportional to the
 * full vectors.
 *
 * @param count nodes (vectors)
 * @param dimensions components per vector
 * @param metric the distance
 * @param vectorType element type on disk
 * @param maxDegree neighbour slots per record
 * @param fileBytes size of the index file
 * @param recordBytes bytes per node record
 * @param nodesPerSector records per 4 KiB sector (1 when a record spans sectors)
 * @param sectorsPerNode sectors per node read
 * @param pqBytes PQ code bytes per vector
 * @param codeBytes all PQ codes (RAM)
 * @param codebookBytes the codebook, mean and rotation, and the entry sample (node numbers and a copy of their
 *     codes; {@link DiskOptions#entrySample}) (RAM)
 * @param cacheNodes nodes in the node cache
 * @param cacheBytes the node cache (RAM)
 * @param idBytes the sector checksums, and the node-to-id and id-to-node tables once loaded (RAM; v3 files
 *     load the tables only when a filter on ids or a look-up by id first needs them; in {@link IoMode#MMAP}
 *     also the bitset of checked sectors). Mapped or cached file pages are the kernel's page cache, not counted
 * @param ioMode how sectors are read
 * @param searcherBytes the buffers of one searcher, held per searching thread: W read buffers of one record's
 *     sectors each (up to the largest beam, 32), the query's PQ distance table, the visited set (one bit per node),
 *     the entry sample's distances and the candidate lists; not in {@link #memoryBytes()}, which does not depend
 *     on the number of threads
 */
public record DiskStats(int count, int dimensions, Metric metric, VectorType vectorType, int maxDegree, long fileBytes,
                        int recordBytes, int nodesPerSector, int sectorsPerNode, int pqBytes, long codeBytes,
                        long codebookBytes, int cacheNodes, long cacheBytes, long idBytes, IoMode ioMode,
                        long searcherBytes)
        implements IndexStats {

    /**
     * Stats without the per-searcher figure (0), as before {@link #searcherBytes} existed.
     *
     * @param count nodes
     * @param dimensions components per vector
     * @param metric the distance
     * @param vectorType element type on disk
     * @param maxDegree neighbour slots per record
     * @param fileBytes size of the index file
     * @param recordBytes bytes per node record
     * @param nodesPerSector records per sector
     * @param sectorsPerNode sectors per node read
     * @param pqBytes PQ code bytes per vector
     * @param codeBytes all PQ codes
     * @param codebookBytes codebook, mean, rotation and entry sample
     * @param cacheNodes nodes in the node cache
     * @param cacheBytes the node cache
     * @param idBytes checksums and id tables
     * @param ioMode how sectors are read
     */
    public DiskStats(int count, int dimensions, Metric metric, VectorType vectorType, int maxDegree, long fileBytes,
                     int recordBytes, int nodesPerSector, int sectorsPerNode, int pqBytes, long codeBytes,
                     long codebookBytes, int cacheNodes, long cacheBytes, long idBytes, IoMode ioMode) {
        this(count, dimensions, metric, vectorType, maxDegree, fileBytes, recordBytes, nodesPerSector, sectorsPerNode,
                pqBytes, codeBytes, codebookBytes, cacheNodes, cacheBytes, idBytes, ioMode, 0);
    }

    /** RAM in use while searching, without per-searcher buffers: codes, codebook, cache, ids. */
    @Override
    public long memoryBytes() {
        return codeBytes + codebookBytes + cacheBytes + idBytes;
    }

    /**
     * RAM in use while {@code threads} threads search at once: {@link #memoryBytes()} and their buffers.
     *
     * @param threads searching threads
     * @return memoryBytes + threads x searcherBytes
     */
    public long memoryBytes(int threads) {
        return memoryBytes() + (long) threads * searcherBytes;
    }

    /**
     * Raw full-precision vector bytes, for comparison with {@link #memoryBytes()}.
     *
     * @return count x dimensions x element bytes
     */
    public long rawVectorBytes() {
        return (long) count * dimensions * vectorType.bytesPerElement();
    }
}
