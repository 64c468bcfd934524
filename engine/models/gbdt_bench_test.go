package models

import (
	"context"
	"math"
	"math/rand/v2"
	"testing"
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

func BenchmarkGBDTFit(b *testing.B) {
	X, y := synthCls(160000, 20, 1)
	for b.Loop() {
		m := newGBDT(1)
		m.nJobs = 2
		if err := m.Fit(context.Background(), X, y, nil, FitOptions{Task: Binary, Classes: []string{"0", "1"}}); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkGBDTPredict(b *testing.B) {
	X, y := synthCls(160000, 20, 1)
	m := newGBDT(1)
	m.nJobs = 2
	if err := m.Fit(context.Background(), X, y, nil, FitOptions{Task: Binary, Classes: []string{"0", "1"}}); err != nil {
		b.Fatal(err)
	}
	out := make([]float64, 2*X.Rows)
	b.ResetTimer()
	for b.Loop() {
		if err := m.PredictProba(X, out); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(X.Rows)*float64(b.N)/b.Elapsed().Seconds()/1e6, "Mrows/s")
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
	for b.Loop() {
		m.raw(X, F)
	}
	b.ReportMetric(float64(X.Rows)*float64(b.N)/b.Elapsed().Seconds()/1e6, "Mrows/s")
}
