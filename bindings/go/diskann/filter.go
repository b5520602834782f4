package diskann

/*
#include <stdlib.h>
#include <string.h>
#include "diskann.h"
*/
import "C"

import (
	"runtime"
	"unsafe"
)

// Filter is what a filtered search may return. Its labels or bits live in C memory (cgo forbids C
// memory pointing into Go's), allocated once and freed with the Filter; reuse a Filter across searches.
type Filter struct {
	f *C.diskann_filter
}

func newFilter(kind int32, labels []int32, bits []uint64, bitCount uint64) *Filter {
	f := (*C.diskann_filter)(C.calloc(1, C.size_t(unsafe.Sizeof(C.diskann_filter{}))))
	f.kind = C.int32_t(kind)
	if len(labels) > 0 {
		p := C.malloc(C.size_t(4 * len(labels)))
		C.memcpy(p, unsafe.Pointer(&labels[0]), C.size_t(4*len(labels)))
		f.labels = (*C.int32_t)(p)
		f.label_count = C.uint32_t(len(labels))
	}
	if len(bits) > 0 {
		p := C.malloc(C.size_t(8 * len(bits)))
		C.memcpy(p, unsafe.Pointer(&bits[0]), C.size_t(8*len(bits)))
		f.bits = (*C.uint64_t)(p)
	}
	f.bit_count = C.uint64_t(bitCount)
	out := &Filter{f: f}
	runtime.SetFinalizer(out, func(x *Filter) {
		C.free(unsafe.Pointer(x.f.labels))
		C.free(unsafe.Pointer(x.f.bits))
		C.free(unsafe.Pointer(x.f))
	})
	return out
}

func (x *Filter) c() *C.diskann_filter {
	if x == nil {
		return nil
	}
	return x.f
}

// Label matches vectors that carry label.
func Label(label int32) *Filter { return newFilter(1, []int32{label}, nil, 0) }

// AnyOf matches vectors that carry at least one of labels (OR).
func AnyOf(labels ...int32) *Filter { return newFilter(2, labels, nil, 0) }

// AllOf matches vectors that carry every one of labels (AND).
func AllOf(labels ...int32) *Filter { return newFilter(3, labels, nil, 0) }

// Bitset matches the ids whose entry of mask is true (e.g. an access-control list).
func Bitset(mask []bool) *Filter {
	words := make([]uint64, (len(mask)+63)/64)
	for i, m := range mask {
		if m {
			words[i/64] |= 1 << (uint(i) % 64)
		}
	}
	return newFilter(4, nil, words, uint64(len(mask)))
}

// IDs matches only the given ids.
func IDs(ids []int64) *Filter {
	var max int64 = -1
	for _, id := range ids {
		if id > max {
			max = id
		}
	}
	mask := make([]bool, max+1)
	for _, id := range ids {
		if id >= 0 {
			mask[id] = true
		}
	}
	return Bitset(mask)
}
