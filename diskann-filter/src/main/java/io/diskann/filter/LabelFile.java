package io.diskann.filter;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/**
 * Microsoft DiskANN's label files: UTF-8 text, line i holds point i's labels separated by commas
 * ({@code 3,17,42} or {@code shoes,in-stock}). An empty line is a point without labels. A universal
 * label (DiskANN's {@code --universal_label}) marks points that match every filter.
 *
 * <p>Reading checks every line and names the first bad one by its number: an empty label between
 * commas, a label with surrounding blanks or control characters, a name too long, invalid UTF-8. When
 * every label in the file is a non-negative integer the labels keep their numbers
 * ({@link LabelDictionary#numeric()}), up to {@link LabelSets#MAX_LABEL}; otherwise they are names,
 * numbered in order of appearance. A carriage return before a line feed is dropped; anywhere else it is
 * a control character in a label, and an error.
 */
public final class LabelFile {

    /**
     * What a label file holds.
     *
     * @param labels the points' label sets (point i = line i)
     * @param dictionary the names of their labels
     */
    public record Contents(LabelSets labels, LabelDictionary dictionary) {
    }

    private LabelFile() {
    }

    /**
     * Reads a label file.
     *
     * @param path the file
     * @param universal the universal label's name, or null for none
     * @return the label sets (point i = line i) and their dictionary
     * @throws LabelFileException if a line is malformed (with its number) or the file is not UTF-8 text
     * @throws IOException if the file cannot be read
     */
    public static Contents read(Path path, String universal) throws IOException {
        List<String[]> lines = new ArrayList<>();
        boolean allNumeric = true;
        long largest = -1;
        var decoder = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(path);
        } catch (NoSuchFileException e) {
            throw new NoSuchFileException(path.toString(), null, "label file not found");
        }
        // split on \n ourselves (a \r only ends a line before \n), so every error names its own line
        int lineNumber = 0;
        for (int from = 0; from < bytes.length; ) {
            int end = from;
            while (end < bytes.length && bytes[end] != '\n') {
                end++;
            }
            lineNumber++;
            int stop = end > from && bytes[end - 1] == '\r' ? end - 1 : end;
            String line;
            try {
                line = decoder.decode(java.nio.ByteBuffer.wrap(bytes, from, stop - from)).toString();
            } catch (CharacterCodingException e) {
                throw new LabelFileException(path, lineNumber, "not UTF-8 text");
            }
            String[] tokens = split(path, lineNumber, line);
            for (String t : tokens) {
                boolean number = isNumber(t);
                allNumeric &= number;
                if (number) {
                    largest = Math.max(largest, Long.parseLong(t));
                }
            }
            lines.add(tokens);
            from = end + 1;
        }
        if (largest > LabelSets.MAX_LABEL) {
            allNumeric = false; // numbers that large are names: numbered densely instead
        }
        if (universal != null && !isNumber(universal)) {
            allNumeric = false;
        }
        LabelDictionary dictionary = allNumeric ? LabelDictionary.numeric() : LabelDictionary.names();
        int universalId = -1;
        if (universal != null) {
            try {
                universalId = dictionary.idOf(universal);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("universal label: " + e.getMessage(), e);
            }
        }
        LabelSets.Builder b = LabelSets.builder(universalId);
        int number = 0;
        for (String[] tokens : lines) {
            number++;
            int[] ids = new int[tokens.length];
            for (int i = 0; i < tokens.length; i++) {
                try {
                    ids[i] = dictionary.idOf(tokens[i]);
                } catch (IllegalArgumentException e) {
                    throw new LabelFileException(path, number, e.getMessage());
                }
            }
            b.add(ids);
        }
        return new Contents(b.build(), dictionary);
    }

    private static String[] split(Path path, int lineNumber, String line) throws LabelFileException {
        if (line.isEmpty()) {
            return new String[0];
        }
        if (line.isBlank()) {
            throw new LabelFileException(path, lineNumber, "a line of blanks (an empty line is a point without labels)");
        }
        String[] tokens = line.split(",", -1);
        for (int i = 0; i < tokens.length; i++) {
            String t = tokens[i];
            if (t.isEmpty()) {
                throw new LabelFileException(path, lineNumber, tokens.length == 1 ? "empty line with blanks"
                        : "an empty label (two commas in a row, or a comma at the start or end of the line)");
            }
            if (t.length() > LabelDictionary.MAX_NAME_LENGTH) {
                throw new LabelFileException(path, lineNumber, "a label longer than " + LabelDictionary.MAX_NAME_LENGTH
                        + " characters");
            }
            if (Character.isWhitespace(t.charAt(0)) || Character.isWhitespace(t.charAt(t.length() - 1))) {
                throw new LabelFileException(path, lineNumber, "label '" + t.strip() + "' has blanks around it");
            }
            for (int c = 0; c < t.length(); c++) {
                if (Character.isISOControl(t.charAt(c))) {
                    throw new LabelFileException(path, lineNumber, String.format("label contains control character \\u%04x",
                            (int) t.charAt(c)));
                }
            }
        }
        return tokens;
    }

    private static boolean isNumber(String t) {
        if (t.isEmpty() || t.length() > 10) {
            return false;
        }
        for (int i = 0; i < t.length(); i++) {
            if (t.charAt(i) < '0' || t.charAt(i) > '9') {
                return false;
            }
        }
        return Long.parseLong(t) <= Integer.MAX_VALUE;
    }

    /**
     * Writes a label file atomically (a temporary file beside it, forced to disk, then renamed).
     *
     * @param path the file
     * @param labels the label sets
     * @param dictionary the names to write the labels by
     * @throws IOException if writing fails
     */
    public static void write(Path path, LabelSets labels, LabelDictionary dictionary) throws IOException {
        Path dir = path.toAbsolutePath().getParent();
        Path tmp = Files.createTempFile(dir, path.getFileName().toString(), ".tmp");
        try {
            try { // a temporary file is private (0600); a label file is data like any other
                Files.setPosixFilePermissions(tmp, java.nio.file.attribute.PosixFilePermissions.fromString("rw-r--r--"));
            } catch (UnsupportedOperationException notPosix) {
                // keep the file system's default
            }
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING);
                 BufferedWriter out = new BufferedWriter(new OutputStreamWriter(Channels.newOutputStream(ch),
                         StandardCharsets.UTF_8), 1 << 16)) {
                StringBuilder sb = new StringBuilder();
                for (int p = 0; p < labels.size(); p++) {
                    sb.setLength(0);
                    int[] l = labels.labelsOf(p);
                    for (int i = 0; i < l.length; i++) {
                        if (i > 0) {
                            sb.append(',');
                        }
                        sb.append(dictionary.nameOf(l[i]));
                    }
                    sb.append('\n');
                    out.write(sb.toString());
                }
                out.flush();
                ch.force(true);
            }
            Files.move(tmp, path, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }
}
