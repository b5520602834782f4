// Tests of the C# binding (run on Mono here; no test framework is needed): brute force, filters, batch and
// range search, updates, save/load, errors, threads, 10,000 create/dispose cycles and the shared suite.
using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Threading;
using Diskann;

public static class Tests
{
    const int N = 2000, D = 16, K = 10;
    static float[] baseVectors;
    static float[][] queries;
    static int[][] labels;
    static VectorIndex shared;

    public static int Main(string[] args)
    {
        VectorIndex.InitJvm("-Xmx128m"); // a small heap, so RSS measures leaks rather than the heap growing
        var r = new Random(5);
        baseVectors = Enumerable.Range(0, N * D).Select(_ => (float)(r.NextDouble() - 0.5)).ToArray();
        queries = Enumerable.Range(0, 30).Select(_ => Enumerable.Range(0, D).Select(__ => (float)(r.NextDouble() - 0.5)).ToArray()).ToArray();
        labels = Enumerable.Range(0, N).Select(i => new[] { i % 6 }).ToArray();
        shared = new VectorIndex(D, Metric.L2, new IndexOptions { MaxDegree = 32, BuildListSize = 64 });
        shared.Build(baseVectors, labels);
        int failed = 0, passed = 0;
        foreach (var m in typeof(Tests).GetMethods(BindingFlags.Static | BindingFlags.NonPublic))
        {
            if (!m.Name.StartsWith("Test")) continue;
            try
            {
                m.Invoke(null, null);
                Console.WriteLine("ok   " + m.Name);
                passed++;
            }
            catch (TargetInvocationException e)
            {
                Console.WriteLine("FAIL " + m.Name + ": " + e.InnerException);
                failed++;
            }
        }
        shared.Dispose();
        Console.WriteLine(passed + " passed, " + failed + " failed");
        return failed == 0 ? 0 : 1;
    }

    static void Assert(bool cond, string message)
    {
        if (!cond) throw new Exception(message);
    }

    static void Throws<T>(Action a, string what, Func<T, bool> check = null) where T : Exception
    {
        try
        {
            a();
        }
        catch (T e)
        {
            if (check != null && !check(e)) throw new Exception(what + ": wrong " + typeof(T).Name + ": " + e.Message);
            return;
        }
        throw new Exception(what + ": expected " + typeof(T).Name);
    }

    static float L2(float[] q, int i)
    {
        float s = 0;
        for (int j = 0; j < D; j++) { float d = q[j] - baseVectors[i * D + j]; s += d * d; }
        return s;
    }

    static long[] Truth(float[] q, int k, Func<int, bool> keep)
    {
        return Enumerable.Range(0, N).Where(i => keep == null || keep(i)).OrderBy(i => L2(q, i)).Take(k).Select(i => (long)i).ToArray();
    }

    static double Recall(long[] got, long[] want)
    {
        if (want.Length == 0) return got.Length == 0 ? 1 : 0;
        return want.Count(w => got.Contains(w)) / (double)want.Length;
    }

    static void TestSearchMatchesBruteForce()
    {
        double sum = 0;
        foreach (var q in queries)
        {
            var res = shared.Search(q, K, new SearchOptions { ListSize = 64 });
            for (int i = 0; i < res.Ids.Length; i++) Assert(Math.Abs(res.Distances[i] - L2(q, (int)res.Ids[i])) < 1e-4, "distance");
            sum += Recall(res.Ids, Truth(q, K, null));
        }
        Assert(sum / queries.Length >= 0.95, "recall " + sum / queries.Length);
    }

    static void TestFiltersMatchBruteForce()
    {
        var mask = Enumerable.Range(0, N).Select(i => i % 9 == 0).ToArray();
        var cases = new List<Tuple<string, Filter, Func<int, bool>>>
        {
            Tuple.Create("label", Filter.Label(2), (Func<int, bool>)(i => i % 6 == 2)),
            Tuple.Create("anyOf", Filter.AnyOf(1, 4), (Func<int, bool>)(i => i % 6 == 1 || i % 6 == 4)),
            Tuple.Create("allOf", Filter.AllOf(1, 4), (Func<int, bool>)(i => false)),
            Tuple.Create("bitset", Filter.Bitset(mask), (Func<int, bool>)(i => i % 9 == 0)),
        };
        foreach (var c in cases)
        {
            double sum = 0;
            foreach (var q in queries)
            {
                var res = shared.Search(q, K, new SearchOptions { ListSize = 64, Filter = c.Item2 });
                foreach (var id in res.Ids) Assert(c.Item3((int)id), c.Item1 + ": id " + id + " fails the filter");
                sum += Recall(res.Ids, Truth(q, K, c.Item3));
            }
            Assert(sum / queries.Length >= 0.95, c.Item1 + " recall " + sum / queries.Length);
            c.Item2.Dispose();
        }
    }

    static void TestBatchAndRange()
    {
        var all = queries.SelectMany(q => q).ToArray();
        uint[] found;
        var batch = shared.BatchSearch(all, K, new SearchOptions { ListSize = 64 }, out found);
        for (int i = 0; i < queries.Length; i++)
        {
            var one = shared.Search(queries[i], K, new SearchOptions { ListSize = 64 });
            Assert(one.Ids.SequenceEqual(batch.Ids.Skip(i * K).Take((int)found[i])), "batch row " + i);
        }
        var d = Enumerable.Range(0, N).Select(i => L2(queries[0], i)).OrderBy(x => x).ToArray();
        float radius = (d[19] + d[20]) / 2;
        var rr = shared.RangeSearch(queries[0], radius, new SearchOptions { ListSize = 64 });
        Assert(rr.Ids.Length >= 19 && rr.Distances.All(x => x <= radius), "range: " + rr.Ids.Length);
        Assert(shared.RangeSearch(queries[0], d[600], new SearchOptions { ListSize = 64 }).Ids.Length > 256, "large range");
    }

    static void TestMutationsSaveLoad()
    {
        using (var idx = new VectorIndex(D, Metric.L2, new IndexOptions { MaxDegree = 24, BuildListSize = 48 }))
        {
            idx.Build(baseVectors.Take(500 * D).ToArray(), labels.Take(500).ToArray());
            var v = queries[0].Select(x => x + 1e-3f).ToArray();
            long id = idx.Insert(v, 9);
            Assert(id == 500, "inserted id " + id);
            using (var nine = Filter.Label(9))
            {
                Assert(idx.Search(queries[0], 1, new SearchOptions { Filter = nine }).Ids.SequenceEqual(new[] { id }), "label 9");
            }
            idx.Delete(id);
            Assert(!idx.Search(queries[0], K).Ids.Contains(id), "deleted id returned");
            Throws<DiskannArgumentException>(() => idx.Delete(id), "delete twice");
            idx.Update(3, queries[1]);
            using (var three = Filter.Label(3))
            {
                Assert(idx.Search(queries[1], 1, new SearchOptions { Filter = three }).Ids[0] == 3, "update lost labels");
            }
            Assert(idx.Consolidate() >= 1, "consolidate");
            string path = Path.Combine(Path.GetTempPath(), "diskann-cs-" + Guid.NewGuid() + ".idx");
            idx.Save(path);
            using (var again = VectorIndex.Load(path))
            {
                foreach (var q in queries.Take(10)) Assert(again.Search(q, K).Ids.SequenceEqual(idx.Search(q, K).Ids), "loaded index differs");
            }
            File.Delete(path);
            idx.CompressPq(4);
            Assert(idx.Stats().Kind == "pq", "kind after compression");
        }
    }

    static void TestErrors()
    {
        var bad = (float[])queries[0].Clone();
        bad[2] = float.NaN;
        Throws<DiskannArgumentException>(() => shared.Search(bad, K), "NaN", e => e.Message.Contains("NaN"));
        Throws<DiskannArgumentException>(() => shared.Search(queries[0].Take(5).ToArray(), K), "short query");
        Throws<DiskannArgumentException>(() => shared.Search(queries[0], 0), "k=0");
        Throws<DiskannIOException>(() => VectorIndex.Load("/nonexistent/x.idx"), "missing file");
        string junk = Path.GetTempFileName();
        File.WriteAllText(junk, string.Concat(Enumerable.Repeat("not an index", 20)));
        Throws<DiskannException>(() => VectorIndex.Load(junk), "junk file", e => e.Status == Status.Corrupt);
        File.Delete(junk);
        Throws<DiskannArgumentException>(() => new VectorIndex(4, (Metric)9), "bad metric");
        var empty = new VectorIndex(4);
        Throws<DiskannException>(() => empty.Search(new float[4], 1), "empty index", e => e.Status == Status.State);
        empty.Dispose();
        empty.Dispose();
        Throws<ObjectDisposedException>(() => empty.Search(new float[4], 1), "use after dispose");
    }

    static void TestThreadsSearchAtOnce()
    {
        var want = queries.Select(q => shared.Search(q, K, new SearchOptions { ListSize = 64 }).Ids).ToArray();
        int bad = 0;
        var threads = Enumerable.Range(0, 8).Select(t => new Thread(() =>
        {
            for (int i = 0; i < 200; i++)
            {
                int j = (t * 7 + i) % queries.Length;
                if (!shared.Search(queries[j], K, new SearchOptions { ListSize = 64 }).Ids.SequenceEqual(want[j])) Interlocked.Increment(ref bad);
            }
        })).ToList();
        threads.ForEach(t => t.Start());
        threads.ForEach(t => t.Join());
        Assert(bad == 0, bad + " searches differed under threads");
    }

    static long RssKiB()
    {
        foreach (var line in File.ReadAllLines("/proc/self/status"))
        {
            if (line.StartsWith("VmRSS:")) return long.Parse(line.Split(new[] { ' ', '\t' }, StringSplitOptions.RemoveEmptyEntries)[1]);
        }
        return 0;
    }

    static void Test10000CyclesKeepRssStable()
    {
        var vs = new[] { new float[] { 1, 0, 0, 0 }, new float[] { 0, 1, 0, 0 }, new float[] { 0, 0, 1, 0 }, new float[] { 0, 0, 0, 1 } };
        long before = 0;
        for (int c = 0; c < 10000; c++)
        {
            if (c == 2000) before = RssKiB();
            using (var idx = new VectorIndex(4))
            {
                foreach (var v in vs) idx.Insert(v);
                Assert(idx.Search(vs[1], 2).Ids[0] == 1, "cycle " + c);
            }
        }
        long grown = RssKiB() - before;
        Assert(grown < 96 * 1024, "RSS grew by " + grown + " KiB over 8,000 cycles");
    }

    static void TestExample()
    {
        Example.Run();
    }

    static void TestSharedSuite()
    {
        string dir = Environment.GetEnvironmentVariable("DISKANN_SUITE_DIR");
        if (string.IsNullOrEmpty(dir)) throw new Exception("set DISKANN_SUITE_DIR (bindings/suite.sh prints it)");
        var runner = new SuiteRunner(dir);
        runner.Run("csharp");
        Assert(runner.Checked > 200, "suite lines checked: " + runner.Checked);
        foreach (var path in Directory.GetFiles(Path.Combine(dir, "saved"), "*.idx")) runner.CheckSaved(path);
    }
}
