package io.diskann.disk;

import io.diskann.pq.DistanceTable;
import io.diskann.vector.QueryScorer;

/** Scores disk nodes by ADC on their in-memory PQ codes: what the beam search traverses on. */
final class DiskPqScorer implements QueryScorer {

    private final DistanceTable table;
    private final byte[] codes;
    private final int chunks;
    private boolean touchCodes = true;

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

    /**
     * Distances of {@code n} codes held outside the index's code array, {@code M} bytes each from the start of
     * {@code codes} ({@link EntrySample}'s copy), into {@code out}.
     */
    void scoreCodes(byte[] codes, int n, float[] out) {
        for (int i = 0; i < n; i++) {
            out[i] = table.distance(codes, i * chunks);
        }
    }

    @Override
    public void setTouchLines(int lines) {
        touchCodes = lines > 0;
    }

    /**
     * Touches the node's code ({@link DistanceTable#touch}) as the search lists a hop's neighbours, so
     * that their codes arrive from memory together before the batch is scored. Without it the look-ups waited for each code in turn: on Fashion-MNIST (5.6 MiB of codes,
     * L=30, the file on tmpfs) a query's CPU fell from 234 to 212 us at W=2 and from 290 to 207 us at W=4
     * (medians of five alternations, docs/PERFORMANCE.md section 21).
     */
    @Override
    public int touch(int node) {
        if (!touchCodes) {
            return 0;
        }
        return table.touch(codes, node);
    }
}
