package io.diskann.filter;

import io.diskann.disk.DiskBuildResult;
import io.diskann.disk.DiskIndex;
import io.diskann.disk.DiskIndexBuilder;
import io.diskann.disk.DiskIndexWriter;
import io.diskann.disk.DiskLayoutInfo;
import io.diskann.disk.DiskOptions;
import io.diskann.disk.VectorReader;
import io.diskann.graph.VamanaParams;
import io.diskann.io.FormatWriter;
import io.diskann.pq.PqParams;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;
import io.diskann.vector.Metric;
import io.diskann.vector.VectorType;

/**
 * Labels and label-aware graphs on the SSD-resident index: {@link #write} lays a {@link LabeledIndex} out
 * as a disk index with its labels, build mode and label start points in the same file, {@link #build} builds
 * one from a vector file with a label-aware or plain graph (partitioned when the vectors exceed the budget),
 * {@link #plainGraphSection} gives the labels to a plain disk build, and {@link #open} opens any of these files
 * as a {@link FilteredIndex}. On a Filtered-
 * or Stitched-Vamana graph a label filter then starts at the label's start point and reads only nodes that carry the label, so no sector read is spent
 * on a node the filter rejects (Microsoft DiskANN's filtered disk index works the same way); on the
 * unfiltered graph a filter can only steer through rejected nodes, each a read.
 *
 * <p>Why a class of its own: it is the only part of this module that needs {@code diskann-pq}, an optional
 * dependency, so applications that filter the in-memory graph do not pull in PQ.
 *
 * <pre>{@code
 * LabeledIndex li = LabeledIndex.wrap(VamanaIndex.builder(dims, Metric.L2).build(), -1, FilterParams.defaults());
 * li.build(vectors, labelsPerVector, FilterBuild.STITCHED);
 * DiskLabels.write(li, Path.of("shop.disk"), PqParams.builder(32).build());
 * try (FilteredIndex fi = DiskLabels.open(Path.of("shop.disk"), DiskOptions.defaults(), FilterParams.defaults())) {
 *     SearchResult r = fi.search(query, 10, LabelFilter.allOf(shoes, inStock));
 * }
 * }</pre>
 */
public final class DiskLabels {

    private DiskLabels() {
    }

    /**
     * Writes {@code index} as a disk index with its labels. Run it while no insert, update or delete runs;
     * deleted vectors must be consolidated first.
     *
     * @param index the labeled index (a label-aware graph keeps its start points in the file)
     * @param path the disk index file, written atomically
     * @param pqParams the PQ codes kept in RAM while searching
     * @return what was written
     * @throws IOException if writing fails
     * @throws IllegalStateException if the index has deleted vectors or is empty
     */
    public static DiskLayoutInfo write(LabeledIndex index, Path path, PqParams pqParams) throws IOException {
        if (index == null || path == null || pqParams == null) {
            throw new IllegalArgumentException("index, path and pqParams must not be null");
        }
        return DiskIndexWriter.write(index.index(), pqParams, path, List.of(index.labelsSection()));
    }

    /**
     * The labels of a disk index built from a vector file, for {@code DiskIndexBuilder.build}'s extra sections:
     * the graph is the plain one (built in one piece or partitioned, so vectors larger than the heap can be
     * labeled too), and {@link #open} filters it with the labels in RAM (a scan when few vectors match,
     * otherwise a walk of the graph with a widened list). Label-aware graphs (Filtered- and Stitched-Vamana)
     * from a vector file: {@link #build}.
     *
     * <pre>{@code
     * LabelSets labels = LabelFile.read(Path.of("base.labels"), null).labels();
     * DiskIndexBuilder.build(vectors, VectorType.F32, Metric.L2, VamanaParams.defaults(), PqParams.builder(32).build(),
     *         4L << 30, Path.of("shop.disk"), System.out::println, List.of(DiskLabels.plainGraphSection(labels, vectors.count())));
     * }</pre>
     *
     * @param labels vector i's labels at point i
     * @param vectors how many vectors the build has (checked here, not after the build)
     * @return the section to pass to the build
     * @throws IllegalArgumentException if {@code labels} is null or has another number of points
     */
    public static FormatWriter.Section plainGraphSection(LabelSets labels, int vectors) {
        if (labels == null) {
            throw new IllegalArgumentException("labels is null");
        }
        if (labels.size() != vectors) {
            throw new IllegalArgumentException("labels for " + labels.size() + " vectors, the build has " + vectors);
        }
        return LabelsSection.plainGraph(labels);
    }

    /**
     * Builds a disk index with its labels from a vector file, as {@code DiskIndexBuilder.build} does: the graph in
     * one piece when it fits {@code memoryBudget} (and the heap), otherwise partitioned, so vectors larger than the
     * heap get a label-aware graph too. With {@link FilterBuild#FILTERED} or {@link FilterBuild#STITCHED} each
     * part is built with those rules over its vectors' labels; the parts are merged and refined under
     * Filtered-Vamana's rules over the whole set (a kept edge is occluded only by a neighbour carrying the labels
     * its ends share; each vector's refinement search starts at its labels' start points and passes only through
     * vectors sharing a label), and the file keeps the whole set's label start points. With
     * {@link FilterBuild#NONE} the graph is the plain one ({@link #plainGraphSection}).
     *
     * @param vectors the vectors; vector i gets id i and {@code labels}' point i
     * @param type the element type stored on disk
     * @param metric the distance
     * @param graph Vamana parameters (R, L, alpha, threads)
     * @param pq the PQ codes kept in RAM while searching
     * @param memoryBudget bytes the graph build may use; above it the build is partitioned
     * @param labels vector i's labels at point i
     * @param mode the graph build
     * @param path the disk index file, written atomically
     * @param progress told each stage as it starts (may be null)
     * @return what was written
     * @throws IOException if writing fails
     * @throws IllegalArgumentException if an argument is null or {@code labels} has another number of points
     */
    public static DiskBuildResult build(VectorReader vectors, VectorType type, Metric metric, VamanaParams graph,
                                        PqParams pq, long memoryBudget, LabelSets labels, FilterBuild mode, Path path,
                                        Consumer<String> progress) throws IOException {
        if (vectors == null || labels == null || mode == null) {
            throw new IllegalArgumentException("vectors, labels and mode must not be null");
        }
        if (mode == FilterBuild.NONE) {
            return DiskIndexBuilder.build(vectors, type, metric, graph, pq, memoryBudget, path, progress,
                    List.of(plainGraphSection(labels, vectors.count())));
        }
        if (labels.size() != vectors.count()) {
            throw new IllegalArgumentException("labels for " + labels.size() + " vectors, the build has " + vectors.count());
        }
        return DiskIndexBuilder.build(vectors, type, metric, graph, pq, memoryBudget, path, progress, List.of(),
                new LabelAwarePartitions(labels, mode));
    }

    /**
     * Opens a disk index written by {@link #write}, built by {@link #build} or with {@link #plainGraphSection}, with the labels it
     * holds. When the graph is label-aware (built as Filtered- or Stitched-Vamana), a label filter walks only
     * the label's nodes from its start point; otherwise queries run as with {@link FilteredIndex#of}.
     *
     * @param path the disk index file
     * @param options I/O mode, node cache, reader threads
     * @param params when to scan instead of searching the graph
     * @return the filtered view; closing it closes the disk index
     * @throws IOException if the file is missing, corrupt, or holds no labels (then use {@link FilteredIndex#of}
     *     with a label file)
     */
    public static FilteredIndex open(Path path, DiskOptions options, FilterParams params) throws IOException {
        if (path == null || options == null || params == null) {
            throw new IllegalArgumentException("path, options and params must not be null");
        }
        LabelsSection.Reader read = new LabelsSection.Reader();
        DiskIndex disk = DiskIndex.open(path, options, read);
        try {
            LabelsSection.Contents c = read.contents();
            if (c == null) {
                throw new IOException("disk index " + path + " holds no labels (written from an index without them):"
                        + " open it with DiskIndex.open and label it with FilteredIndex.of and a label file");
            }
            LabelStore store = new LabelStore(c.universal());
            LabelsSection.fill(c, store, disk::contains, disk.size(), path);
            // ids may be sparse (a labeled index consolidated before it was written): they are below byId's length
            FilteredIndex fi = new FilteredIndex(disk, store, params, Math.max(1, c.byId().length));
            fi.constraint(LabelsSection.constraint(c, store, disk::contains, path));
            return fi;
        } catch (IOException | RuntimeException e) {
            disk.close();
            throw e;
        }
    }
}
