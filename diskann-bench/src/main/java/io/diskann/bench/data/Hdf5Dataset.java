package io.diskann.bench.data;

import io.jhdf.HdfFile;
import io.jhdf.api.Attribute;
import io.jhdf.api.Dataset;
import io.jhdf.api.Node;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * An ann-benchmarks dataset in one HDF5 file: {@code train} (base vectors), {@code test} (queries),
 * {@code neighbors} (true neighbour ids), {@code distances}, and the file attribute {@code distance}
 * ({@code euclidean}, {@code angular} or {@code dot}). Read with jHDF, a pure-Java HDF5 reader.
 *
 * @param base the {@code train} vectors
 * @param queries the {@code test} vectors
 * @param truth the {@code neighbors} ids, or null if the file has none
 * @param distance the {@code distance} attribute, or null
 */
public record Hdf5Dataset(FloatMatrix base, FloatMatrix queries, IntMatrix truth, String distance) {

    public static Hdf5Dataset read(Path path, int maxBase, int maxQueries) throws IOException {
        if (!Files.isRegularFile(path)) {
            throw new IOException(path + ": no such file");
        }
        try (HdfFile hdf = new HdfFile(path)) {
            FloatMatrix base = floats(hdf, path, "train", maxBase);
            FloatMatrix queries = floats(hdf, path, "test", maxQueries);
            IntMatrix truth = hdf.getChildren().containsKey("neighbors") ? ints(hdf, path, "neighbors", queries.rows()) : null;
            Attribute a = hdf.getAttribute("distance");
            String distance = a == null ? null : String.valueOf(a.getData());
            return new Hdf5Dataset(base, queries, truth, distance);
        } catch (RuntimeException e) {
            throw new IOException(path + ": cannot read as an ann-benchmarks HDF5 file: " + e.getMessage(), e);
        }
    }

    private static Dataset dataset(HdfFile hdf, Path path, String name) throws IOException {
        Node n = hdf.getChildren().get(name);
        if (!(n instanceof Dataset d)) {
            throw new IOException(path + ": has no dataset '" + name + "' (ann-benchmarks files have train, test, neighbors)");
        }
        if (d.getDimensions().length != 2) {
            throw new IOException(path + ": dataset '" + name + "' is not 2-D");
        }
        return d;
    }

    private static FloatMatrix floats(HdfFile hdf, Path path, String name, int limit) throws IOException {
        Dataset d = dataset(hdf, path, name);
        Object data = d.getData();
        int rows = d.getDimensions()[0];
        int cols = d.getDimensions()[1];
        int n = limit < 0 ? rows : Math.min(rows, limit);
        float[] out = new float[n * cols];
        // 8-bit data comes back as Java bytes either way; the file's type says whether they are int8 or uint8
        boolean signedBytes = d.getDataType() instanceof io.jhdf.object.datatype.FixedPoint fp && fp.isSigned();
        for (int i = 0; i < n; i++) {
            switch (data) {
                case float[][] f -> System.arraycopy(f[i], 0, out, i * cols, cols);
                case double[][] f -> {
                    for (int j = 0; j < cols; j++) {
                        out[i * cols + j] = (float) f[i][j];
                    }
                }
                case int[][] f -> {
                    for (int j = 0; j < cols; j++) {
                        out[i * cols + j] = f[i][j];
                    }
                }
                case byte[][] f -> {
                    for (int j = 0; j < cols; j++) {
                        out[i * cols + j] = signedBytes ? f[i][j] : f[i][j] & 0xFF;
                    }
                }
                default -> throw new IOException(path + ": dataset '" + name + "' has unsupported element type "
                        + data.getClass().getSimpleName());
            }
        }
        return new FloatMatrix(n, cols, out);
    }

    private static IntMatrix ints(HdfFile hdf, Path path, String name, int limit) throws IOException {
        Dataset d = dataset(hdf, path, name);
        Object data = d.getData();
        int rows = Math.min(d.getDimensions()[0], limit);
        int cols = d.getDimensions()[1];
        int[] out = new int[rows * cols];
        for (int i = 0; i < rows; i++) {
            switch (data) {
                case int[][] f -> System.arraycopy(f[i], 0, out, i * cols, cols);
                case long[][] f -> {
                    for (int j = 0; j < cols; j++) {
                        out[i * cols + j] = Math.toIntExact(f[i][j]);
                    }
                }
                default -> throw new IOException(path + ": dataset '" + name + "' has unsupported element type "
                        + data.getClass().getSimpleName());
            }
        }
        return new IntMatrix(rows, cols, out);
    }

    /** Maps the ann-benchmarks distance name to a metric name of this tool, or null. */
    public String metricName() {
        if (distance == null) {
            return null;
        }
        return switch (distance.toLowerCase(java.util.Locale.ROOT)) {
            case "euclidean", "l2" -> "l2";
            case "angular", "cosine" -> "cosine";
            case "dot", "ip", "inner_product" -> "ip";
            default -> null;
        };
    }
}
