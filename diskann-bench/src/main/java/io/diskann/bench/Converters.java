package io.diskann.bench;

import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * Option converters that check ranges at the edge, so no option value reaches an allocation or a loop
 * unchecked ({@code --max-queries 0}, {@code --threads -1}, {@code -L -5}, {@code --round-fraction NaN}
 * are refused with one line naming the value, exit code 2).
 */
final class Converters {
    private Converters() {
    }

    private static int parseInt(String value) {
        try {
            return Integer.parseInt(value.trim());
        } catch (NumberFormatException e) {
            throw new TypeConversionException("'" + value + "' is not a whole number");
        }
    }

    private static double parseDouble(String value) {
        try {
            return Double.parseDouble(value.trim());
        } catch (NumberFormatException e) {
            throw new TypeConversionException("'" + value + "' is not a number");
        }
    }

    private static int atLeast(String value, int min) {
        int v = parseInt(value);
        if (v < min) {
            throw new TypeConversionException("must be at least " + min + ", got " + v);
        }
        return v;
    }

    /** A whole number >= 1 (counts, sizes, threads, k, L). */
    static final class Positive implements ITypeConverter<Integer> {
        @Override
        public Integer convert(String value) {
            return atLeast(value, 1);
        }
    }

    /** A whole number >= 0 (rounds). */
    static final class NonNegative implements ITypeConverter<Integer> {
        @Override
        public Integer convert(String value) {
            return atLeast(value, 0);
        }
    }

    /** A fraction in (0, 1]. */
    static final class Fraction implements ITypeConverter<Double> {
        @Override
        public Double convert(String value) {
            double v = parseDouble(value);
            if (!(v > 0 && v <= 1)) {
                throw new TypeConversionException("must be in (0, 1], got " + value);
            }
            return v;
        }
    }

    /** A finite number above 0 (sizes in GiB). */
    static final class PositiveReal implements ITypeConverter<Double> {
        @Override
        public Double convert(String value) {
            double v = parseDouble(value);
            if (!(v > 0) || Double.isInfinite(v)) {
                throw new TypeConversionException("must be a number above 0, got " + value);
            }
            return v;
        }
    }
}
