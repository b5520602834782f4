package io.diskann.filter;

import io.diskann.disk.PartitionLinking;
import io.diskann.graph.LinkConstraint;
import io.diskann.graph.VamanaIndex;
import io.diskann.graph.VectorSource;
import io.diskann.io.FormatWriter;
import java.util.List;

/**
 * Filtered- or Stitched-Vamana over a vector file too large for the heap ({@link DiskLabels#build}): each part
 * of the partitioned disk build is built as an in-memory {@link LabeledIndex} over its members' labels, the
 * parts are merged and refined under Filtered-Vamana's rules over the whole set ({@link PackedLinkConstraint}),
 * and the file's labels section holds the whole set's label start points, from which the refinement pass
 * searched. When the graph fits the budget it is one {@link LabeledIndex}, as {@link DiskLabels#write} lays out.
 */
final class LabelAwarePartitions implements PartitionLinking {

    /** The seed of the whole set's start points (as {@link LabeledIndex}'s in-memory build). */
    private static final long START_SEED = 0x5EED;

    private final LabelSets labels;
    private final FilterBuild mode;
    private PackedLinkConstraint constraint;
    private LabeledIndex onePiece;

    LabelAwarePartitions(LabelSets labels, FilterBuild mode) {
        if (mode == FilterBuild.NONE) {
            throw new IllegalArgumentException("a label-aware build is FILTERED or STITCHED, not NONE");
        }
        this.labels = labels;
        this.mode = mode;
    }

    @Override
    public void buildPart(VamanaIndex part, int[] members, VectorSource vectors, boolean whole,
                          io.diskann.graph.BuildListener progress) {
        int[][] partLabels = new int[members.length][];
        for (int i = 0; i < members.length; i++) {
            partLabels[i] = labels.labelsOf(members[i]);
        }
        // the wrapper is not closed: the caller closes the index, and the labels are garbage after the merge
        LabeledIndex li = LabeledIndex.wrap(part, labels.universalLabel(), FilterParams.defaults());
        li.build(members.length, vectors, partLabels, mode, progress);
        onePiece = whole ? li : null;
    }

    /**
     * A part's labels: each member's array in its {@link LabelStore} and the build's copies (~3 x (16 + 4 + 4 per
     * label) bytes), its bitsets; Stitched-Vamana's per-label graphs and candidate lists on top (a guess of one
     * more list per vector, not measured: the 1M build in a 384 MiB heap stayed at 265 MB live).
     */
    @Override
    public long heapPerVector() {
        return mode == FilterBuild.STITCHED ? 384 : 128;
    }

    /** The packed sets (4 bytes a vector and a label), the summaries (8 a vector), the start-point sampling. */
    @Override
    public long wholeSetHeapBytes() {
        long labelInts = labels.offsets()[labels.size()];
        return 12L * labels.size() + 4L * labelInts + 100L * labels.labelLimit();
    }

    @Override
    public synchronized LinkConstraint constraint() {
        if (constraint == null) {
            constraint = new PackedLinkConstraint(labels, START_SEED);
        }
        return constraint;
    }

    @Override
    public List<FormatWriter.Section> sections(boolean wasOnePiece) {
        if (wasOnePiece) {
            if (onePiece == null) {
                throw new IllegalStateException("no graph was built over every vector");
            }
            return List.of(onePiece.labelsSection());
        }
        return List.of(LabelsSection.of(labels, mode, ((PackedLinkConstraint) constraint()).startPairs()));
    }
}
