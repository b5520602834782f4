"""ctypes declarations of diskann.h and the status-to-exception mapping."""

import ctypes
import ctypes.util
import os
from pathlib import Path

c_float_p = ctypes.POINTER(ctypes.c_float)
c_int64_p = ctypes.POINTER(ctypes.c_int64)
c_int32_p = ctypes.POINTER(ctypes.c_int32)
c_uint32_p = ctypes.POINTER(ctypes.c_uint32)
c_uint64_p = ctypes.POINTER(ctypes.c_uint64)


class Params(ctypes.Structure):
    _fields_ = [
        ("struct_size", ctypes.c_uint32),
        ("vector_type", ctypes.c_int32),
        ("max_degree", ctypes.c_uint32),
        ("build_list_size", ctypes.c_uint32),
        ("alpha", ctypes.c_float),
        ("threads", ctypes.c_uint32),
        ("filter_build", ctypes.c_int32),
    ]


class SearchParams(ctypes.Structure):
    _fields_ = [("list_size", ctypes.c_uint32), ("beam_width", ctypes.c_uint32)]


class FilterStruct(ctypes.Structure):
    _fields_ = [
        ("kind", ctypes.c_int32),
        ("label_count", ctypes.c_uint32),
        ("labels", c_int32_p),
        ("bits", c_uint64_p),
        ("bit_count", ctypes.c_uint64),
    ]


class Stats(ctypes.Structure):
    _fields_ = [
        ("count", ctypes.c_uint64),
        ("dimensions", ctypes.c_uint32),
        ("metric", ctypes.c_int32),
        ("vector_type", ctypes.c_int32),
        ("kind", ctypes.c_int32),
        ("memory_bytes", ctypes.c_uint64),
        ("has_labels", ctypes.c_int32),
        ("filter_build", ctypes.c_int32),
    ]


class DiskannError(Exception):
    """A failed call: ``status`` is the C status code, the message is the library's."""

    def __init__(self, status, message):
        super().__init__(message)
        self.status = status


class InvalidArgumentError(DiskannError, ValueError):
    """Bad dimension, NaN, k < 1, unknown id, bad label..."""


class InvalidHandleError(DiskannError):
    """The index was closed (or never opened)."""


class IndexStateError(DiskannError):
    """The index cannot do this now (e.g. searching an empty index)."""


class IndexIOError(DiskannError, OSError):
    """A file could not be read or written."""


class CorruptIndexError(DiskannError):
    """A file failed its checksum, is truncated, or has an unknown format version."""


class UnsupportedError(DiskannError):
    """The operation does not apply to this kind of index."""


class JvmError(DiskannError):
    """The JVM could not be found or started (set DISKANN_JAVA_HOME, or check DISKANN_JVM_OPTS)."""


_ERRORS = {
    1: InvalidArgumentError,
    2: InvalidHandleError,
    3: IndexStateError,
    4: IndexIOError,
    5: CorruptIndexError,
    6: UnsupportedError,
    7: DiskannError,
    8: JvmError,
    9: DiskannError,
}


def _find_library():
    explicit = os.environ.get("DISKANN_LIB")
    if explicit:
        return explicit
    here = Path(__file__).resolve().parent
    for candidate in (here / "libdiskann.so", here.parent.parent / "c" / "target" / "native" / "libdiskann.so"):
        if candidate.exists():
            return str(candidate)
    found = ctypes.util.find_library("diskann")
    if found:
        return found
    raise ImportError(
        "libdiskann.so not found: build bindings/c (mvn package, or ./diskann test) or set DISKANN_LIB to its path"
    )


lib = ctypes.CDLL(_find_library())

_I = ctypes.c_int
_H = ctypes.c_uint64


def _decl(name, *args):
    f = getattr(lib, name)
    f.argtypes = list(args)
    f.restype = _I
    return f


lib.diskann_last_error.restype = ctypes.c_char_p
lib.diskann_last_error.argtypes = []
lib.diskann_version.restype = ctypes.c_char_p
lib.diskann_version.argtypes = []
lib.diskann_params_init.restype = None
lib.diskann_params_init.argtypes = [ctypes.POINTER(Params)]
_decl("diskann_init", ctypes.POINTER(ctypes.c_char_p), ctypes.c_uint32)
_decl("diskann_create", ctypes.c_uint32, ctypes.c_int32, ctypes.POINTER(Params), ctypes.POINTER(_H))
_decl("diskann_build", _H, c_float_p, ctypes.c_uint64, c_uint64_p, c_int32_p)
_decl("diskann_load", ctypes.c_char_p, ctypes.POINTER(_H))
_decl("diskann_load_pq", ctypes.c_char_p, ctypes.POINTER(_H))
_decl("diskann_open_disk", ctypes.c_char_p, ctypes.c_char_p, ctypes.c_uint32, ctypes.POINTER(_H))
_decl("diskann_save", _H, ctypes.c_char_p)
_decl("diskann_free", _H)
_decl("diskann_search", _H, c_float_p, ctypes.c_uint32, ctypes.POINTER(SearchParams), ctypes.POINTER(FilterStruct),
      c_int64_p, c_float_p, c_uint32_p)
_decl("diskann_batch_search", _H, c_float_p, ctypes.c_uint64, ctypes.c_uint32, ctypes.POINTER(SearchParams),
      ctypes.POINTER(FilterStruct), c_int64_p, c_float_p, c_uint32_p)
_decl("diskann_range_search", _H, c_float_p, ctypes.c_float, ctypes.POINTER(SearchParams),
      ctypes.POINTER(FilterStruct), c_int64_p, c_float_p, ctypes.c_uint64, c_uint64_p)
_decl("diskann_insert", _H, c_float_p, c_int32_p, ctypes.c_uint32, c_int64_p)
_decl("diskann_delete", _H, ctypes.c_int64)
_decl("diskann_update", _H, ctypes.c_int64, c_float_p, c_int32_p, ctypes.c_uint32)
_decl("diskann_consolidate", _H, c_uint64_p)
_decl("diskann_stats", _H, ctypes.POINTER(Stats))
_decl("diskann_compress_pq", _H, ctypes.c_uint32)
_decl("diskann_cache_from_queries", _H, c_float_p, ctypes.c_uint64, ctypes.c_uint32, ctypes.POINTER(SearchParams),
      ctypes.c_uint32, c_uint32_p)
_decl("diskann_open_handles", c_uint64_p)


def check(status):
    """Raises the exception for a non-zero status, with this thread's message."""
    if status != 0:
        message = lib.diskann_last_error().decode("utf-8", "replace")
        raise _ERRORS.get(status, DiskannError)(status, message)


def version():
    """The library's version string."""
    return lib.diskann_version().decode()


def open_handles():
    """How many indexes are open in this process (for leak checks)."""
    n = ctypes.c_uint64()
    check(lib.diskann_open_handles(ctypes.byref(n)))
    return n.value


def init_jvm(*options):
    """Starts the JVM now with extra options (e.g. ``init_jvm("-Xmx8g")``); only before any other call."""
    arr = (ctypes.c_char_p * len(options))(*[o.encode() for o in options])
    check(lib.diskann_init(arr, len(options)))
