package io.diskann.filter;

import io.diskann.index.CorruptIndexException;
import io.diskann.io.ChecksumReader;
import io.diskann.io.FormatReader;
import io.diskann.io.FormatWriter;
import io.diskann.io.IndexFiles;
import java.io.IOException;
import java.nio.file.Path;
import java.util.function.IntPredicate;

/**
 * The "labels" section a {@link LabeledIndex} saves inside its graph's file, and {@link DiskLabels} inside a
 * disk index file (one file, one atomic rename, the format layer's checksums): the universal label, the next id, then per id below a bound its label
 * count (-1: no vector has that id) and its sorted labels. Version 2 adds how the graph was built
 * ({@link FilterBuild} ordinal) and the label start points of a label-aware graph as (label, id) pairs;
 * version 1 files read as {@link FilterBuild#NONE}.
 */
final class LabelsSection {

    static final String NAME = "labels";
    static final int VERSION = 2;

    /** What the section holds; {@code starts} holds (label, id) pairs. */
    record Contents(int universal, int nextId, int[][] byId, FilterBuild build, int[] starts) {
    }

    private LabelsSection() {
    }

    /** Reads the labels section out of a graph or disk index file as it is opened, keeping its contents. */
    static final class Reader implements IndexFiles.ExtraSections {
        private Contents contents;

        @Override
        public boolean read(FormatReader file, FormatReader.Section section) throws IOException {
            if (!section.name().equals(NAME)) {
                return false;
            }
            contents = LabelsSection.read(file, section);
            return true;
        }

        /** The section's contents, or null if the file had none. */
        Contents contents() {
            return contents;
        }
    }

    /**
     * The section for the ids {@code present} accepts (those in the graph being saved).
     *
     * @param byId labels by id (a snapshot; null entries: no labels stored)
     * @param universal the universal label or -1
     * @param nextId the next id an insert takes
     * @param present whether an id's vector is in the graph saved with it
     * @param build how the graph was built
     * @param starts the label start points as (label, id) pairs (empty for a plain graph)
     * @return the section
     */
    static FormatWriter.Section section(int[][] byId, int universal, int nextId, IntPredicate present, FilterBuild build,
                                        int[] starts) {
        int bound = byId.length;
        while (bound > 0 && (byId[bound - 1] == null || !present.test(bound - 1))) {
            bound--;
        }
        int[][] kept = new int[bound][];
        long labelInts = 0;
        for (int id = 0; id < bound; id++) {
            if (byId[id] != null && present.test(id)) {
                kept[id] = byId[id];
                labelInts += kept[id].length;
            }
        }
        return section(universal, nextId, bound, id -> kept[id], labelInts, build, starts);
    }

    /**
     * The section over ids {@code 0..n-1}: {@code setOf(id)} is an id's sorted labels, or null for an id not
     * in the graph; {@code labelInts} is the sum of the sets' lengths (the section's length is declared
     * before its body is written).
     */
    private static FormatWriter.Section section(int universal, int nextId, int n, java.util.function.IntFunction<int[]> setOf,
                                                long labelInts, FilterBuild build, int[] starts) {
        long length = 12 + 4L * n + 4L * labelInts + 8 + 4L * starts.length;
        return new FormatWriter.Section(NAME, VERSION, length, 4, w -> {
            w.i32(universal);
            w.i32(nextId);
            w.i32(n);
            for (int id = 0; id < n; id++) {
                int[] s = setOf.apply(id);
                w.i32(s == null ? -1 : s.length);
                if (s != null) {
                    w.ints(s, s.length);
                }
            }
            w.i32(build.ordinal());
            w.i32(starts.length / 2);
            w.ints(starts, starts.length);
        });
    }

    /**
     * The section of a plain graph (build mode {@link FilterBuild#NONE}, no start points) whose vectors are
     * {@code labels}' points, every id present. It reads {@code labels} while the file is written, so the
     * compact sets are never copied into one array per vector (the disk build from a vector file runs
     * where the heap is short).
     *
     * @param labels point i's labels are vector i's
     * @return the section
     */
    static FormatWriter.Section plainGraph(LabelSets labels) {
        return of(labels, FilterBuild.NONE, new int[0]);
    }

    /**
     * The section of a graph over {@code labels}' points, every id present, built as {@code build} with the
     * label start points {@code starts} ((label, id) pairs); read while the file is written, as {@link #plainGraph}.
     */
    static FormatWriter.Section of(LabelSets labels, FilterBuild build, int[] starts) {
        int n = labels.size();
        long labelInts = 0;
        for (int id = 0; id < n; id++) {
            labelInts += labels.labelCount(id);
        }
        return section(labels.universalLabel(), n, n, labels::labelsOf, labelInts, build, starts);
    }

    /**
     * Reads the section, checking every count against the bytes left before allocating and every set for
     * order.
     *
     * @param file the file
     * @param s the section at its body
     * @return its contents
     * @throws IOException if it is corrupt or unreadable
     */
    static Contents read(FormatReader file, FormatReader.Section s) throws IOException {
        if (s.version() != 1 && s.version() != VERSION) {
            throw s.corrupt("version", s.version(), "unsupported labels section version (this build reads " + VERSION + ")");
        }
        Contents c = file.guard(() -> {
            ChecksumReader in = s.in();
            int universal = in.i32();
            int nextId = in.i32();
            int bound = in.i32();
            if (universal < -1) {
                throw s.corrupt("universal", universal, "a label is >= 0, or -1 for none");
            }
            if (bound < 0 || nextId < bound) {
                throw s.corrupt("bound", bound, "outside 0..nextId (" + nextId + ")");
            }
            s.require("ids", bound, 4);
            int[][] byId = new int[bound][];
            for (int id = 0; id < bound; id++) {
                int count = in.i32();
                if (count == -1) {
                    continue;
                }
                if (count < 0) {
                    throw s.corrupt("labels[" + id + "].count", count, "negative");
                }
                s.require("labels[" + id + "]", count, 4);
                int[] set = new int[count];
                for (int j = 0; j < count; j++) {
                    set[j] = in.i32();
                    if (set[j] < 0 || (j > 0 && set[j] <= set[j - 1])) {
                        throw s.corrupt("labels[" + id + "][" + j + "]", set[j], "labels are >= 0, sorted, distinct");
                    }
                }
                byId[id] = set;
            }
            FilterBuild build = FilterBuild.NONE;
            int[] starts = new int[0];
            if (s.version() >= 2) {
                int mode = in.i32();
                if (mode < 0 || mode >= FilterBuild.values().length) {
                    throw s.corrupt("build", mode, "not a graph build (0.." + (FilterBuild.values().length - 1) + ")");
                }
                build = FilterBuild.values()[mode];
                int pairs = in.i32();
                if (pairs < 0) {
                    throw s.corrupt("starts", pairs, "negative");
                }
                s.require("starts", pairs, 8);
                starts = new int[2 * pairs];
                for (int i = 0; i < starts.length; i += 2) {
                    starts[i] = in.i32();
                    starts[i + 1] = in.i32();
                    if (starts[i] < 0 || starts[i] > LabelSets.MAX_LABEL || starts[i + 1] < 0 || starts[i + 1] >= nextId) {
                        throw s.corrupt("starts[" + i / 2 + "]", starts[i + 1], "a start point is a label in 0.." + LabelSets.MAX_LABEL + " and an id below "
                                + nextId);
                    }
                }
            }
            return new Contents(universal, nextId, byId, build, starts);
        });
        s.end();
        return c;
    }
    /**
     * Stores {@code c}'s labels into {@code store}, checking that they cover exactly the ids of the index
     * they were saved with.
     *
     * @param c the section's contents
     * @param store receives the labels
     * @param present whether the index holds an id
     * @param size how many vectors the index holds
     * @param path the file, for corruption reports
     * @throws CorruptIndexException if labels name an id the index lacks or miss one it holds
     */
    static void fill(Contents c, LabelStore store, IntPredicate present, int size, Path path) throws CorruptIndexException {
        int withLabels = 0;
        for (int id = 0; id < c.byId().length; id++) {
            if (c.byId()[id] != null) {
                if (!present.test(id)) {
                    throw new CorruptIndexException(path, "labels[" + id + "]", id, "labels for an id the graph does not hold");
                }
                store.set(id, c.byId()[id]);
                withLabels++;
            }
        }
        if (withLabels != size) {
            throw new CorruptIndexException(path, "labels", withLabels, "labels for " + withLabels + " ids, the graph holds "
                    + size + " vectors");
        }
    }

    /**
     * The label-aware graph's rules and start points over {@code store}, or null for a plain graph.
     *
     * @param c the section's contents
     * @param store the labels (filled)
     * @param present whether the index holds an id
     * @param path the file, for corruption reports
     * @return the constraint, or null when {@code c} describes a plain graph
     * @throws CorruptIndexException if a start point is not in the index
     */
    static LabelLinkConstraint constraint(Contents c, LabelStore store, IntPredicate present, Path path)
            throws CorruptIndexException {
        if (c.build() == FilterBuild.NONE) {
            return null;
        }
        int limit = 0;
        for (int i = 0; i < c.starts().length; i += 2) {
            limit = Math.max(limit, c.starts()[i] + 1);
        }
        LabelLinkConstraint constraint = new LabelLinkConstraint(store, limit);
        for (int i = 0; i < c.starts().length; i += 2) {
            if (!present.test(c.starts()[i + 1])) {
                throw new CorruptIndexException(path, "labels.starts", c.starts()[i + 1],
                        "the start point of label " + c.starts()[i] + " is not in the graph");
            }
            constraint.setStart(c.starts()[i], c.starts()[i + 1]);
        }
        return constraint;
    }

    /**
     * Whether {@code path} (a graph index or a disk index file) holds a labels section. Reads only the
     * section headers.
     *
     * @param path the file
     * @return true if it holds labels
     * @throws IOException if it is missing, not a file of this format, or unreadable
     */
    static boolean presentIn(Path path) throws IOException {
        if (!FormatReader.isFormatFile(path)) {
            return false; // a file of the first format (before sections): it cannot hold labels
        }
        try (FormatReader r = FormatReader.openAnyCodec(path)) {
            while (r.hasNext()) {
                FormatReader.Section s = r.next();
                if (s.name().equals(NAME)) {
                    return true;
                }
                s.skipUnchecked();
            }
        }
        return false;
    }
}
