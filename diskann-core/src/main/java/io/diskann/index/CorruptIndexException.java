package io.diskann.index;

import java.io.IOException;
import java.nio.file.Path;

/**
 * An index file that cannot be read as what it claims to be: truncated, bit-flipped, crafted, of another
 * kind, or of a format version this build does not read. Every problem found while parsing any file the
 * project writes is reported as this one type, naming the file, the field and the value that gave it
 * away, so callers can tell "this file is bad" (restore it from a backup, rebuild) from an I/O failure
 * (a disk or permission problem) by catching it before {@link IOException}.
 *
 * <p>Why one type rather than {@code EOFException}, {@code IllegalArgumentException} or whatever a
 * parser happened to hit: an application serving an index needs one rule for "the file is unusable",
 * and a parser that can throw anything cannot promise that a hostile file never reaches an allocation or
 * a loop unchecked. The file layer checks every declared size against the bytes that are really there
 * before it allocates, and wraps anything else that escapes a parser into this exception.
 */
public final class CorruptIndexException extends IOException {

    private static final long serialVersionUID = 1L;

    /** The file (not serialised: {@code Path} is not serialisable). */
    private final transient Path file;
    /** The field or structure at fault, or null. */
    private final String field;
    /** The offending value in words, or null. */
    private final String value;

    /**
     * Reports a corrupt file.
     *
     * @param file the file (as the caller named it)
     * @param field the field, section or structure that is wrong, e.g. {@code "adjacency.degree[17]"}
     * @param value the offending value as found (or {@code null} when there is no single value)
     * @param problem what is wrong, in words
     * @param cause what the parser hit, if anything
     */
    public CorruptIndexException(Path file, String field, Object value, String problem, Throwable cause) {
        super(message(file, field, value, problem), cause);
        this.file = file;
        this.field = field;
        this.value = value == null ? null : String.valueOf(value);
    }

    /**
     * Reports a corrupt file.
     *
     * @param file the file (as the caller named it)
     * @param field the field, section or structure that is wrong
     * @param value the offending value as found (or {@code null})
     * @param problem what is wrong, in words
     */
    public CorruptIndexException(Path file, String field, Object value, String problem) {
        this(file, field, value, problem, null);
    }

    private static String message(Path file, String field, Object value, String problem) {
        StringBuilder s = new StringBuilder("corrupt index file ").append(file).append(": ").append(problem);
        if (field != null) {
            s.append(" [").append(field);
            if (value != null) {
                s.append(" = ").append(value);
            }
            s.append(']');
        }
        return s.toString();
    }

    /**
     * The file that is corrupt.
     *
     * @return its path as the caller gave it
     */
    public Path file() {
        return file;
    }

    /**
     * The field or structure that gave the corruption away.
     *
     * @return its name, e.g. {@code "header.version"} or {@code "footer.checksum"}
     */
    public String field() {
        return field;
    }

    /**
     * The offending value as found in the file.
     *
     * @return the value in words, or {@code null} when there is no single value
     */
    public String value() {
        return value;
    }
}
