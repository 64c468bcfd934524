package stats

import "math"

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
// sample gets one bin [v−0.5, v+0.5], and an empty one an empty Histogram.
// Edges are numpy.linspace(min, max, k+1) and values are binned by numpy's
// own arithmetic, so counts agree with numpy bin for bin.
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
	}
	width := 2 * IQR(x) * math.Pow(float64(n), -1.0/3)
	if width == 0 {
		width = ptp / (math.Log2(float64(n)) + 1)
	}
	bins := 1
	if width > 0 {
		b := math.Ceil((last - first) / width)
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

// histogramEqual bins x into k equal bins over [first, last] as numpy's
// fast path for uniform bins (numpy/lib/histograms.py).
func histogramEqual(x []float64, first, last float64, k int) Histogram {
	edges := make([]float64, k+1)
	step := (last - first) / float64(k)
	for i := range edges {
		edges[i] = float64(i)*step + first
	}
	edges[k] = last
	counts := make([]int, k)
	denom := last - first
	for _, v := range x {
		if !(v >= first && v <= last) {
			continue
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
		counts[i]++
	}
	return Histogram{Edges: edges, Counts: counts}
}
