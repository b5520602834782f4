package io.diskann.vector;

import java.lang.foreign.MemorySegment;

/**
 * {@link VectorType#F16} vectors as IEEE binary16 bit patterns, one little-endian row per vector. Queries
 * stay in float precision (decoded once per query); only stored vectors are rounded to half precision.
 */
final class F16VectorStore extends SegmentVectorStore {

    F16VectorStore(int dimensions, ChunkedRows rows) {
        super(VectorType.F16, dimensions, rows);
    }

    @Override
    public void set(int ordinal, float[] vector) {
        VectorStore.checkVector(VectorType.F16, dimensions, vector);
        MemorySegment seg = rows.segment(ordinal);
        long base = rows.offset(ordinal);
        for (int i = 0; i < dimensions; i++) {
            seg.set(RowLayouts.F16, base + 2L * i, Float.floatToFloat16(vector[i]));
        }
    }

    @Override
    public void get(int ordinal, float[] out) {
        MemorySegment seg = rows.segment(ordinal);
        long base = rows.offset(ordinal);
        for (int i = 0; i < dimensions; i++) {
            out[i] = Float.float16ToFloat(seg.get(RowLayouts.F16, base + 2L * i));
        }
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
                case L2 -> kernels.squareDistanceF16(query, 0, seg, off, dimensions);
                case INNER_PRODUCT -> -kernels.dotProductF16(query, 0, seg, off, dimensions);
                case COSINE -> kernels.cosineDistanceF16(query, 0, seg, off, dimensions);
            };
        }
    }
}
