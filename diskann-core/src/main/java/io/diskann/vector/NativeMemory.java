package io.diskann.vector;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.util.Locale;

/**
 * Native memory for vector rows, in transparent huge pages where Linux offers them.
 *
 * <p>Why: a graph search reads vectors at random across the whole store, so with 4 KiB pages nearly every
 * distance also misses the TLB. Backing the rows with 2 MiB pages measured +10-15% QPS on Fashion-MNIST
 * (f32, 188 MiB of vectors, docs/PERFORMANCE.md). The JVM's own allocator zero-fills memory as it
 * allocates, which faults every page in as a small page before anyone could ask for huge ones; so large
 * chunks are mapped here directly ({@code mmap}, anonymous: zero pages on first touch), advised
 * {@code MADV_HUGEPAGE} before anything touches them, and unmapped when their arena closes.
 *
 * <p>This calls the C library through the FFM {@link Linker}, which the JVM allows only to code granted
 * native access ({@code --enable-native-access=ALL-UNNAMED}, or the module's name; the {@code ./diskann}
 * launcher passes it). Without the grant, on other systems, for chunks below 2 MiB, or with
 * {@code -Ddiskann.hugepages=false} (a developer switch for A/B measurements), memory comes from
 * {@link Arena#allocate} as usual: same results, small pages.
 */
final class NativeMemory {

    private static final long HUGE_PAGE = 2L << 20;
    private static final int PROT_READ_WRITE = 0x1 | 0x2;
    private static final int MAP_PRIVATE_ANONYMOUS = 0x02 | 0x20;
    private static final int MADV_HUGEPAGE = 14;

    private static final MethodHandle MMAP;
    private static final MethodHandle MADVISE;
    private static final MethodHandle MUNMAP;

    static {
        MethodHandle mmap = null;
        MethodHandle madvise = null;
        MethodHandle munmap = null;
        if (wanted()) {
            try {
                Linker linker = Linker.nativeLinker();
                var libc = linker.defaultLookup();
                mmap = linker.downcallHandle(libc.find("mmap").orElseThrow(), FunctionDescriptor.of(ValueLayout.JAVA_LONG,
                        ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT,
                        ValueLayout.JAVA_INT, ValueLayout.JAVA_LONG));
                madvise = linker.downcallHandle(libc.find("madvise").orElseThrow(), FunctionDescriptor.of(
                        ValueLayout.JAVA_INT, ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG, ValueLayout.JAVA_INT));
                munmap = linker.downcallHandle(libc.find("munmap").orElseThrow(), FunctionDescriptor.of(
                        ValueLayout.JAVA_INT, ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG));
            } catch (RuntimeException | Error e) {
                mmap = null;
                System.getLogger("io.diskann.vector").log(System.Logger.Level.DEBUG,
                        "diskann-java: huge pages unavailable, vectors use small pages: " + e);
            }
        }
        MMAP = mmap;
        MADVISE = madvise;
        MUNMAP = munmap;
    }

    private NativeMemory() {
    }

    private static boolean wanted() {
        String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
        return os.contains("linux")
                && !"false".equalsIgnoreCase(System.getProperty("diskann.hugepages", "true"))
                && NativeMemory.class.getModule().isNativeAccessEnabled();
    }

    /** Whether large chunks are mapped and advised for huge pages in this JVM. */
    static boolean hugePages() {
        return MMAP != null;
    }

    /**
     * {@code bytes} of zeroed memory aligned to 64 bytes, freed when {@code arena} closes: mapped and
     * advised for huge pages when possible (see the class comment), else allocated by the arena.
     */
    static MemorySegment allocate(Arena arena, long bytes) {
        if (MMAP == null || bytes < HUGE_PAGE) {
            return arena.allocate(bytes, 64);
        }
        long address;
        try {
            address = (long) MMAP.invokeExact(0L, bytes, PROT_READ_WRITE, MAP_PRIVATE_ANONYMOUS, -1, 0L);
        } catch (Throwable t) {
            return arena.allocate(bytes, 64);
        }
        if (address == -1L || address == 0L) {
            return arena.allocate(bytes, 64); // the kernel refused: let the JVM try (and report) instead
        }
        try {
            int ignored = (int) MADVISE.invokeExact(address, bytes, MADV_HUGEPAGE); // advice only: failure is fine
        } catch (Throwable t) {
            // advice only
        }
        return MemorySegment.ofAddress(address).reinterpret(bytes, arena, s -> unmap(s.address(), bytes));
    }

    private static void unmap(long address, long bytes) {
        try {
            int ignored = (int) MUNMAP.invokeExact(address, bytes);
        } catch (Throwable t) {
            throw new IllegalStateException("munmap failed", t);
        }
    }
}
