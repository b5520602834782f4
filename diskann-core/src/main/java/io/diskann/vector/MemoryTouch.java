package io.diskann.vector;

/**
 * How much of a stored vector {@link QueryScorer#touch} reads by default: its first 16 64-byte cache
 * lines (1 KiB). Searches set their own figure ({@code SearchParams.touchLines}); the system property
 * {@code -Ddiskann.touch.lines} is only a developer override of this default, for A/B measurements.
 *
 * <p>Measured on Fashion-MNIST (docs/PERFORMANCE.md): touching every line of a u8 784-d vector (13 lines)
 * before scoring a node's neighbours is about 45% faster than not touching; for a f32 784-d vector (49
 * lines) touching them all is slower than touching a few, because the touches then queue behind each
 * other in the L1 miss buffers while the hardware prefetcher would have streamed the rest anyway.
 */
public final class MemoryTouch {

    /** Lines touched when a search does not say. */
    public static final int DEFAULT_LINES = Integer.getInteger("diskann.touch.lines", 16);

    private MemoryTouch() {
    }
}
