package drift

import (
	"context"
	"math"
	"testing"

	"github.com/mlwb/mlwb/engine/frame"
)

func floatFrame(name string, x []float64) *frame.Frame {
	return frame.MustNew(frame.NewFloat64(name, append([]float64(nil), x...), frame.Mask{}))
}

func catFrame(name string, counts map[string]int, order []string) *frame.Frame {
	var v []string
	for _, k := range order {
		for range counts[k] {
			v = append(v, k)
		}
	}
	return frame.MustNew(frame.CategoricalFromStrings(name, v, nil))
}

func score(t *testing.T, ref, cur *frame.Frame, m Method) Column {
	t.Helper()
	rep, err := Compare(context.Background(), ref, cur, Options{Method: m})
	if err != nil {
		t.Fatal(err)
	}
	c := rep.Columns[0]
	if c.Error != "" {
		t.Fatalf("%s: %s", m, c.Error)
	}
	return c
}

// TestMethodsAgainstScipy checks Jensen–Shannon, PSI, normalised
// Wasserstein, chi-square and the Z-test on frames against Evidently 0.7's
// formulas run with numpy/scipy 1.10 (/tmp script, abridged):
//
//	def a(n, m=7919, mod=1000, off=0.0): return np.array([((i*m) % mod)/10.0 + off for i in range(n)])
//	# binned(): Evidently's get_binned_data verbatim (30 equal-width bins over
//	# both samples when the reference has > 20 distinct values, else per value;
//	# empty shares floored)
//	distance.jensenshannon(rp, cp); np.sum((rp-cp)*np.log(rp/cp))
//	stats.wasserstein_distance(x, y)/max(np.std(x), 0.001)
//	chisquare(cur_counts, ref_counts*len(cur)/len(ref))
//
// Tolerance 1e-12 relative: same arithmetic, different summation order.
func TestMethodsAgainstScipy(t *testing.T) {
	x := sample(2000, 7919, 1000, 0)
	near := sample(1500, 104729, 997, 5)
	far := sample(1500, 104729, 997, 40)
	for _, c := range []struct {
		name     string
		ref, cur []float64
		m        Method
		want     float64
	}{
		{"js", x, near, JS, 0.15718892725306666},
		{"psi", x, near, PSI, 0.4107409863093885},
		{"wasserstein/std", x, near, Wasserstein, 0.1601801387740592},
		{"js far", x, far, JS, 0.507075765122507},
		{"psi far", x, far, PSI, 4.596536085546424},
	} {
		got := score(t, floatFrame("x", c.ref), floatFrame("x", c.cur), c.m)
		if !relClose(got.Score, c.want, 1e-12, 0) {
			t.Errorf("%s = %.17g, want %.17g", c.name, got.Score, c.want)
		}
	}
	// Numeric with 4 distinct values: binned per value.
	var xs, ys []float64
	for range 300 {
		xs = append(xs, 1, 2, 3, 4)
	}
	for v, n := range map[float64]int{1: 500, 2: 300, 3: 200, 4: 100} {
		for range n {
			ys = append(ys, v)
		}
	}
	if got := score(t, floatFrame("v", xs), floatFrame("v", ys), JS); !relClose(got.Score, 0.19316487931157492, 1e-12, 0) {
		t.Errorf("js per value = %.17g", got.Score)
	}
	if got := score(t, floatFrame("v", xs), floatFrame("v", ys), PSI); !relClose(got.Score, 0.3069116354294358, 1e-12, 0) {
		t.Errorf("psi per value = %.17g", got.Score)
	}

	order := []string{"a", "b", "c", "d"}
	ref := catFrame("c", map[string]int{"a": 50, "b": 30, "c": 20}, order)
	cur := catFrame("c", map[string]int{"a": 30, "b": 30, "c": 35, "d": 5}, order)
	if got := score(t, ref, cur, JS); !relClose(got.Score, 0.19997938708212668, 1e-12, 0) {
		t.Errorf("categorical js = %.17g", got.Score)
	}
	if got := score(t, ref, cur, PSI); !relClose(got.Score, 0.49621643705477886, 1e-12, 0) {
		t.Errorf("categorical psi = %.17g", got.Score)
	}
	// A new category: χ² = +Inf, p = 0 (scipy divides by a zero expectation).
	if got := score(t, ref, cur, ChiSquare); !math.IsInf(got.Statistic, 1) || got.PValue != 0 || !got.Drift {
		t.Errorf("chi-square with a new category = %v, %v", got.Statistic, got.PValue)
	}
	cur3 := catFrame("c", map[string]int{"a": 40, "b": 25, "c": 35}, order)
	got := score(t, ref, cur3, ChiSquare)
	if !relClose(got.Statistic, 14.083333333333334, 1e-12, 0) || !relClose(got.PValue, 0.0008746675674878502, 1e-10, 0) {
		t.Errorf("chi-square = %.17g, %.17g", got.Statistic, got.PValue)
	}
	// Z-test: p1 = 0.7, p2 = 0.5, n = 100 each.
	// z = 2.886751345948128; 2*norm.sf(|z|) = 0.0038924171227786367
	// (Evidently's 2*(1-norm.cdf) = 0.0038924171227785465).
	zr := catFrame("z", map[string]int{"a": 70, "b": 30}, order)
	zc := catFrame("z", map[string]int{"a": 50, "b": 50}, order)
	got = score(t, zr, zc, ZTest)
	if !relClose(math.Abs(got.Statistic), 2.886751345948128, 1e-12, 0) || !relClose(got.PValue, 0.0038924171227786367, 1e-12, 0) {
		t.Errorf("z = %.17g, p = %.17g", got.Statistic, got.PValue)
	}
}

// TestDefaultSelection follows Evidently's table: KS / chi-square / Z for at
// most 1000 reference values, Wasserstein / Jensen–Shannon above.
func TestDefaultSelection(t *testing.T) {
	order := []string{"a", "b", "c"}
	for _, c := range []struct {
		name     string
		ref, cur *frame.Frame
		want     Method
	}{
		{"small numeric", floatFrame("x", sample(500, 7919, 1000, 0)), floatFrame("x", sample(300, 7919, 997, 0)), KS},
		{"large numeric", floatFrame("x", sample(1001, 7919, 1000, 0)), floatFrame("x", sample(300, 7919, 997, 0)), Wasserstein},
		{"small 3 levels", catFrame("c", map[string]int{"a": 5, "b": 5, "c": 5}, order), catFrame("c", map[string]int{"a": 5, "b": 5}, order), ChiSquare},
		{"small 2 levels", catFrame("c", map[string]int{"a": 5, "b": 5}, order), catFrame("c", map[string]int{"a": 5, "b": 5}, order), ZTest},
		{"large levels", catFrame("c", map[string]int{"a": 500, "b": 501}, order), catFrame("c", map[string]int{"a": 5}, order), JS},
		{"large numeric 3 values", floatFrame("x", sample(3000, 1, 3, 0)), floatFrame("x", sample(10, 1, 3, 0)), JS},
		{"small numeric 3 values", floatFrame("x", sample(30, 1, 3, 0)), floatFrame("x", sample(10, 1, 3, 0)), ChiSquare},
	} {
		rep, err := Compare(context.Background(), c.ref, c.cur, Options{})
		if err != nil {
			t.Fatal(err)
		}
		if got := rep.Columns[0].Method; got != c.want {
			t.Errorf("%s: method %s, want %s", c.name, got, c.want)
		}
	}
}
