package io.diskann.bench.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class VecsFilesTest {

    @TempDir
    Path dir;

    @Test
    void fvecsAndIvecsRoundTrip() throws IOException {
        Random r = new Random(1);
        float[] data = new float[37 * 13];
        for (int i = 0; i < data.length; i++) {
            data[i] = (float) r.nextGaussian();
        }
        FloatMatrix m = new FloatMatrix(37, 13, data);
        Path f = dir.resolve("a.fvecs");
        VecsFiles.writeFloats(f, m);
        assertEquals(37L * (4 + 4 * 13), Files.size(f));
        FloatMatrix back = VecsFiles.readFloats(f, -1);
        assertEquals(37, back.rows());
        assertArrayEquals(data, back.data());
        assertEquals(5, VecsFiles.readFloats(f, 5).rows());

        int[] ids = new int[11 * 7];
        for (int i = 0; i < ids.length; i++) {
            ids[i] = r.nextInt(1000);
        }
        Path g = dir.resolve("g.ivecs");
        VecsFiles.writeInts(g, new IntMatrix(11, 7, ids));
        IntMatrix gi = VecsFiles.readInts(g, -1);
        assertArrayEquals(ids, gi.data());
        assertEquals(7, gi.cols());
    }

    @Test
    void bvecsReadAsUnsignedBytes() throws IOException {
        Path f = dir.resolve("b.bvecs");
        byte[] row = {3, 0, 0, 0, (byte) 255, 0, 7};
        Files.write(f, row);
        FloatMatrix m = VecsFiles.readFloats(f, -1);
        assertArrayEquals(new float[] {255, 0, 7}, m.data());
    }

    @Test
    void truncatedAndMalformedFilesAreRejectedWithTheirName() throws IOException {
        FloatMatrix m = new FloatMatrix(4, 3, new float[12]);
        Path f = dir.resolve("t.fvecs");
        VecsFiles.writeFloats(f, m);
        byte[] all = Files.readAllBytes(f);
        Path t = dir.resolve("cut.fvecs");
        Files.write(t, Arrays.copyOf(all, all.length - 3));
        var e = assertThrows(IOException.class, () -> VecsFiles.readFloats(t, -1));
        assertTrue(e.getMessage().contains("cut.fvecs") && e.getMessage().contains("truncated"), e.getMessage());
        byte[] bad = all.clone();
        bad[16] = 9; // second row's dimension
        Path b = dir.resolve("bad.fvecs");
        Files.write(b, bad);
        var e2 = assertThrows(IOException.class, () -> VecsFiles.readFloats(b, -1));
        assertTrue(e2.getMessage().contains("row 1") && e2.getMessage().contains("byte 16"), e2.getMessage());
        assertThrows(IOException.class, () -> VecsFiles.readFloats(dir.resolve("x.npy"), -1));
    }

    @Test
    void idxImagesAndLabelsFromGzip() throws IOException {
        Path img = dir.resolve("img.gz");
        try (DataOutputStream out = new DataOutputStream(new GZIPOutputStream(Files.newOutputStream(img)))) {
            out.writeInt(0x00000803);
            out.writeInt(2);
            out.writeInt(2);
            out.writeInt(3);
            out.write(new byte[] {0, 1, 2, 3, 4, 5, (byte) 200, 7, 8, 9, 10, (byte) 255});
        }
        FloatMatrix m = IdxFiles.readImages(img);
        assertEquals(2, m.rows());
        assertEquals(6, m.dims());
        assertEquals(200f, m.data()[6]);
        assertEquals(255f, m.data()[11]);
        Path lab = dir.resolve("lab");
        try (DataOutputStream out = new DataOutputStream(Files.newOutputStream(lab))) {
            out.writeInt(0x00000801);
            out.writeInt(3);
            out.write(new byte[] {9, 0, 4});
        }
        assertArrayEquals(new int[] {9, 0, 4}, IdxFiles.readLabels(lab));
        Path cut = dir.resolve("cut");
        Files.write(cut, Arrays.copyOf(Files.readAllBytes(lab), 10));
        var e = assertThrows(IOException.class, () -> IdxFiles.readLabels(cut));
        assertTrue(e.getMessage().contains("truncated"), e.getMessage());
    }
}
