package io.diskann.capi;

import io.diskann.index.CorruptIndexException;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * The status codes of {@code diskann.h} and the mapping from Java exceptions to them: the one place that
 * decides what a C caller sees when the Java index throws.
 */
final class Status {
    static final int OK = 0;
    static final int INVALID_ARGUMENT = 1;
    static final int INVALID_HANDLE = 2;
    static final int STATE = 3;
    static final int IO = 4;
    static final int CORRUPT = 5;
    static final int UNSUPPORTED = 6;
    static final int NO_MEMORY = 7;
    static final int INTERNAL = 9;

    private Status() {
    }

    static int of(Throwable t) {
        if (t instanceof InvalidHandleException) {
            return INVALID_HANDLE;
        }
        if (t instanceof CorruptIndexException) {
            return CORRUPT;
        }
        if (t instanceof IOException || t instanceof UncheckedIOException) {
            Throwable cause = t instanceof UncheckedIOException u ? u.getCause() : t;
            return cause instanceof CorruptIndexException ? CORRUPT : IO;
        }
        if (t instanceof UnsupportedOperationException) {
            return UNSUPPORTED;
        }
        if (t instanceof IllegalArgumentException || t instanceof IndexOutOfBoundsException) {
            return INVALID_ARGUMENT;
        }
        if (t instanceof IllegalStateException) {
            return STATE;
        }
        if (t instanceof OutOfMemoryError) {
            return NO_MEMORY;
        }
        return INTERNAL;
    }

    /** The message a C caller reads from {@code diskann_last_error()}. */
    static String message(Throwable t) {
        String m = t.getMessage();
        if (of(t) == INTERNAL || m == null || m.isBlank()) {
            return t.toString(); // the class name says what went wrong where the message does not
        }
        return m;
    }

    /** A freed, never-created or zero handle. */
    static final class InvalidHandleException extends RuntimeException {
        InvalidHandleException(String message) {
            super(message, null, false, false);
        }
    }
}
