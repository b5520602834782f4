package io.diskann.pq;

import io.diskann.vector.QueryScorer;

/**
 * A {@link QueryScorer} over a {@link PqIndex}'s codes, indexed by storage ordinal: what the graph
 * traversal of a PQ search scores. One per searcher; {@link #setQuery} builds the ADC table and takes
 * the codes array of the moment (the searcher holds the index's shared lock, so it stays put).
 */
final class PqScorer implements QueryScorer {

    private final PqIndex owner;
    private final PqCodes source;
    private final DistanceTable table;
    private final int chunks;
    private byte[] codes;
    private boolean touchCodes = true;

    PqScorer(PqIndex owner, PqCodes source, DistanceTable table) {
        this.owner = owner;
        this.source = source;
        this.table = table;
        this.chunks = source.chunks();
    }

    @Override
    public void setQuery(float[] query) {
        table.setLookup(owner.lookup());
        table.setQuery(query);
        codes = source.codes();
    }

    @Override
    public void setQueryToStored(int ordinal) {
        throw new UnsupportedOperationException("PQ scorers score queries, not stored vectors");
    }

    @Override
    public float score(int ordinal) {
        return table.distance(codes, ordinal * chunks);
    }

    @Override
    public void scoreBatch(int[] ordinals, int n, float[] out) {
        table.distances(codes, ordinals, n, out);
    }

    @Override
    public void setTouchLines(int lines) {
        touchCodes = lines > 0;
    }

    @Override
    public int touch(int ordinal) {
        if (!touchCodes) {
            return 0;
        }
        return table.touch(codes, ordinal);
    }
}
