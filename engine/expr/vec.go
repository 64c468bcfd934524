package expr

import (
	"math"
	"unsafe"

	"github.com/mlwb/mlwb/engine/frame"
)

// chunk is the number of rows evaluated at a time; ctx is checked between chunks.
const chunk = 1 << 16

// typ is the static type of a compiled expression.
type typ uint8

const (
	tyNull typ = iota // the literal null: adopts the type its context needs
	tyNum
	tyBool
	tyStr
	tyTime
)

var typNames = [...]string{"null", "number", "bool", "string", "datetime"}

func (t typ) String() string { return typNames[t] }

// bvec is a chunk of booleans; na[i] marks row i missing (na nil: none missing).
type bvec struct{ v, na []bool }

// svec is a chunk of strings, either plain (s, na) or dictionary-encoded
// (codes index levels, -1 missing) when levels != nil.
type svec struct {
	s      []string
	na     []bool
	codes  []int32
	levels []string
	cat    bool
}

func (v svec) at(i int) (string, bool) {
	if v.cat {
		if k := v.codes[i]; k >= 0 {
			return v.levels[k], true
		}
		return "", false
	}
	if v.na != nil && v.na[i] {
		return "", false
	}
	return v.s[i], true
}

// tvec is a chunk of datetimes as Unix nanoseconds.
type tvec struct {
	t  []int64
	na []bool
}

// env holds the scratch buffers of one evaluation, so a Program can be
// evaluated by several goroutines at once.
type env struct {
	slots []any
}

type levelCache[T any] struct {
	key *string
	n   int
	val []T
}

// buf returns slot's buffer of n elements of T, reusing it across chunks.
func buf[T any](e *env, slot, n int) []T {
	if s, ok := e.slots[slot].([]T); ok && cap(s) >= n {
		return s[:n]
	}
	s := make([]T, n, max(n, chunk))
	e.slots[slot] = s
	return s
}

// perLevel returns f applied to each level, computed once per evaluation for
// a given levels slice.
func perLevel[T any](e *env, slot int, levels []string, f func(string) T) []T {
	if len(levels) == 0 {
		return nil
	}
	key := unsafe.SliceData(levels)
	if c, ok := e.slots[slot].(*levelCache[T]); ok && c.key == key && c.n == len(levels) {
		return c.val
	}
	out := make([]T, len(levels))
	for i, l := range levels {
		out[i] = f(l)
	}
	e.slots[slot] = &levelCache[T]{key: key, n: len(levels), val: out}
	return out
}

// maskNA returns the missing flags of rows lo..hi-1, or nil when m has none.
func maskNA(m frame.Mask, lo, hi int, out []bool) []bool {
	if !m.HasNA() {
		return nil
	}
	for i := lo; i < hi; i++ {
		out[i-lo] = m.IsNA(i)
	}
	return out
}

// orNA returns the union of two missing-flag slices (nil meaning none).
func orNA(a, b, out []bool) []bool {
	switch {
	case a == nil:
		return b
	case b == nil:
		return a
	}
	for i := range out {
		out[i] = a[i] || b[i]
	}
	return out
}

func fill[T any](s []T, v T) []T {
	for i := range s {
		s[i] = v
	}
	return s
}

func nan() float64 { return math.NaN() }
