//go:build unix

package dataio

import (
	"bytes"
	"context"
	"fmt"
	"math/rand/v2"
	"syscall"
	"testing"

	"github.com/mlwb/mlwb/engine/frame"
)

// benchFrame returns rows×20 columns: 8 float, 4 int, 2 bool, 2 datetime,
// 3 categorical (5, 100 and 10000 levels) and 1 string, with about 1% missing.
func benchFrame(rows int) *frame.Frame {
	r := rand.New(rand.NewPCG(7, 8))
	miss := make([]bool, rows)
	for i := range miss {
		miss[i] = r.IntN(100) == 0
	}
	mask := frame.MaskFromMissing(miss)
	var cols []frame.Column
	for j := range 8 {
		d := make([]float64, rows)
		for i := range d {
			d[i] = r.NormFloat64()
		}
		cols = append(cols, frame.NewFloat64(fmt.Sprintf("f%d", j), d, mask))
	}
	for j := range 4 {
		d := make([]int64, rows)
		for i := range d {
			d[i] = r.Int64N(1000)
		}
		cols = append(cols, frame.NewInt64(fmt.Sprintf("i%d", j), d, mask))
	}
	for j := range 2 {
		d := make([]bool, rows)
		for i := range d {
			d[i] = r.IntN(2) == 0
		}
		cols = append(cols, frame.NewBool(fmt.Sprintf("b%d", j), d, mask))
	}
	for j := range 2 {
		d := make([]int64, rows)
		for i := range d {
			d[i] = 1_600_000_000_000_000_000 + r.Int64N(1e17)
		}
		cols = append(cols, frame.NewDatetime(fmt.Sprintf("t%d", j), d, mask))
	}
	for j, nl := range []int{5, 100, 10000} {
		levels := make([]string, nl)
		for k := range levels {
			levels[k] = fmt.Sprintf("level-%d", k)
		}
		codes := make([]int32, rows)
		for i := range codes {
			codes[i] = int32(r.IntN(nl))
			if miss[i] {
				codes[i] = -1
			}
		}
		cols = append(cols, frame.NewCategorical(fmt.Sprintf("c%d", j), codes, levels))
	}
	s := make([]string, rows)
	for i := range s {
		s[i] = fmt.Sprintf("row %d", i)
	}
	cols = append(cols, frame.NewString("s", s, mask))
	return frame.MustNew(cols...)
}

// cpuSeconds returns the user+system CPU time of this process. Benchmarks
// report it per operation because wall time on a shared machine says little.
func cpuSeconds() float64 {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	tv := func(t syscall.Timeval) float64 { return float64(t.Sec) + float64(t.Usec)/1e6 }
	return tv(ru.Utime) + tv(ru.Stime)
}

// Run with: go test -run XXX -bench Parquet -benchtime 3x ./engine/dataio
func BenchmarkParquetWrite1Mx20(b *testing.B) {
	f := benchFrame(1_000_000)
	var buf bytes.Buffer
	buf.Grow(128 << 20)
	b.ResetTimer()
	cpu0 := cpuSeconds()
	for range b.N {
		buf.Reset()
		if err := WriteParquet(&buf, f); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric((cpuSeconds()-cpu0)/float64(b.N), "cpu-s/op")
	b.ReportMetric(float64(buf.Len())/1e6, "MB")
}

func BenchmarkParquetRead1Mx20(b *testing.B) {
	f := benchFrame(1_000_000)
	var buf bytes.Buffer
	if err := WriteParquet(&buf, f); err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	cpu0 := cpuSeconds()
	for range b.N {
		g, err := ReadParquet(context.Background(), bytes.NewReader(buf.Bytes()), int64(buf.Len()), "b.parquet", Options{})
		if err != nil {
			b.Fatal(err)
		}
		if g.NumRows() != f.NumRows() {
			b.Fatal("short read")
		}
	}
	b.ReportMetric((cpuSeconds()-cpu0)/float64(b.N), "cpu-s/op")
}
