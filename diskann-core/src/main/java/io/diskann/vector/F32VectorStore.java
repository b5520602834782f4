package io.diskann.vector;

import java.lang.foreign.MemorySegment;

/** {@link VectorType#F32} vectors, one little-endian float row per vector. */
final class F32VectorStore extends SegmentVectorStore {

    F32VectorStore(int dimensions, ChunkedRows rows) {
        super(VectorType.F32, dimensions, rows);
    }

    @Override
    public void set(int ordinal, float[] vector) {
        VectorStore.checkVector(VectorType.F32, dimensions, vector);
        MemorySegment.copy(vector, 0, rows.segment(ordinal), RowLayouts.F32, rows.offset(ordinal), dimensions);
    }

    @Override
    public void get(int ordinal, float[] out) {
        MemorySegment.copy(rows.segment(ordinal), RowLayouts.F32, rows.offset(ordinal), out, 0, dimensions);
    }

    @Override
    public QueryScorer scorer(Metric metric) {
        return new Scorer(metric);
    }

    private final class Scorer extends RowScorer {
        private final float[] query = new float[dimensions];

        Scorer(Metric metric) {
            super(metric);
        }

        @Override
        public void setQuery(float[] q) {
            refresh();
            VectorStore.checkVector(VectorType.F32, dimensions, q);
            System.arraycopy(q, 0, query, 0, dimensions);
        }

        @Override
        public void setQueryToStored(int ordinal) {
            refresh();
            get(ordinal, query);
        }

        @Override
        public float score(int ordinal) {
            MemorySegment seg = segment(ordinal);
            long off = offset(ordinal);
            return switch (metric) {
                case L2 -> kernels.squareDistanceF32(query, 0, seg, off, dimensions);
                case INNER_PRODUCT -> -kernels.dotProductF32(query, 0, seg, off, dimensions);
                case COSINE -> kernels.cosineDistanceF32(query, 0, seg, off, dimensions);
            };
        }
    }
}
