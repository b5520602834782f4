package io.diskann.io;

import io.diskann.graph.VamanaIndex;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.function.IntFunction;

/**
 * The seam through which this project's other modules save their data inside a graph index's file and
 * read it back ({@code diskann-pq} its codebook and codes, {@code diskann-filter} its labels), so that
 * one save is one file and one atomic rename. On the module path applications cannot reach it (this
 * package is exported only to the sibling modules); on the class path nothing can hide a public class,
 * so it is documented as internal and may change without notice. The graph package registers the implementation when
 * {@link VamanaIndex} is initialised (the JDK's "shared secrets" pattern), which keeps the graph's file
 * code package-private.
 */
public final class IndexFiles {

    /** Reads sections saved with a graph that the graph itself does not know. */
    @FunctionalInterface
    public interface ExtraSections {
        /**
         * Reads {@code section} if it is one of the caller's, ending it.
         *
         * @param file the file being read (for corruption reports and bounds)
         * @param section the section, positioned at its body
         * @return true if read and ended; false to have it skipped (checksummed)
         * @throws IOException if the section is corrupt or cannot be read
         */
        boolean read(FormatReader file, FormatReader.Section section) throws IOException;
    }

    /** What the graph package implements. */
    public interface Access {
        /**
         * Saves {@code index} with {@code extra} sections after its own, atomically, as
         * {@link VamanaIndex#save} does; the extra sections are written under the same locks.
         *
         * @param index the index
         * @param path the file
         * @param extra makes the sections to append from the number of slots the graph writes; called and
         *     written while mutations wait
         * @throws IOException if writing fails
         */
        void save(VamanaIndex index, Path path, IntFunction<List<FormatWriter.Section>> extra) throws IOException;

        /**
         * Loads a graph index, handing sections it does not know to {@code extra}.
         *
         * @param path the file
         * @param map map the vectors instead of copying them
         * @param extra reads the caller's sections
         * @return the index
         * @throws IOException if the file is missing, corrupt or unreadable
         */
        VamanaIndex load(Path path, boolean map, ExtraSections extra) throws IOException;
    }

    private static volatile Access access;

    private IndexFiles() {
    }

    /**
     * Registers the graph package's implementation (called once, by {@link VamanaIndex}).
     *
     * @param impl the implementation
     */
    public static void register(Access impl) {
        access = impl;
    }

    /**
     * The implementation, initialising {@link VamanaIndex} if needed.
     *
     * @return the graph package's implementation
     */
    public static Access access() {
        Access a = access;
        if (a == null) {
            try {
                Class.forName(VamanaIndex.class.getName(), true, VamanaIndex.class.getClassLoader());
            } catch (ClassNotFoundException e) {
                throw new IllegalStateException(e);
            }
            a = access;
        }
        return a;
    }
}
