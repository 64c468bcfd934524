package profile

import (
	"hash/maphash"
	"math"
	"math/bits"

	"github.com/mlwb/mlwb/engine/frame"
)

// duplicateRows returns the number of rows equal, in every column, to an
// earlier row (pandas' DataFrame.duplicated().sum(); missing equals missing,
// −0 equals +0). Rows are hashed column by column into 64-bit hashes,
// bucketed by their top bits, and rows with equal hashes are compared
// value by value, so hash collisions cannot inflate the count.
func duplicateRows(f *frame.Frame) int {
	n := f.NumRows()
	if n < 2 || f.NumCols() == 0 {
		return 0
	}
	h := make([]uint64, n)
	seed := maphash.MakeSeed()
	for _, c := range f.Columns() {
		m := c.Mask()
		switch c := c.(type) {
		case *frame.Float64Col:
			for i, v := range c.Data {
				u := math.Float64bits(v)
				switch {
				case v == 0:
					u = 0 // −0 → +0
				case v != v:
					u = naToken // missing
				}
				h[i] = combine(h[i], u)
			}
		case *frame.Int64Col:
			for i, v := range c.Data {
				h[i] = combine(h[i], naOr(m, i, uint64(v)))
			}
		case *frame.DatetimeCol:
			for i, v := range c.Data {
				h[i] = combine(h[i], naOr(m, i, uint64(v)))
			}
		case *frame.BoolCol:
			for i, v := range c.Data {
				u := uint64(2)
				if v {
					u = 1
				}
				h[i] = combine(h[i], naOr(m, i, u))
			}
		case *frame.CategoricalCol:
			lh := make([]uint64, len(c.Levels))
			for k, s := range c.Levels {
				lh[k] = maphash.String(seed, s)
			}
			for i, k := range c.Codes {
				u := uint64(naToken)
				if k >= 0 {
					u = lh[k]
				}
				h[i] = combine(h[i], u)
			}
		case *frame.StringCol:
			for i, s := range c.Data {
				u := uint64(naToken)
				if m.Valid(i) {
					u = maphash.String(seed, s)
				}
				h[i] = combine(h[i], u)
			}
		default:
			for i := 0; i < n; i++ {
				u := uint64(naToken)
				if m.Valid(i) {
					u = maphash.String(seed, c.Format(i))
				}
				h[i] = combine(h[i], u)
			}
		}
	}

	// Counting sort on the top bits of the (uniform) hashes, then insertion
	// sort inside each small bucket.
	// about 16 rows per bucket keeps the bucket table within L2
	lb := max(bits.Len(uint(n))-4, 1)
	shift := 64 - lb
	nb := 1 << lb
	start := make([]int32, nb+1)
	for _, v := range h {
		start[(v>>shift)+1]++
	}
	for b := 1; b <= nb; b++ {
		start[b] += start[b-1]
	}
	order := make([]int32, n)
	next := append([]int32(nil), start[:nb]...)
	for i, v := range h {
		b := v >> shift
		order[next[b]] = int32(i)
		next[b]++
	}
	cols := f.Columns()
	dups := 0
	for b := 0; b < nb; b++ {
		s := order[start[b]:start[b+1]]
		if len(s) < 2 {
			continue
		}
		for k := 1; k < len(s); k++ { // by hash, then row
			e := s[k]
			j := k
			for j > 0 && (h[s[j-1]] > h[e] || h[s[j-1]] == h[e] && s[j-1] > e) {
				s[j] = s[j-1]
				j--
			}
			s[j] = e
		}
		for a := 0; a < len(s); {
			z := a + 1
			for z < len(s) && h[s[z]] == h[s[a]] {
				z++
			}
			// s[a:z] share a hash: count rows equal to an earlier one.
			for k := a + 1; k < z; k++ {
				for j := a; j < k; j++ {
					if rowsEqual(cols, int(s[j]), int(s[k])) {
						dups++
						break
					}
				}
			}
			a = z
		}
	}
	return dups
}

const naToken = 0x6a09e667f3bcc909 // the code of a missing value

// naOr returns v, or naToken when row i is missing.
func naOr(m frame.Mask, i int, v uint64) uint64 {
	if m.IsNA(i) {
		return naToken
	}
	return v
}

// combine folds a value's 64-bit code into a row hash.
func combine(h, v uint64) uint64 { return bits.RotateLeft64(h^mix64(v), 23) * 0x9e3779b97f4a7c15 }

// mix64 is the splitmix64 finalizer (Steele, Lea and Flood 2014).
func mix64(x uint64) uint64 {
	x ^= x >> 30
	x *= 0xbf58476d1ce4e5b9
	x ^= x >> 27
	x *= 0x94d049bb133111eb
	return x ^ x>>31
}

func rowsEqual(cols []frame.Column, a, b int) bool {
	for _, c := range cols {
		na, nb := c.IsNA(a), c.IsNA(b)
		if na || nb {
			if na != nb {
				return false
			}
			continue
		}
		switch c := c.(type) {
		case *frame.Float64Col:
			if c.Data[a] != c.Data[b] {
				return false
			}
		case *frame.Int64Col:
			if c.Data[a] != c.Data[b] {
				return false
			}
		case *frame.DatetimeCol:
			if c.Data[a] != c.Data[b] {
				return false
			}
		case *frame.BoolCol:
			if c.Data[a] != c.Data[b] {
				return false
			}
		case *frame.CategoricalCol:
			if c.Levels[c.Codes[a]] != c.Levels[c.Codes[b]] {
				return false
			}
		default:
			if c.Format(a) != c.Format(b) {
				return false
			}
		}
	}
	return true
}
