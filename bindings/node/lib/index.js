'use strict';
/**
 * diskann: approximate nearest-neighbour search with diskann-java, from Node.js.
 *
 * A thin layer over the C ABI (bindings/c/include/diskann.h), which runs the Java index inside this
 * process. Float32Arrays go to the library by address, without copies; build() and batchSearch() run on
 * libuv's thread pool and return Promises; errors are DiskannError with `code` (e.g.
 * 'DISKANN_ERR_INVALID_ARGUMENT') and the library's message.
 *
 *   const { Index, Filter } = require('diskann-java');
 *   const index = new Index({ dimensions: 128, metric: 'l2' });
 *   await index.build(vectors);                            // Float32Array of n * 128
 *   const { ids, distances } = index.search(query, 10, { filter: Filter.label(3) });
 *   index.close();
 */
const path = require('path');

const native = require(process.env.DISKANN_NODE_ADDON || path.join(__dirname, '..', 'build', 'Release', 'diskann.node'));

const METRICS = { l2: 0, cosine: 1, innerProduct: 2 };
const TYPES = { f32: 0, f16: 1, i8: 2, u8: 3 };
const FILTER_BUILDS = { none: 0, filtered: 1, stitched: 2 };
const KINDS = ['memory', 'pq', 'disk'];

function invalid(message) {
  const e = new TypeError(message);
  e.code = 'DISKANN_ERR_INVALID_ARGUMENT';
  e.status = 1;
  return e;
}

function floats(v, what) {
  if (v instanceof Float32Array) return v;
  if (Array.isArray(v) || ArrayBuffer.isView(v)) return Float32Array.from(v);
  throw invalid(`${what} must be a Float32Array or an array of numbers`);
}

function vectorOf(index, v, what) {
  const f = floats(v, what);
  if (f.length !== index.dimensions) {
    throw invalid(`${what} has ${f.length} components, the index ${index.dimensions}`);
  }
  return f;
}

function filterOf(filter) {
  if (filter == null) return null;
  if (!(filter instanceof Filter)) throw invalid('filter must be a diskann Filter (Filter.label, anyOf, allOf, bitset, ids)');
  return filter;
}

function labelArray(labels) {
  if (labels == null) return null;
  return labels instanceof Int32Array ? labels : Int32Array.from(labels);
}

/** What a filtered search may return: one label, any of, all of a set of labels, or a set of ids. */
class Filter {
  constructor(kind, labels, bits, bitCount) {
    this.kind = kind;
    this.labels = labels || null;
    this.bits = bits || null;
    this.bitCount = bitCount || 0;
    Object.freeze(this);
  }
  /** Vectors that carry `label`. */
  static label(label) { return new Filter(1, Int32Array.of(label)); }
  /** Vectors that carry at least one of `labels` (OR). */
  static anyOf(labels) { return new Filter(2, Int32Array.from(labels)); }
  /** Vectors that carry every one of `labels` (AND). */
  static allOf(labels) { return new Filter(3, Int32Array.from(labels)); }
  /** Ids for which `mask[id]` is truthy (an array or TypedArray of booleans / 0-1 values). */
  static bitset(mask) {
    const words = new BigUint64Array(Math.max(1, Math.ceil(mask.length / 64)));
    const view = new Uint32Array(words.buffer); // little-endian halves of each 64-bit word
    for (let i = 0; i < mask.length; i++) if (mask[i]) view[i >>> 5] |= (1 << (i & 31)) >>> 0;
    return new Filter(4, null, words, mask.length);
  }
  /** Only the given ids. */
  static ids(ids, bound) {
    const size = bound !== undefined ? bound : (ids.length ? Math.max(...ids) + 1 : 0);
    const mask = new Uint8Array(size);
    for (const id of ids) mask[id] = 1;
    return Filter.bitset(mask);
  }
}

/**
 * An approximate nearest-neighbour index (in memory, PQ-compressed, or SSD-resident). Thread-safe
 * across worker threads. Call close() to free it; using it afterwards throws DISKANN_ERR_INVALID_HANDLE.
 */
class Index {
  /**
   * @param {object} options dimensions (required), metric ('l2' | 'cosine' | 'innerProduct'), vectorType
   *   ('f32' | 'f16' | 'i8' | 'u8'), maxDegree, buildListSize, alpha, threads, filterBuild
   *   ('none' | 'filtered' | 'stitched'); 0 or absent keeps a default
   */
  constructor(options = {}) {
    if (options._handle !== undefined) {
      this._handle = options._handle;
    } else {
      const metric = METRICS[options.metric || 'l2'];
      const type = TYPES[options.vectorType || 'f32'];
      const fb = FILTER_BUILDS[options.filterBuild || 'none'];
      if (metric === undefined) throw invalid(`metric must be one of ${Object.keys(METRICS)}`);
      if (type === undefined) throw invalid(`vectorType must be one of ${Object.keys(TYPES)}`);
      if (fb === undefined) throw invalid(`filterBuild must be one of ${Object.keys(FILTER_BUILDS)}`);
      this._handle = native.create(options.dimensions | 0, metric, type, options.maxDegree || 0,
        options.buildListSize || 0, options.alpha || 0, options.threads || 0, fb);
    }
    this.dimensions = native.stats(this._handle).dimensions;
  }

  /** An in-memory index saved by save() (from any language) or by the Java API. */
  static load(file) { return new Index({ _handle: native.load(String(file), 0) }); }
  /** A PQ index saved by the Java API. */
  static loadPq(file) { return new Index({ _handle: native.load(String(file), 1) }); }
  /** The SSD-resident index written by `./diskann build-disk`, optionally with a DiskANN label file. */
  static openDisk(file, { labelsPath = null, cacheNodes = 0 } = {}) {
    return new Index({ _handle: native.openDisk(String(file), labelsPath, cacheNodes) });
  }

  /** Frees the index (idempotent). */
  close() {
    const h = this._handle;
    this._handle = 0n;
    if (h) native.free(h);
  }

  get handle() { return this._handle; }

  /**
   * Builds the graph over `vectors` (a Float32Array of n * dimensions) as ids 0..n-1.
   * @param {Float32Array} vectors
   * @param {number[][]} [labels] labels[i] lists vector i's labels
   * @returns {Promise<void>}
   */
  build(vectors, labels) {
    const v = floats(vectors, 'vectors');
    const n = v.length / this.dimensions;
    if (!Number.isInteger(n)) {
      return Promise.reject(invalid(`vectors has ${v.length} floats, not a multiple of ${this.dimensions}`));
    }
    let offsets = null;
    let flat = null;
    if (labels) {
      if (labels.length !== n) return Promise.reject(invalid(`${labels.length} label lists for ${n} vectors`));
      offsets = new BigUint64Array(n + 1);
      let total = 0;
      for (let i = 0; i < n; i++) { total += labels[i].length; offsets[i + 1] = BigInt(total); }
      flat = new Int32Array(Math.max(1, total));
      let at = 0;
      for (const l of labels) for (const x of l) flat[at++] = x;
    }
    return native.build(this._handle, v, n, offsets, flat);
  }

  /**
   * The k nearest neighbours of `query`, closest first (fewer than k when fewer match).
   * @returns {{ids: Int32Array, distances: Float32Array}}
   */
  search(query, k = 10, { listSize = 0, beamWidth = 0, filter = null } = {}) {
    return native.search(this._handle, vectorOf(this, query, 'query'), k, listSize, beamWidth, filterOf(filter));
  }

  /**
   * Every query (a Float32Array of nq * dimensions), in parallel off the main thread.
   * @returns {Promise<{ids: Int32Array, distances: Float32Array, found: Uint32Array}>} row-major nq * k,
   *   padded with -1 / Infinity
   */
  batchSearch(queries, k = 10, { listSize = 0, beamWidth = 0, filter = null } = {}) {
    const q = floats(queries, 'queries');
    const nq = q.length / this.dimensions;
    if (!Number.isInteger(nq)) return Promise.reject(invalid(`queries is not a multiple of ${this.dimensions} floats`));
    return native.batchSearch(this._handle, q, nq, k, listSize, beamWidth, filterOf(filter));
  }

  /** Every vector within `radius` the search finds, closest first. */
  rangeSearch(query, radius, { listSize = 0, beamWidth = 0, filter = null } = {}) {
    return native.rangeSearch(this._handle, vectorOf(this, query, 'query'), radius, listSize, beamWidth, filterOf(filter));
  }

  /** Adds a vector with its labels; returns its id. */
  insert(vector, labels = null) { return native.insert(this._handle, vectorOf(this, vector, 'vector'), labelArray(labels)); }
  /** Deletes `id`: searches stop returning it at once. */
  delete(id) { native.delete(this._handle, id); }
  /** Replaces `id`'s vector; labels null keeps its labels. */
  update(id, vector, labels = null) { native.update(this._handle, id, vectorOf(this, vector, 'vector'), labelArray(labels)); }
  /** Removes deleted vectors from the graph; returns how many. */
  consolidate() { return native.consolidate(this._handle); }
  /** Compresses in place with product quantization (pqBytes per vector; 0 = dimensions / 8). */
  compressPq(pqBytes = 0) { native.compressPq(this._handle, pqBytes); }
  /**
   * SSD-resident index only: caches in RAM the sectors (up to `nodes` nodes) that searching `queries` (a Float32Array
   * of nq * dimensions: expected queries or base vectors) reads most. Results do not change, reads do. Runs
   * synchronously; returns the number of nodes cached.
   */
  cacheFromQueries(queries, nodes, k = 10, { listSize = 0, beamWidth = 0 } = {}) {
    const q = floats(queries, 'queries');
    const nq = q.length / this.dimensions;
    if (!Number.isInteger(nq)) throw invalid(`queries is not a multiple of ${this.dimensions} floats`);
    return native.cacheFromQueries(this._handle, q, nq, k, listSize, beamWidth, nodes);
  }
  /** Writes the index atomically. */
  save(file) { native.save(this._handle, String(file)); }

  /** Size, shape and memory. */
  stats() {
    const s = native.stats(this._handle);
    return {
      count: s.count,
      dimensions: s.dimensions,
      metric: Object.keys(METRICS)[s.metric],
      vectorType: Object.keys(TYPES)[s.vectorType],
      kind: KINDS[s.kind],
      memoryBytes: s.memoryBytes,
      hasLabels: s.hasLabels === 1,
      filterBuild: Object.keys(FILTER_BUILDS)[s.filterBuild],
    };
  }

  get size() { return native.stats(this._handle).count; }
}

module.exports = {
  Index,
  Filter,
  version: () => native.version(),
  openHandles: () => native.openHandles(),
  /** Starts the JVM now with extra options (e.g. '-Xmx8g'); only before any other call. */
  initJvm: (...options) => native.init(options),
};
