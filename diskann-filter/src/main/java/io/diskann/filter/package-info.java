/**
 * Filtered search over labels for diskann-java (planned): Filtered-Vamana and Stitched-Vamana graphs.
 * The module exists now so that the build layout is final and dependents can be wired.
 */
package io.diskann.filter;
