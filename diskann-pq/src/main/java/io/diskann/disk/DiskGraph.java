package io.diskann.disk;

import io.diskann.graph.Graph;
import io.diskann.graph.GraphReader;

/** A {@link DiskIndex}'s graph as the library's search loop sees it: records read by a {@link DiskReader}. */
final class DiskGraph implements Graph {
    private final DiskIndex index;
    private final DiskLayout layout;
    private final int[] entries;

    DiskGraph(DiskIndex index, DiskLayout layout, int entry) {
        this.index = index;
        this.layout = layout;
        this.entries = new int[] {entry};
    }

    @Override
    public int maxDegree() {
        return layout.maxDegree();
    }

    @Override
    public int nodeBound() {
        return layout.count();
    }

    @Override
    public int[] entryPoints() {
        return entries;
    }

    @Override
    public GraphReader reader() {
        return new DiskReader(index, DiskSearcher.MAX_BEAM);
    }
}
