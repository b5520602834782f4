"""diskann: approximate nearest-neighbour search with diskann-java, from Python.

A thin, idiomatic layer over the C ABI (``libdiskann.so``, ``bindings/c/include/diskann.h``), which
runs the Java index inside this process. NumPy arrays go in and come out without copies: queries and
vectors are read in place (``float32``, C-contiguous; anything else is converted once), results are
written straight into new NumPy arrays.

    import numpy as np, diskann
    with diskann.Index(dimensions=128, metric="l2") as index:
        index.build(vectors)                       # (n, 128) float32, ids 0..n-1
        ids, distances = index.search(query, k=10)
        ids, distances = index.search(query, k=10, filter=diskann.Filter.label(3))

Errors raise :class:`DiskannError` subclasses carrying the library's message; calls release the GIL,
so several Python threads search at once.
"""

from ._native import (
    DiskannError,
    InvalidArgumentError,
    InvalidHandleError,
    IndexStateError,
    IndexIOError,
    CorruptIndexError,
    UnsupportedError,
    JvmError,
    version,
    open_handles,
    init_jvm,
)
from ._index import Index, Filter

__all__ = [
    "Index",
    "Filter",
    "DiskannError",
    "InvalidArgumentError",
    "InvalidHandleError",
    "IndexStateError",
    "IndexIOError",
    "CorruptIndexError",
    "UnsupportedError",
    "JvmError",
    "version",
    "open_handles",
    "init_jvm",
]
__version__ = "0.1.0"
