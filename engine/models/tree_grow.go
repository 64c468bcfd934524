package models

import (
	"context"
	"math"
	"math/rand/v2"
	"slices"
)

// cartConfig holds what growing one CART tree needs besides the data.
type cartConfig struct {
	criterion           string // gini, entropy or squared_error
	K                   int    // classes; 0 for regression
	maxDepth            int    // 0 = unlimited
	minSamplesSplit     int
	minSamplesLeaf      int
	minImpurityDecrease float64
	mtry                int // features tried per split (at least, when some are constant)
}

// cartNode is a node waiting to be split: its rows are idx[lo:hi].
type cartNode struct {
	lo, hi, depth int
	id            int // -1 until the node is popped and numbered
	parent        int
	isLeft        bool
	stats         []float64
}

// cartGrower grows one tree over pre-binned data. Stats per node and per bin
// are D numbers: for classification the row count then the weight of each of
// the K classes; for regression the row count, Σw, Σwy and Σwy².
type cartGrower struct {
	b       *binned
	y, w    []float64 // w indexed by row; nil = 1
	cfg     cartConfig
	D       int
	rootW   float64
	hist    []float64 // 256 × D
	cum     []float64 // D: left stats while scanning
	left    []float64 // D: left stats of the best split so far
	tmpL    []float64
	tmpR    []float64
	feats   []int
	rng     *rand.Rand
	tree    *Tree
	idx     []int32
	tmp     []int32
	yw      []float64 // y and w of idx[i] at 2i, 2i+1, kept in the order of idx
	tyw     []float64
	bins    []int
	entropy bool
}

// smallNode is the row count up to which a node's bins are found by sorting
// its rows' bins rather than by scanning the whole bin range.
const smallNode = 64

// growCART grows a tree on the rows idx (each row once; weights carry
// multiplicity) of b. It follows scikit-learn's BestSplitter: depth-first,
// a node becomes a leaf when it is at max_depth, has fewer than
// min_samples_split rows or fewer than 2·min_samples_leaf, or is pure; its
// split is the best over at least mtry features drawn without replacement
// (more when drawn features are constant in the node) of the thresholds
// between bins, maximising the impurity decrease
//
//	Δ = W_t/W · (I(t) − W_L/W_t·I(L) − W_R/W_t·I(R))
//
// (W weights, I gini 1−Σp², entropy −Σp log2 p, or the weighted variance),
// and is refused when Δ < min_impurity_decrease. Missing values go to the
// side that scores better.
func growCART(ctx context.Context, b *binned, y, w []float64, idx []int32, cfg cartConfig, rng *rand.Rand) (*Tree, error) {
	g := &cartGrower{b: b, y: y, w: w, cfg: cfg, rng: rng, idx: idx, tmp: make([]int32, len(idx)),
		yw: make([]float64, 2*len(idx)), tyw: make([]float64, 2*len(idx)), entropy: cfg.criterion == "entropy"}
	for i, r := range idx {
		g.yw[2*i], g.yw[2*i+1] = y[r], 1
		if w != nil {
			g.yw[2*i+1] = w[r]
		}
	}
	g.D = 4
	width := 1
	if cfg.K > 0 {
		g.D = 1 + cfg.K
		width = cfg.K
	}
	g.hist = make([]float64, 256*g.D)
	g.cum = make([]float64, g.D)
	g.left = make([]float64, g.D)
	g.tmpL = make([]float64, g.D)
	g.tmpR = make([]float64, g.D)
	g.feats = make([]int, b.Cols)
	for j := range g.feats {
		g.feats[j] = j
	}
	g.tree = &Tree{Width: width}
	root := make([]float64, g.D)
	for _, r := range idx {
		g.add(root, r)
	}
	g.rootW = g.weight(root)
	stack := []cartNode{{lo: 0, hi: len(idx), depth: 0, id: g.newNode(root), stats: root}}
	for steps := 0; len(stack) > 0; steps++ {
		if steps&63 == 0 {
			if err := ctx.Err(); err != nil {
				return nil, err
			}
		}
		nd := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		if nd.id < 0 {
			// Number nodes when popped: depth-first preorder, as scikit-learn.
			nd.id = g.newNode(nd.stats)
			if nd.isLeft {
				g.tree.Left[nd.parent] = int32(nd.id)
			} else {
				g.tree.Right[nd.parent] = int32(nd.id)
			}
		}
		l, r, ok := g.split(nd)
		if ok {
			// Push right first so the left subtree is grown (and numbered) first.
			stack = append(stack, r, l)
		}
	}
	return g.tree, nil
}

func (g *cartGrower) add(s []float64, r int32) {
	wr := 1.0
	if g.w != nil {
		wr = g.w[r]
	}
	s[0]++
	if g.cfg.K > 0 {
		s[1+int(g.y[r])] += wr
		return
	}
	yr := g.y[r]
	s[1] += wr
	s[2] += wr * yr
	s[3] += wr * yr * yr
}

// weight returns Σw of stats s.
func (g *cartGrower) weight(s []float64) float64 {
	if g.cfg.K == 0 {
		return s[1]
	}
	var t float64
	for _, c := range s[1:] {
		t += c
	}
	return t
}

// impurity returns the node impurity of stats s with weight W.
func (g *cartGrower) impurity(s []float64, W float64) float64 {
	if W <= 0 {
		return 0
	}
	if g.cfg.K == 0 {
		m := s[2] / W
		return max(0, s[3]/W-m*m)
	}
	var v float64
	if g.entropy {
		for _, c := range s[1:] {
			if c > 0 {
				p := c / W
				v -= p * math.Log2(p)
			}
		}
		return v
	}
	for _, c := range s[1:] {
		p := c / W
		v += p * p
	}
	return 1 - v
}

// proxy returns a score that orders splits as the impurity decrease does
// (larger is better): Σ_k c_k²/W per side for gini, −(W log W − Σ c log c)
// for entropy, S²/W for squared error.
func (g *cartGrower) proxy(s []float64, W float64) float64 {
	if g.cfg.K == 0 {
		return s[2] * s[2] / W
	}
	var v float64
	if g.entropy {
		for _, c := range s[1:] {
			if c > 0 {
				v += c * math.Log(c)
			}
		}
		return v - W*math.Log(W)
	}
	for _, c := range s[1:] {
		v += c * c
	}
	return v / W
}

// buildHist adds the stats of rows into g.hist by the bins col and returns
// the smallest and largest value bin seen (maxB −1 when all are missing).
func (g *cartGrower) buildHist(col []uint8, rows []int32, lo int) (minB, maxB int) {
	h, D := g.hist, g.D
	minB, maxB = 255, -1
	yw := g.yw[2*lo : 2*(lo+len(rows))]
	if g.cfg.K > 0 {
		for i, r := range rows {
			b := int(col[r])
			if b != missingBin {
				minB, maxB = min(minB, b), max(maxB, b)
			}
			o := b * D
			h[o]++
			h[o+1+int(yw[2*i])] += yw[2*i+1]
		}
		return minB, maxB
	}
	// regression: count, Σw, Σwy, Σwy²
	for i, r := range rows {
		b := int(col[r])
		if b != missingBin {
			minB, maxB = min(minB, b), max(maxB, b)
		}
		yr, wr := yw[2*i], yw[2*i+1]
		hb := h[b*4 : b*4+4 : b*4+4]
		hb[0]++
		hb[1] += wr
		hb[2] += wr * yr
		hb[3] += wr * yr * yr
	}
	return minB, maxB
}

// giniScore returns Σ_k L_k²/W_L + Σ_k R_k²/W_R for class weights left
// (cum, plus miss when missLeft) and right (tot − left), and false when a
// side has no weight.
func giniScore(cum, miss, tot []float64, missLeft bool) (float64, bool) {
	var wl, wr, sl, sr float64
	for k := 1; k < len(cum); k++ {
		l := cum[k]
		if missLeft {
			l += miss[k]
		}
		r := tot[k] - l
		wl += l
		wr += r
		sl += l * l
		sr += r * r
	}
	if wl <= 0 || wr <= 0 {
		return 0, false
	}
	return sl/wl + sr/wr, true
}

// newNode appends a leaf with stats s and returns its index.
func (g *cartGrower) newNode(s []float64) int {
	t := g.tree
	W := g.weight(s)
	t.Feature = append(t.Feature, -1)
	t.Threshold = append(t.Threshold, 0)
	t.Left = append(t.Left, -1)
	t.Right = append(t.Right, -1)
	t.MissingLeft = append(t.MissingLeft, 0)
	t.Weight = append(t.Weight, W)
	t.Impurity = append(t.Impurity, g.impurity(s, W))
	if g.cfg.K > 0 {
		for _, c := range s[1:] {
			t.Value = append(t.Value, c/W)
		}
	} else {
		t.Value = append(t.Value, s[2]/W)
	}
	return len(t.Feature) - 1
}

// split finds and applies the best split of nd, returning its children.
func (g *cartGrower) split(nd cartNode) (cartNode, cartNode, bool) {
	cfg := &g.cfg
	n := nd.hi - nd.lo
	t := g.tree
	imp := t.Impurity[nd.id]
	if (cfg.maxDepth > 0 && nd.depth >= cfg.maxDepth) || n < cfg.minSamplesSplit || n < 2*cfg.minSamplesLeaf || imp <= 1e-7 {
		return cartNode{}, cartNode{}, false
	}
	W := t.Weight[nd.id]
	D := g.D
	rows := g.idx[nd.lo:nd.hi]
	bestScore := math.Inf(-1)
	bestF, bestB, bestML := -1, 0, false
	p := len(g.feats)
	visited := 0
	for i := 0; i < p && visited < cfg.mtry; i++ {
		j := i + g.rng.IntN(p-i)
		g.feats[i], g.feats[j] = g.feats[j], g.feats[i]
		f := g.feats[i]
		col := g.b.col(f)
		h := g.hist
		minB, maxB := g.buildHist(col, rows, nd.lo)
		miss := h[missingBin*D : missingBin*D+D]
		hasMiss := miss[0] > 0
		if maxB < 0 || (minB == maxB && !hasMiss) {
			clear(h[missingBin*D : missingBin*D+D])
			if maxB >= 0 {
				clear(h[minB*D : (maxB+1)*D])
			}
			continue // constant in this node
		}
		visited++
		clear(g.cum)
		// The non-empty value bins in order: found by sorting the rows' bins
		// in a small node, by a pass over the range in a large one (an empty
		// bin gives the same partition as the bin before it).
		bins := g.bins[:0]
		if len(rows) <= smallNode {
			for _, r := range rows {
				if b := col[r]; b != missingBin {
					bins = append(bins, int(b))
				}
			}
			slices.Sort(bins)
			bins = slices.Compact(bins)
		} else {
			for b := minB; b <= maxB; b++ {
				if h[b*D] != 0 {
					bins = append(bins, b)
				}
			}
		}
		g.bins = bins
		for _, b := range bins {
			if b == maxB && !hasMiss {
				break // "all values left" is no split without missing values
			}
			hb := h[b*D : b*D+D]
			for k, v := range hb {
				g.cum[k] += v
			}
			for ml := 0; ml < 2; ml++ {
				if ml == 1 && (!hasMiss || b == maxB) {
					break
				}
				nL := g.cum[0]
				if ml == 1 {
					nL += miss[0]
				}
				if nL < float64(cfg.minSamplesLeaf) || nd.stats[0]-nL < float64(cfg.minSamplesLeaf) {
					continue
				}
				var s float64
				ok := true
				switch {
				case g.cfg.K > 0 && !g.entropy:
					s, ok = giniScore(g.cum, miss, nd.stats, ml == 1)
				case g.cfg.K == 0:
					// S_L²/W_L + S_R²/W_R
					wl, sl := g.cum[1], g.cum[2]
					if ml == 1 {
						wl, sl = wl+miss[1], sl+miss[2]
					}
					wr, sr := nd.stats[1]-wl, nd.stats[2]-sl
					if wl <= 0 || wr <= 0 {
						continue
					}
					s = sl*sl/wl + sr*sr/wr
				default:
					L, R := g.tmpL, g.tmpR
					for k := range L {
						L[k] = g.cum[k]
						if ml == 1 {
							L[k] += miss[k]
						}
						R[k] = nd.stats[k] - L[k]
					}
					WL, WR := g.weight(L), g.weight(R)
					if WL <= 0 || WR <= 0 {
						continue
					}
					s = g.proxy(L, WL) + g.proxy(R, WR)
				}
				if ok && s > bestScore {
					bestScore, bestF, bestB, bestML = s, f, b, ml == 1
					for k := range g.left {
						g.left[k] = g.cum[k]
						if ml == 1 {
							g.left[k] += miss[k]
						}
					}
				}
			}
		}
		if len(rows) <= smallNode {
			for _, b := range bins {
				clear(h[b*D : b*D+D])
			}
		} else {
			clear(h[minB*D : (maxB+1)*D])
		}
		clear(miss)
	}
	if bestF < 0 {
		return cartNode{}, cartNode{}, false
	}
	L := append([]float64(nil), g.left...)
	R := make([]float64, D)
	for k := range R {
		R[k] = nd.stats[k] - L[k]
	}
	WL, WR := g.weight(L), g.weight(R)
	impL, impR := g.impurity(L, WL), g.impurity(R, WR)
	if W/g.rootW*(imp-WL/W*impL-WR/W*impR)+1e-7 < cfg.minImpurityDecrease {
		return cartNode{}, cartNode{}, false
	}
	// Partition rows: left are bins <= bestB, and missing when bestML.
	col := g.b.col(bestF)
	goLeft := func(r int32) bool {
		bin := int(col[r])
		if bin == missingBin {
			return bestML
		}
		return bin <= bestB
	}
	// Stable partition: rows stay ascending, so column reads stay local;
	// their (y, w) pairs move with them.
	i, nr := 0, 0
	tmp := g.tmp[:len(rows)]
	yw := g.yw[2*nd.lo : 2*nd.hi]
	tyw := g.tyw[:2*len(rows)]
	for k, r := range rows {
		yv, wv := yw[2*k], yw[2*k+1]
		if goLeft(r) {
			rows[i] = r
			yw[2*i], yw[2*i+1] = yv, wv
			i++
		} else {
			tmp[nr] = r
			tyw[2*nr], tyw[2*nr+1] = yv, wv
			nr++
		}
	}
	copy(rows[i:], tmp[:nr])
	copy(yw[2*i:], tyw[:2*nr])
	hadMiss := false
	for _, r := range rows {
		if col[r] == missingBin {
			hadMiss = true
			break
		}
	}
	ml := int8(0)
	if bestML || (!hadMiss && WL >= WR) {
		ml = 1
	}
	t.Feature[nd.id] = int32(bestF)
	next := 256
	for _, r := range rows[i:] {
		if b := int(col[r]); b > bestB && b < next {
			next = b
		}
	}
	t.Threshold[nd.id] = g.b.threshold(bestF, bestB, next)
	t.MissingLeft[nd.id] = ml
	left := cartNode{lo: nd.lo, hi: nd.lo + i, depth: nd.depth + 1, id: -1, parent: nd.id, isLeft: true, stats: L}
	right := cartNode{lo: nd.lo + i, hi: nd.hi, depth: nd.depth + 1, id: -1, parent: nd.id, stats: R}
	return left, right, true
}
