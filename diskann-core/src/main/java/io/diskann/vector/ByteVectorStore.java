package io.diskann.vector;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * {@link VectorType#I8} or {@link VectorType#U8} vectors, one byte per component, one row per vector.
 * Queries must be representable in the same type; distances are then exact integers.
 */
final class ByteVectorStore extends SegmentVectorStore {

    /**
     * Unsigned L2 scorers use the split kernel where the rows allow it ({@link DistanceKernels#u8SplitBlock});
     * {@code -Ddiskann.splitU8=false} turns it off (for A/B runs).
     */
    static final boolean SPLIT_KERNEL = !"false".equals(System.getProperty("diskann.splitU8"));

    private final boolean unsigned;

    ByteVectorStore(VectorType type, int dimensions, ChunkedRows rows) {
        super(type, dimensions, rows);
        if (!type.isInteger()) {
            throw new IllegalArgumentException("not a byte type: " + type);
        }
        this.unsigned = type == VectorType.U8;
    }

    @Override
    public void set(int ordinal, float[] vector) {
        VectorStore.checkVector(type, dimensions, vector);
        MemorySegment seg = rows.segment(ordinal);
        long base = rows.offset(ordinal);
        for (int i = 0; i < dimensions; i++) {
            seg.set(ValueLayout.JAVA_BYTE, base + i, (byte) (int) vector[i]);
        }
    }

    @Override
    public void get(int ordinal, float[] out) {
        MemorySegment seg = rows.segment(ordinal);
        long base = rows.offset(ordinal);
        for (int i = 0; i < dimensions; i++) {
            byte b = seg.get(ValueLayout.JAVA_BYTE, base + i);
            out[i] = unsigned ? (b & 0xFF) : b;
        }
    }

    @Override
    public QueryScorer scorer(Metric metric) {
        return new Scorer(metric);
    }

    /**
     * Stores the codes of {@code vector} under {@code quantizer} at {@code ordinal} (no validation); returns
     * whether every component decodes back exactly.
     */
    boolean setCodes(int ordinal, float[] vector, ScalarQuantizer quantizer) {
        MemorySegment seg = rows.segment(ordinal);
        long base = rows.offset(ordinal);
        boolean exact = true;
        for (int i = 0; i < dimensions; i++) {
            int code = quantizer.encode(vector[i]);
            exact &= quantizer.decodesTo(code, vector[i]);
            seg.set(ValueLayout.JAVA_BYTE, base + i, (byte) code);
        }
        return exact;
    }

    /**
     * A scorer of full-precision queries against these codes: the query is quantized like the stored
     * vectors, scored with the integer kernels and scaled back ({@link ScalarQuantizer#distanceScale}).
     */
    QueryScorer quantizedScorer(Metric metric, ScalarQuantizer quantizer) {
        return new QuantizedScorer(metric, quantizer);
    }

    private final class QuantizedScorer extends Scorer {
        private final ScalarQuantizer quantizer;
        private final float scale;
        private boolean queryExact;

        QuantizedScorer(Metric metric, ScalarQuantizer quantizer) {
            super(metric);
            this.quantizer = quantizer;
            this.scale = metric == Metric.COSINE ? 1f : quantizer.distanceScale();
        }

        /**
         * Validates, encodes and tests exactness in one SIMD pass (the query is checked once per search, not per
         * scorer pass). Why one pass: a separate exactness pass over a 784-d query took 22% of a Fashion-MNIST 0.1%
         * AND's exact scan, and the encoding 17% (docs/PERFORMANCE.md section 35); why SIMD: the scalar pass still
         * took 25% (section 36).
         */
        @Override
        public void setQuery(float[] q) {
            refresh();
            if (q == null || q.length != dimensions) {
                VectorStore.checkVector(VectorType.F32, dimensions, q); // throws the usual message
            }
            int exact = quantizer.encode(q, query);
            if (exact < 0) {
                VectorStore.checkVector(VectorType.F32, dimensions, q); // throws the usual message
            }
            queryExact = exact == 1;
            querySet();
        }

        @Override
        public boolean queryExact() {
            return queryExact;
        }

        /** A stored row as the query: its codes are all there is, so no full-precision query to be exact about. */
        @Override
        public void setQueryToStored(int ordinal) {
            super.setQueryToStored(ordinal);
            queryExact = false;
        }

        @Override
        public float score(int ordinal) {
            return scale * super.score(ordinal);
        }
    }

    private class Scorer extends RowScorer {
        final byte[] query = new byte[dimensions];
        /** The query split for {@link DistanceKernels#squareDistanceU8Split}, or null where that does not apply. */
        private final short[] split;
        private final int padded;

        Scorer(Metric metric) {
            super(metric);
            int block = kernels.u8SplitBlock();
            boolean splits = SPLIT_KERNEL && unsigned && metric == Metric.L2 && block > 0 && rows.padsZero()
                    && rows.stride() % block == 0;
            this.padded = splits ? (dimensions + block - 1) / block * block : 0;
            this.split = splits ? new short[padded] : null;
        }

        /** Called whenever {@link #query} changes. */
        final void querySet() {
            if (split != null) {
                kernels.splitU8(query, dimensions, split, padded);
            }
        }

        @Override
        public void setQuery(float[] q) {
            refresh();
            if (q == null || q.length != dimensions
                    || kernels.quantize(q, 0f, 1f, unsigned ? 0f : -128f, unsigned ? 255f : 127f, query, dimensions) != 1) {
                VectorStore.checkVector(type, dimensions, q); // throws the usual message
            }
            querySet();
        }

        @Override
        public void setQueryToStored(int ordinal) {
            refresh();
            MemorySegment.copy(rows.segment(ordinal), ValueLayout.JAVA_BYTE, rows.offset(ordinal), query, 0, dimensions);
            querySet();
        }

        @Override
        public float score(int ordinal) {
            MemorySegment seg = segment(ordinal);
            long off = offset(ordinal);
            if (split != null) {
                return kernels.squareDistanceU8Split(split, seg, off, padded);
            }
            if (unsigned) {
                return switch (metric) {
                    case L2 -> kernels.squareDistanceU8(query, 0, seg, off, dimensions);
                    case INNER_PRODUCT -> -kernels.dotProductU8(query, 0, seg, off, dimensions);
                    case COSINE -> kernels.cosineDistanceU8(query, 0, seg, off, dimensions);
                };
            }
            return switch (metric) {
                case L2 -> kernels.squareDistanceI8(query, 0, seg, off, dimensions);
                case INNER_PRODUCT -> -kernels.dotProductI8(query, 0, seg, off, dimensions);
                case COSINE -> kernels.cosineDistanceI8(query, 0, seg, off, dimensions);
            };
        }
    }
}
