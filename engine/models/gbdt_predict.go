package models

import (
	"math"
	"slices"
	"sort"
)

// maxHeapDepth is the deepest tree the heap layout takes (2^10 leaves per tree).
const maxHeapDepth = 10

// heapForest is a boosted model laid out for fast prediction (after
// QuickScorer's idea of making traversal branch-free; Lucchese et al. 2015):
// every tree is padded to a perfect binary tree of depth D stored as a heap
// (children of node n are 2n+1 and 2n+2), and each feature's thresholds,
// over all trees, become small integers: a row is first mapped to the rank
// of each of its values among the thresholds of that feature (rank(x) =
// number of thresholds < x, missingRank for NaN), so "x <= threshold k" is
// "rank(x) <= k". A node then sends a row right when
//
//	uint8(rank − thr − 1) < span
//
// with span = 254 − thr or 255 − thr: missing ranks (255) go right exactly
// when the node's span reaches them, and a padding node has span 0 (always
// left). Leaves of the padding repeat the leaf above them.
type heapForest struct {
	D      int
	inner  int       // 2^D − 1 nodes per tree
	node   []uint32  // feature<<16 | thr<<8 | span
	leaf   []float64 // 2^D per tree
	edges  [][]float64
	keys   [][]uint64 // edges as order-preserving integers (see floatKey)
	trees  int
	nFeats int
}

// newHeapForest returns the heap layout of trees over nFeats features, or
// nil when a tree is deeper than maxHeapDepth or a feature has more than
// 254 distinct thresholds.
func newHeapForest(trees []*Tree, nFeats int) *heapForest {
	D := 0
	for _, t := range trees {
		D = max(D, t.Depth())
	}
	if D > maxHeapDepth || nFeats > 65535 {
		return nil
	}
	D = max(D, 1)
	edges := make([][]float64, nFeats)
	for _, t := range trees {
		for n, f := range t.Feature {
			if f >= 0 {
				edges[f] = append(edges[f], t.Threshold[n])
			}
		}
	}
	for f := range edges {
		slices.Sort(edges[f])
		edges[f] = slices.Compact(edges[f])
		if len(edges[f]) > 254 {
			return nil
		}
	}
	keys := make([][]uint64, nFeats)
	for f, e := range edges {
		keys[f] = make([]uint64, len(e))
		for i, v := range e {
			keys[f][i] = floatKey(v)
		}
	}
	inner := 1<<D - 1
	h := &heapForest{D: D, inner: inner, edges: edges, keys: keys, trees: len(trees), nFeats: nFeats,
		node: make([]uint32, len(trees)*inner), leaf: make([]float64, len(trees)*(inner+1))}
	for ti, t := range trees {
		base := ti * inner
		var fill func(node, heap, depth int)
		fill = func(node, heap, depth int) {
			if depth == D {
				h.leaf[ti*(inner+1)+heap-inner] = t.Value[node]
				return
			}
			if t.Feature[node] < 0 {
				// Padding: span 0 sends everything left; the right side is never reached.
				fill(node, 2*heap+1, depth+1)
				fill(node, 2*heap+2, depth+1)
				return
			}
			f := int(t.Feature[node])
			k := sort.SearchFloat64s(edges[f], t.Threshold[node])
			span := 255 - k
			if t.MissingLeft[node] == 1 {
				span = 254 - k
			}
			h.node[base+heap] = uint32(f)<<16 | uint32(k)<<8 | uint32(span)
			fill(int(t.Left[node]), 2*heap+1, depth+1)
			fill(int(t.Right[node]), 2*heap+2, depth+1)
		}
		fill(0, 0, 0)
	}
	return h
}

// rank returns the number of edges (sorted, not empty) below x, or
// missingBin for NaN, by a branch-free binary search.
func rank(edges []float64, x float64) uint8 {
	if x != x {
		return missingBin
	}
	base, n := 0, len(edges)
	for n > 1 {
		half := n >> 1
		if edges[base+half-1] < x {
			base += half
		}
		n -= half
	}
	return uint8(base + b2i(edges[base] < x))
}

// floatKey maps a non-NaN float64 to a uint64 with the same order, so that
// comparisons compile to branch-free integer code.
func floatKey(v float64) uint64 {
	u := math.Float64bits(v)
	if u>>63 == 1 {
		return ^u
	}
	return u | 1<<63
}

// rank4 is rank of four values at once over keys (floatKey of the edges),
// the searches interleaved and branch-free.
func rank4(keys []uint64, x0, x1, x2, x3 float64) (uint8, uint8, uint8, uint8) {
	k0, k1, k2, k3 := floatKey(x0), floatKey(x1), floatKey(x2), floatKey(x3)
	var b0, b1, b2, b3 int
	for n := len(keys); n > 1; {
		half := n >> 1
		b0 += half & -lt(keys[b0+half-1], k0)
		b1 += half & -lt(keys[b1+half-1], k1)
		b2 += half & -lt(keys[b2+half-1], k2)
		b3 += half & -lt(keys[b3+half-1], k3)
		n -= half
	}
	r := func(b int, k uint64, x float64) uint8 {
		if x != x {
			return missingBin
		}
		return uint8(b + lt(keys[b], k))
	}
	return r(b0, k0, x0), r(b1, k1, x1), r(b2, k2, x2), r(b3, k3, x3)
}

// lt returns 1 when a < b, else 0, without a branch.
func lt(a, b uint64) int { return int((a-b)>>63 & ^((a^b)>>63) | (^a&b)>>63) }

// heapBlock is the number of rows ranked and walked together.
const heapBlock = 64

// add adds, for rows lo..hi (hi − lo ≤ heapBlock) of X (column-major data
// with n rows), tree t's leaf value to F[i*out + t%out]. ranks is scratch of
// heapBlock × nFeats.
func (h *heapForest) add(data []float64, n, lo, hi int, F []float64, out int, ranks []uint8) {
	p := h.nFeats
	m := hi - lo
	for f := 0; f < p; f++ {
		e := h.edges[f]
		if len(e) == 0 {
			continue
		}
		col := data[f*n+lo : f*n+hi]
		j := 0
		for ; j+4 <= m; j += 4 {
			a, b, c, d := rank4(h.keys[f], col[j], col[j+1], col[j+2], col[j+3])
			ranks[j*p+f], ranks[(j+1)*p+f], ranks[(j+2)*p+f], ranks[(j+3)*p+f] = a, b, c, d
		}
		for ; j < m; j++ {
			ranks[j*p+f] = rank(e, col[j])
		}
	}
	inner := h.inner
	for t := 0; t < h.trees; t++ {
		k := t % out
		nodes := h.node[t*inner : (t+1)*inner]
		leaf := h.leaf[t*(inner+1) : (t+1)*(inner+1)]
		j := 0
		D := h.D
		for ; j+4 <= m; j += 4 {
			// Four rows walk in lockstep so their loads overlap.
			rk := ranks[j*p : (j+4)*p]
			o1, o2, o3 := p, 2*p, 3*p
			var n0, n1, n2, n3 int
			for d := 0; d < D; d++ {
				a, b, c, e := nodes[n0], nodes[n1], nodes[n2], nodes[n3]
				n0 = 2*n0 + 1 + b2i(rk[int(a>>16)]-uint8(a>>8)-1 < uint8(a))
				n1 = 2*n1 + 1 + b2i(rk[o1+int(b>>16)]-uint8(b>>8)-1 < uint8(b))
				n2 = 2*n2 + 1 + b2i(rk[o2+int(c>>16)]-uint8(c>>8)-1 < uint8(c))
				n3 = 2*n3 + 1 + b2i(rk[o3+int(e>>16)]-uint8(e>>8)-1 < uint8(e))
			}
			i := lo + j
			F[i*out+k] += leaf[n0-inner]
			F[(i+1)*out+k] += leaf[n1-inner]
			F[(i+2)*out+k] += leaf[n2-inner]
			F[(i+3)*out+k] += leaf[n3-inner]
		}
		for ; j < m; j++ {
			r := ranks[j*p : (j+1)*p]
			nd := 0
			for d := 0; d < D; d++ {
				nd = 2*nd + 1 + step(nodes[nd], r)
			}
			F[(lo+j)*out+k] += leaf[nd-inner]
		}
	}
}

// step returns 1 when a row with ranks r goes right at node nd.
func step(nd uint32, r []uint8) int {
	return b2i(r[nd>>16]-uint8(nd>>8)-1 < uint8(nd))
}

func b2i(b bool) int {
	var i int
	if b {
		i = 1
	}
	return i
}
