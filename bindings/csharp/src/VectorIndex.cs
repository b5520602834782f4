using System;
using System.Threading;

namespace Diskann
{
    public enum Metric { L2 = 0, Cosine = 1, InnerProduct = 2 }

    public enum VectorType { F32 = 0, F16 = 1, I8 = 2, U8 = 3 }

    public enum FilterBuild { None = 0, Filtered = 1, Stitched = 2 }

    /// <summary>Build parameters; 0 keeps a default (R=64, L_build=max(64, R), alpha=1.2, all cores).</summary>
    public sealed class IndexOptions
    {
        public VectorType VectorType { get; set; }
        public uint MaxDegree { get; set; }
        public uint BuildListSize { get; set; }
        public float Alpha { get; set; }
        public uint Threads { get; set; }
        public FilterBuild FilterBuild { get; set; }
    }

    /// <summary>Per-search parameters; 0 or null keeps a default.</summary>
    public sealed class SearchOptions
    {
        public uint ListSize { get; set; }
        public uint BeamWidth { get; set; }
        public Filter Filter { get; set; }
    }

    /// <summary>Results of one search, closest first.</summary>
    public struct SearchResult
    {
        public long[] Ids;
        public float[] Distances;
    }

    /// <summary>The index's size, shape and memory.</summary>
    public struct IndexStats
    {
        public ulong Count;
        public uint Dimensions;
        public Metric Metric;
        public VectorType VectorType;
        public string Kind;
        public ulong MemoryBytes;
        public bool HasLabels;
        public FilterBuild FilterBuild;
    }

    /// <summary>
    /// An approximate nearest-neighbour index of diskann-java (in memory, PQ-compressed or SSD-resident),
    /// reached through the C ABI. Thread-safe: searches, inserts, updates and deletes may run from several
    /// threads at once. Dispose it to free its memory; using it afterwards throws ObjectDisposedException.
    /// </summary>
    public sealed class VectorIndex : IDisposable
    {
        /// <summary>Largest k the library takes (2^20).</summary>
        public const int MaxK = 1 << 20;

        private readonly IndexHandle _handle;
        private readonly int _dims;

        private VectorIndex(ulong handle)
        {
            _handle = new IndexHandle(handle);
            _dims = (int)Stats().Dimensions;
        }

        /// <summary>A new, empty in-memory index.</summary>
        public VectorIndex(int dimensions, Metric metric = Metric.L2, IndexOptions options = null)
        {
            if (dimensions < 1) throw new DiskannArgumentException("dimensions must be at least 1, got " + dimensions);
            var p = new NativeParams();
            Native.diskann_params_init(ref p);
            if (options != null)
            {
                p.VectorType = (int)options.VectorType;
                p.MaxDegree = options.MaxDegree;
                p.BuildListSize = options.BuildListSize;
                p.Alpha = options.Alpha;
                p.Threads = options.Threads;
                p.FilterBuild = (int)options.FilterBuild;
            }
            ulong h;
            Native.Check(Native.diskann_create((uint)dimensions, (int)metric, ref p, out h));
            _handle = new IndexHandle(h);
            _dims = dimensions;
        }

        /// <summary>The library's version.</summary>
        public static string Version { get { return Native.Utf8(Native.diskann_version()); } }

        /// <summary>Starts the JVM now with extra options (e.g. "-Xmx8g"); only before any other call.</summary>
        public static void InitJvm(params string[] options)
        {
            Native.Check(Native.diskann_init(options, (uint)options.Length));
        }

        /// <summary>How many indexes are open in this process (for leak checks).</summary>
        public static ulong OpenHandles()
        {
            ulong n;
            Native.Check(Native.diskann_open_handles(out n));
            return n;
        }

        /// <summary>An in-memory index saved by Save (from any language) or by the Java API.</summary>
        public static VectorIndex Load(string path)
        {
            ulong h;
            Native.Check(Native.diskann_load(Native.Path(path), out h));
            return new VectorIndex(h);
        }

        /// <summary>A PQ index saved by the Java API.</summary>
        public static VectorIndex LoadPq(string path)
        {
            ulong h;
            Native.Check(Native.diskann_load_pq(Native.Path(path), out h));
            return new VectorIndex(h);
        }

        /// <summary>The SSD-resident index written by <c>./diskann build-disk</c>, with an optional DiskANN label file.</summary>
        public static VectorIndex OpenDisk(string path, string labelsPath = null, uint cacheNodes = 0)
        {
            ulong h;
            Native.Check(Native.diskann_open_disk(Native.Path(path), Native.Path(labelsPath), cacheNodes, out h));
            return new VectorIndex(h);
        }

        public int Dimensions { get { return _dims; } }

        public void Dispose() { _handle.Dispose(); }

        private IndexHandle H
        {
            get
            {
                if (_handle.IsClosed) throw new ObjectDisposedException("VectorIndex");
                return _handle;
            }
        }

        private void CheckVector(float[] v, string what)
        {
            if (v == null || v.Length != _dims)
            {
                throw new DiskannArgumentException(what + " has " + (v == null ? 0 : v.Length) + " components, the index " + _dims);
            }
        }

        private static NativeSearchParams Params(SearchOptions o)
        {
            var p = new NativeSearchParams();
            if (o != null)
            {
                p.ListSize = o.ListSize;
                p.BeamWidth = o.BeamWidth;
            }
            return p;
        }

        private static FilterHandle FilterOf(SearchOptions o)
        {
            return o == null || o.Filter == null ? FilterHandle.None : o.Filter.Handle;
        }

        /// <summary>Builds the graph over <paramref name="vectors"/> (n * Dimensions floats) as ids 0..n-1.</summary>
        public void Build(float[] vectors, int[][] labels = null)
        {
            if (vectors == null || vectors.Length == 0 || vectors.Length % _dims != 0)
            {
                throw new DiskannArgumentException("vectors must hold a positive multiple of " + _dims + " floats");
            }
            int n = vectors.Length / _dims;
            ulong[] offsets = null;
            int[] flat = null;
            if (labels != null)
            {
                if (labels.Length != n) throw new DiskannArgumentException(labels.Length + " label lists for " + n + " vectors");
                offsets = new ulong[n + 1];
                for (int i = 0; i < n; i++) offsets[i + 1] = offsets[i] + (ulong)labels[i].Length;
                flat = new int[Math.Max(1, (int)offsets[n])];
                for (int i = 0; i < n; i++) Array.Copy(labels[i], 0, flat, (int)offsets[i], labels[i].Length);
            }
            Native.Check(Native.diskann_build(H, vectors, (ulong)n, offsets, flat));
        }

        /// <summary>The k nearest neighbours of the query, closest first (fewer when fewer match).</summary>
        public SearchResult Search(float[] query, int k = 10, SearchOptions options = null)
        {
            CheckVector(query, "query");
            if (k < 1 || k > MaxK) throw new DiskannArgumentException("k must be in 1.." + MaxK + ", got " + k);
            var ids = new long[k];
            var dist = new float[k];
            var p = Params(options);
            uint found;
            Native.Check(Native.diskann_search(H, query, (uint)k, ref p, FilterOf(options), ids, dist, out found));
            Array.Resize(ref ids, (int)found);
            Array.Resize(ref dist, (int)found);
            return new SearchResult { Ids = ids, Distances = dist };
        }

        /// <summary>Every query (nq * Dimensions floats) in parallel; row-major nq * k, padded with -1 / +Inf.</summary>
        public SearchResult BatchSearch(float[] queries, int k, SearchOptions options, out uint[] found)
        {
            if (queries == null || queries.Length % _dims != 0)
            {
                throw new DiskannArgumentException("queries must hold a multiple of " + _dims + " floats");
            }
            if (k < 1 || k > MaxK) throw new DiskannArgumentException("k must be in 1.." + MaxK + ", got " + k);
            int nq = queries.Length / _dims;
            long total = (long)nq * k;
            if (total > int.MaxValue) throw new DiskannArgumentException(nq + " queries x k=" + k + " results do not fit one array");
            var ids = new long[total];
            var dist = new float[total];
            found = new uint[Math.Max(1, nq)];
            var p = Params(options);
            Native.Check(Native.diskann_batch_search(H, queries, (ulong)nq, (uint)k, ref p, FilterOf(options), ids, dist, found));
            return new SearchResult { Ids = ids, Distances = dist };
        }

        /// <summary>Every vector within <paramref name="radius"/> the search finds, closest first.</summary>
        public SearchResult RangeSearch(float[] query, float radius, SearchOptions options = null)
        {
            CheckVector(query, "query");
            var p = Params(options);
            FilterHandle filter = FilterOf(options); // one handle for every attempt, kept alive by the marshaller
            ulong capacity = 256;
            while (true)
            {
                var ids = new long[capacity];
                var dist = new float[capacity];
                ulong total;
                Native.Check(Native.diskann_range_search(H, query, radius, ref p, filter, ids, dist, capacity, out total));
                if (total <= capacity)
                {
                    Array.Resize(ref ids, (int)total);
                    Array.Resize(ref dist, (int)total);
                    return new SearchResult { Ids = ids, Distances = dist };
                }
                capacity = total;
            }
        }

        /// <summary>Adds a vector with its labels; returns its id.</summary>
        public long Insert(float[] vector, params int[] labels)
        {
            CheckVector(vector, "vector");
            long id;
            int[] l = labels != null && labels.Length > 0 ? labels : null;
            Native.Check(Native.diskann_insert(H, vector, l, l == null ? 0u : (uint)l.Length, out id));
            return id;
        }

        /// <summary>Deletes <paramref name="id"/>: searches stop returning it at once.</summary>
        public void Delete(long id) { Native.Check(Native.diskann_delete(H, id)); }

        /// <summary>Replaces id's vector; labels null keeps its labels, an empty array clears them.</summary>
        public void Update(long id, float[] vector, int[] labels = null)
        {
            CheckVector(vector, "vector");
            int[] l = labels == null ? null : (labels.Length == 0 ? new int[1] : labels);
            Native.Check(Native.diskann_update(H, id, vector, l, labels == null ? 0u : (uint)labels.Length));
        }

        /// <summary>Removes deleted vectors from the graph; returns how many.</summary>
        public ulong Consolidate()
        {
            ulong n;
            Native.Check(Native.diskann_consolidate(H, out n));
            return n;
        }

        /// <summary>Compresses in place with product quantization (pqBytes per vector; 0 = Dimensions / 8).</summary>
        public void CompressPq(uint pqBytes = 0) { Native.Check(Native.diskann_compress_pq(H, pqBytes)); }

        /// <summary>
        /// SSD-resident index only: caches in RAM the sectors, up to <paramref name="nodes"/> nodes, that searching
        /// <paramref name="queries"/> (nq * dimensions floats: expected queries or base vectors) reads most. Results do
        /// not change, reads do. Returns the number of nodes cached.
        /// </summary>
        public uint CacheFromQueries(float[] queries, uint nodes, int k = 10, SearchOptions options = null)
        {
            if (queries == null || queries.Length == 0 || queries.Length % _dims != 0)
            {
                throw new DiskannArgumentException("queries must hold a positive multiple of " + _dims + " floats");
            }
            if (k < 1 || k > MaxK) throw new DiskannArgumentException("k must be in 1.." + MaxK + ", got " + k);
            var p = Params(options);
            uint cached;
            Native.Check(Native.diskann_cache_from_queries(H, queries, (ulong)(queries.Length / _dims), (uint)k, ref p, nodes,
                out cached));
            return cached;
        }

        /// <summary>Writes the index atomically.</summary>
        public void Save(string path) { Native.Check(Native.diskann_save(H, Native.Path(path))); }

        public IndexStats Stats()
        {
            NativeStats s;
            Native.Check(Native.diskann_stats(H, out s));
            return new IndexStats
            {
                Count = s.Count,
                Dimensions = s.Dimensions,
                Metric = (Metric)s.Metric,
                VectorType = (VectorType)s.VectorType,
                Kind = new[] { "memory", "pq", "disk" }[s.Kind],
                MemoryBytes = s.MemoryBytes,
                HasLabels = s.HasLabels != 0,
                FilterBuild = (FilterBuild)s.FilterBuild,
            };
        }

        public ulong Count { get { return Stats().Count; } }
    }
}
