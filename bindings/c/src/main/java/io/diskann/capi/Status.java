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

    static int of(Throwable thrown) {
        Throwable t = unwrap(thrown);
        for (Throwable c = thrown; c != null; c = c.getCause()) {
            if (c instanceof OutOfMemoryError) {
                return NO_MEMORY; // also when a worker's OOM arrives wrapped
            }
        }
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

    /** The exception a parallel batch wrapped (CompletionException, ExecutionException), or t itself. */
    static Throwable unwrap(Throwable t) {
        Throwable u = t;
        while ((u instanceof java.util.concurrent.CompletionException || u instanceof java.util.concurrent.ExecutionException)
                && u.getCause() != null) {
            u = u.getCause();
        }
        return u;
    }

    /** The message a C caller reads from {@code diskann_last_error()}. */
    static String message(Throwable thrown) {
        Throwable t = unwrap(thrown);
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
