package tune

import (
	"context"
	"fmt"
	"math"
	"testing"
)

// branin is the Branin–Hoo function on [−5, 10] × [0, 15]; its minimum is
// 5/(4π) ≈ 0.397887 at (−π, 12.275), (π, 2.275) and (9.42478, 2.475).
func branin(x1, x2 float64) float64 {
	const a, r, s = 1.0, 6.0, 10.0
	b := 5.1 / (4 * math.Pi * math.Pi)
	c := 5 / math.Pi
	t := 1 / (8 * math.Pi)
	u := x2 - b*x1*x1 + c*x1 - r
	return a*u*u + s*(1-t)*math.Cos(x1) + s
}

// hartmann6 is the 6-dimensional Hartmann function on [0, 1]^6; its minimum
// is −3.32237 at (0.20169, 0.150011, 0.476874, 0.275332, 0.311652, 0.6573).
func hartmann6(x []float64) float64 {
	alpha := [4]float64{1.0, 1.2, 3.0, 3.2}
	A := [4][6]float64{
		{10, 3, 17, 3.5, 1.7, 8},
		{0.05, 10, 17, 0.1, 8, 14},
		{3, 3.5, 1.7, 10, 17, 8},
		{17, 8, 0.05, 10, 0.1, 14},
	}
	P := [4][6]float64{
		{1312, 1696, 5569, 124, 8283, 5886},
		{2329, 4135, 8307, 3736, 1004, 9991},
		{2348, 1451, 3522, 2883, 3047, 6650},
		{4047, 8828, 8732, 5743, 1091, 381},
	}
	var f float64
	for i := range 4 {
		var e float64
		for j := range 6 {
			d := x[j] - P[i][j]*1e-4
			e += A[i][j] * d * d
		}
		f -= alpha[i] * math.Exp(-e)
	}
	return f
}

func braninSpace(t testing.TB) *Space {
	s, err := Parse("branin", "x1: float -5..10\nx2: float 0..15\n")
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func hartmannSpace(t testing.TB) *Space {
	s, err := Parse("hartmann6", "x0: float 0..1\nx1: float 0..1\nx2: float 0..1\nx3: float 0..1\nx4: float 0..1\nx5: float 0..1\n")
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func braninObj(_ context.Context, t *Trial) (float64, error) {
	return branin(t.Float("x1"), t.Float("x2")), nil
}

func hartmannObj(_ context.Context, t *Trial) (float64, error) {
	x := make([]float64, 6)
	for j, n := range []string{"x0", "x1", "x2", "x3", "x4", "x5"} {
		x[j] = t.Float(n)
	}
	return hartmann6(x), nil
}

// bestOf runs an in-memory study of n trials with one job and returns the
// best value.
func bestOf(t testing.TB, sp *Space, smp Sampler, obj Objective, n int, seed uint64) float64 {
	st, err := New(Options{Space: sp, Sampler: smp, Seed: seed})
	if err != nil {
		t.Fatal(err)
	}
	if err := st.Optimize(context.Background(), obj, n, 1, nil); err != nil {
		t.Fatal(err)
	}
	b, ok := st.Best()
	if !ok {
		t.Fatal("no complete trial")
	}
	return b.Value
}

// rotEllipsoid is f(x) = Σ_i 10^(3i/(n−1)) y_i² with y = Rx for the fixed
// rotation R that maps the axes onto the diagonal directions (a Householder
// reflection through (1, …, 1)/√n), shifted so that the minimum 0 is at
// x = (1, 1, …, 1). Ill-conditioned (10³) and non-separable: CMA-ES
// learns the rotation, TPE's independent per-parameter models cannot.
func rotEllipsoid(t *Trial, n int) float64 {
	x := make([]float64, n)
	var s float64
	for j := range n {
		x[j] = t.Float(fmt.Sprintf("x%d", j)) - 1
		s += x[j]
	}
	s *= 2 / float64(n)
	var f float64
	for i := range n {
		y := x[i] - s // (I − 2uuᵀ)x with u = (1, …, 1)/√n
		f += math.Pow(10, 3*float64(i)/float64(n-1)) * y * y
	}
	return f
}
