package merge

import (
	"math"
	"math/bits"

	"github.com/mlwb/mlwb/engine/frame"
)

// keys are one side's key columns encoded as comparable 64-bit words.
type keys struct {
	cols  [][]uint64 // per key column, per row
	valid []bool     // nil: every row has all its keys; else false where one is missing
	comb  []uint64   // the row's key (one key column) or a hash of its keys (several)
}

func (k *keys) ok(i int) bool { return k.valid == nil || k.valid[i] }

func (k *keys) nulls() int {
	n := 0
	for _, v := range k.valid {
		if !v {
			n++
		}
	}
	return n
}

// encodeKeys encodes both sides' keys; text keys share one dictionary so
// equal texts get equal ids.
func encodeKeys(r *resolved, nl, nr int) (*keys, *keys) {
	lk := &keys{cols: make([][]uint64, len(r.kinds))}
	rk := &keys{cols: make([][]uint64, len(r.kinds))}
	for i, kind := range r.kinds {
		var dict map[string]uint64
		if kind == kindText {
			dict = map[string]uint64{}
		}
		lk.cols[i] = encode(r.leftKeys[i], kind, dict, lk, nl)
		rk.cols[i] = encode(r.rightKeys[i], kind, dict, rk, nr)
	}
	lk.combine()
	rk.combine()
	return lk, rk
}

func (k *keys) setMissing(i, n int) {
	if k.valid == nil {
		k.valid = make([]bool, n)
		for j := range k.valid {
			k.valid[j] = true
		}
	}
	k.valid[i] = false
}

func encode(c frame.Column, kind keyKind, dict map[string]uint64, k *keys, n int) []uint64 {
	out := make([]uint64, n)
	m := c.Mask()
	if m.HasNA() {
		for i := range n {
			if m.IsNA(i) {
				k.setMissing(i, n)
			}
		}
	}
	switch kind {
	case kindInt:
		switch c := c.(type) {
		case *frame.Int64Col:
			for i, v := range c.Data {
				out[i] = uint64(v)
			}
		case *frame.DatetimeCol:
			for i, v := range c.Data {
				out[i] = uint64(v)
			}
		case *frame.BoolCol:
			for i, v := range c.Data {
				if v {
					out[i] = 1
				}
			}
		}
	case kindFloat:
		switch c := c.(type) {
		case *frame.Float64Col:
			for i, v := range c.Data {
				if v == 0 {
					v = 0 // −0 matches +0
				}
				out[i] = math.Float64bits(v)
			}
		case *frame.Int64Col:
			for i, v := range c.Data {
				out[i] = math.Float64bits(float64(v))
			}
		}
	case kindText:
		id := func(s string) uint64 {
			v, ok := dict[s]
			if !ok {
				v = uint64(len(dict))
				dict[s] = v
			}
			return v
		}
		switch c := c.(type) {
		case *frame.CategoricalCol:
			ids := make([]uint64, len(c.Levels))
			for j, s := range c.Levels {
				ids[j] = id(s)
			}
			for i, code := range c.Codes {
				if code >= 0 {
					out[i] = ids[code]
				}
			}
		case *frame.StringCol:
			for i, s := range c.Data {
				if m.Valid(i) {
					out[i] = id(s)
				}
			}
		}
	}
	return out
}

// combine sets comb: the only key column itself, or a hash of all of them.
func (k *keys) combine() {
	if len(k.cols) == 1 {
		k.comb = k.cols[0]
		return
	}
	n := len(k.cols[0])
	k.comb = make([]uint64, n)
	for _, c := range k.cols {
		for i, v := range c {
			x := (k.comb[i] ^ v) * 0xff51afd7ed558ccd
			k.comb[i] = x ^ x>>33
		}
	}
}

// table maps a key word to the chain of build rows having it; chains list
// rows in increasing order. Keys of one int column spanning a range at most
// denseFactor times the row count index an array directly; other keys go
// into an open-addressing hash table (linear probing, power-of-two size,
// Fibonacci hashing) whose slots hold key and chain head together, so a
// lookup costs one cache miss.
type table struct {
	dense bool
	base  int64   // dense: the smallest key
	heads []int32 // dense: chain head per key − base, -1: none
	shift uint
	mask  uint64
	slots []slot
	next  []int32 // per build row: the next row of its chain, or -1
	multi bool    // keys hash several columns: compare them on a hit
}

type slot struct {
	key  uint64
	head int32 // -1: empty
}

// denseFactor bounds the key range of a directly indexed table relative to
// the build side's rows (4 bytes per key in the range).
const denseFactor = 4

func build(k *keys, intKey bool) *table {
	n := len(k.comb)
	t := &table{next: make([]int32, n), multi: len(k.cols) > 1}
	if intKey && !t.multi {
		lo, hi, any := int64(math.MaxInt64), int64(math.MinInt64), false
		for i, v := range k.comb {
			if k.ok(i) {
				lo, hi, any = min(lo, int64(v)), max(hi, int64(v)), true
			}
		}
		if span := uint64(hi - lo); any && hi-lo >= 0 && span < uint64(denseFactor*n+1024) {
			t.dense, t.base = true, lo
			t.heads = make([]int32, span+1)
			for s := range t.heads {
				t.heads[s] = -1
			}
			for i := n - 1; i >= 0; i-- {
				if k.ok(i) {
					s := int64(k.comb[i]) - lo
					t.next[i], t.heads[s] = t.heads[s], int32(i)
				}
			}
			return t
		}
	}
	size := uint64(16)
	for size < uint64(2*n) {
		size <<= 1
	}
	t.shift = uint(64 - bits.TrailingZeros64(size))
	t.mask = size - 1
	t.slots = make([]slot, size)
	for s := range t.slots {
		t.slots[s].head = -1
	}
	for i := n - 1; i >= 0; i-- {
		if !k.ok(i) {
			continue
		}
		key := k.comb[i]
		s := (key * 0x9e3779b97f4a7c15) >> t.shift
		for {
			sl := &t.slots[s]
			if sl.head < 0 {
				sl.key, sl.head, t.next[i] = key, int32(i), -1
				break
			}
			if sl.key == key {
				t.next[i], sl.head = sl.head, int32(i)
				break
			}
			s = (s + 1) & t.mask
		}
	}
	return t
}

// first returns the head of probe row i's chain, or -1.
func (t *table) first(pk *keys, i int) int32 {
	if !pk.ok(i) {
		return -1
	}
	key := pk.comb[i]
	if t.dense {
		s := int64(key) - t.base
		if s < 0 || s >= int64(len(t.heads)) {
			return -1
		}
		return t.heads[s]
	}
	s := (key * 0x9e3779b97f4a7c15) >> t.shift
	for {
		sl := &t.slots[s]
		if sl.head < 0 || sl.key == key {
			return sl.head
		}
		s = (s + 1) & t.mask
	}
}

// each calls fn with every build row whose keys equal probe row i's.
func (t *table) each(pk, bk *keys, i int, fn func(j int32)) {
	for j := t.first(pk, i); j >= 0; j = t.next[j] {
		if !t.multi || sameKeys(pk, bk, i, int(j)) {
			fn(j)
		}
	}
}

func sameKeys(a, b *keys, i, j int) bool {
	for c := range a.cols {
		if a.cols[c][i] != b.cols[c][j] {
			return false
		}
	}
	return true
}
