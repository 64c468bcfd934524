package stats

import (
	"math"
	"math/rand/v2"
	"slices"
	"testing"
)

// oracleSamples are samples with ties, ±0, ±Inf, NaN and awkward ranges.
func oracleSamples() map[string][]float64 {
	rng := rand.New(rand.NewPCG(3, 4))
	out := map[string][]float64{}
	for _, n := range []int{0, 1, 2, 3, 4, 31, 32, 33, 100, 1001, 20000} {
		for _, kind := range []string{"normal5", "lognormal", "ties", "zeros", "inf", "huge", "constant"} {
			x := make([]float64, n)
			for i := range x {
				switch kind {
				case "normal5":
					x[i] = math.Round(rng.NormFloat64()*3e5) / 1e5
				case "lognormal":
					x[i] = math.Exp(3 * rng.NormFloat64())
				case "ties":
					x[i] = float64(rng.IntN(4))
				case "zeros":
					x[i] = []float64{0, math.Copysign(0, -1), 1, -1, 0.5}[rng.IntN(5)]
				case "inf":
					x[i] = []float64{math.Inf(1), math.Inf(-1), rng.NormFloat64(), 2}[rng.IntN(4)]
				case "huge":
					x[i] = math.MaxFloat64 * (2*rng.Float64() - 1)
				case "constant":
					x[i] = 7
				}
				if rng.IntN(20) == 0 {
					x[i] = math.NaN()
				}
			}
			out[kind+"/"+itoa(n)] = x
		}
	}
	return out
}

func itoa(n int) string {
	if n == 0 {
		return "0"
	}
	var b []byte
	for ; n > 0; n /= 10 {
		b = append([]byte{byte('0' + n%10)}, b...)
	}
	return string(b)
}

func sameBits(a, b float64) bool {
	return math.Float64bits(a) == math.Float64bits(b) || a != a && b != b
}

// TestSortRanksMatchesSortNonNaN checks SortRanks against SortNonNaN and
// AverageRanks: the same sorted values bit for bit (±0 in position order),
// twice the average ranks in row order, and the number of distinct values;
// reusing the buffers between calls.
func TestSortRanksMatchesSortNonNaN(t *testing.T) {
	var buf SortBuffers
	for name, x := range oracleSamples() {
		sorted, idx := SortNonNaN(x)
		want := make([]uint32, len(x))
		AverageRanks(sorted, func(k int, r float64) { want[idx[k]] = uint32(2 * r) })
		distinct := 0
		for k := range sorted {
			if k == 0 || sorted[k] != sorted[k-1] {
				distinct++
			}
		}
		rank2 := make([]uint32, len(x))
		for i := range rank2 {
			rank2[i] = 12345 // stale values must be overwritten
		}
		got, d := SortRanks(x, rank2, &buf)
		if len(got) != len(sorted) {
			t.Fatalf("%s: %d sorted values, want %d", name, len(got), len(sorted))
		}
		for k := range got {
			if !sameBits(got[k], sorted[k]) {
				t.Fatalf("%s: sorted[%d] = %v, want %v", name, k, got[k], sorted[k])
			}
		}
		if !slices.Equal(rank2, want) {
			t.Fatalf("%s: ranks differ", name)
		}
		if d != distinct {
			t.Fatalf("%s: distinct = %d, want %d", name, d, distinct)
		}
		if got2, d2 := SortRanks(x, nil, &buf); d2 != distinct || !slices.EqualFunc(got2, sorted, sameBits) {
			t.Fatalf("%s: without ranks differs", name)
		}
	}
}

// madMerge is the O(n) merge MAD that MAD replaced, kept as its oracle.
func madMerge(x []float64) float64 {
	n := len(x)
	if n == 0 {
		return math.NaN()
	}
	m := Median(x)
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
	i, j := s-1, s
	next := func() float64 {
		if i >= 0 && (j >= n || m-x[i] <= x[j]-m) {
			d := m - x[i]
			i--
			return d
		}
		d := x[j] - m
		j++
		return d
	}
	k := (n - 1) / 2
	var d float64
	for c := 0; c <= k; c++ {
		d = next()
	}
	if n%2 == 1 {
		return d
	}
	return (d + next()) / 2
}

// histogramLinear is the one-pass binning that histogramEqual's binary
// searches replaced, kept as their oracle.
func histogramLinear(x []float64, first, last float64, k int) []int {
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
	return counts
}

// TestMADAndHistogramMatchOnePass checks the O(log n) MAD and the binary-
// searched histogram counts against the one-pass versions, bit for bit, on
// sorted samples with ties, ±0 and ±Inf, for every prefix length up to 40
// and for the larger samples, and for many bin counts.
func TestMADAndHistogramMatchOnePass(t *testing.T) {
	for name, x := range oracleSamples() {
		s, _ := SortNonNaN(x)
		check := func(s []float64) {
			if got, want := MAD(s), madMerge(s); !sameBits(got, want) {
				t.Fatalf("%s n=%d: MAD = %v, want %v", name, len(s), got, want)
			}
			a, b := 0, len(s)
			for a < b && math.IsInf(s[a], -1) {
				a++
			}
			for b > a && math.IsInf(s[b-1], 1) {
				b--
			}
			fin := s[a:b]
			if len(fin) == 0 {
				return
			}
			for _, k := range []int{1, 2, 3, 7, 50, 333} {
				first, last := fin[0], fin[len(fin)-1]
				if first == last {
					first, last = first-0.5, last+0.5
				}
				if first == last || math.IsInf(last-first, 0) {
					continue // numpy fails; see TestHistogramFDExtremes
				}
				h := histogramEqual(fin, first, last, k)
				if want := histogramLinear(fin, first, last, k); !slices.Equal(h.Counts, want) {
					t.Fatalf("%s n=%d k=%d: counts %v, want %v", name, len(fin), k, h.Counts, want)
				}
			}
		}
		for n := 0; n <= min(40, len(s)); n++ {
			check(s[:n])
		}
		check(s)
	}
}

// TestHistogramFDExtremes checks that samples numpy cannot bin (a constant
// beyond 2⁵³, a range that overflows) get a histogram holding every value.
func TestHistogramFDExtremes(t *testing.T) {
	for _, x := range [][]float64{
		{1e16, 1e16, 1e16},
		{-1e300, -1e300},
		{-1e308, 0, 1e308},
		{-math.MaxFloat64, -1, 0, 1, math.MaxFloat64},
		{-math.MaxFloat64, math.MaxFloat64},
	} {
		h := HistogramFD(x, DefaultMaxBins)
		total := 0
		for _, c := range h.Counts {
			total += c
		}
		if total != len(x) || len(h.Edges) != len(h.Counts)+1 {
			t.Fatalf("%v: %+v", x, h)
		}
		for i := 1; i < len(h.Edges); i++ {
			if !(h.Edges[i] >= h.Edges[i-1]) || math.IsInf(h.Edges[i], 0) {
				t.Fatalf("%v: edges %v", x, h.Edges)
			}
		}
	}
}
