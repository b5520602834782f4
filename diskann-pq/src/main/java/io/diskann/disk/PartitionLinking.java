package io.diskann.disk;

import io.diskann.graph.LinkConstraint;
import io.diskann.graph.VamanaIndex;
import io.diskann.graph.VectorSource;
import io.diskann.io.FormatWriter;
import java.util.List;

/**
 * How {@link DiskIndexBuilder} links a graph when the graph is not plain Vamana: diskann-filter's
 * Filtered- and Stitched-Vamana builds, whose rules depend on labels this module does not know.
 *
 * <p>Why a seam: a label-aware graph over vectors larger than the heap has to be built the partitioned
 * way too. The builder keeps the partitioning, the merge and the refinement pass. The implementation
 * builds each part's graph with its own rules, gives the rule the merge's prunes and the refinement
 * pass apply over the whole set ({@link #constraint}), and writes its sections after the graph
 * ({@link #sections}). With no linking the build is plain Vamana, as before.
 *
 * <p>Calls come from one thread, in this order: {@link #constraint} (partitioned builds only, before the
 * parts), {@link #buildPart} once per part (or per piece, when a part is built in pieces to fit the heap; once
 * over every vector when the graph fits the memory budget), then {@link #sections}. The constraint is used from
 * the build's threads at once.
 */
public interface PartitionLinking {

    /**
     * Builds the graph of one part into {@code part}, an empty index whose id i is vector
     * {@code members[i]}.
     *
     * @param part the empty index to build (closed by the caller)
     * @param members the part's vectors, by id in the whole set
     * @param vectors the part's vectors by position in {@code members} (safe to read from several threads)
     * @param whole whether this is the one graph over every vector (the build fits its budget), whose own
     *     labels and start points {@link #sections}{@code (true)} then writes
     * @param progress told the build's progress, as {@link VamanaIndex#build(int, VectorSource,
     *     io.diskann.graph.BuildListener)} is (from worker threads)
     */
    void buildPart(VamanaIndex part, int[] members, VectorSource vectors, boolean whole,
                   io.diskann.graph.BuildListener progress);

    /**
     * Heap bytes per vector a part's build needs beyond the graph's own (the members' labels, the rules' state),
     * so that the builder sizes parts to the heap with them.
     *
     * @return the bytes (0 by default)
     */
    default long heapPerVector() {
        return 0;
    }

    /**
     * Heap bytes held for the whole set throughout a partitioned build (every vector's labels, the rule's state).
     *
     * @return the bytes (0 by default)
     */
    default long wholeSetHeapBytes() {
        return 0;
    }

    /**
     * The linking rule over ids of the whole set: the merge keeps an edge another one would occlude only
     * if the rule says it may not, and the refinement pass starts and filters its searches by it.
     *
     * @return the rule (not null)
     */
    LinkConstraint constraint();

    /**
     * The sections to write after the disk index's own, once the graph is built.
     *
     * @param onePiece whether the graph was built in one piece ({@link #buildPart} over every vector)
     * @return the sections (empty for none)
     */
    List<FormatWriter.Section> sections(boolean onePiece);
}
