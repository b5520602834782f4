package io.diskann.bench;

import io.diskann.vector.SimdSupport;
import io.diskann.bench.data.Datasets;
import io.diskann.bench.data.IntMatrix;
import java.io.File;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code ./diskann ab}: the same saved index searched by two builds of this library in one JVM, taking
 * turns, so a change is measured against the code before it under the same conditions.
 *
 * <p>Why one JVM: on a shared machine, QPS moves by 10-30% from one process to the next (memory
 * placement, neighbours), more than most changes are worth; two builds in separate class loaders of one
 * process, alternating rounds over the same queries, see the same machine. Each build is given as a class
 * path (its {@code diskann-core} classes or jar plus Agrona) and driven through the calls every version
 * has: {@code VamanaIndex.load(Path)}, {@code search(float[], int, int)}, {@code ids()}. The index file
 * must be one both builds read.
 */
@Command(name = "ab", mixinStandardHelpOptions = true,
        description = "Search one saved index with two builds of the library in one JVM, alternating rounds.")
final class AbCommand implements Callable<Integer> {

    @Option(names = "--a", required = true, paramLabel = "CLASSPATH", description = "Class path of build A (e.g. the baseline).")
    String classpathA;

    @Option(names = "--b", required = true, paramLabel = "CLASSPATH", description = "Class path of build B.")
    String classpathB;

    @Option(names = "--index", required = true, paramLabel = "FILE", description = "A saved index both builds read.")
    Path index;

    @Option(names = "--query", required = true, paramLabel = "FILE", description = "Query vectors.")
    Path query;

    @Option(names = "--gt", paramLabel = "FILE", description = "Ground truth, for recall.")
    Path gt;

    @Option(names = "--max-queries", converter = Converters.Positive.class, paramLabel = "N", description = "Use only the first N queries.")
    int maxQueries = -1;

    @Option(names = "-k", description = "Neighbours per query (default ${DEFAULT-VALUE}).")
    int k = 10;

    @Option(names = {"-L", "--search-L"}, converter = Converters.Positive.class, split = ",", description = "Search list sizes (default ${DEFAULT-VALUE}).")
    int[] searchL = {16};

    @Option(names = "--rounds", description = "Rounds per build and L, alternating (default ${DEFAULT-VALUE}).")
    int rounds = 10;

    @Option(names = "--json", paramLabel = "FILE", description = "Write every round's QPS to this JSON file.")
    Path json;

    /** One build: its class loader and handles on the calls the harness makes. */
    private static final class Build {
        final String name;
        final Object index;
        final MethodHandle search;
        final MethodHandle ids;

        Build(String name, String classpath, Path file) throws Throwable {
            this.name = name;
            List<URL> urls = new ArrayList<>();
            for (String part : classpath.split(File.pathSeparator)) {
                if (!part.isBlank()) {
                    urls.add(Path.of(part).toUri().toURL());
                }
            }
            // parent = platform loader: the builds see the JDK, never this CLI's own copy of the library
            ClassLoader loader = new URLClassLoader(name, urls.toArray(URL[]::new), ClassLoader.getPlatformClassLoader());
            Class<?> vamana = Class.forName("io.diskann.graph.VamanaIndex", true, loader);
            MethodHandles.Lookup lookup = MethodHandles.publicLookup();
            Object loaded = lookup.findStatic(vamana, "load", MethodType.methodType(vamana, Path.class)).invoke(file);
            this.index = loaded;
            Class<?> result = vamana.getMethod("search", float[].class, int.class, int.class).getReturnType();
            this.search = lookup.findVirtual(vamana, "search", MethodType.methodType(result, float[].class, int.class,
                    int.class)).asType(MethodType.methodType(Object.class, Object.class, float[].class, int.class, int.class));
            this.ids = lookup.findVirtual(result, "ids", MethodType.methodType(int[].class))
                    .asType(MethodType.methodType(int[].class, Object.class));
        }

        int[] search(float[] q, int k, int l) throws Throwable {
            return (int[]) ids.invokeExact((Object) search.invokeExact(index, q, k, l));
        }
    }

    @Override
    public Integer call() throws Exception {
        System.out.println("kernels: " + SimdSupport.describe());
        try {
            return run();
        } catch (Exception | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    private int run() throws Throwable {
        if (rounds < 1 || k < 1) {
            throw new IllegalArgumentException("--rounds and -k must be at least 1");
        }
        if (!Files.exists(index)) {
            throw new IllegalArgumentException(index + ": no such index file");
        }
        float[][] queries = Datasets.readVectors(query, maxQueries).toRows();
        IntMatrix truth = gt == null ? null : Datasets.readTruth(gt, queries.length);
        Build[] builds = {new Build("A", classpathA, index), new Build("B", classpathB, index)};
        int maxL = Arrays.stream(searchL).max().orElse(k);
        for (Build b : builds) {
            long end = System.nanoTime() + 3_000_000_000L;
            for (int i = 0; System.nanoTime() < end; i = (i + 1) % queries.length) {
                b.search(queries[i], k, i % 2 == 0 ? maxL : searchL[i % searchL.length]);
            }
        }
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("index", index.toString());
        root.put("queries", queries.length);
        root.put("machine", RunInfo.machine());
        List<Object> rows = new ArrayList<>();
        for (int l : searchL) {
            if (l < k) {
                continue;
            }
            double[][] qps = new double[2][rounds];
            double[] recall = new double[2];
            for (int r = 0; r < rounds; r++) {
                for (int which = 0; which < 2; which++) {
                    Build b = builds[(which + r) % 2]; // alternate who goes first
                    int idx = (which + r) % 2;
                    long hits = 0;
                    long t0 = System.nanoTime();
                    for (int i = 0; i < queries.length; i++) {
                        int[] found = b.search(queries[i], k, l);
                        if (truth != null && r == 0) {
                            hits += Recall.hits(found, truth, i, k);
                        }
                    }
                    qps[idx][r] = queries.length / ((System.nanoTime() - t0) / 1e9);
                    if (truth != null && r == 0) {
                        recall[idx] = hits / (double) ((long) queries.length * k);
                    }
                }
            }
            double[] median = new double[2];
            double[] best = new double[2];
            for (int i = 0; i < 2; i++) {
                double[] s = qps[i].clone();
                Arrays.sort(s);
                median[i] = s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
                best[i] = s[s.length - 1];
            }
            System.out.printf(Locale.ROOT, "L=%d k=%d: A median %.0f best %.0f recall %.4f | B median %.0f best %.0f"
                            + " recall %.4f | B/A median %.3f best %.3f%n", l, k, median[0], best[0], recall[0], median[1],
                    best[1], recall[1], median[1] / median[0], best[1] / best[0]);
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("L", l);
            row.put("k", k);
            row.put("a_recall", ResultFiles.round(recall[0], 5));
            row.put("b_recall", ResultFiles.round(recall[1], 5));
            row.put("a_qps_runs", Arrays.stream(qps[0]).map(x -> ResultFiles.round(x, 1)).boxed().toList());
            row.put("b_qps_runs", Arrays.stream(qps[1]).map(x -> ResultFiles.round(x, 1)).boxed().toList());
            row.put("b_over_a_median", ResultFiles.round(median[1] / median[0], 4));
            row.put("b_over_a_best", ResultFiles.round(best[1] / best[0], 4));
            rows.add(row);
        }
        root.put("rows", rows);
        if (json != null) {
            ResultFiles.writeJson(json, root);
            System.out.println("wrote " + json);
        }
        return 0;
    }
}
