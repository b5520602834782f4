package io.diskann.disk;

import io.diskann.graph.GraphReader;
import io.diskann.index.CorruptIndexException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * One searcher's reader of the disk graph. Pipelined ({@link #asynchronous}, the default), {@link #submit}
 * asks for a node's record and {@link #next} hands records out in the order asked for; in rounds,
 * {@link #fetch} brings the W nodes of a search round into memory. Either way a record comes from the node
 * cache or from its sectors (read in parallel in direct mode), each sector's checksum is checked, and the
 * node's full-precision distance to the query is computed from the vector that arrived with it;
 * {@link #neighbors} then hands out the neighbour lists. The expanded nodes and their exact distances,
 * and those of the other records in the sectors read (the mates, when {@link DiskOptions#sectorMates}),
 * are what the searcher re-ranks. Not thread-safe; allocation-free per query once warm
 * (a parallel read submits one task object per extra read to the I/O pool's queue).
 */
final class DiskReader implements GraphReader {

    /**
     * The most prepared reads that go to the kernel in one call (see {@link #next}, which also keeps a batch
     * to half the reads outstanding); 1 submits each at once. A developer override
     * ({@code -Ddiskann.disk.submitBatch}) for A/B runs. Fashion-MNIST on tmpfs, L=30, medians of four
     * alternations with a fixed batch: 1 / 2 / 4 gave 4,040 / 4,100 / 4,268 QPS at W=2, 3,645 / 3,820 / 4,017
     * at W=4 and 2,878 / 3,268 / 3,401 at W=8; on this VM's SSD the three were within its drift. A fixed
     * batch of W degenerates into rounds (a read submitted just when it is needed), hence the half.
     */
    private static final int SUBMIT_BATCH = Integer.getInteger("diskann.disk.submitBatch", 4);
    private static final ValueLayout.OfInt I32 = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    private final DiskIndex index;
    private final DiskLayout layout;
    private final SlotSectors sectors;
    private final MemorySegment[] bufferSegments;
    private final MemorySegment[] slotSegment;
    private final long[] slotBase;
    private final int[] slotNode;
    private final boolean[] slotRead;
    /** Whether slot j's record lies in the mapped node section ({@link IoMode#MMAP}). */
    private final boolean[] slotMapped;
    private int slots;
    private final RecordScorer scorer;
    private final ReadTask[] tasks;
    private final AtomicInteger pending = new AtomicInteger();
    private volatile Thread waiter;
    /** Kernel asynchronous reads in direct mode on Linux (null: positional reads). */
    private LinuxAio aio;
    private boolean aioTried;
    private final long[] aioPositions;
    private final MemorySegment[] aioBuffers;
    private final int[] aioSlots;
    private volatile Throwable taskFailure;
    /** Pipelined reads (see {@link #asynchronous}): free slots, slots whose record has arrived, the one in use. */
    private final int[] freeSlots;
    private int freeCount;
    private final int[] queue;
    private int queueHead;
    private int queued;
    private final boolean[] arrived;
    private int currentSlot = -1;
    private int inFlight;
    /** Slots whose read is prepared but not yet submitted (see {@link #next}). */
    private final boolean[] unsubmitted;
    private final int[] reaped;

    // the expanded nodes of this query, their ids (from the records, or the id table for v1/v2 files) and
    // their exact distances
    int[] expandedNodes = new int[256];
    int[] expandedIds = new int[256];
    float[] expandedDistances = new float[256];
    int expandedCount;
    /** The other records of the sectors read (sector mates): scored, not expanded. */
    final SectorMates mates;
    /** Whether {@link #next} and {@link #fetch} score the sector mates of each read (searches only). */
    boolean scoreMates;
    long reads;
    long cacheHits;
    long ioNanos;
    /** Counts every record a search asks for, read or cached ({@link DiskIndex#cacheFromQueries}); null: none. */
    int[] visitCounts;

    DiskReader(DiskIndex index, int maxBeam) {
        this.index = index;
        this.layout = index.layout();
        this.scorer = new RecordScorer(index.metric(), index.vectorType(), layout.dimensions());
        this.mates = new SectorMates(index, scorer);
        this.sectors = new SlotSectors(index, maxBeam);
        this.bufferSegments = sectors.segments();
        this.slotSegment = new MemorySegment[maxBeam];
        this.slotBase = new long[maxBeam];
        this.slotNode = new int[maxBeam];
        this.slotRead = new boolean[maxBeam];
        this.slotMapped = new boolean[maxBeam];
        this.tasks = new ReadTask[maxBeam];
        this.aioPositions = new long[maxBeam];
        this.aioBuffers = new MemorySegment[maxBeam];
        this.aioSlots = new int[maxBeam];
        this.freeSlots = new int[maxBeam];
        this.queue = new int[maxBeam];
        this.arrived = new boolean[maxBeam];
        this.unsubmitted = new boolean[maxBeam];
        this.reaped = new int[maxBeam];
        for (int i = 0; i < maxBeam; i++) {
            tasks[i] = new ReadTask(i);
        }
    }

    int maxBeam() {
        return bufferSegments.length;
    }

    /** Starts a query: clears the expanded list and the counters. */
    void start(float[] q) {
        drainPipeline();
        freeCount = freeSlots.length;
        for (int i = 0; i < freeCount; i++) {
            freeSlots[i] = i;
        }
        queueHead = 0;
        queued = 0;
        currentSlot = -1;
        slots = 0;
        scorer.setQuery(q);
        expandedCount = 0;
        mates.clear();
        reads = 0;
        cacheHits = 0;
        ioNanos = 0;
    }

    /**
     * Whether the search loop pipelines its reads ({@link DiskOptions#pipelined}, the default): W reads stay
     * in flight and each record is scored as soon as it is the oldest one asked for, so CPU work overlaps
     * the reads (PipeANN, Guo and Lu, OSDI 2025; DiskANN waits for a round's W reads, then computes).
     * Records are handed out in the order they were asked for, whatever order the reads finish in, so every
     * I/O mode expands the same nodes and returns the same results; in direct mode on Linux the reads go to
     * the kernel together (AIO), in page-cache mode each is read when its turn comes. Direct mode without
     * kernel AIO (not Linux, or the context could not be opened) reads in rounds through the I/O threads
     * instead, where a pipeline would read one node at a time; its path may then differ from the other modes'.
     */
    @Override
    public boolean asynchronous() {
        return index.pipelined() && (aio() != null || index.ioMode() != IoMode.DIRECT || index.ioPool() == null);
    }

    @Override
    public void submit(int node) {
        releaseCurrent();
        slots = 0; // no round is open: neighbors() answers for the record next() hands out only
        if (freeCount == 0) {
            throw new IllegalStateException("more reads in flight than the reader's " + freeSlots.length + " buffers");
        }
        int j = freeSlots[--freeCount];
        queue[(queueHead + queued++) % queue.length] = j;
        boolean read = assign(j, node, index.cache());
        arrived[j] = !read;
        LinuxAio a = read ? aio() : null;
        if (a != null) {
            a.prepare(j, positionOf(node), bufferSegments[j], layout.readBytes());
            unsubmitted[j] = true;
            inFlight++;
        }
    }

    /**
     * Points slot {@code j} at {@code node}'s record: in the node cache (counted as a hit), or in the slot's
     * buffer, to be read (counted as a read). Returns whether it must be read.
     */
    private boolean assign(int j, int node, NodeCache cache) {
        slotNode[j] = node;
        if (visitCounts != null) {
            visitCounts[node]++;
        }
        long at = cache.offsetOf(node);
        if (at >= 0) {
            slotSegment[j] = cache.records();
            slotBase[j] = at;
            slotRead[j] = false;
            slotMapped[j] = false;
            cacheHits++;
            return false;
        }
        reads++;
        MappedNodes mapped = index.mapped();
        if (mapped != null) { // counted as a read; the page cache serves it, with no system call
            slotSegment[j] = mapped.segment();
            slotBase[j] = mapped.recordOffset(node);
            slotRead[j] = false;
            slotMapped[j] = true;
            return false;
        }
        slotSegment[j] = bufferSegments[j];
        slotBase[j] = layout.offsetInRead(node);
        slotRead[j] = true;
        slotMapped[j] = false;
        return true;
    }

    /** The file offset of the first sector holding {@code node}. */
    private long positionOf(int node) {
        return sectors.positionOf(node);
    }

    @Override
    public int next() {
        releaseCurrent();
        if (queued == 0) {
            throw new IllegalStateException("no read was asked for");
        }
        int j = queue[queueHead];
        queueHead = (queueHead + 1) % queue.length;
        queued--;
        // Reads asked for go to the kernel several at a time, or at once when the record handed out next is
        // among them: each io_submit costs the caller 20-40 us on the test VM whatever it carries, and in the
        // steady state a step asks for one read. A batch is at most half the reads outstanding (W), so at
        // least half stay in flight while the rest wait (W=2: each read at once; W=4: two at a time; W=8 and
        // up: SUBMIT_BATCH), and a read leaves at most batch - 1 hand-outs later. The path does not change
        // (records are handed out in the order they were asked for).
        int batch = Math.max(1, Math.min(SUBMIT_BATCH, (queued + 1) / 2));
        if (aio != null && aio.prepared() > 0 && (aio.prepared() >= batch || unsubmitted[j])) {
            long t0 = System.nanoTime();
            try {
                aio.submitPrepared();
            } catch (IOException e) {
                failPipeline();
                throw new UncheckedIOException(e);
            }
            java.util.Arrays.fill(unsubmitted, false);
            ioNanos += System.nanoTime() - t0;
        }
        if (!arrived[j]) {
            long t0 = System.nanoTime();
            if (aio != null && inFlight > 0) {
                awaitArrival(j);
            } else {
                read(j); // positional: page-cache mode, or no kernel AIO here
                arrived[j] = true;
            }
            ioNanos += System.nanoTime() - t0;
        }
        record(j, exactDistance(j));
        if (scoreMates) {
            recordMates(j);
        }
        currentSlot = j;
        return slotNode[j];
    }

    /** Reaps kernel reads until slot {@code j}'s has arrived, checking each arrival's sectors. */
    private void awaitArrival(int j) {
        while (!arrived[j]) {
            int got = reapSome();
            for (int i = 0; i < got; i++) {
                checkSectors(reaped[i]);
            }
        }
    }

    /** Waits for at least one pipelined read, marks those reaped as arrived; returns how many ({@link #reaped}). */
    private int reapSome() {
        int got;
        try {
            got = aio.reap(1, inFlight, reaped, layout.readBytes());
        } catch (IOException e) {
            failPipeline();
            throw new UncheckedIOException(e);
        }
        inFlight -= got;
        for (int i = 0; i < got; i++) {
            arrived[reaped[i]] = true;
        }
        return got;
    }

    /** Returns the slot whose list the search has read to the free ones. */
    private void releaseCurrent() {
        if (currentSlot >= 0) {
            freeSlots[freeCount++] = currentSlot;
            currentSlot = -1;
        }
    }

    /** Waits for pipelined reads a failed search left in flight, so none writes a buffer after reuse. */
    private void drainPipeline() {
        if (aio != null) {
            inFlight -= aio.discardPrepared();
        }
        java.util.Arrays.fill(unsubmitted, false);
        try {
            while (inFlight > 0 && aio != null) {
                reapSome();
            }
        } catch (UncheckedIOException e) {
            // the context is closed (io_destroy waited for the reads): later reads are positional
        }
        inFlight = 0;
    }

    /** After a failed pipelined read: destroy the context (it waits for reads in flight); read positionally after. */
    private void failPipeline() {
        if (aio != null) {
            aio.close();
            aio = null;
        }
        java.util.Arrays.fill(unsubmitted, false);
        inFlight = 0;
    }

    @Override
    public void fetch(int[] nodes, int count) {
        releaseCurrent();
        if (queued > 0 || inFlight > 0) {
            throw new IllegalStateException("a round fetched while " + (queued + inFlight)
                    + " pipelined reads are pending: the search must take them first");
        }
        NodeCache cache = index.cache();
        slots = count;
        int toRead = 0;
        for (int j = 0; j < count; j++) {
            toRead += assign(j, nodes[j], cache) ? 1 : 0;
        }
        if (toRead > 0) {
            long t0 = System.nanoTime();
            LinuxAio a = aio();
            if (a != null) {
                readAsync(a, count);
            } else if (toRead > 1 && index.ioPool() != null) {
                readParallel(count, toRead);
            } else {
                for (int j = 0; j < count; j++) {
                    if (slotRead[j]) {
                        read(j);
                    }
                }
            }
            ioNanos += System.nanoTime() - t0;
        }
        for (int j = 0; j < count; j++) {
            record(j, exactDistance(j));
            if (scoreMates) {
                recordMates(j);
            }
        }
    }

    /** Whether this reader reads through kernel AIO (opening its context if it has not yet). */
    boolean usesKernelAio() {
        return aio() != null;
    }

    /** The kernel AIO context of this reader, opened on first use in direct mode. */
    private LinuxAio aio() {
        if (!aioTried) {
            aioTried = true;
            if (index.ioMode() == IoMode.DIRECT && index.kernelAio() && LinuxAio.available()) {
                aio = LinuxAio.open(index.path(), bufferSegments.length);
            }
        }
        return aio;
    }

    /** Submits every read of the round at once and waits for them (no helper threads). */
    private void readAsync(LinuxAio a, int count) {
        int n = 0;
        for (int j = 0; j < count; j++) {
            if (slotRead[j]) {
                aioSlots[n] = j;
                aioPositions[n] = positionOf(slotNode[j]);
                aioBuffers[n] = bufferSegments[j];
                n++;
            }
        }
        try {
            a.readAll(aioPositions, aioBuffers, layout.readBytes(), n);
        } catch (IOException e) {
            a.close(); // waits for reads in flight; later rounds read positionally
            aio = null;
            throw new UncheckedIOException(e);
        }
        for (int i = 0; i < n; i++) {
            checkSectors(aioSlots[i]);
        }
    }

    @Override
    public void close() {
        if (aio != null) {
            aio.close();
            aio = null;
        }
    }

    private void readParallel(int count, int toRead) {
        IoWorkers pool = index.ioPool();
        waiter = Thread.currentThread();
        taskFailure = null;
        pending.set(toRead - 1);
        int mine = -1;
        for (int j = 0; j < count; j++) {
            if (slotRead[j]) {
                if (mine < 0) {
                    mine = j; // the searching thread reads one itself
                } else {
                    pool.execute(tasks[j]);
                }
            }
        }
        try {
            read(mine);
        } finally {
            // the other reads were issued first and take about as long as this one: spin, do not park; and
            // wait for them even when this read failed, so no late read writes a buffer of the next round
            // a virtual searching thread parks at once: spinning would hold the carrier its reads need
            long spinUntil = Thread.currentThread().isVirtual() ? 0 : System.nanoTime() + 1_000_000;
            while (pending.get() > 0) {
                if (System.nanoTime() < spinUntil) {
                    Thread.onSpinWait();
                } else {
                    LockSupport.parkNanos(this, 50_000);
                }
            }
        }
        Throwable f = taskFailure;
        if (f instanceof RuntimeException re) {
            throw re;
        } else if (f != null) {
            throw new IllegalStateException("a disk read failed: " + f, f);
        }
    }

    /** Reads slot {@code j}'s sectors into its buffer and checks their checksums. */
    private void read(int j) {
        sectors.read(j, slotNode[j]);
    }

    /** Checks each sector read into slot {@code j}'s buffer against its checksum. */
    private void checkSectors(int j) {
        sectors.check(j, slotNode[j]);
    }

    private float exactDistance(int j) {
        return scorer.distance(slotSegment[j], slotBase[j]);
    }

    /** Scores the sector mates of the record in slot {@code j} (see {@link SectorMates}). */
    private void recordMates(int j) {
        int node = slotNode[j];
        mates.score(node, slotSegment[j], slotBase[j] - layout.offsetInRead(node), !slotRead[j] && !slotMapped[j]);
    }

    private void record(int j, float distance) {
        if (expandedCount == expandedNodes.length) {
            expandedNodes = java.util.Arrays.copyOf(expandedNodes, expandedCount * 2);
            expandedIds = java.util.Arrays.copyOf(expandedIds, expandedCount * 2);
            expandedDistances = java.util.Arrays.copyOf(expandedDistances, expandedCount * 2);
        }
        int node = slotNode[j];
        expandedNodes[expandedCount] = node;
        expandedIds[expandedCount] = recordId(index, node, slotSegment[j], slotBase[j]);
        expandedDistances[expandedCount++] = distance;
    }

    /** The id of {@code node}, whose record starts at {@code base}: from the record (v3), else the id table. */
    static int recordId(DiskIndex index, int node, MemorySegment seg, long base) {
        DiskLayout layout = index.layout();
        if (!layout.recordIds()) {
            return index.idOf(node);
        }
        int id = seg.get(I32, base + layout.idOffset());
        if (id < 0) {
            throw new UncheckedIOException(new CorruptIndexException(index.path(), "nodes.id[" + node + "]", id,
                    "negative id"));
        }
        return id;
    }

    @Override
    public int neighbors(int node, int[] out) {
        int j = currentSlot >= 0 && slotNode[currentSlot] == node ? currentSlot : roundSlotOf(node);
        if (j < 0) {
            throw new IllegalStateException("node " + node + " was not fetched this round, nor handed out by next()");
        }
        MemorySegment seg = slotSegment[j];
        long at = slotBase[j] + layout.vectorBytes();
        int degree = seg.get(I32, at);
        int n = layout.count();
        if (degree < 0 || degree > layout.maxDegree()) {
            throw new UncheckedIOException(new CorruptIndexException(index.path(), "nodes.degree[" + node + "]", degree,
                    "outside 0.." + layout.maxDegree()));
        }
        for (int i = 0; i < degree; i++) {
            int t = seg.get(I32, at + 4 + 4L * i);
            if (t < 0 || t >= n) {
                throw new UncheckedIOException(new CorruptIndexException(index.path(), "nodes.neighbour[" + node + "]", t,
                        "outside the nodes 0.." + (n - 1)));
            }
            out[i] = t;
        }
        return degree;
    }

    /** The slot of the last {@link #fetch} holding {@code node}, or -1. */
    private int roundSlotOf(int node) {
        for (int j = 0; j < slots; j++) {
            if (slotNode[j] == node) {
                return j;
            }
        }
        return -1;
    }

    /** Reads one slot on an I/O thread and tells the searching thread when the last one is done. */
    private final class ReadTask implements Runnable {
        private final int slot;

        ReadTask(int slot) {
            this.slot = slot;
        }

        @Override
        public void run() {
            try {
                read(slot);
            } catch (Throwable t) {
                taskFailure = t;
            } finally {
                if (pending.decrementAndGet() == 0) {
                    LockSupport.unpark(waiter);
                }
            }
        }
    }
}
