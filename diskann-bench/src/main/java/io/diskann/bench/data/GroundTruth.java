package io.diskann.bench.data;

import io.diskann.vector.DistanceKernels;
import io.diskann.vector.Metric;
import io.diskann.vector.SimdSupport;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntConsumer;
import java.util.stream.IntStream;

/**
 * Exact k nearest neighbours by brute force with the SIMD f32 kernels, parallel over queries. Ties are
 * broken by smaller id, so the result is deterministic.
 */
public final class GroundTruth {

    /** Ids and distances, {@code k} per query. */
    public record Result(IntMatrix ids, float[] distances) {
    }

    private GroundTruth() {
    }

    public static Result compute(FloatMatrix base, FloatMatrix queries, int k, Metric metric, IntConsumer progress) {
        return compute(base, queries, k, metric, null, progress);
    }

    /**
     * Filtered ground truth: query q's top k among the base vectors {@code accept.apply(q)} accepts (all
     * when it returns null). A query with fewer than k matches has its row padded with id -1 and an
     * infinite distance.
     *
     * @param base the base vectors
     * @param queries the queries
     * @param k neighbours per query
     * @param metric the distance
     * @param accept per query, the base ids it may return (null: no filters)
     * @param progress told the number of queries done (may be null)
     * @return ids and distances, k per query, nearest first
     */
    public static Result compute(FloatMatrix base, FloatMatrix queries, int k, Metric metric,
                                 java.util.function.IntFunction<java.util.function.IntPredicate> accept,
                                 IntConsumer progress) {
        if (base.dims() != queries.dims()) {
            throw new IllegalArgumentException("dimension mismatch: base has " + base.dims() + ", queries have "
                    + queries.dims());
        }
        int kk = Math.min(k, base.rows());
        int dims = base.dims();
        int[] ids = new int[queries.rows() * kk];
        float[] dists = new float[queries.rows() * kk];
        DistanceKernels kernels = SimdSupport.kernels();
        AtomicInteger done = new AtomicInteger();
        IntStream.range(0, queries.rows()).parallel().forEach(q -> {
            // bounded max-heap of the best kk, as parallel arrays
            int[] hid = new int[kk];
            float[] hd = new float[kk];
            int size = 0;
            float[] b = base.data();
            float[] qd = queries.data();
            int qo = q * dims;
            java.util.function.IntPredicate filter = accept == null ? null : accept.apply(q);
            for (int i = 0; i < base.rows(); i++) {
                if (filter != null && !filter.test(i)) {
                    continue;
                }
                float d = switch (metric) {
                    case L2 -> kernels.squareDistanceF32(qd, qo, b, i * dims, dims);
                    case INNER_PRODUCT -> -kernels.dotProductF32(qd, qo, b, i * dims, dims);
                    case COSINE -> kernels.cosineDistanceF32(qd, qo, b, i * dims, dims);
                };
                if (size < kk) {
                    hid[size] = i;
                    hd[size] = d;
                    siftUp(hid, hd, size++);
                } else if (d < hd[0]) {
                    hid[0] = i;
                    hd[0] = d;
                    siftDown(hid, hd, size);
                }
            }
            for (int n = size; n < kk; n++) { // fewer matches than k: padded
                ids[q * kk + n] = -1;
                dists[q * kk + n] = Float.POSITIVE_INFINITY;
            }
            // pop into ascending order (ties: larger id popped first, so smaller id ends earlier)
            for (int n = size; n > 0; n--) {
                ids[q * kk + n - 1] = hid[0];
                dists[q * kk + n - 1] = hd[0];
                hid[0] = hid[n - 1];
                hd[0] = hd[n - 1];
                siftDown(hid, hd, n - 1);
            }
            if (progress != null) {
                progress.accept(done.incrementAndGet());
            }
        });
        return new Result(new IntMatrix(queries.rows(), kk, ids), dists);
    }

    /** Heap order: larger distance (then larger id) nearer the root. */
    private static boolean above(float da, int ia, float db, int ib) {
        return da > db || (da == db && ia > ib);
    }

    private static void siftUp(int[] id, float[] d, int i) {
        while (i > 0) {
            int p = (i - 1) >>> 1;
            if (!above(d[i], id[i], d[p], id[p])) {
                return;
            }
            swap(id, d, i, p);
            i = p;
        }
    }

    private static void siftDown(int[] id, float[] d, int size) {
        int i = 0;
        while (true) {
            int l = 2 * i + 1;
            if (l >= size) {
                return;
            }
            int c = l + 1 < size && above(d[l + 1], id[l + 1], d[l], id[l]) ? l + 1 : l;
            if (!above(d[c], id[c], d[i], id[i])) {
                return;
            }
            swap(id, d, i, c);
            i = c;
        }
    }

    private static void swap(int[] id, float[] d, int a, int b) {
        int t = id[a];
        id[a] = id[b];
        id[b] = t;
        float f = d[a];
        d[a] = d[b];
        d[b] = f;
    }
}
