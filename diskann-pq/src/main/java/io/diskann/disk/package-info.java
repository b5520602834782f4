/**
 * The SSD-resident index, DiskANN's namesake: PQ codes and a small node cache in memory, the graph and
 * the full-precision vectors on disk in 4 KiB sectors. {@link io.diskann.disk.DiskIndexWriter} lays a built
 * graph out on disk; {@link io.diskann.disk.DiskIndex} opens it and answers searches with a beam search
 * that reads W nodes' sectors per round and re-ranks at full precision with the vectors that arrived with
 * them.
 */
package io.diskann.disk;
