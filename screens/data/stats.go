package data

import (
	"cmp"
	"context"
	"slices"
	"strconv"

	"github.com/mlwb/mlwb/engine/frame"
)

// maxDistinct caps the number of distinct values tracked per column; past it
// the distinct count is a lower bound and the top values are approximate
// (counted among the first maxDistinct distinct values only).
const maxDistinct = 1 << 18

// topN is the number of most frequent values shown.
const topN = 5

// statsChunk is how many rows are scanned between context checks.
const statsChunk = 1 << 16

// valueCount is one of a column's most frequent values.
type valueCount struct {
	Value string
	Count int
}

// colStats summarises one column over all rows of the frame.
type colStats struct {
	Rows     int
	Missing  int
	Distinct int  // distinct non-missing values
	Capped   bool // Distinct is a lower bound; Top is approximate
	HasRange bool // Min and Max are set (numeric and datetime columns)
	Min, Max string
	Top      []valueCount
}

// computeStats scans c once. It checks ctx every statsChunk rows. It reads
// only c, which is never modified after construction, so it may run on any
// goroutine.
func computeStats(ctx context.Context, c frame.Column) (colStats, error) {
	s := colStats{Rows: c.Len(), Missing: c.NullCount()}
	var err error
	switch c := c.(type) {
	case *frame.Int64Col:
		err = orderedStats(ctx, &s, c.Data, c.IsNA, func(v int64) string { return strconv.FormatInt(v, 10) })
	case *frame.Float64Col:
		err = orderedStats(ctx, &s, c.Data, c.IsNA, frame.FormatFloat)
	case *frame.DatetimeCol:
		err = orderedStats(ctx, &s, c.Data, c.IsNA, frame.FormatTime)
	case *frame.BoolCol:
		var n [2]int
		for i, v := range c.Data {
			if !c.IsNA(i) {
				n[b2i(v)]++
			}
		}
		for v, k := range n {
			if k > 0 {
				s.Distinct++
				s.Top = append(s.Top, valueCount{strconv.FormatBool(v == 1), k})
			}
		}
		sortTop(s.Top)
	case *frame.CategoricalCol:
		n := make([]int, len(c.Levels))
		for i, code := range c.Codes {
			if i%statsChunk == 0 && ctx.Err() != nil {
				return s, ctx.Err()
			}
			if code >= 0 {
				n[code]++
			}
		}
		var top []valueCount
		for l, k := range n {
			if k > 0 {
				s.Distinct++
				top = append(top, valueCount{c.Levels[l], k})
			}
		}
		s.Top = firstN(top)
	default:
		counts := map[string]int{}
		for i := range c.Len() {
			if i%statsChunk == 0 && ctx.Err() != nil {
				return s, ctx.Err()
			}
			if c.IsNA(i) {
				continue
			}
			v := c.Format(i)
			if _, ok := counts[v]; ok || len(counts) < maxDistinct {
				counts[v]++
			} else {
				s.Capped = true
			}
		}
		s.Distinct = len(counts)
		s.Top = topOf(counts, func(v string) string { return v })
	}
	return s, err
}

// orderedStats fills min, max, distinct and top values of numeric data.
func orderedStats[T int64 | float64](ctx context.Context, s *colStats, data []T, isNA func(int) bool, format func(T) string) error {
	counts := map[T]int{}
	var lo, hi T
	seen := false
	for i, v := range data {
		if i%statsChunk == 0 && ctx.Err() != nil {
			return ctx.Err()
		}
		if isNA(i) {
			continue
		}
		if !seen || v < lo {
			lo = v
		}
		if !seen || v > hi {
			hi = v
		}
		seen = true
		if _, ok := counts[v]; ok || len(counts) < maxDistinct {
			counts[v]++
		} else {
			s.Capped = true
		}
	}
	if seen {
		s.HasRange, s.Min, s.Max = true, format(lo), format(hi)
	}
	s.Distinct = len(counts)
	s.Top = topOf(counts, format)
	return nil
}

// topOf returns the topN keys of counts by count, ties by key ascending.
func topOf[K cmp.Ordered](counts map[K]int, format func(K) string) []valueCount {
	type kc struct {
		k K
		n int
	}
	better := func(a, b kc) bool { return a.n > b.n || (a.n == b.n && a.k < b.k) }
	var top []kc
	for k, n := range counts {
		c := kc{k, n}
		if len(top) == topN && !better(c, top[topN-1]) {
			continue
		}
		i := len(top)
		for i > 0 && better(c, top[i-1]) {
			i--
		}
		top = slices.Insert(top, i, c)
		if len(top) > topN {
			top = top[:topN]
		}
	}
	out := make([]valueCount, len(top))
	for i, c := range top {
		out[i] = valueCount{format(c.k), c.n}
	}
	return out
}

// firstN sorts by count (ties by value) and keeps topN.
func firstN(v []valueCount) []valueCount {
	sortTop(v)
	if len(v) > topN {
		v = v[:topN]
	}
	return v
}

func sortTop(v []valueCount) {
	slices.SortStableFunc(v, func(a, b valueCount) int {
		if c := cmp.Compare(b.Count, a.Count); c != 0 {
			return c
		}
		return cmp.Compare(a.Value, b.Value)
	})
}

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}

// pct is 100*a/b, 0 when b is 0.
func pct(a, b int) float64 {
	if b == 0 {
		return 0
	}
	return 100 * float64(a) / float64(b)
}
