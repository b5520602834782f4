package io.diskann.capi;

import io.diskann.index.Searcher;
import io.diskann.index.VectorIndex;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * One searcher per calling thread over one index, so the unfiltered path reuses its queues and visited
 * set and allocates nothing per call; every searcher handed out is closed with the index.
 */
final class Searchers {
    private final VectorIndex index;
    private final ThreadLocal<Searcher> perThread;
    private final ConcurrentLinkedQueue<Searcher> all = new ConcurrentLinkedQueue<>();

    Searchers(VectorIndex index) {
        this.index = index;
        this.perThread = ThreadLocal.withInitial(this::open);
    }

    private Searcher open() {
        Searcher s = index.searcher();
        all.add(s);
        return s;
    }

    VectorIndex index() {
        return index;
    }

    Searcher get() {
        return perThread.get();
    }

    void close() {
        Searcher s;
        while ((s = all.poll()) != null) {
            s.close();
        }
    }
}
