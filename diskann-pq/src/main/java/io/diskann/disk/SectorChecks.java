package io.diskann.disk;

import io.diskann.index.CorruptIndexException;
import java.nio.file.Path;

/** The one error for a node sector whose bytes do not match their checksum, wherever it is read. */
final class SectorChecks {
    private SectorChecks() {
    }

    /** A damaged sector, named by number, with the checksum stored and the one computed. */
    static CorruptIndexException mismatch(Path path, long sector, int stored, int computed) {
        return new CorruptIndexException(path, "nodes.sector[" + sector + "]", String.format("%08x", stored),
                "sector checksum mismatch (computed " + String.format("%08x", computed) + "): the file is damaged there");
    }
}
