// P/Invoke declarations of bindings/c/include/diskann.h. Arrays of blittable types are pinned, not
// copied, for the length of a call; IndexHandle is passed as the 64-bit handle and kept alive by the
// marshaller while a call runs.
using System;
using System.Runtime.InteropServices;

namespace Diskann
{
    [StructLayout(LayoutKind.Sequential)]
    internal struct NativeParams
    {
        public uint StructSize;
        public int VectorType;
        public uint MaxDegree;
        public uint BuildListSize;
        public float Alpha;
        public uint Threads;
        public int FilterBuild;
    }

    [StructLayout(LayoutKind.Sequential)]
    internal struct NativeSearchParams
    {
        public uint ListSize;
        public uint BeamWidth;
    }

    [StructLayout(LayoutKind.Sequential)]
    internal struct NativeFilter
    {
        public int Kind;
        public uint LabelCount;
        public IntPtr Labels;
        public IntPtr Bits;
        public ulong BitCount;
    }

    [StructLayout(LayoutKind.Sequential)]
    internal struct NativeStats
    {
        public ulong Count;
        public uint Dimensions;
        public int Metric;
        public int VectorType;
        public int Kind;
        public ulong MemoryBytes;
        public int HasLabels;
        public int FilterBuild;
    }

    internal static class Native
    {
        private const string Lib = "diskann"; // libdiskann.so, found through LD_LIBRARY_PATH (see README)

        [DllImport(Lib)] internal static extern IntPtr diskann_last_error();
        [DllImport(Lib)] internal static extern IntPtr diskann_version();
        [DllImport(Lib)] internal static extern int diskann_init(string[] options, uint count);
        [DllImport(Lib)] internal static extern void diskann_params_init(ref NativeParams p);
        [DllImport(Lib)] internal static extern int diskann_create(uint dims, int metric, ref NativeParams p, out ulong handle);
        [DllImport(Lib)] internal static extern int diskann_build(IndexHandle h, float[] vectors, ulong n, ulong[] offsets, int[] labels);
        [DllImport(Lib)] internal static extern int diskann_load(byte[] path, out ulong handle);
        [DllImport(Lib)] internal static extern int diskann_load_pq(byte[] path, out ulong handle);
        [DllImport(Lib)] internal static extern int diskann_open_disk(byte[] path, byte[] labels, uint cacheNodes, out ulong handle);
        [DllImport(Lib)] internal static extern int diskann_save(IndexHandle h, byte[] path);
        [DllImport(Lib)] internal static extern int diskann_free(ulong h);
        [DllImport(Lib)] internal static extern int diskann_search(IndexHandle h, float[] query, uint k, ref NativeSearchParams p,
            FilterHandle filter, long[] ids, float[] distances, out uint found);
        [DllImport(Lib)] internal static extern int diskann_batch_search(IndexHandle h, float[] queries, ulong nq, uint k,
            ref NativeSearchParams p, FilterHandle filter, long[] ids, float[] distances, uint[] found);
        [DllImport(Lib)] internal static extern int diskann_range_search(IndexHandle h, float[] query, float radius,
            ref NativeSearchParams p, FilterHandle filter, long[] ids, float[] distances, ulong capacity, out ulong total);
        [DllImport(Lib)] internal static extern int diskann_insert(IndexHandle h, float[] vector, int[] labels, uint count, out long id);
        [DllImport(Lib)] internal static extern int diskann_delete(IndexHandle h, long id);
        [DllImport(Lib)] internal static extern int diskann_update(IndexHandle h, long id, float[] vector, int[] labels, uint count);
        [DllImport(Lib)] internal static extern int diskann_consolidate(IndexHandle h, out ulong removed);
        [DllImport(Lib)] internal static extern int diskann_stats(IndexHandle h, out NativeStats stats);
        [DllImport(Lib)] internal static extern int diskann_compress_pq(IndexHandle h, uint pqBytes);
        [DllImport(Lib)] internal static extern int diskann_cache_from_queries(IndexHandle h, float[] queries, ulong nq, uint k,
            ref NativeSearchParams p, uint nodes, out uint cached);
        [DllImport(Lib)] internal static extern int diskann_open_handles(out ulong count);

        /// <summary>Throws the exception for a failed call, with this thread's message.</summary>
        internal static void Check(int status)
        {
            if (status != 0)
            {
                throw DiskannException.Of((Status)status, Utf8(diskann_last_error()));
            }
        }

        internal static string Utf8(IntPtr p)
        {
            if (p == IntPtr.Zero) return "";
            int n = 0;
            while (Marshal.ReadByte(p, n) != 0) n++;
            byte[] b = new byte[n];
            Marshal.Copy(p, b, 0, n);
            return System.Text.Encoding.UTF8.GetString(b);
        }

        internal static byte[] Path(string path)
        {
            if (path == null) return null;
            return System.Text.Encoding.UTF8.GetBytes(path + "\0");
        }
    }

    /// <summary>The index's C handle; releasing it frees the index.</summary>
    internal sealed class IndexHandle : SafeHandle
    {
        internal IndexHandle(ulong handle) : base(IntPtr.Zero, true)
        {
            SetHandle(new IntPtr((long)handle));
        }

        public override bool IsInvalid { get { return handle == IntPtr.Zero; } }

        protected override bool ReleaseHandle()
        {
            return Native.diskann_free((ulong)handle.ToInt64()) == 0;
        }
    }
}
