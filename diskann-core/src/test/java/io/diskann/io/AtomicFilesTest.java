package io.diskann.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Atomic writes leave no temp files behind, clean up those of killed saves, and follow the umask. */
class AtomicFilesTest {

    @TempDir
    Path dir;

    @Test
    void staleTempsOfKilledSavesAreRemovedFreshOnesAndOtherFilesKept() throws Exception {
        Path target = dir.resolve("a.idx");
        Path stale = dir.resolve("a.idx.3f9c2a7b11d04e55.tmp");
        Path fresh = dir.resolve("a.idx.7a.tmp");
        Path foreign = dir.resolve("a.idx.backup.tmp");
        Path otherIndex = dir.resolve("b.idx.3f9c2a7b11d04e55.tmp");
        for (Path p : new Path[] {stale, fresh, foreign, otherIndex}) {
            Files.write(p, new byte[] {1, 2, 3});
        }
        FileTime old = FileTime.fromMillis(System.currentTimeMillis() - 2 * AtomicFiles.STALE_TEMP_MILLIS);
        for (Path p : new Path[] {stale, foreign, otherIndex}) {
            Files.setLastModifiedTime(p, old);
        }
        AtomicFiles.write(target, ch -> ch.write(ByteBuffer.wrap(new byte[] {42})));
        assertFalse(Files.exists(stale), "stale temp of this file removed");
        assertTrue(Files.exists(fresh), "a temp still being written (recent) is kept");
        assertTrue(Files.exists(foreign), "a file not named like our temps is kept");
        assertTrue(Files.exists(otherIndex), "another file's temp is kept");
        assertEquals(1, Files.size(target));
        try (var s = Files.list(dir)) {
            assertEquals(4, s.count(), "target, fresh, foreign, other: the save left no temp of its own");
        }
    }

    @Test
    void namesWithGlobCharactersAreCleanedToo() throws Exception {
        Path target = dir.resolve("run[1]{a,b}*.idx");
        Path stale = dir.resolve("run[1]{a,b}*.idx.0ff1ce.tmp");
        Files.write(stale, new byte[] {1});
        Files.setLastModifiedTime(stale, FileTime.fromMillis(System.currentTimeMillis() - 2 * AtomicFiles.STALE_TEMP_MILLIS));
        AtomicFiles.write(target, ch -> ch.write(ByteBuffer.wrap(new byte[] {7})));
        assertFalse(Files.exists(stale), "stale temp removed although the name holds glob characters");
        assertEquals(1, Files.size(target));
    }

    @Test
    void savedFilesFollowTheUmaskNotOwnerOnly() throws Exception {
        Path target = dir.resolve("perm.idx");
        AtomicFiles.write(target, ch -> ch.write(ByteBuffer.wrap(new byte[] {1})));
        Path plain = Files.createFile(dir.resolve("plain"));
        Set<PosixFilePermission> expected = Files.getPosixFilePermissions(plain);
        assertEquals(expected, Files.getPosixFilePermissions(target), "same mode as any file this process creates");
    }
}
