package io.diskann.testing;

import io.diskann.index.CorruptIndexException;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;

/**
 * Mutates a file many ways and loads each mutant: every load must either fail with a
 * {@link CorruptIndexException} (without allocating much first) or succeed and answer exactly as the
 * original does. Anything else (another exception, an unchecked one, an error, different answers) is a
 * failure naming the mutation.
 *
 * <p>Mutations: truncation at every boundary of the container's layout (and one byte either side) and at
 * random offsets; single bit flips; random overwrites of 1-16 bytes; and, for container files, crafted
 * values (negative, 0, 2^31-1, 2^63-1, the file's length, a length that makes the declared sizes sum to
 * the file's length) in every section length and in the caller's chosen body fields, with the checksums
 * re-computed so the values reach the range checks.
 */
public final class FileFuzzer {

    /** Loads a file and reduces what it answers to something comparable. */
    @FunctionalInterface
    public interface Loader {
        /**
         * Loads {@code file} and answers a fixed set of queries.
         *
         * @param file the file to load
         * @return the answers, compared with {@code equals}
         * @throws IOException if loading fails
         */
        Object answers(Path file) throws IOException;
    }

    /**
     * A body field to craft: an int at an offset in a section's body.
     *
     * @param section the section's name
     * @param offset the field's offset in the body
     * @param name how failures name it
     */
    public record Field(String section, int offset, String name) {
    }

    /**
     * What a run did.
     *
     * @param mutants files loaded
     * @param rejected of which failed cleanly
     * @param identical of which loaded and answered as the original
     * @param maxHeapAllocated the most heap one rejected load allocated
     */
    public record Stats(int mutants, int rejected, int identical, long maxHeapAllocated) {
    }

    /** Heap a rejected load may allocate: the reader's 1 MiB buffer and small parts, far below the sizes crafted. */
    static final long MAX_REJECT_ALLOCATION = 48L << 20;

    private final Path file;
    private final Loader loader;
    private Loader opener;
    private final Object expected;
    private final List<String> failures = new ArrayList<>();
    private int mutants;
    private int rejected;
    private int identical;
    private long maxAllocated;

    /**
     * Prepares to fuzz.
     *
     * @param file where mutants are written (the loader reads it)
     * @param loader loads a file and answers queries
     * @param expected what the original answers
     */
    public FileFuzzer(Path file, Loader loader, Object expected) {
        this.file = file;
        this.loader = loader;
        this.expected = expected;
    }

    /**
     * Sets how crafted mutants with recomputed checksums are opened. Such a file is a well-formed file of
     * another index (another metric, fewer dimensions, a slot freed), so it may load and answer
     * differently; it must still never fail in any way but a {@link CorruptIndexException}. The opener
     * loads it and exercises it with inputs valid for whatever it turned out to be.
     *
     * @param opener loads and exercises a file
     * @return this
     */
    public FileFuzzer craftedOpener(Loader opener) {
        this.opener = opener;
        return this;
    }

    /**
     * Runs every mutation kind over {@code good}.
     *
     * @param good the original file's bytes
     * @param container whether it is a container-format file (crafted values need its layout)
     * @param fields body fields to craft (container files only)
     * @param random the run's randomness
     * @param randomMutants how many random truncations, flips and overwrites of each kind
     * @return what happened; failures are collected in {@link #failures()}
     * @throws IOException if a mutant cannot be written
     */
    public Stats run(byte[] good, boolean container, List<Field> fields, Random random, int randomMutants)
            throws IOException {
        Set<Integer> cuts = new LinkedHashSet<>();
        if (container) {
            FormatBytes.Layout l = FormatBytes.layout(good);
            for (int b : l.boundaries()) {
                cuts.addAll(List.of(b - 1, b, b + 1));
            }
        }
        for (int i = 0; i < randomMutants; i++) {
            cuts.add(random.nextInt(good.length));
        }
        for (int cut : cuts) {
            if (cut >= 0 && cut < good.length) {
                check(Arrays.copyOf(good, cut), "truncated to " + cut + " bytes");
            }
        }
        check(Arrays.copyOf(good, good.length + 1), "one trailing zero byte");
        check(Arrays.copyOf(good, good.length + 4096), "4096 trailing zero bytes");
        for (int i = 0; i < randomMutants; i++) {
            byte[] m = good.clone();
            int at = random.nextInt(m.length);
            int bit = random.nextInt(8);
            m[at] ^= (byte) (1 << bit);
            check(m, "bit " + bit + " of byte " + at + " flipped");
        }
        for (int i = 0; i < randomMutants; i++) {
            byte[] m = good.clone();
            int at = random.nextInt(m.length);
            int n = 1 + random.nextInt(16);
            for (int j = at; j < Math.min(m.length, at + n); j++) {
                m[j] = (byte) random.nextInt(256);
            }
            check(m, n + " random bytes written at " + at);
        }
        if (container) {
            crafted(good, fields);
        }
        return new Stats(mutants, rejected, identical, maxAllocated);
    }

    private void crafted(byte[] good, List<Field> fields) throws IOException {
        FormatBytes.Layout l = FormatBytes.layout(good);
        for (FormatBytes.Span s : l.sections()) {
            long rest = good.length - (long) s.bodyStart() - 4 - 12; // a length that ends the body at the footer
            for (long v : new long[] {-1, 0, Integer.MAX_VALUE, Long.MAX_VALUE, good.length, rest, s.bodyLength() + 1L,
                    s.bodyLength() - 1L, Long.MIN_VALUE}) {
                byte[] m = good.clone();
                FormatBytes.putLong(m, s.lengthAt(), v);
                FormatBytes.resealHeaders(m, l);
                check(m, "section " + s.name() + " length = " + v, true);
            }
        }
        for (int v : new int[] {-1, 0, 1 << 16, Integer.MAX_VALUE, Integer.MIN_VALUE}) {
            byte[] m = good.clone();
            FormatBytes.put(m, l.sectionCountAt(), v);
            FormatBytes.resealHeaders(m, l);
            check(m, "section count = " + v, true);
        }
        for (Field f : fields) {
            FormatBytes.Span s = l.section(f.section());
            int at = s.bodyStart() + f.offset();
            int original = java.nio.ByteBuffer.wrap(good).order(java.nio.ByteOrder.LITTLE_ENDIAN).getInt(at);
            for (int v : new int[] {-1, 0, 1, Integer.MAX_VALUE, Integer.MIN_VALUE, 5_000_000, 50_000_000, original + 1,
                    original - 1, original * 2, good.length}) {
                if (v == original) {
                    continue;
                }
                byte[] m = good.clone();
                FormatBytes.put(m, at, v);
                FormatBytes.resealAll(m, l);
                check(m, f.name() + " = " + v + " (checksums recomputed)", true);
            }
        }
    }

    private void check(byte[] mutant, String what) throws IOException {
        check(mutant, what, false);
    }

    private void check(byte[] mutant, String what, boolean crafted) throws IOException {
        mutants++;
        Files.write(file, mutant);
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long before = threads.getCurrentThreadAllocatedBytes();
        try {
            if (crafted && opener != null) {
                opener.answers(file);
                identical++; // well-formed as another index: it loaded and worked
                return;
            }
            Object answers = loader.answers(file);
            if (answers.equals(expected)) {
                identical++;
            } else {
                failures.add(what + ": loaded but answers differently");
            }
        } catch (CorruptIndexException e) {
            rejected++;
            long allocated = threads.getCurrentThreadAllocatedBytes() - before;
            maxAllocated = Math.max(maxAllocated, allocated);
            if (allocated > MAX_REJECT_ALLOCATION) {
                failures.add(what + ": rejected only after allocating " + allocated + " bytes: " + e.getMessage());
            }
            if (!e.getMessage().contains(file.toString())) {
                failures.add(what + ": the message does not name the file: " + e.getMessage());
            }
        } catch (Throwable t) {
            failures.add(what + ": " + t);
        }
    }

    /**
     * What went wrong, one line per mutant.
     *
     * @return the failures (empty when all went well)
     */
    public List<String> failures() {
        return failures;
    }
}
