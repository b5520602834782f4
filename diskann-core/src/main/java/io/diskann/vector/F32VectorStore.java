package io.diskann.vector;

import java.util.Arrays;

/** {@link VectorType#F32} vectors in one {@code float[]}, row-major. */
final class F32VectorStore implements VectorStore {

    private final int dimensions;
    private float[] data;

    F32VectorStore(int dimensions, int initialCapacity) {
        this.dimensions = dimensions;
        this.data = new float[Math.multiplyExact(dimensions, initialCapacity)];
    }

    @Override
    public VectorType type() {
        return VectorType.F32;
    }

    @Override
    public int dimensions() {
        return dimensions;
    }

    @Override
    public int capacity() {
        return data.length / dimensions;
    }

    @Override
    public void ensureCapacity(int minCapacity) {
        int cap = capacity();
        if (minCapacity > cap) {
            data = Arrays.copyOf(data, VectorStore.grownCapacity(cap, minCapacity, dimensions) * dimensions);
        }
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
    public long bytes() {
        return 4L * data.length;
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
            int end = base + Math.min(dimensions, MemoryTouch.LINES * 16);
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
