package diskann

import (
	"context"
	"errors"
	"math"
	"math/rand"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"
)

const (
	n    = 2000
	dims = 16
	k    = 10
)

var (
	base    []float32
	queries [][]float32
	labels  [][]int32
	shared  *Index
)

func TestMain(m *testing.M) {
	// a small heap, so RSS measures leaks rather than the heap growing into free memory
	if err := InitJVM("-Xmx128m"); err != nil {
		panic(err)
	}
	r := rand.New(rand.NewSource(3))
	base = make([]float32, n*dims)
	for i := range base {
		base[i] = float32(r.NormFloat64())
	}
	for q := 0; q < 30; q++ {
		v := make([]float32, dims)
		for j := range v {
			v[j] = float32(r.NormFloat64())
		}
		queries = append(queries, v)
	}
	for i := 0; i < n; i++ {
		labels = append(labels, []int32{int32(i % 6)})
	}
	var err error
	shared, err = New(dims, L2, &Options{MaxDegree: 32, BuildListSize: 64})
	if err != nil {
		panic(err)
	}
	if err := shared.Build(context.Background(), base, labels); err != nil {
		panic(err)
	}
	code := m.Run()
	shared.Close()
	os.Exit(code)
}

func l2(q []float32, i int) float32 {
	var s float32
	for j := 0; j < dims; j++ {
		d := q[j] - base[i*dims+j]
		s += d * d
	}
	return s
}

func truth(q []float32, kk int, keep func(int) bool) []int64 {
	type pair struct {
		d  float32
		id int
	}
	var all []pair
	for i := 0; i < n; i++ {
		if keep == nil || keep(i) {
			all = append(all, pair{l2(q, i), i})
		}
	}
	sort.Slice(all, func(a, b int) bool { return all[a].d < all[b].d })
	var out []int64
	for i := 0; i < kk && i < len(all); i++ {
		out = append(out, int64(all[i].id))
	}
	return out
}

func recall(got, want []int64) float64 {
	if len(want) == 0 {
		if len(got) == 0 {
			return 1
		}
		return 0
	}
	set := map[int64]bool{}
	for _, g := range got {
		set[g] = true
	}
	hit := 0
	for _, w := range want {
		if set[w] {
			hit++
		}
	}
	return float64(hit) / float64(len(want))
}

func TestSearchMatchesBruteForce(t *testing.T) {
	sum := 0.0
	for _, q := range queries {
		ids, dists, err := shared.Search(q, k, &SearchOptions{ListSize: 64})
		if err != nil {
			t.Fatal(err)
		}
		for i, id := range ids {
			if math.Abs(float64(dists[i]-l2(q, int(id)))) > 1e-4 {
				t.Fatalf("distance of %d: %v vs %v", id, dists[i], l2(q, int(id)))
			}
		}
		sum += recall(ids, truth(q, k, nil))
	}
	if r := sum / float64(len(queries)); r < 0.95 {
		t.Fatalf("recall %.3f", r)
	}
}

func TestFiltersMatchBruteForce(t *testing.T) {
	mask := make([]bool, n)
	for i := range mask {
		mask[i] = i%9 == 0
	}
	cases := []struct {
		name   string
		filter *Filter
		keep   func(int) bool
	}{
		{"label", Label(2), func(i int) bool { return i%6 == 2 }},
		{"anyOf", AnyOf(1, 4), func(i int) bool { return i%6 == 1 || i%6 == 4 }},
		{"allOf", AllOf(1, 4), func(int) bool { return false }},
		{"bitset", Bitset(mask), func(i int) bool { return i%9 == 0 }},
	}
	for _, c := range cases {
		sum := 0.0
		for _, q := range queries {
			ids, _, err := shared.Search(q, k, &SearchOptions{ListSize: 64, Filter: c.filter})
			if err != nil {
				t.Fatal(err)
			}
			for _, id := range ids {
				if !c.keep(int(id)) {
					t.Fatalf("%s: id %d fails the filter", c.name, id)
				}
			}
			sum += recall(ids, truth(q, k, c.keep))
		}
		if r := sum / float64(len(queries)); r < 0.95 {
			t.Fatalf("%s recall %.3f", c.name, r)
		}
	}
}

func TestBatchAndRange(t *testing.T) {
	all := make([]float32, 0, len(queries)*dims)
	for _, q := range queries {
		all = append(all, q...)
	}
	ids, _, found, err := shared.BatchSearch(context.Background(), all, k, &SearchOptions{ListSize: 64})
	if err != nil {
		t.Fatal(err)
	}
	for i, q := range queries {
		one, _, _ := shared.Search(q, k, &SearchOptions{ListSize: 64})
		if int(found[i]) != len(one) || !equal(ids[i*k:i*k+len(one)], one) {
			t.Fatalf("batch row %d differs", i)
		}
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, _, _, err := shared.BatchSearch(ctx, all, k, nil); !errors.Is(err, context.Canceled) {
		t.Fatalf("a cancelled context gave %v", err)
	}
	d := make([]float64, n)
	for i := range d {
		d[i] = float64(l2(queries[0], i))
	}
	sort.Float64s(d)
	radius := float32((d[19] + d[20]) / 2)
	rids, rd, err := shared.RangeSearch(queries[0], radius, &SearchOptions{ListSize: 64})
	if err != nil || len(rids) < 19 {
		t.Fatalf("range: %d results, %v", len(rids), err)
	}
	for _, x := range rd {
		if x > radius {
			t.Fatalf("range returned %v > %v", x, radius)
		}
	}
	if big, _, _ := shared.RangeSearch(queries[0], float32(d[600]), &SearchOptions{ListSize: 64}); len(big) <= 256 {
		t.Fatalf("a large range returned %d", len(big))
	}
}

func equal(a, b []int64) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

func TestMutationsSaveLoad(t *testing.T) {
	idx, err := New(dims, L2, &Options{MaxDegree: 24, BuildListSize: 48})
	if err != nil {
		t.Fatal(err)
	}
	defer idx.Close()
	if err := idx.Build(context.Background(), base[:500*dims], labels[:500]); err != nil {
		t.Fatal(err)
	}
	v := make([]float32, dims)
	for j := range v {
		v[j] = queries[0][j] + 1e-3
	}
	id, err := idx.Insert(v, []int32{9})
	if err != nil || id != 500 {
		t.Fatalf("insert: %d %v", id, err)
	}
	if ids, _, _ := idx.Search(queries[0], 1, &SearchOptions{Filter: Label(9)}); len(ids) != 1 || ids[0] != id {
		t.Fatalf("label 9: %v", ids)
	}
	if err := idx.Delete(id); err != nil {
		t.Fatal(err)
	}
	if err := idx.Delete(id); !errors.Is(err, ErrInvalidArgument) {
		t.Fatalf("deleting twice: %v", err)
	}
	if err := idx.Update(3, queries[1], nil); err != nil {
		t.Fatal(err)
	}
	if ids, _, _ := idx.Search(queries[1], 1, &SearchOptions{Filter: Label(3)}); len(ids) != 1 || ids[0] != 3 {
		t.Fatalf("update lost labels: %v", ids)
	}
	if removed, err := idx.Consolidate(); err != nil || removed < 1 {
		t.Fatalf("consolidate: %d %v", removed, err)
	}
	path := filepath.Join(t.TempDir(), "x.idx")
	if err := idx.Save(path); err != nil {
		t.Fatal(err)
	}
	again, err := Load(path)
	if err != nil {
		t.Fatal(err)
	}
	for _, q := range queries[:10] {
		a, _, _ := idx.Search(q, k, nil)
		b, _, _ := again.Search(q, k, nil)
		if !equal(a, b) {
			t.Fatal("the loaded index answers differently")
		}
	}
	again.Close()
	if err := idx.CompressPQ(4); err != nil {
		t.Fatal(err)
	}
	if s, _ := idx.Stats(); s.Kind != "pq" {
		t.Fatalf("kind %s", s.Kind)
	}
}

func TestErrors(t *testing.T) {
	bad := append([]float32(nil), queries[0]...)
	bad[2] = float32(math.NaN())
	if _, _, err := shared.Search(bad, k, nil); !errors.Is(err, ErrInvalidArgument) || !strings.Contains(err.Error(), "NaN") {
		t.Fatalf("NaN query: %v", err)
	}
	if _, _, err := shared.Search(queries[0][:5], k, nil); !errors.Is(err, ErrInvalidArgument) {
		t.Fatalf("short query: %v", err)
	}
	if _, _, err := shared.Search(queries[0], 0, nil); !errors.Is(err, ErrInvalidArgument) {
		t.Fatalf("k=0: %v", err)
	}
	if _, err := Load("/nonexistent/x.idx"); !errors.Is(err, ErrIO) {
		t.Fatalf("missing file: %v", err)
	}
	junk := filepath.Join(t.TempDir(), "junk.idx")
	os.WriteFile(junk, []byte(strings.Repeat("not an index", 20)), 0o644)
	if _, err := Load(junk); !errors.Is(err, ErrCorrupt) {
		t.Fatalf("junk file: %v", err)
	}
	if _, err := New(4, Metric(9), nil); !errors.Is(err, ErrInvalidArgument) {
		t.Fatalf("bad metric: %v", err)
	}
	empty, _ := New(4, L2, nil)
	if _, _, err := empty.Search(make([]float32, 4), 1, nil); !errors.Is(err, ErrState) {
		t.Fatalf("empty index: %v", err)
	}
	empty.Close()
	empty.Close()
	if _, _, err := empty.Search(make([]float32, 4), 1, nil); !errors.Is(err, ErrInvalidHandle) {
		t.Fatalf("use after close: %v", err)
	}
}

// After the JVM installed its signal handlers, Go's own nil-pointer panics must still be recoverable.
func TestGoNilPointerPanicIsStillRecovered(t *testing.T) {
	recovered := func() (ok bool) {
		defer func() { ok = recover() != nil }()
		var p *Index
		_ = p.dims // nil dereference: SIGSEGV, handled by the JVM's handler, chained to Go's
		return false
	}()
	if !recovered {
		t.Fatal("the nil-pointer panic was not recovered")
	}
	if _, _, err := shared.Search(queries[0], k, nil); err != nil {
		t.Fatal(err)
	}
}

func TestGoroutinesSearchAtOnce(t *testing.T) {
	want := make([][]int64, len(queries))
	for i, q := range queries {
		want[i], _, _ = shared.Search(q, k, &SearchOptions{ListSize: 64})
	}
	var wg sync.WaitGroup
	errs := make(chan error, 8)
	for g := 0; g < 8; g++ {
		wg.Add(1)
		go func(g int) {
			defer wg.Done()
			for i := 0; i < 200; i++ {
				j := (g*7 + i) % len(queries)
				ids, _, err := shared.Search(queries[j], k, &SearchOptions{ListSize: 64})
				if err != nil || !equal(ids, want[j]) {
					errs <- err
					return
				}
			}
		}(g)
	}
	wg.Wait()
	close(errs)
	for e := range errs {
		t.Fatalf("a goroutine failed: %v", e)
	}
}

func rssKiB() int {
	b, _ := os.ReadFile("/proc/self/status")
	for _, line := range strings.Split(string(b), "\n") {
		if strings.HasPrefix(line, "VmRSS:") {
			v, _ := strconv.Atoi(strings.Fields(line)[1])
			return v
		}
	}
	return 0
}

func Test10000CyclesKeepRSSStable(t *testing.T) {
	vs := [][]float32{{1, 0, 0, 0}, {0, 1, 0, 0}, {0, 0, 1, 0}, {0, 0, 0, 1}}
	before := 0
	for c := 0; c < 10000; c++ {
		if c == 2000 {
			before = rssKiB()
		}
		idx, err := New(4, L2, nil)
		if err != nil {
			t.Fatal(err)
		}
		for _, v := range vs {
			idx.Insert(v, nil)
		}
		ids, _, err := idx.Search(vs[1], 2, nil)
		if err != nil || ids[0] != 1 {
			t.Fatalf("cycle %d: %v %v", c, ids, err)
		}
		idx.Close()
	}
	if grown := rssKiB() - before; grown > 96*1024 {
		t.Fatalf("RSS grew by %d KiB over 8,000 cycles", grown)
	}
}
