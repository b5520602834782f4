package io.diskann.filter;

import io.diskann.graph.BuildListener;
import io.diskann.graph.VamanaIndex;
import io.diskann.graph.VectorSource;
import io.diskann.index.ExactScan;
import io.diskann.index.SearchParams;
import io.diskann.index.SearchResult;
import io.diskann.index.Searcher;
import io.diskann.io.FormatWriter;
import io.diskann.io.IndexFiles;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An in-memory Vamana index whose vectors carry labels, searched with a {@link LabelFilter}.
 *
 * <p>How a filtered query runs: the filter's match count is known from label counts alone
 * ({@link LabelFilter#maxMatches}). When it matches few vectors (see {@link FilterParams}) the matching
 * ids are read from per-label posting lists and scored exactly ({@link ExactScan}): recall 1, and
 * faster than a traversal that must wade through rejected nodes. Otherwise the graph is searched with
 * the filter inside the loop (rejected nodes steer, only matches are returned) and the search list
 * widened as L / sqrt(selectivity), up to {@link FilterParams#maxListSize}. A predicate filter always takes the
 * graph (it has no posting lists). An exact scan reports 0 hops in its {@link SearchResult#stats()}.
 *
 * <p>With {@link FilterBuild#FILTERED} the graph is Filtered-Vamana's: a label filter's graph search
 * starts at its labels' start points and walks only the vectors that carry them.
 *
 * <p>Labels are set before a vector becomes visible: {@link #insert} stores the labels under a fresh id
 * and then inserts the vector with that id, so no search sees the vector without them. {@link #update}
 * changes labels and then the vector: a search in between may see the new labels with the old vector.
 *
 * <p>Thread-safety: as {@link VamanaIndex} (searches, inserts, updates and deletes from any threads);
 * labels and counts are read without locks; a scan copies its posting lists under the label store's lock.
 */
public final class LabeledIndex implements AutoCloseable {

    private final VamanaIndex index;
    private final LabelStore labels;
    private final AtomicInteger nextId = new AtomicInteger();
    /** Plans and runs filtered searches; holds Filtered-Vamana's rules when the graph was built with them. */
    private final FilterSearch filtered;
    /** How the graph was built (set once, by build or load). */
    private volatile FilterBuild mode = FilterBuild.NONE;

    private LabeledIndex(VamanaIndex index, int universalLabel, FilterParams params) {
        this.index = index;
        this.labels = new LabelStore(universalLabel);
        this.filtered = new FilterSearch(index, labels, params, nextId::get);
    }

    /**
     * Wraps an empty index: vectors and their labels go in through {@link #build} and {@link #insert}.
     *
     * @param index an index with no vectors (its ids will be 0, 1, 2...)
     * @param universalLabel the label that matches every filter, or -1
     * @param params when to scan instead of searching the graph
     * @return the labeled index; closing it closes {@code index}
     * @throws IllegalArgumentException if {@code index} already holds vectors
     */
    public static LabeledIndex wrap(VamanaIndex index, int universalLabel, FilterParams params) {
        if (index == null || params == null) {
            throw new IllegalArgumentException("index and params must not be null");
        }
        if (index.size() != 0) {
            throw new IllegalArgumentException("wrap an empty index; it holds " + index.size() + " vectors without labels");
        }
        return new LabeledIndex(index, universalLabel, params);
    }

    /**
     * Labels an index that is already built, e.g. one loaded from a file, from a label file of its
     * vectors (point i = id i, as Microsoft DiskANN's label files are written).
     *
     * @param index the index; its ids must be 0..n-1 with n = {@code labels.size()}
     * @param labels the labels of ids 0..n-1
     * @param params when to scan instead of searching the graph
     * @return the labeled index; closing it closes {@code index}
     * @throws IllegalArgumentException if the index does not hold exactly the ids 0..n-1
     */
    public static LabeledIndex of(VamanaIndex index, LabelSets labels, FilterParams params) {
        if (index == null || labels == null || params == null) {
            throw new IllegalArgumentException("index, labels and params must not be null");
        }
        int n = labels.size();
        if (index.size() != n) {
            throw new IllegalArgumentException("the index holds " + index.size() + " vectors, the labels are for " + n);
        }
        LabeledIndex li = new LabeledIndex(index, labels.universalLabel(), params);
        for (int id = 0; id < n; id++) {
            if (!index.contains(id)) {
                throw new IllegalArgumentException("the index does not hold id " + id + ": label files number points 0..n-1");
            }
            li.labels.set(id, labels.labelsOf(id));
        }
        li.nextId.set(n);
        return li;
    }

    /**
     * Builds the graph over {@code vectors} (ids 0..n-1) with their labels.
     *
     * @param vectors the vectors
     * @param pointLabels the labels of each vector (same length; null or empty entries: no labels)
     */
    public void build(float[][] vectors, int[][] pointLabels) {
        build(vectors, pointLabels, FilterBuild.NONE);
    }

    /**
     * Builds the graph over {@code vectors} (ids 0..n-1) with their labels, plain or label-aware. With
     * {@link FilterBuild#FILTERED} or {@link FilterBuild#STITCHED} (with {@link StitchParams#defaultsFor}
     * the index's parameters) later inserts link under Filtered-Vamana's rules.
     *
     * @param vectors the vectors
     * @param pointLabels the labels of each vector (same length; null or empty entries: no labels)
     * @param mode the graph build
     */
    public void build(float[][] vectors, int[][] pointLabels, FilterBuild mode) {
        if (mode == null) {
            throw new IllegalArgumentException("mode is null");
        }
        build(vectors, pointLabels, mode, mode == FilterBuild.STITCHED
                ? StitchParams.defaultsFor(index.params(), vectors == null ? 0 : vectors.length) : null);
    }

    /**
     * Builds the graph over {@code vectors} (ids 0..n-1) with Stitched-Vamana ({@link FilterBuild#STITCHED}):
     * a graph per label with {@code stitch}'s R_small and L_small, stitched and pruned to the index's R.
     *
     * @param vectors the vectors
     * @param pointLabels the labels of each vector (same length; null or empty entries: no labels)
     * @param stitch the per-label graphs' parameters
     */
    public void buildStitched(float[][] vectors, int[][] pointLabels, StitchParams stitch) {
        if (stitch == null) {
            throw new IllegalArgumentException("stitch params are null");
        }
        build(vectors, pointLabels, FilterBuild.STITCHED, stitch);
    }

    private void build(float[][] vectors, int[][] pointLabels, FilterBuild mode, StitchParams stitch) {
        if (vectors == null || pointLabels == null || vectors.length != pointLabels.length) {
            throw new IllegalArgumentException("one label array per vector: " + (vectors == null ? 0 : vectors.length)
                    + " vectors, " + (pointLabels == null ? 0 : pointLabels.length) + " label arrays");
        }
        build(vectors.length, VectorSource.concurrent((i, reuse) -> vectors[i]), pointLabels, mode, stitch,
                BuildListener.NONE);
    }

    /**
     * Builds the graph over {@code n} vectors read from {@code vectors} (ids 0..n-1) with their labels, plain or
     * label-aware, as {@link #build(float[][], int[][], FilterBuild)}. Why a source: the vectors need not be in
     * the heap (a memory-mapped file); the index keeps its own copy off the heap, so a label-aware build holds in
     * the heap only the graph, the labels and the stitched candidate lists. The source is read once to validate
     * every vector before anything is stored, then by the build (from several threads if it says it may be).
     *
     * @param n how many vectors
     * @param vectors supplies vector {@code i} for {@code i} in {@code 0..n-1}
     * @param pointLabels the labels of each vector ({@code n} entries; null or empty entries: no labels)
     * @param mode the graph build ({@link FilterBuild#STITCHED} with {@link StitchParams#defaultsFor} the index's
     *     parameters)
     */
    public void build(int n, VectorSource vectors, int[][] pointLabels, FilterBuild mode) {
        build(n, vectors, pointLabels, mode, BuildListener.NONE);
    }

    /**
     * As {@link #build(int, VectorSource, int[][], FilterBuild)}, reporting progress: a Filtered-Vamana or plain
     * build reports vectors linked out of {@code n}; Stitched-Vamana reports one count over its two passes, the
     * per-label graphs (each vector once per label) and then the stitching (each vector once). Why: a labeled
     * build of a million vectors runs for minutes.
     *
     * @param n how many vectors
     * @param vectors supplies vector {@code i} for {@code i} in {@code 0..n-1}
     * @param pointLabels the labels of each vector
     * @param mode the graph build
     * @param listener told the progress from worker threads (null: none)
     */
    public void build(int n, VectorSource vectors, int[][] pointLabels, FilterBuild mode, BuildListener listener) {
        if (mode == null) {
            throw new IllegalArgumentException("mode is null");
        }
        build(n, vectors, pointLabels, mode, mode == FilterBuild.STITCHED ? StitchParams.defaultsFor(index.params(), n) : null,
                listener == null ? BuildListener.NONE : listener);
    }

    private void build(int n, VectorSource vectors, int[][] pointLabels, FilterBuild mode, StitchParams stitch,
                       BuildListener listener) {
        if (vectors == null || pointLabels == null || n != pointLabels.length) {
            throw new IllegalArgumentException("one label array per vector: " + n + " vectors, "
                    + (pointLabels == null ? 0 : pointLabels.length) + " label arrays" + (vectors == null ? ", no source" : ""));
        }
        if (n == 0) {
            throw new IllegalArgumentException("cannot build an index from no vectors");
        }
        if (nextId.get() != 0 || index.size() != 0) {
            throw new IllegalStateException("build runs once, on an empty index");
        }
        int[][] normalized = new int[pointLabels.length][];
        float[] reuse = new float[index.dimensions()];
        for (int i = 0; i < pointLabels.length; i++) {
            normalized[i] = LabelStore.normalize(pointLabels[i]); // all checked before anything is stored
            try {
                checkVector(vectors.get(i, reuse));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("vector " + i + ": " + e.getMessage(), e);
            }
        }
        for (int i = 0; i < normalized.length; i++) {
            labels.set(i, normalized[i]);
        }
        nextId.set(n);
        LabelLinkConstraint c = null;
        if (mode != FilterBuild.NONE) {
            int limit = 0;
            for (int[] set : normalized) {
                for (int l : set) {
                    limit = Math.max(limit, l + 1);
                }
            }
            c = new LabelLinkConstraint(labels, limit);
            if (mode == FilterBuild.FILTERED) {
                c.chooseStarts(normalized.length, 0x5EED);
            }
            index.setLinkConstraint(c);
        }
        try {
            if (mode == FilterBuild.STITCHED) {
                StitchedBuild.run(index, vectors, normalized, labels.universalLabel(), stitch, c, listener);
            } else {
                index.build(n, vectors, listener);
            }
        } catch (RuntimeException | Error e) { // nothing was built: leave the index as it was
            for (int i = 0; i < normalized.length; i++) {
                labels.clear(i);
            }
            nextId.set(0);
            if (c != null) {
                index.setLinkConstraint(null);
            }
            throw e;
        }
        filtered.constraint(c);
        this.mode = mode;
    }

    /**
     * How the graph was built.
     *
     * @return {@link FilterBuild#NONE}, {@link FilterBuild#FILTERED} or {@link FilterBuild#STITCHED}
     */
    public FilterBuild filterBuild() {
        return mode;
    }

    /**
     * Adds a vector with its labels.
     *
     * @param vector the vector
     * @param vectorLabels its labels (none: an empty array)
     * @return its id
     */
    public int insert(float[] vector, int... vectorLabels) {
        int[] set = LabelStore.normalize(vectorLabels);
        checkVector(vector); // before an id is taken, so bad input leaves no gap in the ids
        int id = nextId.getAndIncrement();
        labels.set(id, set);
        try {
            index.insert(id, vector);
        } catch (RuntimeException e) {
            labels.clear(id);
            throw e;
        }
        return id;
    }

    private void checkVector(float[] vector) {
        if (vector == null || vector.length != index.dimensions()) {
            throw new IllegalArgumentException("the vector has " + (vector == null ? "no" : vector.length)
                    + " components, the index " + index.dimensions());
        }
        for (int i = 0; i < vector.length; i++) {
            if (!Float.isFinite(vector[i])) {
                throw new IllegalArgumentException("component " + i + " of the vector is " + vector[i]);
            }
        }
    }

    /**
     * Replaces a vector and its labels.
     *
     * @param id an id in the index
     * @param vector the new vector
     * @param vectorLabels its new labels
     * @throws IllegalArgumentException if {@code id} is not in the index
     */
    public void update(int id, float[] vector, int... vectorLabels) {
        int[] set = LabelStore.normalize(vectorLabels);
        checkVector(vector);
        if (!index.contains(id)) {
            throw new IllegalArgumentException("unknown id " + id + ": not in the index");
        }
        int[] before = labels.labelsOf(id);
        labels.set(id, set);
        try {
            index.update(id, vector);
        } catch (RuntimeException e) {
            if (index.contains(id)) { // not if a concurrent delete took it meanwhile
                labels.set(id, before);
            }
            throw e;
        }
        repairStarts();
    }

    /**
     * Deletes a vector (lazily, as {@link VamanaIndex#delete}) and forgets its labels.
     *
     * @param id an id in the index
     */
    public void delete(int id) {
        index.delete(id);
        labels.clear(id);
        repairStarts();
    }

    /**
     * Every label of a label-aware graph whose start point is deleted or no longer carries it (relabeled;
     * a stitched label's start may be a universal vector) gets another carrier as its start, so its
     * filtered searches still begin among its vectors. Run after each delete and update: O(labels) checks.
     * Compare-and-set, then re-checked: a concurrent delete of the replacement repairs it again.
     */
    private void repairStarts() {
        LabelLinkConstraint c = filtered.constraint();
        if (c == null) {
            return;
        }
        int[] pairs = c.startPairs();
        for (int i = 0; i < pairs.length; i += 2) {
            int l = pairs[i];
            int start = pairs[i + 1];
            while (start >= 0 && !(index.contains(start) && labels.matches(start, l))) {
                int replacement = carrierOf(l);
                if (!c.compareAndSetStart(l, start, replacement)) {
                    break; // another thread moved it
                }
                start = replacement;
            }
        }
    }

    /** A live vector carrying {@code label} (the lowest id), or -1. */
    private int carrierOf(int label) {
        int[] carriers = new int[labels.matchCount(label) + labels.universalCount() + 16];
        int n;
        while ((n = labels.candidates(LabelFilter.label(label), carriers)) < 0) {
            carriers = new int[carriers.length * 2];
        }
        for (int i = 0; i < n; i++) {
            if (index.contains(carriers[i])) {
                return carriers[i];
            }
        }
        return -1;
    }

    /**
     * Consolidates the graph and drops deleted ids from the label posting lists.
     *
     * @return what {@link VamanaIndex#consolidate} returns
     */
    public int consolidate() {
        int n = index.consolidate();
        labels.compact();
        return n;
    }

    /**
     * The labels of {@code id}.
     *
     * @param id a vector id
     * @return its labels, sorted (empty if none or unknown)
     */
    public int[] labelsOf(int id) {
        return labels.labelsOf(id);
    }

    /** The start point of {@code label} in a label-aware graph, or -1 (tests). */
    int filterSearchStartOf(int label) {
        LabelLinkConstraint c = filtered.constraint();
        return c == null ? -1 : c.startOf(label);
    }

    /**
     * The live labels, for filters and estimates.
     *
     * @return a thread-safe view
     */
    public LabelView labels() {
        return labels;
    }

    /**
     * The wrapped index (unfiltered searches, stats, save).
     *
     * @return the index
     */
    public VamanaIndex index() {
        return index;
    }

    /** The label-aware graph's rules and start points, or null for a plain graph (tests). */
    LabelLinkConstraint linkConstraint() {
        return filtered.constraint();
    }

    /**
     * The {@code k} nearest vectors that pass {@code filter}.
     *
     * @param query the query
     * @param k results wanted
     * @param filter the filter (null: none)
     * @return up to k results, nearest first
     */
    public SearchResult search(float[] query, int k, LabelFilter filter) {
        return search(query, SearchParams.builder(k).build(), filter);
    }

    /**
     * Filtered search with the given list size, beam and rerank ({@code params.filter()} must be null: the
     * label filter is the filter).
     *
     * @param query the query
     * @param searchParams k, L, W, rerank
     * @param filter the filter (null: an unfiltered search)
     * @return up to k results, nearest first
     */
    public SearchResult search(float[] query, SearchParams searchParams, LabelFilter filter) {
        return filtered.search(query, searchParams, filter);
    }

    /**
     * Every vector within {@code radius} of the query that passes {@code filter}, nearest first. A
     * selective filter is answered exactly from the posting lists; otherwise the index's range search
     * runs with the filter inside the loop.
     *
     * @param query the query
     * @param radius the largest distance returned
     * @param rangeParams list sizes and beam of the graph's range search ({@code filter} must be null)
     * @param filter the filter (null: none)
     * @return the vectors found
     */
    public SearchResult rangeSearch(float[] query, float radius, io.diskann.index.RangeParams rangeParams,
                                    LabelFilter filter) {
        return filtered.rangeSearch(query, radius, rangeParams, filter);
    }

    /**
     * Saves the index and its labels in one file, atomically (the labels are a section of the graph's
     * file, written while inserts, updates and deletes wait). {@link VamanaIndex#load} reads the file too,
     * without the labels.
     *
     * @param path the file
     * @throws IOException if writing fails
     */
    public void save(Path path) throws IOException {
        if (path == null) {
            throw new IllegalArgumentException("path is null");
        }
        IndexFiles.access().save(index, path, slots -> List.of(labelsSection()));
    }

    /** The (label, id) start pairs whose id the graph holds. */
    private int[] liveStarts(int[] pairs) {
        int w = 0;
        for (int i = 0; i < pairs.length; i += 2) {
            if (index.contains(pairs[i + 1])) {
                pairs[w++] = pairs[i];
                pairs[w++] = pairs[i + 1];
            }
        }
        return Arrays.copyOf(pairs, w);
    }

    /** The labels section of this index (labels, build mode, live start points), as {@link #save} writes it. */
    FormatWriter.Section labelsSection() {
        LabelLinkConstraint c = filtered.constraint();
        return LabelsSection.section(labels.snapshot(), labels.universalLabel(), nextId.get(), index::contains, mode,
                c == null ? new int[0] : liveStarts(c.startPairs()));
    }

    /**
     * Whether a graph index file ({@link #save}) or a disk index file ({@link DiskLabels#write}) holds labels.
     * Reads only the section headers.
     *
     * @param path the file
     * @return true if it holds labels (load it with {@link #load} or {@link DiskLabels#open})
     * @throws IOException if the file is missing, not an index file, or unreadable
     */
    public static boolean hasLabels(Path path) throws IOException {
        if (path == null) {
            throw new IllegalArgumentException("path is null");
        }
        return LabelsSection.presentIn(path);
    }

    /**
     * Loads a labeled index that {@link #save} wrote.
     *
     * @param path the file
     * @param params when to scan instead of searching the graph
     * @return the index with its labels
     * @throws IOException if the file is missing, corrupt, or holds a graph without labels
     */
    public static LabeledIndex load(Path path, FilterParams params) throws IOException {
        if (path == null || params == null) {
            throw new IllegalArgumentException("path and params must not be null");
        }
        LabelsSection.Reader read = new LabelsSection.Reader();
        VamanaIndex index = IndexFiles.access().load(path, false, read);
        try {
            LabelsSection.Contents c = read.contents();
            if (c == null) {
                throw new IOException("cannot load a labeled index from " + path + ": the file holds a graph without"
                        + " labels (saved by VamanaIndex.save?); load it with VamanaIndex.load");
            }
            LabeledIndex li = new LabeledIndex(index, c.universal(), params);
            LabelsSection.fill(c, li.labels, index::contains, index.size(), path);
            li.nextId.set(c.nextId());
            LabelLinkConstraint constraint = LabelsSection.constraint(c, li.labels, index::contains, path);
            if (constraint != null) { // the label-aware graph's rules and start points come back
                index.setLinkConstraint(constraint);
                li.filtered.constraint(constraint);
                li.mode = c.build();
            }
            return li;
        } catch (IOException | RuntimeException e) {
            index.close();
            throw e;
        }
    }

    /** Closes the wrapped index. */
    @Override
    public void close() {
        filtered.close();
        index.close();
    }
}
