package selection

import (
	"context"
	"fmt"
	"math"
	"slices"

	"github.com/mlwb/mlwb/engine/frame"
	"github.com/mlwb/mlwb/engine/models"
)

// modelResult holds the model-based scores by feature (the index of the
// feature among Score's columns), NaN for a feature left out.
type modelResult struct {
	tree, l1, perm []float64
}

// modelScores computes Tree, L1 and Permutation: a forest of opt.Trees
// trees is fitted on 80 % of a sample of at most opt.ModelRows rows; its
// impurity importances give Tree and the accuracy (R²) drop on the other
// 20 % when a feature's columns are permuted, averaged over 3 permutations,
// gives Permutation (scikit-learn's permutation_importance). L1 fits a
// lasso (α = 0.01, y standardized) or an L1 logistic regression (C = 0.1)
// on the whole sample; a feature's coefficient is its one column's, or the
// sum of |w| over its columns and classes. step is called after each tree,
// each feature permuted (or left out) and the L1 fit.
func modelScores(ctx context.Context, f *frame.Frame, targetName string, cols []frame.Column, opt Options, step func()) (*modelResult, error) {
	nan := func() []float64 {
		v := make([]float64, len(cols))
		for j := range v {
			v[j] = math.NaN()
		}
		return v
	}
	res := &modelResult{tree: nan(), l1: nan(), perm: nan()}
	rows := sampleRows(f.NumRows(), opt.ModelRows, opt.Seed)
	fs := f.Take(rows)
	d, err := NewDesign(ctx, fs, targetName, nil)
	if err != nil {
		return nil, err
	}
	pos := map[string]int{}
	for j, c := range cols {
		pos[c.Name()] = j
	}
	for range len(cols) - len(d.Names) {
		step() // features left out of the design: nothing to permute
	}
	all := make([]int, len(d.Groups))
	for g := range all {
		all[g] = g
	}
	nTrain := len(rows) * 4 / 5
	perm := newRand(opt.Seed, 7).Perm(len(rows))
	trainRows, holdRows := perm[:nTrain], perm[nTrain:]

	// The L1 fit is serial: it runs beside the forest and the permutations.
	l1done := make(chan error, 1)
	var l1 []float64
	go func() {
		var err error
		l1, err = l1Coefficients(ctx, d)
		step()
		l1done <- err
	}()
	err = forestScores(ctx, d, all, trainRows, holdRows, opt, step, func(g int, tree, perm float64) {
		res.tree[pos[d.Names[g]]], res.perm[pos[d.Names[g]]] = tree, perm
	})
	if l1err := <-l1done; err == nil {
		err = l1err
	}
	if err != nil {
		return nil, err
	}
	for g, n := range d.Names {
		res.l1[pos[n]] = l1[g]
	}
	return res, nil
}

// forestScores fits a forest on trainRows and calls set with each group's
// impurity importance and permutation importance on holdRows (NaN with
// fewer than two held-out rows).
func forestScores(ctx context.Context, d *Design, all, trainRows, holdRows []int, opt Options, step func(), set func(g int, tree, perm float64)) error {
	rf, err := fitForest(ctx, d, all, trainRows, opt, step)
	if err != nil {
		return err
	}
	imp := groupImportance(d, all, forestImportance(rf, d.X.Cols))
	pi := make([]float64, len(d.Groups))
	for g := range pi {
		pi[g] = math.NaN()
	}
	if len(holdRows) > 1 {
		if pi, err = permutationImportance(ctx, d, rf, all, holdRows, 3, opt.Seed, opt.Workers, step); err != nil {
			return err
		}
	} else {
		for range d.Groups {
			step()
		}
	}
	for g := range d.Groups {
		set(g, imp[g], pi[g])
	}
	return nil
}

// forest is a bagged ensemble of CART trees ("tree" models on bootstrap
// samples with max_features auto: √p per split for classification, all for
// regression), as scikit-learn's RandomForest. It is grown here rather than
// with the "rf" model because rf does not keep the node weights and
// impurities that impurity importance needs.
//
// The tree model searches splits over at most 255 bins per feature, cut at
// quantiles of the rows it is given (one bin per value when there are at
// most 255 distinct values). Binning is most of the cost of fitting a tree,
// so the forest bins the training rows once (binEdges, the same edges the
// tree model computes on them) and fits each tree on the bins of its in-bag
// rows, coded so that the threshold the tree picks tells the two bins it
// falls between (see sidon); the thresholds are then moved back to the raw
// scale, to exactly the values the tree model fitted on the raw training
// rows would choose. The trees, their importances and predictions are
// those of the tree model fitted on each bootstrap sample of the raw rows.
type forest struct {
	trees []*models.DecisionTree
	task  models.Task
	k     int // classes
}

// forestBins is the most bins per feature: the tree model's default
// max_bins.
const forestBins = 255

// fitForest fits a forest on the groups gs and rows of the design, trees in
// parallel, tree t with its own bootstrap and seed.
func fitForest(ctx context.Context, d *Design, gs, rows []int, opt Options, step func()) (*forest, error) {
	X, y := d.Sub(gs, rows)
	maxFeat := "none"
	if d.Task.Classifier() {
		maxFeat = "sqrt"
	}
	fr := &forest{trees: make([]*models.DecisionTree, opt.Trees), task: d.Task, k: len(d.Classes)}
	workers := opt.Workers
	if workers <= 0 {
		workers = 2
	}
	// Bin codes of the training rows, and per column the raw threshold of
	// a split between bins a < b (see rawThreshold).
	B := models.NewMatrix(X.Rows, X.Cols)
	B.Names = X.Names
	edges, values := make([][]float64, X.Cols), make([][]float64, X.Cols)
	err := parallel(ctx, X.Cols, workers, func(j int) error {
		edges[j], values[j] = binEdges(X.Col(j), forestBins)
		dst := B.Col(j)
		for i, v := range X.Col(j) {
			if v != v {
				dst[i] = v
				continue
			}
			k, _ := slices.BinarySearch(edges[j], v) // the number of edges below v
			dst[i] = sidon(k)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	err = parallel(ctx, opt.Trees, workers, func(t int) error {
		m, err := models.New("tree", map[string]string{"max_features": maxFeat, "min_samples_leaf": "5"}, opt.Seed*1000+uint64(t))
		if err != nil {
			return err
		}
		cnt := make([]float64, B.Rows)
		r := newRand(opt.Seed, uint64(5000+t))
		for i := 0; i < B.Rows; i++ {
			cnt[r.IntN(B.Rows)]++
		}
		// The in-bag rows, in order, weighted by their draw counts.
		var in []int
		for i, c := range cnt {
			if c > 0 {
				in = append(in, i)
			}
		}
		Xt := models.NewMatrix(len(in), B.Cols)
		Xt.Names = B.Names
		yt, wt := make([]float64, len(in)), make([]float64, len(in))
		for j := range B.Cols {
			src, dst := B.Col(j), Xt.Col(j)
			for k, i := range in {
				dst[k] = src[i]
			}
		}
		for k, i := range in {
			yt[k], wt[k] = y[i], cnt[i]
		}
		if err := m.Fit(ctx, Xt, yt, wt, d.fitOptions()); err != nil {
			return fmt.Errorf("selection: forest: %w", err)
		}
		tr := m.(*models.DecisionTree)
		for n, j := range tr.Tree.Feature {
			if j >= 0 {
				tr.Tree.Threshold[n] = rawThreshold(tr.Tree.Threshold[n], edges[j], values[j])
			}
		}
		fr.trees[t] = tr
		if step != nil {
			step()
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return fr, nil
}

// binEdges returns the bin edges of the values of x (NaN ignored) as the
// tree model computes them: with at most maxBins distinct values, the
// midpoints between consecutive ones, and the distinct values; otherwise
// maxBins − 1 quantiles, each the midpoint of the sorted values of ranks
// i − 1 and i = k·n/maxBins (moved past a run of equal values), kept when
// above the previous one, and nil values. A value v is in bin b when
// edges[b−1] < v ≤ edges[b].
func binEdges(x []float64, maxBins int) (edges, values []float64) {
	vals := make([]float64, 0, len(x))
	for _, v := range x {
		if v == v {
			vals = append(vals, v)
		}
	}
	slices.Sort(vals)
	n := len(vals)
	var distinct []float64
	for i, v := range vals {
		if i == 0 || v != vals[i-1] {
			distinct = append(distinct, v)
			if len(distinct) > maxBins {
				break
			}
		}
	}
	if len(distinct) <= maxBins {
		for i := 1; i < len(distinct); i++ {
			edges = append(edges, models.Midpoint(distinct[i-1], distinct[i]))
		}
		return edges, distinct
	}
	for k := 1; k < maxBins; k++ {
		i := k * n / maxBins
		for i < n && vals[i] == vals[i-1] {
			i++
		}
		if i >= n {
			continue
		}
		if e := models.Midpoint(vals[i-1], vals[i]); len(edges) == 0 || e > edges[len(edges)-1] {
			edges = append(edges, e)
		}
	}
	return edges, nil
}

// sidon returns the code of bin k (0 ≤ k < 257): 2pk + (k² mod p) with
// p = 257, Erdős and Turán's Sidon set. Codes increase with k and the sums
// of two codes are all different, so the midpoint of two codes, the
// threshold a tree fitted on codes chooses between the bins a < b of a
// node, tells a and b (sidonPair).
func sidon(k int) float64 { return float64(2*257*k + k*k%257) }

// sidonPairs maps the sum of the codes of two bins a < b to (a, b).
var sidonPairs = func() map[int][2]int32 {
	m := make(map[int][2]int32, forestBins*(forestBins-1)/2)
	for a := range forestBins {
		for b := a + 1; b < forestBins; b++ {
			m[int(sidon(a)+sidon(b))] = [2]int32{int32(a), int32(b)}
		}
	}
	return m
}()

// rawThreshold returns the raw-scale threshold of a split a tree fitted on
// bin codes made at t: between bins a < b (t the midpoint of their codes),
// the midpoint of the two values when bins are exact, else the upper edge
// of bin a — the tree model's own choice on raw values. Any other t (the
// MaxFloat64 of a split sending every value one way and the missing ones
// the other) is kept.
func rawThreshold(t float64, edges, values []float64) float64 {
	if t != math.Trunc(2*t)/2 || 2*t > float64(math.MaxInt32) {
		return t
	}
	ab, ok := sidonPairs[int(2*t)]
	if !ok {
		return t
	}
	a, b := int(ab[0]), int(ab[1])
	if values != nil {
		if b < len(values) {
			return models.Midpoint(values[a], values[b])
		}
		return t
	}
	if a < len(edges) {
		return edges[a]
	}
	return t
}

// Predict writes the forest's predictions: the class with the largest mean
// probability, or the mean value.
func (fr *forest) Predict(X *models.Matrix, out []float64) error {
	if !fr.task.Classifier() {
		tmp := make([]float64, X.Rows)
		for i := range out {
			out[i] = 0
		}
		for _, t := range fr.trees {
			if err := t.Predict(X, tmp); err != nil {
				return err
			}
			for i, v := range tmp {
				out[i] += v / float64(len(fr.trees))
			}
		}
		return nil
	}
	p := make([]float64, X.Rows*fr.k)
	tmp := make([]float64, X.Rows*fr.k)
	for _, t := range fr.trees {
		if err := t.PredictProba(X, tmp); err != nil {
			return err
		}
		for i, v := range tmp {
			p[i] += v
		}
	}
	for i := range out {
		best := 0
		for c := 1; c < fr.k; c++ {
			if p[i*fr.k+c] > p[i*fr.k+best] {
				best = c
			}
		}
		out[i] = float64(best)
	}
	return nil
}

// forestImportance returns scikit-learn's feature_importances_ of a forest
// over p columns: per tree, the weighted impurity decrease of each split,
// Wₙ·Iₙ − W_L·I_L − W_R·I_R, summed by feature and normalized to sum 1;
// then averaged over trees and normalized again.
func forestImportance(fr *forest, p int) []float64 {
	out := make([]float64, p)
	for _, m := range fr.trees {
		t := m.Tree
		imp := make([]float64, p)
		var sum float64
		for n, feat := range t.Feature {
			if feat < 0 || len(t.Weight) <= n || len(t.Impurity) <= n {
				continue
			}
			l, r := t.Left[n], t.Right[n]
			v := t.Weight[n]*t.Impurity[n] - t.Weight[l]*t.Impurity[l] - t.Weight[r]*t.Impurity[r]
			imp[feat] += v
			sum += v
		}
		if sum > 0 {
			for j := range imp {
				out[j] += imp[j] / sum
			}
		}
	}
	var s float64
	for _, v := range out {
		s += v
	}
	if s > 0 {
		for j := range out {
			out[j] /= s
		}
	}
	return out
}

// groupImportance sums column importances by feature group (the columns of
// the sub-design of gs, in order).
func groupImportance(d *Design, gs []int, colImp []float64) []float64 {
	out := make([]float64, len(d.Groups))
	k := 0
	for _, g := range gs {
		for range d.Groups[g] {
			out[g] += colImp[k]
			k++
		}
	}
	return out
}

// permutationImportance returns, per group of gs, the mean drop of the
// model's score on rows when the group's columns are shuffled together.
// Groups are scored in parallel on up to workers goroutines, each shuffling
// its own copy of the rows; group g's permutations come from its own
// stream, so the result does not depend on scheduling. A forest's rows are
// sent down only the trees where their path tests a shuffled column (see
// forestPaths); the others keep their leaf, which gives the same
// predictions.
func permutationImportance(ctx context.Context, d *Design, m predictor, gs, rows []int, repeats int, seed uint64, workers int, step func()) ([]float64, error) {
	X0, y := d.Sub(gs, rows)
	var paths *forestPaths
	if fr, ok := m.(*forest); ok {
		paths = newForestPaths(fr, X0)
		m = paths.masked(0)
	}
	base, err := d.score(m, X0, y)
	if err != nil {
		return nil, err
	}
	out := make([]float64, len(d.Groups))
	for i := range out {
		out[i] = math.NaN()
	}
	first := make([]int, len(gs)) // first column of gs[k] in X0
	for k := 1; k < len(gs); k++ {
		first[k] = first[k-1] + len(d.Groups[gs[k-1]])
	}
	copies := make(chan *models.Matrix, max(workers, 1))
	err = parallel(ctx, len(gs), max(workers, 1), func(k int) error {
		var X *models.Matrix
		select {
		case X = <-copies:
		default:
			X = models.NewMatrix(X0.Rows, X0.Cols)
			X.Names = X0.Names
			copy(X.Data, X0.Data)
		}
		defer func() { copies <- X }()
		g, col := gs[k], first[k]
		width := len(d.Groups[g])
		pm := m
		if paths != nil {
			var mask uint64
			for c := col; c < col+width; c++ {
				mask |= colBit(c)
			}
			pm = paths.masked(mask)
		}
		r := newRand(seed, uint64(1000+g))
		var drop float64
		for rep := 0; rep < repeats; rep++ {
			perm := r.Perm(X.Rows)
			for c := col; c < col+width; c++ {
				src, dst := X0.Col(c), X.Col(c)
				for i, p := range perm {
					dst[i] = src[p]
				}
			}
			s, err := d.score(pm, X, y)
			if err != nil {
				return err
			}
			drop += base - s
		}
		for c := col; c < col+width; c++ {
			copy(X.Col(c), X0.Col(c))
		}
		out[g] = drop / float64(repeats)
		if step != nil {
			step()
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// forestPaths caches, for every tree of a forest and row of a matrix X0,
// the leaf the row reaches and the set of columns tested on its way (a bit
// per column, columns from 63 on sharing the last bit). A row of a matrix
// that differs from X0 only in columns its path does not test reaches the
// same leaf, so only the other rows need to go down the tree again.
type forestPaths struct {
	fr   *forest
	leaf [][]int32  // [tree][row]
	used [][]uint64 // [tree][row]
}

// colBit is the bit of column c in a forestPaths mask.
func colBit(c int) uint64 { return 1 << min(c, 63) }

func newForestPaths(fr *forest, X0 *models.Matrix) *forestPaths {
	fp := &forestPaths{fr: fr, leaf: make([][]int32, len(fr.trees)), used: make([][]uint64, len(fr.trees))}
	for t, m := range fr.trees {
		fp.leaf[t] = make([]int32, X0.Rows)
		fp.used[t] = make([]uint64, X0.Rows)
		for i := range X0.Rows {
			fp.leaf[t][i], fp.used[t][i] = descend(m.Tree, X0, i)
		}
	}
	return fp
}

// descend returns the leaf row i of X reaches in t and the columns tested
// on the way, with Tree's rule: left when x <= Threshold, right when
// greater, a missing x left when MissingLeft is 1 and right otherwise.
func descend(t *models.Tree, X *models.Matrix, i int) (int32, uint64) {
	var used uint64
	n := int32(0)
	for t.Feature[n] >= 0 {
		f := int(t.Feature[n])
		x := X.Data[f*X.Rows+i]
		used |= colBit(f)
		if x > t.Threshold[n] || x != x && t.MissingLeft[n] != 1 {
			n = t.Right[n]
		} else {
			n = t.Left[n]
		}
	}
	return n, used
}

// masked returns the predictor of matrices that differ from X0 at most in
// the columns of mask; it predicts as the forest does.
func (fp *forestPaths) masked(mask uint64) predictor { return maskedForest{fp, mask} }

type maskedForest struct {
	fp   *forestPaths
	mask uint64
}

// Predict is forest.Predict with the cached leaves: the class with the
// largest sum of leaf frequencies over the trees in order (the first such
// class), or the mean of the leaf values.
func (mf maskedForest) Predict(X *models.Matrix, out []float64) error {
	fr := mf.fp.fr
	K := 1
	if fr.task.Classifier() {
		K = fr.k
	}
	p := make([]float64, X.Rows*K)
	for t, m := range fr.trees {
		leaf, used := mf.fp.leaf[t], mf.fp.used[t]
		tr := m.Tree
		for i := range X.Rows {
			n := leaf[i]
			if used[i]&mf.mask != 0 {
				n, _ = descend(tr, X, i)
			}
			v := tr.Value[int(n)*tr.Width:]
			if K == 1 {
				p[i] += v[0] / float64(len(fr.trees))
				continue
			}
			for c := range K {
				p[i*K+c] += v[c]
			}
		}
	}
	if K == 1 {
		copy(out, p)
		return nil
	}
	for i := range out {
		best := 0
		for c := 1; c < K; c++ {
			if p[i*K+c] > p[i*K+best] {
				best = c
			}
		}
		out[i] = float64(best)
	}
	return nil
}

// predictor predicts one value or class index per row.
type predictor interface {
	Predict(X *models.Matrix, out []float64) error
}

// l1Coefficients fits the L1 model on the whole design and returns one
// coefficient per group.
func l1Coefficients(ctx context.Context, d *Design) ([]float64, error) {
	all := make([]int, len(d.Groups))
	for g := range all {
		all[g] = g
	}
	X, y := d.Sub(all, nil)
	var coef []float64
	rowsOfCoef := 1
	if d.Task.Classifier() {
		m, err := models.New("logreg", map[string]string{"penalty": "l1", "C": "0.1"}, 0)
		if err != nil {
			return nil, err
		}
		if err := m.Fit(ctx, X, y, nil, d.fitOptions()); err != nil {
			return nil, fmt.Errorf("selection: L1 logistic regression: %w", err)
		}
		lr := m.(*models.LogReg)
		coef = lr.Coef
		rowsOfCoef = len(coef) / X.Cols
	} else {
		mean, v := meanVarPop(y)
		sd := math.Sqrt(v)
		if sd == 0 {
			sd = 1
		}
		ys := make([]float64, len(y))
		for i, yi := range y {
			ys[i] = (yi - mean) / sd
		}
		m, err := models.New("lasso", map[string]string{"alpha": "0.01"}, 0)
		if err != nil {
			return nil, err
		}
		if err := m.Fit(ctx, X, ys, nil, models.FitOptions{Task: models.Regression}); err != nil {
			return nil, fmt.Errorf("selection: lasso: %w", err)
		}
		coef = m.(*models.Linear).Coef
	}
	out := make([]float64, len(d.Groups))
	col := 0
	for g, grp := range d.Groups {
		if len(grp) == 1 && rowsOfCoef == 1 {
			out[g] = coef[col]
		} else {
			for r := 0; r < rowsOfCoef; r++ {
				for k := range grp {
					out[g] += math.Abs(coef[r*X.Cols+col+k])
				}
			}
		}
		out[g] += 0 // no negative zero
		col += len(grp)
	}
	return out, nil
}
