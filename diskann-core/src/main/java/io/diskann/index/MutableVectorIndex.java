package io.diskann.index;

/**
 * A {@link VectorIndex} that changes in place (FreshDiskANN): insert, lazy delete, update and
 * consolidate, concurrently with searches.
 *
 * <p>Ids: an id always means the same vector (or its replacement by {@link #update}) until it is deleted,
 * and the index never reuses an id for another vector on its own.
 */
public interface MutableVectorIndex extends VectorIndex {

    /**
     * Inserts {@code vector} under a new id (one more than the largest id ever used) and returns it. The
     * vector is searchable when this returns.
     *
     * @param vector the vector, of the index's dimension
     * @return the id assigned to it
     * @throws IllegalArgumentException on a dimension mismatch or a component the type cannot hold
     */
    int insert(float[] vector);

    /**
     * Inserts {@code vector} under the caller's {@code id}.
     *
     * @param id the id to store it under: 0 to {@link #MAX_ID}, not already in the index
     * @param vector the vector, of the index's dimension
     * @return {@code id}
     * @throws IllegalArgumentException if the id is outside 0..{@link #MAX_ID} or already in the index, or
     *     the vector is bad
     */
    int insert(int id, float[] vector);

    /** The largest id an index holds: {@code Integer.MAX_VALUE - 1} (the id after it must still be an int). */
    int MAX_ID = Integer.MAX_VALUE - 1;

    /**
     * Lazily deletes {@code id}: from the moment this returns no search returns it.
     *
     * @param id the id to delete
     * @throws IllegalArgumentException if the id is not in the index
     */
    void delete(int id);

    /**
     * Replaces the vector of {@code id}, atomically for searchers (a search sees the old vector or the new
     * one under that id, never both).
     *
     * @param id the id whose vector is replaced
     * @param vector the new vector, of the index's dimension
     * @throws IllegalArgumentException if the id is not in the index, or the vector is bad
     */
    void update(int id, float[] vector);

    /**
     * Repairs the graph around deleted vectors and frees their storage for reuse.
     *
     * @return how many deleted vectors were freed
     */
    int consolidate();

    /**
     * Makes room for {@code capacity} vectors in total, so inserts up to that size never stop to grow.
     *
     * @param capacity the total number of vectors to make room for
     */
    void reserve(int capacity);
}
