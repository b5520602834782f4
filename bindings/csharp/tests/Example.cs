// The README's example, run by the tests (Tests.TestExample).
using System;
using System.IO;
using System.Linq;
using Diskann;

public static class Example
{
    public static void Run()
    {
        const int dims = 64, n = 10000;
        var r = new Random(1);
        float[] vectors = Enumerable.Range(0, n * dims).Select(_ => (float)(r.NextDouble() - 0.5)).ToArray();
        int[][] labels = Enumerable.Range(0, n).Select(i => new[] { i % 20 }).ToArray();
        float[] query = vectors.Skip(42 * dims).Take(dims).ToArray();
        string path = Path.Combine(Path.GetTempPath(), "diskann-example-" + Guid.NewGuid() + ".idx");
        using (var index = new VectorIndex(dims, Metric.L2))
        {
            index.Build(vectors, labels);
            SearchResult res = index.Search(query, 10);
            Console.WriteLine("  nearest: " + res.Ids[0]);
            using (var seven = Filter.Label(7))
            {
                res = index.Search(query, 10, new SearchOptions { ListSize = 64, Filter = seven });
                Console.WriteLine("  nearest with label 7: " + res.Ids[0]);
            }
            long id = index.Insert(query, 3);
            index.Delete(id);
            index.Save(path);
        }
        using (var again = VectorIndex.Load(path))
        {
            Console.WriteLine("  loaded " + again.Count + " vectors");
        }
        File.Delete(path);
    }
}
