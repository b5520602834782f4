package io.diskann.vector;

/**
 * A flat, contiguous store of equal-length vectors of one {@link VectorType}, addressed by ordinal.
 *
 * <p>Why flat: graph search is bound by memory latency, and one Java object per vector would add a
 * pointer chase and a header to every distance. Each store keeps all components in a single primitive
 * array ({@code float[]}, {@code short[]} or {@code byte[]}) and its {@link QueryScorer}s read a vector in
 * place, so scoring allocates and copies nothing.
 *
 * <p>Thread-safety: concurrent reads (scorers, {@link #get}) are safe once the writes they should see
 * happened-before them (for example, a completed build). {@link #set} on distinct ordinals may run
 * concurrently; growing the store ({@link #ensureCapacity}) must not race with anything, except the
 * copying half of it ({@link #prepareCapacity}), which readers may overlap.
 */
public interface VectorStore {

    /** The element type in which components are stored. */
    VectorType type();

    /** Components per vector. */
    int dimensions();

    /** Number of vector slots currently allocated. */
    int capacity();

    /**
     * Grows the store so that ordinals below {@code minCapacity} are valid; grows geometrically, so a
     * sequence of single-slot growths costs amortised O(1) per slot.
     *
     * @throws IllegalArgumentException if the store would exceed the largest Java array
     */
    void ensureCapacity(int minCapacity);

    /**
     * The slow half of {@link #ensureCapacity}, split so readers need not wait for it: copies the storage
     * into larger storage now and returns the step that installs it. Between the two nothing may write
     * to the store; reads may continue until the install, which must not race with them.
     *
     * @throws IllegalArgumentException if the store would exceed the largest Java array
     */
    Runnable prepareCapacity(int minCapacity);

    /**
     * Encodes and stores {@code vector} at {@code ordinal}.
     *
     * @throws IllegalArgumentException on a dimension mismatch or a component the type cannot hold
     */
    void set(int ordinal, float[] vector);

    /** Decodes the vector at {@code ordinal} into {@code out} (length at least {@link #dimensions()}). */
    void get(int ordinal, float[] out);

    /** Bytes of vector data held (capacity times bytes per vector). */
    long bytes();

    /** The backing array ({@code float[]}, {@code short[]} or {@code byte[]}), for serialization. */
    Object rawArray();

    /**
     * A new scorer for {@code metric}. A scorer holds the current query in its own scratch space and is
     * meant to be created once per thread and reused for every query; it is not thread-safe.
     */
    QueryScorer scorer(Metric metric);

    /** Creates an empty store of the given type, dimension and initial capacity. */
    static VectorStore create(VectorType type, int dimensions, int initialCapacity) {
        if (dimensions <= 0) {
            throw new IllegalArgumentException("dimensions must be positive, got " + dimensions);
        }
        if (initialCapacity < 0) {
            throw new IllegalArgumentException("initial capacity must not be negative, got " + initialCapacity);
        }
        return switch (type) {
            case F32 -> new F32VectorStore(dimensions, initialCapacity);
            case F16 -> new F16VectorStore(dimensions, initialCapacity);
            case I8, U8 -> new ByteVectorStore(type, dimensions, initialCapacity);
        };
    }

    /** Validates that {@code vector} has {@code dimensions} components, each storable as {@code type}. */
    static void checkVector(VectorType type, int dimensions, float[] vector) {
        if (vector == null) {
            throw new IllegalArgumentException("vector is null");
        }
        if (vector.length != dimensions) {
            throw new IllegalArgumentException("dimension mismatch: vector has " + vector.length
                    + " components but the index has " + dimensions + " dimensions");
        }
        for (int i = 0; i < vector.length; i++) {
            type.checkComponent(vector[i], i);
        }
    }

    /** New array length for growing to at least {@code minCapacity} vectors of {@code dimensions}. */
    static int grownCapacity(int current, int minCapacity, int dimensions) {
        long wanted = Math.max(minCapacity, current + (current >> 1) + 16L);
        long maxVectors = (Integer.MAX_VALUE - 16L) / dimensions;
        if (minCapacity > maxVectors) {
            throw new IllegalArgumentException("cannot hold " + minCapacity + " vectors of " + dimensions
                    + " dimensions in one array (limit " + maxVectors + ")");
        }
        return (int) Math.min(wanted, maxVectors);
    }
}
