package io.diskann.disk;

import io.diskann.vector.DistanceKernels;
import io.diskann.vector.Metric;
import io.diskann.vector.SimdSupport;
import io.diskann.vector.VectorType;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * Full-precision distance from the query to a vector stored in a disk record, read in place from the
 * sector buffer (or the node cache) by the SIMD kernels on {@link MemorySegment}s.
 *
 * <p>Why in place: the disk search scores every record it reads and, by default, every sector mate of it
 * ({@link DiskOptions#sectorMates}), about ten records per read at 128 dimensions, so this is the CPU cost
 * of a read. Copying a u8 record into a {@code float[]} and converting it before a float kernel took
 * ~95 ns per mate at 128 dimensions; the byte kernels read the record where it lies (docs/PERFORMANCE.md
 * section 24). For u8/i8 records the byte kernels need the query as bytes: that holds when every query
 * component is a whole number in the type's range (queries from the same data always are), and is
 * checked once per query; any other query is scored on floats, converted from the record, as before.
 * Both give the same distances (the byte kernels sum in exact integers).
 *
 * <p>Not thread-safe: one per {@link DiskReader}; allocation-free per query.
 */
final class RecordScorer {
    private final DistanceKernels kernels = SimdSupport.kernels();
    private final Metric metric;
    private final VectorType type;
    private final int dimensions;
    private final float[] vector;
    private final byte[] queryBytes;
    private float[] query;
    /** Whether this query is scored with the byte kernels (u8/i8 records and a query of whole numbers in range). */
    private boolean byteQuery;

    RecordScorer(Metric metric, VectorType type, int dimensions) {
        this.metric = metric;
        this.type = type;
        this.dimensions = dimensions;
        this.vector = new float[dimensions];
        this.queryBytes = new byte[dimensions];
    }

    /** Sets the query of the next distances; {@code q} is kept, not copied. */
    void setQuery(float[] q) {
        this.query = q;
        byteQuery = (type == VectorType.U8 || type == VectorType.I8) && encodes(q);
    }

    /** Whether the current query is scored by the byte kernels (for tests). */
    boolean byteQuery() {
        return byteQuery;
    }

    private boolean encodes(float[] q) {
        float min = type == VectorType.U8 ? 0f : -128f;
        float max = type == VectorType.U8 ? 255f : 127f;
        for (int i = 0; i < dimensions; i++) {
            float x = q[i];
            if (!(x >= min && x <= max) || x != Math.rint(x)) {
                return false;
            }
            queryBytes[i] = (byte) (int) x;
        }
        return true;
    }

    /** The distance from the query to the vector stored at {@code base} in {@code seg} (little-endian). */
    float distance(MemorySegment seg, long base) {
        int d = dimensions;
        return switch (type) {
            case F32 -> switch (metric) {
                case L2 -> kernels.squareDistanceF32(query, 0, seg, base, d);
                case INNER_PRODUCT -> -kernels.dotProductF32(query, 0, seg, base, d);
                case COSINE -> kernels.cosineDistanceF32(query, 0, seg, base, d);
            };
            case F16 -> switch (metric) {
                case L2 -> kernels.squareDistanceF16(query, 0, seg, base, d);
                case INNER_PRODUCT -> -kernels.dotProductF16(query, 0, seg, base, d);
                case COSINE -> kernels.cosineDistanceF16(query, 0, seg, base, d);
            };
            case U8 -> byteQuery ? switch (metric) {
                case L2 -> kernels.squareDistanceU8(queryBytes, 0, seg, base, d);
                case INNER_PRODUCT -> -kernels.dotProductU8(queryBytes, 0, seg, base, d);
                case COSINE -> kernels.cosineDistanceU8(queryBytes, 0, seg, base, d);
            } : floatDistance(seg, base, true);
            case I8 -> byteQuery ? switch (metric) {
                case L2 -> kernels.squareDistanceI8(queryBytes, 0, seg, base, d);
                case INNER_PRODUCT -> -kernels.dotProductI8(queryBytes, 0, seg, base, d);
                case COSINE -> kernels.cosineDistanceI8(queryBytes, 0, seg, base, d);
            } : floatDistance(seg, base, false);
        };
    }

    /** A byte record against a query that is not whole numbers: converted to floats, then the float kernel. */
    private float floatDistance(MemorySegment seg, long base, boolean unsigned) {
        int d = dimensions;
        byte[] b = queryBytes; // free: this query did not encode to bytes
        MemorySegment.copy(seg, ValueLayout.JAVA_BYTE, base, b, 0, d);
        if (unsigned) {
            for (int i = 0; i < d; i++) {
                vector[i] = b[i] & 0xff;
            }
        } else {
            for (int i = 0; i < d; i++) {
                vector[i] = b[i];
            }
        }
        return switch (metric) {
            case L2 -> kernels.squareDistanceF32(query, 0, vector, 0, d);
            case INNER_PRODUCT -> -kernels.dotProductF32(query, 0, vector, 0, d);
            case COSINE -> kernels.cosineDistanceF32(query, 0, vector, 0, d);
        };
    }
}
