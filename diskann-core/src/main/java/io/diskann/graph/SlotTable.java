package io.diskann.graph;

import java.util.Arrays;
import java.util.concurrent.atomic.AtomicIntegerArray;
import org.agrona.collections.Int2IntHashMap;
import org.agrona.collections.IntArrayList;

/**
 * Which internal slots hold which user-visible ids, and the state of each slot.
 *
 * <p>Why two kinds of id: a slot (row of the vector store and the graph) is reused after
 * {@code consolidate()} frees it, but an id a user was given must never come to mean another vector. Ids
 * are therefore labels mapped to slots: {@link #labelOf} is a plain array, read by searches when they
 * turn slots into results; the reverse map (id to slot: an array for the ids a build or load issued, an
 * Agrona {@code Int2IntHashMap} for later ones) is used by inserts, deletes, updates and exact scans of given
 * ids, under this table's monitor.
 *
 * <p>Slot states: {@link #FREE} (never used or reclaimed), {@link #PENDING} (an insert is linking it; not
 * returned by searches), {@link #LIVE}, {@link #DELETED} (lazily deleted: still traversed, never
 * returned, reclaimed by consolidate). States are read and written with volatile semantics, so a delete
 * that has returned is seen by every search that starts afterwards.
 *
 * <p>Growth ({@link #ensureCapacity}) replaces the arrays: the copy ({@link #prepareCapacity}) while
 * nothing changes the table, the install under the index's exclusive lock.
 */
final class SlotTable {

    static final int FREE = 0;
    static final int LIVE = 1;
    static final int DELETED = 2;
    static final int PENDING = 3;

    private AtomicIntegerArray states;
    private int[] labels;
    private final Int2IntHashMap slotByLabel = new Int2IntHashMap(-1);
    /**
     * The slot of each id a build or load found live, indexed by id (-1: deleted since), kept in step with
     * {@link #slotByLabel}: an exact scan turns each of its ids into a slot, and the hash probe was 12% of a
     * 60-id scan's time (Fashion-MNIST, 0.1% AND filters, docs/PERFORMANCE.md section 26). Ids issued later
     * (inserts) are only in the map, so this never grows with churn.
     */
    private int[] slotById = new int[0];
    private final IntArrayList freeSlots = new IntArrayList();
    private int highWater;
    private int nextLabel;
    private int live;
    private int deleted;
    private int pending;
    /**
     * Deleted plus pending slots: the slots a search can reach but must not return. Written under the
     * monitor, read without it: zero means every reachable slot is live, so an unfiltered search needs no
     * accept filter at all (see {@link #allReachableLive}).
     */
    private volatile int notLive;

    SlotTable(int capacity) {
        states = new AtomicIntegerArray(capacity);
        labels = new int[capacity];
        Arrays.fill(labels, -1);
    }

    /** A table where slots {@code 0..n-1} are live with ids equal to their slot (a fresh build). */
    static SlotTable identity(int n, int capacity) {
        SlotTable t = new SlotTable(Math.max(n, capacity));
        t.slotById = new int[n];
        for (int i = 0; i < n; i++) {
            t.states.set(i, LIVE);
            t.labels[i] = i;
            t.slotByLabel.put(i, i);
            t.slotById[i] = i;
        }
        t.highWater = n;
        t.nextLabel = n;
        t.live = n;
        return t;
    }

    /**
     * Slots allocated; every slot id any search can meet is below it, and it only changes under the
     * index's exclusive lock, so searches size their visited sets by it (not by {@link #highWater}, which
     * concurrent inserts raise).
     */
    int capacity() {
        return labels.length;
    }

    /** Slots below this have been used at least once; graph searches size their visited sets by it. */
    int highWater() {
        return highWater;
    }

    synchronized int liveCount() {
        return live;
    }

    synchronized int deletedCount() {
        return deleted;
    }

    synchronized int freeCount() {
        return freeSlots.size() + (labels.length - highWater);
    }

    synchronized int nextLabel() {
        return nextLabel;
    }

    void ensureCapacity(int minCapacity) {
        prepareCapacity(minCapacity).run();
    }

    /** The capacity growth to {@code minCapacity} gives: 1.5x for small steps, exactly the request for large ones. */
    static int grownCapacity(int current, int minCapacity) {
        return minCapacity <= current + 16 ? Math.max(minCapacity, current + (current >> 1) + 16) : minCapacity;
    }

    /**
     * Copies the tables into room for at least {@code minCapacity} slots (growing by 1.5x for small
     * steps); the returned step installs the copy. Nothing may change the table in between.
     */
    Runnable prepareCapacity(int minCapacity) {
        if (minCapacity <= labels.length) {
            return () -> { };
        }
        int n = grownCapacity(labels.length, minCapacity);
        AtomicIntegerArray s = new AtomicIntegerArray(n);
        for (int i = 0; i < labels.length; i++) {
            s.set(i, states.get(i));
        }
        int[] l = Arrays.copyOf(labels, n);
        Arrays.fill(l, labels.length, n, -1);
        return () -> {
            synchronized (this) {
                states = s;
                labels = l;
            }
        };
    }

    /** Whether a new slot can be had without growing. */
    synchronized boolean hasFreeSlot() {
        return !freeSlots.isEmpty() || highWater < labels.length;
    }

    /**
     * Reserves a slot for {@code label} (or a fresh label when {@code label < 0}) in state PENDING.
     *
     * @return the slot, or -1 if the table is full (grow it, then retry)
     * @throws IllegalArgumentException if {@code label} is already in use
     */
    synchronized long reserve(int label) {
        if (label >= 0 && slotByLabel.containsKey(label)) {
            throw new IllegalArgumentException("id " + label + " is already in the index; use update to replace its vector");
        }
        int slot = takeSlot();
        if (slot < 0) {
            return -1;
        }
        int id = label >= 0 ? label : nextLabel;
        if (id == Integer.MAX_VALUE) {
            throw new IllegalStateException("ids exhausted");
        }
        nextLabel = Math.max(nextLabel, id + 1);
        labels[slot] = id;
        states.set(slot, PENDING);
        pending++;
        notLive = deleted + pending;
        return ((long) id << 32) | slot;
    }

    /**
     * Reserves a slot for a new vector of an existing {@code label} (an update), in state PENDING.
     *
     * @return as {@link #reserve}
     * @throws IllegalArgumentException if {@code label} is not in the table
     */
    synchronized long reserveReplacement(int label) {
        if (!slotByLabel.containsKey(label)) {
            throw new IllegalArgumentException("unknown id " + label + ": not in the index, so it cannot be updated");
        }
        int slot = takeSlot();
        if (slot < 0) {
            return -1;
        }
        labels[slot] = label;
        states.set(slot, PENDING);
        pending++;
        notLive = deleted + pending;
        return ((long) label << 32) | slot;
    }

    /** A free slot (recycled first, then never used), or -1 when the table is full. Caller holds the monitor. */
    private int takeSlot() {
        if (!freeSlots.isEmpty()) {
            return freeSlots.removeAt(freeSlots.size() - 1);
        }
        return highWater < labels.length ? highWater++ : -1;
    }

    /**
     * Makes a linked slot visible to searches and maps its label to it. For a replacement the old slot
     * is marked deleted in the same step (the new slot turns live first, so a search sees at least one).
     *
     * @return false if a replacement's label was deleted meanwhile (the new slot is then deleted too)
     */
    synchronized boolean publish(int slot, boolean replacement) {
        int label = labels[slot];
        pending--;
        if (replacement && !slotByLabel.containsKey(label)) {
            states.set(slot, DELETED);
            deleted++;
            notLive = deleted + pending;
            return false;
        }
        int old = slotByLabel.put(label, slot);
        if (label < slotById.length) {
            slotById[label] = slot;
        }
        states.set(slot, LIVE);
        live++;
        if (old != -1 && old != slot) {
            states.set(old, DELETED);
            live--;
            deleted++;
        }
        notLive = deleted + pending;
        return true;
    }

    /** Returns a reserved slot that could not be linked to the free list. */
    synchronized void abandon(int slot) {
        pending--;
        notLive = deleted + pending;
        states.set(slot, FREE);
        labels[slot] = -1;
        freeSlots.addInt(slot);
    }

    /**
     * Lazily deletes {@code label}.
     *
     * @return its slot
     * @throws IllegalArgumentException if no live vector has that id
     */
    synchronized int delete(int label) {
        int slot = slotByLabel.remove(label);
        if (label >= 0 && label < slotById.length) {
            slotById[label] = -1;
        }
        if (slot == -1) {
            throw new IllegalArgumentException("unknown id " + label + ": not in the index (never inserted, or already deleted)");
        }
        states.set(slot, DELETED);
        live--;
        deleted++;
        notLive = deleted + pending;
        return slot;
    }

    /** The slot holding {@code label}'s vector, or -1. */
    synchronized int slotOf(int label) {
        return label >= 0 && label < slotById.length ? slotById[label] : slotByLabel.get(label);
    }

    /** {@link #slotOf} for {@code labels[from..from+count)} into {@code out[0..count)}, under one lock. */
    synchronized void slotsOf(int[] labels, int from, int count, int[] out) {
        int[] direct = slotById;
        for (int i = 0; i < count; i++) {
            int label = labels[from + i];
            out[i] = label >= 0 && label < direct.length ? direct[label] : slotByLabel.get(label);
        }
    }

    /**
     * Whether every slot a search can reach is live (none deleted, none being inserted). Read at the start
     * of a search: a slot deleted before then is counted; one reserved by an insert that starts later may
     * be returned once linked, a moment before its insert returns, which an insert running concurrently
     * with the search permits.
     */
    boolean allReachableLive() {
        return notLive == 0;
    }

    boolean isLive(int slot) {
        return states.get(slot) == LIVE;
    }

    boolean isDeleted(int slot) {
        return states.get(slot) == DELETED;
    }

    int state(int slot) {
        return states.get(slot);
    }

    int labelOf(int slot) {
        return labels[slot];
    }

    /** Frees every deleted slot (consolidate, under the exclusive lock); returns how many. */
    synchronized int reclaimDeleted() {
        int n = 0;
        for (int s = 0; s < highWater; s++) {
            if (states.get(s) == DELETED) {
                states.set(s, FREE);
                labels[s] = -1;
                freeSlots.addInt(s);
                n++;
            }
        }
        deleted = 0;
        notLive = pending;
        return n;
    }

    /** Restores a table from saved per-slot states and labels. */
    static SlotTable restore(int[] savedStates, int[] savedLabels, int highWater, int nextLabel, int capacity) {
        SlotTable t = new SlotTable(Math.max(capacity, highWater));
        t.highWater = highWater;
        t.nextLabel = nextLabel;
        for (int s = 0; s < highWater; s++) {
            int st = savedStates[s];
            t.states.set(s, st);
            t.labels[s] = savedLabels[s];
            switch (st) {
                case LIVE -> {
                    if (t.slotByLabel.put(savedLabels[s], s) != -1) {
                        throw new IllegalArgumentException("id " + savedLabels[s] + " is live in two slots");
                    }
                    t.live++;
                }
                case DELETED -> {
                    t.deleted++;
                    t.notLive++;
                }
                case FREE -> t.freeSlots.addInt(s);
                default -> throw new IllegalArgumentException("slot " + s + " has state " + st);
            }
        }
        if (nextLabel >= 0 && nextLabel <= 2L * Math.max(t.live, 1)) { // ids mostly live: 4 bytes each is no waste
            t.slotById = new int[nextLabel];
            Arrays.fill(t.slotById, -1);
            for (int s = 0; s < highWater; s++) {
                int id = savedLabels[s];
                if (savedStates[s] == LIVE && id >= 0 && id < nextLabel) {
                    t.slotById[id] = s;
                }
            }
        }
        return t;
    }
}
