package io.diskann.bench;

import io.diskann.disk.DiskIndex;
import io.diskann.disk.DiskIndexWriter;
import io.diskann.disk.DiskLayoutInfo;
import io.diskann.disk.DiskOptions;
import io.diskann.disk.DiskStats;
import io.diskann.disk.IoMode;
import io.diskann.graph.VamanaIndex;
import io.diskann.index.Searcher;
import io.diskann.pq.PqParams;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The disk part of {@code ./diskann eval --disk}: lays the evaluated graph out as an SSD-resident index,
 * opens it and sweeps W x L with {@link SearchDiskCommand#sweep}. JSON: {"file_bytes", "ram_bytes" (at open),
 * "searcher_bytes" (per searching thread),
 * "ram_bytes_after_searches", "raw_vector_bytes", "pq_bytes", "io_mode", "cache_nodes", "cache_policy", "write_seconds", "rows": [{"k", "L", "W",
 * "recall", "qps", "ios_per_query", "cache_hits_per_query", "hops_per_query", "io_us", "cpu_us",
 * "pq_distances_per_query", "exact_distances_per_query"}]}, and with
 * label filters "filtered": {"scan_fraction", "scan_minimum", "rows": [{@link FilteredDiskSweep}'s rows]}.
 */
final class DiskEval {

    private DiskEval() {
    }

    /**
     * Label filters to run on the disk index too (rows under "filtered", as {@link FilteredDiskSweep}).
     *
     * @param filters the queries' filters and the base labels
     * @param truth filtered ground truth
     * @param params when to scan the matches
     * @param k neighbours per query
     */
    record Filters(QueryFilters filters, io.diskann.bench.data.IntMatrix truth, io.diskann.filter.FilterParams params, int k) {
    }

    static Map<String, Object> run(VamanaIndex index, DatasetOptions.Loaded data, int[] ks, int[] searchL, int[] ws,
                                   int pqBytes, Path out, IoMode ioMode, CacheOptions cache, int threads, Filters filters)
            throws IOException {
        if (index.stats().deletedCount() > 0) {
            index.consolidate();
        }
        // default: 1/8 of the stored vector (the RAM bound). dims/8 bytes (1/32 of f32) gave the embedded
        // 96-d dataset recall@10 0.33 at L=20 and 0.47 at L=40, W=2; dims/2 gives 0.985 and 0.9997 (W=4)
        int m = pqBytes > 0 ? pqBytes
                : Math.max(1, index.dimensions() * index.vectorType().bytesPerElement() / 8);
        Path file = out != null ? out : Files.createTempFile("diskann-eval", ".disk");
        try {
            long t0 = System.nanoTime();
            // PQ on principal directions, as build-disk's default (--pq-rotation auto; PERFORMANCE.md section 27)
            DiskLayoutInfo info = DiskIndexWriter.write(index,
                    PqParams.builder(m).threads(threads).autoRotation(index.dimensions()).build(), file);
            double seconds = (System.nanoTime() - t0) / 1e9;
            System.out.printf(Locale.ROOT, "disk index: %s, %d PQ bytes, %d-byte records, %d per sector, written in"
                    + " %.1f s%n", file, info.pqBytes(), info.recordBytes(), info.nodesPerSector(), seconds);
            int[] beams = ws.length == 1 && ws[0] == 1 ? new int[] {2, 4} : ws;
            int k = Arrays.stream(ks).anyMatch(x -> x == 10) ? 10 : ks[0];
            DiskOptions options = DiskOptions.builder().ioMode(ioMode)
                    .cacheNodes(cache.nodesAtOpen()).entrySample(cache.entrySample).build();
            Map<String, Object> result = new LinkedHashMap<>();
            int[] ls = Arrays.stream(searchL).filter(l -> l >= k).toArray();
            try (DiskIndex disk = DiskIndex.open(file, options); Searcher s = disk.searcher()) {
                cache.apply(disk, k, ls.length > 0 ? ls[0] : k, beams[0]);
                DiskStats st = disk.stats();
                System.out.printf(Locale.ROOT, "disk index RAM %.1f MiB + %.0f KiB per searching thread (raw vectors %.1f MiB),"
                        + " file %.1f MiB, %s (%s)%n", st.memoryBytes() / 1048576.0, st.searcherBytes() / 1024.0,
                        st.rawVectorBytes() / 1048576.0, st.fileBytes() / 1048576.0, st.ioMode(), disk.readPath());
                result.put("file_bytes", st.fileBytes());
                result.put("ram_bytes", st.memoryBytes());
                result.put("searcher_bytes", st.searcherBytes());
                result.put("raw_vector_bytes", st.rawVectorBytes());
                result.put("pq_bytes", st.pqBytes());
                result.put("io_mode", st.ioMode().toString().toLowerCase(Locale.ROOT));
                result.put("cache_nodes", st.cacheNodes());
                result.put("cache_policy", cache.policy());
                result.put("entry_sample", disk.entrySampleSize());
                result.put("write_seconds", ResultFiles.round(seconds, 3));
                int rotated = PqParams.autoRotatedDimensions(index.dimensions(), m);
                result.put("pq_rotation", "pca:" + (rotated == 0 ? index.dimensions() : rotated));
                result.put("rows", SearchDiskCommand.sweep(disk, s, data.queries(), data.truth(), k, ls, beams, 2));
                if (filters != null) {
                    System.out.println("filtered search on the disk index (labels in RAM):");
                    io.diskann.filter.FilteredIndex fi = io.diskann.filter.FilteredIndex.of(disk, filters.filters().labels(),
                            filters.params()); // closed with the disk index
                    Map<String, Object> filtered = new LinkedHashMap<>();
                    filtered.put("scan_fraction", filters.params().scanFraction());
                    filtered.put("scan_minimum", filters.params().scanMinimum());
                    filtered.put("rows", FilteredDiskSweep.run(fi, data.queries().toRows(), filters.filters(), filters.truth(),
                            filters.k(), ls, beams, 2));
                    result.put("filtered", filtered);
                }
                // labels and filters on ids read the id table when first needed (v3 files): RAM as the searches left it
                result.put("ram_bytes_after_searches", disk.stats().memoryBytes());
            }
            return result;
        } finally {
            if (out == null) {
                Files.deleteIfExists(file);
            }
        }
    }
}
