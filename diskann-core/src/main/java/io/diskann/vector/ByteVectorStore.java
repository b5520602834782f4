package io.diskann.vector;

import java.util.Arrays;

/**
 * {@link VectorType#I8} or {@link VectorType#U8} vectors, one byte per component, in one {@code byte[]}.
 * Queries must be representable in the same type; distances are then exact integers.
 */
final class ByteVectorStore extends FlatVectorStore {

    private final boolean unsigned;
    private byte[] data;

    ByteVectorStore(VectorType type, int dimensions, int initialCapacity) {
        super(type, dimensions);
        if (!type.isInteger()) {
            throw new IllegalArgumentException("not a byte type: " + type);
        }
        this.unsigned = type == VectorType.U8;
        this.data = new byte[Math.multiplyExact(dimensions, initialCapacity)];
    }

    @Override
    public void set(int ordinal, float[] vector) {
        VectorStore.checkVector(type, dimensions, vector);
        encode(vector, data, ordinal * dimensions);
    }

    private void encode(float[] vector, byte[] dst, int offset) {
        for (int i = 0; i < dimensions; i++) {
            dst[offset + i] = (byte) (int) vector[i];
        }
    }

    @Override
    public void get(int ordinal, float[] out) {
        int base = ordinal * dimensions;
        for (int i = 0; i < dimensions; i++) {
            out[i] = unsigned ? (data[base + i] & 0xFF) : data[base + i];
        }
    }

    @Override
    int arrayLength() {
        return data.length;
    }

    @Override
    Object copyArray(int newLength) {
        return Arrays.copyOf(data, newLength);
    }

    @Override
    void installArray(Object array) {
        data = (byte[]) array;
    }

    @Override
    public Object rawArray() {
        return data;
    }

    @Override
    public QueryScorer scorer(Metric metric) {
        return new Scorer(metric);
    }

    private final class Scorer implements QueryScorer {
        private final DistanceKernels kernels = SimdSupport.kernels();
        private final Metric metric;
        private final byte[] query = new byte[dimensions];

        Scorer(Metric metric) {
            this.metric = metric;
        }

        @Override
        public void setQuery(float[] q) {
            VectorStore.checkVector(type, dimensions, q);
            encode(q, query, 0);
        }

        @Override
        public void setQueryToStored(int ordinal) {
            System.arraycopy(data, ordinal * dimensions, query, 0, dimensions);
        }

        @Override
        public int touch(int ordinal) {
            int base = ordinal * dimensions;
            int end = touchEnd(base);
            int acc = 0;
            for (int i = base; i < end; i += 64) {
                acc += (int) data[i];
            }
            return acc;
        }

        @Override
        public float score(int ordinal) {
            int offset = ordinal * dimensions;
            return unsigned
                    ? Distances.u8(kernels, metric, query, 0, data, offset, dimensions)
                    : Distances.i8(kernels, metric, query, 0, data, offset, dimensions);
        }
    }
}
