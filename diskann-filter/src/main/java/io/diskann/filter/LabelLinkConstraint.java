package io.diskann.filter;

import io.diskann.graph.LinkConstraint;
import java.util.Arrays;
import java.util.Random;
import java.util.concurrent.atomic.AtomicIntegerArray;

/**
 * Filtered-Vamana's rules (Gollapudi et al., "Filtered-DiskANN", WWW 2023) over a {@link LabelStore}:
 * a vector's search starts at the start points of its labels and passes only through nodes that share a
 * label with it; in robust prune a kept neighbour occludes a candidate only if it carries every label the
 * candidate shares with the node. So each label's vectors stay connected among themselves, and a filtered
 * search can walk only the vectors that match.
 *
 * <p>Start points: one per label, chosen before the build among up to 25 random carriers as the one that
 * is already the start of the fewest labels (DiskANN's load balancing); a label first seen at an insert
 * gets that vector. The universal label matches everything; a vector without labels is linked as in plain
 * Vamana. Thread-safe.
 */
final class LabelLinkConstraint implements LinkConstraint {

    /** Start points a vector's search uses at most (its first labels). */
    static final int MAX_STARTS = 16;
    /**
     * {@code -Ddiskann.labelSignatures=false} answers every "shares" and "may occlude" from the label arrays: an
     * A/B switch.
     */
    static final boolean SIGNATURES = !"false".equals(System.getProperty("diskann.labelSignatures"));
    private static final int SAMPLE = 25;

    private final LabelStore labels;
    private volatile AtomicIntegerArray starts;

    LabelLinkConstraint(LabelStore labels, int labelLimit) {
        this.labels = labels;
        AtomicIntegerArray a = new AtomicIntegerArray(Math.max(16, labelLimit));
        for (int i = 0; i < a.length(); i++) {
            a.set(i, -1);
        }
        this.starts = a;
    }

    /** Chooses every label's start point among {@code n} labeled ids 0..n-1 (before a bulk build). */
    void chooseStarts(int n, long seed) {
        int limit = starts.length();
        int[][] carriers = new int[limit][];
        int[] counts = new int[limit];
        for (int id = 0; id < n; id++) {
            for (int l : labels.labelsOf(id)) {
                if (l == labels.universalLabel()) {
                    continue;
                }
                ensure(l);
                if (l >= counts.length) {
                    counts = Arrays.copyOf(counts, Math.max(l + 1, counts.length * 2));
                    carriers = Arrays.copyOf(carriers, counts.length);
                }
                if (carriers[l] == null) {
                    carriers[l] = new int[4];
                } else if (counts[l] == carriers[l].length) {
                    carriers[l] = Arrays.copyOf(carriers[l], counts[l] * 2);
                }
                carriers[l][counts[l]++] = id;
            }
        }
        Random random = new Random(seed);
        int[] load = new int[n];
        for (int l = 0; l < counts.length; l++) {
            if (counts[l] == 0) {
                continue;
            }
            int best = -1;
            for (int t = 0; t < Math.min(SAMPLE, counts[l]); t++) {
                int c = carriers[l][counts[l] <= SAMPLE ? t : random.nextInt(counts[l])];
                if (best < 0 || load[c] < load[best]) {
                    best = c;
                }
            }
            load[best]++;
            starts.set(l, best);
        }
    }

    private void ensure(int label) {
        if (label >= starts.length()) {
            synchronized (this) {
                AtomicIntegerArray a = starts;
                if (label >= a.length()) {
                    AtomicIntegerArray b = new AtomicIntegerArray(Math.max(label + 1, a.length() * 2));
                    for (int i = 0; i < b.length(); i++) {
                        b.set(i, i < a.length() ? a.get(i) : -1);
                    }
                    starts = b;
                }
            }
        }
    }

    /** The start point of {@code label}, or -1 if no vector carries it yet. */
    int startOf(int label) {
        AtomicIntegerArray a = starts;
        return label >= 0 && label < a.length() ? a.get(label) : -1;
    }

    /** Sets a label's start point (loading a saved index). */
    void setStart(int label, int id) {
        ensure(label);
        starts.set(label, id);
    }

    /** Sets a label's start point if it is still {@code expect}; returns whether it was. */
    boolean compareAndSetStart(int label, int expect, int update) {
        AtomicIntegerArray a = starts;
        return label >= 0 && label < a.length() && a.compareAndSet(label, expect, update);
    }

    /** Labels that have a start point, as {label, id} pairs. */
    synchronized int[] startPairs() {
        AtomicIntegerArray a = starts;
        int[] out = new int[2 * a.length()];
        int n = 0;
        for (int l = 0; l < a.length(); l++) {
            if (a.get(l) >= 0) {
                out[n++] = l;
                out[n++] = a.get(l);
            }
        }
        return Arrays.copyOf(out, n);
    }

    @Override
    public int maxStartPoints() {
        return MAX_STARTS;
    }

    @Override
    public int startPoints(int id, int[] out) {
        int[] own = labels.raw(id);
        int n = 0;
        for (int l : own) {
            if (n == out.length || n == MAX_STARTS) {
                break;
            }
            if (l == labels.universalLabel()) {
                continue;
            }
            ensure(l);
            AtomicIntegerArray a = starts;
            if (a.get(l) < 0 && a.compareAndSet(l, -1, id)) {
                continue; // the first vector with this label becomes its start point
            }
            int s = a.get(l);
            if (s != id) {
                out[n++] = s;
            }
        }
        return n;
    }

    @Override
    public boolean shares(int id, int other) {
        if (SIGNATURES) {
            // most tests are answered on the two ids' summaries alone (exact for up to three labels; a summary's
            // bits turn away most ids sharing nothing), without the two dependent misses of reading a label array
            long a = labels.signature(id);
            if (a == LabelSignatures.NONE || a == LabelSignatures.UNIVERSAL) {
                return true; // an unlabeled or universal vector is linked as in plain Vamana
            }
            int s = LabelSignatures.shares(a, labels.signature(other));
            if (s >= 0) {
                return s == 1;
            }
        }
        int[] a = labels.raw(id);
        if (a.length == 0 || labels.isUniversal(id)) {
            return true;
        }
        if (labels.isUniversal(other)) {
            return true;
        }
        int[] b = labels.raw(other);
        return sharesAny(a, 0, a.length, b, 0, b.length);
    }

    @Override
    public boolean mayOcclude(int id, int occluder, int candidate) {
        if (SIGNATURES) {
            long node = labels.signature(id);
            if (node == LabelSignatures.NONE) {
                return true;
            }
            int s = LabelSignatures.mayOcclude(node, labels.signature(occluder), labels.signature(candidate));
            if (s >= 0) {
                return s == 1;
            }
        }
        int[] node = labels.raw(id);
        if (node.length == 0 || labels.isUniversal(occluder)) {
            return true;
        }
        int[] occ = labels.raw(occluder);
        int[] cand = labels.raw(candidate);
        boolean nodeAll = labels.isUniversal(id);
        boolean candAll = labels.isUniversal(candidate);
        // the labels candidate and node share must all be the occluder's
        int[] a = nodeAll ? cand : node;
        int[] b = candAll || nodeAll ? a : cand;
        return coversShared(a, 0, a.length, b, 0, b.length, occ, 0, occ.length, labels.universalLabel());
    }

    /** Whether the sorted label ranges {@code a[af..at)} and {@code b[bf..bt)} have a label in common. */
    static boolean sharesAny(int[] a, int af, int at, int[] b, int bf, int bt) {
        int i = af;
        int j = bf;
        while (i < at && j < bt) {
            if (a[i] == b[j]) {
                return true;
            }
            if (a[i] < b[j]) {
                i++;
            } else {
                j++;
            }
        }
        return false;
    }

    /**
     * Whether every label (other than {@code universal}) common to the sorted ranges {@code a[af..at)} and
     * {@code b[bf..bt)} is in the sorted range {@code occ[of..ot)}: Filtered-Vamana's occlusion test.
     */
    static boolean coversShared(int[] a, int af, int at, int[] b, int bf, int bt, int[] occ, int of, int ot,
                                int universal) {
        int i = af;
        int j = bf;
        while (i < at && j < bt) {
            if (a[i] == b[j]) {
                if (a[i] != universal && Arrays.binarySearch(occ, of, ot, a[i]) < 0) {
                    return false;
                }
                i++;
                j++;
            } else if (a[i] < b[j]) {
                i++;
            } else {
                j++;
            }
        }
        return true;
    }
}
