package io.diskann.bench.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The mapped reader (the partitioned disk build's source of vectors) against the vectors written, at
 * awkward sizes: f32 rows as written, byte rows widened, the limit honoured.
 */
class MappedVectorsTest {

    @TempDir
    Path dir;

    @Test
    void mappedRowsMatchTheWrittenVectors() throws Exception {
        Random random = new Random(0x3a9L);
        for (int dims : new int[] {1, 3, 15, 17, 129, 784}) {
            int n = 23;
            float[][] rows = new float[n][dims];
            for (float[] r : rows) {
                for (int j = 0; j < dims; j++) {
                    r[j] = (float) random.nextGaussian();
                }
            }
            Path f = dir.resolve("v" + dims + ".fvecs");
            float[] flat = new float[n * dims];
            for (int i = 0; i < n; i++) {
                System.arraycopy(rows[i], 0, flat, i * dims, dims);
            }
            VecsFiles.writeFloats(f, new FloatMatrix(n, dims, flat));
            try (MappedVectors m = MappedVectors.open(f, -1)) {
                assertEquals(n, m.count());
                assertEquals(dims, m.dimensions());
                for (int i = 0; i < n; i++) {
                    assertArrayEquals(rows[i], m.vector(i, new float[dims]), "row " + i + ", " + dims + " dims");
                }
            }
            try (MappedVectors m = MappedVectors.open(f, 7)) {
                assertEquals(7, m.count());
                assertArrayEquals(rows[6], m.vector(6, new float[dims]));
            }
        }
    }

    @Test
    void byteRowsAreWidened() throws Exception {
        int dims = 17;
        int n = 5;
        Path f = dir.resolve("v.u8bin");
        ByteBuffer b = ByteBuffer.allocate(8 + n * dims).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(n).putInt(dims);
        float[][] rows = new float[n][dims];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < dims; j++) {
                int v = (i * 31 + j * 7) & 0xff;
                rows[i][j] = v;
                b.put((byte) v);
            }
        }
        Files.write(f, b.array());
        try (MappedVectors m = MappedVectors.open(f, -1)) {
            for (int i = 0; i < n; i++) {
                assertArrayEquals(rows[i], m.vector(i, new float[dims]), "row " + i);
            }
        }
    }

    /** A 2-D .npy file of {@code dtype} (e.g. "<f4", ">f8", "|u1"), elements written by {@code put}. */
    private static byte[] npy(String dtype, int rows, int dims, java.util.function.BiConsumer<ByteBuffer, Integer> put, int width) {
        String dict = "{'descr': '" + dtype + "', 'fortran_order': False, 'shape': (" + rows + ", " + dims + "), }";
        int unpadded = 10 + dict.length() + 1;
        int total = (unpadded + 63) / 64 * 64;
        String header = dict + " ".repeat(total - unpadded) + "\n";
        ByteBuffer b = ByteBuffer.allocate(total + rows * dims * width);
        b.put((byte) 0x93).put("NUMPY".getBytes(java.nio.charset.StandardCharsets.US_ASCII)).put((byte) 1).put((byte) 0);
        b.order(ByteOrder.LITTLE_ENDIAN).putShort((short) header.length());
        b.put(header.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        b.order(dtype.startsWith(">") ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < rows * dims; i++) {
            put.accept(b, i);
        }
        return b.array();
    }

    /** .npy files are mapped too (the disk build streams them), every dtype and byte order as the loader reads them. */
    @Test
    void npyFilesAreMappedAsTheLoaderReadsThem() throws Exception {
        int rows = 9;
        for (int dims : new int[] {1, 3, 17, 129}) {
            java.util.Map<String, byte[]> files = new java.util.LinkedHashMap<>();
            files.put("<f4", npy("<f4", rows, dims, (b, i) -> b.putFloat(i * 0.37f - 3f), 4));
            files.put(">f4", npy(">f4", rows, dims, (b, i) -> b.putFloat(-i * 1.5f), 4));
            files.put("<f8", npy("<f8", rows, dims, (b, i) -> b.putDouble(i / 7.0), 8));
            files.put("|u1", npy("|u1", rows, dims, (b, i) -> b.put((byte) (i * 37)), 1));
            files.put("|i1", npy("|i1", rows, dims, (b, i) -> b.put((byte) (i * 53)), 1));
            files.put("<i4", npy("<i4", rows, dims, (b, i) -> b.putInt(i * 1000 - 4000), 4));
            for (var e : files.entrySet()) {
                Path f = dir.resolve("v" + dims + e.getKey().substring(1) + (e.getKey().charAt(0) == '>' ? "be" : "") + ".npy");
                Files.write(f, e.getValue());
                assertEquals(true, MappedVectors.supports(f));
                FloatMatrix loaded = NpyFiles.readFloats(f, -1);
                try (MappedVectors m = MappedVectors.open(f, -1)) {
                    assertEquals(rows, m.count());
                    assertEquals(dims, m.dimensions());
                    for (int i = 0; i < rows; i++) {
                        assertArrayEquals(loaded.row(i), m.vector(i, new float[dims]), e.getKey() + " row " + i + ", " + dims + " dims");
                    }
                    // the values themselves, not only agreement with the loader
                    assertEquals(switch (e.getKey()) {
                        case "<f4" -> 5 * 0.37f - 3f;
                        case ">f4" -> -5 * 1.5f;
                        case "<f8" -> (float) (5 / 7.0);
                        case "|u1" -> (5 * 37) & 0xff;
                        case "|i1" -> (byte) (5 * 53);
                        default -> 5 * 1000 - 4000;
                    }, m.vector(5 / dims, new float[dims])[5 % dims], e.getKey());
                }
                Files.write(f, java.util.Arrays.copyOf(e.getValue(), e.getValue().length - 1));
                org.junit.jupiter.api.Assertions.assertThrows(java.io.IOException.class, () -> MappedVectors.open(f, -1),
                        "a truncated .npy is refused");
            }
        }
    }
}
