package io.diskann.vector;

import java.lang.management.ManagementFactory;
import java.util.Locale;
import java.util.Optional;

/**
 * Chooses, once per JVM, which {@link DistanceKernels} implementation runs, and says so in one log line.
 *
 * <p>Why: the Vector API lives in the incubator module {@code jdk.incubator.vector}, which a JVM reads
 * only when started with {@code --add-modules jdk.incubator.vector}, and which is only fast when C2
 * compiles it. Like Lucene's {@code VectorizationProvider}, the library therefore probes at start-up and
 * falls back to {@link ScalarDistanceKernels} (same results, slower) with a message that says why and
 * how to enable SIMD, instead of failing.
 *
 * <p>System properties:
 * <ul>
 *   <li>{@code -Ddiskann.simd=auto|vector|scalar} (default {@code auto}): {@code vector} insists on the
 *       Vector API and fails loudly if it is unavailable; {@code scalar} forces the fallback.</li>
 *   <li>{@code -Ddiskann.simd.width=64|128|256|512|preferred}: the SIMD register width, so that tests and
 *       benchmarks can run NEON-width (128-bit) code on an AVX-512 machine. f16 and 8-bit kernels need at
 *       least 128 bits and use 128 when 64 is asked for.</li>
 * </ul>
 */
public final class SimdSupport {

    /** {@code auto}, {@code vector} or {@code scalar}. */
    public static final String MODE_PROPERTY = "diskann.simd";
    /** Forced SIMD width in bits. */
    public static final String WIDTH_PROPERTY = "diskann.simd.width";

    private static final String VECTOR_MODULE = "jdk.incubator.vector";
    private static final System.Logger LOG = System.getLogger("io.diskann.vector");

    private static final DistanceKernels SELECTED = select();

    private SimdSupport() {
    }

    /**
     * The kernels chosen for this JVM.
     *
     * @return the selected kernels, the same on every call
     */
    public static DistanceKernels kernels() {
        return SELECTED;
    }

    /**
     * The scalar reference kernels, whatever was selected (for tests and benchmarks).
     *
     * @return the scalar kernels
     */
    public static DistanceKernels scalar() {
        return ScalarDistanceKernels.INSTANCE;
    }

    /**
     * The Vector API kernels if this JVM can run them (module readable), whatever was selected; empty
     * otherwise. For tests and benchmarks that compare implementations side by side.
     *
     * @return the Vector API kernels, or empty if the module is not readable
     */
    public static Optional<DistanceKernels> vector() {
        if (!vectorModuleReadable()) {
            return Optional.empty();
        }
        return Optional.of(loadPanama());
    }

    /**
     * A one-line description of the selection, as logged at start-up.
     *
     * @return the description, e.g. the kernel kind, register width and whether FMA is used
     */
    public static String describe() {
        return describe(SELECTED);
    }

    private static String describe(DistanceKernels k) {
        if (k.widthBits() == 0) {
            return "scalar distance kernels";
        }
        return "Vector API distance kernels, " + k.widthBits() + "-bit vectors"
                + (PanamaDistanceKernels.WIDE_WIDTH != k.widthBits()
                        ? " (" + PanamaDistanceKernels.WIDE_WIDTH + "-bit for f16/i8/u8)" : "")
                + ", FMA " + (PanamaDistanceKernels.USE_FMA ? "on" : "off");
    }

    private static DistanceKernels select() {
        String mode = System.getProperty(MODE_PROPERTY, "auto").trim().toLowerCase(Locale.ROOT);
        DistanceKernels chosen;
        switch (mode) {
            case "scalar" -> {
                chosen = ScalarDistanceKernels.INSTANCE;
                LOG.log(System.Logger.Level.INFO, "diskann-java: scalar distance kernels (forced by -D"
                        + MODE_PROPERTY + "=scalar)");
                return chosen;
            }
            case "vector", "panama" -> {
                String problem = whyNoVector();
                if (problem != null) {
                    throw new IllegalStateException("-D" + MODE_PROPERTY + "=vector was given but " + problem);
                }
                chosen = loadPanama();
            }
            case "auto", "" -> {
                String problem = whyNoVector();
                if (problem != null) {
                    LOG.log(System.Logger.Level.WARNING, "diskann-java: using scalar distance kernels because "
                            + problem);
                    return ScalarDistanceKernels.INSTANCE;
                }
                chosen = loadPanama();
            }
            default -> throw new IllegalArgumentException("-D" + MODE_PROPERTY + "=" + mode
                    + " is not a mode: expected auto, vector or scalar");
        }
        LOG.log(System.Logger.Level.INFO, "diskann-java: " + describe(chosen)
                + " (-D" + MODE_PROPERTY + "=scalar to disable)");
        return chosen;
    }

    /** Null if the Vector API kernels can run fast here, else the reason and the fix. */
    private static String whyNoVector() {
        if (!vectorModuleReadable()) {
            return "the module " + VECTOR_MODULE + " is not readable; start the JVM with --add-modules "
                    + VECTOR_MODULE + " (the ./diskann launcher does) to enable SIMD";
        }
        String vmInfo = System.getProperty("java.vm.info", "");
        if (vmInfo.contains("interpreted mode")) {
            return "the JVM runs interpreted (-Xint); the Vector API is only fast under C2. Drop -Xint to enable SIMD";
        }
        Optional<String> tiered = vmOption("TieredStopAtLevel");
        Optional<String> tieredOn = vmOption("TieredCompilation");
        if (tiered.isPresent() && tieredOn.map("true"::equals).orElse(true)) {
            try {
                if (Integer.parseInt(tiered.get()) < 4) {
                    return "C2 is disabled (-XX:TieredStopAtLevel=" + tiered.get()
                            + "); the Vector API is only fast under C2. Remove that flag to enable SIMD";
                }
            } catch (NumberFormatException ignored) {
                // unknown format: assume C2 runs
            }
        }
        return null;
    }

    static boolean vectorModuleReadable() {
        // Code on the class path (the unnamed module) reads every module of the boot layer.
        return ModuleLayer.boot().findModule(VECTOR_MODULE).isPresent();
    }

    private static DistanceKernels loadPanama() {
        try {
            Class<?> c = Class.forName("io.diskann.vector.PanamaDistanceKernels");
            return (DistanceKernels) c.getDeclaredField("INSTANCE").get(null);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot load the Vector API kernels", e);
        }
    }

    /** Whether the JVM emits FMA instructions ({@code -XX:+UseFMA}, on by default where the CPU has them). */
    static boolean jvmUsesFma() {
        return vmOption("UseFMA").map("true"::equals).orElse(false);
    }

    private static Optional<String> vmOption(String name) {
        try {
            var bean = ManagementFactory.getPlatformMXBean(com.sun.management.HotSpotDiagnosticMXBean.class);
            if (bean == null) {
                return Optional.empty();
            }
            return Optional.of(bean.getVMOption(name).getValue());
        } catch (IllegalArgumentException | UnsupportedOperationException | SecurityException | LinkageError e) {
            // LinkageError: jdk.management not in the module graph (a jlink'd runtime without it)
            return Optional.empty();
        }
    }
}
