package io.diskann.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code churn} on a tiny synthetic set writes every documented key with sane values. */
class ChurnCommandTest {

    @TempDir
    Path dir;

    @Test
    void churnReportsInsertsSearchesAndRecall() throws Exception {
        Path json = dir.resolve("churn.json");
        assertEquals(0, DiskannCli.run("churn", "--synth-n", "4000", "--synth-dim", "16", "--synth-queries", "100",
                "--synth-clusters", "16", "-R", "16", "--build-L", "40", "--threads", "2", "--rounds", "2",
                "--search-L", "40", "--json", json.toString()));
        @SuppressWarnings("unchecked")
        Map<String, Object> m = (Map<String, Object>) JsonReader.parse(Files.readString(json));
        for (String key : new String[] {"insert_p50_us", "insert_p99_us", "inserts_per_second", "consolidate_seconds",
                "qps_static", "qps_during_inserts", "recall_after_churn", "recall_fresh_build", "qps_during_consolidate",
                "inserts_per_second_all_threads", "delete_seconds"}) {
            assertTrue(m.get(key) instanceof Double, "missing " + key);
        }
        double churned = (Double) m.get("recall_after_churn");
        double fresh = (Double) m.get("recall_fresh_build");
        assertTrue(churned > 0.8 && fresh > 0.8, "recall " + churned + " / " + fresh);
        assertTrue((Double) m.get("insert_p50_us") > 0);
        assertEquals(2, DiskannCli.run("churn", "--initial", "1.5", "--synth-n", "100"));
    }
}
