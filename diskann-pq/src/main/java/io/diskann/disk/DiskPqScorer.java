package io.diskann.disk;

import io.diskann.pq.DistanceTable;
import io.diskann.vector.QueryScorer;

/** Scores disk nodes by ADC on their in-memory PQ codes: what the beam search traverses on. */
final class DiskPqScorer implements QueryScorer {

    private final DistanceTable table;
    private final byte[] codes;
    private final int chunks;

    DiskPqScorer(DistanceTable table, byte[] codes, int chunks) {
        this.table = table;
        this.codes = codes;
        this.chunks = chunks;
    }

    @Override
    public void setQuery(float[] query) {
        table.setQuery(query);
    }

    @Override
    public void setQueryToStored(int ordinal) {
        throw new UnsupportedOperationException("the disk index scores queries, not stored vectors");
    }

    @Override
    public float score(int node) {
        return table.distance(codes, node * chunks);
    }

    @Override
    public void scoreBatch(int[] nodes, int n, float[] out) {
        table.distances(codes, nodes, n, out);
    }
}
