'use strict';
// The shared suite: the same results as the Java API, and indexes saved by the other languages load here.
const test = require('node:test');
const assert = require('assert');
const fs = require('fs');
const path = require('path');
const { execFileSync } = require('child_process');
const { Runner } = require('./suite');

const suite = process.env.DISKANN_SUITE_DIR
  || execFileSync(path.join(__dirname, '..', '..', 'suite.sh'), { encoding: 'utf8' }).trim().split('\n').pop();

test('Node reproduces the Java API', async () => {
  const r = new Runner(suite);
  await r.run('node');
  assert.ok(r.checked > 200);
});

test('indexes saved by other languages load and answer the same', async () => {
  const saved = fs.readdirSync(path.join(suite, 'saved')).filter((f) => f.endsWith('.idx'));
  assert.ok(saved.includes('node.idx'));
  for (const f of saved) await new Runner(suite).checkSaved(path.join(suite, 'saved', f));
});
