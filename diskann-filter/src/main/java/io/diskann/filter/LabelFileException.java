package io.diskann.filter;

import java.io.IOException;
import java.nio.file.Path;

/**
 * A label file with a malformed line: says which file, which line (1-based) and what is wrong with it, so
 * a user can fix their data instead of guessing.
 */
public final class LabelFileException extends IOException {

    /** Serialization version. */
    private static final long serialVersionUID = 1L;

    /** The label file (not serialized: a Path is not serializable). */
    private final transient Path file;
    /** The bad line's number, from 1. */
    private final int line;

    /**
     * A bad line.
     *
     * @param file the label file
     * @param line its 1-based line number
     * @param problem what is wrong there
     */
    public LabelFileException(Path file, int line, String problem) {
        super(file + ", line " + line + ": " + problem);
        this.file = file;
        this.line = line;
    }

    /**
     * The file.
     *
     * @return its path
     */
    public Path file() {
        return file;
    }

    /**
     * The bad line's number, counting from 1.
     *
     * @return the line number
     */
    public int line() {
        return line;
    }
}
