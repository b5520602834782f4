package io.diskann.disk;

import io.diskann.index.CorruptIndexException;
import io.diskann.io.ChecksumReader;
import io.diskann.io.FormatReader;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.util.zip.CRC32C;
import org.agrona.collections.Int2IntHashMap;

/**
 * A disk index's ids by node and nodes by id, in RAM: what filters on ids (a predicate tested on every
 * scored neighbour before its record is read) and look-ups by id need. Immutable, so searchers share it.
 *
 * <p>Why two shapes: ids are usually a permutation of 0..n-1 (input positions renumbered breadth-first),
 * and an inverse array of 4 bytes per vector answers {@link #nodeOf}; any other ids need a hash map.
 *
 * <p>v3 files hold each node's id in its record too, so the table is read only when first needed
 * ({@link #read}), and checked then against the checksum its section had when the index opened
 * ({@link #checksum}).
 */
final class IdTable {

    private final int[] ids;
    private final int[] nodeOfDenseId;
    private final Int2IntHashMap nodeOfId;

    IdTable(int[] ids) {
        this.ids = ids;
        int[] inverse = new int[ids.length];
        java.util.Arrays.fill(inverse, -1);
        boolean dense = true;
        for (int i = 0; i < ids.length && dense; i++) {
            int id = ids[i];
            dense = id >= 0 && id < ids.length && inverse[id] < 0;
            if (dense) {
                inverse[id] = i;
            }
        }
        if (dense) {
            this.nodeOfDenseId = inverse;
            this.nodeOfId = null;
        } else {
            this.nodeOfDenseId = null;
            this.nodeOfId = new Int2IntHashMap(ids.length * 2, 0.5f, -1);
            for (int i = 0; i < ids.length; i++) {
                nodeOfId.put(ids[i], i);
            }
        }
    }

    int idOf(int node) {
        return ids[node];
    }

    /** The node of {@code id}, or -1 if the index does not hold it. */
    int nodeOf(int id) {
        if (nodeOfDenseId != null) {
            return id >= 0 && id < nodeOfDenseId.length ? nodeOfDenseId[id] : -1;
        }
        return nodeOfId.get(id);
    }

    /** Bytes held: the ids and the inverse. */
    long bytes() {
        return 4L * ids.length + (nodeOfDenseId != null ? 4L * ids.length : 8L * nodeOfId.capacity());
    }

    /** Reads and checks the "ids" section's body: {@code n} non-negative int32. */
    static int[] readSection(FormatReader r, FormatReader.Section is, int n) throws IOException {
        int[] ids = r.guard(() -> {
            if (is.length() != 4L * n) {
                throw is.corrupt("length", is.length(), "expected " + 4L * n + " for " + n + " ids");
            }
            int[] v = new int[n];
            ChecksumReader in = is.in();
            for (int i = 0; i < n; i++) {
                v[i] = in.i32();
                if (v[i] < 0) {
                    throw is.corrupt("id[" + i + "]", v[i], "negative id");
                }
            }
            return v;
        });
        is.end();
        return ids;
    }

    /** CRC32C of the ids as little-endian int32, the bytes the section holds. */
    static int checksum(int[] ids) {
        CRC32C crc = new CRC32C();
        ByteBuffer b = ByteBuffer.allocate(4096).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < ids.length; ) {
            b.clear();
            while (b.hasRemaining() && i < ids.length) {
                b.putInt(ids[i++]);
            }
            b.flip();
            crc.update(b);
        }
        return (int) crc.getValue();
    }

    /**
     * Reads the {@code n} ids at {@code offset} through {@code channel} (opened with the index, so a file
     * replaced at its path since does not matter; aligned reads, so a direct-I/O channel serves too) and
     * checks them against {@code expectedCrc}, the section's checksum when the index opened.
     *
     * @throws IllegalStateException if they cannot be read or no longer match
     */
    static IdTable read(FileChannel channel, Path path, long offset, int n, int expectedCrc) {
        int[] ids = new int[n];
        long start = offset & -DiskLayout.SECTOR;
        long end = offset + 4L * n;
        int chunkBytes = 1 << 20;
        ByteBuffer buf = ByteBuffer.allocateDirect(chunkBytes + DiskLayout.SECTOR).alignedSlice(DiskLayout.SECTOR)
                .order(ByteOrder.LITTLE_ENDIAN);
        try {
            int next = 0;
            for (long at = start; at < end; at += chunkBytes) {
                buf.clear().limit((int) Math.min(chunkBytes, (end - at + DiskLayout.SECTOR - 1) & -DiskLayout.SECTOR));
                while (buf.hasRemaining()) {
                    if (channel.read(buf, at + buf.position()) < 0) {
                        break;
                    }
                }
                buf.flip();
                buf.position((int) (Math.max(at, offset) - at));
                while (next < n && buf.remaining() >= 4) {
                    ids[next++] = buf.getInt();
                }
            }
            if (next != n || checksum(ids) != expectedCrc) {
                throw new CorruptIndexException(path, "ids", next, "the ids read now do not match those checked"
                        + " when the index opened (the file changed underneath, or the disk is failing)");
            }
        } catch (IOException e) {
            throw new IllegalStateException("disk index " + path + ": cannot read its ids: " + e.getMessage(), e);
        }
        return new IdTable(ids);
    }
}
