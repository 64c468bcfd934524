package stats

import (
	"math"
	"math/bits"
	"slices"
)

// Histogram is a set of equal-width bins: bin i holds the values in
// [Edges[i], Edges[i+1]), the last bin also its right edge, as numpy.histogram.
type Histogram struct {
	Edges  []float64
	Counts []int
}

// DefaultMaxBins is the bin cap the profiler uses.
const DefaultMaxBins = 50

// HistogramFD returns the histogram of the sorted, finite sample x with
// numpy's Freedman–Diaconis bins (numpy.histogram_bin_edges(x, bins="fd")):
// bin width h = 2·IQR·n^(−1/3), k = ⌈(max − min)/h⌉ bins over [min, max]. When
// the IQR is 0 (more than half the values tied) the width is Sturges',
// (max − min)/(log₂n + 1), as numpy's "auto" does for that case. The bin
// count is then capped at maxBins (no cap when maxBins ≤ 0). A constant
// sample gets one bin [v−0.5, v+0.5] (or [v, v] when |v| is too large for
// ±0.5 to widen it), and an empty one an empty Histogram. Edges are
// numpy.linspace(min, max, k+1) and values are binned by numpy's own
// arithmetic, so counts agree with numpy bin for bin. When max − min
// overflows (where numpy fails) the bin count and edges are computed on x/2
// and values are binned by their edges.
func HistogramFD(x []float64, maxBins int) Histogram {
	n := len(x)
	if n == 0 {
		return Histogram{}
	}
	first, last := x[0], x[n-1]
	ptp := last - first
	if first == last {
		first -= 0.5
		last += 0.5
		if first == last {
			return Histogram{Edges: []float64{first, last}, Counts: []int{n}}
		}
	}
	iqr, span := IQR(x), last-first
	if math.IsInf(span, 0) {
		ptp = last/2 - first/2
		iqr, span = Quantile(0.75, x)/2-Quantile(0.25, x)/2, ptp
	}
	width := 2 * iqr * math.Pow(float64(n), -1.0/3)
	if width == 0 {
		width = ptp / (math.Log2(float64(n)) + 1)
	}
	bins := 1
	if width > 0 {
		b := math.Ceil(span / width)
		if b > float64(math.MaxInt32) {
			b = math.MaxInt32
		}
		bins = int(b)
	}
	if maxBins > 0 && bins > maxBins {
		bins = maxBins
	}
	return histogramEqual(x, first, last, bins)
}

// histogramEqual bins the sorted x into k equal bins over [first, last] as
// numpy's fast path for uniform bins (numpy/lib/histograms.py): a value's bin
// is ⌊(v − first)/(last − first)·k⌋, moved by one where that disagrees with
// the edges. Every step is monotone in v (rounding preserves order, and the
// correction only moves a value to the bin its edges say), so on sorted data
// the bins are nondecreasing and each bin's count is the distance between
// two binary searches: O(k log n) instead of O(n) (one pass when k is so
// large that the searches would cost more).
func histogramEqual(x []float64, first, last float64, k int) Histogram {
	edges := make([]float64, k+1)
	denom := last - first
	overflow := math.IsInf(denom, 0)
	step, half := denom/float64(k), (last/2-first/2)/float64(k)
	for i := range edges {
		if overflow {
			edges[i] = 2 * (float64(i)*half + first/2)
		} else {
			edges[i] = float64(i)*step + first
		}
	}
	edges[k] = last
	counts := make([]int, k)
	// The values inside [first, last] (all of them for the profiler).
	lo, hi := 0, len(x)
	for lo < hi && !(x[lo] >= first) {
		lo++
	}
	for hi > lo && !(x[hi-1] <= last) {
		hi--
	}
	x = x[lo:hi]
	bin := func(v float64) int {
		if overflow { // by the edges: the interior edges at or below v
			i, _ := slices.BinarySearchFunc(edges[1:k], v, func(e, v float64) int {
				if e <= v {
					return -1
				}
				return 1
			})
			return i
		}
		i := int((v - first) / denom * float64(k))
		if i == k {
			i--
		}
		if v < edges[i] {
			i--
		} else if i != k-1 && v >= edges[i+1] {
			i++
		}
		return i
	}
	if k*bits.Len(uint(len(x))) > len(x) { // more bins than searches save
		for _, v := range x {
			counts[bin(v)]++
		}
		return Histogram{Edges: edges, Counts: counts}
	}
	start := 0 // first position of bin j
	for j := 0; j < k; j++ {
		// end: first position at or after start whose bin exceeds j.
		a, b := start, len(x)
		for a < b {
			m := int(uint(a+b) >> 1)
			if bin(x[m]) <= j {
				a = m + 1
			} else {
				b = m
			}
		}
		counts[j] = a - start
		start = a
	}
	return Histogram{Edges: edges, Counts: counts}
}
