package io.diskann.vector;

import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

/**
 * The value layouts of stored rows: little-endian (as every file format of this library) and unaligned
 * (a row's alignment is its stride's, not necessarily its element's when the stride is small).
 */
final class RowLayouts {

    static final ByteOrder ORDER = ByteOrder.LITTLE_ENDIAN;
    static final ValueLayout.OfFloat F32 = ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ORDER);
    static final ValueLayout.OfShort F16 = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ORDER);
    static final ValueLayout.OfByte I8 = ValueLayout.JAVA_BYTE;

    private RowLayouts() {
    }
}
