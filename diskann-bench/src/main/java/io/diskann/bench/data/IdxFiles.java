package io.diskann.bench.data;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;

/**
 * IDX files, the MNIST format (optionally gzipped, as Debian ships Fashion-MNIST): a big-endian header
 * {@code 0x00 0x00 type ndims}, one int32 per dimension, then unsigned bytes. Images become rows of
 * floats (0..255), label files an int array.
 */
public final class IdxFiles {

    private IdxFiles() {
    }

    private static DataInputStream open(Path path) throws IOException {
        InputStream in = new BufferedInputStream(Files.newInputStream(path), 1 << 16);
        if (path.getFileName().toString().endsWith(".gz")) {
            in = new GZIPInputStream(in, 1 << 16);
        }
        return new DataInputStream(in);
    }

    private static int[] header(DataInputStream in, Path path) throws IOException {
        int magic = in.readInt();
        if ((magic >>> 16) != 0 || ((magic >>> 8) & 0xFF) != 0x08) {
            throw new IOException(path + ": not an unsigned-byte IDX file (magic 0x" + Integer.toHexString(magic) + ")");
        }
        int nd = magic & 0xFF;
        int[] shape = new int[nd];
        for (int i = 0; i < nd; i++) {
            shape[i] = in.readInt();
            if (shape[i] <= 0) {
                throw new IOException(path + ": bad dimension " + shape[i] + " in the header");
            }
        }
        return shape;
    }

    /** Reads an image file (n x rows x cols) as n vectors of rows*cols floats. */
    public static FloatMatrix readImages(Path path) throws IOException {
        try (DataInputStream in = open(path)) {
            int[] shape = header(in, path);
            if (shape.length < 2) {
                throw new IOException(path + ": expected an image file with at least 2 dimensions, got " + shape.length);
            }
            int n = shape[0];
            long dims = 1;
            for (int i = 1; i < shape.length; i++) {
                dims *= shape[i];
            }
            byte[] raw = new byte[Math.toIntExact(n * dims)];
            try {
                in.readFully(raw);
            } catch (EOFException e) {
                throw new IOException(path + ": truncated: expected " + raw.length + " bytes of pixels", e);
            }
            float[] data = new float[raw.length];
            for (int i = 0; i < raw.length; i++) {
                data[i] = raw[i] & 0xFF;
            }
            return new FloatMatrix(n, (int) dims, data);
        }
    }

    /** Reads a label file (n bytes). */
    public static int[] readLabels(Path path) throws IOException {
        try (DataInputStream in = open(path)) {
            int[] shape = header(in, path);
            if (shape.length != 1) {
                throw new IOException(path + ": expected a label file with 1 dimension, got " + shape.length);
            }
            byte[] raw = new byte[shape[0]];
            try {
                in.readFully(raw);
            } catch (EOFException e) {
                throw new IOException(path + ": truncated: expected " + raw.length + " labels", e);
            }
            int[] labels = new int[raw.length];
            for (int i = 0; i < raw.length; i++) {
                labels[i] = raw[i] & 0xFF;
            }
            return labels;
        }
    }
}
