package drift

import (
	"math"
	"slices"
	"testing"
)

// relClose reports whether got is within rel (relative) or abs of want.
func relClose(got, want, rel, abs float64) bool {
	if math.IsNaN(want) {
		return math.IsNaN(got)
	}
	return math.Abs(got-want) <= abs || math.Abs(got-want) <= rel*math.Abs(want)
}

// TestKolmogorovSF checks kstwo.sf against scipy 1.10 over every branch:
// Ruben–Gambino (n·x ≤ 1, n·x ≥ n−1), 2·smirnov (x ≥ 0.5, n·x² ≥ 2.2), the
// Durbin matrix (n ≤ 140, or n ≤ 1e5 with n·x^1.5 ≤ 1.4) and Pelz–Good.
//
//	from scipy import stats; stats.kstwo.sf(x, n)
//
// Tolerance 1e-9 relative: scipy's smirnov sums in double-double, ours in
// float64 logarithms; the Durbin and Pelz–Good ports are term for term.
func TestKolmogorovSF(t *testing.T) {
	for _, c := range []struct {
		n    int
		x, p float64
	}{
		{100, 0.05, 0.9532159710635725},
		{100, 0.12, 0.10330374901819939},
		{100, 0.25, 5.408871776434847e-06},
		{100, 0.6, 5.912822156396238e-35},
		{50, 0.01, 1.0},
		{1000, 0.02, 0.8108971656895577},
		{1000, 0.04, 0.07933956059000224},
		{1000, 0.06, 0.001428597887952891},
		{2400, 0.03, 0.026060777189260143},
		{200000, 0.002, 0.39995085369038097},
		{200000, 0.004, 0.003314212822560255},
		{500000, 0.003, 0.00024632301239186754},
		{500000, 0.0015, 0.21034190155828947},
		{150, 0.3, 1.8096708700049624e-12},
		{7, 0.9, 1.999999999999997e-07},
	} {
		if got := kolmogorovSF(c.n, c.x); !relClose(got, c.p, 1e-9, 1e-15) {
			t.Errorf("kolmogorovSF(%d, %g) = %.17g, scipy %.17g", c.n, c.x, got, c.p)
		}
	}
}

// sample is the deterministic sample ((i·m) mod q)/10 + off, i < n, exact
// in both Go and numpy.
func sample(n, m, q int, off float64) []float64 {
	x := make([]float64, n)
	for i := range x {
		x[i] = float64((i*m)%q)/10 + off
	}
	slices.Sort(x)
	return x
}

// TestKS2SampAndWasserstein checks the statistic, the p-value (exact for
// max(n) ≤ 10000, asymptotic above) and the Wasserstein distance against
// scipy 1.10:
//
//	def a(n, m, mod, off): return np.array([((i*m) % mod)/10.0 + off for i in range(n)])
//	x = a(n1, 7919, 1000, 0); y = a(n2, 104729, 997, off2)
//	stats.ks_2samp(x, y); stats.wasserstein_distance(x, y)
func TestKS2SampAndWasserstein(t *testing.T) {
	for _, c := range []struct {
		n1, n2  int
		off2    float64
		d, p, w float64
	}{
		{50, 50, 3, 0.06, 0.9999952562961608, 2.016},
		{50, 50, 30, 0.34, 0.005841778142694731, 28.436},
		{60, 45, 25, 0.2722222222222222, 0.03721242907069057, 23.674444444444447},
		{60, 45, 2, 0.044444444444444446, 0.9999999859963747, 1.1411111111111114},
		{12000, 3000, 4, 0.04, 0.0008978091313231966, 3.7534},
		{12000, 3000, 1, 0.01, 0.9681021652544466, 0.7534},
		{20000, 100, 20, 0.2, 0.0005551927327988775, 16.366},
		{20000, 100, 5, 0.05, 0.9532159710635725, 1.7491999999999999},
		{5000, 4000, 2, 0.02, 0.332121478625106, 1.7731999999999999},
	} {
		x, y := sample(c.n1, 7919, 1000, 0), sample(c.n2, 104729, 997, c.off2)
		d, p := KS2Samp(x, y)
		if !relClose(d, c.d, 1e-12, 0) || !relClose(p, c.p, 1e-9, 1e-15) {
			t.Errorf("KS2Samp(n=%d, %d, off %g) = %.17g, %.17g; scipy %.17g, %.17g", c.n1, c.n2, c.off2, d, p, c.d, c.p)
		}
		if w := WassersteinDistance(x, y); !relClose(w, c.w, 1e-11, 0) {
			t.Errorf("Wasserstein(n=%d, %d, off %g) = %.17g, scipy %.17g", c.n1, c.n2, c.off2, w, c.w)
		}
	}
	// scipy: stats.ks_2samp(a(300,7919,1000,0), a(200,7919,997,0.5)) (same
	// multiplier: many ties) -> 0.03833333333333333, 0.9927124295593311
	d, p := KS2Samp(sample(300, 7919, 1000, 0), sample(200, 7919, 997, 0.5))
	if !relClose(d, 0.03833333333333333, 1e-12, 0) || !relClose(p, 0.9927124295593311, 1e-9, 0) {
		t.Errorf("KS2Samp ties = %.17g, %.17g", d, p)
	}
}
