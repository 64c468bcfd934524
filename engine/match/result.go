package match

import (
	"fmt"
	"math"
	"strings"

	"github.com/mlwb/mlwb/engine/frame"
)

// ReviewQueue returns the indices into Pairs of the pairs awaiting a decision
// (Status Review), by descending score.
func (r *Result) ReviewQueue() []int {
	var out []int
	for i, p := range r.Pairs {
		if p.Status == Review {
			out = append(out, i)
		}
	}
	return out
}

// Counts returns how many pairs have each status, indexed by Status.
func (r *Result) Counts() [4]int {
	var c [4]int
	for _, p := range r.Pairs {
		if int(p.Status) < len(c) {
			c[p.Status]++
		}
	}
	return c
}

// SetStatus records a decision on pair i: Accepted or Rejected, or Review to
// undo one. Auto cannot be set by hand.
func (r *Result) SetStatus(i int, s Status) error {
	if i < 0 || i >= len(r.Pairs) {
		return fmt.Errorf("match: pair %d out of range [0, %d)", i, len(r.Pairs))
	}
	if s != Accepted && s != Rejected && s != Review {
		return fmt.Errorf("match: cannot set status %s by hand", s)
	}
	r.Pairs[i].Status = s
	return nil
}

// Decision is a person's verdict on one pair, to be saved and re-applied to a
// later run over the same tables.
type Decision struct {
	Left   int    `json:"left"`
	Right  int    `json:"right"`
	Status Status `json:"-"`
	// StatusName is Status.String(), for JSON.
	StatusName string `json:"status"`
}

// Decisions returns the Accepted and Rejected pairs.
func (r *Result) Decisions() []Decision {
	var out []Decision
	for _, p := range r.Pairs {
		if p.Status == Accepted || p.Status == Rejected {
			out = append(out, Decision{p.Left, p.Right, p.Status, p.Status.String()})
		}
	}
	return out
}

// Apply sets the status of every pair named in ds (by Left and Right; the
// Status field, or StatusName when Status is Auto) and returns how many pairs
// it found.
func (r *Result) Apply(ds []Decision) (int, error) {
	idx := make(map[[2]int]int, len(r.Pairs))
	for i, p := range r.Pairs {
		idx[[2]int{p.Left, p.Right}] = i
	}
	n := 0
	for _, d := range ds {
		s := d.Status
		if s == Auto && d.StatusName != "" {
			var err error
			if s, err = ParseStatus(d.StatusName); err != nil {
				return n, err
			}
		}
		i, ok := idx[[2]int{d.Left, d.Right}]
		if !ok {
			continue
		}
		if err := r.SetStatus(i, s); err != nil {
			return n, err
		}
		n++
	}
	return n, nil
}

// Matches returns the pairs whose status is Auto or Accepted.
func (r *Result) Matches() []Pair {
	var out []Pair
	for _, p := range r.Pairs {
		if p.Status.Matched() {
			out = append(out, p)
		}
	}
	return out
}

// Clusters joins the matches transitively (union–find with path halving and
// union by size) and returns a cluster label per record: for Dedupe one per
// row of the table; for Link the LeftRows left records followed by the
// RightRows right records. A label is the smallest record index in its
// cluster, so singletons are labelled with themselves.
func (r *Result) Clusters() []int {
	n := r.LeftRows
	off := 0
	if !r.Dedupe {
		n += r.RightRows
		off = r.LeftRows
	}
	parent := make([]int, n)
	size := make([]int, n)
	for i := range parent {
		parent[i], size[i] = i, 1
	}
	find := func(x int) int {
		for parent[x] != x {
			parent[x] = parent[parent[x]]
			x = parent[x]
		}
		return x
	}
	for _, p := range r.Pairs {
		if !p.Status.Matched() {
			continue
		}
		x, y := find(p.Left), find(p.Right+off)
		if x == y {
			continue
		}
		if size[x] < size[y] {
			x, y = y, x
		}
		parent[y] = x
		size[x] += size[y]
	}
	smallest := make([]int, n)
	for i := range smallest {
		smallest[i] = -1
	}
	out := make([]int, n)
	for i := range out {
		root := find(i)
		if smallest[root] < 0 {
			smallest[root] = i
		}
		out[i] = smallest[root]
	}
	return out
}

// Frame returns the match table: one row per pair with columns left and
// right (row indices), score, status, then per field "score_<name>" (NaN
// where a value is missing) and the compared values "left_<column>" and
// "right_<column>" as text. a and b must be the tables matched (a twice for
// Dedupe).
func (r *Result) Frame(a, b *frame.Frame) (*frame.Frame, error) {
	if a.NumRows() != r.LeftRows || b.NumRows() != r.RightRows {
		return nil, fmt.Errorf("match: tables of %d and %d rows given for a result over %d and %d", a.NumRows(), b.NumRows(), r.LeftRows, r.RightRows)
	}
	n := len(r.Pairs)
	li, ri := make([]int64, n), make([]int64, n)
	sc := make([]float64, n)
	st := make([]int32, n)
	for i, p := range r.Pairs {
		li[i], ri[i], sc[i], st[i] = int64(p.Left), int64(p.Right), p.Score, int32(p.Status)
	}
	cols := []frame.Column{
		frame.NewInt64("left", li, frame.Mask{}),
		frame.NewInt64("right", ri, frame.Mask{}),
		frame.NewFloat64("score", sc, frame.Mask{}),
		frame.NewCategorical("status", st, statusNames[:]),
	}
	used := map[string]bool{"left": true, "right": true, "score": true, "status": true}
	unique := func(name string) string {
		base := name
		for k := 2; used[name]; k++ {
			name = fmt.Sprintf("%s_%d", base, k)
		}
		used[name] = true
		return name
	}
	for k, f := range r.Fields {
		fs := make([]float64, n)
		for i, p := range r.Pairs {
			fs[i] = p.FieldScores[k]
		}
		name := "score_" + f.Name()
		if used[name] {
			name += "_" + f.Sim.String()
		}
		cols = append(cols, frame.NewFloat64(unique(name), fs, frame.Mask{}))
	}
	seen := map[string]bool{}
	for _, f := range r.Fields {
		if seen[f.Left+"\x00"+f.Right] {
			continue
		}
		seen[f.Left+"\x00"+f.Right] = true
		for side, t := range []*frame.Frame{a, b} {
			name := f.Left
			if side == 1 {
				name = f.Right
			}
			c, err := t.Column(name)
			if err != nil {
				return nil, err
			}
			vals := make([]string, n)
			missing := make([]bool, n)
			for i, p := range r.Pairs {
				row := p.Left
				if side == 1 {
					row = p.Right
				}
				vals[i] = c.Format(row)
				missing[i] = c.IsNA(row)
			}
			prefix := "left_"
			if side == 1 {
				prefix = "right_"
			}
			cols = append(cols, frame.NewString(unique(prefix+name), vals, frame.MaskFromMissing(missing)))
		}
	}
	return frame.New(cols...)
}

// Merge returns the merged dataset.
//
// Link: every row of a, in order, followed by the columns of its best match
// in b (Auto or Accepted, highest score; missing when it has none; b's
// columns whose names clash with a's get the suffix "_right"), then
// match_row (the b row, missing when unmatched) and match_score.
//
// Dedupe: every row of a with two more columns, cluster (the Clusters label)
// and cluster_size. Nothing is dropped: keep one row per cluster with a
// filter if wanted.
func (r *Result) Merge(a, b *frame.Frame) (*frame.Frame, error) {
	if a.NumRows() != r.LeftRows || b.NumRows() != r.RightRows {
		return nil, fmt.Errorf("match: tables of %d and %d rows given for a result over %d and %d", a.NumRows(), b.NumRows(), r.LeftRows, r.RightRows)
	}
	cols := append([]frame.Column(nil), a.Columns()...)
	used := map[string]bool{}
	for _, n := range a.Names() {
		used[n] = true
	}
	unique := func(name string) string {
		base := name
		for k := 2; used[name]; k++ {
			name = fmt.Sprintf("%s_%d", base, k)
		}
		used[name] = true
		return name
	}
	if r.Dedupe {
		lab := r.Clusters()
		size := map[int]int64{}
		for _, l := range lab {
			size[l]++
		}
		cl, cs := make([]int64, len(lab)), make([]int64, len(lab))
		for i, l := range lab {
			cl[i], cs[i] = int64(l), size[l]
		}
		cols = append(cols, frame.NewInt64(unique("cluster"), cl, frame.Mask{}), frame.NewInt64(unique("cluster_size"), cs, frame.Mask{}))
		return frame.New(cols...)
	}
	best := make([]int, r.LeftRows)
	bestScore := make([]float64, r.LeftRows)
	for i := range best {
		best[i], bestScore[i] = -1, math.NaN()
	}
	for _, p := range r.Pairs { // descending score: the first seen is the best
		if p.Status.Matched() && best[p.Left] < 0 {
			best[p.Left], bestScore[p.Left] = p.Right, p.Score
		}
	}
	for _, c := range b.Columns() {
		name := c.Name()
		if used[name] {
			name = strings.TrimSuffix(name, "_right") + "_right"
		}
		cols = append(cols, takeOrNA(c, best).WithName(unique(name)))
	}
	rowIdx := make([]int64, len(best))
	missing := make([]bool, len(best))
	for i, j := range best {
		rowIdx[i], missing[i] = int64(j), j < 0
	}
	cols = append(cols,
		frame.NewInt64(unique("match_row"), rowIdx, frame.MaskFromMissing(missing)),
		frame.NewFloat64(unique("match_score"), bestScore, frame.Mask{}))
	return frame.New(cols...)
}

// takeOrNA returns the rows idx of c, missing where idx is negative.
func takeOrNA(c frame.Column, idx []int) frame.Column {
	safe := make([]int, len(idx))
	missing := make([]bool, len(idx))
	for i, j := range idx {
		if j < 0 {
			missing[i] = true
		} else {
			safe[i] = j
			missing[i] = c.IsNA(j)
		}
	}
	t := c.Take(safe)
	mask := frame.MaskFromMissing(missing)
	switch t := t.(type) {
	case *frame.Float64Col:
		return frame.NewFloat64(t.Name(), t.Data, mask)
	case *frame.Int64Col:
		return frame.NewInt64(t.Name(), t.Data, mask)
	case *frame.BoolCol:
		return frame.NewBool(t.Name(), t.Data, mask)
	case *frame.DatetimeCol:
		return frame.NewDatetime(t.Name(), t.Data, mask)
	case *frame.StringCol:
		return frame.NewString(t.Name(), t.Data, mask)
	case *frame.CategoricalCol:
		codes := t.Codes
		for i, m := range missing {
			if m {
				codes[i] = -1
			}
		}
		return frame.NewCategorical(t.Name(), codes, t.Levels)
	}
	return t
}
