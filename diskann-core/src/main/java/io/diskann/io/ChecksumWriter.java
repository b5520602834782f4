package io.diskann.io;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.util.zip.CRC32C;

/**
 * Buffered little-endian writer to a file channel that keeps a CRC32C of every byte it writes, so a file
 * ends with {@link #finish}: the checksum of everything before it and an end marker.
 */
public final class ChecksumWriter {

    private static final int BUFFER = 1 << 20;

    private final FileChannel ch;
    private final ByteBuffer buf = ByteBuffer.allocate(BUFFER).order(ByteOrder.LITTLE_ENDIAN);
    private final CRC32C crc = new CRC32C();
    private long written;

    public ChecksumWriter(FileChannel ch) {
        this.ch = ch;
    }

    private void room(int n) throws IOException {
        if (buf.remaining() < n) {
            flush();
        }
    }

    private void flush() throws IOException {
        buf.flip();
        int n = buf.limit();
        crc.update(buf.array(), 0, n);
        while (buf.hasRemaining()) {
            ch.write(buf);
        }
        written += n;
        buf.clear();
    }

    /** Bytes written so far (the offset of the next byte). */
    public long position() {
        return written + buf.position();
    }

    public void i8(int v) throws IOException {
        room(1);
        buf.put((byte) v);
    }

    public void i32(int v) throws IOException {
        room(4);
        buf.putInt(v);
    }

    public void i64(long v) throws IOException {
        room(8);
        buf.putLong(v);
    }

    public void f32(float v) throws IOException {
        room(4);
        buf.putFloat(v);
    }

    public void bytes(byte[] b) throws IOException {
        bytes(b, 0, b.length);
    }

    public void bytes(byte[] a, int off, int n) throws IOException {
        for (int done = 0; done < n; ) {
            room(1);
            int c = Math.min(buf.remaining(), n - done);
            buf.put(a, off + done, c);
            done += c;
        }
    }

    public void floats(float[] a) throws IOException {
        for (int off = 0; off < a.length; ) {
            room(4);
            int c = Math.min(buf.remaining() / 4, a.length - off);
            buf.asFloatBuffer().put(a, off, c);
            buf.position(buf.position() + 4 * c);
            off += c;
        }
    }

    public void ints(int[] a, int n) throws IOException {
        for (int off = 0; off < n; ) {
            room(4);
            int c = Math.min(buf.remaining() / 4, n - off);
            buf.asIntBuffer().put(a, off, c);
            buf.position(buf.position() + 4 * c);
            off += c;
        }
    }

    /** Zero bytes up to the next multiple of {@code alignment} (a power of two). */
    public void padTo(int alignment) throws IOException {
        long pad = -position() & (alignment - 1);
        for (long i = 0; i < pad; i++) {
            i8(0);
        }
    }

    /** Writes the remaining bytes of {@code src} (a view of native memory, say) directly, checksummed. */
    public void bytes(ByteBuffer src) throws IOException {
        flush();
        crc.update(src.duplicate());
        long n = src.remaining();
        while (src.hasRemaining()) {
            ch.write(src);
        }
        written += n;
    }

    /** Writes the CRC32C of everything so far, then {@code endMarker}, and flushes. */
    public void finish(byte[] endMarker) throws IOException {
        flush();
        int sum = (int) crc.getValue();
        buf.putInt(sum);
        buf.put(endMarker);
        buf.flip();
        while (buf.hasRemaining()) {
            ch.write(buf);
        }
        buf.clear();
    }
}
