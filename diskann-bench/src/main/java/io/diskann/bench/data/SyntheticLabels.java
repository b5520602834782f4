package io.diskann.bench.data;

import io.diskann.filter.LabelFilter;
import io.diskann.filter.LabelSets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/**
 * Labels that are not correlated with geometry, and query filters chosen to match a given share of the
 * points: the hard case for filtered graph search (labels that follow clusters would let an unfiltered
 * graph answer well by luck). Seeded and reproducible.
 */
public final class SyntheticLabels {

    private SyntheticLabels() {
    }

    /**
     * Draws each point's labels: a count uniform in {@code minPerPoint..maxPerPoint}, then that many
     * distinct labels from {@code 0..labels-1}, uniformly or Zipf-distributed (label l with weight
     * 1/(l+1)^exponent).
     *
     * @param n points
     * @param labels distinct labels
     * @param zipf Zipf (true) or uniform (false)
     * @param exponent the Zipf exponent (1 is the classic law)
     * @param minPerPoint fewest labels per point (0 allowed)
     * @param maxPerPoint most labels per point (at most {@code labels})
     * @param seed the seed
     * @return the label sets
     */
    public static LabelSets generate(int n, int labels, boolean zipf, double exponent, int minPerPoint, int maxPerPoint,
                                     long seed) {
        if (n < 1 || labels < 1 || minPerPoint < 0 || maxPerPoint < minPerPoint || maxPerPoint > labels) {
            throw new IllegalArgumentException("need n >= 1, labels >= 1 and 0 <= min <= max <= labels per point; got n "
                    + n + ", labels " + labels + ", per point " + minPerPoint + ".." + maxPerPoint);
        }
        double[] cumulative = new double[labels];
        double sum = 0;
        for (int l = 0; l < labels; l++) {
            sum += zipf ? 1 / Math.pow(l + 1, exponent) : 1;
            cumulative[l] = sum;
        }
        Random random = new Random(seed);
        LabelSets.Builder b = LabelSets.builder(-1);
        int[] chosen = new int[maxPerPoint];
        for (int i = 0; i < n; i++) {
            int count = minPerPoint + random.nextInt(maxPerPoint - minPerPoint + 1);
            int have = 0;
            while (have < count) {
                int at = Arrays.binarySearch(cumulative, random.nextDouble() * sum);
                int l = at >= 0 ? at : Math.min(labels - 1, -at - 1);
                boolean dup = false;
                for (int j = 0; j < have && !dup; j++) {
                    dup = chosen[j] == l;
                }
                if (!dup) {
                    chosen[have++] = l;
                }
            }
            b.add(Arrays.copyOf(chosen, count));
        }
        return b.build();
    }

    /** A filter with the share of points it matches. */
    public record Candidate(LabelFilter filter, String expression, double selectivity) {
    }

    /**
     * Filters of one kind whose selectivity is as near {@code target} as the labels allow (on a log
     * scale), best first: single labels; unions of labels (OR), grown from the rarest labels; pairs of
     * labels (AND). Counted exactly over the points.
     *
     * @param sets the points' labels
     * @param kind "label", "or" or "and"
     * @param target the share of points wanted, in (0, 1]
     * @param max how many candidates at most
     * @return candidates about as near the target as the nearest, nearest first
     */
    public static List<Candidate> filtersNear(LabelSets sets, String kind, double target, int max) {
        int labels = sets.labelLimit();
        int n = sets.size();
        List<Candidate> out = new ArrayList<>();
        switch (kind) {
            case "label" -> {
                for (int l = 0; l < labels; l++) {
                    out.add(new Candidate(LabelFilter.label(l), Integer.toString(l), sets.matchCount(l) / (double) n));
                }
            }
            case "or" -> {
                // labels by count, rarest first; from each start, add the next rarer-to-commoner labels while
                // the union stays near the target
                Integer[] order = new Integer[labels];
                for (int l = 0; l < labels; l++) {
                    order[l] = l;
                }
                Arrays.sort(order, (a, b) -> Integer.compare(sets.matchCount(a), sets.matchCount(b)));
                for (int start = 0; start < labels; start++) {
                    if (sets.matchCount(order[start]) > 1.5 * target * n && !out.isEmpty()) {
                        break; // ascending counts: every later start is already too common alone
                    }
                    long reach = 0; // an upper bound of the union of the next 8 labels
                    for (int j = start; j < Math.min(labels, start + 8); j++) {
                        reach += sets.matchCount(order[j]);
                    }
                    if (reach < target * n / 1.5 && start + 8 < labels) {
                        continue; // too rare to get near the target
                    }
                    boolean[] in = new boolean[n];
                    int union = 0;
                    List<Integer> members = new ArrayList<>();
                    for (int j = start; j < labels && members.size() < 8; j++) {
                        int l = order[j];
                        int added = 0;
                        for (int p = 0; p < n; p++) {
                            if (!in[p] && sets.matches(p, l)) {
                                added++;
                            }
                        }
                        if (members.size() >= 2 && (union + added) / (double) n > target * 1.5) {
                            break;
                        }
                        for (int p = 0; p < n; p++) {
                            in[p] |= sets.matches(p, l);
                        }
                        union += added;
                        members.add(l);
                    }
                    if (members.size() >= 2) {
                        int[] ls = members.stream().mapToInt(Integer::intValue).toArray();
                        out.add(new Candidate(LabelFilter.anyOf(ls), join(ls, "|"), union / (double) n));
                    }
                    if (out.size() >= 16 * max) {
                        break;
                    }
                }
            }
            case "and" -> {
                if (labels > 4096) {
                    throw new IllegalArgumentException("and-filters are chosen among pairs of up to 4096 labels, not " + labels);
                }
                long[] pairs = new long[labels * labels];
                for (int p = 0; p < n; p++) {
                    int[] ls = sets.labelsOf(p);
                    for (int i = 0; i < ls.length; i++) {
                        for (int j = i + 1; j < ls.length; j++) {
                            pairs[ls[i] * labels + ls[j]]++;
                        }
                    }
                }
                for (int a = 0; a < labels; a++) {
                    for (int b = a + 1; b < labels; b++) {
                        if (pairs[a * labels + b] > 0) {
                            out.add(new Candidate(LabelFilter.allOf(a, b), a + "&" + b, pairs[a * labels + b] / (double) n));
                        }
                    }
                }
            }
            default -> throw new IllegalArgumentException("unknown filter kind " + kind + ": expected label, or or and");
        }
        out.sort((x, y) -> Double.compare(Math.abs(Math.log(x.selectivity() / target)),
                Math.abs(Math.log(y.selectivity() / target))));
        // keep those about as near as the nearest (within a factor of 1.5 beyond its distance)
        double limit = out.isEmpty() ? 0 : Math.abs(Math.log(out.get(0).selectivity() / target)) + Math.log(1.5);
        List<Candidate> near = new ArrayList<>();
        for (Candidate c : out) {
            if (near.size() < max && Math.abs(Math.log(c.selectivity() / target)) <= limit) {
                near.add(c);
            }
        }
        return near;
    }

    private static String join(int[] ls, String sep) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < ls.length; i++) {
            if (i > 0) {
                sb.append(sep);
            }
            sb.append(ls[i]);
        }
        return sb.toString();
    }
}
