package io.diskann.capi;

import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * One open index behind a C handle. Calls hold the read lock for their whole length and free takes the
 * write lock, so an index is never closed under a call in flight (the index itself lets searches and
 * updates run side by side; this lock only orders them against free).
 */
abstract class NativeIndex {
    static final int KIND_MEMORY = 0;
    static final int KIND_PQ = 1;
    static final int KIND_DISK = 2;

    /** Set once by the handle table. */
    volatile long handle;
    private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
    private boolean closed;

    final void enter() {
        lock.readLock().lock();
        if (closed) {
            lock.readLock().unlock();
            throw new Status.InvalidHandleException("index handle " + Long.toUnsignedString(handle) + " was freed");
        }
    }

    final void exit() {
        lock.readLock().unlock();
    }

    /** As {@link #enter}, but alone: waits for calls in flight and keeps others out until {@link #exitAlone}. */
    final void enterAlone() {
        lock.writeLock().lock();
        if (closed) {
            lock.writeLock().unlock();
            throw new Status.InvalidHandleException("index handle " + Long.toUnsignedString(handle) + " was freed");
        }
    }

    final void exitAlone() {
        lock.writeLock().unlock();
    }

    /** Waits for calls in flight, then closes. */
    final void free() {
        lock.writeLock().lock();
        try {
            if (!closed) {
                closed = true;
                close();
            }
        } finally {
            lock.writeLock().unlock();
        }
    }

    abstract int dimensions();

    abstract void close();

    /** Fills ids/distances (length >= k) and returns how many were found. */
    abstract int search(float[] query, int k, int listSize, int beamWidth, NativeFilter filter, int[] ids, float[] distances);

    abstract io.diskann.index.SearchResult[] batchSearch(float[][] queries, int k, int listSize, int beamWidth,
                                                         NativeFilter filter);

    abstract io.diskann.index.SearchResult rangeSearch(float[] query, float radius, int listSize, int beamWidth,
                                                       NativeFilter filter);

    abstract void stats(java.lang.foreign.MemorySegment out);

    void build(float[][] vectors, int[][] labels) {
        throw unsupported("build");
    }

    int insert(float[] vector, int[] labels) {
        throw unsupported("insert");
    }

    void delete(int id) {
        throw unsupported("delete");
    }

    void update(int id, float[] vector, int[] labels) {
        throw unsupported("update");
    }

    int consolidate() {
        throw unsupported("consolidate");
    }

    void compress(int pqBytes) {
        throw unsupported("PQ compression");
    }

    /** The SSD-resident index's node cache chosen by sample queries; returns the nodes cached. */
    int cacheFromQueries(float[][] sample, int k, int listSize, int beamWidth, int nodes) throws IOException {
        throw unsupported("a node cache chosen by sample queries");
    }

    void save(Path path) throws IOException {
        throw unsupported("save");
    }

    abstract String kindName();

    final UnsupportedOperationException unsupported(String what) {
        return new UnsupportedOperationException(what + " is not supported by " + kindName());
    }
}
