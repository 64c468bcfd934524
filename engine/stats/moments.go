package stats

import "math"

// Mean returns the arithmetic mean of the values of x that are not NaN, or NaN
// when there are none. It sums twice: the second pass adds the mean of the
// residuals, x̄ ← x̄ + Σ(xᵢ − x̄)/n, which removes most of the rounding error
// of the first (Higham, Accuracy and Stability of Numerical Algorithms, §1.9).
func Mean(x []float64) float64 {
	var s float64
	var n int
	for _, v := range x {
		if v == v {
			s += v
			n++
		}
	}
	if n == 0 {
		return math.NaN()
	}
	m := s / float64(n)
	if math.IsInf(m, 0) || m != m {
		return m
	}
	var r float64
	for _, v := range x {
		if v == v {
			r += v - m
		}
	}
	return m + r/float64(n)
}

// MeanVariance returns the mean and the unbiased sample variance
//
//	s² = Σ(xᵢ − x̄)² / (n − 1)
//
// of the values of x that are not NaN, as pandas' Series.var (ddof = 1). It uses
// the corrected two-pass algorithm of Chan, Golub and LeVeque (1983),
// s² = (Σ(xᵢ−x̄)² − (Σ(xᵢ−x̄))²/n) / (n−1). The variance is NaN when fewer
// than two values remain.
func MeanVariance(x []float64) (mean, variance float64) {
	m := ComputeMoments(x)
	return m.Mean, m.Variance()
}

// Moments holds the count, mean and central power sums of a sample about its
// provisional mean m = Σx/n: M2 = Σ(xᵢ−m)², M3 = Σ(xᵢ−m)³, M4 = Σ(xᵢ−m)⁴.
// The sample statistics are derived from them by its methods.
type Moments struct {
	N          float64
	Mean       float64
	M2, M3, M4 float64
	residual   float64 // Σ(xᵢ−x̄), for the Chan–Golub–LeVeque correction
}

// ComputeMoments returns the Moments of the values of x that are not NaN in
// two passes: the sum and count, then the central sums about m = Σx/n (as
// pandas' nanskew and nankurt take them). The residual Σ(xᵢ−m) of the second
// pass refines the reported Mean to m + Σ(xᵢ−m)/n and enters Variance through
// the Chan–Golub–LeVeque correction. ±Inf values make the moments NaN or
// infinite, as in pandas.
func ComputeMoments(x []float64) Moments {
	var s float64
	var n int
	for _, v := range x {
		if v == v {
			s += v
			n++
		}
	}
	return ComputeMomentsSum(x, s, n)
}

// ComputeMomentsSum is ComputeMoments for a caller that has already made its
// first pass: sum must be the values of x that are not NaN added in index
// order (s += x[i], nothing else) and n their count. The profiler folds that
// pass into its own scan of the column.
func ComputeMomentsSum(x []float64, sum float64, n int) Moments {
	mo := Moments{N: float64(n)}
	s := sum
	if mo.N == 0 {
		mo.Mean, mo.M2, mo.M3, mo.M4 = math.NaN(), math.NaN(), math.NaN(), math.NaN()
		return mo
	}
	m := s / mo.N
	var r, s2, s3, s4 float64
	for _, v := range x {
		if v != v {
			continue
		}
		d := v - m
		d2 := d * d
		r += d
		s2 += d2
		s3 += d2 * d
		s4 += d2 * d2
	}
	mo.Mean = m
	if !math.IsInf(m, 0) && m == m {
		mo.Mean = m + r/mo.N
	}
	mo.residual, mo.M2, mo.M3, mo.M4 = r, s2, s3, s4
	return mo
}

// Variance returns the unbiased sample variance (M2 − (Σ(xᵢ−x̄))²/n)/(n−1), or
// NaN when N < 2.
func (m Moments) Variance() float64 {
	if m.N < 2 {
		return math.NaN()
	}
	return (m.M2 - m.residual*m.residual/m.N) / (m.N - 1)
}

// StdDev returns the sample standard deviation √Variance.
func (m Moments) StdDev() float64 { return math.Sqrt(m.Variance()) }

// zeroFPErr returns 0 for |v| < 1e-14, as pandas' nanops._zero_out_fperr.
func zeroFPErr(v float64) float64 {
	if math.Abs(v) < 1e-14 {
		return 0
	}
	return v
}

// Skewness returns the adjusted Fisher–Pearson sample skewness G1, as pandas'
// Series.skew (pandas/core/nanops.py, nanskew):
//
//	G1 = n·√(n−1)/(n−2) · M3 / M2^(3/2)
//
// which equals √(n(n−1))/(n−2) · g1 with g1 = m3/m2^(3/2) (Joanes and Gill
// 1998, "Comparing measures of sample skewness and kurtosis"). As in pandas,
// M2 and M3 below 1e-14 in magnitude count as 0, the result is 0 when M2 is
// 0 and NaN when N < 3.
func (m Moments) Skewness() float64 {
	if m.N < 3 {
		return math.NaN()
	}
	m2, m3 := zeroFPErr(m.M2), zeroFPErr(m.M3)
	if m2 == 0 {
		return 0
	}
	n := m.N
	return n * math.Sqrt(n-1) / (n - 2) * (m3 / math.Pow(m2, 1.5))
}

// Kurtosis returns the bias-corrected sample excess kurtosis G2, as pandas'
// Series.kurt (pandas/core/nanops.py, nankurt):
//
//	G2 = n(n+1)(n−1)·M4 / ((n−2)(n−3)·M2²) − 3(n−1)²/((n−2)(n−3))
//
// (Joanes and Gill 1998, type 2; 0 for a normal population). As in pandas, the
// numerator and denominator below 1e-14 in magnitude count as 0, the result
// is 0 when the denominator is 0 and NaN when N < 4.
func (m Moments) Kurtosis() float64 {
	if m.N < 4 {
		return math.NaN()
	}
	n := m.N
	adj := 3 * (n - 1) * (n - 1) / ((n - 2) * (n - 3))
	num := zeroFPErr(n * (n + 1) * (n - 1) * m.M4)
	den := zeroFPErr((n - 2) * (n - 3) * m.M2 * m.M2)
	if den == 0 {
		return 0
	}
	return num/den - adj
}

// Skewness returns the pandas sample skewness G1 of the values of x that are
// not NaN (see Moments.Skewness).
func Skewness(x []float64) float64 { return ComputeMoments(x).Skewness() }

// Kurtosis returns the pandas sample excess kurtosis G2 of the values of x
// that are not NaN (see Moments.Kurtosis).
func Kurtosis(x []float64) float64 { return ComputeMoments(x).Kurtosis() }
