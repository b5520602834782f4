package io.diskann.filter;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.diskann.testing.TestSeeds;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * The label store against a brute-force oracle (each id's label set in a plain array), through churn that
 * makes labels dense (bitsets) and keeps others sparse (posting lists), with and without a universal label.
 */
class LabelStoreTest {

    private static final int LABELS = 12;

    /** Labels 0..2 are common (dense), the rest rare; label 11 is universal when {@code universal}. */
    private static int[] randomSet(Random r, boolean universal) {
        if (universal && r.nextInt(50) == 0) {
            return new int[] {LABELS - 1};
        }
        List<Integer> s = new ArrayList<>();
        for (int l = 0; l < LABELS - 1; l++) {
            double p = l < 3 ? 0.45 : 0.02;
            if (r.nextDouble() < p) {
                s.add(l);
            }
        }
        return s.stream().mapToInt(Integer::intValue).toArray();
    }

    private static boolean oracleAll(int[][] sets, int id, int[] labels, int universal) {
        int[] s = sets[id];
        if (s == null) {
            return false;
        }
        int[] sorted = s.clone();
        Arrays.sort(sorted);
        if (universal >= 0 && Arrays.binarySearch(sorted, universal) >= 0) {
            return true;
        }
        for (int l : labels) {
            if (Arrays.binarySearch(sorted, l) < 0) {
                return false;
            }
        }
        return true;
    }

    @Test
    void matchesAndCandidatesAgreeWithOracleThroughChurn() {
        for (boolean withUniversal : new boolean[] {false, true}) {
            Random r = TestSeeds.random(401 + (withUniversal ? 1 : 0));
            int universal = withUniversal ? LABELS - 1 : -1;
            LabelStore store = new LabelStore(universal);
            int n = 6_000;
            int[][] sets = new int[n][];
            for (int step = 0; step < 20_500; step++) {
                int id = r.nextInt(n);
                if (r.nextInt(10) == 0) {
                    store.clear(id);
                    sets[id] = null;
                } else {
                    int[] s = randomSet(r, withUniversal);
                    store.set(id, LabelStore.normalize(s));
                    sets[id] = s;
                }
                if (step % 4_000 == 3_999) {
                    store.compact();
                }
            }
            for (int l = 0; l < LABELS - 1; l++) {
                assertEquals(l < 3, store.dense(l), "label " + l + ": common labels get bitsets, rare ones not");
            }
            checkAgainstOracle(store, sets, universal); // 500 writes since the last compaction: stale entries
            store.compact();
            checkAgainstOracle(store, sets, universal); // none
        }
    }

    private static void checkAgainstOracle(LabelStore store, int[][] sets, int universal) {
        int n = sets.length;
        int[] out = new int[n * 4];
        int[][] filters = {{0}, {5}, {0, 1}, {0, 1, 2}, {1, 7}, {0, 2, 7}, {4, 9}, {1, 4, 9}, {2, LABELS - 1}};
        for (int[] f : filters) {
            LabelFilter all = LabelFilter.allOf(f);
            LabelFilter any = LabelFilter.anyOf(f);
            List<Integer> expectAll = new ArrayList<>();
            List<Integer> expectAny = new ArrayList<>();
            for (int id = 0; id < n; id++) {
                boolean a = oracleAll(sets, id, f, universal);
                boolean o = false;
                for (int l : f) {
                    o |= oracleAll(sets, id, new int[] {l}, universal);
                }
                assertEquals(a, all.matches(store, id), () -> "AND " + Arrays.toString(f));
                assertEquals(o, any.matches(store, id), () -> "OR " + Arrays.toString(f));
                if (a) {
                    expectAll.add(id);
                }
                if (o) {
                    expectAny.add(id);
                }
            }
            int c = store.candidates(all, out);
            assertArrayEquals(expectAll.stream().mapToInt(Integer::intValue).toArray(), Arrays.copyOf(out, c),
                    () -> "AND candidates " + Arrays.toString(f));
            c = store.candidates(any, out);
            assertArrayEquals(expectAny.stream().mapToInt(Integer::intValue).toArray(), Arrays.copyOf(out, c),
                    () -> "OR candidates " + Arrays.toString(f));
            // what a walk marks: every match listed; entries that no longer match only when not flagged exact
            long gathered = store.unsortedPostings((LabelFilter.AnyOf) any, out);
            boolean exact = (gathered >>> 32) != 0;
            int[] listed = Arrays.stream(Arrays.copyOf(out, (int) gathered)).distinct().sorted().toArray();
            int[] listedMatching = Arrays.stream(listed).filter(id -> any.matches(store, id)).toArray();
            assertArrayEquals(expectAny.stream().mapToInt(Integer::intValue).toArray(), listedMatching,
                    () -> "OR postings " + Arrays.toString(f));
            if (exact) {
                assertEquals(listedMatching.length, listed.length, () -> "OR postings flagged exact " + Arrays.toString(f));
            }
            // the union bitset an OR's walk tests: every match set, and beyond them only ids of stale postings
            long[] union = new long[store.unions().words() + 3];
            long built = store.unions().into(f, union);
            int words = (int) built;
            boolean unionExact = (built >>> 32) != 0;
            assertTrue(words == store.unions().words() && (long) words * 64 >= n, "words " + words);
            java.util.Set<Integer> matching = new java.util.HashSet<>(expectAny);
            for (int id = 0; id < union.length * 64; id++) {
                boolean set = (union[id >>> 6] & (1L << id)) != 0;
                int probe = id;
                if (matching.contains(id)) {
                    assertTrue(set, () -> "OR union " + Arrays.toString(f) + " misses " + probe);
                } else if (set) {
                    assertTrue(!unionExact && Arrays.binarySearch(listed, id) >= 0,
                            () -> "OR union " + Arrays.toString(f) + " sets " + probe + ", neither a match nor a stale posting");
                }
            }
            assertEquals(-1, store.unions().into(f, new long[words - 1]), "a too small union");
            if (!expectAll.isEmpty()) {
                assertEquals(-1, store.candidates(all, new int[expectAll.size() - 1]), "a too small buffer");
            }
        }
    }

    /**
     * A filter listed twice is answered from the cache from then on, with the same ids; a label write that
     * changes its matches (an id joins, an id leaves) is seen by the next listing; a filter matching more than
     * the cache keeps, a predicate, and every filter with the cache switched off are never cached; a cached
     * answer still reports a buffer that is too small.
     */
    /**
     * An OR's union bitset is shared from its second request on, holds exactly the OR's matches (no stale
     * postings right after a compaction), and is never served after a label write; ORs of consecutive labels
     * (hashes a constant apart) spread over the slots.
     */
    @Test
    void repeatedOrUnionsAreSharedAndNeverStale() {
        Random r = TestSeeds.random(433);
        LabelStore store = new LabelStore(-1);
        int n = 5_000;
        int[][] sets = new int[n][];
        for (int id = 0; id < n; id++) {
            sets[id] = randomSet(r, false);
            store.set(id, LabelStore.normalize(sets[id]));
        }
        store.compact();
        LabelFilter.AnyOf or = (LabelFilter.AnyOf) LabelFilter.anyOf(0, 5, 7); // a dense label and sparse ones
        assertEquals(null, store.unions().shared(or), "a first request is only remembered");
        long[] shared = store.unions().shared(or);
        assertTrue(shared != null, "kept on its second request");
        assertTrue(store.unions().shared(or) == shared, "then shared");
        assertArrayEquals(oracle(sets, or), setBits(shared), "the union holds exactly the matches");
        int joiner = -1;
        for (int id = 0; id < n && joiner < 0; id++) {
            if (!or.matches(store, id)) {
                joiner = id;
            }
        }
        sets[joiner] = new int[] {7};
        store.set(joiner, LabelStore.normalize(sets[joiner]));
        long[] after = store.unions().shared(or);
        assertTrue(after != shared, "a write voids the entry");
        if (after == null) { // remembered again: kept on the next request
            after = store.unions().shared(or);
        }
        assertTrue(after != null && (after[joiner >>> 6] & (1L << joiner)) != 0, "the joiner is in the new union");
        // a label write between every two requests (churn): nothing is built for the cache
        LabelFilter.AnyOf other = (LabelFilter.AnyOf) LabelFilter.anyOf(1, 6);
        for (int round = 0; round < 4; round++) {
            assertEquals(null, store.unions().shared(other), "round " + round + ": writes between the requests");
            store.set(joiner, LabelStore.normalize(new int[] {7 + round % 2}));
        }
        java.util.Set<Integer> slots = new java.util.HashSet<>();
        for (int first = 20; first < 28; first++) {
            int f = first;
            slots.add(UnionCache.slot(LabelFilter.anyOf(consecutive(f)).hashCode(), 16));
        }
        assertTrue(slots.size() >= 6, "8 ORs of 8 consecutive labels fell into slots " + slots);
    }

    private static int[] consecutive(int first) {
        return java.util.stream.IntStream.range(first, first + 8).toArray();
    }

    private static int[] setBits(long[] words) {
        return java.util.stream.IntStream.range(0, words.length * 64).filter(id -> (words[id >>> 6] & (1L << id)) != 0)
                .toArray();
    }

    @Test
    void repeatedFiltersAreCachedAndNeverStale() {
        Random r = TestSeeds.random(431);
        LabelStore store = new LabelStore(-1);
        int n = 3_000;
        int[][] sets = new int[n][];
        for (int id = 0; id < n; id++) {
            sets[id] = randomSet(r, false);
            store.set(id, LabelStore.normalize(sets[id]));
        }
        int[] out = new int[n];
        LabelFilter[] filters = {LabelFilter.allOf(0, 1), LabelFilter.anyOf(5, 7), LabelFilter.label(6), LabelFilter.allOf(1, 4, 9)};
        for (LabelFilter f : filters) {
            int[] expected = oracle(sets, f);
            assertTrue(expected.length <= CandidateCache.MAX_IDS, "the test's filters fit the cache");
            for (int round = 0; round < 3; round++) {
                int c = store.candidates(f, out);
                assertArrayEquals(expected, Arrays.copyOf(out, c), f + " round " + round);
                assertEquals(round >= 1, store.cached(f), f + ": kept on its second listing, round " + round);
            }
            if (expected.length > 0) {
                assertEquals(-1, store.candidates(f, new int[expected.length - 1]), f + ": a too small buffer from the cache");
            }
        }
        // an id joins the AND and another leaves it: the cached answers must not survive the writes
        LabelFilter and = filters[0];
        int joiner = -1;
        for (int id = 0; id < n && joiner < 0; id++) {
            if (!and.matches(store, id)) {
                joiner = id;
            }
        }
        sets[joiner] = new int[] {0, 1};
        store.set(joiner, LabelStore.normalize(sets[joiner]));
        int leaver = oracle(sets, and)[0] == joiner ? oracle(sets, and)[1] : oracle(sets, and)[0];
        store.clear(leaver);
        sets[leaver] = null;
        for (LabelFilter f : filters) {
            assertFalse(store.cached(f), f + ": a write voids every entry");
            int c = store.candidates(f, out);
            assertArrayEquals(oracle(sets, f), Arrays.copyOf(out, c), f + " after the writes");
        }
        // too many matches, a predicate, the switch off: never cached
        LabelFilter broad = LabelFilter.anyOf(0, 1, 2, 3, 4, 5, 6, 7, 8);
        assertTrue(oracle(sets, broad).length > CandidateCache.MAX_IDS, "the broad filter matches more than the cache keeps");
        LabelFilter predicate = LabelFilter.predicate(id -> id % 7 == 0, -1);
        for (int round = 0; round < 3; round++) {
            store.candidates(broad, out);
        }
        assertFalse(store.cached(broad), "more than MAX_IDS matches");
        assertFalse(CandidateCache.cacheable(predicate), "a predicate has no identity to cache by");
        LabelFilter other = LabelFilter.allOf(2, 3);
        CandidateCache.enabled = false;
        try {
            for (int round = 0; round < 3; round++) {
                int c = store.candidates(other, out);
                assertArrayEquals(oracle(sets, other), Arrays.copyOf(out, c), "switch off, round " + round);
            }
            assertFalse(store.cached(other), "switched off");
        } finally {
            CandidateCache.enabled = true;
        }
    }

    /** The ids whose oracle sets match {@code f} (no universal label), ascending. */
    private static int[] oracle(int[][] sets, LabelFilter f) {
        List<Integer> ids = new ArrayList<>();
        for (int id = 0; id < sets.length; id++) {
            if (sets[id] == null) {
                continue;
            }
            int[] s = sets[id];
            boolean match = switch (f) {
                case LabelFilter.AllOf all -> Arrays.stream(all.labels()).allMatch(l -> Arrays.stream(s).anyMatch(x -> x == l));
                case LabelFilter.AnyOf any -> Arrays.stream(any.labels()).anyMatch(l -> Arrays.stream(s).anyMatch(x -> x == l));
                case LabelFilter.Label one -> Arrays.stream(s).anyMatch(x -> x == one.label());
                default -> throw new AssertionError(f);
            };
            if (match) {
                ids.add(id);
            }
        }
        return ids.stream().mapToInt(Integer::intValue).toArray();
    }

    /**
     * Readers never see a mix of an id's old and new labels through an AND: a writer flips ids between
     * {0} and {1} (never both), so no AND of 0 and 1 may ever match, though bits of both are set for a moment.
     */
    @Test
    void andNeverSeesHalfAnUpdate() throws Exception {
        LabelStore store = new LabelStore(-1);
        int n = 4_096;
        for (int id = 0; id < n; id++) {
            store.set(id, new int[] {id % 2});
        }
        assertTrue(store.bitsetBytes() > 0);
        LabelFilter both = LabelFilter.allOf(0, 1);
        int[] out = new int[n];
        String failure = underConcurrentWrites(409, r -> store.set(r.nextInt(n), new int[] {r.nextInt(2)}), () -> {
            for (int id = 0; id < n; id++) {
                if (both.matches(store, id)) {
                    return "id " + id + " matched 0 AND 1";
                }
            }
            int c = store.candidates(both, out);
            return c != 0 ? "AND candidates returned " + c + " ids" : null;
        });
        assertEquals(null, failure);
    }

    /**
     * An id that turns universal has its label bits cleared; a check of a label the id keeps through the flip
     * must still say yes (the bit and the universal bit are read at different moments).
     */
    @Test
    void labelsKeptThroughUniversalFlipsAreNeverMissed() throws Exception {
        int universal = 9;
        LabelStore store = new LabelStore(universal);
        int n = 2_048;
        for (int id = 0; id < n; id++) {
            store.set(id, new int[] {0, 1});
        }
        assertTrue(store.dense(0) && store.dense(1));
        LabelFilter both = LabelFilter.allOf(0, 1);
        LabelFilter either = LabelFilter.anyOf(0, 1);
        int[] out = new int[n];
        String failure = underConcurrentWrites(411,
                r -> store.set(r.nextInt(n), r.nextBoolean() ? new int[] {0, 1, universal} : new int[] {0, 1}), () -> {
                    for (int id = 0; id < n; id++) {
                        if (!store.matches(id, 0) || !both.matches(store, id) || !either.matches(store, id)) {
                            return "id " + id + " lost a label it always has";
                        }
                    }
                    boolean complete = store.candidates(both, out) == n && store.candidates(either, out) == n;
                    return complete ? null : "a bitset AND/OR missed ids";
                });
        assertEquals(null, failure);
    }

    /**
     * Runs {@code write} in a loop on one thread while another runs {@code readRound} 300 times or until it
     * reports a failure; returns the first failure, or null.
     */
    private static String underConcurrentWrites(long seed, Consumer<Random> write, Supplier<String> readRound)
            throws InterruptedException {
        AtomicBoolean stop = new AtomicBoolean();
        AtomicReference<String> failure = new AtomicReference<>();
        Thread writer = new Thread(() -> {
            Random r = TestSeeds.random(seed);
            while (!stop.get()) {
                write.accept(r);
            }
        });
        Thread reader = new Thread(() -> {
            for (int round = 0; round < 300 && failure.get() == null; round++) {
                String f = readRound.get();
                if (f != null) {
                    failure.set(f);
                }
            }
        });
        writer.start();
        reader.start();
        reader.join();
        stop.set(true);
        writer.join();
        return failure.get();
    }
}
