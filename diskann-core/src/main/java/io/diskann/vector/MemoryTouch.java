package io.diskann.vector;

/**
 * How much of a stored vector {@link QueryScorer#touch} reads: its first {@link #LINES} 64-byte cache
 * lines ({@code -Ddiskann.touch.lines}, default 16, i.e. 1 KiB).
 *
 * <p>Measured on Fashion-MNIST (docs/PERFORMANCE.md): touching every line of a u8 784-d vector (13 lines)
 * before scoring a node's neighbours is about 45% faster than not touching; for a f32 784-d vector (49
 * lines) touching them all is slower than touching a few, because the touches then queue behind each
 * other in the L1 miss buffers while the hardware prefetcher would have streamed the rest anyway.
 */
final class MemoryTouch {

    static final int LINES = Integer.getInteger("diskann.touch.lines", 16);

    private MemoryTouch() {
    }
}
