package io.diskann.vector;

import java.util.Locale;

/**
 * Element type in which an index stores its vectors.
 *
 * <p>Why several types: memory bandwidth, not arithmetic, bounds graph search. Storing a 784-dimension
 * image as {@link #U8} moves a quarter of the bytes that {@link #F32} moves per distance, and {@link #F16}
 * halves them for embeddings that tolerate 11 bits of mantissa. Every type is stored compactly:
 * {@code F32} as {@code float}, {@code F16} as IEEE 754 binary16 bits in a {@code short}, and
 * {@code I8}/{@code U8} as one {@code byte} (two's complement for {@code I8}, unsigned for {@code U8}).
 *
 * <p>Vectors always arrive through the API as {@code float[]}. For the integer types every component
 * must be an integer within the type's range; for {@code F16} it must be finite and within +-65504, the
 * largest binary16 value. Anything else is rejected with an {@link IllegalArgumentException} rather than
 * being silently rounded or clamped.
 */
public enum VectorType {
    /** 32-bit IEEE 754 floats. */
    F32(4, -Float.MAX_VALUE, Float.MAX_VALUE),
    /** 16-bit IEEE 754 binary16 floats; values are rounded to nearest-even on the way in. */
    F16(2, -65504f, 65504f),
    /** Signed 8-bit integers, -128..127. Distances are computed exactly in integer arithmetic. */
    I8(1, -128f, 127f),
    /** Unsigned 8-bit integers, 0..255. Distances are computed exactly in integer arithmetic. */
    U8(1, 0f, 255f);

    private final int bytesPerElement;
    private final float min;
    private final float max;

    VectorType(int bytesPerElement, float min, float max) {
        this.bytesPerElement = bytesPerElement;
        this.min = min;
        this.max = max;
    }

    /**
     * Bytes one component takes in storage.
     *
     * @return 4, 2 or 1
     */
    public int bytesPerElement() {
        return bytesPerElement;
    }

    /**
     * True for the 8-bit integer types whose components must be whole numbers.
     *
     * @return whether this is {@link #I8} or {@link #U8}
     */
    public boolean isInteger() {
        return this == I8 || this == U8;
    }

    /**
     * The lowest component value this type can store.
     *
     * @return the minimum, as a float
     */
    public float minValue() {
        return min;
    }

    /**
     * The highest component value this type can store.
     *
     * @return the maximum, as a float
     */
    public float maxValue() {
        return max;
    }

    /**
     * The lower-case name used on the command line and in files ({@code f32, f16, i8, u8}).
     *
     * @return the short name, which {@link #parse} accepts
     */
    public String cliName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * Parses {@code f32|f16|i8|u8} (case-insensitive; {@code float}, {@code half}, {@code int8},
     * {@code uint8} accepted too).
     *
     * @param text the name; surrounding white space is ignored
     * @return the type
     * @throws IllegalArgumentException naming the value and the accepted ones
     */
    public static VectorType parse(String text) {
        String t = text == null ? "" : text.trim().toLowerCase(Locale.ROOT);
        return switch (t) {
            case "f32", "float", "float32" -> F32;
            case "f16", "half", "float16" -> F16;
            case "i8", "int8" -> I8;
            case "u8", "uint8" -> U8;
            default -> throw new IllegalArgumentException(
                    "unknown vector type '" + text + "': expected one of f32, f16, i8, u8");
        };
    }

    /**
     * Checks that {@code value} (component {@code index} of a vector) can be stored in this type.
     *
     * @param value the component: finite, within range, and a whole number for the integer types
     * @param index its position in the vector, for the error message
     * @throws IllegalArgumentException naming the component, the value and the allowed range
     */
    public void checkComponent(float value, int index) {
        if (!Float.isFinite(value)) {
            throw new IllegalArgumentException("component " + index + " is " + value + ": vectors must be finite");
        }
        if (value < min || value > max) {
            throw new IllegalArgumentException("component " + index + " = " + value + " is outside the range of "
                    + cliName() + " [" + (long) min + ", " + (long) max + "]");
        }
        if (isInteger() && value != Math.rint(value)) {
            throw new IllegalArgumentException("component " + index + " = " + value + " is not a whole number, as "
                    + cliName() + " vectors require");
        }
    }
}
