package io.diskann.vector;

import java.util.Arrays;

/**
 * {@link VectorType#F16} vectors as IEEE binary16 bit patterns in one {@code short[]}. Queries stay in
 * float precision (decoded once per query); only stored vectors are rounded to half precision.
 */
final class F16VectorStore extends FlatVectorStore {

    private short[] data;

    F16VectorStore(int dimensions, int initialCapacity) {
        super(VectorType.F16, dimensions);
        this.data = new short[Math.multiplyExact(dimensions, initialCapacity)];
    }

    @Override
    public void set(int ordinal, float[] vector) {
        VectorStore.checkVector(VectorType.F16, dimensions, vector);
        int base = ordinal * dimensions;
        for (int i = 0; i < dimensions; i++) {
            data[base + i] = Float.floatToFloat16(vector[i]);
        }
    }

    @Override
    public void get(int ordinal, float[] out) {
        int base = ordinal * dimensions;
        for (int i = 0; i < dimensions; i++) {
            out[i] = Float.float16ToFloat(data[base + i]);
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
        data = (short[]) array;
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
        private final float[] query = new float[dimensions];

        Scorer(Metric metric) {
            this.metric = metric;
        }

        @Override
        public void setQuery(float[] q) {
            VectorStore.checkVector(VectorType.F32, dimensions, q);
            System.arraycopy(q, 0, query, 0, dimensions);
        }

        @Override
        public void setQueryToStored(int ordinal) {
            get(ordinal, query);
        }

        @Override
        public int touch(int ordinal) {
            int base = ordinal * dimensions;
            int end = touchEnd(base);
            int acc = 0;
            for (int i = base; i < end; i += 32) {
                acc += (int) data[i];
            }
            return acc;
        }

        @Override
        public float score(int ordinal) {
            return Distances.f16(kernels, metric, query, 0, data, ordinal * dimensions, dimensions);
        }
    }
}
