package io.diskann.vector;

/**
 * What the three flat stores share: the element type, the dimension, and geometric growth of the one
 * backing array. Subclasses own the array (its primitive type differs) and the encoding.
 */
abstract sealed class FlatVectorStore implements VectorStore permits F32VectorStore, F16VectorStore, ByteVectorStore {

    final VectorType type;
    final int dimensions;

    FlatVectorStore(VectorType type, int dimensions) {
        this.type = type;
        this.dimensions = dimensions;
    }

    /** Length of the backing array, in elements. */
    abstract int arrayLength();

    /** A copy of the backing array with {@code newLength} elements. */
    abstract Object copyArray(int newLength);

    /** Makes {@code array} (from {@link #copyArray}) the backing array. */
    abstract void installArray(Object array);

    @Override
    public final VectorType type() {
        return type;
    }

    @Override
    public final int dimensions() {
        return dimensions;
    }

    @Override
    public final int capacity() {
        return arrayLength() / dimensions;
    }

    @Override
    public final void ensureCapacity(int minCapacity) {
        prepareCapacity(minCapacity).run();
    }

    @Override
    public final Runnable prepareCapacity(int minCapacity) {
        int cap = capacity();
        if (minCapacity <= cap) {
            return () -> { };
        }
        Object grown = copyArray(VectorStore.grownCapacity(cap, minCapacity, dimensions) * dimensions);
        return () -> installArray(grown);
    }

    @Override
    public final long bytes() {
        return (long) arrayLength() * type.bytesPerElement();
    }

    /** Index one past the last element {@link QueryScorer#touch} reads of the vector starting at {@code base}. */
    final int touchEnd(int base) {
        return base + Math.min(dimensions, MemoryTouch.LINES * (64 / type.bytesPerElement()));
    }
}
