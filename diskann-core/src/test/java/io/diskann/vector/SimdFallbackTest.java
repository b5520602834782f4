package io.diskann.vector;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Start-up selection in fresh JVMs: without the incubator module or without C2 the library falls back
 * to scalar kernels with one log line saying why and how to enable SIMD, and computes the same result;
 * forcing the Vector API where it cannot run fails with a clear message.
 */
class SimdFallbackTest {

    private record Run(int exit, String output) {
    }

    private static Run java(String... args) throws IOException, InterruptedException {
        String javaBin = ProcessHandle.current().info().command().orElse("java");
        List<String> cmd = new ArrayList<>();
        cmd.add(javaBin);
        cmd.addAll(List.of(args));
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(SimdProbeMain.class.getName());
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "child JVM finished");
        return new Run(p.exitValue(), out);
    }

    @Test
    void withoutTheModuleFallsBackToScalarAndSaysHowToEnableSimd() throws Exception {
        Run r = java();
        assertEquals(0, r.exit(), r.output());
        assertTrue(r.output().contains("kernels=scalar"), r.output());
        assertTrue(r.output().contains("--add-modules jdk.incubator.vector"), r.output());
        assertTrue(r.output().contains("l2=15.0"), r.output());
    }

    @Test
    void withoutC2FallsBackToScalar() throws Exception {
        Run r = java("--add-modules=jdk.incubator.vector", "-XX:TieredStopAtLevel=1");
        assertEquals(0, r.exit(), r.output());
        assertTrue(r.output().contains("kernels=scalar"), r.output());
        assertTrue(r.output().contains("C2"), r.output());
        assertTrue(r.output().contains("l2=15.0"), r.output());
    }

    @Test
    void withTheModuleUsesTheVectorApi() throws Exception {
        Run r = java("--add-modules=jdk.incubator.vector", "-Ddiskann.simd.width=128");
        assertEquals(0, r.exit(), r.output());
        assertTrue(r.output().contains("kernels=panama-128"), r.output());
        assertTrue(r.output().contains("l2=15.0"), r.output());
    }

    @Test
    void forcingScalarOrAnImpossibleVectorModeIsHonoured() throws Exception {
        Run scalar = java("--add-modules=jdk.incubator.vector", "-Ddiskann.simd=scalar");
        assertTrue(scalar.output().contains("kernels=scalar"), scalar.output());
        Run forced = java("-Ddiskann.simd=vector");
        assertNotEquals(0, forced.exit(), forced.output());
        assertTrue(forced.output().contains("-Ddiskann.simd=vector was given but"), forced.output());
        Run badWidth = java("--add-modules=jdk.incubator.vector", "-Ddiskann.simd.width=100");
        assertNotEquals(0, badWidth.exit(), badWidth.output());
        assertTrue(badWidth.output().contains("diskann.simd.width=100"), badWidth.output());
    }
}
