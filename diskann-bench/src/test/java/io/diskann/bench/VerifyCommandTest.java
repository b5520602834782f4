package io.diskann.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.diskann.bench.data.SyntheticData;
import io.diskann.bench.data.VecsFiles;
import io.diskann.graph.VamanaIndex;
import io.diskann.pq.PqIndex;
import io.diskann.pq.PqParams;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code ./diskann verify}: sound files exit 0, damaged ones 1 naming the problem, missing ones 2. */
class VerifyCommandTest {

    @TempDir
    Path dir;

    @Test
    void soundDamagedAndMissingFiles() throws Exception {
        SyntheticData.Split s = SyntheticData.gaussianClusters(1500, 10, 16, 6, 0.5, 5);
        Path base = dir.resolve("base.fvecs");
        VecsFiles.writeFloats(base, s.base());
        Path idx = dir.resolve("g.idx");
        assertEquals(0, DiskannCli.run("build", "--base", base.toString(), "--out", idx.toString(), "-R", "16",
                "--build-L", "32", "--threads", "2"));
        String ok = CliOutput.run(0, "verify", "--index", idx.toString(), "--json", dir.resolve("v.json").toString());
        assertTrue(ok.contains("OK: the index is sound") && ok.contains("section: adjacency")
                && ok.contains("save id") && ok.contains("reachable from the entry point"), ok);
        assertTrue(Files.readString(dir.resolve("v.json")).contains("\"ok\": true"));

        byte[] bytes = Files.readAllBytes(idx);
        bytes[bytes.length / 2] ^= 0x10;
        Path damaged = dir.resolve("damaged.idx");
        Files.write(damaged, bytes);
        String bad = CliOutput.run(1, "verify", "--index", damaged.toString());
        assertTrue(bad.contains("PROBLEM:") && bad.contains("checksum") && bad.contains("DAMAGED"), bad);

        assertEquals(2, DiskannCli.run("verify", "--index", dir.resolve("missing.idx").toString()));

        // a PQ index: its section is listed and its codes re-encoded and compared
        Path pqFile = dir.resolve("pq.idx");
        try (PqIndex pq = PqIndex.compress(VamanaIndex.load(idx), PqParams.builder(4).threads(2).build())) {
            pq.save(pqFile);
        }
        String pqOut = CliOutput.run(0, "verify", "--index", pqFile.toString());
        assertTrue(pqOut.contains("section: pq") && pqOut.contains("0 differ"), pqOut);
    }
}
