package diskann

// The shared suite (bindings/README.md): the same results as the Java API through the Go binding, and
// indexes saved by the other languages load here and answer the same.

import (
	"context"
	"encoding/binary"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// Distances may differ from the generator's in the last bits: the JVM sums a Vector API kernel's lanes in a
// different order before and after the JIT compiles it.
const tolerance = 2e-6
const suiteBits = 4096

func suiteDir(t *testing.T) string {
	if d := os.Getenv("DISKANN_SUITE_DIR"); d != "" {
		return d
	}
	out, err := exec.Command("../../suite.sh").Output()
	if err != nil {
		t.Fatalf("suite.sh: %v", err)
	}
	lines := strings.Split(strings.TrimSpace(string(out)), "\n")
	return lines[len(lines)-1]
}

func readFvecs(t *testing.T, path string) [][]float32 {
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	d := int(binary.LittleEndian.Uint32(b))
	var out [][]float32
	for off := 0; off < len(b); off += 4 + 4*d {
		v := make([]float32, d)
		for j := range v {
			v[j] = math.Float32frombits(binary.LittleEndian.Uint32(b[off+4+4*j:]))
		}
		out = append(out, v)
	}
	return out
}

func parseFilter(spec string) *Filter {
	if spec == "none" {
		return nil
	}
	kv := strings.SplitN(spec, ":", 2)
	var nums []int32
	for _, s := range strings.Split(kv[1], ",") {
		v, _ := strconv.Atoi(s)
		nums = append(nums, int32(v))
	}
	switch kv[0] {
	case "label":
		return Label(nums[0])
	case "any":
		return AnyOf(nums...)
	case "all":
		return AllOf(nums...)
	case "bits":
		mask := make([]bool, suiteBits)
		for i := 0; i < suiteBits; i += int(nums[0]) {
			mask[i] = true
		}
		return Bitset(mask)
	}
	panic(spec)
}

func bitsFloat(hex string) float32 {
	v, _ := strconv.ParseUint(hex, 16, 32)
	return math.Float32frombits(uint32(v))
}

func compareResults(t *testing.T, where string, ids []int64, dists []float32, expected string) {
	parts := strings.Fields(expected)
	count, _ := strconv.Atoi(parts[0])
	if len(ids) != count {
		t.Fatalf("%s: %d results, expected %d", where, len(ids), count)
	}
	for i, p := range parts[1:] {
		kv := strings.Split(p, ":")
		id, _ := strconv.ParseInt(kv[0], 10, 64)
		want := bitsFloat(kv[1])
		if ids[i] != id || math.Abs(float64(dists[i]-want)) > tolerance*math.Abs(float64(want)) {
			t.Fatalf("%s: result %d is %d:%v, expected %d:%v", where, i, ids[i], dists[i], id, want)
		}
	}
}

type suiteRunner struct {
	t       *testing.T
	dir     string
	queries [][]float32
	extra   [][]float32
	index   *Index
	disk    *Index
	checked int
}

func (r *suiteRunner) step(line string) {
	t := r.t
	op, expected, _ := strings.Cut(line, " -> ")
	p := strings.Fields(op)
	where := line
	if len(where) > 80 {
		where = where[:80]
	}
	atoi := func(s string) int { v, _ := strconv.Atoi(s); return v }
	var err error
	switch p[0] {
	case "disk-open":
		r.disk, err = OpenDisk(filepath.Join(r.dir, p[1]), filepath.Join(r.dir, p[2]), 0)
	case "disk-search":
		var ids []int64
		var d []float32
		ids, d, err = r.disk.Search(r.queries[atoi(p[1])], atoi(p[2]), &SearchOptions{ListSize: uint32(atoi(p[3])), Filter: parseFilter(p[4])})
		if err == nil {
			compareResults(t, where, ids, d, expected)
		}
	case "disk-cache":
		sample := make([]float32, 0, len(r.queries)*len(r.queries[0]))
		for _, q := range r.queries {
			sample = append(sample, q...)
		}
		var cached int
		cached, err = r.disk.CacheFromQueries(sample, atoi(p[3]), atoi(p[1]), &SearchOptions{ListSize: uint32(atoi(p[2]))})
		if err == nil && cached != atoi(expected) {
			t.Errorf("%s: cached %d", where, cached)
		}
	case "disk-close":
		err = r.disk.Close()
	case "load":
		r.index, err = Load(filepath.Join(r.dir, p[1]))
	case "search":
		var ids []int64
		var d []float32
		ids, d, err = r.index.Search(r.queries[atoi(p[1])], atoi(p[2]), &SearchOptions{ListSize: uint32(atoi(p[3])), Filter: parseFilter(p[4])})
		if err == nil {
			compareResults(t, where, ids, d, expected)
		}
	case "range":
		var ids []int64
		var d []float32
		ids, d, err = r.index.RangeSearch(r.queries[atoi(p[1])], bitsFloat(p[2]), &SearchOptions{Filter: parseFilter(p[3])})
		if err == nil {
			compareResults(t, where, ids, d, expected)
		}
	case "batch":
		k := atoi(p[1])
		var all []float32
		for _, q := range r.queries {
			all = append(all, q...)
		}
		ids, d, found, e := r.index.BatchSearch(context.Background(), all, k, &SearchOptions{ListSize: uint32(atoi(p[2])), Filter: parseFilter(p[3])})
		err = e
		if err == nil {
			for qi, exp := range strings.Split(expected, " | ") {
				f := int(found[qi])
				compareResults(t, where, ids[qi*k:qi*k+f], d[qi*k:qi*k+f], exp)
			}
		}
	case "insert":
		var labels []int32
		if p[2] != "-" {
			for _, s := range strings.Split(p[2], ",") {
				labels = append(labels, int32(atoi(s)))
			}
		}
		var id int64
		id, err = r.index.Insert(r.extra[atoi(p[1])], labels)
		if err == nil && strconv.FormatInt(id, 10) != expected {
			t.Fatalf("%s: id %d", where, id)
		}
	case "delete":
		err = r.index.Delete(int64(atoi(p[1])))
	case "update":
		var labels []int32
		if p[3] != "keep" {
			for _, s := range strings.Split(p[3], ",") {
				labels = append(labels, int32(atoi(s)))
			}
		}
		err = r.index.Update(int64(atoi(p[1])), r.extra[atoi(p[2])], labels)
	case "consolidate":
		var n uint64
		n, err = r.index.Consolidate()
		if err == nil && strconv.FormatUint(n, 10) != expected {
			t.Fatalf("%s: removed %d", where, n)
		}
	case "reload":
		path := filepath.Join(t.TempDir(), "reload.idx")
		if err = r.index.Save(path); err == nil {
			r.index.Close()
			r.index, err = Load(path)
		}
	default:
		t.Fatalf("unknown suite operation: %s", line)
	}
	if err != nil {
		t.Fatalf("%s: %v", where, err)
	}
	r.checked++
}

func suiteLines(t *testing.T, dir string) (all, final []string) {
	b, err := os.ReadFile(filepath.Join(dir, "cases.txt"))
	if err != nil {
		t.Fatal(err)
	}
	inFinal := false
	for _, line := range strings.Split(string(b), "\n") {
		if line == "" {
			continue
		}
		if strings.HasPrefix(line, "#") {
			inFinal = inFinal || strings.HasPrefix(line, "# final")
			continue
		}
		all = append(all, line)
		if inFinal {
			final = append(final, line)
		}
	}
	return all, final
}

func TestSharedSuite(t *testing.T) {
	dir := suiteDir(t)
	r := &suiteRunner{t: t, dir: dir, queries: readFvecs(t, filepath.Join(dir, "queries.fvecs")),
		extra: readFvecs(t, filepath.Join(dir, "extra.fvecs"))}
	all, final := suiteLines(t, dir)
	for _, line := range all {
		r.step(line)
	}
	os.MkdirAll(filepath.Join(dir, "saved"), 0o755)
	if err := r.index.Save(filepath.Join(dir, "saved", "go.idx")); err != nil {
		t.Fatal(err)
	}
	r.index.Close()
	if r.checked < 200 {
		t.Fatalf("only %d lines checked", r.checked)
	}
	saved, _ := filepath.Glob(filepath.Join(dir, "saved", "*.idx"))
	for _, path := range saved {
		idx, err := Load(path)
		if err != nil {
			t.Fatalf("%s: %v", path, err)
		}
		r.index = idx
		for _, line := range final {
			r.step(line)
		}
		idx.Close()
	}
}
