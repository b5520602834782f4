package io.diskann.capi;

import io.diskann.filter.FilteredIndex;
import io.diskann.index.SearchParams;
import io.diskann.index.SearchResult;
import io.diskann.index.VectorIndex;
import io.diskann.filter.FilterBuild;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.file.Path;

/**
 * A searched-only index behind a handle: a {@code PqIndex} loaded from its file, or the SSD-resident
 * {@code DiskIndex}, with labels in RAM ({@link FilteredIndex}) when a label file was given.
 */
final class ReadOnlyIndex extends NativeIndex {
    private final VectorIndex index;
    /** Null without labels. */
    private final FilteredIndex filtered;
    private final Searchers searchers;
    private final int kind;

    ReadOnlyIndex(VectorIndex index, FilteredIndex filtered, int kind) {
        this.index = index;
        this.filtered = filtered;
        this.kind = kind;
        this.searchers = new Searchers(index);
    }

    @Override
    String kindName() {
        return kind == KIND_DISK ? "the SSD-resident index (search only)" : "a loaded PQ index (search and save only)";
    }

    @Override
    int dimensions() {
        return index.dimensions();
    }

    private boolean direct(NativeFilter filter) {
        return filter == null || (filter.isBitset() && filtered == null);
    }

    private FilteredIndex filteredOrThrow() {
        if (filtered == null) {
            throw new UnsupportedOperationException("this index was opened without labels, so label filters do not"
                    + " apply (bitset filters do); pass a label file when opening it");
        }
        return filtered;
    }

    private SearchParams params(int k, int listSize, int beamWidth, NativeFilter filter) {
        return filter == null ? Params.search(k, listSize, beamWidth, null, 1)
                : Params.search(k, listSize, beamWidth, filter.bits(),
                        Math.min(1.0, filter.cardinality() / (double) Math.max(1, index.size())));
    }

    @Override
    int search(float[] query, int k, int listSize, int beamWidth, NativeFilter filter, int[] ids, float[] distances) {
        if (direct(filter)) {
            return searchers.get().search(query, params(k, listSize, beamWidth, filter), ids, distances);
        }
        SearchResult r = filteredOrThrow().search(query, params(k, listSize, beamWidth, null), filter.labelFilter());
        System.arraycopy(r.ids(), 0, ids, 0, r.size());
        System.arraycopy(r.distances(), 0, distances, 0, r.size());
        return r.size();
    }

    @Override
    int cacheFromQueries(float[][] sample, int k, int listSize, int beamWidth, int nodes) throws IOException {
        if (!(index instanceof io.diskann.disk.DiskIndex disk)) {
            return super.cacheFromQueries(sample, k, listSize, beamWidth, nodes);
        }
        return disk.cacheFromQueries(sample, params(k, listSize, beamWidth, null), nodes);
    }

    @Override
    SearchResult[] batchSearch(float[][] queries, int k, int listSize, int beamWidth, NativeFilter filter) {
        if (direct(filter)) {
            return index.batchSearch(queries, params(k, listSize, beamWidth, filter));
        }
        FilteredIndex f = filteredOrThrow();
        var lf = filter.labelFilter();
        SearchParams p = params(k, listSize, beamWidth, null);
        SearchResult[] out = new SearchResult[queries.length];
        AllQueries.run(queries.length, i -> out[i] = f.search(queries[i], p, lf));
        return out;
    }

    @Override
    SearchResult rangeSearch(float[] query, float radius, int listSize, int beamWidth, NativeFilter filter) {
        if (direct(filter)) {
            return index.rangeSearch(query, radius, Params.range(listSize, beamWidth, filter == null ? null : filter.bits()));
        }
        return filteredOrThrow().rangeSearch(query, radius, Params.range(listSize, beamWidth, null), filter.labelFilter());
    }

    @Override
    void save(Path path) throws IOException {
        if (kind == KIND_DISK) {
            throw unsupported("save");
        }
        index.save(path);
    }

    @Override
    void stats(MemorySegment out) {
        Mem.putLong(out, 0, index.size());
        Mem.putInt(out, 8, index.dimensions());
        Mem.putInt(out, 12, index.metric().ordinal());
        Mem.putInt(out, 16, index.vectorType().ordinal());
        Mem.putInt(out, 20, kind);
        Mem.putLong(out, 24, index.stats().memoryBytes());
        Mem.putInt(out, 32, filtered != null ? 1 : 0);
        Mem.putInt(out, 36, FilterBuild.NONE.ordinal());
    }

    @Override
    void close() {
        searchers.close();
        if (filtered != null) {
            filtered.close();
        } else {
            index.close();
        }
    }
}
