package io.diskann.index;

import io.diskann.vector.Metric;
import io.diskann.vector.VectorType;

/**
 * What every index kind reports about itself; each kind's stats record adds its own details.
 */
public interface IndexStats {

    /** Searchable vectors. */
    int count();

    /** Components per vector. */
    int dimensions();

    /** Distance metric. */
    Metric metric();

    /** Element type of the full-precision vectors. */
    VectorType vectorType();

    /** Bytes of memory (heap and native) the index holds for its data while searching. */
    long memoryBytes();
}
