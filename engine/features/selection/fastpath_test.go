package selection

import (
	"math"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/mlwb/mlwb/engine/features"
	"github.com/mlwb/mlwb/engine/frame"
	"github.com/mlwb/mlwb/engine/stats"
)

// TestDropReasonsAsDefaultPipeline checks that the fast path of dropReasons
// gives DefaultPipeline's drop decisions, reasons included, on columns of
// every type: constant, all missing, ±0 (different bits, different text),
// a single non-missing value, identifiers and free text.
func TestDropReasonsAsDefaultPipeline(t *testing.T) {
	const n = 50
	missing := frame.NewMask(n)
	oneValid := frame.NewMask(n)
	for i := 0; i < n; i++ {
		missing.SetNA(i)
		oneValid.SetNA(i)
	}
	oneValid.SetValid(7)
	f64 := func(name string, fn func(i int) float64, m frame.Mask) frame.Column {
		x := make([]float64, n)
		for i := range x {
			x[i] = fn(i)
		}
		return frame.NewFloat64(name, x, m)
	}
	ints := make([]int64, n)
	bools := make([]bool, n)
	times := make([]int64, n)
	texts := make([]string, n)
	for i := range ints {
		ints[i] = int64(1000 + i)
		bools[i] = true
		times[i] = int64(i%2) * 86400e9
		texts[i] = string(rune('a' + i%26))
	}
	textsMissing := make([]bool, n)
	f, err := frame.New(
		f64("const", func(int) float64 { return 2.5 }, frame.Mask{}),
		f64("zeros", func(i int) float64 { return math.Copysign(0, float64(i%2)-0.5) }, frame.Mask{}),
		f64("allna", func(int) float64 { return 1 }, missing),
		f64("one", func(i int) float64 { return float64(i) }, oneValid),
		f64("x", func(i int) float64 { return float64(i % 3) }, frame.Mask{}),
		frame.NewInt64("customer_id", ints, frame.Mask{}),
		frame.NewBool("flag", bools, frame.Mask{}),
		frame.NewDatetime("day", times, frame.Mask{}),
		frame.CategoricalFromStrings("letter", texts, textsMissing),
		f64("y", func(i int) float64 { return float64(i % 2) }, frame.Mask{}),
	)
	if err != nil {
		t.Fatal(err)
	}
	_, decisions := features.DefaultPipeline(f, "y")
	want := map[string]string{}
	for _, d := range decisions {
		if d.Action == "drop" {
			want[d.Column] = d.Reason
		}
	}
	if len(want) < 5 {
		t.Fatalf("DefaultPipeline dropped only %v: the test no longer covers the fast path", want)
	}
	got, err := dropReasons(ctx, f, "y", 2)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range f.Names() {
		if got[c] != want[c] {
			t.Errorf("%s: dropReasons %q, DefaultPipeline %q", c, got[c], want[c])
		}
	}
}

// TestResortAsArgsort checks resort against stats.Argsort of the noisy
// values: on data with ties (the noise reorders each run of equal values),
// and with an outlier that makes the noise exceed the gaps between the
// other values (the insertion sort runs out of budget).
func TestResortAsArgsort(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 6))
	const n = 5000
	ties := make([]float64, n)
	outlier := make([]float64, n)
	for i := range ties {
		ties[i] = float64(r.IntN(40))
		outlier[i] = float64(r.IntN(1000)) * 1e-3
	}
	outlier[17] = 1e12
	for name, x := range map[string][]float64{"ties": ties, "outlier": outlier} {
		ord := make([]int32, n)
		stats.Argsort(x, ord)
		xn := noise(x, newRand(1, 2))
		wantOrd := make([]int32, n)
		want := stats.Argsort(xn, wantOrd)
		got, gotOrd := resort(xn, ord)
		if !slices.Equal(got, want) || !slices.Equal(gotOrd, wantOrd) {
			t.Errorf("%s: resort differs from Argsort", name)
		}
		if slices.Equal(ord, wantOrd) {
			t.Errorf("%s: the noise did not reorder the values; the test checks nothing", name)
		}
	}
}

// BenchmarkMutualInfoCD200k times Ross's estimator on 200,000 points of two
// overlapping Gaussian classes (the sort included).
func BenchmarkMutualInfoCD200k(b *testing.B) {
	r := rand.New(rand.NewPCG(7, 8))
	const n = 200000
	x, d := make([]float64, n), make([]int32, n)
	for i := range x {
		d[i] = int32(r.IntN(2))
		x[i] = r.NormFloat64() + float64(d[i])
	}
	xn := noise(x, r)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		MutualInfoCD(xn, d, 3)
	}
}
