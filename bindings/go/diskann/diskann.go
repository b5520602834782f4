// Package diskann is the Go binding of diskann-java, a pure-Java DiskANN (approximate nearest-neighbour
// search), over its C ABI (bindings/c/include/diskann.h). The library runs the Java index inside this
// process; slices are passed to it by address, without copies.
//
//	idx, err := diskann.New(128, diskann.L2, nil)
//	if err != nil { ... }
//	defer idx.Close()
//	err = idx.Build(ctx, vectors, nil)          // n*128 float32s, ids 0..n-1
//	ids, dists, err := idx.Search(query, 10, &diskann.SearchOptions{Filter: diskann.Label(3)})
//
// Every method is safe for concurrent use. Errors are *Error values; compare with errors.Is against
// ErrInvalidArgument, ErrInvalidHandle, ErrCorrupt and the other sentinels.
package diskann

/*
#cgo CFLAGS: -I${SRCDIR}/../../c/include
#cgo LDFLAGS: -L${SRCDIR}/../../c/target/native -ldiskann -Wl,-rpath,${SRCDIR}/../../c/target/native
#include <stdlib.h>
#include "diskann.h"
*/
import "C"

import (
	"context"
	"fmt"
	"math"
	"runtime"
	"sync"
	"unsafe"
)

// Metric is the distance; smaller is closer in every metric (inner product is negated).
type Metric int32

const (
	L2           Metric = 0
	Cosine       Metric = 1
	InnerProduct Metric = 2
)

// VectorType is how the index stores vectors.
type VectorType int32

const (
	F32 VectorType = 0
	F16 VectorType = 1
	I8  VectorType = 2
	U8  VectorType = 3
)

// FilterBuild chooses how the graph is built when vectors carry labels.
type FilterBuild int32

const (
	FilterBuildNone     FilterBuild = 0
	FilterBuildFiltered FilterBuild = 1
	FilterBuildStitched FilterBuild = 2
)

// Status is a C status code.
type Status int

const (
	StatusInvalidArgument Status = 1
	StatusInvalidHandle   Status = 2
	StatusState           Status = 3
	StatusIO              Status = 4
	StatusCorrupt         Status = 5
	StatusUnsupported     Status = 6
	StatusNoMemory        Status = 7
	StatusJVM             Status = 8
	StatusInternal        Status = 9
)

// Error is a failed call: the status and the library's message.
type Error struct {
	Status  Status
	Message string
}

func (e *Error) Error() string { return fmt.Sprintf("diskann: %s", e.Message) }

// Is matches errors of the same status, so errors.Is(err, diskann.ErrCorrupt) works.
func (e *Error) Is(target error) bool {
	t, ok := target.(*Error)
	return ok && t.Message == "" && t.Status == e.Status
}

// Sentinels for errors.Is.
var (
	ErrInvalidArgument = &Error{Status: StatusInvalidArgument}
	ErrInvalidHandle   = &Error{Status: StatusInvalidHandle}
	ErrState           = &Error{Status: StatusState}
	ErrIO              = &Error{Status: StatusIO}
	ErrCorrupt         = &Error{Status: StatusCorrupt}
	ErrUnsupported     = &Error{Status: StatusUnsupported}
	ErrNoMemory        = &Error{Status: StatusNoMemory}
	ErrJVM             = &Error{Status: StatusJVM}
)

// check turns a status into an error. The message is read on the same OS thread as the call: callers
// lock the goroutine to its thread around the pair (see call).
func check(st C.int) error {
	if st == 0 {
		return nil
	}
	return &Error{Status: Status(st), Message: C.GoString(C.diskann_last_error())}
}

// call runs f, which makes one C call, with the goroutine locked to its OS thread so the per-thread
// error message belongs to that call.
func call(f func() C.int) error {
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	return check(f())
}

func invalid(format string, args ...interface{}) error {
	return &Error{Status: StatusInvalidArgument, Message: fmt.Sprintf(format, args...)}
}

// Version is the library's version.
func Version() string { return C.GoString(C.diskann_version()) }

// InitJVM starts the JVM now with extra options (e.g. "-Xmx8g"); only before any other call.
func InitJVM(options ...string) error {
	cs := make([]*C.char, len(options))
	for i, o := range options {
		cs[i] = C.CString(o)
		defer C.free(unsafe.Pointer(cs[i]))
	}
	var p **C.char
	if len(cs) > 0 {
		p = (**C.char)(C.malloc(C.size_t(len(cs)) * C.size_t(unsafe.Sizeof(uintptr(0)))))
		defer C.free(unsafe.Pointer(p))
		copy(unsafe.Slice(p, len(cs)), cs)
	}
	return call(func() C.int { return C.diskann_init(p, C.uint32_t(len(cs))) })
}

// OpenHandles is how many indexes are open in this process (for leak checks).
func OpenHandles() (uint64, error) {
	var n C.uint64_t
	err := call(func() C.int { return C.diskann_open_handles(&n) })
	return uint64(n), err
}

// Options are build parameters; zero values keep the defaults (R=64, L_build=max(64, R), alpha=1.2, all cores).
type Options struct {
	VectorType    VectorType
	MaxDegree     uint32
	BuildListSize uint32
	Alpha         float32
	Threads       uint32
	FilterBuild   FilterBuild
}

// Index is an open index. Close it to free its memory; using it afterwards returns ErrInvalidHandle.
type Index struct {
	mu   sync.RWMutex // guards h against Close racing other calls
	h    C.diskann_index
	dims int
}

func wrap(h C.diskann_index) (*Index, error) {
	x := &Index{h: h}
	s, err := x.Stats()
	if err != nil {
		x.Close()
		return nil, err
	}
	x.dims = int(s.Dimensions)
	runtime.SetFinalizer(x, func(x *Index) { x.Close() })
	return x, nil
}

// New creates an empty in-memory index.
func New(dimensions int, metric Metric, opts *Options) (*Index, error) {
	if dimensions < 1 || dimensions > 1<<30 {
		return nil, invalid("dimensions must be in 1..2^30, got %d", dimensions)
	}
	var p C.diskann_params
	C.diskann_params_init(&p)
	if opts != nil {
		p.vector_type = C.int32_t(opts.VectorType)
		p.max_degree = C.uint32_t(opts.MaxDegree)
		p.build_list_size = C.uint32_t(opts.BuildListSize)
		p.alpha = C.float(opts.Alpha)
		p.threads = C.uint32_t(opts.Threads)
		p.filter_build = C.int32_t(opts.FilterBuild)
	}
	var h C.diskann_index
	if err := call(func() C.int { return C.diskann_create(C.uint32_t(dimensions), C.int32_t(metric), &p, &h) }); err != nil {
		return nil, err
	}
	return wrap(h)
}

func open(path string, f func(*C.char, *C.diskann_index) C.int) (*Index, error) {
	cp := C.CString(path)
	defer C.free(unsafe.Pointer(cp))
	var h C.diskann_index
	if err := call(func() C.int { return f(cp, &h) }); err != nil {
		return nil, err
	}
	return wrap(h)
}

// Load opens an in-memory index saved by Save (from any language) or by the Java API.
func Load(path string) (*Index, error) {
	return open(path, func(p *C.char, h *C.diskann_index) C.int { return C.diskann_load(p, h) })
}

// LoadPQ opens a PQ index saved by the Java API.
func LoadPQ(path string) (*Index, error) {
	return open(path, func(p *C.char, h *C.diskann_index) C.int { return C.diskann_load_pq(p, h) })
}

// OpenDisk opens the SSD-resident index written by `./diskann build-disk`; labelsPath may be "".
func OpenDisk(path, labelsPath string, cacheNodes int) (*Index, error) {
	var cl *C.char
	if labelsPath != "" {
		cl = C.CString(labelsPath)
		defer C.free(unsafe.Pointer(cl))
	}
	return open(path, func(p *C.char, h *C.diskann_index) C.int {
		return C.diskann_open_disk(p, cl, C.uint32_t(cacheNodes), h)
	})
}

// Close frees the index. It is idempotent.
func (x *Index) Close() error {
	x.mu.Lock()
	h := x.h
	x.h = 0
	x.mu.Unlock()
	if h == 0 {
		return nil
	}
	runtime.SetFinalizer(x, nil)
	return call(func() C.int { return C.diskann_free(h) })
}

// handle returns the handle under the read lock; release with x.mu.RUnlock. A closed index has handle 0,
// which the library rejects with ErrInvalidHandle.
func (x *Index) handle() C.diskann_index {
	x.mu.RLock()
	return x.h
}

// Dimensions of the index's vectors.
func (x *Index) Dimensions() int { return x.dims }

func (x *Index) vector(v []float32, what string) error {
	if len(v) != x.dims {
		return invalid("%s has %d components, the index %d", what, len(v), x.dims)
	}
	return nil
}

func floatPtr(v []float32) *C.float {
	if len(v) == 0 {
		return nil
	}
	return (*C.float)(unsafe.Pointer(&v[0]))
}

func labelPtr(l []int32) *C.int32_t {
	if len(l) == 0 {
		return nil
	}
	return (*C.int32_t)(unsafe.Pointer(&l[0]))
}

// Build builds the graph over vectors (n*Dimensions float32s) as ids 0..n-1; labels[i] lists vector i's
// labels (nil: none). ctx is checked before the build starts; a started build runs to its end.
func (x *Index) Build(ctx context.Context, vectors []float32, labels [][]int32) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	if len(vectors) == 0 || len(vectors)%x.dims != 0 {
		return invalid("vectors has %d floats, not a positive multiple of %d", len(vectors), x.dims)
	}
	n := len(vectors) / x.dims
	var offsets []uint64
	var flat []int32
	if labels != nil {
		if len(labels) != n {
			return invalid("%d label lists for %d vectors", len(labels), n)
		}
		offsets = make([]uint64, n+1)
		for i, l := range labels {
			offsets[i+1] = offsets[i] + uint64(len(l))
			flat = append(flat, l...)
		}
		if len(flat) == 0 {
			flat = []int32{0}
		}
	}
	h := x.handle()
	defer x.mu.RUnlock()
	var op *C.uint64_t
	if offsets != nil {
		op = (*C.uint64_t)(unsafe.Pointer(&offsets[0]))
	}
	return call(func() C.int { return C.diskann_build(h, floatPtr(vectors), C.uint64_t(n), op, labelPtr(flat)) })
}

// SearchOptions tune one search; zero values keep the defaults.
type SearchOptions struct {
	ListSize  uint32  // L
	BeamWidth uint32  // W (disk index)
	Filter    *Filter // nil: no filter
}

func (o *SearchOptions) params() C.diskann_search_params {
	var p C.diskann_search_params
	if o != nil {
		p.list_size = C.uint32_t(o.ListSize)
		p.beam_width = C.uint32_t(o.BeamWidth)
	}
	return p
}

func (o *SearchOptions) filter() *Filter {
	if o == nil {
		return nil
	}
	return o.Filter
}

// Search returns the k nearest neighbours of query, closest first (fewer when fewer match).
func (x *Index) Search(query []float32, k int, opts *SearchOptions) ([]int64, []float32, error) {
	if err := x.vector(query, "query"); err != nil {
		return nil, nil, err
	}
	if k < 1 || k > 1<<24 {
		return nil, nil, invalid("k must be in 1..2^24, got %d", k)
	}
	ids := make([]int64, k)
	dists := make([]float32, k)
	var found C.uint32_t
	p := opts.params()
	f := opts.filter()
	h := x.handle()
	defer x.mu.RUnlock()
	err := call(func() C.int {
		return C.diskann_search(h, floatPtr(query), C.uint32_t(k), &p, f.c(), (*C.int64_t)(unsafe.Pointer(&ids[0])),
			(*C.float)(unsafe.Pointer(&dists[0])), &found)
	})
	runtime.KeepAlive(f)
	if err != nil {
		return nil, nil, err
	}
	return ids[:found], dists[:found], nil
}

// batchChunk is how many queries one C call searches, so a cancelled context stops a batch between chunks.
const batchChunk = 256

// BatchSearch searches every query (nq*Dimensions float32s) in parallel. Results are row-major nq*k,
// padded with -1 and +Inf; found[i] is how many query i got. ctx is checked between chunks of queries.
func (x *Index) BatchSearch(ctx context.Context, queries []float32, k int, opts *SearchOptions) (ids []int64, dists []float32, found []uint32, err error) {
	if len(queries)%x.dims != 0 {
		return nil, nil, nil, invalid("queries has %d floats, not a multiple of %d", len(queries), x.dims)
	}
	if k < 1 || k > 1<<20 {
		return nil, nil, nil, invalid("k must be in 1..2^20, got %d", k)
	}
	nq := len(queries) / x.dims
	ids = make([]int64, nq*k)
	dists = make([]float32, nq*k)
	found = make([]uint32, nq)
	p := opts.params()
	f := opts.filter()
	h := x.handle()
	defer x.mu.RUnlock()
	for start := 0; start < nq; start += batchChunk {
		if err := ctx.Err(); err != nil {
			return nil, nil, nil, err
		}
		end := start + batchChunk
		if end > nq {
			end = nq
		}
		err = call(func() C.int {
			return C.diskann_batch_search(h, floatPtr(queries[start*x.dims:]), C.uint64_t(end-start), C.uint32_t(k), &p,
				f.c(), (*C.int64_t)(unsafe.Pointer(&ids[start*k])), (*C.float)(unsafe.Pointer(&dists[start*k])),
				(*C.uint32_t)(unsafe.Pointer(&found[start])))
		})
		if err != nil {
			return nil, nil, nil, err
		}
	}
	runtime.KeepAlive(f)
	return ids, dists, found, nil
}

// RangeSearch returns every vector within radius of query the search finds, closest first.
func (x *Index) RangeSearch(query []float32, radius float32, opts *SearchOptions) ([]int64, []float32, error) {
	if err := x.vector(query, "query"); err != nil {
		return nil, nil, err
	}
	p := opts.params()
	f := opts.filter()
	h := x.handle()
	defer x.mu.RUnlock()
	capacity := 256
	for {
		ids := make([]int64, capacity)
		dists := make([]float32, capacity)
		var total C.uint64_t
		err := call(func() C.int {
			return C.diskann_range_search(h, floatPtr(query), C.float(radius), &p, f.c(), (*C.int64_t)(unsafe.Pointer(&ids[0])),
				(*C.float)(unsafe.Pointer(&dists[0])), C.uint64_t(capacity), &total)
		})
		if err != nil {
			return nil, nil, err
		}
		if int(total) <= capacity {
			runtime.KeepAlive(f)
			return ids[:total], dists[:total], nil
		}
		capacity = int(total)
	}
}

// Insert adds a vector with its labels (nil: none) and returns its id.
func (x *Index) Insert(vector []float32, labels []int32) (int64, error) {
	if err := x.vector(vector, "vector"); err != nil {
		return -1, err
	}
	var id C.int64_t
	h := x.handle()
	defer x.mu.RUnlock()
	err := call(func() C.int {
		return C.diskann_insert(h, floatPtr(vector), labelPtr(labels), C.uint32_t(len(labels)), &id)
	})
	return int64(id), err
}

// Delete removes id from search results at once; Consolidate reclaims its space.
func (x *Index) Delete(id int64) error {
	h := x.handle()
	defer x.mu.RUnlock()
	return call(func() C.int { return C.diskann_delete(h, C.int64_t(id)) })
}

// Update replaces id's vector; labels nil keeps its labels, an empty non-nil slice clears them.
func (x *Index) Update(id int64, vector []float32, labels []int32) error {
	if err := x.vector(vector, "vector"); err != nil {
		return err
	}
	h := x.handle()
	defer x.mu.RUnlock()
	lp := labelPtr(labels)
	var none [1]int32
	if labels != nil && len(labels) == 0 {
		lp = (*C.int32_t)(unsafe.Pointer(&none[0]))
	}
	return call(func() C.int { return C.diskann_update(h, C.int64_t(id), floatPtr(vector), lp, C.uint32_t(len(labels))) })
}

// Consolidate removes deleted vectors from the graph and returns how many.
func (x *Index) Consolidate() (uint64, error) {
	var n C.uint64_t
	h := x.handle()
	defer x.mu.RUnlock()
	err := call(func() C.int { return C.diskann_consolidate(h, &n) })
	return uint64(n), err
}

// CompressPQ compresses the index in place with product quantization (pqBytes per vector; 0 = dims/8).
func (x *Index) CompressPQ(pqBytes int) error {
	h := x.handle()
	defer x.mu.RUnlock()
	return call(func() C.int { return C.diskann_compress_pq(h, C.uint32_t(pqBytes)) })
}

// CacheFromQueries (SSD-resident index only) caches in RAM the sectors, up to nodes nodes, that searching
// queries (nq*Dimensions float32s: expected queries or base vectors) with k and opts reads most. Results do not
// change, reads do. It returns the number of nodes cached.
func (x *Index) CacheFromQueries(queries []float32, nodes, k int, opts *SearchOptions) (int, error) {
	if len(queries) == 0 || len(queries)%x.dims != 0 {
		return 0, invalid("queries has %d floats, not a positive multiple of %d", len(queries), x.dims)
	}
	if k < 1 || k > 1<<20 {
		return 0, invalid("k must be in 1..2^20, got %d", k)
	}
	if nodes < 0 || nodes > math.MaxInt32 {
		return 0, invalid("nodes must be in 0..2^31-1, got %d", nodes)
	}
	p := opts.params()
	var cached C.uint32_t
	h := x.handle()
	defer x.mu.RUnlock()
	err := call(func() C.int {
		return C.diskann_cache_from_queries(h, floatPtr(queries), C.uint64_t(len(queries)/x.dims), C.uint32_t(k), &p,
			C.uint32_t(nodes), &cached)
	})
	return int(cached), err
}

// Save writes the index atomically.
func (x *Index) Save(path string) error {
	cp := C.CString(path)
	defer C.free(unsafe.Pointer(cp))
	h := x.handle()
	defer x.mu.RUnlock()
	return call(func() C.int { return C.diskann_save(h, cp) })
}

// Stats describes an index.
type Stats struct {
	Count       uint64
	Dimensions  uint32
	Metric      Metric
	VectorType  VectorType
	Kind        string // "memory", "pq" or "disk"
	MemoryBytes uint64
	HasLabels   bool
	FilterBuild FilterBuild
}

// Stats returns the index's size, shape and memory.
func (x *Index) Stats() (Stats, error) {
	var s C.diskann_index_stats
	h := x.handle()
	defer x.mu.RUnlock()
	if err := call(func() C.int { return C.diskann_stats(h, &s) }); err != nil {
		return Stats{}, err
	}
	kinds := []string{"memory", "pq", "disk"}
	return Stats{Count: uint64(s.count), Dimensions: uint32(s.dimensions), Metric: Metric(s.metric),
		VectorType: VectorType(s.vector_type), Kind: kinds[s.kind], MemoryBytes: uint64(s.memory_bytes),
		HasLabels: s.has_labels != 0, FilterBuild: FilterBuild(s.filter_build)}, nil
}
