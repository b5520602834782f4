package io.diskann.bench;

import io.diskann.vector.SimdSupport;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/** Where a result was measured: machine, JVM, SIMD kernels and the code's git commit. */
final class RunInfo {

    private RunInfo() {
    }

    static Map<String, Object> machine() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("cpu", cpuModel());
        m.put("cpus", Runtime.getRuntime().availableProcessors());
        m.put("max_heap_bytes", Runtime.getRuntime().maxMemory());
        m.put("os", System.getProperty("os.name") + " " + System.getProperty("os.version") + " " + System.getProperty("os.arch"));
        m.put("jdk", System.getProperty("java.vm.vendor") + " " + Runtime.version());
        m.put("kernels", SimdSupport.describe());
        m.put("simd_width", SimdSupport.kernels().widthBits());
        m.put("git_commit", gitCommit());
        return m;
    }

    /** Heap in use after a full collection, in bytes. */
    static long heapUsedAfterGc() {
        Runtime rt = Runtime.getRuntime();
        System.gc();
        return rt.totalMemory() - rt.freeMemory();
    }

    private static String cpuModel() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
                if (line.startsWith("model name")) {
                    return line.substring(line.indexOf(':') + 1).trim();
                }
            }
        } catch (IOException | RuntimeException ignored) {
            // not Linux
        }
        return System.getProperty("os.arch");
    }

    /** The commit of the checkout the launcher runs from, read from .git without running git. */
    static String gitCommit() {
        try {
            Path git = Path.of(System.getenv().getOrDefault("DISKANN_HOME", ".")).resolve(".git");
            String head = Files.readString(git.resolve("HEAD")).trim();
            if (!head.startsWith("ref: ")) {
                return head;
            }
            String ref = head.substring(5);
            Path refFile = git.resolve(ref);
            if (Files.exists(refFile)) {
                return Files.readString(refFile).trim();
            }
            for (String line : Files.readAllLines(git.resolve("packed-refs"))) {
                if (line.endsWith(" " + ref)) {
                    return line.substring(0, line.indexOf(' '));
                }
            }
        } catch (IOException | RuntimeException ignored) {
            // not a checkout
        }
        return "unknown";
    }
}
