package stats

import (
	"math"

	"gonum.org/v1/gonum/stat/distuv"
)

// Entropy returns the Shannon entropy in bits, H = −Σ pᵢ log₂ pᵢ with
// pᵢ = cᵢ/Σc, of the counts c; zero counts contribute nothing. It returns 0
// for no positive count.
func Entropy(c []float64) float64 {
	var n float64
	for _, v := range c {
		if v > 0 {
			n += v
		}
	}
	if n == 0 {
		return 0
	}
	var h float64
	for _, v := range c {
		if v > 0 {
			p := v / n
			h -= p * math.Log2(p)
		}
	}
	return h
}

// Contingency is an R×C table of co-occurrence counts, row-major:
// N[i*C+j] counts the rows where the first variable takes level i and the
// second level j.
type Contingency struct {
	R, C int
	N    []float64
}

// NewContingency counts the pairs (a[k], b[k]) of level codes, a in [0, ra) and
// b in [0, cb); negative codes (missing) are skipped. It panics if the lengths
// differ or a code is out of range.
func NewContingency(a, b []int32, ra, cb int) Contingency {
	if len(a) != len(b) {
		panic("stats: NewContingency length mismatch")
	}
	t := Contingency{R: ra, C: cb, N: make([]float64, ra*cb)}
	for k, i := range a {
		if j := b[k]; i >= 0 && j >= 0 {
			t.N[int(i)*cb+int(j)]++
		}
	}
	return t
}

// margins returns the row and column sums and the total.
func (t Contingency) margins() (row, col []float64, n float64) {
	row, col = make([]float64, t.R), make([]float64, t.C)
	for i := 0; i < t.R; i++ {
		for j := 0; j < t.C; j++ {
			v := t.N[i*t.C+j]
			row[i] += v
			col[j] += v
			n += v
		}
	}
	return row, col, n
}

// ChiSquare returns Pearson's χ² statistic of independence,
// Σᵢⱼ (Nᵢⱼ − Eᵢⱼ)²/Eᵢⱼ with Eᵢⱼ = Nᵢ.·N.ⱼ/N (no continuity correction), and the
// numbers of non-empty rows and columns it ranges over.
func (t Contingency) ChiSquare() (chi2 float64, r, c int) {
	row, col, n := t.margins()
	for i := 0; i < t.R; i++ {
		if row[i] == 0 {
			continue
		}
		r++
		for j := 0; j < t.C; j++ {
			if col[j] == 0 {
				continue
			}
			e := row[i] * col[j] / n
			d := t.N[i*t.C+j] - e
			chi2 += d * d / e
		}
	}
	for _, v := range col {
		if v > 0 {
			c++
		}
	}
	return chi2, r, c
}

// CramersV returns Cramér's V of the table over its non-empty rows and
// columns. Uncorrected, V = √(φ²/min(r−1, c−1)) with φ² = χ²/n. With
// biasCorrected, Bergsma's correction (J. Korean Stat. Soc. 42, 2013), the one
// ydata-profiling applies:
//
//	φ̃² = max(0, φ² − (r−1)(c−1)/(n−1)),  r̃ = r − (r−1)²/(n−1),  c̃ = c − (c−1)²/(n−1)
//	Ṽ = √(φ̃² / min(r̃−1, c̃−1))
//
// It returns NaN when the denominator is not positive (a constant variable, or
// n ≤ 1).
func CramersV(t Contingency, biasCorrected bool) float64 {
	chi2, r, c := t.ChiSquare()
	_, _, n := t.margins()
	if n <= 1 {
		return math.NaN()
	}
	phi2 := chi2 / n
	rr, cc := float64(r), float64(c)
	if biasCorrected {
		phi2 = math.Max(0, phi2-(rr-1)*(cc-1)/(n-1))
		rr -= (rr - 1) * (rr - 1) / (n - 1)
		cc -= (cc - 1) * (cc - 1) / (n - 1)
	}
	d := math.Min(rr-1, cc-1)
	if !(d > 0) {
		return math.NaN()
	}
	return math.Min(1, math.Sqrt(phi2/d))
}

// MutualInfo returns the mutual information in bits of the two variables of
// the table, from the empirical joint distribution:
//
//	I = Σᵢⱼ pᵢⱼ log₂(pᵢⱼ / (pᵢ. p.ⱼ)),  pᵢⱼ = Nᵢⱼ/N
//
// (as sklearn.metrics.mutual_info_score, which reports nats: divide by ln 2).
// It is 0 for an empty table.
func MutualInfo(t Contingency) float64 {
	row, col, n := t.margins()
	if n == 0 {
		return 0
	}
	var mi float64
	for i := 0; i < t.R; i++ {
		for j := 0; j < t.C; j++ {
			v := t.N[i*t.C+j]
			if v > 0 {
				mi += v / n * math.Log2(v*n/(row[i]*col[j]))
			}
		}
	}
	return math.Max(0, mi)
}

// CorrelationRatio returns Pearson's correlation ratio η of the numeric x
// against the groups g (level codes in [0, k); negative codes and NaN x are
// skipped):
//
//	η² = Σ_g n_g (ȳ_g − ȳ)² / Σᵢ (yᵢ − ȳ)²
//
// η is in [0, 1]; it is 1 when x is a function of the group. It returns NaN
// when fewer than two values remain or x is constant. It panics if the
// lengths differ.
func CorrelationRatio(x []float64, g []int32, k int) float64 {
	if len(x) != len(g) {
		panic("stats: CorrelationRatio length mismatch")
	}
	sum := make([]float64, k)
	cnt := make([]float64, k)
	var tot, n float64
	for i, v := range x {
		if c := g[i]; c >= 0 && v == v {
			sum[c] += v
			cnt[c]++
			tot += v
			n++
		}
	}
	if n < 2 {
		return math.NaN()
	}
	mean := tot / n
	var sst float64
	for i, v := range x {
		if c := g[i]; c >= 0 && v == v {
			d := v - mean
			sst += d * d
		}
	}
	var ssb float64
	for c := range sum {
		if cnt[c] > 0 {
			d := sum[c]/cnt[c] - mean
			ssb += cnt[c] * d * d
		}
	}
	if sst == 0 {
		return math.NaN()
	}
	return math.Min(1, math.Sqrt(ssb/sst))
}

// ChiSquareUniform tests the counts against the uniform distribution over
// their k categories (scipy.stats.chisquare with default expected
// frequencies): χ² = Σ (cᵢ − N/k)² / (N/k), and the p-value is the upper tail
// of χ² with k − 1 degrees of freedom. It returns NaN for both when k < 2 or
// N = 0.
func ChiSquareUniform(c []float64) (chi2, p float64) {
	k := len(c)
	var n float64
	for _, v := range c {
		n += v
	}
	if k < 2 || n == 0 {
		return math.NaN(), math.NaN()
	}
	e := n / float64(k)
	for _, v := range c {
		d := v - e
		chi2 += d * d / e
	}
	return chi2, distuv.ChiSquared{K: float64(k - 1)}.Survival(chi2)
}

// RobustZ returns Iglewicz and Hoaglin's modified z-score (1993, "How to Detect
// and Handle Outliers"),
//
//	Mᵢ = 0.6745 (xᵢ − median) / MAD
//
// where MAD is the (unscaled) median absolute deviation; |Mᵢ| > 3.5 marks a
// likely outlier. The result is ±Inf or NaN when mad is 0.
func RobustZ(x, median, mad float64) float64 { return 0.6745 * (x - median) / mad }
