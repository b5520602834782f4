'use strict';
// Runs bindings/README.md's shared suite (cases.txt) through the Node.js binding.
const fs = require('fs');
const os = require('os');
const path = require('path');
const assert = require('assert');
const { Index, Filter } = require('../lib');

const BITS = 4096;
// Distances may differ from the generator's in the last bits: the JVM sums a Vector API kernel's lanes in
// a different order before and after the JIT compiles it (bindings/README.md, "The shared suite").
const TOLERANCE = 2e-6;

function readFvecs(file) {
  const buf = fs.readFileSync(file);
  const dims = buf.readInt32LE(0);
  const rows = buf.length / (4 + 4 * dims);
  const out = [];
  for (let r = 0; r < rows; r++) {
    const v = new Float32Array(dims);
    for (let j = 0; j < dims; j++) v[j] = buf.readFloatLE(r * (4 + 4 * dims) + 4 + 4 * j);
    out.push(v);
  }
  return out;
}

function parseFilter(spec) {
  if (spec === 'none') return null;
  const [kind, values] = spec.split(':');
  const nums = values.split(',').map(Number);
  if (kind === 'label') return Filter.label(nums[0]);
  if (kind === 'any') return Filter.anyOf(nums);
  if (kind === 'all') return Filter.allOf(nums);
  if (kind === 'bits') {
    const mask = new Uint8Array(BITS);
    for (let i = 0; i < BITS; i += nums[0]) mask[i] = 1;
    return Filter.bitset(mask);
  }
  throw new Error(spec);
}

const f32 = new Float32Array(1);
const u32 = new Uint32Array(f32.buffer);
function fromBits(hex) { u32[0] = parseInt(hex, 16); return f32[0]; }

function compare(where, ids, dists, expected) {
  const parts = expected.trim().split(/\s+/);
  const n = Number(parts[0]);
  const wantIds = parts.slice(1).map((p) => Number(p.split(':')[0]));
  const want = parts.slice(1).map((p) => fromBits(p.split(':')[1]));
  assert.strictEqual(wantIds.length, n);
  assert.deepStrictEqual(Array.from(ids).slice(0, n), wantIds, `${where}: ids`);
  assert.strictEqual(ids.length, n, `${where}: count`);
  for (let i = 0; i < n; i++) {
    assert.ok(Math.abs(dists[i] - want[i]) <= TOLERANCE * Math.abs(want[i]), `${where}: distance ${i}`);
  }
}

class Runner {
  constructor(suite) {
    this.suite = suite;
    this.queries = readFvecs(path.join(suite, 'queries.fvecs'));
    this.extra = readFvecs(path.join(suite, 'extra.fvecs'));
    this.index = null;
    this.checked = 0;
  }

  async step(line) {
    const [op, expected] = line.split(' -> ');
    const p = op.split(' ');
    const where = line.slice(0, 80);
    switch (p[0]) {
      case 'disk-open':
        this.disk = Index.openDisk(path.join(this.suite, p[1]), { labelsPath: path.join(this.suite, p[2]) });
        break;
      case 'disk-search': {
        const r = this.disk.search(this.queries[+p[1]], +p[2], { listSize: +p[3], filter: parseFilter(p[4]) });
        compare(where, r.ids, r.distances, expected);
        break;
      }
      case 'disk-cache': {
        const dims = this.queries[0].length;
        const sample = new Float32Array(this.queries.length * dims);
        this.queries.forEach((v, i) => sample.set(v, i * dims));
        const got = this.disk.cacheFromQueries(sample, +p[3], +p[1], { listSize: +p[2] });
        assert.strictEqual(got, +expected, `${where}: cached`);
        break;
      }
      case 'disk-close': this.disk.close(); break;
      case 'load': this.index = Index.load(path.join(this.suite, p[1])); break;
      case 'search': {
        const r = this.index.search(this.queries[+p[1]], +p[2], { listSize: +p[3], filter: parseFilter(p[4]) });
        compare(where, r.ids, r.distances, expected);
        break;
      }
      case 'range': {
        const r = this.index.rangeSearch(this.queries[+p[1]], fromBits(p[2]), { filter: parseFilter(p[3]) });
        compare(where, r.ids, r.distances, expected);
        break;
      }
      case 'batch': {
        const k = +p[1];
        const all = new Float32Array(this.queries.length * this.queries[0].length);
        this.queries.forEach((q, i) => all.set(q, i * q.length));
        const r = await this.index.batchSearch(all, k, { listSize: +p[2], filter: parseFilter(p[3]) });
        expected.split(' | ').forEach((exp, qi) => {
          const n = r.found[qi];
          compare(`${where} query ${qi}`, r.ids.subarray(qi * k, qi * k + n), r.distances.subarray(qi * k, qi * k + n), exp);
          for (let j = n; j < k; j++) assert.strictEqual(r.ids[qi * k + j], -1);
        });
        break;
      }
      case 'insert': {
        const labels = p[2] === '-' ? [] : p[2].split(',').map(Number);
        assert.strictEqual(this.index.insert(this.extra[+p[1]], labels), Number(expected), where);
        break;
      }
      case 'delete': this.index.delete(+p[1]); break;
      case 'update':
        this.index.update(+p[1], this.extra[+p[2]], p[3] === 'keep' ? null : p[3].split(',').map(Number));
        break;
      case 'consolidate': assert.strictEqual(this.index.consolidate(), Number(expected), where); break;
      case 'reload': {
        const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'diskann-node-')), 'reload.idx');
        this.index.save(file);
        this.index.close();
        this.index = Index.load(file);
        fs.rmSync(path.dirname(file), { recursive: true });
        break;
      }
      default: throw new Error(`unknown suite operation: ${line}`);
    }
    this.checked++;
  }

  lines() { return fs.readFileSync(path.join(this.suite, 'cases.txt'), 'utf8').split('\n').filter((l) => l.length); }

  finalLines() {
    let inFinal = false;
    const out = [];
    for (const line of this.lines()) {
      if (line.startsWith('#')) { inFinal = inFinal || line.startsWith('# final'); continue; }
      if (inFinal) out.push(line);
    }
    return out;
  }

  async run(saveAs) {
    for (const line of this.lines()) if (!line.startsWith('#')) await this.step(line);
    fs.mkdirSync(path.join(this.suite, 'saved'), { recursive: true });
    this.index.save(path.join(this.suite, 'saved', `${saveAs}.idx`));
    this.index.close();
  }

  async checkSaved(file) {
    this.index = Index.load(file);
    try {
      for (const line of this.finalLines()) await this.step(line);
    } finally {
      this.index.close();
    }
  }
}

module.exports = { Runner };
