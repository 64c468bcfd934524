package stats

import (
	"math"
	"slices"
)

// SortBuffers is the reusable scratch of SortRanks: after a call it holds
// the sorted values and their positions, and the next call reuses its
// storage. The zero value is ready to use; it is not safe for concurrent use.
type SortBuffers struct {
	vals []float64
	idx  []int32
	tmpv []float64
	tmpi []int32
}

// grow returns s resliced to n elements, reallocated when its capacity is
// short.
func grow[T any](s []T, n int) []T {
	if cap(s) < n {
		return make([]T, n)
	}
	return s[:n]
}

// SortRanks sorts the values of x that are not NaN and ranks them in one
// go. It returns the sorted values (equal values in increasing position, so
// exactly SortNonNaN's first result), stored in buf and valid until buf is
// used again, and the number of distinct values (−0 equals +0). When rank2 is
// not nil (it must then have len(x) elements) it sets rank2[i] to twice the
// average 1-based rank of x[i], an integer: a run of equal values at sorted
// positions s..e−1 (0-based) gets s + e + 1, as in AverageRanks; rows where
// x is NaN get 0. len(x) must be below 2³¹.
//
// The algorithm is Argsort's distribution sort on separate value and
// position arrays (12 bytes a value instead of 16); each first-level bucket,
// while it is in cache after being sorted, is scanned once for its runs of
// ties, which gives the distinct count and the ranks (equal values always
// share a bucket, so runs never cross buckets). Ranks are written straight
// to their rows: rank2 takes 4 bytes a row, so for a million rows it stays
// in the last-level cache.
func SortRanks(x []float64, rank2 []uint32, buf *SortBuffers) (sorted []float64, distinct int) {
	if rank2 != nil && len(rank2) != len(x) {
		panic("stats: SortRanks length mismatch")
	}
	if len(x) >= math.MaxInt32 {
		panic("stats: SortRanks needs fewer than 2³¹ values")
	}
	lo, hi := math.Inf(1), math.Inf(-1)
	n := 0
	for i, v := range x {
		if v != v {
			if rank2 != nil {
				rank2[i] = 0
			}
			continue
		}
		n++
		if v < lo && !math.IsInf(v, -1) {
			lo = v
		}
		if v > hi && !math.IsInf(v, 1) {
			hi = v
		}
	}
	buf.vals = grow(buf.vals, n)
	buf.idx = grow(buf.idx, n)
	vals, idx := buf.vals, buf.idx
	b, ok := newBucketer(lo, hi, n)
	if !ok || n <= distCutoff {
		k := 0
		for i, v := range x {
			if v == v {
				vals[k], idx[k] = v, int32(i)
				k++
			}
		}
		buf.tmpv, buf.tmpi = grow(buf.tmpv, n), grow(buf.tmpi, n)
		sortRun(vals, idx, buf.tmpv, buf.tmpi, 1)
		return vals, rankRuns(vals, idx, 0, rank2)
	}
	var count [distBuckets + 1]int32
	for _, v := range x {
		if v == v {
			count[b.of(v)+1]++
		}
	}
	big := int32(0)
	for k := 1; k <= b.nb; k++ {
		big = max(big, count[k])
		count[k] += count[k-1]
	}
	next := count
	for i, v := range x { // stable scatter
		if v == v {
			k := b.of(v)
			vals[next[k]], idx[next[k]] = v, int32(i)
			next[k]++
		}
	}
	buf.tmpv, buf.tmpi = grow(buf.tmpv, int(big)), grow(buf.tmpi, int(big))
	for k := 0; k < b.nb; k++ {
		s, e := count[k], count[k+1]
		if e-s > 1 {
			sortRun(vals[s:e], idx[s:e], buf.tmpv[:e-s], buf.tmpi[:e-s], 1)
		}
		distinct += rankRuns(vals[s:e], idx[s:e], int(s), rank2)
	}
	return vals, distinct
}

// rankRuns counts the runs of equal values in the sorted v, which start at
// sorted position off, and, when rank2 is not nil, sets rank2[id[k]] to
// twice the average rank of v[k].
func rankRuns(v []float64, id []int32, off int, rank2 []uint32) int {
	m := len(v)
	if rank2 == nil {
		d := min(m, 1)
		for k := 1; k < m; k++ {
			if v[k] != v[k-1] {
				d++
			}
		}
		return d
	}
	d := 0
	id = id[:m]
	for s := 0; s < m; {
		e := s + 1
		for e < m && v[e] == v[s] {
			e++
		}
		d++
		r := uint32(2*off + s + e + 1)
		for k := s; k < e; k++ {
			rank2[id[k]] = r
		}
		s = e
	}
	return d
}

// sortRun sorts the values v, whose positions id are in increasing order
// within equal values, by (value, position), moving id along; tv and ti
// (same length) are scratch. It is sortBucket on separate arrays.
func sortRun(v []float64, id []int32, tv []float64, ti []int32, depth int) {
	n := len(v)
	if n <= distCutoff {
		insertionSortRun(v, id)
		return
	}
	if depth >= distMaxDepth {
		sortRunPairs(v, id)
		return
	}
	lo, hi := math.Inf(1), math.Inf(-1)
	for _, e := range v {
		if e < lo && !math.IsInf(e, -1) {
			lo = e
		}
		if e > hi && !math.IsInf(e, 1) {
			hi = e
		}
	}
	b, ok := newBucketer(lo, hi, n)
	if !ok {
		if lo == hi || math.IsInf(lo, 1) {
			partitionInfRun(v, id, tv, ti)
		} else {
			sortRunPairs(v, id) // a range that overflows
		}
		return
	}
	var count [distBuckets + 1]int32
	for _, e := range v {
		count[b.of(e)+1]++
	}
	for k := 1; k <= b.nb; k++ {
		count[k] += count[k-1]
	}
	next := count
	for j, e := range v {
		k := b.of(e)
		tv[next[k]], ti[next[k]] = e, id[j]
		next[k]++
	}
	copy(v, tv)
	copy(id, ti)
	for k := 0; k < b.nb; k++ {
		s, e := count[k], count[k+1]
		switch m := e - s; {
		case m <= 1:
		case m <= distCutoff: // most of them: no call
			insertionSortRun(v[s:e], id[s:e])
		case int(m) == n:
			sortRunPairs(v[s:e], id[s:e]) // no split (float spacing limit)
		default:
			sortRun(v[s:e], id[s:e], tv[s:e], ti[s:e], depth+1)
		}
	}
}

// sortRunPairs sorts v and id by (value, position) with pdqsort.
func sortRunPairs(v []float64, id []int32) {
	p := make([]pair, len(v))
	for k := range p {
		p[k] = pair{v[k], id[k]}
	}
	slices.SortFunc(p, cmpPair)
	for k, e := range p {
		v[k], id[k] = e.v, e.i
	}
}

// insertionSortRun sorts a short v stably, moving id along.
func insertionSortRun(v []float64, id []int32) {
	for k := 1; k < len(v); k++ {
		e, i := v[k], id[k]
		j := k
		for j > 0 && v[j-1] > e {
			v[j], id[j] = v[j-1], id[j-1]
			j--
		}
		v[j], id[j] = e, i
	}
}

// partitionInfRun stably orders v, whose finite values are all equal, as
// −Inf, finite, +Inf, moving id along; tv and ti are scratch.
func partitionInfRun(v []float64, id []int32, tv []float64, ti []int32) {
	k := 0
	for _, class := range [3]int{-1, 0, 1} {
		for j, e := range v {
			c := 0
			if math.IsInf(e, 0) {
				c = int(math.Copysign(1, e))
			}
			if c == class {
				tv[k], ti[k] = e, id[j]
				k++
			}
		}
	}
	copy(v, tv)
	copy(id, ti)
}
