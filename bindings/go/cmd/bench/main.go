// Command bench is the Go side of the bindings' overhead benchmark (bindings/bench.sh): the loops
// BindingBench runs on the Java API, here through the Go binding.
package main

import (
	"context"
	"encoding/binary"
	"fmt"
	"math"
	"os"
	"strconv"
	"time"

	"github.com/diskann-java/diskann-go/diskann"
)

func main() {
	passes, warmup := 5, 5.0
	if len(os.Args) > 3 {
		passes, _ = strconv.Atoi(os.Args[3])
	}
	if len(os.Args) > 4 {
		warmup, _ = strconv.ParseFloat(os.Args[4], 64)
	}
	b, err := os.ReadFile(os.Args[2])
	if err != nil {
		panic(err)
	}
	dims := int(binary.LittleEndian.Uint32(b))
	var rows [][]float32
	var all []float32
	for off := 0; off < len(b); off += 4 + 4*dims {
		v := make([]float32, dims)
		for j := range v {
			v[j] = math.Float32frombits(binary.LittleEndian.Uint32(b[off+4+4*j:]))
		}
		rows = append(rows, v)
		all = append(all, v...)
	}
	index, err := diskann.Load(os.Args[1])
	if err != nil {
		panic(err)
	}
	defer index.Close()
	opts := &diskann.SearchOptions{ListSize: 64}
	end := time.Now().Add(time.Duration(warmup * float64(time.Second)))
	for time.Now().Before(end) {
		for _, q := range rows {
			index.Search(q, 10, opts)
		}
	}
	best, checksum := 0.0, int64(0)
	for p := 0; p < passes; p++ {
		var s int64
		t0 := time.Now()
		for _, q := range rows {
			ids, _, _ := index.Search(q, 10, opts)
			for _, id := range ids {
				s += id
			}
		}
		best = math.Max(best, float64(len(rows))/time.Since(t0).Seconds())
		checksum = s
	}
	bestBatch := 0.0
	for p := 0; p < passes; p++ {
		t0 := time.Now()
		if _, _, _, err := index.BatchSearch(context.Background(), all, 10, opts); err != nil {
			panic(err)
		}
		bestBatch = math.Max(bestBatch, float64(len(rows))/time.Since(t0).Seconds())
	}
	fmt.Printf("{\"lang\":\"go\",\"queries\":%d,\"single_qps\":%.1f,\"batch_qps\":%.1f,\"checksum\":%d}\n",
		len(rows), best, bestBatch, checksum)
}
