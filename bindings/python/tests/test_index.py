"""The Python binding against NumPy brute force: search, filters, range, batch, updates, errors, threads."""

import threading

import numpy as np
import pytest

import diskann

N, D, K = 2000, 16, 10


@pytest.fixture(scope="module")
def data():
    rng = np.random.default_rng(7)
    base = rng.standard_normal((N, D)).astype(np.float32)
    queries = rng.standard_normal((30, D)).astype(np.float32)
    labels = [[int(x)] for x in rng.integers(0, 6, N)]
    return base, queries, labels


@pytest.fixture(scope="module")
def index(data):
    base, _, labels = data
    idx = diskann.Index(D, "l2", max_degree=32, build_list_size=64)
    idx.build(base, labels)
    yield idx
    idx.close()


def truth(base, q, k, mask=None):
    d = ((base - q) ** 2).sum(axis=1)
    if mask is not None:
        d = np.where(mask, d, np.inf)
    order = np.argsort(d, kind="stable")[:k]
    return order[np.isfinite(d[order])]


def recall(got, want):
    return len(set(got.tolist()) & set(want.tolist())) / max(1, len(want))


def test_search_matches_brute_force(index, data):
    base, queries, _ = data
    rs = []
    for q in queries:
        ids, dist = index.search(q, K, list_size=64)
        assert ids.dtype == np.int64 and dist.dtype == np.float32
        np.testing.assert_allclose(dist, ((base[ids] - q) ** 2).sum(axis=1), rtol=1e-4)
        assert np.all(np.diff(dist) >= 0)
        rs.append(recall(ids, truth(base, q, K)))
    assert np.mean(rs) >= 0.95


@pytest.mark.parametrize("kind", ["label", "any", "all", "bitset"])
def test_filters_match_brute_force(index, data, kind):
    base, queries, labels = data
    lab = np.array([l[0] for l in labels])
    if kind == "label":
        f, mask = diskann.Filter.label(2), lab == 2
    elif kind == "any":
        f, mask = diskann.Filter.any_of([1, 4]), np.isin(lab, [1, 4])
    elif kind == "all":
        f, mask = diskann.Filter.all_of([1, 4]), np.zeros(N, dtype=bool)  # one label each: none has both
    else:
        mask = np.arange(N) % 9 == 0
        f = diskann.Filter.bitset(mask)
    rs = []
    for q in queries:
        ids, _ = index.search(q, K, list_size=64, filter=f)
        assert mask[ids].all()
        rs.append(recall(ids, truth(base, q, K, mask)) if mask.any() else float(len(ids) == 0))
    assert np.mean(rs) >= 0.95


def test_batch_equals_single_searches(index, data):
    _, queries, _ = data
    ids, dist = index.batch_search(queries, K, list_size=64)
    assert ids.shape == (len(queries), K)
    for i, q in enumerate(queries):
        one, d = index.search(q, K, list_size=64)
        np.testing.assert_array_equal(ids[i], one)
        # the same search can differ in the last bits of a distance before and after the JIT compiles a kernel
        # (bindings/README.md, "The shared suite")
        np.testing.assert_allclose(dist[i], d, rtol=2e-6)


def test_range_search(index, data):
    base, queries, _ = data
    q = queries[0]
    d = np.sort(((base - q) ** 2).sum(axis=1))
    radius = float((d[19] + d[20]) / 2)
    ids, dist = index.range_search(q, radius, list_size=64)
    assert len(ids) >= 19 and np.all(dist <= radius)
    # more results than the first buffer holds come back whole
    ids, dist = index.range_search(q, float(d[600]), list_size=64)
    assert len(ids) > 256 and np.all(np.diff(dist) >= 0)


def test_insert_delete_update_consolidate_save_load(tmp_path, data):
    base, queries, labels = data
    with diskann.Index(D, max_degree=24, build_list_size=48) as idx:
        idx.build(base[:500], labels[:500])
        new = idx.insert(queries[0] + 1e-3, [9])
        assert new == 500
        ids, _ = idx.search(queries[0], 1, filter=diskann.Filter.label(9))
        assert ids.tolist() == [new]
        idx.delete(new)
        assert new not in idx.search(queries[0], K)[0]
        with pytest.raises(diskann.InvalidArgumentError):
            idx.delete(new)
        idx.update(3, queries[1])
        assert idx.search(queries[1], 1)[0][0] == 3
        assert idx.search(queries[1], 1, filter=diskann.Filter.label(labels[3][0]))[0][0] == 3
        assert idx.consolidate() >= 1
        path = tmp_path / "x.idx"
        idx.save(path)
        with diskann.Index.load(path) as again:
            for q in queries[:10]:
                a = idx.search(q, K)
                b = again.search(q, K)
                np.testing.assert_array_equal(a[0], b[0])
            assert again.stats()["count"] == len(idx)
        idx.compress_pq(4)
        assert idx.stats()["kind"] == "pq"


def test_errors_raise_with_the_library_message(index, data, tmp_path):
    _, queries, _ = data
    bad = queries[0].copy()
    bad[2] = np.nan
    with pytest.raises(diskann.InvalidArgumentError, match="NaN|component"):
        index.search(bad, K)
    with pytest.raises(diskann.InvalidArgumentError):
        index.search(queries[0][:5], K)
    with pytest.raises(diskann.InvalidArgumentError):
        index.search(queries[0], 0)
    with pytest.raises(diskann.InvalidArgumentError):
        index.search(queries[0], K, list_size=3)
    with pytest.raises(diskann.IndexIOError):
        diskann.Index.load(tmp_path / "missing.idx")
    (tmp_path / "junk.idx").write_bytes(b"not an index at all" * 10)
    with pytest.raises(diskann.CorruptIndexError):
        diskann.Index.load(tmp_path / "junk.idx")
    with pytest.raises(diskann.InvalidArgumentError):
        diskann.Index(0)
    with pytest.raises(diskann.InvalidArgumentError):
        diskann.Index(4, "hamming")
    with pytest.raises(diskann.InvalidArgumentError):
        diskann.Filter(4, bits=np.zeros(1, dtype=np.uint64), bit_count=65)  # more bits than the array holds
    empty = diskann.Index(4)
    with pytest.raises(diskann.IndexStateError):
        empty.search(np.zeros(4), 1)
    empty.close()
    empty.close()  # idempotent
    with pytest.raises(diskann.InvalidHandleError):
        empty.search(np.zeros(4), 1)


def test_concurrent_threads(index, data):
    base, queries, _ = data
    errors = []
    expected = [index.search(q, K, list_size=64)[0] for q in queries]

    def work(seed):
        try:
            for i in range(200):
                j = (seed * 7 + i) % len(queries)
                ids, _ = index.search(queries[j], K, list_size=64)
                np.testing.assert_array_equal(ids, expected[j])
        except Exception as e:  # noqa: BLE001 - reported below
            errors.append(e)

    threads = [threading.Thread(target=work, args=(s,)) for s in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors, errors[0]


def rss_kib():
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return 0


def test_10000_create_search_close_cycles_keep_rss_stable():
    v = np.eye(4, dtype=np.float32)
    before = 0
    for c in range(10_000):
        if c == 2000:
            before = rss_kib()
        with diskann.Index(4) as idx:
            for row in v:
                idx.insert(row)
            ids, _ = idx.search(v[1], 2)
            assert ids[0] == 1
    grown = rss_kib() - before
    assert grown < 96 * 1024, f"RSS grew by {grown} KiB over 8,000 cycles"
    assert diskann.open_handles() <= 2  # the module fixture's index (and none leaked)
