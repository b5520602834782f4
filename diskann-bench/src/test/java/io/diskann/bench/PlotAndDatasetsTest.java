package io.diskann.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.diskann.bench.data.FloatMatrix;
import io.diskann.bench.data.GroundTruth;
import io.diskann.bench.data.Hdf5Dataset;
import io.diskann.bench.data.IntMatrix;
import io.diskann.bench.data.SyntheticData;
import io.diskann.bench.data.VecsFiles;
import io.diskann.vector.Metric;
import io.jhdf.HdfFile;
import io.jhdf.WritableHdfFile;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Plots, HDF5 datasets, synthetic dataset files and the JSON reader, end to end through the CLI. */
class PlotAndDatasetsTest {

    @TempDir
    Path dir;

    @Test
    void evalPlotsRecallVersusQpsAsPngAndSvg() throws Exception {
        Path json = dir.resolve("r.json");
        Path png = dir.resolve("plots/r.png");
        assertEquals(0, DiskannCli.run("eval", "--runs", "1", "--min-seconds", "0", "--row-seconds", "0", "--warmup-seconds", "0", "--synth-n", "2000", "--synth-dim", "16", "--synth-queries", "50",
                "-R", "16", "--build-L", "30", "--search-L", "10,20,40", "--json", json.toString(), "--plot", png.toString()));
        BufferedImage image = ImageIO.read(png.toFile());
        assertNotNull(image, "a readable PNG");
        assertTrue(image.getWidth() >= 800 && image.getHeight() >= 500);
        String svg = Files.readString(dir.resolve("plots/r.svg"));
        assertTrue(svg.contains("<svg"), "an SVG beside the PNG");
        Path again = dir.resolve("again.png");
        assertEquals(0, DiskannCli.run("plot", json.toString(), json.toString(), "--out", again.toString()));
        assertTrue(Files.size(again) > 1000);
        assertEquals(2, DiskannCli.run("plot", dir.resolve("missing.json").toString(), "--out", again.toString()));
    }

    @Test
    void jsonReaderReadsWhatTheWriterWrites() {
        String text = Json.write(Map.of("a", List.of(1, 2.5, "x\"y", true), "b", Map.of("c", -3e-5)));
        Object back = JsonReader.parse(text);
        assertEquals(Map.of("a", List.of(1.0, 2.5, "x\"y", true), "b", Map.of("c", -3e-5)), back);
    }

    @Test
    void signedByteHdf5DatasetsKeepTheirSign() throws Exception {
        byte[][] train = new byte[20][4];
        for (int i = 0; i < 20; i++) {
            for (int j = 0; j < 4; j++) {
                train[i][j] = (byte) (i * 13 - j * 40 - 100); // spans -128..127
            }
        }
        Path h5 = dir.resolve("int8.hdf5");
        try (WritableHdfFile w = HdfFile.write(h5)) {
            w.putDataset("train", train);
            w.putDataset("test", new byte[][] {train[0], train[1]});
            w.putAttribute("distance", "euclidean");
        }
        Hdf5Dataset d = Hdf5Dataset.read(h5, -1, -1);
        for (int i = 0; i < 20; i++) {
            for (int j = 0; j < 4; j++) {
                assertEquals(train[i][j], d.base().data()[i * 4 + j], 0f, "row " + i + " column " + j);
            }
        }
    }

    @Test
    void annBenchmarksHdf5FilesAreEvaluatedWithTheirOwnMetricAndTruth() throws Exception {
        SyntheticData.Split s = SyntheticData.gaussianClusters(1500, 60, 12, 6, 0.5, 11);
        IntMatrix truth = GroundTruth.compute(s.base(), s.queries(), 10, Metric.COSINE, null).ids();
        Path h5 = dir.resolve("tiny-angular.hdf5");
        try (WritableHdfFile w = HdfFile.write(h5)) {
            w.putDataset("train", toRows(s.base().data(), 1500, 12));
            w.putDataset("test", toRows(s.queries().data(), 60, 12));
            int[][] nb = new int[60][10];
            for (int q = 0; q < 60; q++) {
                for (int j = 0; j < 10; j++) {
                    nb[q][j] = truth.get(q, j);
                }
            }
            w.putDataset("neighbors", nb);
            w.putAttribute("distance", "angular");
        }
        Hdf5Dataset d = Hdf5Dataset.read(h5, -1, -1);
        assertEquals("cosine", d.metricName());
        assertEquals(1500, d.base().rows());
        Path json = dir.resolve("h.json");
        assertEquals(0, DiskannCli.run("eval", "--runs", "1", "--min-seconds", "0", "--row-seconds", "0", "--warmup-seconds", "0", "--dataset", h5.toString(), "-R", "16", "--build-L", "40",
                "--search-L", "40", "--json", json.toString(), "--no-plot"));
        String text = Files.readString(json);
        assertTrue(text.contains("\"metric\": \"cosine\""), text);
        assertTrue(text.contains("\"dataset\": \"tiny-angular.hdf5\""), text);
    }

    private static float[][] toRows(float[] flat, int rows, int cols) {
        float[][] out = new float[rows][cols];
        for (int i = 0; i < rows; i++) {
            System.arraycopy(flat, i * cols, out[i], 0, cols);
        }
        return out;
    }

    @Test
    void synthWritesBaseQueriesTruthAndLabels() throws Exception {
        Path out = dir.resolve("syn");
        assertEquals(0, DiskannCli.run("synth", "-n", "800", "--dim", "8", "--queries", "20", "--clusters", "4",
                "-k", "15", "--out", out.toString()));
        assertEquals(800, VecsFiles.readFloats(out.resolve("base.fvecs"), -1).rows());
        IntMatrix gt = VecsFiles.readInts(out.resolve("gt.ivecs"), -1);
        assertEquals(20, gt.rows());
        assertEquals(15, gt.cols());
        assertEquals(800, Files.readAllLines(out.resolve("base-labels.txt")).size());
        assertEquals(2, DiskannCli.run("synth", "--kind", "spiral", "--out", out.toString()));
        // u8: the same seeded vectors mapped to round(128 + 32 x), ground truth on the u8 values
        Path u8 = dir.resolve("syn-u8");
        assertEquals(0, DiskannCli.run("synth", "-n", "800", "--dim", "8", "--queries", "20", "--clusters", "4",
                "-k", "15", "--type", "u8", "--out", u8.toString()));
        float[] f = VecsFiles.readFloats(out.resolve("base.fvecs"), -1).data();
        float[] b = VecsFiles.readFloats(u8.resolve("base.bvecs"), -1).data();
        assertEquals(f.length, b.length);
        for (int i = 0; i < f.length; i++) {
            assertEquals(Math.max(0, Math.min(255, Math.rint(128 + 32 * (double) f[i]))), b[i], 0, "component " + i);
        }
        FloatMatrix base = VecsFiles.readFloats(u8.resolve("base.bvecs"), -1);
        FloatMatrix queries = VecsFiles.readFloats(u8.resolve("query.bvecs"), -1);
        IntMatrix truth = VecsFiles.readInts(u8.resolve("gt.ivecs"), -1);
        for (int q = 0; q < 20; q++) { // the first neighbour is the nearest u8 vector
            double best = Double.MAX_VALUE;
            for (int i = 0; i < 800; i++) {
                best = Math.min(best, l2(queries.row(q), base.row(i)));
            }
            assertEquals(best, l2(queries.row(q), base.row(truth.data()[q * 15])), 1e-6);
        }
        assertEquals(2, DiskannCli.run("synth", "-n", "10", "--type", "u16", "--out", dir.resolve("x").toString()));
    }

    private static double l2(float[] a, float[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += ((double) a[i] - b[i]) * ((double) a[i] - b[i]);
        }
        return s;
    }
}
