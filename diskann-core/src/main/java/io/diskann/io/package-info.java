/**
 * The file layer every index file shares: little-endian checksummed readers and writers over file
 * channels, atomic writes (temporary file, fsync, rename, directory sync), and the codes of element types
 * and metrics. One stack, so a graph file, a PQ file and the coming disk index agree on byte order,
 * checksums and error reports.
 */
package io.diskann.io;
