package io.diskann.vector;

/** Run in a child JVM by {@link SimdFallbackTest}: prints the selected kernels and one distance. */
public final class SimdProbeMain {

    private SimdProbeMain() {
    }

    public static void main(String[] args) {
        float[] a = {1, 2, 3, 4, 5};
        float[] b = {2, 2, 2, 2, 2};
        System.out.println("kernels=" + SimdSupport.kernels().name());
        System.out.println("l2=" + Distances.distance(Metric.L2, a, b));
    }
}
