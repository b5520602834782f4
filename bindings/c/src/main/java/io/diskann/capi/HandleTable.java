package io.diskann.capi;

import java.util.ArrayDeque;
import java.util.Arrays;

/**
 * Open indexes by handle. A handle is (serial &lt;&lt; 24 | slot + 1): the slot finds the entry in O(1) without
 * a lock, and the serial, which never repeats, makes a freed handle stay invalid even after its slot is
 * reused, so use after free and double free are errors instead of touching another index.
 */
final class HandleTable {
    private static final int SLOT_BITS = 24;
    private static final long SLOT_MASK = (1L << SLOT_BITS) - 1;

    private volatile NativeIndex[] slots = new NativeIndex[64];
    private final ArrayDeque<Integer> freeSlots = new ArrayDeque<>();
    private int used;
    private long serial;

    synchronized long add(NativeIndex index) {
        int slot;
        if (!freeSlots.isEmpty()) {
            slot = freeSlots.pop();
        } else {
            if (used == SLOT_MASK - 1) {
                throw new IllegalStateException("too many open indexes (" + used + "); free some");
            }
            slot = used++;
            if (slot >= slots.length) {
                slots = Arrays.copyOf(slots, slots.length * 2);
            }
        }
        long handle = (++serial << SLOT_BITS) | (slot + 1);
        index.handle = handle;
        NativeIndex[] s = slots;
        s[slot] = index;
        slots = s; // volatile write publishes the entry
        return handle;
    }

    NativeIndex get(long handle) {
        int slot = (int) (handle & SLOT_MASK) - 1;
        NativeIndex[] s = slots;
        NativeIndex e = slot >= 0 && slot < s.length ? s[slot] : null;
        if (e == null || e.handle != handle) {
            throw new Status.InvalidHandleException(handle == 0 ? "the index handle is 0 (closed, never created, or its creation failed)"
                    : "index handle " + Long.toUnsignedString(handle) + " is not open (already freed, or never created)");
        }
        return e;
    }

    /** Removes the handle's entry; the caller closes the index. */
    synchronized NativeIndex remove(long handle) {
        NativeIndex e = get(handle);
        int slot = (int) (handle & SLOT_MASK) - 1;
        NativeIndex[] s = slots;
        s[slot] = null;
        slots = s;
        freeSlots.push(slot);
        return e;
    }

    synchronized int open() {
        return used - freeSlots.size();
    }
}
