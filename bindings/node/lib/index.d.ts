/** Type declarations of diskann-java's Node.js binding (lib/index.js). */
export type Metric = 'l2' | 'cosine' | 'innerProduct';
export interface IndexOptions {
  dimensions: number;
  metric?: Metric;
  vectorType?: 'f32' | 'f16' | 'i8' | 'u8';
  maxDegree?: number;
  buildListSize?: number;
  alpha?: number;
  threads?: number;
  filterBuild?: 'none' | 'filtered' | 'stitched';
}
export interface SearchOptions { listSize?: number; beamWidth?: number; filter?: Filter | null; }
export interface SearchResult { ids: Int32Array; distances: Float32Array; }
export interface BatchResult extends SearchResult { found: Uint32Array; }
export interface IndexStats {
  count: number; dimensions: number; metric: Metric; vectorType: string; kind: 'memory' | 'pq' | 'disk';
  memoryBytes: number; hasLabels: boolean; filterBuild: string;
}
export class Filter {
  static label(label: number): Filter;
  static anyOf(labels: Iterable<number>): Filter;
  static allOf(labels: Iterable<number>): Filter;
  static bitset(mask: ArrayLike<number | boolean>): Filter;
  static ids(ids: number[], bound?: number): Filter;
}
export class Index {
  constructor(options: IndexOptions);
  static load(file: string): Index;
  static loadPq(file: string): Index;
  static openDisk(file: string, options?: { labelsPath?: string | null; cacheNodes?: number }): Index;
  readonly dimensions: number;
  readonly size: number;
  readonly handle: bigint;
  build(vectors: Float32Array, labels?: number[][]): Promise<void>;
  search(query: Float32Array | number[], k?: number, options?: SearchOptions): SearchResult;
  batchSearch(queries: Float32Array, k?: number, options?: SearchOptions): Promise<BatchResult>;
  rangeSearch(query: Float32Array | number[], radius: number, options?: SearchOptions): SearchResult;
  insert(vector: Float32Array | number[], labels?: number[] | Int32Array | null): number;
  delete(id: number): void;
  update(id: number, vector: Float32Array | number[], labels?: number[] | Int32Array | null): void;
  consolidate(): number;
  compressPq(pqBytes?: number): void;
  cacheFromQueries(queries: Float32Array, nodes: number, k?: number, options?: { listSize?: number; beamWidth?: number }): number;
  save(file: string): void;
  stats(): IndexStats;
  close(): void;
}
export function version(): string;
export function openHandles(): number;
export function initJvm(...options: string[]): void;
