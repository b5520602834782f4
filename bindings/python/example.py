"""The README's example: build, search with and without a filter, save and load (run by bindings/test.sh)."""
import os
import tempfile

import numpy as np

import diskann

rng = np.random.default_rng(0)
vectors = rng.standard_normal((10_000, 64)).astype(np.float32)
labels = [[i % 20] for i in range(len(vectors))]            # e.g. a category per vector
query = vectors[42] + 0.01

with diskann.Index(dimensions=64, metric="l2") as index:
    index.build(vectors, labels)
    ids, distances = index.search(query, k=10)
    print("nearest:", ids[:3], distances[:3])
    ids, _ = index.search(query, k=10, filter=diskann.Filter.label(7))   # only category 7
    print("nearest in category 7:", ids[:3])
    new_id = index.insert(query, labels=[7])
    index.delete(3)
    path = os.path.join(tempfile.mkdtemp(), "example.idx")
    index.save(path)

with diskann.Index.load(path) as again:
    print("loaded", len(again), "vectors; nearest:", again.search(query, k=1)[0], "(inserted as", new_id, ")")
