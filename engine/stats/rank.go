package stats

import "math"

// Rank sets dst[i] to the rank (1-based) of x[i] among the values of x that
// are not NaN, giving tied values the average of the ranks they span, as
// scipy.stats.rankdata(method="average") and pandas' rank(); NaN values get
// NaN ranks. dst is allocated when nil and returned.
func Rank(dst, x []float64) []float64 {
	if dst == nil {
		dst = make([]float64, len(x))
	}
	if len(dst) != len(x) {
		panic("stats: Rank length mismatch")
	}
	vals := make([]float64, 0, len(x))
	pos := make([]int32, 0, len(x))
	for i, v := range x {
		if v == v {
			vals = append(vals, v)
			pos = append(pos, int32(i))
		} else {
			dst[i] = math.NaN()
		}
	}
	idx := make([]int32, len(vals))
	sorted := Argsort(vals, idx)
	AverageRanks(sorted, func(k int, r float64) { dst[pos[idx[k]]] = r })
	return dst
}

// AverageRanks calls set(k, r) for every position k of the sorted sample x
// with r the average 1-based rank of x[k]: a run of t equal values starting
// at position s (0-based) all get s + (t+1)/2.
func AverageRanks(sorted []float64, set func(k int, r float64)) {
	n := len(sorted)
	for s := 0; s < n; {
		e := s + 1
		for e < n && sorted[e] == sorted[s] {
			e++
		}
		r := float64(s+e+1) / 2
		for k := s; k < e; k++ {
			set(k, r)
		}
		s = e
	}
}

// Pearson returns Pearson's product-moment correlation of x and y over the
// rows where neither is NaN (pairwise deletion, as pandas' DataFrame.corr):
//
//	r = Σ(xᵢ−x̄)(yᵢ−ȳ) / √(Σ(xᵢ−x̄)² · Σ(yᵢ−ȳ)²)
//
// with the means taken over the same rows (two passes). It returns NaN when
// fewer than two rows remain or either variance is zero. It panics if the
// lengths differ.
func Pearson(x, y []float64) float64 {
	if len(x) != len(y) {
		panic("stats: Pearson length mismatch")
	}
	var sx, sy float64
	var n int
	for i, v := range x {
		if w := y[i]; v == v && w == w {
			sx += v
			sy += w
			n++
		}
	}
	if n < 2 {
		return math.NaN()
	}
	mx, my := sx/float64(n), sy/float64(n)
	var sxx, syy, sxy float64
	for i, v := range x {
		if w := y[i]; v == v && w == w {
			dx, dy := v-mx, w-my
			sxx += dx * dx
			syy += dy * dy
			sxy += dx * dy
		}
	}
	den := math.Sqrt(sxx * syy)
	if den == 0 {
		return math.NaN()
	}
	return sxy / den
}

// Spearman returns Spearman's rank correlation ρ of x and y: the Pearson
// correlation of their average ranks, both ranked over the rows where
// neither is NaN, as scipy.stats.spearmanr(nan_policy="omit") and pandas'
// corr(method="spearman"). It panics if the lengths differ.
func Spearman(x, y []float64) float64 {
	if len(x) != len(y) {
		panic("stats: Spearman length mismatch")
	}
	var cx, cy []float64
	for i, v := range x {
		if w := y[i]; v == v && w == w {
			cx = append(cx, v)
			cy = append(cy, w)
		}
	}
	return Pearson(Rank(nil, cx), Rank(nil, cy))
}
