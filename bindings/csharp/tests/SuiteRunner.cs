// Runs bindings/README.md's shared suite (cases.txt) through the C# binding.
using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using Diskann;

public sealed class SuiteRunner
{
    const int Bits = 4096;
    // Distances may differ from the generator's in the last bits: the JVM sums a Vector API kernel's lanes
    // in a different order before and after the JIT compiles it.
    const double Tolerance = 2e-6;

    readonly string dir;
    readonly float[][] queries, extra;
    VectorIndex index;
    VectorIndex disk;
    public int Checked;

    public SuiteRunner(string dir)
    {
        this.dir = dir;
        queries = ReadFvecs(Path.Combine(dir, "queries.fvecs"));
        extra = ReadFvecs(Path.Combine(dir, "extra.fvecs"));
    }

    static float[][] ReadFvecs(string path)
    {
        var b = File.ReadAllBytes(path);
        int d = BitConverter.ToInt32(b, 0);
        var rows = new List<float[]>();
        for (int off = 0; off < b.Length; off += 4 + 4 * d)
        {
            var v = new float[d];
            for (int j = 0; j < d; j++) v[j] = BitConverter.ToSingle(b, off + 4 + 4 * j);
            rows.Add(v);
        }
        return rows.ToArray();
    }

    static Filter ParseFilter(string spec)
    {
        if (spec == "none") return null;
        var kv = spec.Split(':');
        var nums = kv[1].Split(',').Select(int.Parse).ToArray();
        switch (kv[0])
        {
            case "label": return Filter.Label(nums[0]);
            case "any": return Filter.AnyOf(nums);
            case "all": return Filter.AllOf(nums);
            case "bits": return Filter.Bitset(Enumerable.Range(0, Bits).Select(i => i % nums[0] == 0).ToArray());
        }
        throw new Exception(spec);
    }

    static float FromBits(string hex)
    {
        return BitConverter.ToSingle(BitConverter.GetBytes(uint.Parse(hex, NumberStyles.HexNumber)), 0);
    }

    static void Compare(string where, long[] ids, float[] dists, int n, string expected)
    {
        var parts = expected.Trim().Split(' ');
        int count = int.Parse(parts[0]);
        if (n != count) throw new Exception(where + ": " + n + " results, expected " + count);
        for (int i = 0; i < count; i++)
        {
            var kv = parts[i + 1].Split(':');
            long id = long.Parse(kv[0]);
            float want = FromBits(kv[1]);
            if (ids[i] != id || Math.Abs(dists[i] - want) > Tolerance * Math.Abs(want))
            {
                throw new Exception(where + ": result " + i + " is " + ids[i] + ":" + dists[i] + ", expected " + id + ":" + want);
            }
        }
    }

    void Step(string line)
    {
        int arrow = line.IndexOf(" -> ");
        string op = arrow < 0 ? line : line.Substring(0, arrow);
        string expected = arrow < 0 ? "" : line.Substring(arrow + 4);
        var p = op.Split(' ');
        string where = line.Length > 80 ? line.Substring(0, 80) : line;
        switch (p[0])
        {
            case "disk-open":
                disk = VectorIndex.OpenDisk(Path.Combine(dir, p[1]), Path.Combine(dir, p[2]));
                break;
            case "disk-search":
            {
                var r = disk.Search(queries[int.Parse(p[1])], int.Parse(p[2]), new SearchOptions { ListSize = uint.Parse(p[3]), Filter = ParseFilter(p[4]) });
                Compare(where, r.Ids, r.Distances, r.Ids.Length, expected);
                break;
            }
            case "disk-cache":
            {
                int dims = queries[0].Length;
                var sample = new float[queries.Length * dims];
                for (int i = 0; i < queries.Length; i++) Array.Copy(queries[i], 0, sample, i * dims, dims);
                uint cached = disk.CacheFromQueries(sample, uint.Parse(p[3]), int.Parse(p[1]), new SearchOptions { ListSize = uint.Parse(p[2]) });
                if (cached.ToString() != expected) throw new Exception(where + ": cached " + cached);
                break;
            }
            case "disk-close":
                disk.Dispose();
                break;
            case "load":
                index = VectorIndex.Load(Path.Combine(dir, p[1]));
                break;
            case "search":
            {
                var f = ParseFilter(p[4]);
                var r = index.Search(queries[int.Parse(p[1])], int.Parse(p[2]), new SearchOptions { ListSize = uint.Parse(p[3]), Filter = f });
                Compare(where, r.Ids, r.Distances, r.Ids.Length, expected);
                if (f != null) f.Dispose();
                break;
            }
            case "range":
            {
                var r = index.RangeSearch(queries[int.Parse(p[1])], FromBits(p[2]), new SearchOptions { Filter = ParseFilter(p[3]) });
                Compare(where, r.Ids, r.Distances, r.Ids.Length, expected);
                break;
            }
            case "batch":
            {
                int k = int.Parse(p[1]);
                uint[] found;
                var r = index.BatchSearch(queries.SelectMany(q => q).ToArray(), k,
                    new SearchOptions { ListSize = uint.Parse(p[2]), Filter = ParseFilter(p[3]) }, out found);
                var rows = expected.Split(new[] { " | " }, StringSplitOptions.None);
                for (int qi = 0; qi < rows.Length; qi++)
                {
                    Compare(where + " query " + qi, r.Ids.Skip(qi * k).ToArray(), r.Distances.Skip(qi * k).ToArray(), (int)found[qi], rows[qi]);
                }
                break;
            }
            case "insert":
            {
                var labels = p[2] == "-" ? new int[0] : p[2].Split(',').Select(int.Parse).ToArray();
                long id = index.Insert(extra[int.Parse(p[1])], labels);
                if (id.ToString() != expected) throw new Exception(where + ": id " + id);
                break;
            }
            case "delete":
                index.Delete(long.Parse(p[1]));
                break;
            case "update":
                index.Update(long.Parse(p[1]), extra[int.Parse(p[2])], p[3] == "keep" ? null : p[3].Split(',').Select(int.Parse).ToArray());
                break;
            case "consolidate":
            {
                ulong n = index.Consolidate();
                if (n.ToString() != expected) throw new Exception(where + ": removed " + n);
                break;
            }
            case "reload":
            {
                string path = Path.Combine(Path.GetTempPath(), "diskann-cs-reload-" + Guid.NewGuid() + ".idx");
                index.Save(path);
                index.Dispose();
                index = VectorIndex.Load(path);
                File.Delete(path);
                break;
            }
            default:
                throw new Exception("unknown suite operation: " + line);
        }
        Checked++;
    }

    IEnumerable<string> Lines(bool finalOnly)
    {
        bool inFinal = false;
        foreach (var line in File.ReadAllLines(Path.Combine(dir, "cases.txt")))
        {
            if (line.Length == 0) continue;
            if (line.StartsWith("#")) { inFinal = inFinal || line.StartsWith("# final"); continue; }
            if (!finalOnly || inFinal) yield return line;
        }
    }

    public void Run(string saveAs)
    {
        foreach (var line in Lines(false)) Step(line);
        Directory.CreateDirectory(Path.Combine(dir, "saved"));
        index.Save(Path.Combine(dir, "saved", saveAs + ".idx"));
        index.Dispose();
    }

    public void CheckSaved(string path)
    {
        index = VectorIndex.Load(path);
        try
        {
            foreach (var line in Lines(true)) Step(line);
        }
        finally
        {
            index.Dispose();
        }
    }
}
