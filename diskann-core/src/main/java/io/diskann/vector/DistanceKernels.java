package io.diskann.vector;

import java.lang.foreign.MemorySegment;

/**
 * The primitive distance computations every index is built on, one method per element type and metric.
 *
 * <p>Why an interface: there are two implementations with identical results (within float rounding for
 * the float types, exactly for the integer types): {@link ScalarDistanceKernels}, plain Java loops that
 * run anywhere, and {@code PanamaDistanceKernels}, written with the JDK Vector API so that C2 lowers them
 * to AVX2/AVX-512 on x64 and NEON on ARM64. {@link SimdSupport#kernels()} picks one once per JVM, the way
 * Lucene's {@code VectorizationProvider} does, so call sites pay no dispatch cost beyond a monomorphic call.
 *
 * <p>Every method reads {@code dim} components of each operand starting at the given offsets, so a stored
 * vector is read in place: no copy, no allocation. There are two forms of each kernel: both operands in
 * heap arrays, and a heap-array query against a stored vector in a {@link MemorySegment} (the form a
 * {@link VectorStore} scores with: rows live off-heap in {@link ChunkedRows}, little-endian, and the
 * segment offset is in bytes). Dimension checks are the caller's job ({@link Distances} does them for
 * whole arrays); the kernels themselves never read outside {@code [off, off + dim)}, except
 * {@link #squareDistanceU8Split}, which reads a row's zero padding up to a multiple of its block.
 *
 * <p>Float accumulation order differs between implementations (several SIMD accumulators versus one
 * running sum), so float results agree to within a relative rounding error of order
 * {@code dim * 2^-24}, not bit for bit. Integer results are exact: i8/u8 products are accumulated in
 * 32-bit integers, which cannot overflow below 33,025 dimensions (255^2 * 33,025 &lt; 2^31).
 *
 * <p>F16 operands are binary16 bit patterns; the query side of an F16 distance is a float vector (the
 * query decoded once). The kernels assume finite F16 values, which {@link VectorType#checkComponent}
 * guarantees for anything stored through the API.
 */
public interface DistanceKernels {

    /**
     * A short name for logs and benchmark tables, e.g. {@code scalar} or {@code panama-512}.
     *
     * @return the implementation's name
     */
    String name();

    /**
     * The SIMD register width in bits these kernels use for f32, or 0 for scalar code.
     *
     * @return the width in bits (64 to 512), or 0
     */
    int widthBits();

    /**
     * Squared Euclidean distance of two float vectors.
     *
     * @param a first vector
     * @param aOffset index of the first component of {@code a}
     * @param b second vector
     * @param bOffset index of the first component of {@code b}
     * @param dim number of components compared
     * @return the sum of squared component differences
     */
    float squareDistanceF32(float[] a, int aOffset, float[] b, int bOffset, int dim);

    /**
     * Dot product of two float vectors.
     *
     * @param a first vector
     * @param aOffset index of the first component of {@code a}
     * @param b second vector
     * @param bOffset index of the first component of {@code b}
     * @param dim number of components compared
     * @return the sum of component products, not negated
     */
    float dotProductF32(float[] a, int aOffset, float[] b, int bOffset, int dim);

    /**
     * Projects {@code v} on {@code k} directions stored component-major: {@code out[r] = sum_i v[i] *
     * transposed[i * k + r]} for {@code r < k}. Why component-major: all {@code k} sums advance together, one
     * multiply-add of a register of directions per component, with no reduction at the end; {@code k} separate
     * dot products of a 784-component query took 0.85 us, most of it their reductions (docs/PERFORMANCE.md
     * section 42). The default is the scalar reference.
     *
     * @param transposed {@code dim * k} floats, component {@code i} of direction {@code r} at {@code i * k + r}
     * @param k number of directions
     * @param v the vector (at least {@code dim} components)
     * @param dim number of components
     * @param out receives the {@code k} projections
     */
    default void projectF32(float[] transposed, int k, float[] v, int dim, float[] out) {
        for (int r = 0; r < k; r++) {
            out[r] = 0f;
        }
        for (int i = 0; i < dim; i++) {
            float x = v[i];
            int base = i * k;
            for (int r = 0; r < k; r++) {
                out[r] += x * transposed[base + r];
            }
        }
    }

    /**
     * Cosine distance ({@code 1 - cos}, 1 if either norm is zero) of two float vectors.
     *
     * @param a first vector
     * @param aOffset index of the first component of {@code a}
     * @param b second vector
     * @param bOffset index of the first component of {@code b}
     * @param dim number of components compared
     * @return the cosine distance {@code 1 - cos}, in [0, 2]; 1 if either norm is zero
     */
    float cosineDistanceF32(float[] a, int aOffset, float[] b, int bOffset, int dim);

    /**
     * Squared Euclidean distance of a float query and a binary16 vector.
     *
     * @param query float query vector
     * @param queryOffset index of the first component of {@code query}
     * @param b second vector, binary16 bit patterns
     * @param bOffset index of the first component of {@code b}
     * @param dim number of components compared
     * @return the sum of squared component differences
     */
    float squareDistanceF16(float[] query, int queryOffset, short[] b, int bOffset, int dim);

    /**
     * Dot product of a float query and a binary16 vector.
     *
     * @param query float query vector
     * @param queryOffset index of the first component of {@code query}
     * @param b second vector, binary16 bit patterns
     * @param bOffset index of the first component of {@code b}
     * @param dim number of components compared
     * @return the sum of component products, not negated
     */
    float dotProductF16(float[] query, int queryOffset, short[] b, int bOffset, int dim);

    /**
     * Cosine distance of a float query and a binary16 vector.
     *
     * @param query float query vector
     * @param queryOffset index of the first component of {@code query}
     * @param b second vector, binary16 bit patterns
     * @param bOffset index of the first component of {@code b}
     * @param dim number of components compared
     * @return the cosine distance {@code 1 - cos}, in [0, 2]; 1 if either norm is zero
     */
    float cosineDistanceF16(float[] query, int queryOffset, short[] b, int bOffset, int dim);

    /**
     * Exact squared Euclidean distance of two signed 8-bit vectors.
     *
     * @param a first vector
     * @param aOffset index of the first component of {@code a}
     * @param b second vector
     * @param bOffset index of the first component of {@code b}
     * @param dim number of components compared
     * @return the sum of squared component differences (exact)
     */
    int squareDistanceI8(byte[] a, int aOffset, byte[] b, int bOffset, int dim);

    /**
     * Exact dot product of two signed 8-bit vectors.
     *
     * @param a first vector
     * @param aOffset index of the first component of {@code a}
     * @param b second vector
     * @param bOffset index of the first component of {@code b}
     * @param dim number of components compared
     * @return the sum of component products (exact), not negated
     */
    int dotProductI8(byte[] a, int aOffset, byte[] b, int bOffset, int dim);

    /**
     * Cosine distance of two signed 8-bit vectors (integer sums, one float division at the end).
     *
     * @param a first vector
     * @param aOffset index of the first component of {@code a}
     * @param b second vector
     * @param bOffset index of the first component of {@code b}
     * @param dim number of components compared
     * @return the cosine distance {@code 1 - cos}, in [0, 2]; 1 if either norm is zero
     */
    float cosineDistanceI8(byte[] a, int aOffset, byte[] b, int bOffset, int dim);

    /**
     * Exact squared Euclidean distance of two unsigned 8-bit vectors.
     *
     * @param a first vector
     * @param aOffset index of the first component of {@code a}
     * @param b second vector
     * @param bOffset index of the first component of {@code b}
     * @param dim number of components compared
     * @return the sum of squared component differences (exact)
     */
    int squareDistanceU8(byte[] a, int aOffset, byte[] b, int bOffset, int dim);

    /**
     * Exact dot product of two unsigned 8-bit vectors.
     *
     * @param a first vector
     * @param aOffset index of the first component of {@code a}
     * @param b second vector
     * @param bOffset index of the first component of {@code b}
     * @param dim number of components compared
     * @return the sum of component products (exact), not negated
     */
    int dotProductU8(byte[] a, int aOffset, byte[] b, int bOffset, int dim);

    /**
     * Cosine distance of two unsigned 8-bit vectors.
     *
     * @param a first vector
     * @param aOffset index of the first component of {@code a}
     * @param b second vector
     * @param bOffset index of the first component of {@code b}
     * @param dim number of components compared
     * @return the cosine distance {@code 1 - cos}, in [0, 2]; 1 if either norm is zero
     */
    float cosineDistanceU8(byte[] a, int aOffset, byte[] b, int bOffset, int dim);

    // ------------------------------------------------------------------ query array x stored segment
    // The stored operand starts at byte offset bOffset of b, little-endian, in the store's element type.

    /**
     * Squared Euclidean distance of a float query and a stored float vector.
     *
     * @param q query vector
     * @param qOffset index of the first component of {@code q}
     * @param b the segment holding the stored vector (little-endian)
     * @param bOffset byte offset of the stored vector in {@code b}
     * @param dim number of components compared
     * @return the sum of squared component differences
     */
    float squareDistanceF32(float[] q, int qOffset, MemorySegment b, long bOffset, int dim);

    /**
     * Dot product of a float query and a stored float vector.
     *
     * @param q query vector
     * @param qOffset index of the first component of {@code q}
     * @param b the segment holding the stored vector (little-endian)
     * @param bOffset byte offset of the stored vector in {@code b}
     * @param dim number of components compared
     * @return the sum of component products, not negated
     */
    float dotProductF32(float[] q, int qOffset, MemorySegment b, long bOffset, int dim);

    /**
     * Cosine distance of a float query and a stored float vector.
     *
     * @param q query vector
     * @param qOffset index of the first component of {@code q}
     * @param b the segment holding the stored vector (little-endian)
     * @param bOffset byte offset of the stored vector in {@code b}
     * @param dim number of components compared
     * @return the cosine distance {@code 1 - cos}, in [0, 2]; 1 if either norm is zero
     */
    float cosineDistanceF32(float[] q, int qOffset, MemorySegment b, long bOffset, int dim);

    /**
     * Squared Euclidean distance of a float query and a stored binary16 vector.
     *
     * @param q query vector
     * @param qOffset index of the first component of {@code q}
     * @param b the segment holding the stored vector (little-endian)
     * @param bOffset byte offset of the stored vector in {@code b}
     * @param dim number of components compared
     * @return the sum of squared component differences
     */
    float squareDistanceF16(float[] q, int qOffset, MemorySegment b, long bOffset, int dim);

    /**
     * Dot product of a float query and a stored binary16 vector.
     *
     * @param q query vector
     * @param qOffset index of the first component of {@code q}
     * @param b the segment holding the stored vector (little-endian)
     * @param bOffset byte offset of the stored vector in {@code b}
     * @param dim number of components compared
     * @return the sum of component products, not negated
     */
    float dotProductF16(float[] q, int qOffset, MemorySegment b, long bOffset, int dim);

    /**
     * Cosine distance of a float query and a stored binary16 vector.
     *
     * @param q query vector
     * @param qOffset index of the first component of {@code q}
     * @param b the segment holding the stored vector (little-endian)
     * @param bOffset byte offset of the stored vector in {@code b}
     * @param dim number of components compared
     * @return the cosine distance {@code 1 - cos}, in [0, 2]; 1 if either norm is zero
     */
    float cosineDistanceF16(float[] q, int qOffset, MemorySegment b, long bOffset, int dim);

    /**
     * Exact squared Euclidean distance of a signed 8-bit query and a stored signed 8-bit vector.
     *
     * @param q query vector
     * @param qOffset index of the first component of {@code q}
     * @param b the segment holding the stored vector (little-endian)
     * @param bOffset byte offset of the stored vector in {@code b}
     * @param dim number of components compared
     * @return the sum of squared component differences (exact)
     */
    int squareDistanceI8(byte[] q, int qOffset, MemorySegment b, long bOffset, int dim);

    /**
     * Exact dot product of a signed 8-bit query and a stored signed 8-bit vector.
     *
     * @param q query vector
     * @param qOffset index of the first component of {@code q}
     * @param b the segment holding the stored vector (little-endian)
     * @param bOffset byte offset of the stored vector in {@code b}
     * @param dim number of components compared
     * @return the sum of component products (exact), not negated
     */
    int dotProductI8(byte[] q, int qOffset, MemorySegment b, long bOffset, int dim);

    /**
     * Cosine distance of a signed 8-bit query and a stored signed 8-bit vector.
     *
     * @param q query vector
     * @param qOffset index of the first component of {@code q}
     * @param b the segment holding the stored vector (little-endian)
     * @param bOffset byte offset of the stored vector in {@code b}
     * @param dim number of components compared
     * @return the cosine distance {@code 1 - cos}, in [0, 2]; 1 if either norm is zero
     */
    float cosineDistanceI8(byte[] q, int qOffset, MemorySegment b, long bOffset, int dim);

    /**
     * Exact squared Euclidean distance of an unsigned 8-bit query and a stored unsigned 8-bit vector.
     *
     * @param q query vector
     * @param qOffset index of the first component of {@code q}
     * @param b the segment holding the stored vector (little-endian)
     * @param bOffset byte offset of the stored vector in {@code b}
     * @param dim number of components compared
     * @return the sum of squared component differences (exact)
     */
    int squareDistanceU8(byte[] q, int qOffset, MemorySegment b, long bOffset, int dim);

    /**
     * Bytes per block of {@link #squareDistanceU8Split}, or 0 when these kernels have no split form. Rows whose
     * stride is a multiple of the block and whose padding is zero may be scored with it.
     *
     * <p>Why a split form: the 8-bit kernels read a register of bytes as 16-bit lanes and separate the even and
     * odd bytes with a mask and a shift on both sides. The query's side is the same for every row of a search,
     * so it is separated once ({@link #splitU8}); the row's last partial block is read whole from its zero
     * padding instead of through narrower tail loops. Measured on 784-byte rows in cache (a throwaway harness,
     * one JVM): 47-49 ns per distance before, 24-31 ns split (docs/PERFORMANCE.md section 38).
     *
     * @return the block in bytes, or 0
     */
    default int u8SplitBlock() {
        return 0;
    }

    /**
     * Writes an unsigned 8-bit query in the layout {@link #squareDistanceU8Split} reads: per block of
     * {@link #u8SplitBlock()} bytes, its even components then its odd ones as 16-bit values, zero past
     * {@code dim}.
     *
     * @param q the query (unsigned bytes)
     * @param dim number of components
     * @param out receives {@code paddedDim} values
     * @param paddedDim {@code dim} rounded up to a multiple of the block
     * @throws UnsupportedOperationException if {@link #u8SplitBlock()} is 0
     */
    default void splitU8(byte[] q, int dim, short[] out, int paddedDim) {
        throw new UnsupportedOperationException(name() + " kernels have no split form");
    }

    /**
     * {@link #squareDistanceU8} of a query written by {@link #splitU8} and a stored row read over whole blocks:
     * the row's bytes from {@code dim} to {@code paddedDim} must be zero.
     *
     * @param split the split query
     * @param b the segment holding the stored vector
     * @param bOffset byte offset of the stored vector in {@code b}
     * @param paddedDim the query's padded length (a multiple of the block)
     * @return the sum of squared component differences (exact)
     * @throws UnsupportedOperationException if {@link #u8SplitBlock()} is 0
     */
    default int squareDistanceU8Split(short[] split, MemorySegment b, long bOffset, int paddedDim) {
        throw new UnsupportedOperationException(name() + " kernels have no split form");
    }

    /**
     * Exact dot product of an unsigned 8-bit query and a stored unsigned 8-bit vector.
     *
     * @param q query vector
     * @param qOffset index of the first component of {@code q}
     * @param b the segment holding the stored vector (little-endian)
     * @param bOffset byte offset of the stored vector in {@code b}
     * @param dim number of components compared
     * @return the sum of component products (exact), not negated
     */
    int dotProductU8(byte[] q, int qOffset, MemorySegment b, long bOffset, int dim);

    /**
     * Cosine distance of an unsigned 8-bit query and a stored unsigned 8-bit vector.
     *
     * @param q query vector
     * @param qOffset index of the first component of {@code q}
     * @param b the segment holding the stored vector (little-endian)
     * @param bOffset byte offset of the stored vector in {@code b}
     * @param dim number of components compared
     * @return the cosine distance {@code 1 - cos}, in [0, 2]; 1 if either norm is zero
     */
    float cosineDistanceU8(byte[] q, int qOffset, MemorySegment b, long bOffset, int dim);

    // ------------------------------------------------------------------ query quantization

    /**
     * Encodes a query to 8-bit codes and tests, in the same pass, whether the codes are exact: {@code out[i] =
     * round(clip((x[i] - offset) / step, lo, hi))}, rounding halves up as {@link Math#round(float)} does, and
     * exact means {@code offset + step * code == x[i]} (multiply, then add) for every component. Why a kernel:
     * every search of 8-bit data encodes its query first, and the scalar loop took 2.4 us of a 9.4 us exact scan
     * of 60 codes (784 components; docs/PERFORMANCE.md section 36). Also the u8/i8 stores' range check ({@code
     * offset} 0, {@code step} 1, the type's range: exact means every component is a whole number in range).
     *
     * @param x the query
     * @param offset the value of code 0
     * @param step the value of one code step (positive)
     * @param lo smallest code (-128, -127 or 0)
     * @param hi largest code (127 or 255)
     * @param out receives the codes, {@code (byte)} of each
     * @param dim number of components
     * @return 1 when every code is exact, 0 when some is not, -1 when some component is not finite (then
     *     {@code out} is unspecified)
     */
    int quantize(float[] x, float offset, float step, float lo, float hi, byte[] out, int dim);
}
