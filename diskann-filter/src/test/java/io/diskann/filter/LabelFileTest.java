package io.diskann.filter;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.diskann.testing.TestSeeds;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Microsoft DiskANN's label files: read, written, and every bad line named by its number. */
class LabelFileTest {

    @TempDir
    Path dir;

    private Path file(String text) throws IOException {
        Path p = dir.resolve("labels-" + System.nanoTime() + ".txt");
        Files.writeString(p, text, StandardCharsets.UTF_8);
        return p;
    }

    @Test
    void integerLabelsKeepTheirNumbersAndTheUniversalLabelMatchesEveryFilter() throws IOException {
        LabelFile.Contents c = LabelFile.read(file("3,17\n17\n\n0\n42,3,3\n"), "0");
        LabelSets s = c.labels();
        assertTrue(c.dictionary().isNumeric());
        assertEquals(5, s.size());
        assertArrayEquals(new int[] {3, 17}, s.labelsOf(0));
        assertArrayEquals(new int[0], s.labelsOf(2), "an empty line is a point without labels");
        assertArrayEquals(new int[] {3, 42}, s.labelsOf(4), "duplicates dropped, sorted");
        assertTrue(s.matches(0, 17) && s.matches(1, 17) && !s.matches(2, 17));
        assertTrue(s.matches(3, 17) && s.matches(3, 99) && s.isUniversal(3), "universal point 3 matches any label");
        assertEquals(3, s.matchCount(17), "points 0 and 1, and the universal point 3");
        assertEquals(3, s.matchCount(3));
        assertArrayEquals(new int[] {0, 1, 3}, s.pointsMatching(17));
        assertTrue(LabelFilter.allOf(3, 17).matches(s, 0) && !LabelFilter.allOf(3, 17).matches(s, 4));
        assertTrue(LabelFilter.allOf(3, 17).matches(s, 3));
        assertTrue(LabelFilter.anyOf(42, 17).matches(s, 4) && !LabelFilter.anyOf(42, 17).matches(s, 2));
        assertEquals(5, LabelFilter.anyOf(17, 3).maxMatches(s), "the universal point counted once: 1 + 2 + 2");
        assertEquals(3, LabelFilter.anyOf(0, 17).maxMatches(s), "the universal label adds nothing to itself: 1 + 2");
    }

    @Test
    void namedLabelsAreNumberedInOrderOfAppearanceAndSurviveAWriteAndRead() throws IOException {
        LabelFile.Contents c = LabelFile.read(file("shoes,in-stock\nhats\r\nin-stock,sale\n"), null);
        assertFalse(c.dictionary().isNumeric());
        assertEquals(0, c.dictionary().find("shoes"));
        assertEquals(1, c.dictionary().find("in-stock"));
        assertEquals(2, c.dictionary().find("hats"), "a Windows line end is not part of the label");
        assertEquals(-1, c.dictionary().find("boots"));
        Path copy = dir.resolve("copy.txt");
        LabelFile.write(copy, c.labels(), c.dictionary());
        LabelFile.Contents again = LabelFile.read(copy, null);
        for (int p = 0; p < 3; p++) {
            assertEquals(names(c, p), names(again, p));
        }
        LabelFilter f = LabelFilter.parse("shoes|sale", c.dictionary());
        assertTrue(f.matches(c.labels(), 0) && !f.matches(c.labels(), 1) && f.matches(c.labels(), 2));
        assertEquals(2, f.maxMatches(c.labels()));
        assertFalse(LabelFilter.parse("boots", c.dictionary()).matches(c.labels(), 0), "an unknown label matches nothing");
        assertThrows(IllegalArgumentException.class, () -> LabelFilter.parse("a|b&c", c.dictionary()));
        assertThrows(IllegalArgumentException.class, () -> LabelFilter.parse("a||b", c.dictionary()));
    }

    private static java.util.List<String> names(LabelFile.Contents c, int p) {
        return java.util.Arrays.stream(c.labels().labelsOf(p)).mapToObj(c.dictionary()::nameOf).sorted().toList();
    }

    @Test
    void numbersAboveTheLabelBoundAreReadAsNames() throws IOException {
        LabelFile.Contents c = LabelFile.read(file("7\n2000000000,7\n"), null);
        assertFalse(c.dictionary().isNumeric(), "2,000,000,000 would cost gigabytes as an array index");
        assertArrayEquals(new int[] {0, 1}, c.labels().labelsOf(1));
        assertEquals("2000000000", c.dictionary().nameOf(1));
        assertThrows(IllegalArgumentException.class, () -> LabelSets.of(new int[][] {{LabelSets.MAX_LABEL + 1}}, -1));
    }

    @Test
    void aBadLineIsRejectedWithItsNumber() throws IOException {
        String[][] cases = {
                {"1,2\n3,,4\n", "2", "empty label"},
                {"1\n2\n,3\n", "3", "empty label"},
                {"1,\n", "1", "empty label"},
                {"1\n \n", "2", "blanks"},
                {"a, b\n", "1", "blanks"},
                {"a\u0001b\n", "1", "control"},
                {"x".repeat(1025) + "\n", "1", "longer than"},
        };
        for (String[] c : cases) {
            Path p = file(c[0]);
            LabelFileException e = assertThrows(LabelFileException.class, () -> LabelFile.read(p, null), c[0]);
            assertEquals(Integer.parseInt(c[1]), e.line(), e.getMessage());
            assertTrue(e.getMessage().contains("line " + c[1]) && e.getMessage().contains(c[2]), e.getMessage());
        }
        Path bad = dir.resolve("latin1.txt");
        Files.write(bad, new byte[] {'a', '\n', 'b', '\n', (byte) 0xE9, '\n', 'c', '\n'});
        LabelFileException e = assertThrows(LabelFileException.class, () -> LabelFile.read(bad, null));
        assertTrue(e.getMessage().contains("UTF-8") && e.line() == 3, e.getMessage());
        Path cr = file("a\r\nb\rc\n");
        LabelFileException ce = assertThrows(LabelFileException.class, () -> LabelFile.read(cr, null));
        assertEquals(2, ce.line(), "a carriage return inside a line is an error: " + ce.getMessage());
        assertThrows(NoSuchFileException.class, () -> LabelFile.read(dir.resolve("missing.txt"), null));
    }

    @Test
    void randomLabelSetsRoundTripAndCountsAgreeWithAScan() throws IOException {
        Random r = TestSeeds.random(21);
        int n = 2000;
        int[][] per = new int[n][];
        for (int i = 0; i < n; i++) {
            per[i] = new int[r.nextInt(4)];
            for (int j = 0; j < per[i].length; j++) {
                per[i][j] = r.nextInt(30);
            }
        }
        LabelSets s = LabelSets.of(per, 29);
        Path p = dir.resolve("random.txt");
        LabelFile.write(p, s, LabelDictionary.numeric());
        LabelSets back = LabelFile.read(p, "29").labels();
        for (int i = 0; i < n; i++) {
            assertArrayEquals(s.labelsOf(i), back.labelsOf(i));
        }
        for (int l = 0; l < 30; l++) {
            int scan = 0;
            for (int i = 0; i < n; i++) {
                int label = l;
                boolean has = java.util.Arrays.stream(per[i]).anyMatch(x -> x == label || x == 29);
                assertEquals(has, back.matches(i, l), "point " + i + " label " + l);
                scan += has ? 1 : 0;
            }
            assertEquals(scan, back.matchCount(l), "label " + l);
            assertEquals(scan, back.pointsMatching(l).length);
        }
    }
}
