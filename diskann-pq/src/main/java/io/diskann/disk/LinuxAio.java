package io.diskann.disk;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Linux kernel asynchronous I/O (the {@code io_submit} interface Microsoft DiskANN reads through, via
 * libaio), called directly with the FFM API: a search round's W sector reads ({@link #readAll}), or the
 * reads a pipelined search asks for in one step ({@link #prepare}, {@link #submitPrepared}), go to the
 * kernel in one system call and are reaped in another, so they are in flight together without any helper
 * thread. Why:
 * on this project's 2-core test machine a hand-off to a reader thread costs about as much as the read,
 * so thread-parallel reads were no faster than sequential ones, while DiskANN's were.
 *
 * <p>Only on Linux x86-64 and aarch64 (the syscall numbers differ); {@link #available()} says whether
 * it works here, and {@link DiskReader} falls back to positional reads otherwise.
 */
final class LinuxAio implements AutoCloseable {

    private static final int O_DIRECT = "aarch64".equals(System.getProperty("os.arch")) ? 0x10000 : 0x4000;
    private static final long SYS_IO_SETUP;
    private static final long SYS_IO_DESTROY;
    private static final long SYS_IO_GETEVENTS;
    private static final long SYS_IO_SUBMIT;
    private static final MethodHandle SYSCALL;
    private static final MethodHandle OPEN;
    private static final MethodHandle CLOSE;
    private static final boolean SUPPORTED;
    private static final int IOCB = 64;
    private static final int EVENT = 32;

    static {
        String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
        String arch = System.getProperty("os.arch", "");
        boolean linux = os.contains("linux");
        if ("amd64".equals(arch) || "x86_64".equals(arch)) {
            SYS_IO_SETUP = 206;
            SYS_IO_DESTROY = 207;
            SYS_IO_GETEVENTS = 208;
            SYS_IO_SUBMIT = 209;
        } else if ("aarch64".equals(arch)) {
            SYS_IO_SETUP = 0;
            SYS_IO_DESTROY = 1;
            SYS_IO_SUBMIT = 2;
            SYS_IO_GETEVENTS = 4;
        } else {
            SYS_IO_SETUP = SYS_IO_DESTROY = SYS_IO_GETEVENTS = SYS_IO_SUBMIT = -1;
        }
        MethodHandle syscall = null;
        MethodHandle open = null;
        MethodHandle close = null;
        boolean ok = false;
        if (linux && SYS_IO_SETUP >= 0) {
            try {
                Linker linker = Linker.nativeLinker();
                SymbolLookup libc = linker.defaultLookup();
                syscall = linker.downcallHandle(libc.find("syscall").orElseThrow(),
                        FunctionDescriptor.of(ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG,
                                ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG),
                        Linker.Option.firstVariadicArg(1));
                open = linker.downcallHandle(libc.find("open").orElseThrow(),
                        FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.JAVA_INT),
                        Linker.Option.firstVariadicArg(2));
                close = linker.downcallHandle(libc.find("close").orElseThrow(),
                        FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT));
                ok = true;
            } catch (RuntimeException | LinkageError e) {
                ok = false; // no native access (or no libc symbols): positional reads instead
            }
        }
        SYSCALL = syscall;
        OPEN = open;
        CLOSE = close;
        SUPPORTED = ok;
    }

    private final Arena arena = Arena.ofShared(); // a searcher may move between threads (searcher pools)
    private final int fd;
    private final long context;
    private final MemorySegment iocbs;
    private final MemorySegment pointers;
    /** Pointers to the iocbs of {@link #prepare}d reads, and how many. */
    private final MemorySegment batch;
    private int batched;
    private final MemorySegment events;
    private final int depth;
    private boolean broken;
    /** Destroys the context and closes the file even if the owning reader is never closed. */
    private final java.lang.ref.Cleaner.Cleanable cleanable;
    private static final java.lang.ref.Cleaner CLEANER = java.lang.ref.Cleaner.create();

    /** What to release; holds no reference to the {@link LinuxAio} itself. */
    private record Release(int fd, long context, Arena arena) implements Runnable {
        @Override
        public void run() {
            try {
                long ignored = (long) SYSCALL.invokeExact(SYS_IO_DESTROY, context, 0L, 0L, 0L, 0L);
                int closed = (int) CLOSE.invokeExact(fd);
            } catch (Throwable ignored) {
                // nothing to recover: the process keeps one context fewer
            }
            arena.close();
        }
    }

    private LinuxAio(int fd, long context, int depth) {
        this.fd = fd;
        this.context = context;
        this.depth = depth;
        this.iocbs = arena.allocate((long) IOCB * depth, 8);
        this.pointers = arena.allocate(8L * depth, 8);
        this.batch = arena.allocate(8L * depth, 8);
        this.events = arena.allocate((long) EVENT * depth, 8);
        for (int i = 0; i < depth; i++) {
            pointers.setAtIndex(ValueLayout.ADDRESS, i, iocbs.asSlice((long) IOCB * i, IOCB));
        }
        this.cleanable = CLEANER.register(this, new Release(fd, context, arena));
    }

    /**
     * Whether kernel asynchronous I/O can be called here (Linux x86-64 or aarch64, native access).
     *
     * @return true if {@link #open} may succeed
     */
    static boolean available() {
        return SUPPORTED;
    }

    /**
     * Opens {@code file} with O_DIRECT and sets up a context for {@code depth} reads at once.
     *
     * @return the reader, or null if the kernel refuses (then use positional reads)
     */
    static LinuxAio open(Path file, int depth) {
        if (!SUPPORTED) {
            return null;
        }
        try (Arena a = Arena.ofConfined()) {
            int fd = (int) OPEN.invokeExact(a.allocateFrom(file.toAbsolutePath().toString()), O_DIRECT);
            if (fd < 0) {
                return null;
            }
            MemorySegment ctx = a.allocate(8, 8);
            ctx.set(ValueLayout.JAVA_LONG, 0, 0L);
            long r = (long) SYSCALL.invokeExact(SYS_IO_SETUP, (long) depth, ctx.address(), 0L, 0L, 0L);
            if (r != 0) {
                int ignored = (int) CLOSE.invokeExact(fd);
                return null;
            }
            return new LinuxAio(fd, ctx.get(ValueLayout.JAVA_LONG, 0), depth);
        } catch (Throwable t) {
            return null;
        }
    }

    /**
     * Reads {@code count} ranges at once: {@code lengths[i]} bytes at file offset {@code positions[i]}
     * into {@code buffers[i]} (aligned to 4096, as are offsets and lengths), and waits for all.
     *
     * @throws IOException if the kernel reports an error or a short read
     */
    void readAll(long[] positions, MemorySegment[] buffers, int length, int count) throws IOException {
        if (count > depth) {
            throw new IllegalArgumentException(count + " reads exceed the context's depth " + depth);
        }
        for (int i = 0; i < count; i++) {
            fill(i, i, positions[i], buffers[i], length);
        }
        long submitted = 0;
        try {
            submitted = (long) SYSCALL.invokeExact(SYS_IO_SUBMIT, context, (long) count, pointers.address(), 0L, 0L);
            if (submitted != count) {
                throw new IOException("io_submit accepted " + submitted + " of " + count + " reads");
            }
            int done = 0;
            int failures = 0;
            while (done < count) {
                long got = (long) SYSCALL.invokeExact(SYS_IO_GETEVENTS, context, (long) (count - done),
                        (long) (count - done), events.address(), 0L);
                if (got < 0) {
                    // EINTR (a profiler's signal) is the usual cause: retry, but not forever
                    if (++failures > 1000) {
                        throw new IOException("io_getevents keeps failing");
                    }
                    continue;
                }
                for (int e = 0; e < got; e++) {
                    long res = events.get(ValueLayout.JAVA_LONG, (long) EVENT * e + 16);
                    if (res != length) {
                        broken = true;
                    }
                }
                done += (int) got;
            }
            if (broken) {
                throw new IOException("an asynchronous read returned fewer bytes than asked");
            }
        } catch (IOException e) {
            broken = true;
            throw e;
        } catch (Throwable t) {
            broken = true;
            throw new IOException("asynchronous read failed: " + t, t);
        }
    }

    /** Writes iocb {@code slot}: a read of {@code length} bytes at {@code position} into {@code buffer}, tagged {@code tag}. */
    private void fill(int slot, long tag, long position, MemorySegment buffer, int length) {
        MemorySegment cb = iocbs.asSlice((long) IOCB * slot, IOCB);
        cb.fill((byte) 0);
        cb.set(ValueLayout.JAVA_LONG, 0, tag);                       // aio_data
        cb.set(ValueLayout.JAVA_SHORT, 16, (short) 0);               // aio_lio_opcode = IOCB_CMD_PREAD
        cb.set(ValueLayout.JAVA_INT, 20, fd);                        // aio_fildes
        cb.set(ValueLayout.JAVA_LONG, 24, buffer.address());         // aio_buf
        cb.set(ValueLayout.JAVA_LONG, 32, length);                   // aio_nbytes
        cb.set(ValueLayout.JAVA_LONG, 40, position);                 // aio_offset
    }

    /**
     * Prepares one read of the pipelined search: {@code length} bytes at {@code position} into {@code buffer},
     * reported by {@link #reap} with {@code slot}, which also names the iocb used (below the depth). Prepared
     * reads go to the kernel together at {@link #submitPrepared}: on the test VM each {@code io_submit}
     * costs 20-40 us of the caller's time whatever it carries.
     */
    void prepare(int slot, long position, MemorySegment buffer, int length) {
        if (slot < 0 || slot >= depth || batched == depth) {
            throw new IllegalStateException("read slot " + slot + " with " + batched + " prepared, context depth " + depth);
        }
        fill(slot, slot, position, buffer, length);
        batch.setAtIndex(ValueLayout.ADDRESS, batched++, iocbs.asSlice((long) IOCB * slot, IOCB));
    }

    /** Drops the prepared reads (a search that failed before submitting them); returns how many. */
    int discardPrepared() {
        int n = batched;
        batched = 0;
        return n;
    }

    /** Reads prepared and not yet submitted. */
    int prepared() {
        return batched;
    }

    /**
     * Submits the prepared reads in one system call.
     *
     * @throws IOException if the kernel refuses them
     */
    void submitPrepared() throws IOException {
        int done = 0;
        while (done < batched) {
            long submitted;
            try {
                submitted = (long) SYSCALL.invokeExact(SYS_IO_SUBMIT, context, (long) (batched - done),
                        batch.address() + 8L * done, 0L, 0L);
            } catch (Throwable t) {
                broken = true;
                throw new IOException("io_submit failed: " + t, t);
            }
            if (submitted <= 0) {
                broken = true;
                throw new IOException("io_submit refused " + (batched - done) + " reads (" + submitted + ")");
            }
            done += (int) submitted;
        }
        batched = 0;
    }

    /**
     * Waits for at least {@code min} and takes at most {@code max} finished reads of {@link #prepare}, writing
     * their slots into {@code slots}; returns how many.
     *
     * @throws IOException if a read failed or came back short of {@code length} bytes
     */
    int reap(int min, int max, int[] slots, int length) throws IOException {
        int failures = 0;
        while (true) {
            long got;
            try {
                got = (long) SYSCALL.invokeExact(SYS_IO_GETEVENTS, context, (long) min, (long) Math.min(max, depth),
                        events.address(), 0L);
            } catch (Throwable t) {
                broken = true;
                throw new IOException("io_getevents failed: " + t, t);
            }
            if (got < 0) {
                if (++failures > 1000) { // EINTR (a profiler's signal) is the usual cause: retry, not forever
                    broken = true;
                    throw new IOException("io_getevents keeps failing");
                }
                continue;
            }
            for (int e = 0; e < got; e++) {
                slots[e] = (int) events.get(ValueLayout.JAVA_LONG, (long) EVENT * e);
                if (events.get(ValueLayout.JAVA_LONG, (long) EVENT * e + 16) != length) {
                    broken = true;
                }
            }
            if (broken) {
                throw new IOException("an asynchronous read returned fewer bytes than asked");
            }
            return (int) got;
        }
    }

    /**
     * Whether a read failed: the reader then destroys this context (which waits for anything still in
     * flight, so no late completion can write a buffer that is reused) and reads positionally from then on.
     */
    boolean broken() {
        return broken;
    }

    /** Destroys the context (io_destroy waits for reads in flight), closes the file, frees the buffers. */
    @Override
    public void close() {
        cleanable.clean();
    }
}
