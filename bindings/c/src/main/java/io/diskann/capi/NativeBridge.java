package io.diskann.capi;

import io.diskann.disk.DiskIndex;
import io.diskann.disk.DiskOptions;
import io.diskann.filter.FilterBuild;
import io.diskann.filter.FilterParams;
import io.diskann.filter.FilteredIndex;
import io.diskann.filter.LabelFile;
import io.diskann.filter.LabeledIndex;
import io.diskann.graph.VamanaIndex;
import io.diskann.graph.VamanaParams;
import io.diskann.index.SearchResult;
import io.diskann.pq.PqIndex;
import io.diskann.vector.Metric;
import io.diskann.vector.VectorType;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * The Java half of the C ABI ({@code bindings/c/include/diskann.h}): one static method per C function,
 * called through JNI by {@code libdiskann}. Arguments are primitives and addresses of the caller's
 * buffers, read and written in place through {@link MemorySegment}s for the length of the call. Every
 * method returns a status code and never throws: a failure's message goes to the caller's per-thread
 * error buffer ({@code err}, {@link #ERROR_CAPACITY} bytes), for {@code diskann_last_error()}.
 *
 * <p>Thread-safety: every method may be called from any thread at once; see {@link NativeIndex} for how
 * calls are ordered against {@code free}.
 */
public final class NativeBridge {
    /** Bytes of the C side's per-thread error buffer (DISKANN_ERROR_CAPACITY in diskann.c). */
    public static final int ERROR_CAPACITY = 4096;
    private static final HandleTable HANDLES = new HandleTable();
    /** Per calling thread: the query and result arrays of the allocation-free search path. */
    private static final ThreadLocal<Scratch> SCRATCH = ThreadLocal.withInitial(Scratch::new);
    /** sizeof(diskann_params) in this ABI version. */
    private static final int PARAMS_SIZE = 28;

    private NativeBridge() {
    }

    private static final class Scratch {
        float[] query = new float[0];
        int[] ids = new int[0];
        float[] distances = new float[0];

        float[] query(int dims) {
            if (query.length != dims) {
                query = new float[dims];
            }
            return query;
        }

        void results(int k) {
            if (ids.length < k) {
                ids = new int[k];
                distances = new float[k];
            }
        }
    }

    private static int fail(Throwable t, long err) {
        try {
            Mem.error(err, ERROR_CAPACITY, Status.message(t));
            return Status.of(t);
        } catch (Throwable again) {
            return Status.INTERNAL; // even writing the message failed (e.g. out of memory); C fills in a generic one
        }
    }

    private static Metric metric(int m) {
        Metric[] all = Metric.values();
        if (m < 0 || m >= all.length) {
            throw new IllegalArgumentException("unknown metric " + m + " (0 L2, 1 cosine, 2 inner product)");
        }
        return all[m];
    }

    /** One call's body, run while the handle's index is entered (see {@link #call}). */
    @FunctionalInterface
    private interface Body {
        void run(NativeIndex index) throws Exception;
    }

    /**
     * Finds the handle's index, holds it for the body, and turns any failure into a status and message.
     * {@link #search} keeps this written out: it is the per-query hot path and takes no lambda.
     */
    private static int call(long handle, long err, Body body) {
        NativeIndex index;
        try {
            index = HANDLES.get(handle);
            index.enter();
        } catch (Throwable t) {
            return fail(t, err);
        }
        try {
            body.run(index);
            return Status.OK;
        } catch (Throwable t) {
            return fail(t, err);
        } finally {
            index.exit();
        }
    }

    /** Number of open handles (tests use it to check nothing leaks). */
    public static int openHandles() {
        return HANDLES.open();
    }

    public static int create(int dims, int metric, long params, long out, long err) {
        try {
            Mem.at(out, 8, "out");
            if (dims < 1) {
                throw new IllegalArgumentException("dimensions must be at least 1, got " + Integer.toUnsignedString(dims));
            }
            VectorType type = VectorType.F32;
            VamanaParams.Builder vp = VamanaParams.builder();
            FilterBuild mode = FilterBuild.NONE;
            if (params != 0) {
                int size = Mem.getInt(Mem.at(params, 4, "params"), 0);
                if (size < 8 || size > 4096) {
                    throw new IllegalArgumentException("params.struct_size is " + size + ": fill params with diskann_params_init");
                }
                MemorySegment p = Mem.at(params, Math.min(size, PARAMS_SIZE), "params");
                int vt = Mem.getInt(p, 4);
                if (vt < 0 || vt >= VectorType.values().length) {
                    throw new IllegalArgumentException("unknown vector_type " + vt + " (0 f32, 1 f16, 2 i8, 3 u8)");
                }
                type = VectorType.values()[vt];
                if (size >= 12 && Mem.getInt(p, 8) != 0) {
                    vp.maxDegree(Mem.getInt(p, 8));
                }
                if (size >= 16 && Mem.getInt(p, 12) != 0) {
                    vp.buildListSize(Mem.getInt(p, 12));
                }
                if (size >= 20 && Mem.getFloat(p, 16) != 0) {
                    vp.alpha(Mem.getFloat(p, 16));
                }
                if (size >= 24 && Mem.getInt(p, 20) != 0) {
                    vp.threads(Mem.getInt(p, 20));
                }
                if (size >= 28) {
                    int fb = Mem.getInt(p, 24);
                    if (fb < 0 || fb >= FilterBuild.values().length) {
                        throw new IllegalArgumentException("unknown filter_build " + fb + " (0 none, 1 filtered, 2 stitched)");
                    }
                    mode = FilterBuild.values()[fb];
                }
            }
            VamanaIndex graph = VamanaIndex.builder(dims, metric(metric)).vectorType(type).params(vp.build()).build();
            FilterParams fp = mode == FilterBuild.NONE ? FilterParams.defaults() : FilterParams.filteredGraphDefaults(dims);
            LabeledIndex labeled = LabeledIndex.wrap(graph, -1, fp);
            Mem.putLong(out, HANDLES.add(new MemoryIndex(graph, labeled, mode)), "out");
            return Status.OK;
        } catch (Throwable t) {
            return fail(t, err);
        }
    }

    public static int build(long handle, long vectors, long n, long offsets, long labels, long err) {
        return call(handle, err, index -> {
            int dims = index.dimensions();
            if (n < 1 || n > Integer.MAX_VALUE - 8) {
                throw new IllegalArgumentException("n must be in 1.." + (Integer.MAX_VALUE - 8) + ", got " + Long.toUnsignedString(n));
            }
            int count = (int) n;
            float[][] rows = new float[count][dims];
            for (int i = 0; i < count; i++) {
                Mem.floats(vectors, (long) i * dims, rows[i], "vectors");
            }
            int[][] perPoint = null;
            if (offsets != 0) {
                long[] off = Mem.longs(offsets, count + 1, "label_offsets");
                if (off[0] != 0) {
                    throw new IllegalArgumentException("label_offsets[0] must be 0, got " + off[0]);
                }
                for (int i = 0; i < count; i++) {
                    if (off[i + 1] < off[i] || off[i + 1] - off[i] > 1 << 20) {
                        throw new IllegalArgumentException("label_offsets must not decrease (vector " + i + ": "
                                + off[i] + " then " + off[i + 1] + ")");
                    }
                }
                if (off[count] > Integer.MAX_VALUE) {
                    throw new IllegalArgumentException("too many labels: " + off[count]);
                }
                int[] all = Mem.ints(labels, (int) off[count], "labels");
                perPoint = new int[count][];
                for (int i = 0; i < count; i++) {
                    perPoint[i] = Arrays.copyOfRange(all, (int) off[i], (int) off[i + 1]);
                }
            }
            index.build(rows, perPoint);
        });
    }

    public static int load(long path, long out, long err) {
        try {
            Mem.at(out, 8, "out");
            Path p = Path.of(Mem.string(path, "path"));
            if (!Files.exists(p)) {
                throw new java.nio.file.NoSuchFileException(p.toString(), null, "no such index file");
            }
            MemoryIndex index;
            LabeledIndex labeled = null;
            try {
                labeled = LabeledIndex.load(p, FilterParams.defaults());
            } catch (IOException e) {
                if (e instanceof io.diskann.index.CorruptIndexException || !String.valueOf(e.getMessage()).contains("without labels")) {
                    throw e;
                }
            }
            if (labeled != null) {
                index = new MemoryIndex(labeled.index(), labeled, labeled.filterBuild());
            } else {
                VamanaIndex g = VamanaIndex.load(p);
                index = new MemoryIndex(g, null, FilterBuild.NONE);
            }
            Mem.putLong(out, HANDLES.add(index), "out");
            return Status.OK;
        } catch (Throwable t) {
            return fail(t, err);
        }
    }

    public static int loadPq(long path, long out, long err) {
        try {
            Mem.at(out, 8, "out");
            PqIndex pq = PqIndex.load(Path.of(Mem.string(path, "path")));
            Mem.putLong(out, HANDLES.add(new ReadOnlyIndex(pq, null, NativeIndex.KIND_PQ)), "out");
            return Status.OK;
        } catch (Throwable t) {
            return fail(t, err);
        }
    }

    public static int openDisk(long path, long labelsPath, int cacheNodes, long out, long err) {
        try {
            Mem.at(out, 8, "out");
            if (cacheNodes < 0) {
                throw new IllegalArgumentException("cache_nodes is too large: " + Integer.toUnsignedString(cacheNodes));
            }
            Path p = Path.of(Mem.string(path, "path"));
            LabelFile.Contents labels = labelsPath == 0 ? null : LabelFile.read(Path.of(Mem.string(labelsPath, "labels_path")), null);
            DiskIndex disk = DiskIndex.open(p, DiskOptions.builder().cacheNodes(cacheNodes).build());
            FilteredIndex filtered = null;
            try {
                if (labels != null) {
                    filtered = FilteredIndex.of(disk, labels.labels(), FilterParams.defaults());
                }
            } catch (RuntimeException e) {
                disk.close();
                throw e;
            }
            Mem.putLong(out, HANDLES.add(new ReadOnlyIndex(disk, filtered, NativeIndex.KIND_DISK)), "out");
            return Status.OK;
        } catch (Throwable t) {
            return fail(t, err);
        }
    }

    public static int save(long handle, long path, long err) {
        return call(handle, err, index -> {
            index.save(Path.of(Mem.string(path, "path")));
        });
    }

    public static int free(long handle, long err) {
        try {
            NativeIndex index = HANDLES.remove(handle);
            index.free();
            return Status.OK;
        } catch (Throwable t) {
            return fail(t, err);
        }
    }

    public static int search(long handle, long query, int k, long params, long filter, long ids, long distances,
                             long found, long err) {
        NativeIndex index;
        try {
            index = HANDLES.get(handle);
            index.enter();
        } catch (Throwable t) {
            return fail(t, err);
        }
        try {
            checkK(k);
            Mem.at(found, 4, "found");
            Scratch s = SCRATCH.get();
            float[] q = s.query(index.dimensions());
            Mem.floats(query, 0, q, "query");
            s.results(k);
            int n = index.search(q, k, listSize(params), beamWidth(params), NativeFilter.read(filter), s.ids, s.distances);
            Mem.results(ids, distances, 0, s.ids, s.distances, n);
            pad(ids, distances, 0, n, k);
            Mem.putInt(found, n, "found");
            return Status.OK;
        } catch (Throwable t) {
            return fail(t, err);
        } finally {
            index.exit();
        }
    }

    /** Largest k: results are buffered per thread, so an absurd k must fail before it allocates. */
    static final int MAX_K = 1 << 20;

    private static void checkK(int k) {
        if (k < 1 || k > MAX_K) {
            throw new IllegalArgumentException("k must be in 1.." + MAX_K + ", got " + Integer.toUnsignedString(k));
        }
    }

    /** Entries n..k-1 of a row get id -1 and distance +inf, so unfilled slots never look like results. */
    private static void pad(long ids, long distances, long rowStart, int n, int k) {
        if (n >= k) {
            return;
        }
        MemorySegment i = Mem.at(ids, (rowStart + k) * 8L, "ids");
        MemorySegment d = Mem.at(distances, (rowStart + k) * 4L, "distances");
        for (int j = n; j < k; j++) {
            Mem.putLong(i, (rowStart + j) * 8L, -1L);
            d.set(java.lang.foreign.ValueLayout.JAVA_FLOAT_UNALIGNED, (rowStart + j) * 4L, Float.POSITIVE_INFINITY);
        }
    }

    private static int listSize(long params) {
        return params == 0 ? 0 : Mem.getInt(Mem.at(params, 8, "params"), 0);
    }

    private static int beamWidth(long params) {
        return params == 0 ? 0 : Mem.getInt(Mem.at(params, 8, "params"), 4);
    }

    public static int batchSearch(long handle, long queries, long nq, int k, long params, long filter, long ids,
                                  long distances, long found, long err) {
        return call(handle, err, index -> {
            checkK(k);
            if (nq < 0 || nq > Integer.MAX_VALUE - 8) {
                throw new IllegalArgumentException("nq is out of range: " + Long.toUnsignedString(nq));
            }
            int dims = index.dimensions();
            float[][] qs = new float[(int) nq][dims];
            for (int i = 0; i < nq; i++) {
                Mem.floats(queries, (long) i * dims, qs[i], "queries");
            }
            if (nq == 0) {
                return;
            }
            SearchResult[] rs = index.batchSearch(qs, k, listSize(params), beamWidth(params), NativeFilter.read(filter));
            MemorySegment f = Mem.at(found, nq * 4, "found");
            for (int i = 0; i < rs.length; i++) {
                int n = rs[i].size();
                Mem.results(ids, distances, (long) i * k, rs[i].ids(), rs[i].distances(), n);
                pad(ids, distances, (long) i * k, n, k);
                Mem.putInt(f, i * 4L, n);
            }
        });
    }

    public static int cacheFromQueries(long handle, long queries, long nq, int k, long params, int nodes, long cached,
                                       long err) {
        return call(handle, err, index -> {
            checkK(k);
            if (nq < 0 || nq > Integer.MAX_VALUE - 8) {
                throw new IllegalArgumentException("nq is out of range: " + Long.toUnsignedString(nq));
            }
            if (nodes < 0) {
                throw new IllegalArgumentException("nodes is out of range: " + Integer.toUnsignedString(nodes));
            }
            int dims = index.dimensions();
            float[][] sample = new float[(int) nq][dims];
            for (int i = 0; i < nq; i++) {
                Mem.floats(queries, (long) i * dims, sample[i], "queries");
            }
            int n = index.cacheFromQueries(sample, k, listSize(params), beamWidth(params), nodes);
            if (cached != 0) {
                Mem.putInt(cached, n, "cached");
            }
        });
    }

    public static int rangeSearch(long handle, long query, float radius, long params, long filter, long ids,
                                  long distances, long capacity, long total, long err) {
        return call(handle, err, index -> {
            if (Float.isNaN(radius)) {
                throw new IllegalArgumentException("radius is NaN");
            }
            Mem.at(total, 8, "total");
            if (capacity < 0) {
                throw new IllegalArgumentException("capacity is out of range: " + Long.toUnsignedString(capacity));
            }
            float[] q = SCRATCH.get().query(index.dimensions());
            Mem.floats(query, 0, q, "query");
            SearchResult r = index.rangeSearch(q, radius, listSize(params), beamWidth(params), NativeFilter.read(filter));
            int n = (int) Math.min(capacity, r.size());
            Mem.results(ids, distances, 0, r.ids(), r.distances(), n);
            Mem.putLong(total, r.size(), "total");
        });
    }

    private static int[] labels(long labels, int count) {
        if (count < 0 || count > 1 << 20) {
            throw new IllegalArgumentException("label_count is out of range: " + Integer.toUnsignedString(count));
        }
        return Mem.ints(labels, count, "labels");
    }

    private static float[] vector(NativeIndex index, long vector) {
        float[] v = new float[index.dimensions()]; // kept by the index for an insert, so not the scratch array
        Mem.floats(vector, 0, v, "vector");
        return v;
    }

    private static int id(long id) {
        if (id < 0 || id > io.diskann.index.MutableVectorIndex.MAX_ID) {
            throw new IllegalArgumentException("unknown id " + id + ": not in the index");
        }
        return (int) id;
    }

    public static int insert(long handle, long vector, long labels, int count, long outId, long err) {
        return call(handle, err, index -> {
            Mem.at(outId, 8, "id");
            int id = index.insert(vector(index, vector), labels(labels, count));
            Mem.putLong(outId, id, "id");
        });
    }

    public static int delete(long handle, long id, long err) {
        return call(handle, err, index -> {
            index.delete(id(id));
        });
    }

    public static int update(long handle, long id, long vector, long labels, int count, long err) {
        return call(handle, err, index -> {
            index.update(id(id), vector(index, vector), labels == 0 && count == 0 ? null : labels(labels, count));
        });
    }

    public static int consolidate(long handle, long removed, long err) {
        return call(handle, err, index -> {
            int n = index.consolidate();
            if (removed != 0) {
                Mem.putLong(removed, n, "removed");
            }
        });
    }

    public static int stats(long handle, long out, long err) {
        return call(handle, err, index -> {
            index.stats(Mem.at(out, 40, "out"));
        });
    }

    public static int compressPq(long handle, int pqBytes, long err) {
        NativeIndex index;
        try {
            index = HANDLES.get(handle);
            index.enterAlone(); // searchers are swapped: no search may be running on the old ones
        } catch (Throwable t) {
            return fail(t, err);
        }
        try {
            if (pqBytes < 0) {
                throw new IllegalArgumentException("pq_bytes is out of range: " + Integer.toUnsignedString(pqBytes));
            }
            index.compress(pqBytes);
            return Status.OK;
        } catch (Throwable t) {
            return fail(t, err);
        } finally {
            index.exitAlone();
        }
    }
}
