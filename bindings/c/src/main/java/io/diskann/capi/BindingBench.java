package io.diskann.capi;

import io.diskann.graph.VamanaIndex;
import io.diskann.index.SearchParams;
import io.diskann.index.SearchResult;
import io.diskann.index.Searcher;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * The Java side of the bindings' overhead benchmark ({@code bindings/bench.sh}): the same loops every
 * language runs through the C ABI, here on the Java API directly, in a JVM started with the flags
 * {@code libdiskann} uses. Prints one JSON line: single-thread QPS (best pass) at k=10, L=64, batch QPS,
 * and a checksum of the ids so every language is seen to do the same work.
 *
 * <p>Usage: {@code BindingBench INDEX QUERIES.fvecs [passes] [warmup-seconds]}.
 */
public final class BindingBench {
    private BindingBench() {
    }

    /**
     * Runs the benchmark.
     *
     * @param args index file, query file, passes (default 5), warm-up seconds (default 5)
     * @throws IOException if a file cannot be read
     */
    public static void main(String[] args) throws IOException {
        Path index = Path.of(args[0]);
        float[][] queries = readFvecs(Path.of(args[1]));
        int passes = args.length > 2 ? Integer.parseInt(args[2]) : 5;
        double warmup = args.length > 3 ? Double.parseDouble(args[3]) : 5;
        int k = 10;
        SearchParams params = SearchParams.of(k, 64);
        try (VamanaIndex idx = VamanaIndex.load(index); Searcher s = idx.searcher()) {
            int[] ids = new int[k];
            float[] dist = new float[k];
            long checksum = 0;
            long end = System.nanoTime() + (long) (warmup * 1e9);
            while (System.nanoTime() < end) {
                for (float[] q : queries) {
                    s.search(q, params, ids, dist);
                }
            }
            double best = 0;
            for (int p = 0; p < passes; p++) {
                long sum = 0;
                long t0 = System.nanoTime();
                for (float[] q : queries) {
                    int n = s.search(q, params, ids, dist);
                    for (int i = 0; i < n; i++) {
                        sum += ids[i];
                    }
                }
                best = Math.max(best, queries.length / ((System.nanoTime() - t0) / 1e9));
                checksum = sum;
            }
            double bestBatch = 0;
            for (int p = 0; p < passes; p++) {
                long t0 = System.nanoTime();
                SearchResult[] rs = idx.batchSearch(queries, params);
                bestBatch = Math.max(bestBatch, queries.length / ((System.nanoTime() - t0) / 1e9));
                if (rs.length != queries.length) {
                    throw new IllegalStateException("batch returned " + rs.length);
                }
            }
            double[] bridge = bridgeOverhead(index, idx, queries, passes);
            System.out.println(String.format(Locale.ROOT,
                    "{\"lang\":\"java\",\"queries\":%d,\"single_qps\":%.1f,\"batch_qps\":%.1f,\"checksum\":%d,"
                            + "\"api_us\":%.2f,\"bridge_us\":%.2f,\"api_batch_us\":%.3f,\"bridge_batch_us\":%.3f}",
                    queries.length, best, bestBatch, checksum, bridge[0], bridge[1], bridge[2], bridge[3]));
        }
    }

    /**
     * The bridge's own cost, without JNI: the same queries through {@code NativeBridge.search} (addresses of
     * off-heap buffers, as C passes them) and through the Java API, alternating passes in one JVM so that the
     * machine's noise falls on both. Returns the best microseconds per search of each, single searches then
     * batches (per query).
     */
    private static double[] bridgeOverhead(Path path, VamanaIndex idx, float[][] queries, int passes) {
        try (java.lang.foreign.Arena arena = java.lang.foreign.Arena.ofConfined(); Searcher s = idx.searcher()) {
            int dims = idx.dimensions();
            var err = arena.allocate(NativeBridge.ERROR_CAPACITY);
            var out = arena.allocate(8);
            var p = arena.allocateFrom(path.toString());
            if (NativeBridge.load(p.address(), out.address(), err.address()) != 0) {
                throw new IllegalStateException(err.getString(0));
            }
            long handle = out.get(java.lang.foreign.ValueLayout.JAVA_LONG, 0);
            var qs = arena.allocate((long) queries.length * dims * 4, 64);
            for (int i = 0; i < queries.length; i++) {
                java.lang.foreign.MemorySegment.copy(queries[i], 0, qs, java.lang.foreign.ValueLayout.JAVA_FLOAT,
                        (long) i * dims * 4, dims);
            }
            var sp = arena.allocate(8);
            sp.set(java.lang.foreign.ValueLayout.JAVA_INT, 0, 64);
            var ids = arena.allocate(80);
            var dist = arena.allocate(40);
            var found = arena.allocate(4);
            SearchParams params = SearchParams.of(10, 64);
            int[] ia = new int[10];
            float[] da = new float[10];
            double bestApi = Double.MAX_VALUE;
            double bestBridge = Double.MAX_VALUE;
            for (int pass = 0; pass < passes * 4; pass++) {
                long t0 = System.nanoTime();
                for (float[] q : queries) {
                    s.search(q, params, ia, da);
                }
                long t1 = System.nanoTime();
                for (int i = 0; i < queries.length; i++) {
                    NativeBridge.search(handle, qs.address() + (long) i * dims * 4, 10, sp.address(), 0, ids.address(),
                            dist.address(), found.address(), err.address());
                }
                long t2 = System.nanoTime();
                if (pass >= passes) { // the first passes warm both paths up
                    bestApi = Math.min(bestApi, (t1 - t0) / 1e3 / queries.length);
                    bestBridge = Math.min(bestBridge, (t2 - t1) / 1e3 / queries.length);
                }
            }
            // batch: the whole query set per call, alternating the Java API and the bridge
            var bids = arena.allocate((long) queries.length * 10 * 8);
            var bdist = arena.allocate((long) queries.length * 10 * 4);
            var bfound = arena.allocate((long) queries.length * 4);
            double bestApiBatch = Double.MAX_VALUE;
            double bestBridgeBatch = Double.MAX_VALUE;
            for (int pass = 0; pass < passes * 2; pass++) {
                long t0 = System.nanoTime();
                idx.batchSearch(queries, params);
                long t1 = System.nanoTime();
                if (NativeBridge.batchSearch(handle, qs.address(), queries.length, 10, sp.address(), 0, bids.address(),
                        bdist.address(), bfound.address(), err.address()) != 0) {
                    throw new IllegalStateException(err.getString(0));
                }
                long t2 = System.nanoTime();
                if (pass >= passes / 2) {
                    bestApiBatch = Math.min(bestApiBatch, (t1 - t0) / 1e3 / queries.length);
                    bestBridgeBatch = Math.min(bestBridgeBatch, (t2 - t1) / 1e3 / queries.length);
                }
            }
            NativeBridge.free(handle, err.address());
            return new double[] {bestApi, bestBridge, bestApiBatch, bestBridgeBatch};
        }
    }

    static float[][] readFvecs(Path path) throws IOException {
        ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(path)).order(ByteOrder.LITTLE_ENDIAN);
        int dims = b.getInt(0);
        int rows = b.capacity() / (4 + 4 * dims);
        float[][] out = new float[rows][dims];
        for (int r = 0; r < rows; r++) {
            b.position(r * (4 + 4 * dims) + 4);
            b.asFloatBuffer().get(out[r]);
        }
        return out;
    }
}
