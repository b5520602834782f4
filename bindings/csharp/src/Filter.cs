using System;
using System.Runtime.InteropServices;

namespace Diskann
{
    /// <summary>
    /// What a filtered search may return: one label, any of, all of a set of labels, or a set of ids. The
    /// filter lives in native memory behind a <see cref="SafeHandle"/>, so disposing it while another thread's
    /// search uses it waits for that call; reuse one Filter across searches.
    /// </summary>
    public sealed class Filter : IDisposable
    {
        internal FilterHandle Handle { get; private set; }

        private Filter(int kind, int[] labels, ulong[] bits, ulong bitCount)
        {
            Handle = FilterHandle.Create(kind, labels, bits, bitCount);
        }

        /// <summary>Vectors that carry <paramref name="label"/>.</summary>
        public static Filter Label(int label) { return new Filter(1, new[] { label }, null, 0); }

        /// <summary>Vectors that carry at least one of <paramref name="labels"/> (OR).</summary>
        public static Filter AnyOf(params int[] labels) { return new Filter(2, labels, null, 0); }

        /// <summary>Vectors that carry every one of <paramref name="labels"/> (AND).</summary>
        public static Filter AllOf(params int[] labels) { return new Filter(3, labels, null, 0); }

        /// <summary>Ids whose entry of <paramref name="mask"/> is true (e.g. an access-control list).</summary>
        public static Filter Bitset(bool[] mask)
        {
            var words = new ulong[Math.Max(1, (mask.Length + 63) / 64)];
            for (int i = 0; i < mask.Length; i++)
            {
                if (mask[i]) words[i / 64] |= 1UL << (i % 64);
            }
            return new Filter(4, null, words, (ulong)mask.Length);
        }

        public void Dispose() { Handle.Dispose(); }
    }

    /// <summary>
    /// A diskann_filter and its labels or bits in one native block: [struct (32 bytes)][labels or bits].
    /// </summary>
    internal sealed class FilterHandle : SafeHandle
    {
        /// <summary>No filter: passed as NULL.</summary>
        internal static readonly FilterHandle None = new FilterHandle(false);

        private FilterHandle(bool owns) : base(IntPtr.Zero, owns) { }

        public override bool IsInvalid { get { return handle == IntPtr.Zero; } }

        internal static FilterHandle Create(int kind, int[] labels, ulong[] bits, ulong bitCount)
        {
            int structSize = Marshal.SizeOf(typeof(NativeFilter));
            int payload = labels != null ? labels.Length * 4 : bits != null ? bits.Length * 8 : 0;
            var h = new FilterHandle(true);
            IntPtr block = Marshal.AllocHGlobal(structSize + payload);
            h.SetHandle(block);
            var f = new NativeFilter { Kind = kind, BitCount = bitCount };
            IntPtr data = new IntPtr(block.ToInt64() + structSize);
            if (labels != null)
            {
                Marshal.Copy(labels, 0, data, labels.Length);
                f.Labels = data;
                f.LabelCount = (uint)labels.Length;
            }
            if (bits != null)
            {
                Marshal.Copy((long[])(object)bits, 0, data, bits.Length);
                f.Bits = data;
            }
            Marshal.StructureToPtr(f, block, false);
            return h;
        }

        protected override bool ReleaseHandle()
        {
            Marshal.FreeHGlobal(handle);
            return true;
        }
    }
}
