package io.diskann.io;

import java.security.SecureRandom;

/**
 * The random identity of one save: every file written by one save carries it in its header, so files of
 * different saves are never mistaken for one set (Lucene's segment ids serve the same purpose).
 *
 * @param high the first 64 bits
 * @param low the last 64 bits
 */
public record SaveId(long high, long low) {

    private static final SecureRandom RANDOM = new SecureRandom();

    /**
     * A new id, 128 random bits.
     *
     * @return the id
     */
    public static SaveId random() {
        return new SaveId(RANDOM.nextLong(), RANDOM.nextLong());
    }

    /** The id as 32 hex digits. */
    @Override
    public String toString() {
        return String.format("%016x%016x", high, low);
    }
}
