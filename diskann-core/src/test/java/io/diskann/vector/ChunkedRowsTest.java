package io.diskann.vector;

import io.diskann.testing.TestSeeds;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Aligned rows, growth that keeps full chunks in place, mapping, and closing. */
class ChunkedRowsTest {

    @TempDir
    Path dir;

    @Test
    void permuteMovesRowsAcrossChunksInPlace() {
        int rows = 40_000;
        try (ChunkedRows r = ChunkedRows.allocate(4096, rows)) {
            assertTrue(r.chunkCount() >= 3, "several chunks: " + r.chunkCount());
            for (int i = 0; i < rows; i++) {
                r.segment(i).set(ValueLayout.JAVA_LONG_UNALIGNED, r.offset(i), i);
                r.segment(i).set(ValueLayout.JAVA_LONG_UNALIGNED, r.offset(i) + 4088, ~(long) i);
            }
            int[] order = new int[rows];
            for (int i = 0; i < rows; i++) {
                order[i] = i;
            }
            java.util.Random rnd = TestSeeds.random(7);
            for (int i = rows - 1; i > 0; i--) {
                int j = rnd.nextInt(i + 1);
                int t = order[i];
                order[i] = order[j];
                order[j] = t;
            }
            for (int k = 0; k < rows; k++) { // a fixed point too
                if (order[k] == 5) {
                    order[k] = order[5];
                    order[5] = 5;
                    break;
                }
            }
            r.permute(order, rows);
            for (int j = 0; j < rows; j++) {
                assertEquals(order[j], r.segment(j).get(ValueLayout.JAVA_LONG_UNALIGNED, r.offset(j)), "row " + j);
                assertEquals(~(long) order[j], r.segment(j).get(ValueLayout.JAVA_LONG_UNALIGNED, r.offset(j) + 4088));
            }
        }
    }

    @Test
    void strideAlignsRowsWhereThatCostsAtMostAnEighth() {
        assertEquals(3136, ChunkedRows.strideFor(3136)); // 784 floats: already a multiple of 64
        assertEquals(832, ChunkedRows.strideFor(784));   // 784 bytes: 48 bytes of padding to a cache line
        assertEquals(512, ChunkedRows.strideFor(512));
        assertEquals(112, ChunkedRows.strideFor(100));   // 64-byte alignment would waste 28%: 16 instead
        assertEquals(32, ChunkedRows.strideFor(32));
        assertEquals(1, ChunkedRows.strideFor(1));
        assertEquals(3, ChunkedRows.strideFor(3));
        assertThrows(IllegalArgumentException.class, () -> ChunkedRows.strideFor(0));
        for (int bytes = 1; bytes < 5000; bytes++) {
            int s = ChunkedRows.strideFor(bytes);
            assertTrue(s >= bytes && 8L * (s - bytes) <= bytes, "stride " + s + " for " + bytes);
        }
    }

    @Test
    void rowsStartOnAlignedAddresses() {
        try (ChunkedRows rows = ChunkedRows.allocate(784 * 4, 1000)) {
            for (int r = 0; r < 1000; r++) {
                assertEquals(0, (rows.segment(r).address() + rows.offset(r)) % 64, "row " + r);
            }
        }
    }

    @Test
    void growthNeverMovesAFullChunkAndKeepsEveryRow() {
        int rowBytes = 1 << 20; // 1 MiB rows: 64 to a chunk
        try (ChunkedRows rows = ChunkedRows.allocate(rowBytes, 10)) {
            assertEquals(64, rows.rowsPerChunk());
            for (int grow = 10; grow <= 200; grow += 37) {
                rows.ensureCapacity(grow);
                for (int r = 0; r < grow; r++) {
                    rows.segment(r).set(ValueLayout.JAVA_INT, rows.offset(r), r);
                }
            }
            MemorySegment first = rows.chunk(0);
            MemorySegment second = rows.chunk(1);
            rows.ensureCapacity(700);
            assertSame(first, rows.chunk(0), "a full chunk is never copied");
            assertSame(second, rows.chunk(1));
            assertEquals(11, rows.chunkCount());
            for (int r = 0; r < 182; r++) {
                assertEquals(r, rows.segment(r).get(ValueLayout.JAVA_INT, rows.offset(r)), "row " + r + " survived");
            }
            assertEquals(700, rows.capacity());
        }
    }

    @Test
    void closedRowsThrowInsteadOfCrashing() {
        ChunkedRows rows = ChunkedRows.allocate(64, 100);
        MemorySegment chunk = rows.chunk(0);
        rows.close();
        assertThrows(IllegalStateException.class, () -> chunk.get(ValueLayout.JAVA_BYTE, 0));
        rows.close(); // idempotent
    }

    @Test
    void mappedRowsAreTheFileAndWritesStayInMemory() throws IOException {
        int rowBytes = 100;
        int stride = ChunkedRows.strideFor(rowBytes);
        Path file = dir.resolve("rows");
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ,
                StandardOpenOption.WRITE)) {
            ByteBuffer b = ByteBuffer.allocate(4096 + 300 * stride);
            for (int r = 0; r < 300; r++) {
                b.put(4096 + r * stride, (byte) r);
            }
            ch.write(b);
            try (ChunkedRows rows = ChunkedRows.map(ch, 4096, 300, rowBytes)) {
                for (int r = 0; r < 300; r++) {
                    assertEquals((byte) r, rows.segment(r).get(ValueLayout.JAVA_BYTE, rows.offset(r)));
                }
                rows.segment(5).set(ValueLayout.JAVA_BYTE, rows.offset(5), (byte) 99);
                rows.ensureCapacity(1000);
                assertEquals((byte) 99, rows.segment(5).get(ValueLayout.JAVA_BYTE, rows.offset(5)));
                assertEquals((byte) 7, rows.segment(7).get(ValueLayout.JAVA_BYTE, rows.offset(7)));
                ByteBuffer check = ByteBuffer.allocate(1);
                ch.read(check, 4096 + 5L * stride);
                assertEquals(5, check.get(0), "the file is not written");
            }
        }
    }
}
