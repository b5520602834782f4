package io.diskann.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The filtered eval's summary picks each mode's fastest row at the target recall and divides ours by the peers'. */
class FilterSummaryTest {

    private static Map<String, Object> row(String mode, String bucket, String filter, int l, double recall, double qps) {
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("mode", mode);
        r.put("bucket", bucket);
        r.put("filter", filter);
        r.put("L", l);
        r.put("recall", recall);
        r.put("qps", qps);
        return r;
    }

    @Test
    @SuppressWarnings("unchecked")
    void bestRowsAtTheTargetRecallAndTheirRatios() {
        List<Object> rows = new ArrayList<>(List.of(
                row("filtered", "10%", "or", 10, 0.94, 9_000), // fastest, under the recall: not counted
                row("filtered", "10%", "or", 20, 0.97, 6_000),
                row("filtered", "10%", "or", 40, 0.99, 4_000),
                row("post-filter", "10%", "or", 80, 0.96, 500),
                row("lucene", "10%", "or", 10, 0.96, 2_000),
                row("lucene", "10%", "or", 20, 0.98, 2_500), // slower L, faster here: the best is by QPS
                row("jvector", "10%", "or", 10, 0.955, 3_000),
                row("filtered", "50%", "label", 10, 0.97, 10_000),
                row("lucene", "50%", "label", 10, 0.90, 8_000),
                row("jvector", "50%", "label", 10, 0.93, 7_000)));
        List<Map<String, Object>> s = FilterSummary.of(rows);
        assertEquals(2, s.size());
        Map<String, Object> or = s.get(0);
        assertEquals("10%", or.get("bucket"));
        assertEquals("or", or.get("filter"));
        assertEquals(20, ((Map<String, Object>) or.get("filtered")).get("L"));
        assertEquals(20, ((Map<String, Object>) or.get("lucene")).get("L"));
        assertEquals("jvector", or.get("best_peer"));
        assertEquals(2.0, (Double) or.get("vs_best_peer"), 1e-9);
        assertEquals(12.0, (Double) or.get("vs_post_filter"), 1e-9);
        // at equal recall: ours is 0.97; jvector's 0.955 row does not count, Lucene's 0.98 row does
        assertEquals(2_500.0, (Double) or.get("best_peer_qps_at_our_recall"), 1e-9);
        assertEquals(2.4, (Double) or.get("vs_best_peer_at_our_recall"), 1e-9);
        Map<String, Object> label = s.get(1);
        assertNull(label.get("lucene"), "no Lucene row reached the recall");
        assertNull(label.get("best_peer"));
        assertNull(label.get("vs_best_peer"));
        assertNull(label.get("vs_post_filter"), "no post-filter rows at all");
        assertNull(label.get("vs_best_peer_at_our_recall"), "no peer row reached our recall");
        FilterSummary.print(s); // and prints without failing on the missing cells
    }
}
