package io.diskann.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

/** The files written by earlier builds ({@code /legacy/...} test resources) and their vectors. */
public final class TestResources {

    private TestResources() {
    }

    /**
     * A legacy resource's bytes.
     *
     * @param name the file name under {@code /legacy/}
     * @return its bytes
     */
    public static byte[] legacy(String name) {
        try (InputStream in = TestResources.class.getResourceAsStream("/legacy/" + name)) {
            if (in == null) {
                throw new IllegalArgumentException("no test resource /legacy/" + name);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The first {@code n} vectors of a legacy vectors file (one vector per line, components separated by spaces).
     *
     * @param name the file name under {@code /legacy/}
     * @param n how many vectors
     * @return the vectors
     */
    public static float[][] vectors(String name, int n) {
        List<String> lines = new String(legacy(name), StandardCharsets.US_ASCII).lines().limit(n).toList();
        float[][] out = new float[lines.size()][];
        for (int i = 0; i < out.length; i++) {
            String[] f = lines.get(i).trim().split(" ");
            out[i] = new float[f.length];
            for (int j = 0; j < f.length; j++) {
                out[i][j] = Float.parseFloat(f[j]);
            }
        }
        return out;
    }
}
