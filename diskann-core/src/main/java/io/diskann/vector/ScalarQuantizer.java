package io.diskann.vector;

import java.util.Arrays;

/**
 * One step size for every component: a vector becomes one byte per component, and distances between
 * codes are the integer kernels' exact sums, scaled back by {@code step^2}. Why one global step and not
 * one per dimension (as jvector's NVQ or per-dimension SQ): with a shared step, L2 and dot products of
 * codes are proportional to those of the vectors they approximate, so the 8-bit SIMD kernels score them
 * directly with no per-dimension correction, and a 784-d Fashion-MNIST pixel vector (0..255) is encoded
 * exactly.
 *
 * <ul>
 *   <li>L2: unsigned codes {@code round((x - offset) / step)} in 0..255; the offset cancels in
 *       differences, so {@code |x - y|^2 ~ step^2 |cx - cy|^2}.</li>
 *   <li>Inner product and cosine: signed codes {@code round(x / step)} in -127..127 around zero, so
 *       {@code x . y ~ step^2 cx . cy} and the cosine of codes approximates the cosine of vectors.</li>
 * </ul>
 *
 * <p>The range comes from the data ({@link #fit}): whole numbers that fit 8 bits (pixels, 8-bit
 * embeddings) get step 1 and are encoded exactly; otherwise the central {@code 1 - 1/(d+1)} of the
 * components (Lucene's default confidence interval for its scalar quantization), clipping at most 0.1% at
 * each end for small d, so a few outliers do not spend the 256 levels; components outside it are clipped. The traversal's approximate distances are re-ranked at
 * full precision, which is what makes clipping harmless (when every code is exact, the re-rank is
 * skipped: see {@link QuantizedVectors#exact()}).
 *
 * @param signed signed codes (inner product, cosine) or unsigned (L2)
 * @param offset the value of code 0 (0 for signed codes)
 * @param step the value of one code step (positive)
 */
public record ScalarQuantizer(boolean signed, float offset, float step) {

    /** Most components sampled by {@link #fit} (the quantiles of 2^22 floats sort in ~0.3 s). */
    static final int MAX_SAMPLE_COMPONENTS = 1 << 22;

    /** Largest fraction of sampled components clipped at each end of the range. */
    static final double MAX_TAIL = 1e-3;

    /**
     * Validates the parameters.
     *
     * @throws IllegalArgumentException if {@code offset} or {@code step} is not finite, {@code step} is not
     *     positive, or signed codes have a non-zero offset
     */
    public ScalarQuantizer {
        if (!Float.isFinite(offset) || !Float.isFinite(step) || !(step > 0f)) {
            throw new IllegalArgumentException("bad quantizer: offset " + offset + ", step " + step);
        }
        if (signed && offset != 0f) {
            throw new IllegalArgumentException("signed codes are centred on zero, offset " + offset);
        }
    }

    /**
     * The element type of the codes: {@link VectorType#I8} for signed, {@link VectorType#U8} otherwise.
     *
     * @return the code type
     */
    public VectorType codeType() {
        return signed ? VectorType.I8 : VectorType.U8;
    }

    /**
     * Whether {@code metric} needs signed codes (all but L2).
     *
     * @param metric the metric the codes will be scored in
     * @return true for cosine and inner product
     */
    public static boolean signedFor(Metric metric) {
        return metric != Metric.L2;
    }

    /**
     * The code of component {@code x} (non-finite components encode as the code of 0).
     *
     * @param x the component value
     * @return the nearest code, clipped to -127..127 (signed) or 0..255 (unsigned)
     */
    public int encode(float x) {
        if (!Float.isFinite(x)) {
            x = 0f;
        }
        float c = (x - offset) / step;
        int lo = signed ? -127 : 0;
        int hi = signed ? 127 : 255;
        // compare before rounding: huge values must not overflow an int
        if (c <= lo) {
            return lo;
        }
        if (c >= hi) {
            return hi;
        }
        return Math.round(c);
    }

    /**
     * Encodes every component of {@code v} as {@link #encode(float)} does and tests, in the same pass, whether each
     * code decodes back to it ({@link #decodesTo}), with the selected SIMD kernels ({@link DistanceKernels#quantize}).
     *
     * @param v a vector
     * @param out receives the codes, at least {@code v.length} of them
     * @return 1 when every code is exact, 0 when some is not, -1 when some component is not finite ({@code out}
     *     is then unspecified; callers validate and throw)
     */
    public int encode(float[] v, byte[] out) {
        return SimdSupport.kernels().quantize(v, offset, step, signed ? -127f : 0f, signed ? 127f : 255f, out, v.length);
    }

    /**
     * Whether every component of {@code v} is exactly the value of its code: {@link #decodesTo} of {@link #encode}
     * for all of them, in one pass. An exact scan or search asks this of every query. The per-component encode
     * took 1.95 us for 784 components; this takes 0.85 us, because {@code Math.rint} is one instruction where
     * {@code Math.round} is not. Where the two roundings could choose different codes (a component exactly halfway
     * between two codes) it answers false. Callers then take the full-precision path, so false is always safe.
     *
     * @param v a vector
     * @return true only if each component's code decodes back to it exactly
     */
    public boolean representsExactly(float[] v) {
        float lo = signed ? -127f : 0f;
        float hi = signed ? 127f : 255f;
        for (float x : v) {
            float c = (x - offset) / step;
            float r = (float) Math.rint(c);
            if (!(Math.abs(c - r) < 0.5f)) { // NaN, infinities, and halves (rint and encode's rounding may part)
                return false;
            }
            if (offset + step * Math.min(hi, Math.max(lo, r)) != x) { // clipped as encode clips
                return false;
            }
        }
        return true;
    }

    /**
     * The value code {@code code} stands for.
     *
     * @param code a code
     * @return {@code offset + step * code}
     */
    public float decode(int code) {
        return offset + step * code;
    }

    /**
     * Whether {@code code} stands for exactly {@code x} (the one test of an exact code, for vectors and queries).
     *
     * @param code a code of {@code x}
     * @param x the component value
     * @return true if {@link #decode}{@code (code) == x}
     */
    public boolean decodesTo(int code, float x) {
        return decode(code) == x;
    }

    /**
     * Multiplier that turns a distance between codes into one between vectors (L2, inner product).
     *
     * @return {@code step^2}
     */
    public float distanceScale() {
        return step * step;
    }

    /**
     * Fits a quantizer for {@code metric} to the stored vectors whose ordinals {@code ordinals} lists
     * (a sample of up to {@link #MAX_SAMPLE_COMPONENTS} components is taken from them, evenly spread).
     *
     * @param metric the metric the codes will be scored in (decides signed or unsigned codes)
     * @param vectors the stored vectors
     * @param ordinals storage ordinals of the vectors to fit to
     * @param count how many entries of {@code ordinals} to use
     * @return the fitted quantizer
     * @throws IllegalArgumentException if there is no vector to fit to
     */
    public static ScalarQuantizer fit(Metric metric, VectorStore vectors, int[] ordinals, int count) {
        if (count <= 0) {
            throw new IllegalArgumentException("cannot fit a quantizer to no vectors");
        }
        int d = vectors.dimensions();
        int take = Math.max(1, Math.min(count, MAX_SAMPLE_COMPONENTS / d));
        float[] sample = new float[take * d];
        float[] row = new float[d];
        int n = 0;
        for (int i = 0; i < take; i++) {
            vectors.get(ordinals[(int) ((long) i * count / take)], row);
            for (float x : row) {
                if (Float.isFinite(x)) {
                    sample[n++] = x;
                }
            }
        }
        return fit(metric, sample, n, d);
    }

    /** Fits to {@code n} sampled components of {@code dimensions}-component vectors. */
    static ScalarQuantizer fit(Metric metric, float[] sample, int n, int dimensions) {
        boolean signed = signedFor(metric);
        if (n == 0) {
            return new ScalarQuantizer(signed, 0f, 1f);
        }
        float min = Float.POSITIVE_INFINITY;
        float max = Float.NEGATIVE_INFINITY;
        boolean whole = true;
        for (int i = 0; i < n; i++) {
            float x = sample[i];
            min = Math.min(min, x);
            max = Math.max(max, x);
            whole &= x == Math.rint(x);
        }
        if (whole && (signed ? min >= -127 && max <= 127 : max - min <= 255)) {
            // already 8-bit data: exact codes. Data within 0..255 (pixels, SIFT) keeps offset 0, not the sample's
            // minimum: a value below it (in a vector or a query the sample did not see) would be clipped and
            // the codes no longer exact (a seeded test met a query holding the only 0)
            float offset = signed ? 0f : min >= 0f && max <= 255f ? 0f : min;
            return new ScalarQuantizer(signed, offset, 1f);
        }
        // only the quantiles need the sort (0.3 s for 2^22 components): 8-bit data skips it
        Arrays.sort(sample, 0, n);
        double tail = Math.min(MAX_TAIL, 0.5 / (dimensions + 1));
        float lo = sample[(int) Math.floor(tail * (n - 1))];
        float hi = sample[(int) Math.ceil((1 - tail) * (n - 1))];
        if (signed) {
            float m = Math.max(Math.abs(lo), Math.abs(hi));
            return new ScalarQuantizer(true, 0f, m > 0f ? m / 127f : 1f);
        }
        float step = (hi - lo) / 255f;
        return new ScalarQuantizer(false, lo, step > 0f && Float.isFinite(step) ? step : 1f);
    }
}
