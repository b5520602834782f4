package io.diskann.disk;

import org.agrona.collections.Int2IntHashMap;

/**
 * A disk index's ids by node and nodes by id, in RAM: what filters on ids (a predicate tested on every
 * scored neighbour before its record is read) and look-ups by id need. Immutable, so searchers share it.
 *
 * <p>Why two shapes: ids are usually a permutation of 0..n-1 (input positions renumbered breadth-first),
 * and an inverse array of 4 bytes per vector answers {@link #nodeOf}; any other ids need a hash map.
 */
final class IdTable {

    private final int[] ids;
    private final int[] nodeOfDenseId;
    private final Int2IntHashMap nodeOfId;

    IdTable(int[] ids) {
        this.ids = ids;
        int[] inverse = new int[ids.length];
        java.util.Arrays.fill(inverse, -1);
        boolean dense = true;
        for (int i = 0; i < ids.length && dense; i++) {
            int id = ids[i];
            dense = id >= 0 && id < ids.length && inverse[id] < 0;
            if (dense) {
                inverse[id] = i;
            }
        }
        if (dense) {
            this.nodeOfDenseId = inverse;
            this.nodeOfId = null;
        } else {
            this.nodeOfDenseId = null;
            this.nodeOfId = new Int2IntHashMap(ids.length * 2, 0.5f, -1);
            for (int i = 0; i < ids.length; i++) {
                nodeOfId.put(ids[i], i);
            }
        }
    }

    int idOf(int node) {
        return ids[node];
    }

    /** The node of {@code id}, or -1 if the index does not hold it. */
    int nodeOf(int id) {
        if (nodeOfDenseId != null) {
            return id >= 0 && id < nodeOfDenseId.length ? nodeOfDenseId[id] : -1;
        }
        return nodeOfId.get(id);
    }

    /** Bytes held: the ids and the inverse. */
    long bytes() {
        return 4L * ids.length + (nodeOfDenseId != null ? 4L * ids.length : 8L * nodeOfId.capacity());
    }
}
