package io.diskann.bench.data;

/**
 * Row-major vectors in one flat array: {@code rows} vectors of {@code dims} floats.
 *
 * @param rows number of vectors
 * @param dims components per vector
 * @param data {@code rows * dims} values
 */
public record FloatMatrix(int rows, int dims, float[] data) {

    public FloatMatrix {
        if ((long) rows * dims != data.length) {
            throw new IllegalArgumentException(rows + " x " + dims + " does not match " + data.length + " values");
        }
    }

    /** A copy of row {@code i}. */
    public float[] row(int i) {
        float[] out = new float[dims];
        System.arraycopy(data, i * dims, out, 0, dims);
        return out;
    }

    /** Copies row {@code i} into {@code out} and returns it. */
    public float[] row(int i, float[] out) {
        System.arraycopy(data, i * dims, out, 0, dims);
        return out;
    }

    /** All rows as separate arrays (for query sets). */
    public float[][] toRows() {
        float[][] out = new float[rows][];
        for (int i = 0; i < rows; i++) {
            out[i] = row(i);
        }
        return out;
    }

    /** The first {@code n} rows. */
    public FloatMatrix head(int n) {
        if (n >= rows) {
            return this;
        }
        float[] d = new float[n * dims];
        System.arraycopy(data, 0, d, 0, d.length);
        return new FloatMatrix(n, dims, d);
    }
}
