package io.diskann.vector;

/**
 * Equal-length vectors of one {@link VectorType}, addressed by ordinal, stored off-heap in
 * {@link ChunkedRows}: one aligned row per vector, in chunks of native memory (or a mapped file).
 *
 * <p>Why off-heap rows: graph search is bound by memory latency, and one Java object per vector would
 * add a pointer chase and a header to every distance; one Java array per store caps it at 2^31
 * components and starts each row 16 bytes past a cache line. Rows here start on aligned addresses, the
 * store can exceed 2^31 components, grow without copying, and be served from a mapped file. Its
 * {@link QueryScorer}s read a stored vector in place with the Vector API ({@code fromMemorySegment}),
 * against a query kept in a heap array: scoring allocates and copies nothing.
 *
 * <p>Memory: rows are native memory, outside the Java heap ({@code -Xmx} does not bound them); {@link
 * #close()} frees them at once, and an unreachable store is freed by the garbage collector's cleaner.
 *
 * <p>Thread-safety: concurrent reads (scorers, {@link #get}) are safe once the writes they should see
 * happened-before them (for example, a completed build). {@link #set} on distinct ordinals may run
 * concurrently; growing the store ({@link #ensureCapacity}) must not race with anything, except the
 * allocating half of it ({@link #prepareCapacity}), which readers may overlap.
 */
public interface VectorStore extends AutoCloseable {

    /**
     * The element type in which components are stored.
     *
     * @return the element type
     */
    VectorType type();

    /**
     * Components per vector.
     *
     * @return the dimension
     */
    int dimensions();

    /**
     * Number of vector slots currently allocated.
     *
     * @return the capacity in vectors
     */
    int capacity();

    /**
     * Grows the store so that ordinals below {@code minCapacity} are valid (never copies full chunks).
     *
     * @param minCapacity vectors wanted
     */
    void ensureCapacity(int minCapacity);

    /**
     * The slow half of {@link #ensureCapacity}, split so readers need not wait for it: allocates the
     * storage now and returns the step that installs it. Between the two nothing may write to the store;
     * reads may continue until the install, which must not race with them.
     *
     * @param minCapacity vectors wanted
     * @return the install step
     */
    Runnable prepareCapacity(int minCapacity);

    /**
     * Encodes and stores {@code vector} at {@code ordinal}.
     *
     * @param ordinal slot, below {@link #capacity()}
     * @param vector the vector, of {@link #dimensions()} components
     * @throws IllegalArgumentException on a dimension mismatch or a component the type cannot hold
     */
    void set(int ordinal, float[] vector);

    /**
     * Decodes the vector at {@code ordinal} into {@code out} (length at least {@link #dimensions()}).
     *
     * @param ordinal slot, below {@link #capacity()}
     * @param out receives the components as floats
     */
    void get(int ordinal, float[] out);

    /**
     * Bytes of vector storage held (capacity times the row stride).
     *
     * @return the storage size in bytes
     */
    long bytes();

    /**
     * The rows themselves, little-endian in the element type, for serialization.
     *
     * @return the backing rows
     */
    ChunkedRows rows();

    /**
     * A new scorer for {@code metric}. A scorer holds the current query in its own scratch space and is
     * meant to be created once per searcher and reused for every query; it is not thread-safe.
     *
     * @param metric the metric to score in
     * @return the new scorer
     */
    QueryScorer scorer(Metric metric);

    /** Frees the storage; using the store afterwards throws {@link IllegalStateException}. */
    @Override
    void close();

    /**
     * Creates an empty store of the given type, dimension and initial capacity.
     *
     * @param type element type of the stored components
     * @param dimensions components per vector (positive)
     * @param initialCapacity vectors to make room for (not negative)
     * @return the store
     * @throws IllegalArgumentException if {@code dimensions} or {@code initialCapacity} is out of range
     */
    static VectorStore create(VectorType type, int dimensions, int initialCapacity) {
        if (dimensions <= 0) {
            throw new IllegalArgumentException("dimensions must be positive, got " + dimensions);
        }
        if (initialCapacity < 0) {
            throw new IllegalArgumentException("initial capacity must not be negative, got " + initialCapacity);
        }
        return over(type, dimensions, ChunkedRows.allocate(Math.multiplyExact(dimensions, type.bytesPerElement()),
                initialCapacity));
    }

    /**
     * A store over existing rows (for example rows mapped from a file) of {@code dimensions} components of
     * {@code type} each.
     *
     * @param type element type of the stored components
     * @param dimensions components per vector
     * @param rows the rows, of {@code dimensions * type.bytesPerElement()} bytes each, with zero padding if
     *             {@link ChunkedRows#padsZero()} says so (clear it after bulk writes: {@link ChunkedRows#clearPads})
     * @return the store, which owns the rows from now on
     * @throws IllegalArgumentException if the rows are not of that size
     */
    static VectorStore over(VectorType type, int dimensions, ChunkedRows rows) {
        if ((long) dimensions * type.bytesPerElement() != rows.rowBytes()) {
            throw new IllegalArgumentException("rows of " + rows.rowBytes() + " bytes cannot hold " + dimensions
                    + " components of " + type.cliName());
        }
        return switch (type) {
            case F32 -> new F32VectorStore(dimensions, rows);
            case F16 -> new F16VectorStore(dimensions, rows);
            case I8, U8 -> new ByteVectorStore(type, dimensions, rows);
        };
    }

    /**
     * Validates that {@code vector} has {@code dimensions} components, each storable as {@code type}.
     *
     * @param type the element type to store as
     * @param dimensions components expected
     * @param vector the vector to check
     * @throws IllegalArgumentException if the vector is null, has another dimension, or a bad component
     */
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
}
