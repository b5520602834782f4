using System;
using System.IO;

namespace Diskann
{
    /// <summary>The library's status codes.</summary>
    public enum Status
    {
        Ok = 0,
        InvalidArgument = 1,
        InvalidHandle = 2,
        State = 3,
        IO = 4,
        Corrupt = 5,
        Unsupported = 6,
        NoMemory = 7,
        Jvm = 8,
        Internal = 9,
    }

    /// <summary>A failed call: <see cref="Status"/> and the library's message.</summary>
    public class DiskannException : Exception
    {
        public Status Status { get; private set; }

        public DiskannException(Status status, string message) : base(message)
        {
            Status = status;
        }

        internal static Exception Of(Status status, string message)
        {
            switch (status)
            {
                case Status.InvalidArgument: return new DiskannArgumentException(message);
                case Status.IO: return new DiskannIOException(message);
                default: return new DiskannException(status, message);
            }
        }
    }

    /// <summary>Bad dimension, NaN, k &lt; 1, unknown id, bad label...</summary>
    public sealed class DiskannArgumentException : ArgumentException
    {
        public Status Status { get { return Status.InvalidArgument; } }

        public DiskannArgumentException(string message) : base(message) { }
    }

    /// <summary>A file could not be read or written.</summary>
    public sealed class DiskannIOException : IOException
    {
        public Status Status { get { return Status.IO; } }

        public DiskannIOException(string message) : base(message) { }
    }
}
