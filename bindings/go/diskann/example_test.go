package diskann_test

import (
	"context"
	"fmt"
	"math/rand"
	"os"
	"path/filepath"

	"github.com/diskann-java/diskann-go/diskann"
)

// Build, search with and without a filter, save and load (the README's example; go test runs it).
func Example() {
	const dims, n = 64, 10000
	r := rand.New(rand.NewSource(1))
	vectors := make([]float32, n*dims)
	for i := range vectors {
		vectors[i] = float32(r.NormFloat64())
	}
	labels := make([][]int32, n)
	for i := range labels {
		labels[i] = []int32{int32(i % 20)}
	}
	query := vectors[42*dims : 43*dims]

	index, err := diskann.New(dims, diskann.L2, nil)
	if err != nil {
		panic(err)
	}
	defer index.Close()
	if err := index.Build(context.Background(), vectors, labels); err != nil {
		panic(err)
	}
	ids, _, _ := index.Search(query, 10, nil)
	fmt.Println("nearest:", ids[0])
	ids, _, _ = index.Search(query, 10, &diskann.SearchOptions{Filter: diskann.Label(2)})
	fmt.Println("nearest with label 2:", ids[0]%20 == 2)

	dir, _ := os.MkdirTemp("", "diskann")
	defer os.RemoveAll(dir)
	path := filepath.Join(dir, "example.idx")
	if err := index.Save(path); err != nil {
		panic(err)
	}
	again, err := diskann.Load(path)
	if err != nil {
		panic(err)
	}
	defer again.Close()
	s, _ := again.Stats()
	fmt.Println("loaded:", s.Count)
	// Output:
	// nearest: 42
	// nearest with label 2: true
	// loaded: 10000
}
