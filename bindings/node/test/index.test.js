'use strict';
// The Node binding against brute force: search, filters, range, batch, updates, errors, worker threads.
const test = require('node:test');
const assert = require('assert');
const fs = require('fs');
const os = require('os');
const path = require('path');
const { Worker } = require('worker_threads');
const diskann = require('../lib');
const { Index, Filter } = diskann;

const N = 2000;
const D = 16;
const K = 10;
let seed = 12345;
function rnd() { seed = (seed * 1103515245 + 12345) % 2147483648; return seed / 2147483648 - 0.5; }
const base = new Float32Array(N * D).map(() => rnd());
const queries = Array.from({ length: 30 }, () => new Float32Array(D).map(() => rnd()));
const labels = Array.from({ length: N }, (_, i) => [i % 6]);

function l2(a, i) { let s = 0; for (let j = 0; j < D; j++) { const d = a[j] - base[i * D + j]; s += d * d; } return s; }
function truth(q, k, keep) {
  const all = [];
  for (let i = 0; i < N; i++) if (!keep || keep(i)) all.push([l2(q, i), i]);
  all.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  return all.slice(0, k).map((x) => x[1]);
}
function recall(got, want) { const s = new Set(got); return want.length ? want.filter((x) => s.has(x)).length / want.length : 1; }

let index;
test.before(async () => {
  diskann.initJvm('-Xmx128m'); // a small heap, so RSS measures leaks rather than the heap growing
  index = new Index({ dimensions: D, maxDegree: 32, buildListSize: 64 });
  await index.build(base, labels);
});
test.after(() => index.close());

test('search matches brute force', () => {
  let sum = 0;
  for (const q of queries) {
    const { ids, distances } = index.search(q, K, { listSize: 64 });
    assert.ok(ids instanceof Int32Array && distances instanceof Float32Array);
    ids.forEach((id, i) => assert.ok(Math.abs(distances[i] - l2(q, id)) < 1e-4));
    sum += recall(Array.from(ids), truth(q, K));
  }
  assert.ok(sum / queries.length >= 0.95, `recall ${sum / queries.length}`);
});

for (const [name, filter, keep] of [
  ['label', Filter.label(2), (i) => i % 6 === 2],
  ['anyOf', Filter.anyOf([1, 4]), (i) => i % 6 === 1 || i % 6 === 4],
  ['allOf', Filter.allOf([1, 4]), () => false],
  ['bitset', Filter.bitset(Array.from({ length: N }, (_, i) => i % 9 === 0)), (i) => i % 9 === 0],
]) {
  test(`${name} filter matches brute force`, () => {
    let sum = 0;
    for (const q of queries) {
      const { ids } = index.search(q, K, { listSize: 64, filter });
      ids.forEach((id) => assert.ok(keep(id), `id ${id} fails the filter`));
      sum += recall(Array.from(ids), truth(q, K, keep));
    }
    assert.ok(sum / queries.length >= 0.95);
  });
}

test('batchSearch resolves to the single searches', async () => {
  const all = new Float32Array(queries.length * D);
  queries.forEach((q, i) => all.set(q, i * D));
  const r = await index.batchSearch(all, K, { listSize: 64 });
  queries.forEach((q, i) => {
    const one = index.search(q, K, { listSize: 64 });
    assert.deepStrictEqual(Array.from(r.ids.subarray(i * K, (i + 1) * K)), Array.from(one.ids));
  });
  await assert.rejects(index.batchSearch(new Float32Array(D + 1), K), /multiple/);
});

test('rangeSearch returns what lies within the radius', () => {
  const q = queries[0];
  const d = Array.from({ length: N }, (_, i) => l2(q, i)).sort((a, b) => a - b);
  const r = index.rangeSearch(q, (d[19] + d[20]) / 2, { listSize: 64 });
  assert.ok(r.ids.length >= 19 && r.distances.every((x) => x <= (d[19] + d[20]) / 2));
  assert.ok(index.rangeSearch(q, d[600], { listSize: 64 }).ids.length > 256);
});

test('insert, delete, update, consolidate, save and load', async () => {
  const idx = new Index({ dimensions: D, maxDegree: 24, buildListSize: 48 });
  try {
    await idx.build(base.subarray(0, 500 * D), labels.slice(0, 500));
    const id = idx.insert(queries[0].map((x) => x + 1e-3), [9]);
    assert.strictEqual(id, 500);
    assert.deepStrictEqual(Array.from(idx.search(queries[0], 1, { filter: Filter.label(9) }).ids), [id]);
    idx.delete(id);
    assert.ok(!Array.from(idx.search(queries[0], K).ids).includes(id));
    assert.throws(() => idx.delete(id), (e) => e.code === 'DISKANN_ERR_INVALID_ARGUMENT');
    idx.update(3, queries[1]);
    assert.strictEqual(idx.search(queries[1], 1).ids[0], 3);
    assert.strictEqual(idx.search(queries[1], 1, { filter: Filter.label(3) }).ids[0], 3);
    assert.ok(idx.consolidate() >= 1);
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'dk-')), 'x.idx');
    idx.save(file);
    const again = Index.load(file);
    for (const q of queries.slice(0, 10)) {
      assert.deepStrictEqual(Array.from(again.search(q, K).ids), Array.from(idx.search(q, K).ids));
    }
    assert.strictEqual(again.size, idx.size);
    again.close();
    idx.compressPq(4);
    assert.strictEqual(idx.stats().kind, 'pq');
  } finally {
    idx.close();
  }
});

test('errors carry the status code and the library message', () => {
  const bad = Float32Array.from(queries[0]);
  bad[2] = NaN;
  assert.throws(() => index.search(bad, K), (e) => e.code === 'DISKANN_ERR_INVALID_ARGUMENT' && /NaN|component/.test(e.message));
  assert.throws(() => index.search(queries[0].subarray(0, 5), K), (e) => e.code === 'DISKANN_ERR_INVALID_ARGUMENT');
  assert.throws(() => index.search(queries[0], 0), (e) => e.code === 'DISKANN_ERR_INVALID_ARGUMENT');
  assert.throws(() => Index.load('/nonexistent/x.idx'), (e) => e.code === 'DISKANN_ERR_IO');
  const junk = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'dk-')), 'junk.idx');
  fs.writeFileSync(junk, 'not an index at all'.repeat(10));
  assert.throws(() => Index.load(junk), (e) => e.code === 'DISKANN_ERR_CORRUPT');
  assert.throws(() => new Index({ dimensions: 4, metric: 'hamming' }), (e) => e.code === 'DISKANN_ERR_INVALID_ARGUMENT');
  assert.throws(() => index.search(queries[0], K, { filter: { kind: 4, bits: new BigUint64Array(1), bitCount: 1e6 } }),
    (e) => e.code === 'DISKANN_ERR_INVALID_ARGUMENT'); // a plain object is not a Filter
  const native0 = require(path.join(__dirname, '..', 'build', 'Release', 'diskann.node'));
  assert.throws(() => native0.search(index.handle, queries[0], K, 0, 0, { kind: 4, bits: new BigUint64Array(1), bitCount: 65 }),
    (e) => e.code === 'DISKANN_ERR_INVALID_ARGUMENT'); // the addon checks bitCount against the array
  assert.throws(() => index.delete('seven'), (e) => e.code === 'DISKANN_ERR_INVALID_ARGUMENT');
  const empty = new Index({ dimensions: 4 });
  assert.throws(() => empty.search([0, 0, 0, 0], 1), (e) => e.code === 'DISKANN_ERR_STATE');
  const h = empty.handle;
  empty.close();
  empty.close(); // idempotent
  assert.throws(() => empty.search([0, 0, 0, 0], 1), (e) => e.code === 'DISKANN_ERR_INVALID_HANDLE');
  // the raw handle after free: use after free is an error, not a crash
  const native = require(path.join(__dirname, '..', 'build', 'Release', 'diskann.node'));
  assert.throws(() => native.free(h), (e) => e.code === 'DISKANN_ERR_INVALID_HANDLE');
});

test('worker threads search one index at once', async () => {
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'dk-')), 'w.idx');
  index.save(file);
  const expected = queries.map((q) => Array.from(index.search(q, K, { listSize: 64 }).ids));
  const code = `
    const { Index } = require(${JSON.stringify(path.join(__dirname, '..', 'lib'))});
    const { parentPort, workerData } = require('worker_threads');
    const idx = Index.load(workerData.file);
    let bad = 0;
    for (let i = 0; i < 200; i++) {
      const j = (workerData.seed * 7 + i) % workerData.queries.length;
      const ids = Array.from(idx.search(Float32Array.from(workerData.queries[j]), ${K}, { listSize: 64 }).ids);
      if (ids.join() !== workerData.expected[j].join()) bad++;
    }
    idx.close();
    parentPort.postMessage(bad);`;
  const runs = [0, 1, 2, 3].map((s) => new Promise((resolve, reject) => {
    const w = new Worker(code, { eval: true, workerData: { file, seed: s, queries: queries.map((q) => Array.from(q)), expected } });
    w.on('message', resolve);
    w.on('error', reject);
  }));
  assert.deepStrictEqual(await Promise.all(runs), [0, 0, 0, 0]);
});

test('10,000 create/search/close cycles keep RSS stable', () => {
  const v = [[1, 0, 0, 0], [0, 1, 0, 0], [0, 0, 1, 0], [0, 0, 0, 1]].map((r) => Float32Array.from(r));
  let before = 0;
  for (let c = 0; c < 10000; c++) {
    if (c === 2000) before = process.memoryUsage().rss;
    const idx = new Index({ dimensions: 4 });
    v.forEach((r) => idx.insert(r));
    assert.strictEqual(idx.search(v[1], 2).ids[0], 1);
    idx.close();
  }
  const grown = (process.memoryUsage().rss - before) / 1024;
  assert.ok(grown < 96 * 1024, `RSS grew by ${grown} KiB`);
});
