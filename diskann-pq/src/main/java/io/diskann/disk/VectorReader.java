package io.diskann.disk;

/**
 * Random access to the vectors a disk index is built from, without holding them in the JVM heap (a
 * memory-mapped file, say): the partitioned build reads each vector a few times and keeps none.
 */
public interface VectorReader {

    /**
     * How many vectors.
     *
     * @return the count
     */
    int count();

    /**
     * Components per vector.
     *
     * @return the dimension
     */
    int dimensions();

    /**
     * Vector {@code i}, written into {@code out} (of {@link #dimensions()} floats). Called from several
     * threads at once, each with its own {@code out}.
     *
     * @param i the vector's position, 0 .. count-1
     * @param out receives the components
     * @return {@code out}
     */
    float[] vector(int i, float[] out);

    /**
     * Vectors held in arrays (tests, small data).
     *
     * @param rows the vectors, all of one dimension
     * @return a reader over them
     */
    static VectorReader of(float[][] rows) {
        if (rows == null || rows.length == 0) {
            throw new IllegalArgumentException("no vectors");
        }
        int dims = rows[0].length;
        return new VectorReader() {
            @Override
            public int count() {
                return rows.length;
            }

            @Override
            public int dimensions() {
                return dims;
            }

            @Override
            public float[] vector(int i, float[] out) {
                System.arraycopy(rows[i], 0, out, 0, dims);
                return out;
            }
        };
    }
}
