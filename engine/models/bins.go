package models

import (
	"context"
	"math"
	"math/rand/v2"
	"slices"
	"sort"
)

// missingBin is the bin of a missing (NaN) value; value bins are 0..254.
const missingBin = 255

// maxBinSample is how many rows the bin edges are computed from at most
// (scikit-learn's HistGradientBoosting takes 200,000; 50,000 leaves about
// 200 sampled values per quantile bin and sorts four times faster).
const maxBinSample = 50_000

// binned is a feature matrix mapped to small integers once, shared read-only
// by every tree: Bins holds one uint8 per cell, column-major like Matrix.
// Upper[j] are feature j's bin edges: value bin b holds the values v with
// Upper[j][b-1] < v <= Upper[j][b] (the last bin is open above), so that the
// split "bin <= b" is the split "v <= Upper[j][b]" on the raw scale.
type binned struct {
	Rows, Cols int
	Bins       []uint8
	Upper      [][]float64
	// Values[j], when feature j has at most max_bins distinct values, holds
	// them: bin b is exactly Values[j][b]. Nil for quantile-binned features.
	Values [][]float64
}

// threshold returns the raw threshold of the split "bin <= b" of feature j
// when the next bin holding rows of the node is next: the midpoint of the
// two values when bins are exact (the threshold scikit-learn and XGBoost's
// exact method choose), else the upper edge of bin b. When b is the last
// value bin (all values left, missing right) it is MaxFloat64.
func (b *binned) threshold(j, bin, next int) float64 {
	e := b.Upper[j]
	if bin >= len(e) {
		return math.MaxFloat64
	}
	if v := b.Values[j]; v != nil && next < len(v) && next > bin+1 {
		return Midpoint(v[bin], v[next])
	}
	return e[bin]
}

func (b *binned) col(j int) []uint8 { return b.Bins[j*b.Rows : (j+1)*b.Rows : (j+1)*b.Rows] }

// nBins returns the number of value bins of feature j (≥ 1).
func (b *binned) nBins(j int) int { return len(b.Upper[j]) + 1 }

// binEdges computes the bin edges of one column: with at most maxBins
// distinct values, the midpoints between consecutive distinct values (the
// thresholds scikit-learn's exact splitter considers); otherwise
// maxBins-1 quantiles of the sorted values, deduplicated, each the midpoint
// of the two order statistics around it. An edge below which only -Inf lies
// is -MaxFloat64 and an edge next to +Inf is the finite value below it, so
// edges are always finite.
func binEdges(vals []float64, maxBins int) []float64 {
	e, _ := binEdgesValues(vals, maxBins)
	return e
}

// Midpoint returns the threshold between consecutive values a < b: their
// midpoint, a when b is +Inf or the two are adjacent floats, and
// -MaxFloat64 when a is -Inf, so thresholds stay finite.
func Midpoint(a, b float64) float64 {
	switch {
	case math.IsInf(b, 1):
		return a
	case math.IsInf(a, -1):
		return -math.MaxFloat64
	}
	m := a + (b-a)/2
	if m >= b {
		m = a
	}
	return m
}

// binEdgesValues is binEdges that also returns the distinct values when
// there are at most maxBins of them (nil otherwise).
func binEdgesValues(vals []float64, maxBins int) ([]float64, []float64) {
	slices.Sort(vals)
	distinct := vals[:0:0]
	for i, v := range vals {
		if i == 0 || v != vals[i-1] {
			distinct = append(distinct, v)
			if len(distinct) > maxBins {
				break
			}
		}
	}
	mid := Midpoint
	var edges []float64
	if len(distinct) <= maxBins {
		for i := 1; i < len(distinct); i++ {
			edges = append(edges, mid(distinct[i-1], distinct[i]))
		}
		return edges, distinct
	}
	n := len(vals)
	for k := 1; k < maxBins; k++ {
		i := k * n / maxBins
		if i == 0 || i >= n {
			continue
		}
		lo, hi := vals[i-1], vals[i]
		if lo == hi {
			// Cut above the run of equal values holding position i.
			j := sort.SearchFloat64s(vals, math.Nextafter(hi, math.Inf(1)))
			if j >= n {
				continue
			}
			lo, hi = vals[j-1], vals[j]
		}
		e := mid(lo, hi)
		if len(edges) == 0 || e > edges[len(edges)-1] {
			edges = append(edges, e)
		}
	}
	return edges, nil
}

// binIndex returns the bin of v for edges: missingBin for NaN, else the
// number of edges below v.
func binIndex(edges []float64, v float64) uint8 {
	if v != v {
		return missingBin
	}
	lo, hi := 0, len(edges)
	for lo < hi {
		m := int(uint(lo+hi) >> 1)
		if edges[m] < v {
			lo = m + 1
		} else {
			hi = m
		}
	}
	return uint8(lo)
}

// binColumn writes binIndex(edges, col[i]) into dst[i], four values at a
// time with the branch-free search of rank4.
func binColumn(edges []float64, col []float64, dst []uint8) {
	if len(edges) == 0 {
		for i, v := range col {
			dst[i] = 0
			if v != v {
				dst[i] = missingBin
			}
		}
		return
	}
	keys := make([]uint64, len(edges))
	for i, e := range edges {
		keys[i] = floatKey(e)
	}
	i := 0
	for ; i+4 <= len(col); i += 4 {
		dst[i], dst[i+1], dst[i+2], dst[i+3] = rank4(keys, col[i], col[i+1], col[i+2], col[i+3])
	}
	for ; i < len(col); i++ {
		dst[i] = binIndex(edges, col[i])
	}
}

// binMatrix computes bin edges on a sample of at most maxBinSample rows of X
// (drawn with seed) and maps every cell, in parallel over columns.
func binMatrix(ctx context.Context, X *Matrix, maxBins int, seed uint64, jobs int) (*binned, error) {
	b := &binned{Rows: X.Rows, Cols: X.Cols, Bins: make([]uint8, X.Rows*X.Cols), Upper: make([][]float64, X.Cols), Values: make([][]float64, X.Cols)}
	var sample []int
	if X.Rows > maxBinSample {
		r := rand.New(rand.NewPCG(seed, 0x62696e73))
		sample = r.Perm(X.Rows)[:maxBinSample]
		slices.Sort(sample)
	}
	err := parallelFor(ctx, X.Cols, jobs, func(j int) {
		col := X.Col(j)
		var vals []float64
		if sample == nil {
			vals = make([]float64, 0, len(col))
			for _, v := range col {
				if v == v {
					vals = append(vals, v)
				}
			}
		} else {
			vals = make([]float64, 0, len(sample))
			for _, i := range sample {
				if v := col[i]; v == v {
					vals = append(vals, v)
				}
			}
		}
		edges, values := binEdgesValues(vals, maxBins)
		if sample != nil && values != nil {
			// The sample may miss values: exact bins only if every row's value is among them.
			for _, v := range col {
				if k, ok := slices.BinarySearch(values, v); v == v && (!ok || values[k] != v) {
					values = nil
					break
				}
			}
		}
		b.Upper[j], b.Values[j] = edges, values
		binColumn(edges, col, b.col(j))
	})
	if err != nil {
		return nil, err
	}
	return b, nil
}

// apply maps X with b's edges (for a validation set).
func (b *binned) apply(X *Matrix) *binned {
	out := &binned{Rows: X.Rows, Cols: X.Cols, Bins: make([]uint8, X.Rows*X.Cols), Upper: b.Upper, Values: b.Values}
	for j := 0; j < X.Cols; j++ {
		binColumn(b.Upper[j], X.Col(j), out.col(j))
	}
	return out
}
