package io.diskann.io;

import io.diskann.index.CorruptIndexException;
import java.io.Closeable;
import java.io.EOFException;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;

/**
 * Reads a file written by {@link FormatWriter}, checking as it goes: the header's and each section
 * header's checksum before any value in them is used, every section's length against the bytes really
 * left in the file, every body's checksum when the codec has read it, then the footer and that nothing
 * follows it. A codec reads a section's body through {@link Section#in()} and bounds everything it
 * allocates with {@link Section#require}; every problem is a {@link CorruptIndexException} naming the
 * file, the field and the value.
 *
 * <pre>{@code
 * try (FormatReader r = FormatReader.open(path, "vamana-index", 4, 4)) {
 *     FormatReader.Section s = r.next("params", 1, 1);
 *     int count = s.in().i32();
 *     s.end();
 *     ...
 *     r.finish();
 * }
 * }</pre>
 */
public final class FormatReader implements Closeable {

    private static final int FOOTER = 8 + 4;

    private final Path path;
    private final FileChannel channel;
    private final long size;
    private final ChecksumReader in;
    private String codec;
    private int codecVersion;
    private SaveId saveId;
    private int sectionCount;
    private int sectionsRead;
    private Section current;

    private FormatReader(Path path, FileChannel channel) throws IOException {
        this.path = path;
        this.channel = channel;
        this.size = channel.size();
        this.in = new ChecksumReader(channel, "cannot read " + path);
    }

    /**
     * Whether {@code path} starts like a file of this format (and not like one of the older formats).
     *
     * @param path the file
     * @return true if its first bytes are this format's magic number
     * @throws IOException if the file cannot be read
     */
    public static boolean isFormatFile(Path path) throws IOException {
        try (FileChannel ch = FileChannel.open(path, StandardOpenOption.READ)) {
            java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(FormatWriter.MAGIC.length);
            while (b.hasRemaining() && ch.read(b) >= 0) {
                // fill
            }
            return !b.hasRemaining() && Arrays.equals(b.array(), FormatWriter.MAGIC);
        }
    }

    /**
     * Opens {@code path} and reads its header.
     *
     * @param path the file
     * @param codec the codec the caller reads; any other is refused
     * @param minVersion the oldest codec version the caller reads
     * @param maxVersion the newest codec version the caller reads
     * @return the reader, positioned at the first section
     * @throws NoSuchFileException if the file does not exist
     * @throws CorruptIndexException if the header is not a valid header of that codec
     * @throws IOException if the file cannot be read
     */
    public static FormatReader open(Path path, String codec, int minVersion, int maxVersion) throws IOException {
        if (codec == null) {
            throw new IllegalArgumentException("codec is null (openAnyCodec reads any)");
        }
        return openChecked(path, codec, minVersion, maxVersion);
    }

    /** {@link #open}, or with a null codec any codec and version (for {@link #openAnyCodec}). */
    private static FormatReader openChecked(Path path, String codec, int minVersion, int maxVersion) throws IOException {
        if (!Files.exists(path)) {
            throw new NoSuchFileException(path.toString(), null, "index file does not exist");
        }
        FileChannel ch = FileChannel.open(path, StandardOpenOption.READ);
        FormatReader r = new FormatReader(path, ch);
        boolean ok = false;
        try {
            r.readHeader(codec, minVersion, maxVersion);
            ok = true;
            return r;
        } finally {
            if (!ok) {
                ch.close();
            }
        }
    }

    /**
     * Opens a file of this container format whatever its codec and version, to list its sections (which
     * module's data a file holds) without reading it as any one codec.
     *
     * @param path the file
     * @return the reader, positioned at the first section
     * @throws NoSuchFileException if the file does not exist
     * @throws CorruptIndexException if the header is not a valid header
     * @throws IOException if the file cannot be read
     */
    public static FormatReader openAnyCodec(Path path) throws IOException {
        return openChecked(path, null, Integer.MIN_VALUE, Integer.MAX_VALUE);
    }

    private void readHeader(String expectedCodec, int minVersion, int maxVersion) throws IOException {
        guard(() -> {
            if (size < FormatWriter.MAGIC.length + 2 + 4 + 16 + 4 + 4 + FOOTER) {
                throw corrupt("file.length", size, "shorter than any index file (truncated, or not an index)");
            }
            in.markSection();
            byte[] magic = in.bytes(FormatWriter.MAGIC.length);
            if (!Arrays.equals(magic, FormatWriter.MAGIC)) {
                throw corrupt("header.magic", printable(magic), "not a diskann-java file of this format (bad magic number)");
            }
            String name = name("header.codec");
            int version = in.i32();
            long high = in.i64();
            long low = in.i64();
            int sections = in.i32();
            int computed = in.sectionChecksum();
            int stored = in.i32();
            if (computed != stored) {
                throw corrupt("header.checksum", hex(stored), "header checksum mismatch (computed " + hex(computed) + ")");
            }
            if (expectedCodec != null && !name.equals(expectedCodec)) {
                throw corrupt("header.codec", name, "holds a " + name + " file where a " + expectedCodec + " file is expected");
            }
            if (version < minVersion || version > maxVersion) {
                throw corrupt("header.version", version, "unsupported " + name + " format version (this build reads "
                        + minVersion + ".." + maxVersion + (version > maxVersion ? "; written by a newer build" : "") + ")");
            }
            if (sections < 0 || sections > 1024) {
                throw corrupt("header.sections", sections, "section count out of range 0..1024");
            }
            codec = name;
            codecVersion = version;
            saveId = new SaveId(high, low);
            sectionCount = sections;
            return null;
        });
    }

    private String name(String field) throws IOException {
        int n = in.i8() & 0xff;
        if (n < 1 || n > FormatWriter.MAX_NAME) {
            throw corrupt(field, n, "name length out of range 1.." + FormatWriter.MAX_NAME);
        }
        byte[] b = in.bytes(n);
        for (byte c : b) {
            if (c < 0x20 || c > 0x7e) {
                throw corrupt(field, printable(b), "name holds non-printable bytes");
            }
        }
        return new String(b, StandardCharsets.US_ASCII);
    }

    /**
     * The codec name from the header.
     *
     * @return e.g. {@code "vamana-index"}
     */
    public String codec() {
        return codec;
    }

    /**
     * The codec version from the header.
     *
     * @return the version, within the range the caller asked for
     */
    public int codecVersion() {
        return codecVersion;
    }

    /**
     * The id of the save that wrote this file.
     *
     * @return the id
     */
    public SaveId saveId() {
        return saveId;
    }

    /**
     * The file, as the caller named it.
     *
     * @return the path
     */
    public Path path() {
        return path;
    }

    /**
     * The file's size in bytes.
     *
     * @return its size
     */
    public long size() {
        return size;
    }

    /**
     * The channel the file is read through (to map a section's body, say); do not move its position.
     *
     * @return the open channel
     */
    public FileChannel channel() {
        return channel;
    }

    /**
     * Whether sections remain to be read.
     *
     * @return true if fewer sections than the header declares have been read
     */
    public boolean hasNext() {
        return sectionsRead < sectionCount;
    }

    /**
     * Reads the next section's header, which must be {@code name} in a version the caller reads.
     *
     * @param name the section the codec expects next
     * @param minVersion the oldest version of it the caller reads
     * @param maxVersion the newest version of it the caller reads
     * @return the section, positioned at its body
     * @throws CorruptIndexException if the next section is missing, another one, or damaged
     * @throws IOException if the file cannot be read
     */
    public Section next(String name, int minVersion, int maxVersion) throws IOException {
        Section s = next();
        if (!s.name.equals(name)) {
            throw corrupt("section[" + (sectionsRead - 1) + "].name", s.name, "expected section " + name + " here");
        }
        if (s.version < minVersion || s.version > maxVersion) {
            throw corrupt(name + ".version", s.version, "unsupported version of section " + name
                    + " (this build reads " + minVersion + ".." + maxVersion + ")");
        }
        return s;
    }

    /**
     * Reads the next section's header, whatever section it is.
     *
     * @return the section, positioned at its body
     * @throws CorruptIndexException if no section is left or its header is damaged
     * @throws IOException if the file cannot be read
     */
    public Section next() throws IOException {
        if (current != null && !current.ended) {
            throw new IllegalStateException("section " + current.name + " was not ended (a bug in its codec)");
        }
        if (!hasNext()) {
            throw corrupt("header.sections", sectionCount, "a section is missing (the header declares " + sectionCount + ")");
        }
        return guard(() -> {
            int index = sectionsRead;
            in.markSection();
            String name = name("section[" + index + "].name");
            int version = in.i32();
            long length = in.i64();
            int alignment = in.i32();
            int computed = in.sectionChecksum();
            int stored = in.i32();
            if (computed != stored) {
                throw corrupt(name + ".header.checksum", hex(stored), "section header checksum mismatch (computed "
                        + hex(computed) + ")");
            }
            if (alignment < 1 || alignment > FormatWriter.MAX_ALIGNMENT || Integer.bitCount(alignment) != 1) {
                throw corrupt(name + ".alignment", alignment, "not a power of two in 1.." + FormatWriter.MAX_ALIGNMENT);
            }
            long bodyStart = in.position() + (-in.position() & (alignment - 1));
            long left = size - bodyStart - 4 - FOOTER;
            if (length < 0 || length > left) {
                throw corrupt(name + ".length", length, length < 0 ? "negative section length"
                        : "section longer than the " + Math.max(0, left) + " bytes left in the file (truncated)");
            }
            for (long p = in.position(); p < bodyStart; p++) {
                if (in.i8() != 0) {
                    throw corrupt(name + ".padding", null, "non-zero padding before the section body");
                }
            }
            in.markSection();
            sectionsRead++;
            current = new Section(name, version, bodyStart, length);
            return current;
        });
    }

    /**
     * Reads the footer after the last section: the end marker, the whole-file checksum, and that nothing
     * follows.
     *
     * @throws CorruptIndexException if a declared section was not read, or the footer is wrong
     * @throws IOException if the file cannot be read
     */
    public void finish() throws IOException {
        if (current != null && !current.ended) {
            throw new IllegalStateException("section " + current.name + " was not ended (a bug in its codec)");
        }
        if (hasNext()) {
            throw new IllegalStateException((sectionCount - sectionsRead) + " sections left unread (a bug in the codec)");
        }
        guard(() -> {
            byte[] end = in.bytes(FormatWriter.END.length);
            if (!Arrays.equals(end, FormatWriter.END)) {
                throw corrupt("footer.marker", printable(end), "bad end marker");
            }
            int computed = in.checksum();
            int stored = in.i32();
            // after a section skipped unchecked the file checksum cannot be computed; its own checks stand in
            if (in.wholeFileChecksummed() && computed != stored) {
                throw corrupt("footer.checksum", hex(stored), "file checksum mismatch (computed " + hex(computed) + ")");
            }
            if (in.position() != size) {
                throw corrupt("file.length", size, (size - in.position()) + " bytes of trailing data after the footer");
            }
            return null;
        });
    }

    /**
     * A corruption report about this file.
     *
     * @param field the field at fault
     * @param value its value as found, or null
     * @param problem what is wrong
     * @return the exception, to throw
     */
    public CorruptIndexException corrupt(String field, Object value, String problem) {
        return new CorruptIndexException(path, field, value, problem);
    }

    /**
     * Parsing work that may throw.
     *
     * @param <T> what it parses
     */
    @FunctionalInterface
    public interface Parse<T> {
        /**
         * Parses.
         *
         * @return what was parsed
         * @throws IOException if reading fails or the file is corrupt
         */
        T run() throws IOException;
    }

    /**
     * Runs parsing code so that whatever it hits becomes a {@link CorruptIndexException}: the file ending
     * early, or an unchecked exception from code that met a value nothing checked. A real I/O failure
     * stays an {@link IOException}.
     *
     * @param <T> what is parsed
     * @param parse the parsing code
     * @return what it returned
     * @throws IOException a {@link CorruptIndexException} for any problem with the bytes
     */
    public <T> T guard(Parse<T> parse) throws IOException {
        try {
            return parse.run();
        } catch (CorruptIndexException e) {
            throw e;
        } catch (EOFException e) {
            throw new CorruptIndexException(path, "file.length", size, "truncated: the file ends at byte " + size
                    + " inside its declared contents", e);
        } catch (RuntimeException e) {
            throw new CorruptIndexException(path, null, null, "unreadable contents (" + e + ")", e);
        }
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }

    static String hex(int v) {
        return String.format("%08x", v);
    }

    static String printable(byte[] b) {
        StringBuilder s = new StringBuilder("\"");
        for (byte c : b) {
            s.append(c >= 0x20 && c < 0x7f ? String.valueOf((char) c) : String.format("\\x%02x", c & 0xff));
        }
        return s.append('"').toString();
    }

    /** One section: its name, version and where its body lies; read the body through {@link #in()}. */
    public final class Section {
        private final String name;
        private final int version;
        private final long offset;
        private final long length;
        private boolean ended;

        private Section(String name, int version, long offset, long length) {
            this.name = name;
            this.version = version;
            this.offset = offset;
            this.length = length;
        }

        /**
         * The section's name.
         *
         * @return its name
         */
        public String name() {
            return name;
        }

        /**
         * The section's version.
         *
         * @return its version
         */
        public int version() {
            return version;
        }

        /**
         * Where the body starts in the file.
         *
         * @return its offset in bytes
         */
        public long offset() {
            return offset;
        }

        /**
         * The body's length.
         *
         * @return its length in bytes
         */
        public long length() {
            return length;
        }

        /**
         * The reader, positioned in the body; read no further than the body's end.
         *
         * @return the file's checksumming reader
         */
        public ChecksumReader in() {
            return in;
        }

        /**
         * Bytes of the body not read yet.
         *
         * @return bytes left in the body
         */
        public long remaining() {
            return offset + length - in.position();
        }

        /**
         * Checks, before anything is allocated for them, that {@code count} items of {@code bytesEach}
         * bytes fit in what is left of the body.
         *
         * @param field the field holding the count, e.g. {@code "vectors.count"}
         * @param count the count as read
         * @param bytesEach bytes each item takes in the file (at least 1)
         * @return {@code count}, now known to be in range
         * @throws CorruptIndexException if the count is negative or the items would not fit
         */
        public long require(String field, long count, long bytesEach) throws CorruptIndexException {
            if (count < 0) {
                throw corrupt(field, count, "negative count");
            }
            if (count > remaining() / Math.max(1, bytesEach)) {
                throw corrupt(field, count, count + " items of " + bytesEach + " bytes do not fit in the "
                        + remaining() + " bytes left in section " + name);
            }
            return count;
        }

        /**
         * A corruption report about a field of this section.
         *
         * @param field the field, without the section's name
         * @param value its value as found, or null
         * @param problem what is wrong
         * @return the exception, to throw
         */
        public CorruptIndexException corrupt(String field, Object value, String problem) {
            return FormatReader.this.corrupt(name + "." + field, value, problem);
        }

        /**
         * Ends the body: checks that exactly all of it was read, then its checksum.
         *
         * @throws CorruptIndexException if bytes are left over or the checksum does not match
         * @throws IOException if the file cannot be read
         */
        public void end() throws IOException {
            guard(() -> {
                long left = remaining();
                if (left != 0) {
                    throw corrupt("length", length, left > 0 ? left + " bytes of the section were not accounted for"
                            : "read " + -left + " bytes past the section's end");
                }
                int computed = in.sectionChecksum();
                int stored = in.i32();
                if (computed != stored) {
                    throw corrupt("checksum", hex(stored), "checksum mismatch in section " + name + " (computed "
                            + hex(computed) + ")");
                }
                ended = true;
                return null;
            });
        }

        /**
         * Moves past the body without reading it, nor its checksum: for a section its codec checks piece
         * by piece when it uses it (a disk index's nodes, guarded by per-sector checksums). The file's
         * whole checksum is then not verified by {@link #finish()}.
         *
         * @throws IOException if the file cannot be positioned
         */
        public void skipUnchecked() throws IOException {
            in.seek(offset + length + 4);
            ended = true;
        }

        /**
         * Reads and checksums the rest of the body without keeping it (a section this reader does not use).
         *
         * @throws CorruptIndexException if the checksum does not match
         * @throws IOException if the file cannot be read
         */
        public void skip() throws IOException {
            guard(() -> {
                in.skip(remaining());
                return null;
            });
            end();
        }
    }
}
