package io.diskann.io;

import io.diskann.vector.Metric;
import io.diskann.vector.VectorType;

/** The numbers files use for element types and metrics; one table for every file format. */
public final class FormatCodes {

    private FormatCodes() {
    }

    /**
     * The file code of an element type: 0 f32, 1 f16, 2 i8, 3 u8.
     *
     * @param t the element type
     * @return its code
     */
    public static int typeCode(VectorType t) {
        return switch (t) {
            case F32 -> 0;
            case F16 -> 1;
            case I8 -> 2;
            case U8 -> 3;
        };
    }

    /**
     * The type of a code from {@link #typeCode}, or null if the code is unknown.
     *
     * @param code the code read from a file
     * @return the element type, or null
     */
    public static VectorType type(int code) {
        return switch (code) {
            case 0 -> VectorType.F32;
            case 1 -> VectorType.F16;
            case 2 -> VectorType.I8;
            case 3 -> VectorType.U8;
            default -> null;
        };
    }

    /**
     * The file code of a metric: 0 L2, 1 cosine, 2 inner product.
     *
     * @param m the metric
     * @return its code
     */
    public static int metricCode(Metric m) {
        return switch (m) {
            case L2 -> 0;
            case COSINE -> 1;
            case INNER_PRODUCT -> 2;
        };
    }

    /**
     * The metric of a code from {@link #metricCode}, or null if the code is unknown.
     *
     * @param code the code read from a file
     * @return the metric, or null
     */
    public static Metric metric(int code) {
        return switch (code) {
            case 0 -> Metric.L2;
            case 1 -> Metric.COSINE;
            case 2 -> Metric.INNER_PRODUCT;
            default -> null;
        };
    }
}
