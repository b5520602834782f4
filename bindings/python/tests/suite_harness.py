"""Runs bindings/README.md's shared suite (cases.txt) through the Python binding."""

import os
import tempfile
from pathlib import Path

import numpy as np

import diskann

BITS = 4096


def read_fvecs(path):
    raw = np.fromfile(path, dtype=np.int32)
    dims = raw[0]
    return raw.reshape(-1, dims + 1)[:, 1:].copy().view(np.float32)


def parse_filter(spec):
    if spec == "none":
        return None
    kind, values = spec.split(":")
    nums = [int(v) for v in values.split(",")]
    if kind == "label":
        return diskann.Filter.label(nums[0])
    if kind == "any":
        return diskann.Filter.any_of(nums)
    if kind == "all":
        return diskann.Filter.all_of(nums)
    if kind == "bits":
        return diskann.Filter.bitset(np.arange(BITS) % nums[0] == 0)
    raise ValueError(spec)


def parse_results(text):
    parts = text.split()
    count = int(parts[0])
    ids = [int(p.split(":")[0]) for p in parts[1:]]
    bits = [int(p.split(":")[1], 16) for p in parts[1:]]
    assert len(ids) == count
    return ids, bits


# Distances may differ from the generator's in the last bits: the JVM sums a Vector API kernel's lanes in a
# different order before and after the JIT compiles it (bindings/README.md, "The shared suite").
TOLERANCE = 2e-6


def compare(where, ids, dists, expected):
    want_ids, want_bits = parse_results(expected)
    want = np.array(want_bits, dtype=np.uint32).view(np.float32)
    got = np.asarray(dists, dtype=np.float32)
    assert list(map(int, ids)) == want_ids, f"{where}: ids {list(map(int, ids))} != {want_ids}"
    assert np.all(np.abs(got - want) <= TOLERANCE * np.maximum(np.abs(want), 1e-30)), f"{where}: distances {got} != {want}"


class Runner:
    def __init__(self, suite):
        self.suite = Path(suite)
        self.queries = read_fvecs(self.suite / "queries.fvecs")
        self.extra = read_fvecs(self.suite / "extra.fvecs")
        self.index = None
        self.disk = None
        self.checked = 0

    def step(self, line):
        op, _, expected = line.partition(" -> ")
        p = op.split()
        where = line[:80]
        if p[0] == "disk-open":
            self.disk = diskann.Index.open_disk(self.suite / p[1], labels_path=self.suite / p[2])
        elif p[0] == "disk-search":
            q, k, l, spec = int(p[1]), int(p[2]), int(p[3]), p[4]
            ids, dists = self.disk.search(self.queries[q], k, list_size=l, filter=parse_filter(spec))
            compare(where, ids, dists, expected)
        elif p[0] == "disk-cache":
            k, l, nodes = int(p[1]), int(p[2]), int(p[3])
            got = self.disk.cache_from_queries(self.queries, nodes, k, list_size=l)
            assert got == int(expected), f"{where}: cached {got}"
        elif p[0] == "disk-close":
            self.disk.close()
        elif p[0] == "load":
            self.index = diskann.Index.load(self.suite / p[1])
        elif p[0] == "search":
            q, k, l, spec = int(p[1]), int(p[2]), int(p[3]), p[4]
            ids, dists = self.index.search(self.queries[q], k, list_size=l, filter=parse_filter(spec))
            compare(where, ids, dists, expected)
        elif p[0] == "range":
            q, radius = int(p[1]), np.uint32(int(p[2], 16)).view(np.float32)
            ids, dists = self.index.range_search(self.queries[q], float(radius), filter=parse_filter(p[3]))
            compare(where, ids, dists, expected)
        elif p[0] == "batch":
            k, l = int(p[1]), int(p[2])
            ids, dists = self.index.batch_search(self.queries, k, list_size=l, filter=parse_filter(p[3]))
            for qi, exp in enumerate(expected.split(" | ")):
                nfound = int(exp.split()[0])
                compare(f"{where} query {qi}", ids[qi, :nfound], dists[qi, :nfound], exp)
                assert (ids[qi, nfound:] == -1).all()
        elif p[0] == "insert":
            labels = [] if p[2] == "-" else [int(x) for x in p[2].split(",")]
            got = self.index.insert(self.extra[int(p[1])], labels)
            assert got == int(expected), f"{where}: id {got}"
        elif p[0] == "delete":
            self.index.delete(int(p[1]))
        elif p[0] == "update":
            labels = None if p[3] == "keep" else [int(x) for x in p[3].split(",")]
            self.index.update(int(p[1]), self.extra[int(p[2])], labels)
        elif p[0] == "consolidate":
            got = self.index.consolidate()
            assert got == int(expected), f"{where}: removed {got}"
        elif p[0] == "reload":
            with tempfile.TemporaryDirectory() as d:
                path = os.path.join(d, "reload.idx")
                self.index.save(path)
                self.index.close()
                self.index = diskann.Index.load(path)
        else:
            raise ValueError(f"unknown suite operation: {line}")
        self.checked += 1

    def run(self, save_as):
        """Runs every line; saves the final index as saved/<save_as>.idx; returns the final lines."""
        final, in_final = [], False
        for line in (self.suite / "cases.txt").read_text().splitlines():
            if line.startswith("#"):
                in_final = in_final or line.startswith("# final")
                continue
            self.step(line)
            if in_final:
                final.append(line)
        (self.suite / "saved").mkdir(exist_ok=True)
        self.index.save(self.suite / "saved" / f"{save_as}.idx")
        self.index.close()
        return final

    def check_saved(self, path, final):
        """Loads an index another language saved and checks the final lines against it."""
        self.index = diskann.Index.load(path)
        try:
            for line in final:
                self.step(line)
        finally:
            self.index.close()


def final_lines(suite):
    lines, in_final = [], False
    for line in (Path(suite) / "cases.txt").read_text().splitlines():
        if line.startswith("#"):
            in_final = in_final or line.startswith("# final")
            continue
        if in_final:
            lines.append(line)
    return lines
