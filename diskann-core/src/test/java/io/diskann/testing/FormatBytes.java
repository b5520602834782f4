package io.diskann.testing;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32C;

/**
 * Byte surgery on files of the container format ({@code FormatWriter}) for fuzz tests: where every
 * header, section and checksum lies, and re-computing checksums after a field was changed, so a crafted
 * value reaches the parser's range checks instead of stopping at a checksum.
 */
public final class FormatBytes {

    private FormatBytes() {
    }

    /**
     * One section's place in the file.
     *
     * @param name its name
     * @param headerStart offset of its header (the name length byte)
     * @param lengthAt offset of its 8-byte body length
     * @param headerCrcAt offset of its header checksum
     * @param bodyStart offset of its body
     * @param bodyLength its body's length
     * @param bodyCrcAt offset of its body checksum
     */
    public record Span(String name, int headerStart, int lengthAt, int headerCrcAt, int bodyStart, int bodyLength,
                       int bodyCrcAt) {
    }

    /**
     * Where everything is.
     *
     * @param versionAt offset of the codec version
     * @param sectionCountAt offset of the section count
     * @param headerCrcAt offset of the file header's checksum
     * @param sections the sections in order
     * @param footerAt offset of the end marker
     */
    public record Layout(int versionAt, int sectionCountAt, int headerCrcAt, List<Span> sections, int footerAt) {
        /**
         * Every offset where a reader crosses from one part to the next (truncation points).
         *
         * @return the boundaries
         */
        public List<Integer> boundaries() {
            List<Integer> b = new ArrayList<>(List.of(0, 8, versionAt, sectionCountAt, headerCrcAt, headerCrcAt + 4));
            for (Span s : sections) {
                b.addAll(List.of(s.headerStart, s.lengthAt, s.headerCrcAt, s.bodyStart, s.bodyStart + s.bodyLength / 2,
                        s.bodyCrcAt, s.bodyCrcAt + 4));
            }
            b.addAll(List.of(footerAt, footerAt + 8));
            return b;
        }

        /**
         * The named section.
         *
         * @param name its name
         * @return its span
         */
        public Span section(String name) {
            return sections.stream().filter(s -> s.name.equals(name)).findFirst().orElseThrow();
        }
    }

    /**
     * Parses a well-formed file's layout.
     *
     * @param f the file's bytes
     * @return where everything is
     */
    public static Layout layout(byte[] f) {
        ByteBuffer b = ByteBuffer.wrap(f).order(ByteOrder.LITTLE_ENDIAN);
        int p = 8;
        int n = f[p] & 0xff;
        p += 1 + n;
        int versionAt = p;
        p += 4 + 16;
        int countAt = p;
        int count = b.getInt(p);
        p += 4;
        int headerCrcAt = p;
        p += 4;
        List<Span> spans = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            int start = p;
            int len = f[p] & 0xff;
            String name = new String(f, p + 1, len, StandardCharsets.US_ASCII);
            p += 1 + len + 4;
            int lengthAt = p;
            long length = b.getLong(p);
            p += 8;
            int alignment = b.getInt(p);
            p += 4;
            int crcAt = p;
            p += 4;
            p += -p & (alignment - 1);
            spans.add(new Span(name, start, lengthAt, crcAt, p, (int) length, p + (int) length));
            p += (int) length + 4;
        }
        return new Layout(versionAt, countAt, headerCrcAt, spans, p);
    }

    /**
     * Re-computes every checksum (file header, section headers, bodies, footer) from the layout.
     *
     * @param f the file's bytes, changed in place
     * @param l its layout (as parsed before the change)
     */
    public static void resealAll(byte[] f, Layout l) {
        resealHeaders(f, l);
        for (Span s : l.sections) {
            put(f, s.bodyCrcAt, crc(f, s.bodyStart, s.bodyStart + s.bodyLength));
        }
        put(f, l.footerAt + 8, crc(f, 0, l.footerAt + 8));
    }

    /**
     * Re-computes the file header's and the section headers' checksums only.
     *
     * @param f the file's bytes, changed in place
     * @param l its layout
     */
    public static void resealHeaders(byte[] f, Layout l) {
        put(f, l.headerCrcAt, crc(f, 0, l.headerCrcAt));
        for (Span s : l.sections) {
            put(f, s.headerCrcAt, crc(f, s.headerStart, s.headerCrcAt));
        }
    }

    static int crc(byte[] f, int from, int to) {
        CRC32C c = new CRC32C();
        c.update(f, from, to - from);
        return (int) c.getValue();
    }

    /**
     * Writes a little-endian int.
     *
     * @param f the bytes
     * @param at the offset
     * @param v the value
     */
    public static void put(byte[] f, int at, int v) {
        ByteBuffer.wrap(f).order(ByteOrder.LITTLE_ENDIAN).putInt(at, v);
    }

    /**
     * Writes a little-endian long.
     *
     * @param f the bytes
     * @param at the offset
     * @param v the value
     */
    public static void putLong(byte[] f, int at, long v) {
        ByteBuffer.wrap(f).order(ByteOrder.LITTLE_ENDIAN).putLong(at, v);
    }
}
