"""The Index class: one open diskann index, and Filter: what a query may return."""

import ctypes
import os
import threading

import numpy as np

from . import _native as n

_METRICS = {"l2": 0, "cosine": 1, "inner_product": 2, "ip": 2}
_TYPES = {"f32": 0, "f16": 1, "i8": 2, "u8": 3}
_FILTER_BUILDS = {"none": 0, "filtered": 1, "stitched": 2}
_KINDS = {0: "memory", 1: "pq", 2: "disk"}
_F32 = np.dtype(np.float32)


def _floats(a, what, shape_tail):
    arr = np.ascontiguousarray(a, dtype=np.float32)  # no copy when it already is
    if arr.ndim != 1 + len(shape_tail) or tuple(arr.shape[1:]) != shape_tail:
        raise n.InvalidArgumentError(1, f"{what} must have shape (..., {shape_tail}), got {arr.shape}")
    return arr


def _ptr(arr, ctype):
    return arr.ctypes.data_as(ctypes.POINTER(ctype))


def _ref(arr, ctype):
    """A pointer to arr's data for one call. Measured 1 us against 5 us for arr.ctypes.data_as (which made
    Python's search 20% slower than Java's on a 1M index); read-only arrays take the slow path."""
    try:
        return ctypes.byref(ctype.from_buffer(arr))
    except (TypeError, ValueError):
        return _ptr(arr, ctype)


class Filter:
    """What a filtered search may return: one label, any of, all of a set of labels, or a bitset of ids.

    >>> Filter.label(3); Filter.any_of([1, 5]); Filter.all_of([1, 5]); Filter.ids(np.array([4, 8, 15]))
    """

    def __init__(self, kind, labels=None, bits=None, bit_count=0):
        self._labels = None if labels is None else np.ascontiguousarray(labels, dtype=np.int32)
        self._bits = None if bits is None else np.ascontiguousarray(bits, dtype=np.uint64)
        # the library reads ceil(bit_count / 64) words of bits: never more than the array holds
        if bit_count < 0 or bit_count > 64 * (0 if self._bits is None else len(self._bits)):
            raise n.InvalidArgumentError(1, f"bit_count {bit_count} exceeds the {0 if self._bits is None else len(self._bits)} words of bits")
        self._struct = n.FilterStruct(
            kind,
            0 if self._labels is None else len(self._labels),
            None if self._labels is None else _ptr(self._labels, ctypes.c_int32),
            None if self._bits is None else _ptr(self._bits, ctypes.c_uint64),
            bit_count,
        )

    @staticmethod
    def label(label):
        """Vectors that carry ``label``."""
        return Filter(1, [label])

    @staticmethod
    def any_of(labels):
        """Vectors that carry at least one of ``labels`` (OR)."""
        return Filter(2, list(labels))

    @staticmethod
    def all_of(labels):
        """Vectors that carry every one of ``labels`` (AND)."""
        return Filter(3, list(labels))

    @staticmethod
    def bitset(mask):
        """Ids whose entry of the boolean array ``mask`` is true (e.g. an access-control list)."""
        mask = np.asarray(mask, dtype=bool)
        packed = np.packbits(mask, bitorder="little")
        words = np.zeros((len(packed) + 7) // 8 * 8, dtype=np.uint8)
        words[: len(packed)] = packed
        return Filter(4, bits=words.view(np.uint64), bit_count=len(mask))

    @staticmethod
    def ids(allowed, bound=None):
        """Only the given ids."""
        allowed = np.asarray(allowed, dtype=np.int64)
        size = int(bound if bound is not None else (allowed.max() + 1 if len(allowed) else 0))
        mask = np.zeros(size, dtype=bool)
        mask[allowed] = True
        return Filter.bitset(mask)


def _filter_ptr(f):
    if f is None:
        return None
    if not isinstance(f, Filter):
        raise n.InvalidArgumentError(1, f"filter must be a diskann.Filter, got {type(f).__name__}")
    return ctypes.byref(f._struct)


def _search_params(list_size, beam_width):
    if list_size < 0 or beam_width < 0:
        raise n.InvalidArgumentError(1, "list_size and beam_width must be >= 0")
    return n.SearchParams(list_size, beam_width)


class Index:
    """An approximate nearest-neighbour index (in memory, PQ-compressed, or SSD-resident).

    Thread-safe: searches, inserts, updates and deletes may run from several threads at once (calls
    release the GIL). Close it (or use ``with``) to free its memory at once; it is also freed when
    garbage-collected.
    """

    def __init__(self, dimensions, metric="l2", *, vector_type="f32", max_degree=0, build_list_size=0, alpha=0.0,
                 threads=0, filter_build="none", _handle=None):
        self._lock = threading.Lock()
        self._params = {}  # search parameter structs by (list_size, beam_width); read-only once made
        if _handle is not None:
            self._handle = _handle
        else:
            if metric not in _METRICS:
                raise n.InvalidArgumentError(1, f"metric must be one of {sorted(_METRICS)}, got {metric!r}")
            if vector_type not in _TYPES:
                raise n.InvalidArgumentError(1, f"vector_type must be one of {sorted(_TYPES)}, got {vector_type!r}")
            if filter_build not in _FILTER_BUILDS:
                raise n.InvalidArgumentError(1, f"filter_build must be one of {sorted(_FILTER_BUILDS)}")
            p = n.Params()
            n.lib.diskann_params_init(ctypes.byref(p))
            p.vector_type = _TYPES[vector_type]
            p.max_degree, p.build_list_size, p.alpha, p.threads = max_degree, build_list_size, alpha, threads
            p.filter_build = _FILTER_BUILDS[filter_build]
            h = ctypes.c_uint64()
            n.check(n.lib.diskann_create(int(dimensions), _METRICS[metric], ctypes.byref(p), ctypes.byref(h)))
            self._handle = h.value
        self._dims = self.stats()["dimensions"]

    # -- opening -------------------------------------------------------------------------------------

    @classmethod
    def load(cls, path):
        """An in-memory index saved by :meth:`save` (from any language) or by the Java API."""
        h = ctypes.c_uint64()
        n.check(n.lib.diskann_load(os.fsencode(path), ctypes.byref(h)))
        return cls(0, _handle=h.value)

    @classmethod
    def load_pq(cls, path):
        """A PQ index saved by the Java API (``PqIndex.save``)."""
        h = ctypes.c_uint64()
        n.check(n.lib.diskann_load_pq(os.fsencode(path), ctypes.byref(h)))
        return cls(0, _handle=h.value)

    @classmethod
    def open_disk(cls, path, labels_path=None, cache_nodes=0):
        """The SSD-resident index written by ``./diskann build-disk``, with labels from a DiskANN label file."""
        h = ctypes.c_uint64()
        n.check(n.lib.diskann_open_disk(os.fsencode(path), None if labels_path is None else os.fsencode(labels_path),
                                        int(cache_nodes), ctypes.byref(h)))
        return cls(0, _handle=h.value)

    # -- lifetime -------------------------------------------------------------------------------------

    def close(self):
        """Frees the index; later calls raise InvalidHandleError. Idempotent."""
        with self._lock:
            h, self._handle = self._handle, 0
        if h:
            n.check(n.lib.diskann_free(h))

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def __del__(self):
        try:
            if getattr(self, "_handle", 0):
                n.lib.diskann_free(self._handle)
        except Exception:
            pass

    @property
    def handle(self):
        """The C handle (0 once closed)."""
        return self._handle

    @property
    def dimensions(self):
        return self._dims

    def __len__(self):
        return self.stats()["count"]

    # -- building and changing ------------------------------------------------------------------------

    def build(self, vectors, labels=None):
        """Builds the graph over ``vectors`` (shape (n, dimensions)) as ids 0..n-1; ``labels[i]`` lists vector i's labels."""
        v = _floats(vectors, "vectors", (self._dims,))
        offsets = labs = None
        if labels is not None:
            if len(labels) != len(v):
                raise n.InvalidArgumentError(1, f"{len(labels)} label lists for {len(v)} vectors")
            counts = np.fromiter((len(l) for l in labels), dtype=np.uint64, count=len(labels))
            offsets = np.zeros(len(v) + 1, dtype=np.uint64)
            np.cumsum(counts, out=offsets[1:])
            labs = np.fromiter((x for l in labels for x in l), dtype=np.int32, count=int(offsets[-1]))
            if len(labs) == 0:
                labs = np.zeros(1, dtype=np.int32)
        n.check(n.lib.diskann_build(self._handle, _ptr(v, ctypes.c_float), len(v),
                                    None if offsets is None else _ptr(offsets, ctypes.c_uint64),
                                    None if labs is None else _ptr(labs, ctypes.c_int32)))

    def insert(self, vector, labels=()):
        """Adds a vector with its labels; returns its id."""
        v = np.ascontiguousarray(vector, dtype=np.float32)
        self._check_vector(v)
        labs = np.ascontiguousarray(list(labels), dtype=np.int32)
        out = ctypes.c_int64()
        n.check(n.lib.diskann_insert(self._handle, _ptr(v, ctypes.c_float), _ptr(labs, ctypes.c_int32) if len(labs) else None,
                                     len(labs), ctypes.byref(out)))
        return out.value

    def delete(self, id):
        """Deletes ``id``: searches stop returning it at once."""
        n.check(n.lib.diskann_delete(self._handle, int(id)))

    def update(self, id, vector, labels=None):
        """Replaces ``id``'s vector; ``labels=None`` keeps its labels."""
        v = np.ascontiguousarray(vector, dtype=np.float32)
        self._check_vector(v)
        if labels is None:
            n.check(n.lib.diskann_update(self._handle, int(id), _ptr(v, ctypes.c_float), None, 0))
        else:
            labs = np.ascontiguousarray(list(labels) or [0], dtype=np.int32)
            n.check(n.lib.diskann_update(self._handle, int(id), _ptr(v, ctypes.c_float), _ptr(labs, ctypes.c_int32),
                                         len(labels)))

    def consolidate(self):
        """Removes deleted vectors from the graph; returns how many."""
        out = ctypes.c_uint64()
        n.check(n.lib.diskann_consolidate(self._handle, ctypes.byref(out)))
        return out.value

    def compress_pq(self, pq_bytes=0):
        """Compresses in place with product quantization (``pq_bytes`` per vector; 0 = dimensions/8)."""
        n.check(n.lib.diskann_compress_pq(self._handle, int(pq_bytes)))

    def cache_from_queries(self, queries, nodes, k=10, *, list_size=0, beam_width=0):
        """SSD-resident index only: caches in RAM the sectors (up to ``nodes`` nodes) that searching ``queries``,
        a sample of expected queries or of the base, reads most. Results do not change, reads do. Returns the
        number of nodes cached."""
        q = _floats(queries, "queries", (self._dims,))
        if k < 1:
            raise n.InvalidArgumentError(1, f"k must be at least 1, got {k}")
        cached = ctypes.c_uint32()
        sp = _search_params(list_size, beam_width)
        n.check(n.lib.diskann_cache_from_queries(self._handle, _ptr(q, ctypes.c_float), len(q), k, ctypes.byref(sp),
                                                 int(nodes), ctypes.byref(cached)))
        return cached.value

    def save(self, path):
        """Writes the index atomically."""
        n.check(n.lib.diskann_save(self._handle, os.fsencode(path)))

    def stats(self):
        """Size, shape and memory, as a dict."""
        s = n.Stats()
        n.check(n.lib.diskann_stats(self._handle, ctypes.byref(s)))
        return {
            "count": s.count,
            "dimensions": s.dimensions,
            "metric": {v: k for k, v in _METRICS.items() if k != "ip"}[s.metric],
            "vector_type": {v: k for k, v in _TYPES.items()}[s.vector_type],
            "kind": _KINDS[s.kind],
            "memory_bytes": s.memory_bytes,
            "has_labels": bool(s.has_labels),
            "filter_build": {v: k for k, v in _FILTER_BUILDS.items()}[s.filter_build],
        }

    # -- searching ------------------------------------------------------------------------------------

    def _check_vector(self, v):
        if v.ndim != 1 or v.shape[0] != self._dims:
            raise n.InvalidArgumentError(1, f"the vector has shape {v.shape}, the index {self._dims} dimensions")

    def search(self, query, k=10, *, list_size=0, beam_width=0, filter=None):
        """The ``k`` nearest neighbours: ``(ids, distances)``, closest first (fewer than k if fewer match)."""
        # the hot path of a binding: every step here was measured (about 1 us each on the reference machine)
        q = query if type(query) is np.ndarray and query.dtype == _F32 and query.flags.c_contiguous \
            else np.ascontiguousarray(query, dtype=np.float32)
        if q.ndim != 1 or q.shape[0] != self._dims:
            raise n.InvalidArgumentError(1, f"the query has shape {q.shape}, the index {self._dims} dimensions")
        if k < 1:
            raise n.InvalidArgumentError(1, f"k must be at least 1, got {k}")
        ids = np.empty(k, dtype=np.int64)
        dist = np.empty(k, dtype=np.float32)
        found = ctypes.c_uint32()
        sp = self._params.get((list_size, beam_width))
        if sp is None:
            sp = self._params[(list_size, beam_width)] = _search_params(list_size, beam_width)
        n.check(n.lib.diskann_search(self._handle, _ref(q, ctypes.c_float), k, ctypes.byref(sp), _filter_ptr(filter),
                                     _ref(ids, ctypes.c_int64), _ref(dist, ctypes.c_float), ctypes.byref(found)))
        f = found.value
        return (ids, dist) if f == k else (ids[:f], dist[:f])

    def batch_search(self, queries, k=10, *, list_size=0, beam_width=0, filter=None):
        """All queries in parallel: ``(ids, distances)`` of shape (nq, k), padded with -1 / inf."""
        q = _floats(queries, "queries", (self._dims,))
        if k < 1:
            raise n.InvalidArgumentError(1, f"k must be at least 1, got {k}")
        nq = len(q)
        ids = np.empty((nq, k), dtype=np.int64)
        dist = np.empty((nq, k), dtype=np.float32)
        found = np.empty(max(nq, 1), dtype=np.uint32)
        sp = _search_params(list_size, beam_width)
        n.check(n.lib.diskann_batch_search(self._handle, _ptr(q, ctypes.c_float), nq, k, ctypes.byref(sp),
                                           _filter_ptr(filter), _ptr(ids, ctypes.c_int64), _ptr(dist, ctypes.c_float),
                                           _ptr(found, ctypes.c_uint32)))
        return ids, dist

    def range_search(self, query, radius, *, list_size=0, beam_width=0, filter=None):
        """Every vector within ``radius`` the search finds: ``(ids, distances)``, closest first."""
        q = np.ascontiguousarray(query, dtype=np.float32)
        self._check_vector(q)
        sp = _search_params(list_size, beam_width)
        capacity = 256
        while True:
            ids = np.empty(capacity, dtype=np.int64)
            dist = np.empty(capacity, dtype=np.float32)
            total = ctypes.c_uint64()
            n.check(n.lib.diskann_range_search(self._handle, _ptr(q, ctypes.c_float), float(radius), ctypes.byref(sp),
                                               _filter_ptr(filter), _ptr(ids, ctypes.c_int64),
                                               _ptr(dist, ctypes.c_float), capacity, ctypes.byref(total)))
            if total.value <= capacity:
                return ids[: total.value], dist[: total.value]
            capacity = int(total.value)
