package report

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"strings"

	"github.com/mlwb/mlwb/engine/frame"
	"github.com/mlwb/mlwb/engine/metrics"
	"github.com/mlwb/mlwb/engine/stats"
	"github.com/mlwb/mlwb/workspace"
)

// Importance is the permutation importance of one feature: the drop of the
// score (higher is better: the AUC, accuracy, or −RMSE) when the feature's
// column is shuffled, mean and standard deviation over the repeats
// (sklearn.inspection.permutation_importance, Breiman 2001).
type Importance struct {
	Feature string  `json:"feature"`
	Mean    float64 `json:"mean"`
	Std     float64 `json:"std"`
}

// PDPoint is one point of a partial dependence curve: the mean prediction
// (a class probability for a classifier, see Explanation.PDOf) with the
// feature set to Value on every row (Friedman 2001).
type PDPoint struct {
	Value float64 `json:"value"`
	Mean  float64 `json:"mean"`
}

// Explanation holds the permutation importances (largest first) and the
// partial dependence of each numeric feature.
type Explanation struct {
	// Score names what the importance is measured on.
	Score      string
	Rows       int
	Importance []Importance
	PD         map[string][]PDPoint
	// PDOf says what the partial dependence averages: "P(yes)" for the
	// positive class of a binary task, the most frequent true class of a
	// multiclass task, or "prediction" for a regression.
	PDOf    string
	pdClass int
	// Note says which rows the model is explained on.
	Note string
	// Base is the score on the rows as they are; Robustness the score
	// under injected noise and missing values.
	Base       float64
	Robustness []Robust
	// RobustNote says why a perturbation was skipped (a model that refuses
	// missing values).
	RobustNote string
}

// Robust is the score with every numeric feature perturbed by Gaussian
// noise of Level times its standard deviation (Kind "noise"), with a share
// Level of every categorical feature's values swapped for another row's
// (Kind "swap"), or with a share Level of every feature's values made
// missing (Kind "missing").
type Robust struct {
	Kind  string  `json:"kind"`
	Level float64 `json:"level"`
	Score float64 `json:"score"`
}

// ExplainOptions configure Explain. The zero value means 5 repeats on at
// most 2000 rows, seed 0, and a 10-point partial dependence grid.
type ExplainOptions struct {
	Repeats, MaxRows, Grid int
	Seed                   uint64
	Progress               func(done, total int64)
}

// Explain computes permutation importance, partial dependence and
// robustness of the run's model on the evaluation's data rows (held-out
// rows of the run are rows the final model was fitted on: importance there
// shows what the model uses, not what generalises). Every perturbation is
// applied to the raw input columns, which then go through the run's feature
// preparation (its fitted pipeline, or the raw encoding), so an importance
// is that of an original column, whatever columns the pipeline makes of it.
func Explain(ctx context.Context, ws *workspace.Workspace, e *Evaluation, opt ExplainOptions) (*Explanation, error) {
	if opt.Repeats <= 0 {
		opt.Repeats = 5
	}
	if opt.MaxRows <= 0 {
		opt.MaxRows = 2000
	}
	if opt.Grid <= 0 {
		opt.Grid = 10
	}
	run := e.Run
	if e.Rows == nil {
		return nil, fmt.Errorf("%w: the data rows of run %s are not available", ErrEval, run.ID)
	}
	sc, err := newRunScorer(ctx, ws, run)
	if err != nil {
		return nil, err
	}
	n := e.Rows.NumRows()
	idx := make([]int, n)
	for i := range idx {
		idx[i] = i
	}
	rng := rand.New(rand.NewPCG(opt.Seed, 0x5eed))
	if n > opt.MaxRows {
		rng.Shuffle(n, func(a, b int) { idx[a], idx[b] = idx[b], idx[a] })
		idx = idx[:opt.MaxRows]
		slices.Sort(idx)
	}
	rows, err := e.Rows.Select(run.Features...)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrEval, err)
	}
	rows = rows.Take(idx)
	score, name, err := scorer(ctx, e, idx, sc)
	if err != nil {
		return nil, err
	}
	pdOf, pdClass := pdTarget(e)
	ex := &Explanation{Score: name, Rows: rows.NumRows(), PD: map[string][]PDPoint{}, PDOf: pdOf, pdClass: pdClass,
		Note: "on the evaluation's rows; for held-out predictions those are rows the final model was fitted on"}
	if strings.HasPrefix(e.Source, "new data") {
		ex.Note = "on " + e.Source
	}
	base, err := score(rows)
	if err != nil {
		return nil, err
	}
	total := int64(len(run.Features) * (opt.Repeats + opt.Grid))
	var done int64
	tick := func() {
		done++
		if opt.Progress != nil {
			opt.Progress(done, total)
		}
	}
	m := rows.NumRows()
	perm := make([]int, m)
	for _, feat := range run.Features {
		col, _ := rows.Column(feat)
		drops := make([]float64, opt.Repeats)
		for r := range opt.Repeats {
			if err := ctx.Err(); err != nil {
				return nil, err
			}
			for i := range perm {
				perm[i] = i
			}
			rng.Shuffle(m, func(a, b int) { perm[a], perm[b] = perm[b], perm[a] })
			g, err := rows.With(col.Take(perm))
			if err != nil {
				return nil, err
			}
			s, err := score(g)
			if err != nil {
				return nil, err
			}
			drops[r] = base - s
			tick()
		}
		// importances_std is numpy's std (ddof 0).
		mean, v := stats.MeanVariance(drops)
		std := 0.0
		if r := float64(opt.Repeats); r > 1 {
			std = math.Sqrt(v * (r - 1) / r)
		}
		ex.Importance = append(ex.Importance, Importance{Feature: feat, Mean: mean, Std: std})
		// Partial dependence of a number column on its quantiles.
		if !isNumber(col) {
			done += int64(opt.Grid)
			continue
		}
		vals, _ := frame.Floats(col)
		vals = slices.DeleteFunc(slices.Clone(vals), math.IsNaN)
		if len(vals) == 0 {
			done += int64(opt.Grid)
			continue
		}
		slices.Sort(vals)
		var grid []float64
		for g := range opt.Grid {
			q := stats.Quantile(float64(g)/float64(opt.Grid-1), vals)
			if len(grid) == 0 || q != grid[len(grid)-1] {
				grid = append(grid, q)
			}
		}
		for _, v := range grid {
			if err := ctx.Err(); err != nil {
				return nil, err
			}
			g, err := rows.With(constant(feat, v, m))
			if err != nil {
				return nil, err
			}
			mu, err := meanPrediction(ctx, sc, g, ex.pdClass)
			if err != nil {
				return nil, err
			}
			ex.PD[feat] = append(ex.PD[feat], PDPoint{Value: v, Mean: mu})
			tick()
		}
		done += int64(opt.Grid - len(grid))
	}
	ex.Base = base
	if err := robustness(ctx, ex, rows, score, rng); err != nil {
		return nil, err
	}
	slices.SortStableFunc(ex.Importance, func(a, b Importance) int {
		switch {
		case a.Mean > b.Mean:
			return -1
		case a.Mean < b.Mean:
			return 1
		}
		return 0
	})
	return ex, nil
}

// pdTarget says what the partial dependence averages: the probability of
// the positive class (binary), of the most frequent true class
// (multiclass), or the prediction (regression).
func pdTarget(e *Evaluation) (string, int) {
	rep := e.Report
	switch rep.Task {
	case metrics.BinaryTask:
		return "P(" + rep.Classes[rep.Pos] + ")", rep.Pos
	case metrics.MulticlassTask:
		k := mostFrequent(e.truth, len(rep.Classes))
		return "P(" + rep.Classes[k] + ")", k
	}
	return "prediction", 0
}

func mostFrequent(y []int32, K int) int {
	count := make([]int, K)
	for _, v := range y {
		if v >= 0 && int(v) < K {
			count[v]++
		}
	}
	best := 0
	for k := range count {
		if count[k] > count[best] {
			best = k
		}
	}
	return best
}

// scorer returns the score function of the task on the rows idx (of the
// evaluation's rows), given those rows' raw input columns: ROC AUC
// (binary), accuracy (multiclass) or −RMSE.
func scorer(ctx context.Context, e *Evaluation, idx []int, sc *runScorer) (func(*frame.Frame) (float64, error), string, error) {
	rep := e.Report
	what := "the evaluation rows"
	switch rep.Task {
	case metrics.RegressionTask:
		y := make([]float64, len(idx))
		for k, i := range idx {
			y[k] = e.YTrue[i]
		}
		return func(f *frame.Frame) (float64, error) {
			p, err := sc.predict(ctx, f, what)
			if err != nil {
				return 0, err
			}
			var s float64
			for i := range p {
				s += (y[i] - p[i]) * (y[i] - p[i])
			}
			return -math.Sqrt(s / float64(len(p))), nil
		}, "−rmse", nil
	}
	truth := make([]int32, rep.N)
	if r := rep.Ranking; r != nil {
		for k, row := range r.Order {
			if r.Y[k] {
				truth[row] = 1
			}
		}
	} else if rep.Confusion != nil {
		truth = e.truth
	}
	y := make([]int32, len(idx))
	for k, i := range idx {
		y[k] = truth[i]
	}
	K := len(e.Run.Classes)
	if rep.Task == metrics.BinaryTask {
		yb := make([]bool, len(y))
		for i, v := range y {
			yb[i] = v == 1
		}
		return func(f *frame.Frame) (float64, error) {
			p, err := sc.predict(ctx, f, what)
			if err != nil {
				return 0, err
			}
			s := make([]float64, f.NumRows())
			for i := range s {
				s[i] = p[i*K+1]
			}
			r, err := metrics.NewRanking(ctx, yb, s)
			if err != nil {
				return 0, err
			}
			return r.ROCAUC(), nil
		}, "roc_auc", nil
	}
	return func(f *frame.Frame) (float64, error) {
		p, err := sc.predict(ctx, f, what)
		if err != nil {
			return 0, err
		}
		var ok float64
		for i := range y {
			// The predicted class is the first of the largest probability.
			row := p[i*K : (i+1)*K]
			if int32(slices.Index(row, slices.Max(row))) == y[i] {
				ok++
			}
		}
		return ok / float64(len(y)), nil
	}, "accuracy", nil
}

// meanPrediction is the mean over f's rows of the model's prediction, or of
// its probability of class k for a classifier.
func meanPrediction(ctx context.Context, sc *runScorer, f *frame.Frame, k int) (float64, error) {
	p, err := sc.predict(ctx, f, "the partial dependence grid")
	if err != nil {
		return 0, err
	}
	var s float64
	if K := sc.classes; K > 0 {
		for i := range f.NumRows() {
			s += p[i*K+k]
		}
	} else {
		for _, v := range p {
			s += v
		}
	}
	return s / float64(f.NumRows()), nil
}

// robustness scores rows under Gaussian noise (0.1, 0.25, 0.5 standard
// deviations on the number columns), under random swaps of 10, 25 and 50 %
// of the values of categorical columns (with the value of another row), and
// with 10, 25 and 50 % of every column's values missing. Each perturbation
// applies to the raw columns, which go through the run's preparation.
func robustness(ctx context.Context, ex *Explanation, rows *frame.Frame, score func(*frame.Frame) (float64, error), rng *rand.Rand) error {
	levels := []float64{0.1, 0.25, 0.5}
	try := func(kind string, level float64, perturb func(frame.Column) frame.Column) error {
		if err := ctx.Err(); err != nil {
			return err
		}
		g := rows
		changed := false
		for _, c := range rows.Columns() {
			d := perturb(c)
			if d == c {
				continue
			}
			var err error
			if g, err = g.With(d); err != nil {
				return err
			}
			changed = true
		}
		if !changed {
			return nil
		}
		s, err := score(g)
		if err != nil {
			return err
		}
		ex.Robustness = append(ex.Robustness, Robust{Kind: kind, Level: level, Score: s})
		return nil
	}
	for _, k := range levels {
		if err := try("noise", k, func(c frame.Column) frame.Column {
			if !isNumber(c) {
				return c
			}
			return withNoise(c, k, rng)
		}); err != nil {
			return err
		}
	}
	for _, q := range levels {
		if err := try("swap", q, func(c frame.Column) frame.Column {
			cat, ok := c.(*frame.CategoricalCol)
			if !ok {
				return c
			}
			return withSwaps(cat, q, rng)
		}); err != nil {
			return err
		}
	}
	for _, q := range levels {
		err := try("missing", q, func(c frame.Column) frame.Column {
			miss := make([]bool, c.Len())
			for i := range miss {
				miss[i] = rng.Float64() < q
			}
			return withMissing(c, miss)
		})
		if err != nil && ctx.Err() == nil {
			ex.RobustNote = "missing values not tried: " + err.Error()
			break
		}
		if err != nil {
			return err
		}
	}
	return nil
}

// Label describes the perturbation: "noise 0.1 sd", "10% swapped",
// "10% missing".
func (r Robust) Label() string {
	switch r.Kind {
	case "missing":
		return fmt.Sprintf("%g%% missing", 100*r.Level)
	case "swap":
		return fmt.Sprintf("%g%% swapped", 100*r.Level)
	}
	return fmt.Sprintf("noise %g sd", r.Level)
}
