package io.diskann.io;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.util.zip.CRC32C;

/**
 * Buffered little-endian reader over a file channel that keeps a CRC32C of every byte it consumes, so a
 * file's trailing checksum can be compared with {@link #checksum()}. Reading past the end throws an
 * {@link EOFException} naming the file (as the caller described it) and the offset.
 */
public final class ChecksumReader {

    private static final int BUFFER = 1 << 20;

    private final FileChannel ch;
    private final String what;
    private final ByteBuffer buf = ByteBuffer.allocate(BUFFER).order(ByteOrder.LITTLE_ENDIAN);
    private final CRC32C crc = new CRC32C();
    /** Restarted by {@link #markSection}: the checksum of one section (or header) of a file. */
    private final CRC32C sectionCrc = new CRC32C();
    /** Bytes consumed and checksummed before the buffer's current contents. */
    private long consumedBefore;
    /** Set by {@link #seek}: some bytes never went through the whole-file checksum. */
    private boolean skipped;

    /**
     * Reads {@code ch} from its current position.
     *
     * @param ch the channel to read
     * @param what how errors name the file, e.g. {@code "cannot load index /x/y.idx"}
     */
    public ChecksumReader(FileChannel ch, String what) {
        this.ch = ch;
        this.what = what;
        buf.limit(0);
    }

    /**
     * Offset of the next byte to be read.
     *
     * @return bytes consumed so far
     */
    public long position() {
        return consumedBefore + buf.position();
    }

    private void update(byte[] a, int off, int n) {
        crc.update(a, off, n);
        sectionCrc.update(a, off, n);
    }

    private void settle() {
        update(buf.array(), 0, buf.position());
        consumedBefore += buf.position();
        buf.compact();
        buf.flip();
    }

    private void need(int n) throws IOException {
        if (buf.remaining() >= n) {
            return;
        }
        // checksum what was consumed, keep the unconsumed tail, refill
        update(buf.array(), 0, buf.position());
        consumedBefore += buf.position();
        buf.compact();
        while (buf.position() < n) {
            int r = ch.read(buf);
            if (r < 0) {
                throw new EOFException(what + ": truncated at byte " + (consumedBefore + buf.position()));
            }
        }
        buf.flip();
    }

    /**
     * CRC32C of everything consumed so far.
     *
     * @return the checksum, as the low 32 bits of the CRC
     */
    public int checksum() {
        settle();
        return (int) crc.getValue();
    }

    /**
     * Moves to {@code position} without reading what lies between: the whole-file checksum
     * ({@link #checksum()}) no longer covers the file, which {@link #wholeFileChecksummed()} reports.
     * For sections checked piecewise by their own codec (a disk index's per-sector checksums).
     *
     * @param position the file offset to continue from
     * @throws IOException if the channel cannot be positioned
     */
    public void seek(long position) throws IOException {
        settle();
        buf.clear();
        buf.limit(0);
        ch.position(position);
        consumedBefore = position;
        sectionCrc.reset();
        skipped = true;
    }

    /**
     * Whether every byte so far went through the whole-file checksum (no {@link #seek}).
     *
     * @return false after a seek
     */
    public boolean wholeFileChecksummed() {
        return !skipped;
    }

    /** Starts a section checksum at the current position ({@link #sectionChecksum}). */
    public void markSection() {
        settle();
        sectionCrc.reset();
    }

    /**
     * CRC32C of everything consumed since the last {@link #markSection}.
     *
     * @return the checksum, as the low 32 bits of the CRC
     */
    public int sectionChecksum() {
        settle();
        return (int) sectionCrc.getValue();
    }

    /**
     * Reads a signed byte.
     *
     * @return the byte, sign-extended
     * @throws IOException if the channel fails
     * @throws java.io.EOFException if the file ends first
     */
    public int i8() throws IOException {
        need(1);
        return buf.get();
    }

    /**
     * Reads a little-endian 32-bit integer.
     *
     * @return the integer
     * @throws IOException if the channel fails
     * @throws java.io.EOFException if the file ends first
     */
    public int i32() throws IOException {
        need(4);
        return buf.getInt();
    }

    /**
     * Reads a little-endian 64-bit integer.
     *
     * @return the integer
     * @throws IOException if the channel fails
     * @throws java.io.EOFException if the file ends first
     */
    public long i64() throws IOException {
        need(8);
        return buf.getLong();
    }

    /**
     * Reads a little-endian 32-bit float.
     *
     * @return the float
     * @throws IOException if the channel fails
     * @throws java.io.EOFException if the file ends first
     */
    public float f32() throws IOException {
        need(4);
        return buf.getFloat();
    }

    /**
     * Reads {@code n} bytes into a new array.
     *
     * @param n bytes to read
     * @return the bytes
     * @throws IOException if the channel fails
     * @throws java.io.EOFException if the file ends first
     */
    public byte[] bytes(int n) throws IOException {
        byte[] out = new byte[n];
        bytes(out, 0, n);
        return out;
    }

    /**
     * Reads {@code n} bytes into {@code a[off..off+n)}.
     *
     * @param a the destination
     * @param off first index written
     * @param n bytes to read
     * @throws IOException if the channel fails
     * @throws java.io.EOFException if the file ends first
     */
    public void bytes(byte[] a, int off, int n) throws IOException {
        for (int done = 0; done < n; ) {
            need(1);
            int c = Math.min(buf.remaining(), n - done);
            buf.get(a, off + done, c);
            done += c;
        }
    }

    /**
     * Fills {@code a} with little-endian 32-bit floats.
     *
     * @param a the destination; its whole length is read
     * @throws IOException if the channel fails
     * @throws java.io.EOFException if the file ends first
     */
    public void floats(float[] a) throws IOException {
        for (int off = 0; off < a.length; ) {
            need(4);
            int c = Math.min(buf.remaining() / 4, a.length - off);
            buf.asFloatBuffer().get(a, off, c);
            buf.position(buf.position() + 4 * c);
            off += c;
        }
    }

    /**
     * Fills the remaining bytes of {@code dst} (a view of native memory, say), checksummed.
     *
     * @param dst the destination, filled from its position to its limit
     * @throws IOException if the channel fails
     * @throws java.io.EOFException if the file ends first
     */
    public void bytes(ByteBuffer dst) throws IOException {
        settle();
        int take = Math.min(buf.remaining(), dst.remaining());
        if (take > 0) {
            ByteBuffer part = buf.slice(buf.position(), take);
            dst.put(part);
            buf.position(buf.position() + take);
            settle();
        }
        while (dst.hasRemaining()) {
            ByteBuffer view = dst.duplicate();
            int from = view.position();
            int r = ch.read(dst);
            if (r < 0) {
                throw new EOFException(what + ": truncated at byte " + (consumedBefore + buf.position()));
            }
            view.limit(from + r);
            crc.update(view.duplicate());
            sectionCrc.update(view);
            consumedBefore += r;
        }
    }

    /**
     * Consumes {@code n} bytes, checksummed, without keeping them.
     *
     * @param n bytes to skip
     * @throws IOException if the channel fails
     * @throws java.io.EOFException if the file ends first
     */
    public void skip(long n) throws IOException {
        while (n > 0) {
            int c = (int) Math.min(n, BUFFER / 2);
            need(c);
            buf.position(buf.position() + c);
            n -= c;
        }
    }
}
