using System;
using System.Runtime.InteropServices;

namespace Diskann
{
    /// <summary>
    /// What a filtered search may return: one label, any of, all of a set of labels, or a set of ids.
    /// Its labels or bits are pinned while the filter lives: dispose it (or let it be finalized) to unpin.
    /// </summary>
    public sealed class Filter : IDisposable
    {
        private GCHandle _labels;
        private GCHandle _bits;
        private GCHandle _struct;
        private readonly NativeFilter[] _native = new NativeFilter[1];

        private Filter(int kind, int[] labels, ulong[] bits, ulong bitCount)
        {
            _native[0].Kind = kind;
            if (labels != null)
            {
                _labels = GCHandle.Alloc(labels, GCHandleType.Pinned);
                _native[0].Labels = _labels.AddrOfPinnedObject();
                _native[0].LabelCount = (uint)labels.Length;
            }
            if (bits != null)
            {
                _bits = GCHandle.Alloc(bits, GCHandleType.Pinned);
                _native[0].Bits = _bits.AddrOfPinnedObject();
            }
            _native[0].BitCount = bitCount;
            _struct = GCHandle.Alloc(_native, GCHandleType.Pinned);
        }

        /// <summary>Vectors that carry <paramref name="label"/>.</summary>
        public static Filter Label(int label) { return new Filter(1, new[] { label }, null, 0); }

        /// <summary>Vectors that carry at least one of <paramref name="labels"/> (OR).</summary>
        public static Filter AnyOf(params int[] labels) { return new Filter(2, (int[])labels.Clone(), null, 0); }

        /// <summary>Vectors that carry every one of <paramref name="labels"/> (AND).</summary>
        public static Filter AllOf(params int[] labels) { return new Filter(3, (int[])labels.Clone(), null, 0); }

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

        internal IntPtr Pointer
        {
            get
            {
                if (!_struct.IsAllocated) throw new ObjectDisposedException("Filter");
                return _struct.AddrOfPinnedObject();
            }
        }

        public void Dispose()
        {
            Free();
            GC.SuppressFinalize(this);
        }

        ~Filter() { Free(); }

        private void Free()
        {
            if (_struct.IsAllocated) _struct.Free();
            if (_labels.IsAllocated) _labels.Free();
            if (_bits.IsAllocated) _bits.Free();
        }
    }
}
