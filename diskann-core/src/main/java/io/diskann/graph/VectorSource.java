package io.diskann.graph;

/**
 * Supplies the vectors of a bulk build one at a time, so a build can read them from wherever they live
 * (a memory-mapped file, a database cursor, a C caller's buffer) without first copying all of them into
 * a {@code float[][]}. It may fill and return the array it is given or return its own.
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
}
