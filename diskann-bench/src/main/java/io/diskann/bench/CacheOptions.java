package io.diskann.bench;

import io.diskann.bench.data.Datasets;
import io.diskann.bench.data.FloatMatrix;
import io.diskann.disk.DiskIndex;
import io.diskann.disk.DiskOptions;
import io.diskann.index.SearchParams;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;
import picocli.CommandLine.Option;

/**
 * What a disk index holds in RAM besides its PQ codes: the nodes nearest the entry point (DiskANN's BFS cache), or
 * the sectors a sample of queries reads most ({@link DiskIndex#cacheFromQueries}); and the sample of nodes whose
 * codes choose each search's start ({@link DiskOptions#entrySample}). Shared by search-disk and eval --disk.
 */
final class CacheOptions {

    @Option(names = "--cache-nodes", converter = Converters.NonNegative.class, paramLabel = "N",
            description = "Disk index: nodes held in RAM, rounded up to whole sectors: those nearest the entry point, or"
                    + " with --cache-from-queries those a sample reads most (default ${DEFAULT-VALUE}).")
    int nodes = 0;

    @Option(names = "--cache-from-queries", paramLabel = "FILE", description = "With --cache-nodes: cache the sectors"
            + " that the first --cache-sample vectors of FILE read most when searched (k, the first L and W), instead of"
            + " the nodes nearest the entry point (DiskANN's generate_cache_list_from_sample_queries). Use a sample of"
            + " expected queries or of the base, not the measured queries.")
    Path fromQueries;

    @Option(names = "--cache-sample", converter = Converters.Positive.class, paramLabel = "N",
            description = "Vectors of --cache-from-queries to search (default ${DEFAULT-VALUE}).")
    int sample = 2000;

    @Option(names = "--entry-sample", paramLabel = "N|auto", converter = EntrySampleConverter.class,
            description = "Disk index: nodes spread over the file whose PQ codes are scored at the start of each search,"
                    + " the closest becoming its start (no read); 0 starts at the medoid as DiskANN does (default: auto,"
                    + " about 25,000 code bytes or one node in 256, the larger).")
    int entrySample = DiskOptions.AUTO_ENTRY_SAMPLE;

    /** "auto" or a count in 0..{@link DiskOptions#MAX_ENTRY_SAMPLE}. */
    static final class EntrySampleConverter implements picocli.CommandLine.ITypeConverter<Integer> {
        @Override
        public Integer convert(String value) {
            if ("auto".equalsIgnoreCase(value)) {
                return DiskOptions.AUTO_ENTRY_SAMPLE;
            }
            int n;
            try {
                n = Integer.parseInt(value.trim());
            } catch (NumberFormatException e) {
                throw new picocli.CommandLine.TypeConversionException("--entry-sample: expected auto or a count, got '"
                        + value + "'");
            }
            if (n < 0 || n > DiskOptions.MAX_ENTRY_SAMPLE) {
                throw new picocli.CommandLine.TypeConversionException("--entry-sample must be auto or in 0.."
                        + DiskOptions.MAX_ENTRY_SAMPLE + ", got " + n);
            }
            return n;
        }
    }

    /**
     * Checks the flags before anything is loaded.
     *
     * @throws IllegalArgumentException if a sample file is given without a number of nodes
     */
    void check() {
        if (fromQueries != null && nodes == 0) {
            throw new IllegalArgumentException("--cache-from-queries chooses which nodes --cache-nodes N holds: give N");
        }
    }

    /** The BFS cache to open the index with: none when the sample chooses the nodes after opening. */
    int nodesAtOpen() {
        return fromQueries != null ? 0 : nodes;
    }

    /** "sample_queries" or "bfs", the JSON key {@code cache_policy}. */
    String policy() {
        return fromQueries != null ? "sample_queries" : "bfs";
    }

    /**
     * Fills the cache from the sample when one was given: searched with k, L and W as the first sweep row.
     *
     * @param index the opened index
     * @throws IOException if the sample cannot be read
     */
    void apply(DiskIndex index, int k, int listSize, int beamWidth) throws IOException {
        if (fromQueries == null) {
            return;
        }
        FloatMatrix vectors = Datasets.readVectors(fromQueries, sample);
        long c0 = System.nanoTime();
        int cached = index.cacheFromQueries(vectors.toRows(),
                SearchParams.builder(k).listSize(Math.max(k, listSize)).beamWidth(beamWidth).build(), nodes);
        System.out.printf(Locale.ROOT, "cached the %d nodes (whole sectors) %d sample queries of %s read most, in"
                + " %.2f s%n", cached, vectors.rows(), fromQueries, (System.nanoTime() - c0) / 1e9);
    }
}
