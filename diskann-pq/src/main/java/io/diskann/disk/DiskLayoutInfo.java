package io.diskann.disk;

/**
 * What {@link DiskIndexWriter} wrote: the layout of a disk index file.
 *
 * @param nodes nodes (vectors) in the file
 * @param maxDegree neighbour slots per record (the largest degree of the graph written)
 * @param recordBytes bytes per node record
 * @param nodesPerSector records per 4 KiB sector (1 when a record spans sectors)
 * @param sectorsPerNode sectors one node read takes
 * @param sectors sectors in the nodes section
 * @param pqBytes PQ code bytes per vector (held in RAM)
 */
public record DiskLayoutInfo(int nodes, int maxDegree, int recordBytes, int nodesPerSector, int sectorsPerNode,
                             long sectors, int pqBytes) {
}
