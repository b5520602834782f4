package io.diskann.capi;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;

/**
 * Reads and writes the caller's memory by address, for the length of one call: the zero-copy half of the
 * C ABI. Every address comes from C and is checked for null here; lengths come from the caller's own
 * arguments, so a buffer shorter than it says is the caller's bug, as with any C library.
 */
final class Mem {
    private static final ValueLayout.OfFloat FLOAT = ValueLayout.JAVA_FLOAT_UNALIGNED;
    private static final ValueLayout.OfInt INT = ValueLayout.JAVA_INT_UNALIGNED;
    private static final ValueLayout.OfLong LONG = ValueLayout.JAVA_LONG_UNALIGNED;
    /** Longest path or label name read from a C string. */
    private static final long MAX_STRING = 1 << 16;

    private Mem() {
    }

    static MemorySegment at(long address, long bytes, String what) {
        if (address == 0) {
            throw new IllegalArgumentException(what + " is NULL");
        }
        return MemorySegment.ofAddress(address).reinterpret(bytes);
    }

    static void floats(long address, long firstFloat, float[] into, String what) {
        MemorySegment.copy(at(address, (firstFloat + into.length) * 4L, what), FLOAT, firstFloat * 4L, into, 0, into.length);
    }

    static int[] ints(long address, int n, String what) {
        int[] out = new int[n];
        if (n > 0) {
            MemorySegment.copy(at(address, n * 4L, what), INT, 0, out, 0, n);
        }
        return out;
    }

    static long[] longs(long address, int n, String what) {
        long[] out = new long[n];
        if (n > 0) {
            MemorySegment.copy(at(address, n * 8L, what), LONG, 0, out, 0, n);
        }
        return out;
    }

    static String string(long address, String what) {
        MemorySegment s = at(address, MAX_STRING, what);
        long len = 0;
        while (len < MAX_STRING && s.get(ValueLayout.JAVA_BYTE, len) != 0) {
            len++;
        }
        if (len == MAX_STRING) {
            throw new IllegalArgumentException(what + " is not NUL-terminated within " + MAX_STRING + " bytes");
        }
        if (len == 0) {
            throw new IllegalArgumentException(what + " is empty");
        }
        return new String(s.asSlice(0, len).toArray(ValueLayout.JAVA_BYTE), StandardCharsets.UTF_8);
    }

    static void putLong(long address, long value, String what) {
        at(address, 8, what).set(LONG, 0, value);
    }

    static void putInt(long address, int value, String what) {
        at(address, 4, what).set(INT, 0, value);
    }

    static int getInt(MemorySegment s, long offset) {
        return s.get(INT, offset);
    }

    static long getLong(MemorySegment s, long offset) {
        return s.get(LONG, offset);
    }

    static float getFloat(MemorySegment s, long offset) {
        return s.get(FLOAT, offset);
    }

    static void putInt(MemorySegment s, long offset, int v) {
        s.set(INT, offset, v);
    }

    static void putLong(MemorySegment s, long offset, long v) {
        s.set(LONG, offset, v);
    }

    /** Writes n ids (as int64) and distances from index {@code at} of the caller's arrays. */
    static void results(long ids, long distances, long at, int[] resultIds, float[] resultDistances, int n) {
        if (n == 0) {
            return;
        }
        MemorySegment i = at(ids, (at + n) * 8L, "ids");
        MemorySegment d = at(distances, (at + n) * 4L, "distances");
        for (int j = 0; j < n; j++) {
            i.set(LONG, (at + j) * 8L, resultIds[j]);
        }
        MemorySegment.copy(resultDistances, 0, d, FLOAT, at * 4L, n);
    }

    /** Writes {@code message} as a NUL-terminated UTF-8 string into the caller's error buffer. */
    static void error(long buffer, int capacity, String message) {
        if (buffer == 0 || capacity <= 0) {
            return;
        }
        byte[] b = message.getBytes(StandardCharsets.UTF_8);
        int n = Math.min(b.length, capacity - 1);
        while (n > 0 && n < b.length && (b[n] & 0xC0) == 0x80) {
            n--; // do not cut a UTF-8 sequence in half
        }
        MemorySegment s = MemorySegment.ofAddress(buffer).reinterpret(capacity);
        MemorySegment.copy(b, 0, s, ValueLayout.JAVA_BYTE, 0, n);
        s.set(ValueLayout.JAVA_BYTE, n, (byte) 0);
    }
}
