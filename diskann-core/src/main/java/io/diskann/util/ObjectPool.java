package io.diskann.util;

import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * A small, bounded, lock-free pool of reusable objects (searchers, linking scratch): {@link #poll} takes
 * one if any is idle, {@link #offer} returns one, dropping it when the pool is full.
 *
 * <p>Why not thread-locals: a thread-local keeps its object for the life of the thread, per index,
 * whether the thread ever searches again or not, and virtual threads would each get their own. A pool
 * holds at most {@code capacity} objects, about as many as run at once. Neither call allocates: slots are
 * claimed and released with compare-and-set, and a slot is probed from a per-thread starting point so
 * concurrent callers rarely collide.
 *
 * @param <T> the type of the pooled objects
 */
public final class ObjectPool<T> {

    private final AtomicReferenceArray<T> slots;

    /**
     * A pool keeping at most {@code capacity} idle objects.
     *
     * @param capacity most idle objects kept (at least 1)
     * @throws IllegalArgumentException if {@code capacity < 1}
     */
    public ObjectPool(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be at least 1, got " + capacity);
        }
        this.slots = new AtomicReferenceArray<>(capacity);
    }

    private int startSlot() {
        return (int) (Thread.currentThread().threadId() % slots.length());
    }

    /**
     * Takes an idle object out of the pool.
     *
     * @return an idle object, or null if none is
     */
    public T poll() {
        int n = slots.length();
        int start = startSlot();
        for (int i = 0; i < n; i++) {
            int s = start + i < n ? start + i : start + i - n;
            T t = slots.get(s);
            if (t != null && slots.compareAndSet(s, t, null)) {
                return t;
            }
        }
        return null;
    }

    /**
     * Returns {@code t} to the pool; returns false (and keeps nothing) if the pool is full.
     *
     * @param t the object to keep, not null
     * @return true if it was kept, false if the pool is full
     */
    public boolean offer(T t) {
        int n = slots.length();
        int start = startSlot();
        for (int i = 0; i < n; i++) {
            int s = start + i < n ? start + i : start + i - n;
            if (slots.get(s) == null && slots.compareAndSet(s, null, t)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Removes every idle object and returns how many there were.
     *
     * @return the number of objects removed
     */
    public int clear() {
        int removed = 0;
        for (int s = 0; s < slots.length(); s++) {
            if (slots.getAndSet(s, null) != null) {
                removed++;
            }
        }
        return removed;
    }
}
