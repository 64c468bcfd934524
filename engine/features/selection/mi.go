package selection

import (
	"math"
	"math/rand/v2"
	"slices"
	"sort"

	"github.com/mlwb/mlwb/engine/stats"
	"gonum.org/v1/gonum/mathext"
)

// noise scales and jitters a continuous variable as scikit-learn's
// _estimate_mi does before the k-NN estimators:
//
//	x ← x / std(x)  (population std; a zero std leaves x unscaled)
//	x ← x + 1e-10 · max(1, mean|x|) · N(0, 1)
//
// The noise only breaks ties; scikit-learn draws it from numpy's
// random_state, which we do not reproduce, so estimates agree with
// scikit-learn's exactly on data without ties and to within the sampling
// noise of tie-breaking on data with ties.
func noise(x []float64, r *rand.Rand) []float64 {
	out := make([]float64, len(x))
	_, v := meanVarPop(x)
	sd := math.Sqrt(v)
	if sd == 0 || math.IsNaN(sd) {
		sd = 1
	}
	var ma float64
	for i, xi := range x {
		out[i] = xi / sd
		ma += math.Abs(out[i])
	}
	ma = math.Max(1, ma/float64(len(x)))
	for i := range out {
		out[i] += 1e-10 * ma * r.NormFloat64()
	}
	return out
}

// resort returns Argsort(x) (the sorted values and their positions, ties
// in increasing position) given ord, the sorting permutation of values in
// nearly the same order as x: ord is reordered by insertion sort from its
// sorted start, as long as that takes at most 16 moves a value on average,
// and x is sorted from scratch otherwise. noise keeps the order of all
// values that are not tied, short of values closer than the noise, so the
// sort of the raw values serves the noisy ones. ord and buf (len(x)
// values) are overwritten and returned.
func resort(x []float64, ord []int32, buf []float64) ([]float64, []int32) {
	n := len(x)
	out, vals := ord, buf
	for p, i := range out {
		vals[p] = x[i]
	}
	budget := 16 * n
	for p := 1; p < n; p++ {
		v, i := vals[p], out[p]
		q := p
		for q > 0 && (vals[q-1] > v || vals[q-1] == v && out[q-1] > i) {
			vals[q], out[q] = vals[q-1], out[q-1]
			q--
		}
		vals[q], out[q] = v, i
		if budget -= p - q; budget < 0 {
			return stats.Argsort(x, out), out
		}
	}
	return vals, out
}

func meanVarPop(x []float64) (float64, float64) {
	if len(x) == 0 {
		return math.NaN(), math.NaN()
	}
	var s float64
	for _, v := range x {
		s += v
	}
	m := s / float64(len(x))
	var ss float64
	for _, v := range x {
		ss += (v - m) * (v - m)
	}
	return m, ss / float64(len(x))
}

// MutualInfoCD estimates the mutual information in nats between the
// continuous c and the discrete labels d (codes ≥ 0) with Ross's k-NN
// estimator (PLoS ONE 9(2), 2014), as scikit-learn's _compute_mi_cd:
//
//	for each point i of a label with Nᵢ > 1 points: kᵢ = min(k, Nᵢ − 1),
//	ρᵢ = distance to its kᵢ-th nearest neighbour among its own label,
//	mᵢ = number of points (all labels, i included) within distance < ρᵢ;
//	I = ψ(N) + ⟨ψ(kᵢ)⟩ − ⟨ψ(Nᵢ)⟩ − ⟨ψ(mᵢ)⟩,  clipped at 0,
//
// over the N points whose label occurs more than once. c must be free of
// NaN and already scaled (see noise). One dimension makes the neighbour
// searches a sort and binary searches: O(n log n).
func MutualInfoCD(c []float64, d []int32, k int) float64 {
	ord := make([]int32, len(c))
	all := stats.Argsort(c, ord)
	return mutualInfoCDSorted(all, ord, d, k)
}

// mutualInfoCDSorted is MutualInfoCD given the sorted values all and their
// positions ord (stats.Argsort's results).
func mutualInfoCDSorted(all []float64, ord []int32, d []int32, k int) float64 {
	n := len(all)
	nl := 0
	for _, v := range d {
		nl = max(nl, int(v)+1)
	}
	cnt := make([]int, nl)
	for _, v := range d {
		cnt[v]++
	}
	// Each label's points in sorted order are the subsequence of the sorted
	// order with the label.
	byLabel := make([][]float64, nl)
	posIn := make([]int32, n) // position of sorted point p within its label's list
	lab := make([]int32, n)   // label of sorted point p, −1 for labels seen once
	for l := range byLabel {
		if cnt[l] > 1 {
			byLabel[l] = make([]float64, 0, cnt[l])
		}
	}
	for p, i := range ord {
		l := d[i]
		if cnt[l] <= 1 {
			lab[p] = -1
			continue
		}
		lab[p] = l
		posIn[p] = int32(len(byLabel[l]))
		byLabel[l] = append(byLabel[l], all[p])
	}
	// Points of labels seen once are left out of the estimate, as in
	// scikit-learn; they are also left out of the counts mᵢ.
	kept := all
	if slices.ContainsFunc(cnt, func(v int) bool { return v == 1 }) {
		kept = make([]float64, 0, n)
		for p, l := range lab {
			if l >= 0 {
				kept = append(kept, all[p])
			}
		}
	}
	var sumK, sumN, sumM float64
	var nk int
	for p, l := range lab {
		if l < 0 {
			continue
		}
		kk := min(k, cnt[l]-1)
		r := math.Nextafter(kthGap(byLabel[l], int(posIn[p]), kk), 0)
		sumM += digamma(countAround(kept, nk, r))
		nk++
	}
	if nk == 0 {
		return 0
	}
	for _, c := range cnt {
		if c > 1 {
			sumK += float64(c) * digamma(min(k, c-1))
			sumN += float64(c) * digamma(c)
		}
	}
	nf := float64(nk)
	mi := mathext.Digamma(nf) + sumK/nf - sumN/nf - sumM/nf
	return math.Max(0, mi)
}

// digamma returns ψ(n) for a positive integer n, from a table for small n
// (ψ(1) = −γ, ψ(n+1) = ψ(n) + 1/n).
func digamma(n int) float64 {
	if n < len(digammaTable) {
		return digammaTable[n]
	}
	return mathext.Digamma(float64(n))
}

var digammaTable = func() []float64 {
	t := make([]float64, 4096)
	t[0] = math.Inf(-1)
	for n := 1; n < len(t); n++ {
		t[n] = mathext.Digamma(float64(n))
	}
	return t
}()

// countAround returns the number of values v of the sorted all with
// |v − all[p]| ≤ r, scanning outward from p for a few steps and then by
// galloping (steps doubling until they leave the radius) and a binary
// search within the last step: O(log m) for a count m.
func countAround(all []float64, p int, r float64) int {
	x := all[p]
	// lo: first j with x − all[j] ≤ r.
	lo := p
	for s := 0; lo > 0 && x-all[lo-1] <= r; s++ {
		if s == 8 {
			step := 16
			for lo-step >= 0 && x-all[lo-step] <= r {
				lo -= step
				step *= 2
			}
			a := max(lo-step, -1) // all[a] out of the radius (or a = −1)
			// first j in (a, lo] with x − all[j] ≤ r
			lo = a + 1 + sort.Search(lo-a-1, func(j int) bool { return x-all[a+1+j] <= r })
			break
		}
		lo--
	}
	// hi: first j > p with all[j] − x > r.
	hi := p + 1
	for s := 0; hi < len(all) && all[hi]-x <= r; s++ {
		if s == 8 {
			step := 16
			for hi+step < len(all) && all[hi+step]-x <= r {
				hi += step
				step *= 2
			}
			b := min(hi+step, len(all)) // all[b] out of the radius (or b = len)
			hi = hi + sort.Search(b-hi, func(j int) bool { return all[hi+j]-x > r })
			break
		}
		hi++
	}
	return hi - lo
}

// kthGap returns the distance from sorted[p] to its k-th nearest other
// point of sorted (len(sorted) > k). The k nearest others and the point
// itself are k + 1 consecutive values, so the distance is the smallest, over
// the windows sorted[s..s+k] holding p, of the larger of the distances to
// the window's ends: k + 1 branch-free steps.
func kthGap(sorted []float64, p, k int) float64 {
	x := sorted[p]
	d := math.Inf(1)
	for s := max(0, p-k); s <= min(p, len(sorted)-1-k); s++ {
		a, b := x-sorted[s], sorted[s+k]-x
		if b > a {
			a = b
		}
		if a < d {
			d = a
		}
	}
	return d
}

// MutualInfoCC estimates the mutual information in nats between the
// continuous x and y with Kraskov, Stögbauer and Grassberger's first
// estimator (Phys. Rev. E 69, 2004), as scikit-learn's _compute_mi_cc:
//
//	εᵢ = max-norm distance from (xᵢ, yᵢ) to its k-th nearest neighbour,
//	nxᵢ = #{j ≠ i : |xⱼ − xᵢ| < εᵢ},  nyᵢ likewise,
//	I = ψ(N) + ψ(k) − ⟨ψ(nxᵢ + 1)⟩ − ⟨ψ(nyᵢ + 1)⟩,  clipped at 0.
//
// x and y must be free of NaN and already scaled (see noise). The k-NN
// search uses a 2-d tree.
func MutualInfoCC(x, y []float64, k int) float64 {
	n := len(x)
	if n <= k {
		return 0
	}
	t := newKDTree(x, y)
	ox, oy := make([]int32, n), make([]int32, n)
	sx, sy := stats.Argsort(x, ox), stats.Argsort(y, oy)
	px, py := make([]int32, n), make([]int32, n)
	for p, i := range ox {
		px[i] = int32(p)
	}
	for p, i := range oy {
		py[i] = int32(p)
	}
	best := make([]float64, k)
	// Points in tree order: consecutive queries visit the same nodes. The
	// terms are summed in the order of the points.
	term := make([]float64, n)
	for p, i := range t.idx {
		eps := math.Nextafter(t.kth(t.x[p], t.y[p], int(i), best), 0)
		nx := countAround(sx, int(px[i]), eps) - 1
		ny := countAround(sy, int(py[i]), eps) - 1
		term[i] = digamma(nx+1) + digamma(ny+1)
	}
	var s float64
	for _, v := range term {
		s += v
	}
	nf := float64(n)
	mi := mathext.Digamma(nf) + mathext.Digamma(float64(k)) - s/nf
	return math.Max(0, mi)
}

// MutualInfoDD returns the mutual information in nats of two discrete
// variables from their contingency table, as sklearn.metrics.mutual_info_score.
func MutualInfoDD(t stats.Contingency) float64 { return stats.MutualInfo(t) * math.Ln2 }

// kdTree is a static 2-d tree over points (x, y) for max-norm k-NN queries.
// The points are stored in tree order: a node is a range [lo, hi) of
// positions split at its middle, along axis[mid] (0 for x, 1 for y: the
// coordinate with the larger range in the node, as scikit-learn's KDTree,
// so that a variable with few distinct values, jittered only by the noise,
// does not defeat the pruning); idx gives each position's original index.
type kdTree struct {
	x, y []float64
	idx  []int32
	axis []uint8
}

func newKDTree(x, y []float64) *kdTree {
	n := len(x)
	b := kdBuilder{x: slices.Clone(x), y: slices.Clone(y), idx: make([]int32, n), axis: make([]uint8, n)}
	for i := range b.idx {
		b.idx[i] = int32(i)
	}
	b.build(0, n)
	return &kdTree{x: b.x, y: b.y, idx: b.idx, axis: b.axis}
}

// kdBuilder arranges the points in tree order: x, y and their original
// indexes idx are permuted together, so that the scans of a node's range
// read memory in order.
type kdBuilder struct {
	x, y []float64
	idx  []int32
	axis []uint8
}

// build arranges the points lo..hi−1 so that the middle one is the median
// along the axis of larger range, with smaller values before it.
func (t *kdBuilder) build(lo, hi int) {
	if hi-lo <= 8 {
		return
	}
	x0, x1, y0, y1 := math.Inf(1), math.Inf(-1), math.Inf(1), math.Inf(-1)
	for _, v := range t.x[lo:hi] {
		if v < x0 {
			x0 = v
		}
		if v > x1 {
			x1 = v
		}
	}
	for _, v := range t.y[lo:hi] {
		if v < y0 {
			y0 = v
		}
		if v > y1 {
			y1 = v
		}
	}
	axis := 0
	if y1-y0 > x1-x0 {
		axis = 1
	}
	mid := (lo + hi) / 2
	t.axis[mid] = uint8(axis)
	if axis == 0 {
		t.selectNth(t.x, t.y, lo, hi, mid)
	} else {
		t.selectNth(t.y, t.x, lo, hi, mid)
	}
	t.build(lo, mid)
	t.build(mid+1, hi)
}

// selectNth partially sorts the points lo..hi−1 by key (other is the other
// coordinate, moved along) so that point n is the one of rank n
// (quickselect with median-of-three pivots).
func (t *kdBuilder) selectNth(key, other []float64, lo, hi, n int) {
	a := t.idx
	swap := func(i, j int) {
		key[i], key[j] = key[j], key[i]
		other[i], other[j] = other[j], other[i]
		a[i], a[j] = a[j], a[i]
	}
	for hi-lo > 1 {
		m := (lo + hi) / 2
		p0, p1, p2 := key[lo], key[m], key[hi-1]
		pivot := max(min(p0, p1), min(max(p0, p1), p2))
		i, j := lo, hi-1
		for i <= j {
			for key[i] < pivot {
				i++
			}
			for key[j] > pivot {
				j--
			}
			if i <= j {
				swap(i, j)
				i++
				j--
			}
		}
		switch {
		case n <= j:
			hi = j + 1
		case n >= i:
			lo = i
		default:
			return
		}
	}
}

// kth returns the max-norm distance from (qx, qy) to its len(best)-th
// nearest point other than the one of original index self.
func (t *kdTree) kth(qx, qy float64, self int, best []float64) float64 {
	for i := range best {
		best[i] = math.Inf(1)
	}
	t.search(0, len(t.idx), qx, qy, int32(self), best)
	return best[len(best)-1]
}

// offer inserts the distance d into the sorted best if it is smaller than
// its last.
func offer(d float64, best []float64) {
	k := len(best)
	if d >= best[k-1] {
		return
	}
	j := k - 1
	for j > 0 && best[j-1] > d {
		best[j] = best[j-1]
		j--
	}
	best[j] = d
}

func (t *kdTree) search(lo, hi int, qx, qy float64, self int32, best []float64) {
	if hi-lo <= 8 {
		xs, ys, is := t.x[lo:hi], t.y[lo:hi], t.idx[lo:hi]
		for p := range xs {
			dx, dy := xs[p]-qx, ys[p]-qy
			if dx < 0 {
				dx = -dx
			}
			if dy < 0 {
				dy = -dy
			}
			if dy > dx {
				dx = dy
			}
			if dx < best[len(best)-1] && is[p] != self {
				offer(dx, best)
			}
		}
		return
	}
	mid := (lo + hi) / 2
	if t.idx[mid] != self {
		offer(math.Max(math.Abs(t.x[mid]-qx), math.Abs(t.y[mid]-qy)), best)
	}
	q, s := qx, t.x[mid]
	if t.axis[mid] == 1 {
		q, s = qy, t.y[mid]
	}
	// Nearer side first, then the other if it can hold a closer point.
	if q <= s {
		t.search(lo, mid, qx, qy, self, best)
		if s-q <= best[len(best)-1] {
			t.search(mid+1, hi, qx, qy, self, best)
		}
	} else {
		t.search(mid+1, hi, qx, qy, self, best)
		if q-s <= best[len(best)-1] {
			t.search(lo, mid, qx, qy, self, best)
		}
	}
}
