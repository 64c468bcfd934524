package match

import (
	"math/bits"
	"slices"
)

// This file holds the allocation-free forms of the similarities used in the
// scoring loop. Each is checked against its plain counterpart in
// similarity.go by the fuzz tests.

// scratch is per-goroutine working memory for the fast similarities.
type scratch struct {
	inter, onlyA, onlyB []int32
	da, db              []rune
	pm                  []uint64 // 128 ASCII masks, then one per extra rune
	extra               []rune   // non-ASCII runes of a, mask 128+i
	s                   []uint64
}

// vocab interns the tokens of one field, ids in ascending string order so
// that sorting ids sorts the tokens.
type vocab struct {
	tokens [][]rune
}

func newVocab(all map[string]struct{}) (*vocab, map[string]int32) {
	words := make([]string, 0, len(all))
	for w := range all {
		words = append(words, w)
	}
	slices.Sort(words)
	v := &vocab{tokens: make([][]rune, len(words))}
	ids := make(map[string]int32, len(words))
	for i, w := range words {
		v.tokens[i] = []rune(w)
		ids[w] = int32(i)
	}
	return v, ids
}

// joinedLen is the rune length of the tokens ids joined by single spaces.
func (v *vocab) joinedLen(ids []int32) int {
	if len(ids) == 0 {
		return 0
	}
	n := len(ids) - 1
	for _, id := range ids {
		n += len(v.tokens[id])
	}
	return n
}

func (v *vocab) join(dst []rune, ids []int32) []rune {
	dst = dst[:0]
	for i, id := range ids {
		if i > 0 {
			dst = append(dst, ' ')
		}
		dst = append(dst, v.tokens[id]...)
	}
	return dst
}

// tokenSetIDs is TokenSet on ascending distinct token ids of v. Since t₁ and
// t₂ share the prefix s + " ", LCS(t₁, t₂) = |s| + 1 + LCS(s₁, s₂), and s is
// a prefix of t₁ and t₂, so only one LCS is computed.
func tokenSetIDs(v *vocab, a, b []int32, sc *scratch) float64 {
	if len(a) == 0 || len(b) == 0 {
		return 0
	}
	sc.inter, sc.onlyA, sc.onlyB = sc.inter[:0], sc.onlyA[:0], sc.onlyB[:0]
	i, j := 0, 0
	for i < len(a) || j < len(b) {
		switch {
		case j == len(b) || (i < len(a) && a[i] < b[j]):
			sc.onlyA = append(sc.onlyA, a[i])
			i++
		case i == len(a) || b[j] < a[i]:
			sc.onlyB = append(sc.onlyB, b[j])
			j++
		default:
			sc.inter = append(sc.inter, a[i])
			i++
			j++
		}
	}
	if len(sc.inter) > 0 && (len(sc.onlyA) == 0 || len(sc.onlyB) == 0) {
		return 1
	}
	ls := v.joinedLen(sc.inter)
	sep := 0
	if ls > 0 {
		sep = 1
	}
	l1 := ls + sep + v.joinedLen(sc.onlyA)
	l2 := ls + sep + v.joinedLen(sc.onlyB)
	sc.da = v.join(sc.da, sc.onlyA)
	sc.db = v.join(sc.db, sc.onlyB)
	best := 2 * float64(ls+sep+lcsBits(sc.da, sc.db, sc)) / float64(l1+l2)
	if ls > 0 {
		best = max(best, 2*float64(ls)/float64(ls+l1), 2*float64(ls)/float64(ls+l2))
	}
	return best
}

// lcsBits returns the length of the longest common subsequence of a and b
// with the bit-parallel algorithm of Allison & Dix (1986) in Hyyrö's (2004)
// formulation: with PM[c] the bit mask of the positions of c in a and S
// starting all ones, for each rune c of b
//
//	U = S & PM[c],  S = (S + U) | (S − U),
//
// and the LCS is the number of zero bits of S among the first |a|. Cost
// O(|b|·⌈|a|/64⌉) word operations.
func lcsBits(a, b []rune, sc *scratch) int {
	if len(a) == 0 || len(b) == 0 {
		return 0
	}
	w := (len(a) + 63) / 64
	sc.extra = sc.extra[:0]
	for _, r := range a {
		if r >= 128 && !slices.Contains(sc.extra, r) {
			sc.extra = append(sc.extra, r)
		}
	}
	need := (128 + len(sc.extra)) * w
	if cap(sc.pm) < need {
		sc.pm = make([]uint64, need)
	}
	pm := sc.pm[:need]
	clear(pm)
	slot := func(r rune) int {
		if r < 128 {
			return int(r)
		}
		for k, e := range sc.extra {
			if e == r {
				return 128 + k
			}
		}
		return -1
	}
	for i, r := range a {
		pm[slot(r)*w+i/64] |= 1 << uint(i%64)
	}
	if cap(sc.s) < w {
		sc.s = make([]uint64, w)
	}
	s := sc.s[:w]
	for k := range s {
		s[k] = ^uint64(0)
	}
	for _, r := range b {
		k := slot(r)
		if k < 0 {
			continue
		}
		m := pm[k*w : k*w+w]
		var carry uint64
		for x := range s {
			u := s[x] & m[x]
			sum, c := bits.Add64(s[x], u, carry)
			carry = c
			s[x] = sum | (s[x] &^ m[x])
		}
	}
	lcs := 0
	for x := range s {
		word := ^s[x]
		if x == w-1 && len(a)%64 != 0 {
			word &= (1 << uint(len(a)%64)) - 1
		}
		lcs += bits.OnesCount64(word)
	}
	return lcs
}
