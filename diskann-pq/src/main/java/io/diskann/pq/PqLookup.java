package io.diskann.pq;

import java.util.Locale;

/**
 * How ADC sums a code's M table entries: a tuning choice of the search, never a change of results
 * beyond float rounding (the two orders of summation differ in the last bits).
 *
 * <p>Why both: AVX-512 gathers load 16 table entries per instruction, but are not faster than scalar
 * loads on every CPU; measured on this project's machine, gather was at par at M &lt;= 98 and ahead at 196
 * (docs/PERFORMANCE.md). Set per index with {@link PqIndex#lookup(PqLookup)}.
 */
public enum PqLookup {
    /** Vector gathers of 16 (AVX-512) or 8 chunks at a time, scalar below 8 lanes. */
    GATHER,
    /** Scalar loads with four partial sums. */
    SCALAR;

    /**
     * The default: {@link #GATHER}, unless {@code -Ddiskann.pq.lookup=scalar} says otherwise (a developer
     * override for A/B measurements, not a configuration).
     *
     * @return the look-up searches use unless told otherwise
     */
    public static PqLookup defaultLookup() {
        return System.getProperty("diskann.pq.lookup", "gather").trim().toLowerCase(Locale.ROOT).equals("scalar")
                ? SCALAR : GATHER;
    }
}
