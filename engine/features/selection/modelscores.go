package selection

import (
	"context"
	"fmt"
	"math"

	"github.com/mlwb/mlwb/engine/frame"
	"github.com/mlwb/mlwb/engine/models"
)

// modelScores fills Tree, L1 and Permutation: a forest of opt.Trees trees
// is fitted on 80 % of a sample of at most opt.ModelRows rows; its impurity
// importances give Tree and the accuracy (R²) drop on the other 20 % when a
// feature's columns are permuted, averaged over 3 permutations, gives
// Permutation (scikit-learn's permutation_importance). L1 fits a lasso
// (α = 0.01, y standardized) or an L1 logistic regression (C = 0.1) on the
// whole sample; a feature's coefficient is its one column's, or the sum of
// |w| over its columns and classes.
func modelScores(ctx context.Context, f *frame.Frame, targetName string, cols []frame.Column, tg *target, opt Options, r *Report) error {
	rows := sampleRows(f.NumRows(), opt.ModelRows, opt.Seed)
	fs := f.Take(rows)
	d, err := NewDesign(ctx, fs, targetName, nil)
	if err != nil {
		return err
	}
	pos := map[string]int{}
	for j, c := range cols {
		pos[c.Name()] = j
	}
	if len(d.Names) == 0 {
		return nil
	}
	all := make([]int, len(d.Groups))
	for g := range all {
		all[g] = g
	}
	nTrain := len(rows) * 4 / 5
	perm := newRand(opt.Seed, 7).Perm(len(rows))
	trainRows, holdRows := perm[:nTrain], perm[nTrain:]

	rf, err := fitForest(ctx, d, all, trainRows, opt)
	if err != nil {
		return err
	}
	imp := groupImportance(d, all, forestImportance(rf, d.X.Cols))
	for g, n := range d.Names {
		r.Features[pos[n]].Tree = imp[g]
	}
	if len(holdRows) > 1 {
		pi, err := permutationImportance(ctx, d, rf, all, holdRows, 3, opt.Seed)
		if err != nil {
			return err
		}
		for g, n := range d.Names {
			r.Features[pos[n]].Permutation = pi[g]
		}
	}
	l1, err := l1Coefficients(ctx, d)
	if err != nil {
		return err
	}
	for g, n := range d.Names {
		r.Features[pos[n]].L1 = l1[g]
	}
	return nil
}

// forest is a bagged ensemble of CART trees ("tree" models on bootstrap
// samples with max_features auto: √p per split for classification, all for
// regression), as scikit-learn's RandomForest. It is grown here rather than
// with the "rf" model because rf does not keep the node weights and
// impurities that impurity importance needs.
type forest struct {
	trees []*models.DecisionTree
	task  models.Task
	k     int // classes
}

// fitForest fits a forest on the groups gs and rows of the design, trees in
// parallel, tree t with its own bootstrap and seed.
func fitForest(ctx context.Context, d *Design, gs, rows []int, opt Options) (*forest, error) {
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
	err := parallel(ctx, opt.Trees, workers, func(t int) error {
		m, err := models.New("tree", map[string]string{"max_features": maxFeat, "min_samples_leaf": "5"}, opt.Seed*1000+uint64(t))
		if err != nil {
			return err
		}
		w := make([]float64, X.Rows)
		r := newRand(opt.Seed, uint64(5000+t))
		for i := 0; i < X.Rows; i++ {
			w[r.IntN(X.Rows)]++
		}
		if err := m.Fit(ctx, X, y, w, d.fitOptions()); err != nil {
			return fmt.Errorf("selection: forest: %w", err)
		}
		fr.trees[t] = m.(*models.DecisionTree)
		return nil
	})
	if err != nil {
		return nil, err
	}
	return fr, nil
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
func permutationImportance(ctx context.Context, d *Design, m predictor, gs, rows []int, repeats int, seed uint64) ([]float64, error) {
	X, y := d.Sub(gs, rows)
	base, err := d.score(m, X, y)
	if err != nil {
		return nil, err
	}
	out := make([]float64, len(d.Groups))
	for i := range out {
		out[i] = math.NaN()
	}
	col := 0
	for _, g := range gs {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		width := len(d.Groups[g])
		saved := make([][]float64, width)
		for k := range saved {
			saved[k] = append([]float64(nil), X.Col(col+k)...)
		}
		r := newRand(seed, uint64(1000+g))
		var drop float64
		for rep := 0; rep < repeats; rep++ {
			perm := r.Perm(X.Rows)
			for k := range saved {
				dst := X.Col(col + k)
				for i, p := range perm {
					dst[i] = saved[k][p]
				}
			}
			s, err := d.score(m, X, y)
			if err != nil {
				return nil, err
			}
			drop += base - s
		}
		for k := range saved {
			copy(X.Col(col+k), saved[k])
		}
		out[g] = drop / float64(repeats)
		col += width
	}
	return out, nil
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
