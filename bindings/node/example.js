'use strict';
// The README's example: build, search with and without a filter, save and load (run by bindings/test.sh).
const os = require('os');
const path = require('path');
const fs = require('fs');
const { Index, Filter } = require('./lib');

(async () => {
  const dims = 64;
  const n = 10000;
  const vectors = new Float32Array(n * dims).map(() => Math.random() - 0.5);
  const labels = Array.from({ length: n }, (_, i) => [i % 20]);
  const query = vectors.slice(42 * dims, 43 * dims);
  const index = new Index({ dimensions: dims, metric: 'l2' });
  await index.build(vectors, labels);
  console.log('nearest:', index.search(query, 10).ids.slice(0, 3));
  console.log('nearest in category 7:', index.search(query, 10, { filter: Filter.label(7) }).ids.slice(0, 3));
  const batch = await index.batchSearch(vectors.subarray(0, 100 * dims), 10);
  console.log('batch rows:', batch.found.length);
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'diskann-')), 'example.idx');
  index.save(file);
  index.close();
  const again = Index.load(file);
  console.log('loaded', again.size, 'vectors');
  again.close();
})().catch((e) => { console.error(e); process.exit(1); });
