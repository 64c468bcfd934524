package merge

import (
	"context"
	"fmt"
	"math"
	"runtime"
	"sync"

	"github.com/mlwb/mlwb/engine/frame"
)

// names holds the result's column names: one per left column, then the
// right columns kept (by index) and their names.
type names struct {
	left      []string
	rightCols []int
	right     []string
}

func outputNames(left, right *frame.Frame, r *resolved, spec Spec) (*names, error) {
	ron := spec.RightOn
	if len(spec.On) > 0 {
		ron = spec.On
	}
	dropRight := map[string]bool{}
	keyName := map[string]bool{}
	for i, c := range r.coalesce {
		if c {
			dropRight[ron[i]] = true
			keyName[ron[i]] = true
		}
	}
	nm := &names{left: left.Names()}
	for j, c := range right.Columns() {
		if !dropRight[c.Name()] {
			nm.rightCols = append(nm.rightCols, j)
			nm.right = append(nm.right, c.Name())
		}
	}
	inLeft := map[string]bool{}
	for _, n := range nm.left {
		inLeft[n] = true
	}
	inRight := map[string]bool{}
	for _, n := range nm.right {
		inRight[n] = true
	}
	for i, n := range nm.left {
		if inRight[n] && !keyName[n] {
			nm.left[i] = n + r.suffixes[0]
		}
	}
	for i, n := range nm.right {
		if inLeft[n] && !keyName[n] {
			nm.right[i] = n + r.suffixes[1]
		}
	}
	seen := map[string]bool{}
	for _, n := range append(append([]string(nil), nm.left...), nm.right...) {
		if seen[n] {
			return nil, fmt.Errorf("merge: the result would have two columns named %q: choose other suffixes", n)
		}
		seen[n] = true
	}
	return nm, nil
}

// assemble gathers the result columns, several at a time.
func assemble(ctx context.Context, left, right *frame.Frame, r *resolved, nm *names, li, ri []int32) (*frame.Frame, error) {
	type job struct {
		pos int
		fn  func() frame.Column
	}
	var jobs []job
	coalesceWith := map[int]frame.Column{} // left column index → right key column
	if r.how == Right || r.how == Outer {
		for i, c := range r.coalesce {
			if c {
				coalesceWith[left.Index(r.leftKeyNames[i])] = r.rightKeys[i]
			}
		}
	}
	for i, c := range left.Columns() {
		name := nm.left[i]
		if rc, ok := coalesceWith[i]; ok {
			jobs = append(jobs, job{len(jobs), func() frame.Column { return coalesce(c, rc, li, ri, name) }})
			continue
		}
		jobs = append(jobs, job{len(jobs), func() frame.Column { return gather(c, li, name) }})
	}
	for k, j := range nm.rightCols {
		c, name := right.Col(j), nm.right[k]
		jobs = append(jobs, job{len(jobs), func() frame.Column { return gather(c, ri, name) }})
	}
	cols := make([]frame.Column, len(jobs))
	work := make(chan job)
	var wg sync.WaitGroup
	for range min(runtime.GOMAXPROCS(0), len(jobs)) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := range work {
				cols[j.pos] = j.fn()
			}
		}()
	}
	for _, j := range jobs {
		if ctx.Err() != nil {
			break
		}
		work <- j
	}
	close(work)
	wg.Wait()
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	return frame.New(cols...)
}

// lazyMask is a validity mask allocated at the first missing row.
type lazyMask struct {
	m frame.Mask
	n int
}

func (l *lazyMask) setNA(i int) {
	if !l.m.HasNA() {
		l.m = frame.NewMask(l.n)
	}
	l.m.SetNA(i)
}

// gather returns the rows idx of c (−1: missing) under name.
func gather(c frame.Column, idx []int32, name string) frame.Column {
	n := len(idx)
	m := c.Mask()
	lm := lazyMask{n: n}
	switch c := c.(type) {
	case *frame.Float64Col:
		out := make([]float64, n)
		for k, i := range idx {
			if i < 0 {
				out[k] = math.NaN()
			} else {
				out[k] = c.Data[i]
			}
		}
		return frame.NewFloat64(name, out, frame.Mask{})
	case *frame.Int64Col:
		return gatherInts(c.Data, m, idx, &lm, func(d []int64, mm frame.Mask) frame.Column { return frame.NewInt64(name, d, mm) })
	case *frame.DatetimeCol:
		return gatherInts(c.Data, m, idx, &lm, func(d []int64, mm frame.Mask) frame.Column { return frame.NewDatetime(name, d, mm) })
	case *frame.BoolCol:
		out := make([]bool, n)
		for k, i := range idx {
			if i < 0 || m.IsNA(int(i)) {
				lm.setNA(k)
			} else {
				out[k] = c.Data[i]
			}
		}
		return frame.NewBool(name, out, lm.m)
	case *frame.CategoricalCol:
		out := make([]int32, n)
		for k, i := range idx {
			if i < 0 {
				out[k] = -1
			} else {
				out[k] = c.Codes[i]
			}
		}
		return frame.NewCategorical(name, out, c.Levels)
	case *frame.StringCol:
		out := make([]string, n)
		for k, i := range idx {
			if i < 0 || m.IsNA(int(i)) {
				lm.setNA(k)
			} else {
				out[k] = c.Data[i]
			}
		}
		return frame.NewString(name, out, lm.m)
	}
	// Unknown column types: by displayed text.
	out := make([]string, n)
	for k, i := range idx {
		if i < 0 || c.IsNA(int(i)) {
			lm.setNA(k)
		} else {
			out[k] = c.Format(int(i))
		}
	}
	return frame.NewString(name, out, lm.m)
}

func gatherInts(data []int64, m frame.Mask, idx []int32, lm *lazyMask, mk func([]int64, frame.Mask) frame.Column) frame.Column {
	out := make([]int64, len(idx))
	hasNA := m.HasNA()
	for k, i := range idx {
		switch {
		case i < 0:
			lm.setNA(k)
		case hasNA && m.IsNA(int(i)):
			lm.setNA(k)
		default:
			out[k] = data[i]
		}
	}
	return mk(out, lm.m)
}

// coalesce returns a key column named name taking the left value where
// the row has a left side and the right value elsewhere. Same types stay;
// int with float give float; text types give a categorical when both are
// categorical, else a string column.
func coalesce(lc, rc frame.Column, li, ri []int32, name string) frame.Column {
	n := len(li)
	lm := lazyMask{n: n}
	src := func(k int) (frame.Column, int, bool) {
		if i := li[k]; i >= 0 {
			return lc, int(i), true
		}
		if j := ri[k]; j >= 0 {
			return rc, int(j), true
		}
		return nil, 0, false
	}
	lt, rt := lc.Type(), rc.Type()
	switch {
	case lt == rt && (lt == frame.Int || lt == frame.Datetime):
		out := make([]int64, n)
		for k := range n {
			c, i, ok := src(k)
			if !ok || c.IsNA(i) {
				lm.setNA(k)
				continue
			}
			if d, ok := c.(*frame.Int64Col); ok {
				out[k] = d.Data[i]
			} else {
				out[k] = c.(*frame.DatetimeCol).Data[i]
			}
		}
		if lt == frame.Int {
			return frame.NewInt64(name, out, lm.m)
		}
		return frame.NewDatetime(name, out, lm.m)
	case lt == frame.Bool && rt == frame.Bool:
		out := make([]bool, n)
		for k := range n {
			c, i, ok := src(k)
			if !ok || c.IsNA(i) {
				lm.setNA(k)
				continue
			}
			out[k] = c.(*frame.BoolCol).Data[i]
		}
		return frame.NewBool(name, out, lm.m)
	case lt.Numeric() && rt.Numeric():
		out := make([]float64, n)
		for k := range n {
			c, i, ok := src(k)
			if !ok {
				out[k] = math.NaN()
				continue
			}
			out[k], _ = frame.FloatAt(c, i)
		}
		return frame.NewFloat64(name, out, frame.Mask{})
	case lt == frame.Categorical && rt == frame.Categorical:
		l, r := lc.(*frame.CategoricalCol), rc.(*frame.CategoricalCol)
		levels := append([]string(nil), l.Levels...)
		index := make(map[string]int32, len(levels))
		for j, s := range levels {
			index[s] = int32(j)
		}
		rmap := make([]int32, len(r.Levels))
		for j, s := range r.Levels {
			code, ok := index[s]
			if !ok {
				code = int32(len(levels))
				index[s] = code
				levels = append(levels, s)
			}
			rmap[j] = code
		}
		codes := make([]int32, n)
		for k := range n {
			codes[k] = -1
			if i := li[k]; i >= 0 {
				codes[k] = l.Codes[i]
			} else if j := ri[k]; j >= 0 && r.Codes[j] >= 0 {
				codes[k] = rmap[r.Codes[j]]
			}
		}
		return frame.NewCategorical(name, codes, levels)
	}
	out := make([]string, n)
	for k := range n {
		c, i, ok := src(k)
		if !ok || c.IsNA(i) {
			lm.setNA(k)
			continue
		}
		out[k] = c.Format(i)
	}
	return frame.NewString(name, out, lm.m)
}
