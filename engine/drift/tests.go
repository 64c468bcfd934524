package drift

import (
	"math"
	"sort"

	"gonum.org/v1/gonum/stat/distuv"
)

// WassersteinDistance returns the first Wasserstein (earth mover's) distance between
// the empirical distributions of two sorted samples without NaN,
//
//	W₁ = ∫ |F_a(x) − F_b(x)| dx,
//
// as scipy.stats.wasserstein_distance(a, b): a merge over the pooled sorted
// values, summing |F_a − F_b|·Δx between consecutive values. NaN when a
// sample is empty.
func WassersteinDistance(a, b []float64) float64 {
	if len(a) == 0 || len(b) == 0 {
		return math.NaN()
	}
	na, nb := float64(len(a)), float64(len(b))
	i, j := 0, 0
	prev := math.Min(a[0], b[0])
	var sum float64
	for i < len(a) || j < len(b) {
		var v float64
		switch {
		case j >= len(b) || (i < len(a) && a[i] <= b[j]):
			v = a[i]
		default:
			v = b[j]
		}
		// F_a, F_b on [prev, v) are the counts ≤ prev.
		sum += math.Abs(float64(i)/na-float64(j)/nb) * (v - prev)
		for i < len(a) && a[i] == v {
			i++
		}
		for j < len(b) && b[j] == v {
			j++
		}
		prev = v
	}
	return sum
}

// floorShares turns counts into shares of their totals and replaces zero
// shares as Evidently's get_binned_data(feel_zeroes=True) does: by
// min(non-zero share)/10⁶ when that minimum is ≤ 0.0001, else by 0.0001
// (each side separately). The totals are the sample sizes.
func floorShares(c []float64, n float64) []float64 {
	p := make([]float64, len(c))
	mn := math.Inf(1)
	for i, v := range c {
		p[i] = v / n
		if p[i] != 0 && p[i] < mn {
			mn = p[i]
		}
	}
	fill := 0.0001
	if mn <= 0.0001 {
		fill = mn / 1e6
	}
	for i := range p {
		if p[i] == 0 {
			p[i] = fill
		}
	}
	return p
}

// JensenShannon returns the Jensen–Shannon distance between the binned
// reference and current counts (Evidently's jensenshannon test):
//
//	JS = √( (KL(p‖m) + KL(q‖m)) / 2 ),  m = (p + q)/2,  KL(p‖m) = Σ pᵢ ln(pᵢ/mᵢ)
//
// with p, q the shares after floorShares. As scipy.spatial.distance.
// jensenshannon with its default base (natural logarithm) it lies in
// [0, √ln 2 ≈ 0.8326]; scipy also renormalises p and q to sum to 1 first,
// which matters after flooring.
func JensenShannon(ref, cur []float64, nRef, nCur float64) float64 {
	p, q := floorShares(ref, nRef), floorShares(cur, nCur)
	normalize(p)
	normalize(q)
	var js float64
	for i := range p {
		m := (p[i] + q[i]) / 2
		js += relEntr(p[i], m) + relEntr(q[i], m)
	}
	return math.Sqrt(math.Max(js/2, 0))
}

func normalize(p []float64) {
	var s float64
	for _, v := range p {
		s += v
	}
	for i := range p {
		p[i] /= s
	}
}

// relEntr is scipy.special.rel_entr: x ln(x/y), 0 for x = 0.
func relEntr(x, y float64) float64 {
	switch {
	case x > 0 && y > 0:
		return x * math.Log(x/y)
	case x == 0 && y >= 0:
		return 0
	}
	return math.Inf(1)
}

// PopulationStability returns the population stability index of the binned counts
// (Evidently's psi test):
//
//	PSI = Σᵢ (rᵢ − cᵢ) ln(rᵢ/cᵢ)
//
// with r, c the reference and current shares after floorShares (not
// renormalised). Usual reading: < 0.1 stable, 0.1–0.25 moderate, > 0.25
// major shift.
func PopulationStability(ref, cur []float64, nRef, nCur float64) float64 {
	r, c := floorShares(ref, nRef), floorShares(cur, nCur)
	var s float64
	for i := range r {
		s += (r[i] - c[i]) * math.Log(r[i]/c[i])
	}
	return s
}

// ChiSquareGOF is Evidently's chi-square test: Pearson's goodness-of-fit
// statistic of the current counts against the reference proportions scaled
// to the current size,
//
//	χ² = Σᵢ (cᵢ − eᵢ)²/eᵢ,  eᵢ = rᵢ·n_cur/n_ref,
//
// with k − 1 degrees of freedom over the k categories seen in either sample
// (scipy.stats.chisquare(f_obs=c, f_exp=e)). A category absent from the
// reference but present now gives χ² = +Inf and p = 0. NaN for k < 2.
func ChiSquareGOF(ref, cur []float64, nRef, nCur float64) (chi2, p float64) {
	k := len(ref)
	if k < 2 || nRef == 0 || nCur == 0 {
		return math.NaN(), math.NaN()
	}
	norm := nCur / nRef
	for i := range ref {
		e := ref[i] * norm
		d := cur[i] - e
		switch {
		case e == 0 && d != 0:
			return math.Inf(1), 0
		case e == 0:
			continue
		}
		chi2 += d * d / e
	}
	return chi2, distuv.ChiSquared{K: float64(k - 1)}.Survival(chi2)
}

// TwoProportionZ is Evidently's two-proportion Z-test for a variable with two
// categories: with p₁, p₂ the shares of the first category in the reference
// (n₁ rows) and current (n₂ rows) samples and P = (p₁n₁ + p₂n₂)/(n₁ + n₂),
//
//	z = (p₁ − p₂) / √(P(1 − P)(1/n₁ + 1/n₂)),  p = 2(1 − Φ(|z|)).
//
// p is computed as erfc(|z|/√2), which equals 2(1 − Φ(|z|)) without the
// cancellation for large |z|. When both samples hold the same single
// category, p = 1 (as Evidently). ref and cur are the two categories'
// counts.
func TwoProportionZ(ref, cur []float64) (z, p float64) {
	if len(ref) == 1 {
		return 0, 1
	}
	n1, n2 := ref[0]+ref[1], cur[0]+cur[1]
	if n1 == 0 || n2 == 0 {
		return math.NaN(), math.NaN()
	}
	p1, p2 := ref[0]/n1, cur[0]/n2
	P := (p1*n1 + p2*n2) / (n1 + n2)
	z = (p1 - p2) / math.Sqrt(P*(1-P)*(1/n1+1/n2))
	if math.IsNaN(z) { // both samples constant on the same category
		return 0, 1
	}
	return z, math.Erfc(math.Abs(z) / math.Sqrt2)
}

// CramersV2 returns Cramér's V of the 2×k table (sample × category) of
// reference and current counts: √(χ²/N) with χ² Pearson's statistic of
// independence and N = n_ref + n_cur (min(r−1, c−1) = 1 for two rows). It is
// mlwb's effect size for categorical drift: 0 for identical shares, 1 for
// disjoint categories, independent of the sample sizes.
func CramersV2(ref, cur []float64) float64 {
	var n1, n2 float64
	for i := range ref {
		n1 += ref[i]
		n2 += cur[i]
	}
	n := n1 + n2
	if n1 == 0 || n2 == 0 {
		return math.NaN()
	}
	var chi2 float64
	for i := range ref {
		col := ref[i] + cur[i]
		if col == 0 {
			continue
		}
		e1, e2 := n1*col/n, n2*col/n
		chi2 += (ref[i]-e1)*(ref[i]-e1)/e1 + (cur[i]-e2)*(cur[i]-e2)/e2
	}
	return math.Min(1, math.Sqrt(chi2/n))
}

// equalWidthEdges returns numpy.histogram_bin_edges(values, bins=k) for
// values spanning [lo, hi]: lo + i·(hi − lo)/k (numpy.linspace), with
// (lo − 0.5, hi + 0.5) when lo = hi.
func equalWidthEdges(lo, hi float64, k int) []float64 {
	if lo == hi {
		lo, hi = lo-0.5, hi+0.5
	}
	e := make([]float64, k+1)
	step := (hi - lo) / float64(k)
	for i := range e {
		e[i] = float64(i)*step + lo
	}
	e[k] = hi
	return e
}

// sortedHistogram counts sorted values into the bins of edges as
// numpy.histogram does: [eᵢ, eᵢ₊₁) except the last bin, which is closed;
// values outside [e₀, e_k] are not counted. O(k log n).
func sortedHistogram(sorted, edges []float64) []float64 {
	k := len(edges) - 1
	c := make([]float64, k)
	lower := func(x float64) int { return sort.SearchFloat64s(sorted, x) } // first ≥ x
	prev := lower(edges[0])
	for i := 1; i < k; i++ {
		at := lower(edges[i])
		c[i-1] = float64(at - prev)
		prev = at
	}
	// last bin: [e_{k−1}, e_k]
	end := sort.Search(len(sorted), func(i int) bool { return sorted[i] > edges[k] })
	c[k-1] = float64(end - prev)
	return c
}

// quantileEdges returns k+1 bin edges at the reference's quantiles i/k
// (numpy's linear method), deduplicated, with the outer edges widened to
// ±Inf so that every current value falls in a bin.
func quantileEdges(sorted []float64, k int) []float64 {
	e := make([]float64, 0, k+1)
	e = append(e, math.Inf(-1))
	for i := 1; i < k; i++ {
		q := quantileSorted(sorted, float64(i)/float64(k))
		if q > e[len(e)-1] {
			e = append(e, q)
		}
	}
	return append(e, math.Inf(1))
}

// quantileSorted is numpy.quantile(x, p) (linear) of sorted x.
func quantileSorted(x []float64, p float64) float64 {
	n := len(x)
	if n == 0 {
		return math.NaN()
	}
	h := p * float64(n-1)
	lo := int(math.Floor(h))
	if lo >= n-1 {
		return x[n-1]
	}
	return x[lo] + (h-float64(lo))*(x[lo+1]-x[lo])
}

// quantileHistogram counts sorted values into quantile bins (a, b] except
// the first, [−Inf, b]: pandas.cut-style right-closed intervals, so a
// value equal to a reference quantile goes to the bin it closes.
func quantileHistogram(sorted, edges []float64) []float64 {
	k := len(edges) - 1
	c := make([]float64, k)
	upper := func(x float64) int { return sort.Search(len(sorted), func(i int) bool { return sorted[i] > x }) }
	prev := 0
	for i := 1; i <= k; i++ {
		at := len(sorted)
		if i < k {
			at = upper(edges[i])
		}
		c[i-1] = float64(at - prev)
		prev = at
	}
	return c
}
