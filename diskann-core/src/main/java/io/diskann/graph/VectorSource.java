package io.diskann.graph;

/**
 * Supplies the vectors of a bulk build one at a time, so a build can read them from wherever they live
 * (a memory-mapped file, a database cursor, a C caller's buffer) without first copying all of them into
 * a {@code float[][]}. It may fill and return the array it is given or return its own. A source that can be
 * read from several threads says so ({@link #concurrent()}), and the build stores from all its threads.
 */
@FunctionalInterface
public interface VectorSource {
    /**
     * Supplies vector {@code i}.
     *
     * @param i index of the vector, in {@code 0..n-1}
     * @param reuse an array of the index's dimension the source may fill and return
     * @return the vector; the build copies it before asking for the next one
     */
    float[] get(int i, float[] reuse);

    /**
     * Whether {@link #get} may be called from several threads at once, in any order, each thread with
     * its own {@code reuse} array (rows of an array or of a memory-mapped file). A build then stores the
     * vectors on its worker threads; if several vectors are bad, the error names one of them, not
     * necessarily the first. Default false: one thread, in order (a cursor, a stream).
     *
     * @return true if concurrent reads are safe
     */
    default boolean concurrent() {
        return false;
    }

    /**
     * Marks {@code rows} as safe to read from several threads at once; see {@link #concurrent()}.
     *
     * @param rows a source whose {@code get} is thread-safe and order-free
     * @return a source that reads through {@code rows} and reports {@link #concurrent()} true
     * @throws IllegalArgumentException if {@code rows} is null
     */
    static VectorSource concurrent(VectorSource rows) {
        if (rows == null) {
            throw new IllegalArgumentException("source is null");
        }
        return new VectorSource() {
            @Override
            public float[] get(int i, float[] reuse) {
                return rows.get(i, reuse);
            }

            @Override
            public boolean concurrent() {
                return true;
            }
        };
    }
}
