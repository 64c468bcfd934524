package frame

import "math/bits"

// Mask is a validity bitmap: bit i set means row i holds a value, clear means it
// is missing. The zero Mask (nil words) means "no row is missing", so columns
// without missing values pay nothing for it.
type Mask struct {
	words []uint64
	n     int // number of rows covered when words != nil
}

// NewMask returns a mask of n rows, all valid.
func NewMask(n int) Mask {
	m := Mask{words: make([]uint64, (n+63)/64), n: n}
	for i := range m.words {
		m.words[i] = ^uint64(0)
	}
	if r := n % 64; r != 0 {
		m.words[len(m.words)-1] = (1 << uint(r)) - 1
	}
	return m
}

// MaskFromMissing builds a mask from a missing flag per row. It returns the
// zero Mask when nothing is missing.
func MaskFromMissing(missing []bool) Mask {
	any := false
	for _, b := range missing {
		if b {
			any = true
			break
		}
	}
	if !any {
		return Mask{}
	}
	m := NewMask(len(missing))
	for i, b := range missing {
		if b {
			m.SetNA(i)
		}
	}
	return m
}

// HasNA reports whether the mask may contain missing rows (false for the zero Mask).
func (m Mask) HasNA() bool { return m.words != nil }

// Valid reports whether row i holds a value.
func (m Mask) Valid(i int) bool {
	if m.words == nil {
		return true
	}
	return m.words[i>>6]&(1<<uint(i&63)) != 0
}

// IsNA reports whether row i is missing.
func (m Mask) IsNA(i int) bool { return !m.Valid(i) }

// SetNA marks row i missing. The mask must have been made by NewMask.
func (m *Mask) SetNA(i int) { m.words[i>>6] &^= 1 << uint(i&63) }

// SetValid marks row i as holding a value. The mask must have been made by NewMask.
func (m *Mask) SetValid(i int) { m.words[i>>6] |= 1 << uint(i&63) }

// CountNA returns the number of missing rows among the first n.
func (m Mask) CountNA(n int) int {
	if m.words == nil {
		return 0
	}
	valid := 0
	for _, w := range m.words {
		valid += bits.OnesCount64(w)
	}
	return n - valid
}

// Take returns the mask of rows idx, in that order.
func (m Mask) Take(idx []int) Mask {
	if m.words == nil {
		return Mask{}
	}
	out := NewMask(len(idx))
	na := false
	for j, i := range idx {
		if !m.Valid(i) {
			out.SetNA(j)
			na = true
		}
	}
	if !na {
		return Mask{}
	}
	return out
}

// Slice returns the mask of rows lo..hi-1.
func (m Mask) Slice(lo, hi int) Mask {
	if m.words == nil {
		return Mask{}
	}
	if lo%64 == 0 {
		w := m.words[lo/64 : (hi+63)/64]
		out := Mask{words: append([]uint64(nil), w...), n: hi - lo}
		if r := (hi - lo) % 64; r != 0 {
			out.words[len(out.words)-1] &= (1 << uint(r)) - 1
		}
		return out
	}
	idx := make([]int, hi-lo)
	for i := range idx {
		idx[i] = lo + i
	}
	return m.Take(idx)
}
