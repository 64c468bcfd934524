package profile

import (
	"cmp"
	"math"
	"slices"
	"time"
	"unicode/utf8"

	"github.com/mlwb/mlwb/engine/frame"
	"github.com/mlwb/mlwb/engine/stats"
)

// colWork is a column's report plus what the later stages (correlations,
// target, alerts) need from it.
type colWork struct {
	col    frame.Column
	report ColumnReport

	// Numeric columns: values with NaN for missing rows, the missing rows
	// (increasing), and twice their average ranks (0 for missing; see
	// stats.SortRanks) when the column enters the correlations.
	floats []float64
	miss   []int32
	rank2  []uint32
	mean   float64 // of the finite values; the shift of the correlation kernel
	finite bool    // no ±Inf among the values
	// Bin codes of a numeric column (by its histogram edges; −1 for missing
	// and non-finite values), for mutual information with a target.
	bins  []int32
	nbins int

	// Categorical, string and bool columns with at most MaxCategoricalLevels
	// distinct values: codes in [0, levels) and −1 for missing.
	codes  []int32
	levels int

	// Alerts found while scanning the column's own values.
	alerts []Alert
}

// profileColumn profiles c; buf is the sort scratch of numeric columns
// (nil for fresh buffers).
func profileColumn(c frame.Column, rows int, keepRanks, wantBins bool, buf *stats.SortBuffers) *colWork {
	w := &colWork{col: c}
	r := &w.report
	r.Name, r.Type = c.Name(), c.Type()
	r.Missing = c.NullCount()
	r.Count = rows - r.Missing
	if rows > 0 {
		r.MissingPct = 100 * float64(r.Missing) / float64(rows)
	}
	switch c := c.(type) {
	case *frame.Float64Col:
		w.numeric(c.Data, keepRanks, wantBins, buf)
	case *frame.Int64Col:
		x := make([]float64, len(c.Data))
		m := c.Mask()
		for i, v := range c.Data {
			if m.IsNA(i) {
				x[i] = math.NaN()
			} else {
				x[i] = float64(v)
			}
		}
		w.numeric(x, keepRanks, wantBins, buf)
	case *frame.BoolCol:
		w.boolean(c)
	case *frame.DatetimeCol:
		w.datetime(c)
	case *frame.CategoricalCol:
		w.categorical(c.Codes, c.Levels)
	case *frame.StringCol:
		w.strings(c)
	}
	return w
}

// numeric profiles x (NaN = missing). x is kept (not copied) for correlations.
//
// Each column is read in row order once (counts, sums, monotonicity, missing
// rows, the first pass of the moments), once more for the central moments,
// and sorted once by stats.SortRanks, which also gives the distinct count
// and the ranks for Spearman's ρ. Quantiles, the MAD, the outlier counts and
// the histogram are then binary searches on the sorted values.
func (w *colWork) numeric(x []float64, keepRanks, wantBins bool, buf *stats.SortBuffers) {
	r := &w.report
	s := &NumericSummary{}
	r.Numeric = s
	w.floats = x

	// One pass in row order: missing rows, and over the non-missing values
	// counts, sums, monotonicity and the finite mean.
	var sum, comp, fsum, msum float64
	var fn, mn int
	inc, dec, sinc, sdec := true, true, true, true
	prev, havePrev := 0.0, false
	for i, v := range x {
		if v != v {
			w.miss = append(w.miss, int32(i))
			continue
		}
		msum += v // ComputeMoments' first pass
		mn++
		// Signs and order are random in most columns: count and compare
		// without branches.
		s.Zeros += b2i(v == 0)
		s.Negatives += b2i(v < 0)
		if math.IsInf(v, 0) {
			s.Infinite++
		} else {
			fsum += v
			fn++
		}
		// Neumaier's compensated summation.
		t := sum + v
		if math.Abs(sum) >= math.Abs(v) {
			comp += (sum - t) + v
		} else {
			comp += (v - t) + sum
		}
		sum = t
		if havePrev {
			lt, gt := v < prev, v > prev
			inc = inc && !lt
			sinc = sinc && gt
			dec = dec && !gt
			sdec = sdec && lt
		}
		prev, havePrev = v, true
	}
	s.Sum = sum + comp
	if math.IsInf(sum, 0) || sum != sum {
		s.Sum = sum
	}
	w.finite = s.Infinite == 0
	w.mean = 0
	if fn > 0 {
		w.mean = fsum / float64(fn)
	}

	mo := stats.ComputeMomentsSum(x, msum, mn)
	s.Mean = mo.Mean
	s.Variance = mo.Variance()
	s.Std = math.Sqrt(s.Variance)
	s.Skewness = mo.Skewness()
	s.Kurtosis = mo.Kurtosis()
	s.CV = s.Std / s.Mean

	if buf == nil {
		buf = new(stats.SortBuffers)
	}
	if keepRanks {
		w.rank2 = make([]uint32, len(x))
	}
	sorted, distinct := stats.SortRanks(x, w.rank2, buf)
	r.Distinct = distinct
	n := len(sorted)
	q := stats.Quantiles(nil, []float64{0, 0.01, 0.05, 0.25, 0.5, 0.75, 0.95, 0.99, 1}, sorted)
	s.Min, s.P1, s.P5, s.P25, s.P50, s.P75, s.P95, s.P99, s.Max = q[0], q[1], q[2], q[3], q[4], q[5], q[6], q[7], q[8]
	s.Range = s.Max - s.Min
	s.IQR = s.P75 - s.P25
	s.MAD = stats.MAD(sorted)
	switch {
	case n < 2 || r.Distinct < 2:
		s.Monotonicity = MonotonicNone
	case sinc:
		s.Monotonicity = StrictlyIncreasing
	case inc:
		s.Monotonicity = Increasing
	case sdec:
		s.Monotonicity = StrictlyDecreasing
	case dec:
		s.Monotonicity = Decreasing
	}

	// The finite values, for the histogram and the outlier counts (±Inf
	// have their own INFINITE count).
	a, b := 0, n
	for a < b && math.IsInf(sorted[a], -1) {
		a++
	}
	for b > a && math.IsInf(sorted[b-1], 1) {
		b--
	}
	fin := sorted[a:b]
	// Outliers by Tukey's fences and by the modified z-score.
	if s.IQR > 0 && !math.IsInf(s.IQR, 0) {
		lo, hi := s.P25-1.5*s.IQR, s.P75+1.5*s.IQR
		s.OutliersIQR = countBelow(fin, lo) + countAbove(fin, hi)
	}
	if s.MAD > 0 && !math.IsInf(s.MAD, 0) {
		med := stats.Median(sorted)
		// |z| grows monotonically towards both ends of the sorted values.
		out := func(v float64) bool { return math.Abs(stats.RobustZ(v, med, s.MAD)) > 3.5 }
		nf := len(fin)
		lo, hi := 0, nf
		for lo < nf && fin[lo] < med && out(fin[lo]) {
			lo++
		}
		for hi > lo && fin[hi-1] > med && out(fin[hi-1]) {
			hi--
		}
		s.OutliersRobustZ = lo + (nf - hi)
	}

	s.Histogram = stats.HistogramFD(fin, stats.DefaultMaxBins)
	s.UniformityP = math.NaN()
	if k := len(s.Histogram.Counts); k > 1 {
		c := make([]float64, k)
		for i, v := range s.Histogram.Counts {
			c[i] = float64(v)
		}
		_, s.UniformityP = stats.ChiSquareUniform(c)
	}
	if wantBins {
		w.binCodes()
	}
}

// binCodes assigns each row of a numeric column to its histogram bin with
// numpy's arithmetic for equal bins (as stats.HistogramFD counts them); −1
// for missing and non-finite values.
func (w *colWork) binCodes() {
	e := w.report.Numeric.Histogram.Edges
	w.nbins = len(e) - 1
	w.bins = make([]int32, len(w.floats))
	if w.nbins < 1 {
		for i := range w.bins {
			w.bins[i] = -1
		}
		return
	}
	k := w.nbins
	first, last := e[0], e[k]
	denom := last - first
	for i, v := range w.floats {
		if !(v >= first && v <= last) {
			w.bins[i] = -1
			continue
		}
		j := int((v - first) / denom * float64(k))
		if j == k {
			j--
		}
		if v < e[j] {
			j--
		} else if j != k-1 && v >= e[j+1] {
			j++
		}
		w.bins[i] = int32(j)
	}
}

// b2i is 1 for true and 0 for false (compiled without a branch).
func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}

// countBelow returns the number of values of sorted strictly below t.
func countBelow(sorted []float64, t float64) int {
	k, _ := slices.BinarySearch(sorted, t)
	return k
}

// countAbove returns the number of values of sorted strictly above t.
func countAbove(sorted []float64, t float64) int {
	k, _ := slices.BinarySearchFunc(sorted, t, func(v, t float64) int {
		if v <= t {
			return -1
		}
		return 1
	})
	return len(sorted) - k
}

// levelStats fills the Text summary from per-level counts and texts.
func (w *colWork) levelStats(levels []string, counts []int) {
	r := &w.report
	t := &TextSummary{UniformityP: math.NaN(), LengthMean: math.NaN()}
	r.Text = t
	var fc []float64
	lmin, lmax := math.MaxInt, 0
	var lsum float64
	order := make([]int, 0, len(levels))
	for i, c := range counts {
		if c == 0 {
			continue
		}
		order = append(order, i)
		fc = append(fc, float64(c))
		l := utf8.RuneCountInString(levels[i])
		lmin, lmax = min(lmin, l), max(lmax, l)
		lsum += float64(l) * float64(c)
	}
	r.Distinct = len(order)
	if r.Distinct > 0 {
		t.LengthMin, t.LengthMax = lmin, lmax
		t.LengthMean = lsum / float64(r.Count)
	}
	t.Entropy = stats.Entropy(fc)
	t.Imbalance = imbalance(t.Entropy, r.Distinct)
	if len(fc) > 1 {
		_, t.UniformityP = stats.ChiSquareUniform(fc)
	}
	t.Top = topValues(order, levels, counts)
	w.alerts = append(w.alerts, textAlerts(r.Name, levels, counts)...)
}

// topValues returns the TopValues most frequent levels, by count then text.
func topValues(order []int, levels []string, counts []int) []ValueCount {
	byCount := func(a, b int) int {
		if c := cmp.Compare(counts[b], counts[a]); c != 0 {
			return c
		}
		return cmp.Compare(levels[a], levels[b])
	}
	var top []int
	if len(order) <= TopValues {
		top = slices.Clone(order)
		slices.SortFunc(top, byCount)
	} else {
		// partial selection: keep a sorted window of the best TopValues
		for _, i := range order {
			if len(top) == TopValues && byCount(i, top[TopValues-1]) >= 0 {
				continue
			}
			k, _ := slices.BinarySearchFunc(top, i, byCount)
			top = slices.Insert(top, k, i)
			if len(top) > TopValues {
				top = top[:TopValues]
			}
		}
	}
	out := make([]ValueCount, len(top))
	for k, i := range top {
		out[k] = ValueCount{levels[i], counts[i]}
	}
	return out
}

// imbalance is ydata-profiling's column_imbalance_score: 1 − H/log₂k.
func imbalance(h float64, k int) float64 {
	if k <= 1 {
		return 0
	}
	return math.Max(0, 1-h/math.Log2(float64(k)))
}

func (w *colWork) categorical(codes []int32, levels []string) {
	counts := make([]int, len(levels))
	for _, c := range codes {
		if c >= 0 {
			counts[c]++
		}
	}
	w.levelStats(levels, counts)
	if w.report.Distinct > MaxCategoricalLevels {
		return
	}
	if len(levels) == w.report.Distinct {
		w.codes, w.levels = codes, len(levels)
		return
	}
	// Unused levels (a sliced or filtered column keeps its dictionary) would
	// blow up the contingency tables: renumber the observed ones.
	remap := make([]int32, len(levels))
	k := int32(0)
	for i, n := range counts {
		remap[i] = -1
		if n > 0 {
			remap[i] = k
			k++
		}
	}
	w.codes = make([]int32, len(codes))
	for i, c := range codes {
		if c >= 0 {
			c = remap[c]
		}
		w.codes[i] = c
	}
	w.levels = int(k)
}

func (w *colWork) strings(c *frame.StringCol) {
	index := make(map[string]int32)
	var levels []string
	var counts []int
	codes := make([]int32, len(c.Data))
	m := c.Mask()
	for i, v := range c.Data {
		if m.IsNA(i) {
			codes[i] = -1
			continue
		}
		k, ok := index[v]
		if !ok {
			k = int32(len(levels))
			index[v] = k
			levels = append(levels, v)
			counts = append(counts, 0)
		}
		counts[k]++
		codes[i] = k
	}
	w.levelStats(levels, counts)
	if w.report.Distinct <= MaxCategoricalLevels {
		w.codes, w.levels = codes, len(levels)
	}
}

func (w *colWork) boolean(c *frame.BoolCol) {
	r := &w.report
	b := &BoolSummary{}
	r.Bool = b
	codes := make([]int32, len(c.Data))
	m := c.Mask()
	for i, v := range c.Data {
		switch {
		case m.IsNA(i):
			codes[i] = -1
		case v:
			b.True++
			codes[i] = 1
		default:
			b.False++
		}
	}
	for _, n := range []int{b.False, b.True} {
		if n > 0 {
			r.Distinct++
		}
	}
	b.Entropy = stats.Entropy([]float64{float64(b.False), float64(b.True)})
	b.Imbalance = imbalance(b.Entropy, r.Distinct)
	w.codes, w.levels = codes, 2
}

func (w *colWork) datetime(c *frame.DatetimeCol) {
	r := &w.report
	d := &DatetimeSummary{}
	r.Datetime = d
	m := c.Mask()
	// Everything reported depends only on the set of distinct values: collect
	// it in a small hash set (dates repeat), and sort all the values only
	// when there are more than maxDatetimeSet distinct ones.
	v, ok := distinctInt64(c.Data, m, maxDatetimeSet)
	if !ok {
		v = make([]int64, 0, r.Count)
		for i, t := range c.Data {
			if m.Valid(i) {
				v = append(v, t)
			}
		}
	}
	if len(v) == 0 {
		return
	}
	slices.Sort(v)
	r.Distinct = 1
	var gap int64
	for k := 1; k < len(v); k++ {
		if v[k] != v[k-1] {
			r.Distinct++
			gap = max(gap, v[k]-v[k-1])
		}
	}
	d.Min, d.Max = time.Unix(0, v[0]).UTC(), time.Unix(0, v[len(v)-1]).UTC()
	d.Range = time.Duration(v[len(v)-1] - v[0])
	d.LargestGap = time.Duration(gap)
}

// maxDatetimeSet is the most distinct values distinctInt64 collects for a
// datetime column before the profiler sorts the whole column instead.
const maxDatetimeSet = 1 << 15

// distinctInt64 returns the distinct valid values of x (in no order) by
// open addressing with linear probing, or ok = false as soon as there are
// more than limit of them.
func distinctInt64(x []int64, m frame.Mask, limit int) (set []int64, ok bool) {
	size := 1024
	keys := make([]int64, size)
	used := make([]bool, size)
	for i, t := range x {
		if m.IsNA(i) {
			continue
		}
		mask := uint64(size - 1)
		h := mix64(uint64(t)) & mask
		for used[h] && keys[h] != t {
			h = (h + 1) & mask
		}
		if used[h] {
			continue
		}
		if len(set) == limit {
			return nil, false
		}
		keys[h], used[h] = t, true
		set = append(set, t)
		if 2*len(set) > size { // keep the load at most ½
			size *= 2
			keys, used = make([]int64, size), make([]bool, size)
			mask = uint64(size - 1)
			for _, u := range set {
				h := mix64(uint64(u)) & mask
				for used[h] {
					h = (h + 1) & mask
				}
				keys[h], used[h] = u, true
			}
		}
	}
	return set, true
}
