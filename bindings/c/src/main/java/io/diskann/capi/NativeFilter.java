package io.diskann.capi;

import io.diskann.filter.LabelFilter;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.function.IntPredicate;

/**
 * A {@code diskann_filter} read from the caller's memory: label filters become {@link LabelFilter}s; a
 * bitset stays in the caller's memory and is tested in place during the call (it is never kept).
 *
 * @param kind the {@code diskann_filter_kind}
 * @param labels the labels of a label, any-of or all-of filter
 * @param bits the bitset of a bitset filter, or null
 * @param cardinality how many ids the bitset accepts
 */
record NativeFilter(int kind, int[] labels, IntPredicate bits, int cardinality) {
    static final int NONE = 0;
    static final int LABEL = 1;
    static final int ANY = 2;
    static final int ALL = 3;
    static final int BITSET = 4;
    /** sizeof(diskann_filter). */
    private static final long SIZE = 32;
    /** Labels in one filter, at most. */
    private static final int MAX_LABELS = 1 << 20;

    /** The filter at {@code address}, or null for NULL or kind NONE. */
    static NativeFilter read(long address) {
        if (address == 0) {
            return null;
        }
        MemorySegment s = MemorySegment.ofAddress(address).reinterpret(SIZE);
        int kind = Mem.getInt(s, 0);
        long count = Integer.toUnsignedLong(Mem.getInt(s, 4));
        switch (kind) {
            case NONE:
                return null;
            case LABEL, ANY, ALL: {
                if (count < 1 || count > MAX_LABELS || (kind == LABEL && count != 1)) {
                    throw new IllegalArgumentException("a " + name(kind) + " filter needs " + (kind == LABEL ? "exactly 1"
                            : "1.." + MAX_LABELS) + " labels, got label_count " + count);
                }
                return new NativeFilter(kind, Mem.ints(Mem.getLong(s, 8), (int) count, "filter labels"), null, -1);
            }
            case BITSET: {
                long bitCount = Mem.getLong(s, 24);
                if (bitCount < 0 || bitCount > (1L << 31)) {
                    throw new IllegalArgumentException("filter bit_count " + Long.toUnsignedString(bitCount)
                            + " is out of range (0..2^31)");
                }
                long words = (bitCount + 63) >>> 6;
                MemorySegment bits = bitCount == 0 ? MemorySegment.NULL
                        : Mem.at(Mem.getLong(s, 16), words * 8, "filter bits");
                int ones = 0;
                for (long w = 0; w < words; w++) {
                    long word = bits.getAtIndex(ValueLayout.JAVA_LONG_UNALIGNED, w);
                    if (w == words - 1 && (bitCount & 63) != 0) {
                        word &= (1L << (bitCount & 63)) - 1; // bits past bit_count never match
                    }
                    ones += Long.bitCount(word);
                }
                return new NativeFilter(kind, null, new Bitset(bits, bitCount), ones);
            }
            default:
                throw new IllegalArgumentException("unknown filter kind " + kind + " (0 none, 1 label, 2 any, 3 all, 4 bitset)");
        }
    }

    private static String name(int kind) {
        return switch (kind) {
            case LABEL -> "label";
            case ANY -> "any-of";
            default -> "all-of";
        };
    }

    boolean isBitset() {
        return kind == BITSET;
    }

    LabelFilter labelFilter() {
        return switch (kind) {
            case LABEL -> LabelFilter.label(labels[0]);
            case ANY -> LabelFilter.anyOf(labels);
            case ALL -> LabelFilter.allOf(labels);
            default -> LabelFilter.predicate(bits, cardinality);
        };
    }

    /** Tests ids against the caller's bitset in place. */
    private record Bitset(MemorySegment words, long bitCount) implements IntPredicate {
        @Override
        public boolean test(int id) {
            return id >= 0 && id < bitCount
                    && ((words.getAtIndex(ValueLayout.JAVA_LONG_UNALIGNED, id >>> 6) >>> (id & 63)) & 1L) != 0;
        }
    }
}
