package profile

import (
	"hash/maphash"
	"math"
	"math/bits"
	"slices"

	"github.com/mlwb/mlwb/engine/frame"
)

// duplicateRows returns the number of rows equal, in every column, to an
// earlier row (pandas' DataFrame.duplicated().sum(); missing equals missing,
// −0 equals +0). Rows are hashed into 64-bit hashes (a block of dupBlock
// rows at a time across all columns, so the hashes stay in cache), bucketed
// by the top bits of the hash and sorted within their bucket, and rows with
// equal hashes are compared value by value, so hash collisions cannot
// inflate the count.
func duplicateRows(f *frame.Frame) int {
	n := f.NumRows()
	if n < 2 || f.NumCols() == 0 {
		return 0
	}
	cols := f.Columns()
	seed := maphash.MakeSeed()
	levelHash := make([][]uint64, len(cols))
	for j, c := range cols {
		if c, ok := c.(*frame.CategoricalCol); ok {
			levelHash[j] = make([]uint64, len(c.Levels))
			for k, s := range c.Levels {
				levelHash[j][k] = maphash.String(seed, s)
			}
		}
	}
	h := make([]uint64, n)
	for lo := 0; lo < n; lo += dupBlock {
		hi := min(lo+dupBlock, n)
		for j, c := range cols {
			hashBlock(h[lo:hi], c, lo, levelHash[j], seed)
		}
	}

	// Counting sort on the top lb bits of the (uniform) hashes, about 16
	// rows per bucket, of keys packing the low 32 bits of the hash above the
	// row (8 bytes a row): within a bucket, equal keys' high halves mean
	// equal hashes on lb + 32 bits, which rowsEqual then checks value by
	// value. The scatter keeps rows increasing within a bucket, so sorting
	// the keys orders them by hash, then row.
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
	order := make([]uint64, n)
	next := append([]int32(nil), start[:nb]...)
	for i, v := range h {
		b := v >> shift
		order[next[b]] = v<<32 | uint64(uint32(i))
		next[b]++
	}
	h = nil
	dups := 0
	for b := 0; b < nb; b++ {
		s := order[start[b]:start[b+1]]
		if len(s) < 2 {
			continue
		}
		if len(s) <= 32 {
			for k := 1; k < len(s); k++ {
				e := s[k]
				j := k
				for j > 0 && s[j-1] > e {
					s[j] = s[j-1]
					j--
				}
				s[j] = e
			}
		} else {
			slices.Sort(s)
		}
		for a := 0; a < len(s); {
			z := a + 1
			for z < len(s) && s[z]>>32 == s[a]>>32 {
				z++
			}
			// s[a:z] share a hash: count rows equal to an earlier one.
			for k := a + 1; k < z; k++ {
				for j := a; j < k; j++ {
					if rowsEqual(cols, int(uint32(s[j])), int(uint32(s[k]))) {
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

// dupBlock is the number of rows hashed across all columns at a time.
const dupBlock = 4096

// hashBlock folds the values of c in rows lo, lo+1, … into the row hashes
// h; lh holds the hashes of a categorical column's levels.
func hashBlock(h []uint64, c frame.Column, lo int, lh []uint64, seed maphash.Seed) {
	hi := lo + len(h)
	m := c.Mask()
	switch c := c.(type) {
	case *frame.Float64Col:
		for k, v := range c.Data[lo:hi] {
			u := math.Float64bits(v)
			switch {
			case v == 0:
				u = 0 // −0 → +0
			case v != v:
				u = naToken // missing
			}
			h[k] = combine(h[k], u)
		}
	case *frame.Int64Col:
		for k, v := range c.Data[lo:hi] {
			h[k] = combine(h[k], naOr(m, lo+k, uint64(v)))
		}
	case *frame.DatetimeCol:
		for k, v := range c.Data[lo:hi] {
			h[k] = combine(h[k], naOr(m, lo+k, uint64(v)))
		}
	case *frame.BoolCol:
		for k, v := range c.Data[lo:hi] {
			u := uint64(2)
			if v {
				u = 1
			}
			h[k] = combine(h[k], naOr(m, lo+k, u))
		}
	case *frame.CategoricalCol:
		for k, code := range c.Codes[lo:hi] {
			u := uint64(naToken)
			if code >= 0 {
				u = lh[code]
			}
			h[k] = combine(h[k], u)
		}
	case *frame.StringCol:
		for k, s := range c.Data[lo:hi] {
			u := uint64(naToken)
			if m.Valid(lo + k) {
				u = maphash.String(seed, s)
			}
			h[k] = combine(h[k], u)
		}
	default:
		for k := range h {
			u := uint64(naToken)
			if m.Valid(lo + k) {
				u = maphash.String(seed, c.Format(lo+k))
			}
			h[k] = combine(h[k], u)
		}
	}
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
