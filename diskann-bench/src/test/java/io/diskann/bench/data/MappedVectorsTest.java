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
}
