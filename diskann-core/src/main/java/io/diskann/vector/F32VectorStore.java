package io.diskann.vector;

import java.util.Arrays;

/** {@link VectorType#F32} vectors in one {@code float[]}, row-major. */
final class F32VectorStore extends FlatVectorStore {

    private float[] data;

    F32VectorStore(int dimensions, int initialCapacity) {
        super(VectorType.F32, dimensions);
        this.data = new float[Math.multiplyExact(dimensions, initialCapacity)];
    }

    @Override
    public void set(int ordinal, float[] vector) {
        VectorStore.checkVector(VectorType.F32, dimensions, vector);
        System.arraycopy(vector, 0, data, ordinal * dimensions, dimensions);
    }

    @Override
    public void get(int ordinal, float[] out) {
        System.arraycopy(data, ordinal * dimensions, out, 0, dimensions);
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
        data = (float[]) array;
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
            System.arraycopy(data, ordinal * dimensions, query, 0, dimensions);
        }

        @Override
        public int touch(int ordinal) {
            int base = ordinal * dimensions;
            int end = touchEnd(base);
            int acc = 0;
            for (int i = base; i < end; i += 16) {
                acc += (int) data[i];
            }
            return acc;
        }

        @Override
        public float score(int ordinal) {
            return Distances.f32(kernels, metric, query, 0, data, ordinal * dimensions, dimensions);
        }
    }
}
