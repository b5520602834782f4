package io.diskann.io;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Writes a file so a crash at any moment leaves either the old file or the complete new one: the body
 * goes to a temporary file beside the target, which is forced to disk, renamed over the target, and the
 * directory is synced. The temporary file is created like any other file (its mode follows the umask).
 * A save killed half-way leaves its temporary file; the next save (and the indexes' loads) of the same
 * target removes such leftovers once they are a minute old ({@link #removeStaleTemps}).
 */
public final class AtomicFiles {

    /** Writes a file's contents to an open channel. */
    @FunctionalInterface
    public interface Body {
        /**
         * Writes the whole body; {@link AtomicFiles#write} then forces, closes and renames the file.
         *
         * @param channel the temporary file, open for writing at offset 0
         * @throws IOException if writing fails; the temporary file is then deleted
         */
        void write(FileChannel channel) throws IOException;
    }

    private AtomicFiles() {
    }

    /**
     * Writes {@code target} atomically with {@code body}, creating its parent directories if needed.
     *
     * @param target the file to create or replace
     * @param body writes the new contents
     * @throws IOException if writing, forcing or renaming fails; the target is then left as it was
     */
    public static void write(Path target, Body body) throws IOException {
        Path abs = target.toAbsolutePath();
        Path dir = abs.getParent();
        if (dir != null) {
            Files.createDirectories(dir);
        }
        removeStaleTemps(abs);
        Path tmp = abs.resolveSibling(abs.getFileName() + "." + Long.toHexString(ThreadLocalRandom.current().nextLong())
                + ".tmp");
        boolean done = false;
        try {
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                body.write(ch);
                ch.force(true);
            }
            try {
                Files.move(tmp, abs, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, abs, StandardCopyOption.REPLACE_EXISTING);
            }
            done = true;
            syncDirectory(dir);
        } finally {
            if (!done) {
                Files.deleteIfExists(tmp);
            }
        }
    }

    /** Temp files untouched for this long belong to a save that died (a live save writes continuously). */
    static final long STALE_TEMP_MILLIS = 60_000;

    /**
     * Deletes {@code target}'s temp files ({@code NAME.<hex>.tmp}) left by saves that were killed, so they
     * do not pile up beside the index. Only files not modified for {@link #STALE_TEMP_MILLIS} are removed,
     * so a save running in another process at the same moment keeps its temp file.
     *
     * @param target the file whose temp files to look for
     * @return how many were removed
     */
    public static int removeStaleTemps(Path target) {
        Path abs = target.toAbsolutePath();
        Path dir = abs.getParent();
        if (dir == null || !Files.isDirectory(dir)) {
            return 0;
        }
        String prefix = abs.getFileName() + ".";
        long cutoff = System.currentTimeMillis() - STALE_TEMP_MILLIS;
        int removed = 0;
        // a filter, not a glob: index names may hold glob characters ("run[1].idx")
        try (var entries = Files.newDirectoryStream(dir, p -> {
            String n = p.getFileName().toString();
            return n.startsWith(prefix) && n.endsWith(".tmp");
        })) {
            for (Path p : entries) {
                String name = p.getFileName().toString();
                String middle = name.substring(prefix.length(), name.length() - ".tmp".length());
                if (!middle.matches("[0-9a-f]{1,16}")) {
                    continue; // not one of ours (another file whose name happens to start like this one)
                }
                try {
                    if (Files.getLastModifiedTime(p).toMillis() < cutoff && Files.deleteIfExists(p)) {
                        removed++;
                    }
                } catch (IOException ignored) {
                    // gone meanwhile or not ours to delete: leave it
                }
            }
        } catch (IOException ignored) {
            // an unreadable directory only means nothing is cleaned; the save itself reports real errors
        }
        return removed;
    }

    private static void syncDirectory(Path dir) {
        if (dir == null) {
            return;
        }
        try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
            d.force(true);
        } catch (IOException | UnsupportedOperationException ignored) {
            // not every platform can fsync a directory; the rename itself is still atomic
        }
    }
}
