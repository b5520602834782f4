package io.diskann.filter;

/**
 * Read access to points' labels, as filters test them: the immutable {@link LabelSets} of a file, or the
 * live labels of a {@link LabeledIndex}. Implementations are thread-safe.
 */
public interface LabelView {

    /**
     * Whether point {@code id} carries {@code label} or the universal label.
     *
     * @param id the point
     * @param label the label
     * @return true if a filter on {@code label} matches the point
     */
    boolean matches(int id, int label);

    /**
     * Whether point {@code id} carries the universal label (matches every filter).
     *
     * @param id the point
     * @return true if universal
     */
    boolean isUniversal(int id);

    /**
     * How many points a filter on {@code label} matches (its carriers and the universal points).
     *
     * @param label the label
     * @return the count
     */
    int matchCount(int label);

    /**
     * The label that matches every filter.
     *
     * @return the universal label, or -1 for none
     */
    int universalLabel();

    /**
     * How many points carry the universal label (0 without one).
     *
     * @return the count
     */
    int universalCount();

    /**
     * How many points have labels here (the bound for union estimates).
     *
     * @return the number of points
     */
    int size();

    /**
     * Whether point {@code id} carries every one of {@code labels}, or the universal label (an AND filter).
     * Implementations may answer faster than label by label (bitsets of dense labels).
     *
     * @param labels the labels, at least one
     * @param id the point
     * @return true if an all-of filter on {@code labels} matches the point
     */
    default boolean matchesAll(int[] labels, int id) {
        if (isUniversal(id)) {
            return true;
        }
        for (int l : labels) {
            if (!matches(id, l)) {
                return false;
            }
        }
        return true;
    }

    /**
     * Whether point {@code id} carries any of {@code labels}, or the universal label (an OR filter).
     * Implementations may answer faster than label by label (one read of the id's labels for all sparse ones).
     *
     * @param labels the labels, at least one
     * @param id the point
     * @return true if an any-of filter on {@code labels} matches the point
     */
    default boolean matchesAny(int[] labels, int id) {
        for (int l : labels) {
            if (matches(id, l)) {
                return true;
            }
        }
        return false;
    }
}
