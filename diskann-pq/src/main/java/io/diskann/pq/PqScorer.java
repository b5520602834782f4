package io.diskann.pq;

import io.diskann.vector.QueryScorer;

/**
 * A {@link QueryScorer} over a {@link PqIndex}'s codes, indexed by storage ordinal: what the graph
 * traversal of a PQ search scores. Per thread; {@link #setQuery} builds the ADC table.
 */
final class PqScorer implements QueryScorer {

    private final PqIndex owner;
    private final DistanceTable table;
    private final int chunks;
    private byte[] codes;

    PqScorer(PqIndex owner, DistanceTable table, int chunks) {
        this.owner = owner;
        this.table = table;
        this.chunks = chunks;
    }

    @Override
    public void setQuery(float[] query) {
        table.setQuery(query);
        codes = owner.codes();
    }

    @Override
    public void setQueryToStored(int ordinal) {
        throw new UnsupportedOperationException("PQ scorers score queries, not stored vectors");
    }

    @Override
    public float score(int ordinal) {
        int offset = ordinal * chunks;
        byte[] c = codes;
        if (offset + chunks > c.length) {
            // the codes grew after this query started; a node being inserted may have no code yet
            c = owner.codes();
            codes = c;
            if (offset + chunks > c.length) {
                return Float.MAX_VALUE;
            }
        }
        return table.distance(c, offset);
    }

    @Override
    public void scoreBatch(int[] ordinals, int n, float[] out) {
        byte[] c = codes;
        for (int i = 0; i < n; i++) {
            if ((ordinals[i] + 1) * chunks > c.length) {
                c = owner.codes(); // grew after this query started
                codes = c;
                break;
            }
        }
        table.distances(c, ordinals, n, out);
    }

    @Override
    public int touch(int ordinal) {
        // first and last byte: a code of more than 64 bytes spans two or three cache lines
        int offset = ordinal * chunks;
        byte[] c = codes;
        return offset + chunks <= c.length ? c[offset] + c[offset + chunks - 1] : 0;
    }
}
