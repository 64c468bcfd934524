package models

import (
	"context"
	"math"
	"math/rand/v2"
	"strconv"
	"syscall"
	"testing"
	"time"
)

// synthCls returns n rows of p features with a nonlinear binary target.
func synthCls(n, p int, seed uint64) (*Matrix, []float64) {
	r := rand.New(rand.NewPCG(seed, 1))
	X := NewMatrix(n, p)
	y := make([]float64, n)
	for i := 0; i < n; i++ {
		var s float64
		for j := 0; j < p; j++ {
			v := r.NormFloat64()
			X.Set(i, j, v)
			if j < 5 {
				s += v * float64(j+1) / 3
			}
		}
		s += math.Sin(3*X.At(i, 0)) + X.At(i, 1)*X.At(i, 2)
		if s+r.NormFloat64() > 0 {
			y[i] = 1
		}
	}
	return X, y
}

// processCPU returns the user+system time of the process so far: on a
// machine shared with other work it measures a benchmark better than wall
// time.
func processCPU() time.Duration {
	var ru syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// BenchmarkGBDTFit fits the bench/train configuration (100 trees, depth 6,
// learning rate 0.1) on a generated 160,000 × 20 table, with 1 and 2
// goroutines; cpu-s/op is the process CPU time per fit.
//
//	go test -run X -bench GBDTFit -benchtime 3x ./engine/models/
func BenchmarkGBDTFit(b *testing.B) {
	X, y := synthCls(160000, 20, 1)
	for _, jobs := range []int{1, 2} {
		b.Run("jobs="+strconv.Itoa(jobs), func(b *testing.B) {
			c0 := processCPU()
			for b.Loop() {
				m := newGBDT(1)
				m.nJobs = jobs
				if err := m.Fit(context.Background(), X, y, nil, FitOptions{Task: Binary, Classes: []string{"0", "1"}}); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric((processCPU()-c0).Seconds()/float64(b.N), "cpu-s/op")
		})
	}
}

// BenchmarkGBDTFitMulticlass fits 3 classes (3 trees a round) with a
// validation set and loss-guided growth.
func BenchmarkGBDTFitMulticlass(b *testing.B) {
	X, y := synthCls(60000, 20, 2)
	for i := range y {
		if X.At(i, 3) > 0.8 {
			y[i] = 2
		}
	}
	opt := FitOptions{Task: Multiclass, Classes: []string{"a", "b", "c"}}
	c0 := processCPU()
	for b.Loop() {
		m := newGBDT(1)
		m.nEstimators, m.growPolicy, m.maxLeaves, m.maxDepth = 30, "lossguide", 31, 0
		m.earlyStopping = 5
		if err := m.Fit(context.Background(), X, y, nil, opt); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric((processCPU()-c0).Seconds()/float64(b.N), "cpu-s/op")
}

// BenchmarkGBDTPredict scores the 160,000 training rows with the fitted
// 100-tree model on 2 goroutines (Mrows/s of wall time; cpu-µs per row).
func BenchmarkGBDTPredict(b *testing.B) {
	X, y := synthCls(160000, 20, 1)
	m := newGBDT(1)
	m.nJobs = 2
	if err := m.Fit(context.Background(), X, y, nil, FitOptions{Task: Binary, Classes: []string{"0", "1"}}); err != nil {
		b.Fatal(err)
	}
	out := make([]float64, 2*X.Rows)
	b.ResetTimer()
	c0 := processCPU()
	for b.Loop() {
		if err := m.PredictProba(X, out); err != nil {
			b.Fatal(err)
		}
	}
	rows := float64(X.Rows) * float64(b.N)
	b.ReportMetric(rows/b.Elapsed().Seconds()/1e6, "Mrows/s")
	b.ReportMetric((processCPU()-c0).Seconds()*1e6/rows, "cpu-µs/row")
}

func BenchmarkGBDTRaw1(b *testing.B) {
	X, y := synthCls(50000, 20, 1)
	m := newGBDT(1)
	if err := m.Fit(context.Background(), X, y, nil, FitOptions{Task: Binary, Classes: []string{"0", "1"}}); err != nil {
		b.Fatal(err)
	}
	m.nJobs = 1
	F := make([]float64, X.Rows)
	b.ResetTimer()
	c0 := processCPU()
	for b.Loop() {
		m.raw(X, F)
	}
	rows := float64(X.Rows) * float64(b.N)
	b.ReportMetric(rows/b.Elapsed().Seconds()/1e6, "Mrows/s")
	b.ReportMetric((processCPU()-c0).Seconds()*1e6/rows, "cpu-µs/row")
}
