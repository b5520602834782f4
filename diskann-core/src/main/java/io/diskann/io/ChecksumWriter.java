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
    /** Restarted by {@link #markSection}: the checksum of one section (or header) of a file. */
    private final CRC32C sectionCrc = new CRC32C();
    private long written;

    /**
     * Writes to {@code ch} from its current position.
     *
     * @param ch the channel to write
     */
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
        sectionCrc.update(buf.array(), 0, n);
        while (buf.hasRemaining()) {
            ch.write(buf);
        }
        written += n;
        buf.clear();
    }

    /**
     * Bytes written so far (the offset of the next byte).
     *
     * @return bytes written, buffered ones included
     */
    public long position() {
        return written + buf.position();
    }

    /**
     * Starts a section checksum at the current position ({@link #sectionChecksum}).
     *
     * @throws IOException if flushing the buffer fails
     */
    public void markSection() throws IOException {
        flush();
        sectionCrc.reset();
    }

    /**
     * CRC32C of everything written since the last {@link #markSection}.
     *
     * @return the checksum, as the low 32 bits of the CRC
     * @throws IOException if flushing the buffer fails
     */
    public int sectionChecksum() throws IOException {
        flush();
        return (int) sectionCrc.getValue();
    }

    /**
     * Writes a byte.
     *
     * @param v the value; only its low 8 bits are written
     * @throws IOException if the channel fails
     */
    public void i8(int v) throws IOException {
        room(1);
        buf.put((byte) v);
    }

    /**
     * Writes a little-endian 32-bit integer.
     *
     * @param v the value
     * @throws IOException if the channel fails
     */
    public void i32(int v) throws IOException {
        room(4);
        buf.putInt(v);
    }

    /**
     * Writes a little-endian 64-bit integer.
     *
     * @param v the value
     * @throws IOException if the channel fails
     */
    public void i64(long v) throws IOException {
        room(8);
        buf.putLong(v);
    }

    /**
     * Writes a little-endian 32-bit float.
     *
     * @param v the value
     * @throws IOException if the channel fails
     */
    public void f32(float v) throws IOException {
        room(4);
        buf.putFloat(v);
    }

    /**
     * Writes all of {@code b}.
     *
     * @param b the bytes
     * @throws IOException if the channel fails
     */
    public void bytes(byte[] b) throws IOException {
        bytes(b, 0, b.length);
    }

    /**
     * Writes {@code a[off..off+n)}.
     *
     * @param a the source
     * @param off first index written
     * @param n bytes to write
     * @throws IOException if the channel fails
     */
    public void bytes(byte[] a, int off, int n) throws IOException {
        for (int done = 0; done < n; ) {
            room(1);
            int c = Math.min(buf.remaining(), n - done);
            buf.put(a, off + done, c);
            done += c;
        }
    }

    /**
     * Writes all of {@code a} as little-endian 32-bit floats.
     *
     * @param a the floats
     * @throws IOException if the channel fails
     */
    public void floats(float[] a) throws IOException {
        for (int off = 0; off < a.length; ) {
            room(4);
            int c = Math.min(buf.remaining() / 4, a.length - off);
            buf.asFloatBuffer().put(a, off, c);
            buf.position(buf.position() + 4 * c);
            off += c;
        }
    }

    /**
     * Writes {@code a[0..n)} as little-endian 32-bit integers.
     *
     * @param a the source
     * @param n integers to write
     * @throws IOException if the channel fails
     */
    public void ints(int[] a, int n) throws IOException {
        for (int off = 0; off < n; ) {
            room(4);
            int c = Math.min(buf.remaining() / 4, n - off);
            buf.asIntBuffer().put(a, off, c);
            buf.position(buf.position() + 4 * c);
            off += c;
        }
    }

    /**
     * Zero bytes up to the next multiple of {@code alignment} (a power of two).
     *
     * @param alignment the alignment in bytes, a power of two
     * @throws IOException if the channel fails
     */
    public void padTo(int alignment) throws IOException {
        long pad = -position() & (alignment - 1);
        for (long i = 0; i < pad; i++) {
            i8(0);
        }
    }

    /**
     * Writes the remaining bytes of {@code src} (a view of native memory, say) directly, checksummed.
     *
     * @param src the source, written from its position to its limit
     * @throws IOException if the channel fails
     */
    public void bytes(ByteBuffer src) throws IOException {
        flush();
        crc.update(src.duplicate());
        sectionCrc.update(src.duplicate());
        long n = src.remaining();
        while (src.hasRemaining()) {
            ch.write(src);
        }
        written += n;
    }

    /**
     * Writes the CRC32C of everything so far, then {@code endMarker}, and flushes.
     *
     * @param endMarker the bytes that end the file
     * @throws IOException if the channel fails
     */
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
