package io.diskann.disk;

import io.diskann.index.CorruptIndexException;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.UncheckedIOException;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.ClosedByInterruptException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.FileChannel;
import java.util.zip.CRC32C;

/**
 * The read buffers of one {@link DiskReader}, one per slot (a read in flight), and what is done to them
 * whatever the I/O mode: a positional read of a node's sectors, and the check of each sector read against
 * its checksum. Why a class of its own: the reader's own work is deciding which slot holds which node and
 * when (pipelined or in rounds, kernel AIO or I/O threads); reading and verifying sectors is the same in
 * every case. Buffers are aligned to the sector size, as direct (O_DIRECT) reads require.
 *
 * <p>Slots are read on several threads at once (the I/O pool reads a round's slots in parallel), so each
 * slot has its own checksum state; one slot is used by one thread at a time. Allocation-free per read.
 */
final class SlotSectors {

    private final DiskIndex index;
    private final DiskLayout layout;
    private final ByteBuffer[] buffers;
    private final MemorySegment[] segments;
    private final CRC32C[] crcs;
    /** A view of each slot's buffer for its checksums, made once. */
    private final ByteBuffer[] crcViews;

    SlotSectors(DiskIndex index, int slots) {
        this.index = index;
        this.layout = index.layout();
        this.buffers = new ByteBuffer[slots];
        this.segments = new MemorySegment[slots];
        this.crcs = new CRC32C[slots];
        this.crcViews = new ByteBuffer[slots];
        for (int i = 0; i < slots; i++) {
            buffers[i] = ByteBuffer.allocateDirect(layout.readBytes() + DiskLayout.SECTOR).alignedSlice(DiskLayout.SECTOR)
                    .order(ByteOrder.LITTLE_ENDIAN);
            segments[i] = MemorySegment.ofBuffer(buffers[i]);
            crcs[i] = new CRC32C();
            crcViews[i] = buffers[i].duplicate();
        }
    }

    /** Each slot's buffer as a segment (the records are read from these). */
    MemorySegment[] segments() {
        return segments;
    }

    /** The file offset of the first sector holding {@code node}. */
    long positionOf(int node) {
        return index.nodesOffset() + layout.sectorOf(node) * DiskLayout.SECTOR;
    }

    /**
     * Reads {@code node}'s sectors into slot {@code j}'s buffer with positional reads and checks their
     * checksums. A read that another thread's interrupt closed the shared channel under is retried on a new
     * channel; this thread's own interrupt fails its read.
     *
     * @throws UncheckedIOException on an I/O error, an interrupt, a truncated file or a checksum mismatch
     */
    void read(int j, int node) {
        ByteBuffer b = buffers[j];
        b.clear().limit(layout.readBytes());
        long sector = layout.sectorOf(node);
        long position = positionOf(node);
        for (int attempt = 0; ; attempt++) {
            FileChannel channel = index.channel();
            try {
                while (b.hasRemaining()) {
                    int r = channel.read(b, position + b.position());
                    if (r < 0) {
                        throw new CorruptIndexException(index.path(), "nodes.sector[" + sector + "]", null,
                                "the file ends inside the node section (truncated)");
                    }
                }
                check(j, node);
                return;
            } catch (ClosedByInterruptException e) {
                // this thread was interrupted: its search fails, the channel is reopened for the others
                index.replaceClosedChannel(channel);
                throw new UncheckedIOException(new InterruptedIOException(
                        "disk read interrupted (the thread's interrupt status is set)"));
            } catch (ClosedChannelException e) {
                // another thread's interrupt closed the shared channel under this read: read again, as long
                // as this thread is not interrupted itself (a thread that keeps being interrupted elsewhere
                // may close the channel many times in a row; each retry uses a newer channel)
                if (Thread.currentThread().isInterrupted()) {
                    index.replaceClosedChannel(channel);
                    throw new UncheckedIOException(new InterruptedIOException(
                            "disk read interrupted (the thread's interrupt status is set)"));
                }
                if (attempt == 10_000) {
                    throw new UncheckedIOException(e);
                }
                index.replaceClosedChannel(channel);
                Thread.yield();
                b.clear().limit(layout.readBytes());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    /**
     * Checks each sector of {@code node} in slot {@code j}'s buffer against its checksum.
     *
     * @throws UncheckedIOException wrapping a {@link CorruptIndexException} on a mismatch
     */
    void check(int j, int node) {
        long sector = layout.sectorOf(node);
        ByteBuffer view = crcViews[j]; // no allocation per read
        CRC32C crc = crcs[j];
        for (int s = 0; s < layout.sectorsPerNode(); s++) {
            view.limit((s + 1) * DiskLayout.SECTOR).position(s * DiskLayout.SECTOR);
            crc.reset();
            crc.update(view);
            int stored = index.sectorCrc(sector + s);
            if ((int) crc.getValue() != stored) {
                throw new UncheckedIOException(SectorChecks.mismatch(index.path(), sector + s, stored, (int) crc.getValue()));
            }
        }
    }
}
