'use strict';
// The Node side of the bindings' overhead benchmark (bindings/bench.sh): the loops BindingBench runs.
const fs = require('fs');
const { Index } = require('./lib');

function readFvecs(file) {
  const buf = fs.readFileSync(file);
  const dims = buf.readInt32LE(0);
  const rows = buf.length / (4 + 4 * dims);
  const all = new Float32Array(rows * dims);
  const out = [];
  for (let r = 0; r < rows; r++) {
    const v = new Float32Array(dims);
    for (let j = 0; j < dims; j++) v[j] = buf.readFloatLE(r * (4 + 4 * dims) + 4 + 4 * j);
    out.push(v);
    all.set(v, r * dims);
  }
  return { rows: out, all };
}

(async () => {
  const [indexPath, queryPath, passesArg, warmupArg] = process.argv.slice(2);
  const passes = Number(passesArg || 5);
  const warmup = Number(warmupArg || 5);
  const { rows, all } = readFvecs(queryPath);
  const index = Index.load(indexPath);
  const opts = { listSize: 64 };
  const end = performance.now() + warmup * 1000;
  while (performance.now() < end) for (const q of rows) index.search(q, 10, opts);
  let best = 0;
  let checksum = 0;
  for (let p = 0; p < passes; p++) {
    let s = 0;
    const t0 = performance.now();
    for (const q of rows) { const r = index.search(q, 10, opts); for (const id of r.ids) s += id; }
    best = Math.max(best, rows.length / ((performance.now() - t0) / 1000));
    checksum = s;
  }
  let bestBatch = 0;
  for (let p = 0; p < passes; p++) {
    const t0 = performance.now();
    await index.batchSearch(all, 10, opts);
    bestBatch = Math.max(bestBatch, rows.length / ((performance.now() - t0) / 1000));
  }
  index.close();
  console.log(JSON.stringify({ lang: 'node', queries: rows.length, single_qps: Math.round(best * 10) / 10,
    batch_qps: Math.round(bestBatch * 10) / 10, checksum }));
})();
