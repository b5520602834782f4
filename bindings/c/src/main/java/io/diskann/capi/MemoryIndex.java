package io.diskann.capi;

import io.diskann.filter.FilterBuild;
import io.diskann.filter.LabeledIndex;
import io.diskann.graph.VamanaIndex;
import io.diskann.index.SearchParams;
import io.diskann.index.SearchResult;
import io.diskann.index.VectorIndex;
import io.diskann.pq.PqIndex;
import io.diskann.pq.PqParams;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.file.Path;

/**
 * The in-memory index behind a handle: a {@link VamanaIndex}, with labels ({@link LabeledIndex}) unless it
 * was loaded from a graph saved without them, and optionally PQ codes ({@link PqIndex}) that unfiltered and
 * bitset-filtered searches then walk. Label filters always plan through the labeled index, on the full
 * vectors.
 */
final class MemoryIndex extends NativeIndex {
    private final VamanaIndex graph;
    /** Null for a graph loaded without labels. */
    private final LabeledIndex labeled;
    private volatile PqIndex pq;
    private volatile Searchers searchers;
    private final FilterBuild mode;

    MemoryIndex(VamanaIndex graph, LabeledIndex labeled, FilterBuild mode) {
        this.graph = graph;
        this.labeled = labeled;
        this.mode = mode;
        this.searchers = new Searchers(graph);
    }

    @Override
    String kindName() {
        return pq == null ? "an in-memory index" : "a PQ-compressed in-memory index";
    }

    @Override
    int dimensions() {
        return graph.dimensions();
    }

    private VectorIndex searchIndex() {
        PqIndex p = pq;
        return p != null ? p : graph;
    }

    private LabeledIndex labeledOrThrow() {
        if (labeled == null) {
            throw new UnsupportedOperationException("this index has no labels (it was loaded from a graph saved"
                    + " without them), so label filters and labels do not apply; bitset filters do");
        }
        return labeled;
    }

    @Override
    int search(float[] query, int k, int listSize, int beamWidth, NativeFilter filter, int[] ids, float[] distances) {
        if (filter == null || (filter.isBitset() && labeled == null)) {
            SearchParams p = filter == null ? Params.search(k, listSize, beamWidth, null, 1)
                    : Params.search(k, listSize, beamWidth, filter.bits(), share(filter.cardinality()));
            return searchers.get().search(query, p, ids, distances);
        }
        SearchResult r = labeledOrThrow().search(query, Params.search(k, listSize, beamWidth, null, 1), filter.labelFilter());
        int n = r.size();
        System.arraycopy(r.ids(), 0, ids, 0, n);
        System.arraycopy(r.distances(), 0, distances, 0, n);
        return n;
    }

    private double share(int cardinality) {
        return Math.min(1.0, cardinality / (double) Math.max(1, graph.size()));
    }

    @Override
    SearchResult[] batchSearch(float[][] queries, int k, int listSize, int beamWidth, NativeFilter filter) {
        if (filter == null || (filter.isBitset() && labeled == null)) {
            SearchParams p = filter == null ? Params.search(k, listSize, beamWidth, null, 1)
                    : Params.search(k, listSize, beamWidth, filter.bits(), share(filter.cardinality()));
            return searchIndex().batchSearch(queries, p);
        }
        LabeledIndex li = labeledOrThrow();
        SearchParams p = Params.search(k, listSize, beamWidth, null, 1);
        var f = filter.labelFilter();
        SearchResult[] out = new SearchResult[queries.length];
        AllQueries.run(queries.length, i -> out[i] = li.search(queries[i], p, f));
        return out;
    }

    @Override
    SearchResult rangeSearch(float[] query, float radius, int listSize, int beamWidth, NativeFilter filter) {
        if (filter == null || (filter.isBitset() && labeled == null)) {
            return searchIndex().rangeSearch(query, radius, Params.range(listSize, beamWidth, filter == null ? null : filter.bits()));
        }
        return labeledOrThrow().rangeSearch(query, radius, Params.range(listSize, beamWidth, null), filter.labelFilter());
    }

    @Override
    void build(float[][] vectors, int[][] labels) {
        if (labeled != null) {
            labeled.build(vectors, labels == null ? new int[vectors.length][] : labels, mode);
        } else {
            if (labels != null) {
                throw labelsUnsupported();
            }
            graph.build(vectors);
        }
    }

    private UnsupportedOperationException labelsUnsupported() {
        return new UnsupportedOperationException("this index has no labels (it was loaded from a graph saved without"
                + " them); pass no labels");
    }

    @Override
    int insert(float[] vector, int[] labels) {
        if (labeled != null) {
            return labeled.insert(vector, labels == null ? new int[0] : labels);
        }
        if (labels != null && labels.length > 0) {
            throw labelsUnsupported();
        }
        return graph.insert(vector);
    }

    @Override
    void delete(int id) {
        if (labeled != null) {
            labeled.delete(id);
        } else {
            graph.delete(id);
        }
    }

    @Override
    void update(int id, float[] vector, int[] labels) {
        if (labeled != null) {
            if (!graph.contains(id)) {
                throw new IllegalArgumentException("unknown id " + id + ": not in the index");
            }
            labeled.update(id, vector, labels == null ? labeled.labelsOf(id) : labels);
        } else {
            if (labels != null && labels.length > 0) {
                throw labelsUnsupported();
            }
            graph.update(id, vector);
        }
    }

    @Override
    int consolidate() {
        return labeled != null ? labeled.consolidate() : graph.consolidate();
    }

    /** Runs under the handle's write lock (see {@link NativeBridge#compressPq}): no search is in flight. */
    @Override
    synchronized void compress(int pqBytes) {
        if (pq != null) {
            throw new IllegalStateException("the index is already PQ-compressed");
        }
        int m = pqBytes > 0 ? pqBytes : Math.max(1, graph.dimensions() / 8);
        PqIndex p = PqIndex.compress(graph, PqParams.builder(m).threads(graph.params().threads()).build());
        Searchers old = searchers;
        searchers = new Searchers(p);
        pq = p;
        old.close();
    }

    @Override
    void save(Path path) throws IOException {
        if (labeled != null) {
            labeled.save(path);
        } else if (pq != null) {
            pq.save(path);
        } else {
            graph.save(path);
        }
    }

    @Override
    void stats(MemorySegment out) {
        VectorIndex v = searchIndex();
        Mem.putLong(out, 0, v.size());
        Mem.putInt(out, 8, v.dimensions());
        Mem.putInt(out, 12, v.metric().ordinal());
        Mem.putInt(out, 16, v.vectorType().ordinal());
        Mem.putInt(out, 20, pq == null ? KIND_MEMORY : KIND_PQ);
        Mem.putLong(out, 24, v.stats().memoryBytes());
        Mem.putInt(out, 32, labeled != null ? 1 : 0);
        Mem.putInt(out, 36, (labeled != null ? labeled.filterBuild() : FilterBuild.NONE).ordinal());
    }

    @Override
    void close() {
        searchers.close();
        PqIndex p = pq;
        if (p != null) {
            p.close(); // closes the graph too
        }
        if (labeled != null) {
            labeled.close();
        } else {
            graph.close();
        }
    }
}
