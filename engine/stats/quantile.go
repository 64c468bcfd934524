package stats

import "math"

// Quantile returns the p-quantile (0 ≤ p ≤ 1) of the sorted sample x by
// numpy's default method, "linear" (Hyndman and Fan 1996, type 7), which is
// also pandas' Series.quantile and describe:
//
//	h = (n−1)·p,  j = ⌊h⌋,  γ = h − j
//	Q(p) = x[j] + γ·(x[j+1] − x[j])        if γ < 0.5
//	Q(p) = x[j+1] − (1−γ)·(x[j+1] − x[j])  otherwise
//
// the two forms being numpy's _lerp, which evaluates from the nearer end.
// x must be sorted increasingly and free of NaN (not checked). Quantile
// returns NaN for an empty x and panics for p outside [0, 1].
func Quantile(p float64, x []float64) float64 {
	if !(p >= 0 && p <= 1) {
		panic("stats: quantile probability out of range")
	}
	n := len(x)
	if n == 0 {
		return math.NaN()
	}
	h := float64(n-1) * p
	j := math.Floor(h)
	g := h - j
	lo := int(j)
	hi := min(lo+1, n-1)
	a, b := x[lo], x[hi]
	d := b - a
	if g >= 0.5 {
		return b - d*(1-g)
	}
	return a + d*g
}

// Quantiles sets dst[k] to Quantile(p[k], x) for the sorted x and returns
// dst, which is allocated when nil.
func Quantiles(dst, p, x []float64) []float64 {
	if dst == nil {
		dst = make([]float64, len(p))
	}
	if len(dst) != len(p) {
		panic("stats: Quantiles length mismatch")
	}
	for k, pk := range p {
		dst[k] = Quantile(pk, x)
	}
	return dst
}

// Median returns the median of the sorted sample x as numpy.median computes
// it: the middle value, or the mean (a+b)/2 of the two middle values. (This
// can differ in the last bit from Quantile(0.5, x).) It returns NaN for an
// empty x.
func Median(x []float64) float64 {
	n := len(x)
	if n == 0 {
		return math.NaN()
	}
	if n%2 == 1 {
		return x[n/2]
	}
	return (x[n/2-1] + x[n/2]) / 2
}

// IQR returns the interquartile range Q(0.75) − Q(0.25) of the sorted sample x
// (numpy's linear quantiles).
func IQR(x []float64) float64 { return Quantile(0.75, x) - Quantile(0.25, x) }

// MAD returns the median absolute deviation from the median,
//
//	MAD = median(|xᵢ − median(x)|)
//
// of the sorted sample x, unscaled, as ydata-profiling's mad
// (np.median(np.abs(x − np.median(x)))). Multiply by 1.4826 for a consistent
// estimate of a normal σ. The deviations of a sorted sample are two sorted
// runs, L (m − x[i] for the values below the median m, read backwards) and R
// (x[j] − m for the others), so their middle order statistics are found by
// the binary search for the k-th smallest element of two sorted arrays: the
// split a + b = k + 1 with L[a−1] ≤ R[b] and R[b−1] ≤ L[a] puts the k + 1
// smallest deviations in L[:a] and R[:b]. O(log n), no allocation, and the
// same deviations (computed as above) as a merge would pick. It returns NaN
// for an empty x.
func MAD(x []float64) float64 {
	n := len(x)
	if n == 0 {
		return math.NaN()
	}
	m := Median(x)
	// Split: x[:s] < m ≤ x[s:] (binary search).
	lo, hi := 0, n
	for lo < hi {
		mid := int(uint(lo+hi) >> 1)
		if x[mid] < m {
			lo = mid + 1
		} else {
			hi = mid
		}
	}
	s := lo
	nl, nr := s, n-s
	left := func(t int) float64 { return m - x[s-1-t] } // L[t], nondecreasing in t
	right := func(t int) float64 { return x[s+t] - m }  // R[t], nondecreasing in t
	take := (n-1)/2 + 1                                 // deviations up to the (lower) middle one
	// Smallest a in [max(0, take−nr), min(take, nl)] such that a cannot grow:
	// a is the upper end, or b = take − a is 0, or R[b−1] ≤ L[a].
	a0, a1 := max(0, take-nr), min(take, nl)
	for a0 < a1 {
		a := int(uint(a0+a1) >> 1)
		if b := take - a; b > 0 && left(a) < right(b-1) {
			a0 = a + 1
		} else {
			a1 = a
		}
	}
	// The larger of the last taken deviations, and for an even n the
	// smaller of the next ones, each chosen as a merge would (left first on
	// ties).
	a, b := a0, take-a0
	var d float64
	switch {
	case b == 0 || a > 0 && !(left(a-1) <= right(b-1)):
		d = left(a - 1)
	default:
		d = right(b - 1)
	}
	if n%2 == 1 {
		return d
	}
	var next float64
	switch {
	case a < nl && (b >= nr || left(a) <= right(b)):
		next = left(a)
	default:
		next = right(b)
	}
	return (d + next) / 2
}
