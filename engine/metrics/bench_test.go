package metrics

import (
	"context"
	"math/rand/v2"
	"testing"
)

// BenchmarkEvaluateBinary1M is every binary metric on 1M predictions
// (one sort). Measured: see the commit message.
func BenchmarkEvaluateBinary1M(b *testing.B) {
	n := 1_000_000
	rng := rand.New(rand.NewPCG(1, 2))
	y := make([]int32, n)
	s := make([]float64, n)
	for i := range y {
		if rng.Float64() < 0.3 {
			y[i] = 1
		}
		s[i] = min(1, max(0, rng.NormFloat64()*0.2+0.4+0.2*float64(y[i])))
	}
	in := binaryInput(y, s)
	b.ResetTimer()
	for b.Loop() {
		if _, err := Evaluate(context.Background(), in, Options{}); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkEvaluateRegression1M is every regression metric on 1M rows.
func BenchmarkEvaluateRegression1M(b *testing.B) {
	n := 1_000_000
	rng := rand.New(rand.NewPCG(1, 2))
	in := Input{Task: RegressionTask, YTrue: make([]float64, n), YPred: make([]float64, n)}
	for i := range in.YTrue {
		in.YTrue[i] = rng.NormFloat64()
		in.YPred[i] = in.YTrue[i] + rng.NormFloat64()*0.3
	}
	b.ResetTimer()
	for b.Loop() {
		if _, err := Evaluate(context.Background(), in, Options{}); err != nil {
			b.Fatal(err)
		}
	}
}
