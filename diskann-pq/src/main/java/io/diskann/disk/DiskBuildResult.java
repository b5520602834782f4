package io.diskann.disk;

/**
 * What {@link DiskIndexBuilder#build} did.
 *
 * @param layout the file's layout
 * @param parts graphs built: 1 for a one-piece build, P for a partitioned one
 */
public record DiskBuildResult(DiskLayoutInfo layout, int parts) {
}
