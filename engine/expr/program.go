package expr

import (
	"context"
	"fmt"
	"math"
	"slices"
	"strings"

	"github.com/mlwb/mlwb/engine/frame"
)

// Program is an expression bound to a frame, ready to evaluate. It keeps no
// state between calls, so Filter and Eval may run concurrently.
type Program struct {
	src    string
	root   *cnode
	nslots int
	rows   int
}

// Type returns the frame type of the column Eval produces: Float for numbers,
// Bool for conditions, String for text and Datetime for datetime columns.
// The literal null alone is Float.
func (p *Program) Type() frame.Type {
	switch p.root.typ {
	case tyBool:
		return frame.Bool
	case tyStr:
		return frame.String
	case tyTime:
		return frame.Datetime
	}
	return frame.Float
}

// IsCondition reports whether the expression is a condition usable by Filter.
func (p *Program) IsCondition() bool { return p.root.typ == tyBool || p.root.typ == tyNull }

// env returns fresh scratch space: one slot per compiled node buffer plus one
// for Filter.
func (p *Program) env() *env { return &env{slots: make([]any, p.nslots+1)} }

// chunks calls f for each run of at most chunk rows, checking ctx before each.
func (p *Program) chunks(ctx context.Context, f func(lo, hi int)) error {
	for lo := 0; lo < p.rows; lo += chunk {
		if err := ctx.Err(); err != nil {
			return err
		}
		f(lo, min(lo+chunk, p.rows))
	}
	return ctx.Err()
}

// Filter returns, in increasing order, the indexes of the rows for which the
// condition is true. Rows where it is false or missing are left out. It
// returns an error when the expression is not a condition, or ctx's error when
// it is cancelled.
func (p *Program) Filter(ctx context.Context) ([]int, error) {
	if !p.IsCondition() {
		return nil, &Error{Msg: fmt.Sprintf("%q is a %s, not a condition (compare it, as in x > 0)", p.src, p.root.typ)}
	}
	if p.root.typ == tyNull {
		return []int{}, ctx.Err()
	}
	e := p.env()
	out := []int{}
	err := p.chunks(ctx, func(lo, hi int) {
		v := p.root.boo(e, lo, hi)
		if v.na != nil {
			// v.v may be a bool column's own data: write to a scratch buffer.
			t := buf[bool](e, len(e.slots)-1, hi-lo)
			for i, na := range v.na {
				t[i] = v.v[i] && !na
			}
			v.v = t
		}
		// Count first so the output grows once per chunk, then write
		// without branching on the (unpredictable) condition.
		k := 0
		for _, t := range v.v {
			k += b2i(t)
		}
		n := len(out)
		out = slices.Grow(out, k+1)[:n+k+1]
		for i, t := range v.v {
			out[n] = lo + i
			n += b2i(t)
		}
		out = out[:n]
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// Eval evaluates the expression for every row and returns it as a new column
// named by the expression's source text (rename it with WithName): a
// *frame.Float64Col for numbers, *frame.BoolCol for conditions,
// *frame.StringCol for text and *frame.DatetimeCol for a datetime column.
func (p *Program) Eval(ctx context.Context) (frame.Column, error) {
	e := p.env()
	name := strings.TrimSpace(p.src)
	n := p.rows
	switch p.root.typ {
	case tyNull:
		data := make([]float64, n)
		fill(data, math.NaN())
		return frame.NewFloat64(name, data, frame.Mask{}), ctx.Err()
	case tyNum:
		data := make([]float64, n)
		if err := p.chunks(ctx, func(lo, hi int) { copy(data[lo:hi], p.root.num(e, lo, hi)) }); err != nil {
			return nil, err
		}
		return frame.NewFloat64(name, data, frame.Mask{}), nil
	case tyBool:
		data, na := make([]bool, n), make([]bool, n)
		err := p.chunks(ctx, func(lo, hi int) {
			v := p.root.boo(e, lo, hi)
			copy(data[lo:hi], v.v)
			if v.na != nil {
				copy(na[lo:hi], v.na)
			}
		})
		if err != nil {
			return nil, err
		}
		for i := range data {
			data[i] = data[i] && !na[i]
		}
		return frame.NewBool(name, data, frame.MaskFromMissing(na)), nil
	case tyStr:
		data, na := make([]string, n), make([]bool, n)
		err := p.chunks(ctx, func(lo, hi int) {
			v := p.root.str(e, lo, hi)
			for i := range hi - lo {
				s, ok := v.at(i)
				data[lo+i], na[lo+i] = s, !ok
			}
		})
		if err != nil {
			return nil, err
		}
		return frame.NewString(name, data, frame.MaskFromMissing(na)), nil
	case tyTime:
		data, na := make([]int64, n), make([]bool, n)
		err := p.chunks(ctx, func(lo, hi int) {
			v := p.root.tim(e, lo, hi)
			copy(data[lo:hi], v.t)
			if v.na != nil {
				copy(na[lo:hi], v.na)
			}
		})
		if err != nil {
			return nil, err
		}
		return frame.NewDatetime(name, data, frame.MaskFromMissing(na)), nil
	}
	return nil, &Error{Msg: "internal: unknown result type"}
}

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}
