package clean

import (
	"context"
	"fmt"
	"hash/maphash"
	"math"

	"github.com/mlwb/mlwb/engine/expr"
	"github.com/mlwb/mlwb/engine/frame"
)

// keepRows returns f restricted to the rows where keep is true, and the
// effect of dropping the others.
func keepRows(f *frame.Frame, keep []bool) (*frame.Frame, Effect) {
	idx := make([]int, 0, len(keep))
	for i, k := range keep {
		if k {
			idx = append(idx, i)
		}
	}
	if len(idx) == f.NumRows() {
		return f, Effect{}
	}
	return f.Take(idx), Effect{RowsDropped: f.NumRows() - len(idx)}
}

func opDropMissing(ctx context.Context, f *frame.Frame, s Step, p params) (*frame.Frame, Effect, error) {
	how, err := p.oneOf("how", "any", "any", "all")
	if err != nil {
		return nil, Effect{}, err
	}
	cols := s.Columns
	if len(cols) == 0 {
		cols = f.Names()
	}
	n := f.NumRows()
	nmiss := make([]int32, n)
	for _, name := range cols {
		c, _ := f.Column(name)
		m := c.Mask()
		if !m.HasNA() {
			continue
		}
		for i := range n {
			if m.IsNA(i) {
				nmiss[i]++
			}
		}
	}
	keep := make([]bool, n)
	for i, k := range nmiss {
		if how == "any" {
			keep[i] = k == 0
		} else {
			keep[i] = int(k) < len(cols) || len(cols) == 0
		}
	}
	g, eff := keepRows(f, keep)
	return g, eff, ctx.Err()
}

func opDropDuplicates(ctx context.Context, f *frame.Frame, s Step, p params) (*frame.Frame, Effect, error) {
	keepWhich, err := p.oneOf("keep", "first", "first", "last")
	if err != nil {
		return nil, Effect{}, err
	}
	cols := f.Columns()
	if len(s.Columns) > 0 {
		g, err := f.Select(s.Columns...)
		if err != nil {
			return nil, Effect{}, err
		}
		cols = g.Columns()
	}
	dup := DuplicateRows(cols, f.NumRows(), keepWhich == "last")
	keep := make([]bool, len(dup))
	for i, d := range dup {
		keep[i] = !d
	}
	g, eff := keepRows(f, keep)
	return g, eff, ctx.Err()
}

// naHash is the hash contribution of a missing value.
const naHash = 0x9e3779b97f4a7c15

// DuplicateRows flags the rows of the columns (each of n rows) that equal an
// earlier row in every column (a later row when last is set), as pandas'
// DataFrame.duplicated(keep="first"|"last"): missing equals missing and
// −0 equals +0. Rows are hashed column by column and equal hashes are
// compared value by value, so a hash collision never drops a row.
func DuplicateRows(cols []frame.Column, n int, last bool) []bool {
	dup := make([]bool, n)
	if n < 2 || len(cols) == 0 {
		return dup
	}
	seed := maphash.MakeSeed()
	h := make([]uint64, n)
	mix := func(i int, v uint64) {
		x := h[i] ^ v
		x *= 0xff51afd7ed558ccd
		x ^= x >> 33
		h[i] = x
	}
	for _, c := range cols {
		m := c.Mask()
		switch c := c.(type) {
		case *frame.Float64Col:
			for i, v := range c.Data {
				u := math.Float64bits(v)
				if v == 0 {
					u = 0
				} else if v != v {
					u = naHash
				}
				mix(i, u)
			}
		case *frame.Int64Col:
			for i, v := range c.Data {
				u := uint64(v)
				if m.IsNA(i) {
					u = naHash
				}
				mix(i, u)
			}
		case *frame.DatetimeCol:
			for i, v := range c.Data {
				u := uint64(v)
				if m.IsNA(i) {
					u = naHash
				}
				mix(i, u)
			}
		case *frame.CategoricalCol:
			lh := make([]uint64, len(c.Levels))
			for k, s := range c.Levels {
				lh[k] = maphash.String(seed, s)
			}
			for i, k := range c.Codes {
				u := uint64(naHash)
				if k >= 0 {
					u = lh[k]
				}
				mix(i, u)
			}
		default:
			for i := range n {
				u := uint64(naHash)
				if !m.IsNA(i) {
					u = maphash.String(seed, c.Format(i))
				}
				mix(i, u)
			}
		}
	}
	head := make(map[uint64]int32, n)
	next := make([]int32, n)
	visit := func(i int) {
		j, ok := head[h[i]]
		if !ok {
			head[h[i]] = int32(i)
			next[i] = -1
			return
		}
		for k := j; k >= 0; k = next[k] {
			if rowsEqual(cols, i, int(k)) {
				dup[i] = true
				return
			}
		}
		next[i] = j
		head[h[i]] = int32(i)
	}
	if last {
		for i := n - 1; i >= 0; i-- {
			visit(i)
		}
	} else {
		for i := range n {
			visit(i)
		}
	}
	return dup
}

func rowsEqual(cols []frame.Column, i, j int) bool {
	for _, c := range cols {
		ni, nj := c.IsNA(i), c.IsNA(j)
		if ni != nj {
			return false
		}
		if ni {
			continue
		}
		switch c := c.(type) {
		case *frame.Float64Col:
			if c.Data[i] != c.Data[j] {
				return false
			}
		case *frame.Int64Col:
			if c.Data[i] != c.Data[j] {
				return false
			}
		case *frame.DatetimeCol:
			if c.Data[i] != c.Data[j] {
				return false
			}
		case *frame.BoolCol:
			if c.Data[i] != c.Data[j] {
				return false
			}
		case *frame.CategoricalCol:
			if c.Codes[i] != c.Codes[j] && c.Levels[c.Codes[i]] != c.Levels[c.Codes[j]] {
				return false
			}
		case *frame.StringCol:
			if c.Data[i] != c.Data[j] {
				return false
			}
		default:
			if c.Format(i) != c.Format(j) {
				return false
			}
		}
	}
	return true
}

func opFilter(ctx context.Context, f *frame.Frame, _ Step, p params) (*frame.Frame, Effect, error) {
	src, err := p.str("expr", "")
	if err != nil {
		return nil, Effect{}, err
	}
	if src == "" {
		return nil, Effect{}, fmt.Errorf("param \"expr\" is required (rows where it is true are kept)")
	}
	e, err := expr.Parse(src)
	if err != nil {
		return nil, Effect{}, err
	}
	for _, c := range e.Columns() {
		if f.Index(c) < 0 {
			return nil, Effect{}, &columnError{c}
		}
	}
	prog, err := e.Bind(f)
	if err != nil {
		return nil, Effect{}, err
	}
	idx, err := prog.Filter(ctx)
	if err != nil {
		return nil, Effect{}, err
	}
	if len(idx) == f.NumRows() {
		return f, Effect{}, nil
	}
	return f.Take(idx), Effect{RowsDropped: f.NumRows() - len(idx)}, nil
}
