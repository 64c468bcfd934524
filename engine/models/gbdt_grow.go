package models

import (
	"context"
	"sync"
	"sync/atomic"
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

// ghPair is a gradient and hessian, or their sums over a histogram bin.
type ghPair struct{ G, H float64 }

// histBins is the number of bins of one feature's histogram (value bins
// 0..254 and missingBin).
const histBins = 256

// Fixed work sizes: the pieces of work are the same whatever the number of
// goroutines, so the fitted model never depends on scheduling or n_jobs.
const (
	// partChunk is the number of rows partitioned by one piece of work.
	partChunk = 1 << 14
	// rowChunk is the number of rows of one piece of the row-wise passes
	// (gradients, score updates, losses and sums).
	rowChunk = 1 << 13
	// serialWork is the number of rows (times features) below which a step
	// runs on the calling goroutine.
	serialWork = 1 << 12
)

// gbLeaf is a leaf of the tree being grown: its rows are idx[lo:hi].
type gbLeaf struct {
	lo, hi, depth, id int
	G, H              float64
	hist              []ghPair // histBins per feature: Σg, Σh per bin; nil when not splittable
	// best split found for this leaf
	gain     float64
	feat     int
	bin      int
	missLeft bool
	GL, HL   float64
	// stump marks a split leaf whose two children (nodes kids) may not be
	// split: its rows stay unpartitioned and go to the child of their bin.
	stump bool
	kids  [2]int
}

// gbCand is the best split of one leaf on one feature.
type gbCand struct {
	gain     float64
	bin      int
	missLeft bool
	GL, HL   float64
}

// gbGrower grows regression trees on gradient/hessian pairs over binned data
// (Chen & Guestrin 2016, XGBoost, §2.2 and §3.4; Ke et al. 2017, LightGBM,
// for leaf-wise growth and histogram subtraction).
//
// Work is split into pieces of fixed size run on up to n_jobs goroutines:
// depth-wise growth splits a whole level at once (rows of every leaf of the
// level partitioned in chunks, histograms built per leaf and pair of
// features, best splits searched per leaf and feature), loss-guided growth
// one leaf at a time the same way. Every sum is made by one piece of work in
// a fixed order, so the tree does not depend on scheduling.
type gbGrower struct {
	b     *binned
	cfg   gbConfig
	feats []int    // features this tree may split on
	idx   []int32  // rows of the tree, grouped by leaf
	pgh   []ghPair // gradient pairs of idx[i], kept in the order of idx
	rows  []int32  // rows of the tree in ascending order
	tmp   []int32  // scratch for partitioning idx: rows going left
	tgh   []ghPair // scratch for partitioning pgh: rows going left
	tmpR  []int32  // scratch for partitioning idx: rows going right
	tghR  []ghPair // scratch for partitioning pgh: rows going right
	pool  [][]ghPair
	tree  *Tree
	bthr  []int // split bin per node (for traversing binned data)

	// scratch reused across levels
	spans  []gbSpan
	counts []int
	hjobs  []gbHistJob
	cands  []gbCand
	leafOf []uint16 // final leaf (index in grow's result) of every row
}

// gbSpan is a chunk [a, b) of the rows of leaf l of a batch.
type gbSpan struct{ l, a, b int }

// gbHistJob builds the histogram of features feats[f0:f1] of leaf l.
type gbHistJob struct{ l, f0, f1 int }

func newGBGrower(b *binned, cfg gbConfig) *gbGrower {
	return &gbGrower{b: b, cfg: cfg, idx: make([]int32, b.Rows), tmp: make([]int32, b.Rows), tgh: make([]ghPair, b.Rows),
		tmpR: make([]int32, b.Rows), tghR: make([]ghPair, b.Rows)}
}

// run calls f(i) for i in [0, n), on the calling goroutine alone when the
// step covers fewer than serialWork units of work.
func (g *gbGrower) run(n, work int, f func(i int)) {
	jobs := g.cfg.jobs
	if work < serialWork {
		jobs = 1
	}
	gbParallel(n, jobs, f)
}

// gbParallel calls f(i) for i in [0, n) on up to workers(jobs) goroutines,
// the calling one among them (it starts at once instead of waiting for
// another to be scheduled), each taking the next index.
func gbParallel(n, jobs int, f func(i int)) {
	w := min(workers(jobs), n)
	if w <= 1 {
		for i := 0; i < n; i++ {
			f(i)
		}
		return
	}
	var next atomic.Int64
	loop := func() {
		for {
			i := int(next.Add(1) - 1)
			if i >= n {
				return
			}
			f(i)
		}
	}
	var wg sync.WaitGroup
	for range w - 1 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			loop()
		}()
	}
	loop()
	wg.Wait()
}

func (g *gbGrower) getHist() []ghPair {
	if n := len(g.pool); n > 0 {
		h := g.pool[n-1]
		g.pool = g.pool[:n-1]
		clear(h)
		return h
	}
	return make([]ghPair, g.b.Cols*histBins)
}

func (g *gbGrower) putHist(h []ghPair) {
	if h != nil {
		g.pool = append(g.pool, h)
	}
}

// featHist returns feature f's histogram in h.
func featHist(h []ghPair, f int) *[histBins]ghPair {
	return (*[histBins]ghPair)(h[f*histBins : (f+1)*histBins])
}

// buildHist adds the gradient pairs of the rows idx[lo:hi] to the
// histograms in h of features fs (one or two; two share one pass over the
// rows).
func (g *gbGrower) buildHist(lo, hi int, fs []int, h []ghPair) {
	rows := g.idx[lo:hi]
	ogh := g.pgh[lo:hi]
	ogh = ogh[:len(rows)]
	identity := len(rows) == g.b.Rows // all rows, ascending: no indirection
	if len(fs) == 1 {
		col := g.b.col(fs[0])
		hf := featHist(h, fs[0])
		if identity {
			col = col[:len(ogh)]
			for i, p := range ogh {
				a := &hf[col[i]]
				a.G += p.G
				a.H += p.H
			}
			return
		}
		n := len(rows)
		i := 0
		for ; i+4 <= n; i += 4 {
			a0, a1, a2, a3 := &hf[col[rows[i]]], &hf[col[rows[i+1]]], &hf[col[rows[i+2]]], &hf[col[rows[i+3]]]
			p := ogh[i : i+4 : i+4]
			a0.G += p[0].G
			a0.H += p[0].H
			a1.G += p[1].G
			a1.H += p[1].H
			a2.G += p[2].G
			a2.H += p[2].H
			a3.G += p[3].G
			a3.H += p[3].H
		}
		for ; i < n; i++ {
			a := &hf[col[rows[i]]]
			a.G += ogh[i].G
			a.H += ogh[i].H
		}
		return
	}
	c0, c1 := g.b.col(fs[0]), g.b.col(fs[1])
	h0, h1 := featHist(h, fs[0]), featHist(h, fs[1])
	if identity {
		c0, c1 = c0[:len(ogh)], c1[:len(ogh)]
		for i, p := range ogh {
			a, b := &h0[c0[i]], &h1[c1[i]]
			a.G += p.G
			a.H += p.H
			b.G += p.G
			b.H += p.H
		}
		return
	}
	for i, r := range rows {
		p := ogh[i]
		a, b := &h0[c0[r]], &h1[c1[r]]
		a.G += p.G
		a.H += p.H
		b.G += p.G
		b.H += p.H
	}
}

// buildHists builds the histograms of leaves ls (each with hist set and
// cleared), in pieces of one leaf and two features.
func (g *gbGrower) buildHists(ls []*gbLeaf) {
	g.hjobs = g.hjobs[:0]
	work := 0
	for i, l := range ls {
		for f := 0; f < len(g.feats); f += 2 {
			g.hjobs = append(g.hjobs, gbHistJob{l: i, f0: f, f1: min(f+2, len(g.feats))})
		}
		work += (l.hi - l.lo) * len(g.feats)
	}
	g.run(len(g.hjobs), work, func(j int) {
		hj := g.hjobs[j]
		l := ls[hj.l]
		g.buildHist(l.lo, l.hi, g.feats[hj.f0:hj.f1], l.hist)
	})
}

// leafWeight is −G/(H+λ), the optimal leaf value for the second-order
// approximation of the loss (XGBoost eq. 5).
func (g *gbGrower) leafWeight(G, H float64) float64 { return -G / (H + g.cfg.lambda) }

// score is G²/(H+λ).
func (g *gbGrower) score(G, H float64) float64 { return G * G / (H + g.cfg.lambda) }

// bestOnFeature returns l's best split on feature f: the largest
//
//	gain = ½ [G_L²/(H_L+λ) + G_R²/(H_R+λ) − G²/(H+λ)] − γ
//
// (XGBoost eq. 7) over thresholds between bins and both sides for missing
// values, with H_L, H_R ≥ min_child_weight; gain ≤ 0 means no split.
func (g *gbGrower) bestOnFeature(l *gbLeaf, f int) gbCand {
	c := gbCand{}
	parent := g.score(l.G, l.H)
	mcw := g.cfg.minChildWeight
	hf := featHist(l.hist, f)
	nb := g.b.nBins(f)
	Gm, Hm := hf[missingBin].G, hf[missingBin].H
	hasMiss := Hm > 0 || Gm != 0
	var GL, HL float64
	last := nb - 2
	if hasMiss {
		last = nb - 1
	}
	for b := 0; b <= last; b++ {
		if b > 0 && hf[b] == (ghPair{}) {
			// An empty bin repeats the previous bin's splits, which a tie
			// never replaces.
			continue
		}
		GL += hf[b].G
		HL += hf[b].H
		// missing right
		if b < nb-1 || hasMiss {
			gr, hr := l.G-GL, l.H-HL
			if HL >= mcw && hr >= mcw && HL > 0 && hr > 0 {
				if gain := 0.5*(g.score(GL, HL)+g.score(gr, hr)-parent) - g.cfg.gamma; gain > c.gain+1e-12 {
					c = gbCand{gain: gain, bin: b, GL: GL, HL: HL}
				}
			}
		}
		// missing left
		if hasMiss && b < nb-1 {
			gl, hl := GL+Gm, HL+Hm
			gr, hr := l.G-gl, l.H-hl
			if hl >= mcw && hr >= mcw && hl > 0 && hr > 0 {
				if gain := 0.5*(g.score(gl, hl)+g.score(gr, hr)-parent) - g.cfg.gamma; gain > c.gain+1e-12 {
					c = gbCand{gain: gain, bin: b, missLeft: true, GL: gl, HL: hl}
				}
			}
		}
	}
	return c
}

// findSplits sets the best split of each leaf in ls: the best split on each
// feature (in parallel), then the best of those in feature order (a later
// feature wins only by more than 1e-12). Leaves with sub set first get
// their histogram as the histogram of sub minus its own (the subtraction
// trick: sub holds the parent's histogram, the sibling's is subtracted).
func (g *gbGrower) findSplits(ls []*gbLeaf, sibling []*gbLeaf) {
	nf := len(g.feats)
	g.cands = append(g.cands[:0], make([]gbCand, len(ls)*nf)...)
	g.run(len(ls)*nf, len(ls)*nf*histBins, func(j int) {
		l, f := ls[j/nf], g.feats[j%nf]
		if s := sibling[j/nf]; s != nil {
			a, b := featHist(l.hist, f), featHist(s.hist, f)
			for i := range a {
				a[i].G -= b[i].G
				a[i].H -= b[i].H
			}
		}
		g.cands[j] = g.bestOnFeature(l, f)
	})
	for i, l := range ls {
		l.gain, l.feat = 0, -1
		for k, c := range g.cands[i*nf : (i+1)*nf] {
			if c.gain > l.gain+1e-12 {
				l.gain, l.feat, l.bin, l.missLeft, l.GL, l.HL = c.gain, g.feats[k], c.bin, c.missLeft, c.GL, c.HL
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

// grow grows one tree on the rows idx (ascending) whose gradient pairs, in
// the same order, are gh; gh is reordered. It returns the tree and the
// final leaves, whose ranges of g.idx give every row's leaf. Depth-wise
// growth splits leaves level by level (XGBoost's default); loss-guided
// growth splits the leaf of largest gain first (LightGBM), both until
// max_depth, max_leaves or no positive gain. A child's histogram is built
// for the smaller child only; the larger one's is the parent's minus it.
func (g *gbGrower) grow(ctx context.Context, idx []int32, gh []ghPair, feats []int) (*Tree, []gbLeaf, error) {
	g.rows = idx
	g.idx = g.idx[:len(idx)]
	copy(g.idx, idx)
	g.pgh, g.feats = gh, feats
	g.tree = &Tree{Width: 1}
	g.bthr = g.bthr[:0]
	G, H := g.sums(gh)
	root := gbLeaf{lo: 0, hi: len(idx), id: g.newNode(G, H), G: G, H: H, feat: -1}
	if g.canSplit(0, H) {
		root.hist = g.getHist()
		ls := []*gbLeaf{&root}
		g.buildHists(ls)
		g.findSplits(ls, []*gbLeaf{nil})
	}
	open := []gbLeaf{root} // leaves that may be split
	var done, batch []gbLeaf
	nLeaves := 1
	for len(open) > 0 {
		if err := ctx.Err(); err != nil {
			return nil, nil, err
		}
		// The next leaves to split: the whole level (breadth-first order),
		// or the one of largest gain (the earliest on ties).
		batch = batch[:0]
		take := func(l gbLeaf) {
			if l.feat < 0 || (g.cfg.maxLeaves > 0 && nLeaves >= g.cfg.maxLeaves) {
				g.putHist(l.hist)
				l.hist = nil
				done = append(done, l)
				return
			}
			nLeaves++
			batch = append(batch, l)
		}
		if g.cfg.lossguide {
			k := 0
			for i := range open {
				if open[i].gain > open[k].gain {
					k = i
				}
			}
			l := open[k]
			open = append(open[:k], open[k+1:]...)
			take(l)
		} else {
			for _, l := range open {
				take(l)
			}
			open = open[:0]
		}
		if len(batch) > 0 {
			var kids []gbLeaf
			kids, done = g.split(batch, done)
			open = append(open, kids...)
		}
	}
	return g.tree, done, nil
}

// sums returns ΣG and ΣH of gh, summed in fixed chunks.
func (g *gbGrower) sums(gh []ghPair) (float64, float64) {
	n := (len(gh) + rowChunk - 1) / rowChunk
	part := make([]ghPair, n)
	g.run(n, len(gh), func(c int) {
		var s ghPair
		for _, p := range gh[c*rowChunk : min(len(gh), (c+1)*rowChunk)] {
			s.G += p.G
			s.H += p.H
		}
		part[c] = s
	})
	var G, H float64
	for _, s := range part {
		G += s.G
		H += s.H
	}
	return G, H
}

// split applies the best split of every leaf of batch and returns their
// children in order (left, right of the first leaf, ...), with histograms
// and best splits when they may be split further. Leaves neither of whose
// children may be split are appended to done as stumps instead.
func (g *gbGrower) split(batch, done []gbLeaf) ([]gbLeaf, []gbLeaf) {
	t := g.tree
	kids := make([]gbLeaf, 2*len(batch))
	for i := range batch {
		l := &batch[i]
		hf := featHist(l.hist, l.feat)
		hasMiss := hf[missingBin].H > 0
		GL, HL := l.GL, l.HL
		GR, HR := l.G-GL, l.H-HL
		mlv := int8(0)
		if l.missLeft || (!hasMiss && HL >= HR) {
			mlv = 1
		}
		t.Feature[l.id] = int32(l.feat)
		next := l.bin + 1
		for ; next < g.b.nBins(l.feat) && hf[next].H == 0 && hf[next].G == 0; next++ {
		}
		t.Threshold[l.id] = g.b.threshold(l.feat, l.bin, next)
		t.MissingLeft[l.id] = mlv
		g.bthr[l.id] = l.bin
		left := gbLeaf{depth: l.depth + 1, G: GL, H: HL, feat: -1}
		right := gbLeaf{depth: l.depth + 1, G: GR, H: HR, feat: -1}
		left.id = g.newNode(GL, HL)
		right.id = g.newNode(GR, HR)
		t.Left[l.id], t.Right[l.id] = int32(left.id), int32(right.id)
		kids[2*i], kids[2*i+1] = left, right
		l.stump = !g.canSplit(left.depth, left.H) && !g.canSplit(right.depth, right.H)
		l.kids = [2]int{left.id, right.id}
	}
	nl := g.partition(batch)
	var small, search, sib []*gbLeaf
	open := kids[:0]
	for i := range batch {
		l := &batch[i]
		if l.stump {
			g.putHist(l.hist)
			l.hist = nil
			done = append(done, *l)
			continue
		}
		left, right := &kids[2*i], &kids[2*i+1]
		left.lo, left.hi = l.lo, l.lo+nl[i]
		right.lo, right.hi = l.lo+nl[i], l.hi
		splitL, splitR := g.canSplit(left.depth, left.H), g.canSplit(right.depth, right.H)
		s, b := left, right
		if right.hi-right.lo < left.hi-left.lo {
			s, b = right, left
		}
		s.hist = g.getHist()
		b.hist = l.hist
		small = append(small, s)
		// The larger child's histogram (the parent's) becomes its own once
		// the smaller one's is subtracted, which happens only when its best
		// split is searched: it is never read otherwise.
		for _, c := range [2]*gbLeaf{left, right} {
			if (c == left && splitL) || (c == right && splitR) {
				search = append(search, c)
				if c == b {
					sib = append(sib, s)
				} else {
					sib = append(sib, nil)
				}
			}
		}
	}
	g.buildHists(small)
	g.findSplits(search, sib)
	for i := range batch {
		if !batch[i].stump {
			open = append(open, kids[2*i], kids[2*i+1])
		}
	}
	return open, done
}

// partition reorders the rows of every leaf of batch but stumps (and their gradient
// pairs) so that the rows going left — bin <= the split bin, or missing when
// missing values go left — come first, both sides keeping ascending row
// order, and returns how many go left per leaf. Rows are partitioned in
// chunks of partChunk into scratch (one array for each side) and copied
// back at offsets from the chunk counts, so the result does not depend on
// scheduling.
func (g *gbGrower) partition(batch []gbLeaf) []int {
	g.spans = g.spans[:0]
	work := 0
	for i := range batch {
		l := &batch[i]
		if l.stump {
			continue
		}
		for a := l.lo; a < l.hi; a += partChunk {
			g.spans = append(g.spans, gbSpan{l: i, a: a, b: min(l.hi, a+partChunk)})
		}
		work += l.hi - l.lo
	}
	g.counts = append(g.counts[:0], make([]int, len(g.spans))...)
	rows, pgh, tmp, tgh, tmpR, tghR := g.idx, g.pgh, g.tmp, g.tgh, g.tmpR, g.tghR
	// Each chunk rows[a:b] goes into tmp[a:] (left) and tmpR[a:] (right).
	// Branch-free: every row is written to both sides and the side it
	// belongs to advances.
	g.run(len(g.spans), work, func(s int) {
		sp := g.spans[s]
		l := &batch[sp.l]
		col := g.b.col(l.feat)
		lim := uint(l.bin)
		ml := uint(0)
		if l.missLeft {
			ml = 1
		}
		a, b := sp.a, sp.b
		nl, nr := a, a
		for i := a; i < b; i++ {
			r := rows[i]
			bin := uint(col[r])
			var left uint
			if bin <= lim {
				left = 1
			}
			if bin == missingBin {
				left = ml
			}
			p := pgh[i]
			tmp[nl], tmpR[nr] = r, r
			tgh[nl], tghR[nr] = p, p
			nl += int(left)
			nr += int(1 - left)
		}
		g.counts[s] = nl - a
	})
	// Copy back: lefts of chunk c at their prefix offset, rights after all
	// lefts of the leaf.
	nl := make([]int, len(batch))
	for s, sp := range g.spans {
		nl[sp.l] += g.counts[s]
	}
	offs := make([][2]int, len(g.spans))
	for s, sp := range g.spans {
		if s == 0 || g.spans[s-1].l != sp.l {
			l := &batch[sp.l]
			offs[s] = [2]int{l.lo, l.lo + nl[sp.l]}
		} else {
			p := g.spans[s-1]
			offs[s] = [2]int{offs[s-1][0] + g.counts[s-1], offs[s-1][1] + p.b - p.a - g.counts[s-1]}
		}
	}
	g.run(len(g.spans), work, func(s int) {
		sp := g.spans[s]
		a, b, k := sp.a, sp.b, g.counts[s]
		copy(rows[offs[s][0]:], tmp[a:a+k])
		copy(pgh[offs[s][0]:], tgh[a:a+k])
		copy(rows[offs[s][1]:], tmpR[a:b-k])
		copy(pgh[offs[s][1]:], tghR[a:b-k])
	})
	return nl
}

// addLeaves adds each leaf's value of tree t to the scores of its rows:
// F[r*out+k] for the rows r of g.idx in the leaf's range (the value of the
// child of each row's bin for stumps). The rows of each leaf are scattered
// over the table, so each row's leaf is first noted in a small array
// (g.leafOf, uint16) and the scores are then updated in row order.
func (g *gbGrower) addLeaves(t *Tree, leaves []gbLeaf, F []float64, out, k int) {
	g.spans = g.spans[:0]
	work := 0
	for i, l := range leaves {
		for a := l.lo; a < l.hi; a += partChunk {
			g.spans = append(g.spans, gbSpan{l: i, a: a, b: min(l.hi, a+partChunk)})
		}
		work += l.hi - l.lo
	}
	if len(leaves) > 1<<16 {
		g.run(len(g.spans), work, func(s int) {
			sp := g.spans[s]
			o := g.leafOut(t, &leaves[sp.l])
			for _, r := range g.idx[sp.a:sp.b] {
				F[int(r)*out+k] += o.value(r)
			}
		})
		return
	}
	if g.leafOf == nil {
		g.leafOf = make([]uint16, g.b.Rows)
	}
	outs := make([]gbLeafOut, len(leaves))
	for i := range leaves {
		outs[i] = g.leafOut(t, &leaves[i])
	}
	g.run(len(g.spans), work, func(s int) {
		sp := g.spans[s]
		for _, r := range g.idx[sp.a:sp.b] {
			g.leafOf[r] = uint16(sp.l)
		}
	})
	rows := g.rows
	nc := (len(rows) + rowChunk - 1) / rowChunk
	g.run(nc, work, func(c int) {
		for _, r := range rows[c*rowChunk : min(len(rows), (c+1)*rowChunk)] {
			F[int(r)*out+k] += outs[g.leafOf[r]].value(r)
		}
	})
}

// gbLeafOut gives the score of the rows of a final leaf: vl, or for a stump
// (col set) vl for bins <= lim, vm for missing values and vr otherwise.
type gbLeafOut struct {
	col        []uint8
	lim        uint8
	vl, vr, vm float64
}

func (o *gbLeafOut) value(r int32) float64 {
	if o.col == nil {
		return o.vl
	}
	switch bin := o.col[r]; {
	case bin == missingBin:
		return o.vm
	case bin <= o.lim:
		return o.vl
	}
	return o.vr
}

func (g *gbGrower) leafOut(t *Tree, l *gbLeaf) gbLeafOut {
	if !l.stump {
		return gbLeafOut{vl: t.Value[l.id]}
	}
	o := gbLeafOut{col: g.b.col(l.feat), lim: uint8(l.bin), vl: t.Value[l.kids[0]], vr: t.Value[l.kids[1]]}
	o.vm = o.vr
	if l.missLeft {
		o.vm = o.vl
	}
	return o
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
