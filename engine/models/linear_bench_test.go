package models

import (
	"context"
	"math"
	"math/rand/v2"
	"os"
	"testing"

	"github.com/mlwb/mlwb/engine/dataio"
)

// benchCls returns the standardised training rows of the cls table: read
// from MLWB_CLS_CSV when set (the first 160,000 rows, target "label"), or
// generated: 160,000 rows, 20 features, a logistic target.
func benchCls(b *testing.B) (*Matrix, []float64) {
	b.Helper()
	if path := os.Getenv("MLWB_CLS_CSV"); path != "" {
		f, err := dataio.Load(context.Background(), path, dataio.Options{})
		if err != nil {
			b.Fatal(err)
		}
		tcol, err := f.Column("label")
		if err != nil {
			b.Fatal(err)
		}
		task, classes, err := DetectTask(tcol)
		if err != nil {
			b.Fatal(err)
		}
		y, err := EncodeTarget(tcol, task, classes)
		if err != nil {
			b.Fatal(err)
		}
		var feats []string
		for _, c := range f.Columns() {
			if c.Name() != "label" {
				feats = append(feats, c.Name())
			}
		}
		X, err := FromFrame(f, feats)
		if err != nil {
			b.Fatal(err)
		}
		n := min(160000, X.Rows)
		idx := make([]int, n)
		for i := range idx {
			idx[i] = i
		}
		X = X.TakeRows(idx)
		benchStandardise(X)
		return X, y[:n]
	}
	const n, p = 160000, 20
	rng := rand.New(rand.NewPCG(1, 2))
	X := NewMatrix(n, p)
	y := make([]float64, n)
	for i := 0; i < n; i++ {
		var z float64
		for j := 0; j < p; j++ {
			v := rng.NormFloat64()
			X.Set(i, j, v)
			if j < 10 {
				z += v * float64(j%3-1) * 0.5
			}
		}
		if rng.Float64() < 1/(1+math.Exp(-z)) {
			y[i] = 1
		}
	}
	return X, y
}

func benchStandardise(X *Matrix) {
	for j := 0; j < X.Cols; j++ {
		c := X.Col(j)
		var m, ss float64
		for _, v := range c {
			m += v
		}
		m /= float64(len(c))
		for _, v := range c {
			ss += (v - m) * (v - m)
		}
		sd := math.Sqrt(ss / float64(len(c)))
		if sd == 0 {
			sd = 1
		}
		for i, v := range c {
			c[i] = (v - m) / sd
		}
	}
}

// BenchmarkLogRegCls200k fits logreg (l2, lbfgs defaults) on the 160,000
// standardised training rows of the cls table.
func BenchmarkLogRegCls200k(b *testing.B) {
	X, y := benchCls(b)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		m := newLogReg()
		if err := m.Fit(context.Background(), X, y, nil, FitOptions{Task: Binary, Classes: []string{"no", "yes"}}); err != nil {
			b.Fatal(err)
		}
		b.ReportMetric(float64(m.NIter), "iters")
	}
}

// BenchmarkKMeansCls200k clusters the same rows into 8 clusters (n_init 10).
func BenchmarkKMeansCls200k(b *testing.B) {
	X, _ := benchCls(b)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		m := newKMeans(1)
		if err := m.Fit(context.Background(), X, nil, nil, FitOptions{Task: Clustering}); err != nil {
			b.Fatal(err)
		}
		b.ReportMetric(float64(m.NIter), "iters")
	}
}

// BenchmarkKNNPredict2kx20k predicts 2,000 rows against 20,000 training rows.
func BenchmarkKNNPredict2kx20k(b *testing.B) {
	X, y := benchCls(b)
	tr := make([]int, 20000)
	te := make([]int, 2000)
	for i := range tr {
		tr[i] = i
	}
	for i := range te {
		te[i] = 20000 + i
	}
	Xtr, Xte := X.TakeRows(tr), X.TakeRows(te)
	m := newKNN()
	if err := m.Fit(context.Background(), Xtr, y[:20000], nil, FitOptions{Task: Binary, Classes: []string{"no", "yes"}}); err != nil {
		b.Fatal(err)
	}
	out := make([]float64, 2*Xte.Rows)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if err := m.PredictProba(Xte, out); err != nil {
			b.Fatal(err)
		}
	}
}
