package io.diskann.filter;

import io.diskann.graph.LinkConstraint;
import java.util.Arrays;
import java.util.Random;

/**
 * Filtered-Vamana's rules ({@link LabelLinkConstraint}) over the packed label sets of a vector file
 * ({@link LabelSets}), for the partitioned disk build: the merge's prunes and the refinement pass apply
 * them over the whole set.
 *
 * <p>Why not {@link LabelLinkConstraint}: it reads a {@link LabelStore}, one array per vector and room for
 * updates, which for the builds this is for (vectors larger than the heap) would be the largest thing in
 * the heap; the packed sets are two int arrays. The start points are fixed before the build (the sets
 * never change during it), chosen in the manner of {@link LabelLinkConstraint#chooseStarts} (sampled differently, so
 * a seed picks other vectors): per label, among up to 25
 * random carriers, the one that already starts the fewest labels. Immutable after construction: safe from
 * any number of threads.
 */
final class PackedLinkConstraint implements LinkConstraint {

    private static final int SAMPLE = 25;

    private final LabelSets sets;
    private final int[] offsets;
    private final int[] labels;
    private final int universal;
    /** Per label, its start point (a vector id), or -1 if no vector carries it. */
    private final int[] starts;
    /** Per vector, its label summary ({@link LabelSignatures}): the first answer of both tests. */
    private final long[] signatures;

    PackedLinkConstraint(LabelSets sets, long seed) {
        this.sets = sets;
        this.offsets = sets.offsets();
        this.labels = sets.packedLabels();
        this.universal = sets.universalLabel();
        this.starts = chooseStarts(sets, seed);
        this.signatures = new long[sets.size()];
        for (int p = 0; p < signatures.length; p++) {
            signatures[p] = LabelSignatures.of(labels, offsets[p], offsets[p + 1], universal);
        }
    }

    /**
     * Per label, up to {@link #SAMPLE} carriers sampled uniformly in one pass (reservoir sampling, so no list
     * of every carrier is held), then the least-loaded of them.
     */
    private static int[] chooseStarts(LabelSets sets, long seed) {
        int limit = sets.labelLimit();
        int[] offsets = sets.offsets();
        int[] labels = sets.packedLabels();
        int[] seen = new int[limit];
        int[] sample = new int[limit * SAMPLE];
        Random random = new Random(seed);
        for (int p = 0; p < sets.size(); p++) {
            for (int j = offsets[p]; j < offsets[p + 1]; j++) {
                int l = labels[j];
                if (l == sets.universalLabel()) {
                    continue;
                }
                int c = seen[l]++;
                if (c < SAMPLE) {
                    sample[l * SAMPLE + c] = p;
                } else {
                    int r = random.nextInt(c + 1);
                    if (r < SAMPLE) {
                        sample[l * SAMPLE + r] = p;
                    }
                }
            }
        }
        int[] starts = new int[limit];
        Arrays.fill(starts, -1);
        // labels each chosen vector starts: one entry per label at most, built once
        java.util.Map<Integer, Integer> load = new java.util.HashMap<>();
        for (int l = 0; l < limit; l++) {
            int best = -1;
            for (int t = 0; t < Math.min(SAMPLE, seen[l]); t++) {
                int c = sample[l * SAMPLE + t];
                if (best < 0 || load.getOrDefault(c, 0) < load.getOrDefault(best, 0)) {
                    best = c;
                }
            }
            if (best >= 0) {
                load.merge(best, 1, Integer::sum);
                starts[l] = best;
            }
        }
        return starts;
    }

    /** The labels that have a start point, as {label, id} pairs (the labels section's form). */
    int[] startPairs() {
        int n = 0;
        for (int s : starts) {
            n += s >= 0 ? 1 : 0;
        }
        int[] out = new int[2 * n];
        int w = 0;
        for (int l = 0; l < starts.length; l++) {
            if (starts[l] >= 0) {
                out[w++] = l;
                out[w++] = starts[l];
            }
        }
        return out;
    }

    private boolean isUniversal(int p) {
        return sets.isUniversal(p);
    }

    @Override
    public int maxStartPoints() {
        return LabelLinkConstraint.MAX_STARTS;
    }

    @Override
    public int startPoints(int id, int[] out) {
        int n = 0;
        for (int j = offsets[id]; j < offsets[id + 1] && n < out.length && n < LabelLinkConstraint.MAX_STARTS; j++) {
            int l = labels[j];
            if (l != universal && starts[l] >= 0 && starts[l] != id) {
                out[n++] = starts[l];
            }
        }
        return n;
    }

    @Override
    public boolean shares(int id, int other) {
        if (offsets[id] == offsets[id + 1] || isUniversal(id)) {
            return true;
        }
        if (LabelLinkConstraint.SIGNATURES) {
            int s = LabelSignatures.shares(signatures[id], signatures[other]);
            if (s >= 0) {
                return s == 1;
            }
        }
        if (isUniversal(other)) {
            return true;
        }
        return LabelLinkConstraint.sharesAny(labels, offsets[id], offsets[id + 1], labels, offsets[other],
                offsets[other + 1]);
    }

    @Override
    public boolean mayOcclude(int id, int occluder, int candidate) {
        if (offsets[id] == offsets[id + 1] || isUniversal(occluder)) {
            return true;
        }
        if (LabelLinkConstraint.SIGNATURES) {
            int s = LabelSignatures.mayOcclude(signatures[id], signatures[occluder], signatures[candidate]);
            if (s >= 0) {
                return s == 1;
            }
        }
        boolean nodeAll = isUniversal(id);
        boolean candAll = isUniversal(candidate);
        // as LabelLinkConstraint: the labels candidate and node share must all be the occluder's
        int a = nodeAll ? candidate : id;
        int b = candAll || nodeAll ? a : candidate;
        return LabelLinkConstraint.coversShared(labels, offsets[a], offsets[a + 1], labels, offsets[b], offsets[b + 1],
                labels, offsets[occluder], offsets[occluder + 1], universal);
    }
}
