package io.diskann.bench.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** DiskANN .fbin/.u8bin/.i8bin and truthset files, and NumPy .npy, read back what was written. */
class FormatsTest {

    @TempDir
    Path dir;

    private static FloatMatrix small(boolean integers, boolean signed) {
        float[] d = new float[6 * 5];
        for (int i = 0; i < d.length; i++) {
            d[i] = integers ? (signed ? (i * 37 % 256) - 128 : i * 37 % 256) : i * 0.25f - 3;
        }
        return new FloatMatrix(6, 5, d);
    }

    @Test
    void diskannVectorFilesRoundTrip() throws IOException {
        for (String ext : new String[] {"fbin", "u8bin", "i8bin"}) {
            FloatMatrix m = small(!ext.equals("fbin"), ext.equals("i8bin"));
            Path f = dir.resolve("v." + ext);
            BinFiles.writeFloats(f, m);
            FloatMatrix back = Datasets.readVectors(f, -1);
            assertArrayEquals(m.data(), back.data(), ext);
            assertEquals(2, Datasets.readVectors(f, 2).rows(), ext);
        }
        Path cut = dir.resolve("cut.fbin");
        byte[] all = Files.readAllBytes(dir.resolve("v.fbin"));
        Files.write(cut, Arrays.copyOf(all, all.length - 4));
        var e = assertThrows(IOException.class, () -> Datasets.readVectors(cut, -1));
        assertTrue(e.getMessage().contains("cut.fbin") && e.getMessage().contains("truncated"), e.getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> BinFiles.writeFloats(dir.resolve("x.u8bin"), new FloatMatrix(1, 1, new float[] {300})));
    }

    @Test
    void truthsetRoundTripWithAndWithoutDistances() throws IOException {
        int[] ids = {5, 3, 9, 1, 0, 2};
        float[] dists = {0.5f, 1f, 2f, 0f, 0.1f, 0.2f};
        Path f = dir.resolve("gt.bin");
        Datasets.writeTruth(f, new GroundTruth.Result(new IntMatrix(2, 3, ids), dists));
        GroundTruth.Result r = BinFiles.readTruth(f, -1);
        assertArrayEquals(ids, r.ids().data());
        assertArrayEquals(dists, r.distances());
        assertArrayEquals(ids, Datasets.readTruth(f, -1).data());
        Path bad = dir.resolve("bad.bin");
        Files.write(bad, Arrays.copyOf(Files.readAllBytes(f), 20));
        assertThrows(IOException.class, () -> BinFiles.readTruth(bad, -1));
    }

    private static void writeNpy(Path path, String descr, int rows, int cols, ByteBuffer data) throws IOException {
        String header = "{'descr': '" + descr + "', 'fortran_order': False, 'shape': (" + rows + ", " + cols + "), }";
        int total = 10 + header.length() + 1;
        int pad = (64 - total % 64) % 64;
        header = header + " ".repeat(pad) + "\n";
        ByteBuffer b = ByteBuffer.allocate(10 + header.length() + data.limit()).order(ByteOrder.LITTLE_ENDIAN);
        b.put((byte) 0x93).put("NUMPY".getBytes(StandardCharsets.US_ASCII)).put((byte) 1).put((byte) 0);
        b.putShort((short) header.length()).put(header.getBytes(StandardCharsets.US_ASCII)).put(data);
        Files.write(path, b.array());
    }

    @Test
    void numpyFilesOfSeveralDtypes() throws IOException {
        ByteBuffer f4 = ByteBuffer.allocate(6 * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < 6; i++) {
            f4.putFloat(i * 1.5f);
        }
        f4.flip();
        Path a = dir.resolve("a.npy");
        writeNpy(a, "<f4", 2, 3, f4);
        assertArrayEquals(new float[] {0, 1.5f, 3, 4.5f, 6, 7.5f}, Datasets.readVectors(a, -1).data());

        ByteBuffer u1 = ByteBuffer.wrap(new byte[] {1, (byte) 200, 3, 4});
        Path b = dir.resolve("b.npy");
        writeNpy(b, "|u1", 2, 2, u1);
        assertArrayEquals(new float[] {1, 200, 3, 4}, Datasets.readVectors(b, -1).data());

        ByteBuffer f8 = ByteBuffer.allocate(2 * 8).order(ByteOrder.LITTLE_ENDIAN).putDouble(0.25).putDouble(-2);
        f8.flip();
        Path c = dir.resolve("c.npy");
        writeNpy(c, "<f8", 1, 2, f8);
        assertArrayEquals(new float[] {0.25f, -2f}, Datasets.readVectors(c, -1).data());

        Path t = dir.resolve("t.npy");
        Files.write(t, Arrays.copyOf(Files.readAllBytes(a), 80));
        var e = assertThrows(IOException.class, () -> Datasets.readVectors(t, -1));
        assertTrue(e.getMessage().contains("truncated"), e.getMessage());
        assertThrows(IOException.class, () -> Datasets.readVectors(dir.resolve("x.csv"), -1));
    }
}
