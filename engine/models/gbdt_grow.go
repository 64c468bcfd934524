package models

import (
	"context"
	"sync"
)

// gbConfig holds the tree parameters of one boosted tree.
type gbConfig struct {
	maxDepth       int // 0 = unlimited
	maxLeaves      int // 0 = unlimited
	lossguide      bool
	lambda         float64
	gamma          float64
	minChildWeight float64
	lr             float64
	jobs           int
}

// gbLeaf is a leaf of the tree being grown: its rows are idx[lo:hi].
type gbLeaf struct {
	lo, hi, depth, id int
	G, H              float64
	hist              []float64 // 2 × 256 per feature: Σg, Σh per bin; nil when not splittable
	// best split found for this leaf
	gain     float64
	feat     int
	bin      int
	missLeft bool
	GL, HL   float64
}

// gbGrower grows regression trees on gradient/hessian pairs over binned data
// (Chen & Guestrin 2016, XGBoost, §2.2 and §3.4; Ke et al. 2017, LightGBM,
// for leaf-wise growth and histogram subtraction).
type gbGrower struct {
	b     *binned
	cfg   gbConfig
	feats []int     // features this tree may split on
	gh    []float64 // g, h of row r at 2r, 2r+1
	idx   []int32   // rows of the tree, grouped by leaf
	tmp   []int32
	pgh   []float64 // g, h of idx[i] at 2i, 2i+1: kept in the order of idx
	tgh   []float64 // scratch for partitioning pgh
	pool  [][]float64
	tree  *Tree
	bthr  []int // split bin per node (for traversing binned data)
	leafs []gbLeaf
}

func newGBGrower(b *binned, cfg gbConfig) *gbGrower {
	return &gbGrower{b: b, cfg: cfg, tmp: make([]int32, b.Rows), pgh: make([]float64, 2*b.Rows), tgh: make([]float64, 2*b.Rows)}
}

func (g *gbGrower) getHist() []float64 {
	if n := len(g.pool); n > 0 {
		h := g.pool[n-1]
		g.pool = g.pool[:n-1]
		clear(h)
		return h
	}
	return make([]float64, g.b.Cols*512)
}

func (g *gbGrower) putHist(h []float64) {
	if h != nil {
		g.pool = append(g.pool, h)
	}
}

// buildHist fills h with the sums of g and h per (feature, bin) over the
// rows idx[lo:hi], whose gradients are pgh[2lo:2hi].
func (g *gbGrower) buildHist(lo, hi int, h []float64) {
	rows := g.idx[lo:hi]
	ogh := g.pgh[2*lo : 2*hi]
	identity := len(rows) == g.b.Rows // all rows, ascending: no indirection
	one := func(f int) {
		col := g.b.col(f)
		hf := h[f*512 : f*512+512]
		if identity {
			for i, b := range col {
				o := int(b) * 2
				hf[o] += ogh[2*i]
				hf[o+1] += ogh[2*i+1]
			}
			return
		}
		n := len(rows)
		i := 0
		for ; i+4 <= n; i += 4 {
			b0, b1, b2, b3 := int(col[rows[i]])*2, int(col[rows[i+1]])*2, int(col[rows[i+2]])*2, int(col[rows[i+3]])*2
			hf[b0] += ogh[2*i]
			hf[b0+1] += ogh[2*i+1]
			hf[b1] += ogh[2*i+2]
			hf[b1+1] += ogh[2*i+3]
			hf[b2] += ogh[2*i+4]
			hf[b2+1] += ogh[2*i+5]
			hf[b3] += ogh[2*i+6]
			hf[b3+1] += ogh[2*i+7]
		}
		for ; i < n; i++ {
			b := int(col[rows[i]]) * 2
			hf[b] += ogh[2*i]
			hf[b+1] += ogh[2*i+1]
		}
	}
	// two builds the histograms of features f0 and f1 in one pass over the
	// rows (one load of each row index and gradient pair for both).
	two := func(f0, f1 int) {
		if identity {
			one(f0)
			one(f1)
			return
		}
		c0, c1 := g.b.col(f0), g.b.col(f1)
		h0, h1 := h[f0*512:f0*512+512], h[f1*512:f1*512+512]
		for i, r := range rows {
			gv, hv := ogh[2*i], ogh[2*i+1]
			a, b := int(c0[r])*2, int(c1[r])*2
			h0[a] += gv
			h0[a+1] += hv
			h1[b] += gv
			h1[b+1] += hv
		}
	}
	run := func(feats []int) {
		i := 0
		for ; i+2 <= len(feats); i += 2 {
			two(feats[i], feats[i+1])
		}
		if i < len(feats) {
			one(feats[i])
		}
	}
	jobs := workers(g.cfg.jobs)
	if jobs <= 1 || len(rows) < 4096 {
		run(g.feats)
		return
	}
	// Contiguous groups of features per goroutine: each (feature, bin) sum
	// is made by one goroutine in row order, so results do not depend on
	// scheduling.
	var wg sync.WaitGroup
	nf := len(g.feats)
	for w := 0; w < jobs; w++ {
		lo, hi := w*nf/jobs, (w+1)*nf/jobs
		wg.Add(1)
		go func() {
			defer wg.Done()
			run(g.feats[lo:hi])
		}()
	}
	wg.Wait()
}

// leafWeight is −G/(H+λ), the optimal leaf value for the second-order
// approximation of the loss (XGBoost eq. 5).
func (g *gbGrower) leafWeight(G, H float64) float64 { return -G / (H + g.cfg.lambda) }

// score is G²/(H+λ).
func (g *gbGrower) score(G, H float64) float64 { return G * G / (H + g.cfg.lambda) }

// findSplit sets l's best split: the largest
//
//	gain = ½ [G_L²/(H_L+λ) + G_R²/(H_R+λ) − G²/(H+λ)] − γ
//
// (XGBoost eq. 7) over thresholds between bins and both sides for missing
// values, with H_L, H_R ≥ min_child_weight; gain ≤ 0 means no split.
func (g *gbGrower) findSplit(l *gbLeaf) {
	l.gain, l.feat = 0, -1
	parent := g.score(l.G, l.H)
	mcw := g.cfg.minChildWeight
	for _, f := range g.feats {
		hf := l.hist[f*512 : f*512+512]
		nb := g.b.nBins(f)
		Gm, Hm := hf[2*missingBin], hf[2*missingBin+1]
		hasMiss := Hm > 0 || Gm != 0
		var GL, HL float64
		last := nb - 2
		if hasMiss {
			last = nb - 1
		}
		for b := 0; b <= last; b++ {
			GL += hf[2*b]
			HL += hf[2*b+1]
			// missing right
			if b < nb-1 || hasMiss {
				gr, hr := l.G-GL, l.H-HL
				if HL >= mcw && hr >= mcw && HL > 0 && hr > 0 {
					if gain := 0.5*(g.score(GL, HL)+g.score(gr, hr)-parent) - g.cfg.gamma; gain > l.gain+1e-12 {
						l.gain, l.feat, l.bin, l.missLeft, l.GL, l.HL = gain, f, b, false, GL, HL
					}
				}
			}
			// missing left
			if hasMiss && b < nb-1 {
				gl, hl := GL+Gm, HL+Hm
				gr, hr := l.G-gl, l.H-hl
				if hl >= mcw && hr >= mcw && hl > 0 && hr > 0 {
					if gain := 0.5*(g.score(gl, hl)+g.score(gr, hr)-parent) - g.cfg.gamma; gain > l.gain+1e-12 {
						l.gain, l.feat, l.bin, l.missLeft, l.GL, l.HL = gain, f, b, true, gl, hl
					}
				}
			}
		}
	}
}

// canSplit reports whether a leaf at depth may still be split.
func (g *gbGrower) canSplit(depth int, H float64) bool {
	return (g.cfg.maxDepth <= 0 || depth < g.cfg.maxDepth) && H >= 2*g.cfg.minChildWeight
}

func (g *gbGrower) newNode(G, H float64) int {
	t := g.tree
	t.Feature = append(t.Feature, -1)
	t.Threshold = append(t.Threshold, 0)
	t.Left = append(t.Left, -1)
	t.Right = append(t.Right, -1)
	t.MissingLeft = append(t.MissingLeft, 0)
	t.Value = append(t.Value, g.cfg.lr*g.leafWeight(G, H))
	g.bthr = append(g.bthr, 0)
	return len(t.Feature) - 1
}

// grow grows one tree on the rows idx with gradients gh; it returns the
// tree and the final leaves (whose row ranges give every row's leaf).
// Depth-wise growth splits leaves level by level (XGBoost's default);
// loss-guided growth splits the leaf of largest gain first (LightGBM), both
// until max_depth, max_leaves or no positive gain. A child's histogram is
// built for the smaller child only; the larger one's is the parent's minus it.
func (g *gbGrower) grow(ctx context.Context, idx []int32, gh []float64, feats []int) (*Tree, []gbLeaf, error) {
	g.idx, g.gh, g.feats = idx, gh, feats
	g.tree = &Tree{Width: 1}
	g.bthr = g.bthr[:0]
	var G, H float64
	for i, r := range idx {
		g.pgh[2*i], g.pgh[2*i+1] = gh[2*r], gh[2*r+1]
		G += gh[2*r]
		H += gh[2*r+1]
	}
	root := gbLeaf{lo: 0, hi: len(idx), id: g.newNode(G, H), G: G, H: H, feat: -1}
	if g.canSplit(0, H) {
		root.hist = g.getHist()
		g.buildHist(0, len(idx), root.hist)
		g.findSplit(&root)
	}
	open := []gbLeaf{root} // leaves that may be split
	var done []gbLeaf
	nLeaves := 1
	for len(open) > 0 {
		if err := ctx.Err(); err != nil {
			return nil, nil, err
		}
		// Pick the next leaf: the first (breadth-first order) or the one of
		// largest gain (the earliest on ties).
		k := 0
		if g.cfg.lossguide {
			for i := range open {
				if open[i].gain > open[k].gain {
					k = i
				}
			}
		}
		l := open[k]
		open = append(open[:k], open[k+1:]...)
		if l.feat < 0 || (g.cfg.maxLeaves > 0 && nLeaves >= g.cfg.maxLeaves) {
			g.putHist(l.hist)
			l.hist = nil
			done = append(done, l)
			continue
		}
		left, right := g.split(ctx, &l)
		nLeaves++
		open = append(open, left, right)
	}
	return g.tree, done, nil
}

// split applies l's best split and returns the two children, with
// histograms and best splits when they may be split further.
func (g *gbGrower) split(ctx context.Context, l *gbLeaf) (gbLeaf, gbLeaf) {
	t := g.tree
	col := g.b.col(l.feat)
	// Stable partition keeps rows ascending, which keeps column reads local.
	// Branch-free: every row is written to both sides and the side it
	// belongs to advances.
	nl := g.partition(l.lo, l.hi, col, l.bin, l.missLeft)
	GL, HL := l.GL, l.HL
	GR, HR := l.G-GL, l.H-HL
	hasMiss := l.hist[2*(l.feat*256+missingBin)+1] > 0
	mlv := int8(0)
	if l.missLeft || (!hasMiss && HL >= HR) {
		mlv = 1
	}
	t.Feature[l.id] = int32(l.feat)
	next := l.bin + 1
	for hf := l.hist[l.feat*512:]; next < g.b.nBins(l.feat) && hf[2*next+1] == 0 && hf[2*next] == 0; next++ {
	}
	t.Threshold[l.id] = g.b.threshold(l.feat, l.bin, next)
	t.MissingLeft[l.id] = mlv
	g.bthr[l.id] = l.bin
	left := gbLeaf{lo: l.lo, hi: l.lo + nl, depth: l.depth + 1, G: GL, H: HL, feat: -1}
	right := gbLeaf{lo: l.lo + nl, hi: l.hi, depth: l.depth + 1, G: GR, H: HR, feat: -1}
	left.id = g.newNode(GL, HL)
	right.id = g.newNode(GR, HR)
	t.Left[l.id], t.Right[l.id] = int32(left.id), int32(right.id)
	splitL, splitR := g.canSplit(left.depth, HL), g.canSplit(right.depth, HR)
	if !splitL && !splitR {
		g.putHist(l.hist)
		return left, right
	}
	small, large := &left, &right
	if right.hi-right.lo < left.hi-left.lo {
		small, large = &right, &left
	}
	small.hist = g.getHist()
	g.buildHist(small.lo, small.hi, small.hist)
	large.hist = l.hist
	for _, f := range g.feats {
		a, s := large.hist[f*512:f*512+512], small.hist[f*512:f*512+512]
		for i := range a {
			a[i] -= s[i]
		}
	}
	for _, c := range [2]*gbLeaf{&left, &right} {
		if (c == &left && splitL) || (c == &right && splitR) {
			g.findSplit(c)
		}
	}
	return left, right
}

// partition reorders idx[lo:hi] (and their gradient pairs) so that the rows
// going left — bin <= lim, or missing when missLeft — come first, both sides
// keeping ascending row order, and returns how many go left. Large ranges
// are split into one chunk per goroutine, each partitioned into scratch and
// copied back at offsets from the chunk counts, so the result does not
// depend on scheduling.
func (g *gbGrower) partition(lo, hi int, col []uint8, lim int, missLeft bool) int {
	rows := g.idx[lo:hi]
	pgh := g.pgh[2*lo : 2*hi]
	tmp := g.tmp[lo:hi]
	tgh := g.tgh[2*lo : 2*hi]
	ml := uint(0)
	if missLeft {
		ml = 1
	}
	// part partitions rows[a:b] into tmp[a:] (left, counting up) and
	// tmp[b-1:] (right, counting down, so reversed), returning the left count.
	part := func(a, b int) int {
		nl, nr := a, b-1
		for i := a; i < b; i++ {
			r := rows[i]
			bin := uint(col[r])
			var left uint
			if bin <= uint(lim) {
				left = 1
			}
			if bin == missingBin {
				left = ml
			}
			gv, hv := pgh[2*i], pgh[2*i+1]
			tmp[nl], tmp[nr] = r, r
			tgh[2*nl], tgh[2*nl+1] = gv, hv
			tgh[2*nr], tgh[2*nr+1] = gv, hv
			nl += int(left)
			nr -= int(1 - left)
		}
		return nl - a
	}
	n := len(rows)
	jobs := workers(g.cfg.jobs)
	if n < 1<<15 || jobs <= 1 {
		jobs = 1
	}
	counts := make([]int, jobs)
	bounds := make([]int, jobs+1)
	for c := range bounds {
		bounds[c] = c * n / jobs
	}
	var wg sync.WaitGroup
	for c := 0; c < jobs; c++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			counts[c] = part(bounds[c], bounds[c+1])
		}()
	}
	wg.Wait()
	nl := 0
	for _, k := range counts {
		nl += k
	}
	// Copy back: lefts of chunk c at their prefix offset, rights (reversed in
	// scratch) in ascending order after all lefts.
	leftAt, rightAt := 0, nl
	offs := make([][2]int, jobs)
	for c := 0; c < jobs; c++ {
		offs[c] = [2]int{leftAt, rightAt}
		leftAt += counts[c]
		rightAt += bounds[c+1] - bounds[c] - counts[c]
	}
	for c := 0; c < jobs; c++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			a, b, k := bounds[c], bounds[c+1], counts[c]
			copy(rows[offs[c][0]:], tmp[a:a+k])
			copy(pgh[2*offs[c][0]:], tgh[2*a:2*(a+k)])
			o := offs[c][1]
			for i := b - 1; i >= a+k; i-- {
				rows[o] = tmp[i]
				pgh[2*o], pgh[2*o+1] = tgh[2*i], tgh[2*i+1]
				o++
			}
		}()
	}
	wg.Wait()
	return nl
}

// binLeaf returns the leaf node of tree t that binned row i of b reaches,
// using split bins bthr.
func binLeaf(t *Tree, bthr []int, b *binned, i int) int {
	n := 0
	for t.Feature[n] >= 0 {
		bin := int(b.Bins[int(t.Feature[n])*b.Rows+i])
		var left bool
		if bin == missingBin {
			left = t.MissingLeft[n] == 1
		} else {
			left = bin <= bthr[n]
		}
		if left {
			n = int(t.Left[n])
		} else {
			n = int(t.Right[n])
		}
	}
	return n
}
