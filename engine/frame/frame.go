package frame

import (
	"context"
	"errors"
	"fmt"
	"math"
	"slices"
	"strings"
)

// ErrColumnNotFound is wrapped by errors for unknown column names.
var ErrColumnNotFound = errors.New("column not found")

// ColumnNotFoundError names a column that a frame does not have.
type ColumnNotFoundError struct {
	Name      string
	Available []string
}

func (e *ColumnNotFoundError) Error() string {
	avail := strings.Join(e.Available, ", ")
	if len(avail) > 200 {
		avail = avail[:200] + "…"
	}
	return fmt.Sprintf("frame: column %q not found (columns: %s)", e.Name, avail)
}

// Unwrap lets errors.Is(err, ErrColumnNotFound) match.
func (e *ColumnNotFoundError) Unwrap() error { return ErrColumnNotFound }

// Frame is an immutable table of equally long, uniquely named columns.
type Frame struct {
	cols  []Column
	index map[string]int
	rows  int
}

// New returns a frame of the given columns. All must have the same length and
// distinct names.
func New(cols ...Column) (*Frame, error) {
	f := &Frame{cols: cols, index: make(map[string]int, len(cols))}
	for i, c := range cols {
		if i == 0 {
			f.rows = c.Len()
		} else if c.Len() != f.rows {
			return nil, fmt.Errorf("frame: column %q has %d rows, want %d", c.Name(), c.Len(), f.rows)
		}
		if _, dup := f.index[c.Name()]; dup {
			return nil, fmt.Errorf("frame: duplicate column name %q", c.Name())
		}
		f.index[c.Name()] = i
	}
	return f, nil
}

// MustNew is New for statically known columns; it panics on error.
func MustNew(cols ...Column) *Frame {
	f, err := New(cols...)
	if err != nil {
		panic(err)
	}
	return f
}

// NumRows returns the number of rows.
func (f *Frame) NumRows() int { return f.rows }

// NumCols returns the number of columns.
func (f *Frame) NumCols() int { return len(f.cols) }

// Columns returns the columns in order. The slice must not be modified.
func (f *Frame) Columns() []Column { return f.cols }

// Col returns column i.
func (f *Frame) Col(i int) Column { return f.cols[i] }

// Names returns the column names in order.
func (f *Frame) Names() []string {
	out := make([]string, len(f.cols))
	for i, c := range f.cols {
		out[i] = c.Name()
	}
	return out
}

// Index returns the position of the named column, or -1.
func (f *Frame) Index(name string) int {
	if i, ok := f.index[name]; ok {
		return i
	}
	return -1
}

// Column returns the named column or a *ColumnNotFoundError.
func (f *Frame) Column(name string) (Column, error) {
	i, ok := f.index[name]
	if !ok {
		return nil, &ColumnNotFoundError{Name: name, Available: f.Names()}
	}
	return f.cols[i], nil
}

// Select returns a frame of the named columns, in the order given.
func (f *Frame) Select(names ...string) (*Frame, error) {
	cols := make([]Column, len(names))
	for i, n := range names {
		c, err := f.Column(n)
		if err != nil {
			return nil, err
		}
		cols[i] = c
	}
	return New(cols...)
}

// Drop returns a frame without the named columns.
func (f *Frame) Drop(names ...string) (*Frame, error) {
	drop := map[string]bool{}
	for _, n := range names {
		if _, err := f.Column(n); err != nil {
			return nil, err
		}
		drop[n] = true
	}
	var cols []Column
	for _, c := range f.cols {
		if !drop[c.Name()] {
			cols = append(cols, c)
		}
	}
	g, err := New(cols...)
	if err == nil && len(cols) == 0 {
		g.rows = f.rows
	}
	return g, err
}

// With returns a frame with c added, or replacing the column of the same name.
func (f *Frame) With(c Column) (*Frame, error) {
	cols := slices.Clone(f.cols)
	if i, ok := f.index[c.Name()]; ok {
		cols[i] = c
	} else {
		cols = append(cols, c)
	}
	return New(cols...)
}

// Take returns the rows idx, in that order.
func (f *Frame) Take(idx []int) *Frame {
	cols := make([]Column, len(f.cols))
	for i, c := range f.cols {
		cols[i] = c.Take(idx)
	}
	return &Frame{cols: cols, index: f.index, rows: len(idx)}
}

// Slice returns rows lo..hi-1 (clamped to the frame), sharing column data.
func (f *Frame) Slice(lo, hi int) *Frame {
	lo = max(0, min(lo, f.rows))
	hi = max(lo, min(hi, f.rows))
	cols := make([]Column, len(f.cols))
	for i, c := range f.cols {
		cols[i] = c.Slice(lo, hi)
	}
	return &Frame{cols: cols, index: f.index, rows: hi - lo}
}

// Head returns the first n rows.
func (f *Frame) Head(n int) *Frame { return f.Slice(0, n) }

// SortKey orders rows by one column.
type SortKey struct {
	Column     string
	Descending bool
}

// SortIndex returns the row order that sorts the frame by keys, stably.
// Missing values sort last in both directions; NaN never occurs as a value
// (it is missing). Categorical and string columns sort by their text, byte by
// byte. The sort is a stable LSD radix sort over order-preserving integer
// keys, one pass per sort key from the last to the first, so it takes linear
// time; ctx is checked between passes and returns ctx.Err() when cancelled.
func (f *Frame) SortIndex(ctx context.Context, keys ...SortKey) ([]int, error) {
	cols := make([]Column, len(keys))
	for k, key := range keys {
		c, err := f.Column(key.Column)
		if err != nil {
			return nil, err
		}
		cols[k] = c
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if f.rows > math.MaxInt32 {
		return nil, fmt.Errorf("frame: cannot sort %d rows (at most %d)", f.rows, math.MaxInt32)
	}
	order := make([]int32, f.rows)
	for i := range order {
		order[i] = int32(i)
	}
	for k := len(keys) - 1; k >= 0; k-- {
		var err error
		order, err = radixPass(ctx, order, sortKeys(cols[k], keys[k].Descending), cols[k].Mask())
		if err != nil {
			return nil, err
		}
	}
	out := make([]int, len(order))
	for j, i := range order {
		out[j] = int(i)
	}
	return out, nil
}

// Sort returns the frame sorted by keys (see SortIndex).
func (f *Frame) Sort(ctx context.Context, keys ...SortKey) (*Frame, error) {
	idx, err := f.SortIndex(ctx, keys...)
	if err != nil {
		return nil, err
	}
	return f.Take(idx), nil
}

// LevelRanks returns, for each level index, its rank in sorted text order.
func LevelRanks(levels []string) []int32 {
	order := make([]int, len(levels))
	for i := range order {
		order[i] = i
	}
	slices.SortFunc(order, func(a, b int) int { return strings.Compare(levels[a], levels[b]) })
	rank := make([]int32, len(levels))
	for r, i := range order {
		rank[i] = int32(r)
	}
	return rank
}
