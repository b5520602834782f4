"""The Python side of the bindings' overhead benchmark (bindings/bench.sh): the loops BindingBench runs."""
import json
import sys
import time

import numpy as np

sys.path.insert(0, __import__("os").path.dirname(__file__))
import diskann  # noqa: E402


def read_fvecs(path):
    raw = np.fromfile(path, dtype=np.int32)
    return raw.reshape(-1, raw[0] + 1)[:, 1:].copy().view(np.float32)


def main():
    index_path, query_path = sys.argv[1], sys.argv[2]
    passes = int(sys.argv[3]) if len(sys.argv) > 3 else 5
    warmup = float(sys.argv[4]) if len(sys.argv) > 4 else 5
    queries = read_fvecs(query_path)
    rows = list(queries)
    with diskann.Index.load(index_path) as index:
        end = time.perf_counter() + warmup
        while time.perf_counter() < end:
            for q in rows:
                index.search(q, 10, list_size=64)
        best, checksum = 0.0, 0
        for _ in range(passes):
            s = 0
            t0 = time.perf_counter()
            for q in rows:
                ids, _ = index.search(q, 10, list_size=64)
                s += int(ids.sum())
            best = max(best, len(rows) / (time.perf_counter() - t0))
            checksum = s
        best_batch = 0.0
        for _ in range(passes):
            t0 = time.perf_counter()
            index.batch_search(queries, 10, list_size=64)
            best_batch = max(best_batch, len(rows) / (time.perf_counter() - t0))
    print(json.dumps({"lang": "python", "queries": len(rows), "single_qps": round(best, 1),
                      "batch_qps": round(best_batch, 1), "checksum": checksum}))


if __name__ == "__main__":
    main()
