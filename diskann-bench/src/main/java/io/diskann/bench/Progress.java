package io.diskann.bench;

import java.io.PrintStream;
import java.util.Locale;

/**
 * A one-line progress bar on standard error with rate and ETA; on a non-terminal (CI logs) it prints a
 * line every 10% instead of redrawing.
 */
final class Progress {

    private final String label;
    private long total;
    private final long startNanos = System.nanoTime();
    private final PrintStream out = System.err;
    private final boolean terminal = System.console() != null;
    private int lastTenth = -1;
    private long lastDraw;

    Progress(String label, long total) {
        this.label = label;
        this.total = Math.max(1, total);
    }

    /** As {@link #update(long)}, with the total as the caller now knows it (a build that learns it as it goes). */
    synchronized void update(long done, long total) {
        this.total = Math.max(1, total);
        update(done);
    }

    synchronized void update(long done) {
        long now = System.nanoTime();
        double secs = (now - startNanos) / 1e9;
        double rate = done / Math.max(secs, 1e-9);
        double eta = (total - done) / Math.max(rate, 1e-9);
        int tenth = (int) (10 * done / total);
        if (terminal) {
            if (now - lastDraw < 100_000_000L && done < total) {
                return;
            }
            lastDraw = now;
            int width = 30;
            int filled = (int) (width * done / total);
            out.printf(Locale.ROOT, "\r%s [%s%s] %d/%d %.0f/s ETA %.0fs ", label, "#".repeat(filled),
                    " ".repeat(width - filled), done, total, rate, eta);
            if (done >= total) {
                out.println();
            }
        } else if (tenth != lastTenth) {
            lastTenth = tenth;
            out.printf(Locale.ROOT, "%s %3d%% (%d/%d, %.0f/s, ETA %.0fs)%n", label, 10 * tenth, done, total, rate, eta);
        }
    }
}
