package io.diskann.filter;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Names for labels. Inside the library a label is a non-negative int (compact, fast to compare); users
 * whose labels are names ("shoes", "in-stock") get them numbered here, in order of first appearance.
 * A numeric dictionary ({@link #numeric()}) keeps integer labels as they are, so a Microsoft DiskANN label
 * file of integers means the same labels here as there.
 *
 * <p>Thread-safe: names may be added while others are looked up.
 */
public final class LabelDictionary {

    /** Longest label name accepted (characters). */
    public static final int MAX_NAME_LENGTH = 1024;

    private final boolean numeric;
    private final Map<String, Integer> ids = new ConcurrentHashMap<>();
    private final List<String> names = new ArrayList<>();

    private LabelDictionary(boolean numeric) {
        this.numeric = numeric;
    }

    /**
     * A dictionary of named labels, numbered 0, 1, 2... in order of first appearance.
     *
     * @return an empty dictionary
     */
    public static LabelDictionary names() {
        return new LabelDictionary(false);
    }

    /**
     * Integer labels written as decimal numbers: "17" is label 17.
     *
     * @return the numeric dictionary
     */
    public static LabelDictionary numeric() {
        return new LabelDictionary(true);
    }

    /**
     * Whether labels are their own decimal names.
     *
     * @return true for {@link #numeric()}
     */
    public boolean isNumeric() {
        return numeric;
    }

    /**
     * The label called {@code name}, numbered now if it is new.
     *
     * @param name the label's name (non-empty, no commas, no surrounding blanks)
     * @return its id
     * @throws IllegalArgumentException if the name is not a valid label (or not a number, for a numeric dictionary)
     */
    public int idOf(String name) {
        check(name);
        if (numeric) {
            return parseNumber(name);
        }
        Integer id = ids.get(name);
        if (id != null) {
            return id;
        }
        synchronized (names) {
            return ids.computeIfAbsent(name, n -> {
                names.add(n);
                return names.size() - 1;
            });
        }
    }

    /**
     * The label called {@code name} if it is known.
     *
     * @param name the name
     * @return its id, or -1 when no point has carried it
     */
    public int find(String name) {
        if (numeric) {
            check(name);
            return parseNumber(name);
        }
        Integer id = ids.get(name);
        return id == null ? -1 : id;
    }

    /**
     * The name of label {@code id}.
     *
     * @param id a label id
     * @return its name
     * @throws IllegalArgumentException if no label has that id
     */
    public String nameOf(int id) {
        if (numeric) {
            if (id < 0) {
                throw new IllegalArgumentException("labels are non-negative, got " + id);
            }
            return Integer.toString(id);
        }
        synchronized (names) {
            if (id < 0 || id >= names.size()) {
                throw new IllegalArgumentException("no label has id " + id + " (" + names.size() + " labels known)");
            }
            return names.get(id);
        }
    }

    /**
     * How many named labels are known (0 for a numeric dictionary, whose labels need no entries).
     *
     * @return the number of names
     */
    public int size() {
        synchronized (names) {
            return names.size();
        }
    }

    private static void check(String name) {
        if (name == null || name.isEmpty()) {
            throw new IllegalArgumentException("a label name must not be empty");
        }
        if (name.length() > MAX_NAME_LENGTH) {
            throw new IllegalArgumentException("a label name is longer than " + MAX_NAME_LENGTH + " characters");
        }
        if (Character.isWhitespace(name.charAt(0)) || Character.isWhitespace(name.charAt(name.length() - 1))) {
            throw new IllegalArgumentException("label '" + name + "' begins or ends with a blank");
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c == ',' || c == '|' || c == '&' || Character.isISOControl(c)) {
                throw new IllegalArgumentException("label '" + name + "' contains '" + (Character.isISOControl(c)
                        ? String.format("\\u%04x", (int) c) : String.valueOf(c)) + "' (commas separate labels; | and & combine them in filters)");
            }
        }
    }

    private static int parseNumber(String name) {
        for (int i = 0; i < name.length(); i++) {
            if (name.charAt(i) < '0' || name.charAt(i) > '9') {
                throw new IllegalArgumentException("label '" + name + "' is not a non-negative integer");
            }
        }
        try {
            return Integer.parseInt(name);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("label '" + name + "' is larger than " + Integer.MAX_VALUE);
        }
    }
}
