package io.diskann.bench.data;

import java.io.IOException;
import java.nio.file.Path;

/** Reads vectors and ground truth from any supported file, chosen by extension. */
public final class Datasets {

    private Datasets() {
    }

    /**
     * Vectors from {@code .fvecs}, {@code .bvecs}, {@code .fbin}, {@code .u8bin}, {@code .i8bin}, {@code .bin},
     * {@code .npy}, or IDX ({@code -idx3-ubyte}, optionally {@code .gz}); at most {@code limit} rows (-1: all).
     */
    public static FloatMatrix readVectors(Path path, int limit) throws IOException {
        String n = path.getFileName().toString();
        FloatMatrix m;
        if (n.endsWith(".fvecs") || n.endsWith(".bvecs")) {
            m = VecsFiles.readFloats(path, limit);
        } else if (n.endsWith(".fbin") || n.endsWith(".u8bin") || n.endsWith(".i8bin") || n.endsWith(".bin")) {
            m = BinFiles.readFloats(path, limit);
        } else if (n.endsWith(".npy")) {
            m = NpyFiles.readFloats(path, limit);
        } else if (n.contains("idx3-ubyte")) {
            m = IdxFiles.readImages(path);
        } else {
            throw new IOException(path + ": unknown vector format (expected .fvecs, .bvecs, .fbin, .u8bin, .i8bin, .bin, "
                    + ".npy or an IDX image file)");
        }
        return limit >= 0 ? m.head(limit) : m;
    }

    /** Ground-truth ids from {@code .ivecs} or a DiskANN truthset {@code .bin}. */
    public static IntMatrix readTruth(Path path, int limit) throws IOException {
        String n = path.getFileName().toString();
        if (n.endsWith(".ivecs")) {
            return VecsFiles.readInts(path, limit);
        }
        if (n.endsWith(".bin")) {
            return BinFiles.readTruth(path, limit).ids();
        }
        throw new IOException(path + ": unknown ground-truth format (expected .ivecs or a DiskANN truthset .bin)");
    }

    /** Writes ground truth as {@code .ivecs} or, for {@code .bin}, a DiskANN truthset with distances. */
    public static void writeTruth(Path path, GroundTruth.Result r) throws IOException {
        String n = path.getFileName().toString();
        if (n.endsWith(".ivecs")) {
            VecsFiles.writeInts(path, r.ids());
        } else if (n.endsWith(".bin")) {
            BinFiles.writeTruth(path, r);
        } else {
            throw new IllegalArgumentException(path + ": ground truth is written as .ivecs or .bin");
        }
    }
}
