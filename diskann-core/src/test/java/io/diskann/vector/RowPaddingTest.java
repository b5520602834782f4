package io.diskann.vector;

import io.diskann.testing.TestSeeds;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The split 8-bit kernel reads a row past its payload (to a multiple of its block), so it may only run over rows
 * whose padding is zero
 * ({@link ChunkedRows#padsZero()}): rows mapped from a file keep the file's padding and are scored with the
 * ordinary kernel; rows read into memory have their padding cleared. Both must give exact distances when the
 * file's padding holds garbage.
 */
class RowPaddingTest {

    @TempDir
    Path dir;

    @Test
    void rowsWithGarbageInTheirPaddingAreScoredExactly() throws IOException {
        int dim = 780; // stride 832; the split kernel reads up to 784, 800 or 832 at 128, 256 or 512 bits
        int stride = ChunkedRows.strideFor(dim);
        assertTrue(stride > dim, "780-byte rows are padded");
        int n = 40;
        Random r = TestSeeds.random(8);
        byte[] file = new byte[n * stride];
        r.nextBytes(file); // payload and padding alike
        float[] q = new float[dim];
        for (int i = 0; i < dim; i++) {
            q[i] = r.nextInt(256);
        }
        byte[] qb = new byte[dim];
        for (int i = 0; i < dim; i++) {
            qb[i] = (byte) (int) q[i];
        }
        int[] expected = new int[n];
        for (int row = 0; row < n; row++) {
            expected[row] = SimdSupport.scalar().squareDistanceU8(qb, 0, file, row * stride, dim);
        }
        Path path = dir.resolve("rows");
        try (FileChannel ch = FileChannel.open(path, StandardOpenOption.CREATE, StandardOpenOption.READ,
                StandardOpenOption.WRITE)) {
            ch.write(ByteBuffer.wrap(file));
            try (ChunkedRows mapped = ChunkedRows.map(ch, 0, n, dim)) {
                assertFalse(mapped.padsZero(), "a file's padding is not trusted");
                assertThrows(IllegalStateException.class, () -> mapped.clearPads(n));
                QueryScorer s = VectorStore.over(VectorType.U8, dim, mapped).scorer(Metric.L2);
                s.setQuery(q);
                for (int row = 0; row < n; row++) {
                    assertEquals(expected[row], s.score(row), "mapped row " + row);
                }
            }
        }

        ChunkedRows rows = ChunkedRows.allocate(dim, n);
        try (VectorStore store = VectorStore.over(VectorType.U8, dim, rows)) {
            MemorySegment.copy(MemorySegment.ofArray(file), 0, rows.chunk(0), 0, file.length); // as a load reads them
            DistanceKernels k = SimdSupport.kernels();
            if (k.u8SplitBlock() > 0 && stride % k.u8SplitBlock() == 0 && dim % k.u8SplitBlock() != 0) {
                int padded = (dim + k.u8SplitBlock() - 1) / k.u8SplitBlock() * k.u8SplitBlock();
                short[] split = new short[padded];
                k.splitU8(qb, dim, split, padded);
                int wrong = 0;
                for (int row = 0; row < n; row++) {
                    wrong += k.squareDistanceU8Split(split, rows.segment(row), rows.offset(row), padded) != expected[row] ? 1 : 0;
                }
                assertTrue(wrong > n / 2, "garbage padding changes the split kernel's distances: " + wrong + " rows");
            }
            rows.clearPads(n);
            assertTrue(rows.padsZero());
            QueryScorer s = store.scorer(Metric.L2);
            s.setQuery(q);
            for (int row = 0; row < n; row++) {
                assertEquals(expected[row], s.score(row), "read row " + row);
            }
            s.setQueryToStored(3);
            assertEquals(0f, s.score(3));
            assertEquals(SimdSupport.scalar().squareDistanceU8(file, 3 * stride, file, 5 * stride, dim), s.score(5));
        }
    }
}
