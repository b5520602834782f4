package io.diskann.index;

import io.diskann.vector.Metric;
import io.diskann.vector.VectorType;

/**
 * What every index kind reports about itself; each kind's stats record adds its own details.
 */
public interface IndexStats {

    /**
     * Searchable vectors.
     *
     * @return the number of vectors a search can return
     */
    int count();

    /**
     * Components per vector.
     *
     * @return the vector dimension
     */
    int dimensions();

    /**
     * Distance metric.
     *
     * @return the metric distances are computed in
     */
    Metric metric();

    /**
     * Element type of the full-precision vectors.
     *
     * @return the type the vectors are stored as
     */
    VectorType vectorType();

    /**
     * Bytes of memory (heap and native) the index holds for its data while searching.
     *
     * @return the memory footprint in bytes
     */
    long memoryBytes();
}
