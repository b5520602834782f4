// The C# side of the bindings' overhead benchmark (bindings/bench.sh): the loops BindingBench runs.
using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using Diskann;

public static class Bench
{
    public static int Main(string[] args)
    {
        int passes = args.Length > 2 ? int.Parse(args[2]) : 5;
        double warmup = args.Length > 3 ? double.Parse(args[3], CultureInfo.InvariantCulture) : 5;
        var b = File.ReadAllBytes(args[1]);
        int d = BitConverter.ToInt32(b, 0);
        var rows = new List<float[]>();
        for (int off = 0; off < b.Length; off += 4 + 4 * d)
        {
            var v = new float[d];
            Buffer.BlockCopy(b, off + 4, v, 0, 4 * d);
            rows.Add(v);
        }
        float[] all = rows.SelectMany(x => x).ToArray();
        using (var index = VectorIndex.Load(args[0]))
        {
            var opts = new SearchOptions { ListSize = 64 };
            var sw = Stopwatch.StartNew();
            while (sw.Elapsed.TotalSeconds < warmup) foreach (var q in rows) index.Search(q, 10, opts);
            double best = 0;
            long checksum = 0;
            for (int p = 0; p < passes; p++)
            {
                long s = 0;
                var t = Stopwatch.StartNew();
                foreach (var q in rows) foreach (var id in index.Search(q, 10, opts).Ids) s += id;
                best = Math.Max(best, rows.Count / t.Elapsed.TotalSeconds);
                checksum = s;
            }
            double bestBatch = 0;
            for (int p = 0; p < passes; p++)
            {
                uint[] found;
                var t = Stopwatch.StartNew();
                index.BatchSearch(all, 10, opts, out found);
                bestBatch = Math.Max(bestBatch, rows.Count / t.Elapsed.TotalSeconds);
            }
            Console.WriteLine(string.Format(CultureInfo.InvariantCulture,
                "{{\"lang\":\"csharp\",\"queries\":{0},\"single_qps\":{1:F1},\"batch_qps\":{2:F1},\"checksum\":{3}}}",
                rows.Count, best, bestBatch, checksum));
        }
        return 0;
    }
}
