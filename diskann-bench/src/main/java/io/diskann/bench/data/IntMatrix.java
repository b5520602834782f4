package io.diskann.bench.data;

/**
 * Row-major ints, e.g. ground-truth neighbour ids: {@code rows} rows of {@code cols} values.
 *
 * @param rows number of rows
 * @param cols values per row
 * @param data {@code rows * cols} values
 */
public record IntMatrix(int rows, int cols, int[] data) {

    public IntMatrix {
        if ((long) rows * cols != data.length) {
            throw new IllegalArgumentException(rows + " x " + cols + " does not match " + data.length + " values");
        }
    }

    public int get(int row, int col) {
        return data[row * cols + col];
    }
}
