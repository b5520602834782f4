package io.diskann.io;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

/**
 * Writes a file in the project's one container format (read back by {@link FormatReader}), atomically
 * through {@link AtomicFiles}. Every file kind is a codec name and version plus a list of named sections
 * in this container: the graph index (with a PQ index's {@code pq} section), the SSD-resident index, and
 * the ones to come (labels).
 *
 * <pre>
 * header   8  magic "DISKANNF"
 *          1  codec name length n (1..64), n bytes codec name (ASCII)
 *          4  codec version
 *          16 save id (random per save; every file of one save carries the same one)
 *          4  section count S
 *          4  CRC32C of the header bytes above
 * S x      1  name length n (1..64), n bytes section name (ASCII)
 * section  4  section version
 *          8  body length in bytes
 *          4  body alignment (a power of two, 1..4096; the body starts at a multiple of it)
 *          4  CRC32C of the section header bytes above
 *             zero bytes up to the alignment
 *             the body
 *          4  CRC32C of the body
 * footer   8  end marker "DISKANNE"
 *          4  CRC32C of every byte of the file before it
 * </pre>
 *
 * <p>Why checksums at three levels: the header's and each section header's own checksum is verified
 * before any value in it is trusted, so a flipped bit in a count or a size is caught before it can steer
 * an allocation; the body checksum names the section that is damaged; the whole-file checksum covers the
 * padding and the order of sections. CRC32C runs at several GB/s on current CPUs, so checking every byte
 * on load costs little next to reading it.
 */
public final class FormatWriter {

    static final byte[] MAGIC = "DISKANNF".getBytes(StandardCharsets.US_ASCII);
    static final byte[] END = "DISKANNE".getBytes(StandardCharsets.US_ASCII);
    static final int MAX_NAME = 64;
    static final int MAX_ALIGNMENT = 4096;

    /** Writes one section's body. */
    @FunctionalInterface
    public interface Body {
        /**
         * Writes exactly the section's declared length.
         *
         * @param out the file, positioned at the body's first byte
         * @throws IOException if writing fails
         */
        void write(ChecksumWriter out) throws IOException;
    }

    /**
     * One section to write.
     *
     * @param name its name, ASCII, 1..64 characters
     * @param version the section's own format version
     * @param length the exact number of bytes {@code body} writes
     * @param alignment where the body starts: a multiple of this power of two (1..4096)
     * @param body writes the body
     */
    public record Section(String name, int version, long length, int alignment, Body body) {
        /** Checks the fields. */
        public Section {
            checkName(name);
            if (length < 0) {
                throw new IllegalArgumentException("section " + name + " has negative length " + length);
            }
            if (alignment < 1 || alignment > MAX_ALIGNMENT || Integer.bitCount(alignment) != 1) {
                throw new IllegalArgumentException("section " + name + ": alignment " + alignment
                        + " is not a power of two in 1.." + MAX_ALIGNMENT);
            }
        }
    }

    private FormatWriter() {
    }

    static void checkName(String name) {
        if (name == null || name.isEmpty() || name.length() > MAX_NAME
                || !StandardCharsets.US_ASCII.newEncoder().canEncode(name)) {
            throw new IllegalArgumentException("bad codec or section name: " + name);
        }
    }

    /**
     * Writes {@code target} atomically: header, the sections in order, footer.
     *
     * @param target the file to create or replace
     * @param codec what the file holds, e.g. {@code "vamana-index"}
     * @param codecVersion the codec's format version
     * @param id the save's id
     * @param sections the sections, in file order
     * @throws IOException if writing fails; {@code target} is then left as it was
     */
    public static void write(Path target, String codec, int codecVersion, SaveId id, List<Section> sections)
            throws IOException {
        checkName(codec);
        AtomicFiles.write(target, ch -> {
            ChecksumWriter w = new ChecksumWriter(ch);
            w.markSection();
            w.bytes(MAGIC);
            name(w, codec);
            w.i32(codecVersion);
            w.i64(id.high());
            w.i64(id.low());
            w.i32(sections.size());
            w.i32(w.sectionChecksum());
            for (Section s : sections) {
                w.markSection();
                name(w, s.name());
                w.i32(s.version());
                w.i64(s.length());
                w.i32(s.alignment());
                w.i32(w.sectionChecksum());
                w.padTo(s.alignment());
                w.markSection();
                long from = w.position();
                s.body().write(w);
                long wrote = w.position() - from;
                if (wrote != s.length()) {
                    throw new IllegalStateException("section " + s.name() + " declared " + s.length()
                            + " bytes but wrote " + wrote + " (a bug in its writer)");
                }
                w.i32(w.sectionChecksum());
            }
            w.bytes(END);
            w.finish(new byte[0]);
        });
    }

    private static void name(ChecksumWriter w, String name) throws IOException {
        byte[] b = name.getBytes(StandardCharsets.US_ASCII);
        w.i8(b.length);
        w.bytes(b);
    }
}
