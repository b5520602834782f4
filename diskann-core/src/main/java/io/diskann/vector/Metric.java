package io.diskann.vector;

import java.util.Locale;

/**
 * How two vectors are compared. Every metric is expressed as a <em>distance</em>: smaller is closer,
 * so graph search, pruning and ranking never need to know which metric is in use.
 *
 * <ul>
 *   <li>{@link #L2}: squared Euclidean distance, {@code sum((a[i]-b[i])^2)}. The square root is never
 *       taken: it preserves order and costs time.</li>
 *   <li>{@link #COSINE}: {@code 1 - dot(a,b) / (|a| |b|)}, in [0, 2]. A zero vector has no direction; its
 *       cosine distance to anything (including another zero vector) is defined as {@code 1}, the
 *       distance of an orthogonal vector, so it is neither near nor far and never NaN.</li>
 *   <li>{@link #INNER_PRODUCT}: {@code -dot(a,b)}. Maximum inner product search becomes minimum
 *       distance search; the value may be negative.</li>
 * </ul>
 */
public enum Metric {
    /** Squared Euclidean distance. */
    L2,
    /** One minus the cosine similarity. */
    COSINE,
    /** Negated dot product. */
    INNER_PRODUCT;

    /**
     * The lower-case name used on the command line and in files ({@code l2, cosine, ip}).
     *
     * @return the short name, which {@link #parse} accepts
     */
    public String cliName() {
        return this == INNER_PRODUCT ? "ip" : name().toLowerCase(Locale.ROOT);
    }

    /**
     * Parses {@code l2|cosine|ip} (case-insensitive; {@code euclidean}, {@code angular},
     * {@code inner_product}, {@code dot}, {@code mips} accepted too).
     *
     * @param text the name; surrounding white space is ignored
     * @return the metric
     * @throws IllegalArgumentException naming the value and the accepted ones
     */
    public static Metric parse(String text) {
        String t = text == null ? "" : text.trim().toLowerCase(Locale.ROOT);
        return switch (t) {
            case "l2", "euclidean", "sqeuclidean" -> L2;
            case "cosine", "cos", "angular" -> COSINE;
            case "ip", "inner_product", "innerproduct", "dot", "mips" -> INNER_PRODUCT;
            default -> throw new IllegalArgumentException(
                    "unknown metric '" + text + "': expected one of l2, cosine, ip");
        };
    }

    /** Cosine distance from a similarity, with the zero-norm convention documented on {@link #COSINE}. */
    static float cosineDistance(double dot, double normA, double normB) {
        double denom = normA * normB;
        if (denom == 0) {
            return 1f;
        }
        return (float) (1.0 - dot / Math.sqrt(denom));
    }
}
