package metrics

import (
	"cmp"
	"context"
	"fmt"
	"math"
	"slices"
	"strconv"

	"github.com/mlwb/mlwb/engine/frame"
	"github.com/mlwb/mlwb/engine/stats"
)

// SliceOptions configure Slices. The zero value means 5 quantile bins,
// at most 20 categories per feature and slices of at least 10 rows.
type SliceOptions struct {
	// Bins is the number of quantile bins of a numeric or datetime feature
	// (default 5: quintiles).
	Bins int
	// MaxLevels bounds the categories of a feature: the most frequent are
	// kept and the rest pooled into "(other)" (default 20). Integer features
	// with at most MaxLevels distinct values are treated as categories.
	MaxLevels int
	// MinCount drops smaller slices (default 10; negative keeps all).
	MinCount int
}

func (o SliceOptions) withDefaults() SliceOptions {
	if o.Bins <= 0 {
		o.Bins = 5
	}
	if o.MaxLevels <= 0 {
		o.MaxLevels = 20
	}
	if o.MinCount == 0 {
		o.MinCount = 10
	}
	return o
}

// Slice is the metric on the rows where Feature takes Value (a category, or
// a quantile bin "[lo, hi)", the last bin closed).
type Slice struct {
	Feature string  `json:"feature"`
	Value   string  `json:"value"`
	Count   int     `json:"count"`
	Metric  float64 `json:"metric"`
	// Delta is Metric minus the metric on all rows.
	Delta float64 `json:"delta"`
}

// Slices computes the metric named metric (one of r.Names) on every
// category value and quantile bin of each feature of f, whose rows must be
// the report's rows in the same order, and returns the slices worst first
// (lowest for a higher-is-better metric, highest for a loss; undefined
// values last). Each slice costs O(n) — no re-sorting — through the same
// weights the bootstrap uses. Missing feature values form a slice "NA".
func (r *Report) Slices(ctx context.Context, f *frame.Frame, features []string, metric string, opt SliceOptions) ([]Slice, error) {
	opt = opt.withDefaults()
	mi := slices.Index(r.Names, metric)
	if mi < 0 {
		return nil, fmt.Errorf("%w: metric %q is not one of %v", ErrInput, metric, r.Names)
	}
	if f.NumRows() != r.N {
		return nil, fmt.Errorf("%w: the frame has %d rows, the predictions %d", ErrLength, f.NumRows(), r.N)
	}
	overall := r.Values[metric]
	var out []Slice
	wrow := make([]float64, r.N)
	wpos := make([]float64, r.N)
	for _, name := range features {
		col, err := f.Column(name)
		if err != nil {
			return nil, err
		}
		codes, levels, err := SliceGroups(col, opt.Bins, opt.MaxLevels)
		if err != nil {
			return nil, err
		}
		counts := make([]int, len(levels)+1)
		for _, c := range codes {
			counts[slot(c, len(levels))]++
		}
		for g, cnt := range counts {
			if cnt == 0 || (opt.MinCount > 0 && cnt < opt.MinCount) {
				continue
			}
			if err := ctx.Err(); err != nil {
				return nil, err
			}
			for i, c := range codes {
				wrow[i] = 0
				if slot(c, len(levels)) == g {
					wrow[i] = 1
				}
			}
			w := wrow
			if r.ev.order != nil {
				for k, row := range r.ev.order {
					wpos[k] = wrow[row]
				}
				w = wpos
			}
			vals, _ := r.ev.eval(w, false)
			value := "NA"
			if g < len(levels) {
				value = levels[g]
			}
			out = append(out, Slice{Feature: name, Value: value, Count: cnt, Metric: vals[mi], Delta: vals[mi] - overall})
		}
	}
	hib := HigherIsBetter(metric)
	slices.SortStableFunc(out, func(a, b Slice) int {
		an, bn := math.IsNaN(a.Metric), math.IsNaN(b.Metric)
		switch {
		case an && bn:
			return cmp.Compare(b.Count, a.Count)
		case an:
			return 1
		case bn:
			return -1
		}
		c := cmp.Compare(a.Metric, b.Metric)
		if !hib {
			c = -c
		}
		if c == 0 {
			c = cmp.Compare(b.Count, a.Count)
		}
		return c
	})
	return out, nil
}

// slot maps a group code to its counter: −1 (missing) is the last.
func slot(c int32, k int) int {
	if c < 0 {
		return k
	}
	return int(c)
}

// SliceGroups splits a column into groups: categorical, string and bool
// values by value (the maxLevels most frequent, the rest pooled as
// "(other)"); integer columns with at most maxLevels distinct values by
// value; other numeric and datetime columns into at most bins quantile bins
// (edges at the quantiles i/bins, numpy's linear method, repeated edges
// merged). It returns each row's group index (−1 for missing) and the group
// names.
func SliceGroups(c frame.Column, bins, maxLevels int) ([]int32, []string, error) {
	n := c.Len()
	switch col := c.(type) {
	case *frame.CategoricalCol, *frame.StringCol, *frame.BoolCol:
		names := make([]string, n)
		for i := range n {
			if !c.IsNA(i) {
				names[i] = c.Format(i)
			}
		}
		return byValue(c, names, maxLevels)
	case *frame.Int64Col:
		distinct := map[int64]struct{}{}
		for i, v := range col.Data {
			if !c.IsNA(i) {
				distinct[v] = struct{}{}
				if len(distinct) > maxLevels {
					break
				}
			}
		}
		if len(distinct) <= maxLevels {
			names := make([]string, n)
			for i := range n {
				if !c.IsNA(i) {
					names[i] = c.Format(i)
				}
			}
			codes, levels, err := byValue(c, names, maxLevels)
			if err != nil {
				return nil, nil, err
			}
			// order the levels numerically
			return renumber(codes, levels, func(a, b string) int {
				x, _ := strconv.ParseInt(a, 10, 64)
				y, _ := strconv.ParseInt(b, 10, 64)
				return cmp.Compare(x, y)
			}), levels, nil
		}
	}
	x, err := frame.Floats(c)
	if err != nil {
		return nil, nil, fmt.Errorf("metrics: cannot slice column %q of type %s", c.Name(), c.Type())
	}
	sorted, _ := stats.SortNonNaN(x)
	codes := make([]int32, n)
	if len(sorted) == 0 {
		for i := range codes {
			codes[i] = -1
		}
		return codes, nil, nil
	}
	var edges []float64
	for i := 0; i <= bins; i++ {
		e := stats.Quantile(float64(i)/float64(bins), sorted)
		if len(edges) == 0 || e > edges[len(edges)-1] {
			edges = append(edges, e)
		}
	}
	format := frame.FormatFloat
	if _, ok := c.(*frame.DatetimeCol); ok {
		format = func(v float64) string { return frame.FormatTime(int64(v)) }
	}
	var levels []string
	if len(edges) == 1 {
		levels = []string{format(edges[0])}
	} else {
		for i := 0; i+1 < len(edges); i++ {
			close := ")"
			if i+2 == len(edges) {
				close = "]"
			}
			levels = append(levels, "["+format(edges[i])+", "+format(edges[i+1])+close)
		}
	}
	inner := edges[1 : len(edges)-1]
	if len(edges) == 1 {
		inner = nil
	}
	for i, v := range x {
		if v != v {
			codes[i] = -1
			continue
		}
		// bins [e_i, e_{i+1}): the number of inner edges ≤ v
		b, _ := slices.BinarySearch(inner, v)
		if b < len(inner) && inner[b] == v {
			b++
		}
		codes[i] = int32(b)
	}
	return codes, levels, nil
}

// byValue groups by the text of each value, keeping the maxLevels most
// frequent (ties by text) and pooling the rest into "(other)"; levels come
// out sorted by text with "(other)" last.
func byValue(c frame.Column, names []string, maxLevels int) ([]int32, []string, error) {
	count := map[string]int{}
	for i, s := range names {
		if !c.IsNA(i) {
			count[s]++
		}
	}
	type kv struct {
		s string
		n int
	}
	all := make([]kv, 0, len(count))
	for s, n := range count {
		all = append(all, kv{s, n})
	}
	slices.SortFunc(all, func(a, b kv) int {
		if a.n != b.n {
			return cmp.Compare(b.n, a.n)
		}
		return cmp.Compare(a.s, b.s)
	})
	other := len(all) > maxLevels
	if other {
		all = all[:maxLevels]
	}
	slices.SortFunc(all, func(a, b kv) int { return cmp.Compare(a.s, b.s) })
	index := make(map[string]int32, len(all))
	levels := make([]string, 0, len(all)+1)
	for i, e := range all {
		index[e.s] = int32(i)
		levels = append(levels, e.s)
	}
	if other {
		levels = append(levels, "(other)")
	}
	codes := make([]int32, len(names))
	for i, s := range names {
		switch {
		case c.IsNA(i):
			codes[i] = -1
		default:
			g, ok := index[s]
			if !ok {
				g = int32(len(all))
			}
			codes[i] = g
		}
	}
	return codes, levels, nil
}

// renumber sorts levels in place by less and rewrites codes to match.
func renumber(codes []int32, levels []string, less func(a, b string) int) []int32 {
	idx := make([]int, len(levels))
	for i := range idx {
		idx[i] = i
	}
	slices.SortFunc(idx, func(a, b int) int { return less(levels[a], levels[b]) })
	newOf := make([]int32, len(levels))
	sorted := make([]string, len(levels))
	for to, from := range idx {
		newOf[from] = int32(to)
		sorted[to] = levels[from]
	}
	copy(levels, sorted)
	for i, c := range codes {
		if c >= 0 {
			codes[i] = newOf[c]
		}
	}
	return codes
}
