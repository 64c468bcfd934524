package report

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"

	"github.com/mlwb/mlwb/engine/frame"
	"github.com/mlwb/mlwb/engine/metrics"
	"github.com/mlwb/mlwb/engine/models"
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
// (positive-class probability for a binary task) with the feature set to
// Value on every row (Friedman 2001).
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
// noise of Level times its standard deviation (Kind "noise"), or with a
// share Level of every feature's values made missing (Kind "missing").
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

// Explain computes permutation importance and partial dependence of the
// run's model on the evaluation's data rows (held-out rows of the run are
// rows the final model was fitted on: importance there shows what the
// model uses, not what generalises).
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
	if !run.HasModel {
		return nil, fmt.Errorf("%w: run %s kept no model", ErrEval, run.ID)
	}
	m, err := ws.LoadRunModel(run.ID)
	if err != nil {
		return nil, err
	}
	tf, err := trainingFrame(ctx, ws, run)
	if err != nil {
		return nil, err
	}
	X, err := matrixLike(tf, e.Rows, run.Features)
	if err != nil {
		return nil, err
	}
	// Labels of the rows, in row order.
	n := X.Rows
	idx := make([]int, n)
	for i := range idx {
		idx[i] = i
	}
	rng := rand.New(rand.NewPCG(opt.Seed, 0x5eed))
	if n > opt.MaxRows {
		rng.Shuffle(n, func(a, b int) { idx[a], idx[b] = idx[b], idx[a] })
		idx = idx[:opt.MaxRows]
		slices.Sort(idx)
		X = X.TakeRows(idx)
	}
	score, name, err := scorer(e, idx, m)
	if err != nil {
		return nil, err
	}
	ex := &Explanation{Score: name, Rows: X.Rows, PD: map[string][]PDPoint{},
		Note: "on the evaluation's rows; for held-out predictions those are rows the final model was fitted on"}
	if e.Source != "" && len(e.Source) > 8 && e.Source[:8] == "new data" {
		ex.Note = "on " + e.Source
	}
	base, err := score(X)
	if err != nil {
		return nil, err
	}
	total := int64(X.Cols * (opt.Repeats + opt.Grid))
	var done int64
	tick := func() {
		done++
		if opt.Progress != nil {
			opt.Progress(done, total)
		}
	}
	for j := range X.Cols {
		col := X.Col(j)
		orig := slices.Clone(col)
		drops := make([]float64, opt.Repeats)
		for r := range opt.Repeats {
			if err := ctx.Err(); err != nil {
				return nil, err
			}
			rng.Shuffle(len(col), func(a, b int) { col[a], col[b] = col[b], col[a] })
			s, err := score(X)
			if err != nil {
				return nil, err
			}
			drops[r] = base - s
			copy(col, orig)
			tick()
		}
		// importances_std is numpy's std (ddof 0).
		mean, v := stats.MeanVariance(drops)
		std := 0.0
		if r := float64(opt.Repeats); r > 1 {
			std = math.Sqrt(v * (r - 1) / r)
		}
		ex.Importance = append(ex.Importance, Importance{Feature: run.Features[j], Mean: mean, Std: std})
		// Partial dependence on the quantiles of the feature.
		var vals []float64
		for _, v := range orig {
			if !math.IsNaN(v) {
				vals = append(vals, v)
			}
		}
		if len(vals) == 0 {
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
			for i := range col {
				col[i] = v
			}
			mu, err := meanPrediction(m, X, e.Report.Task)
			if err != nil {
				return nil, err
			}
			ex.PD[run.Features[j]] = append(ex.PD[run.Features[j]], PDPoint{Value: v, Mean: mu})
			tick()
		}
		copy(col, orig)
	}
	ex.Base = base
	if err := robustness(ctx, ex, X, score, e, rng); err != nil {
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

// scorer returns the score function of the task on the rows idx (of the
// evaluation's rows): ROC AUC (binary), accuracy (multiclass) or −RMSE.
func scorer(e *Evaluation, idx []int, m models.Model) (func(*models.Matrix) (float64, error), string, error) {
	rep := e.Report
	switch rep.Task {
	case metrics.RegressionTask:
		y := make([]float64, len(idx))
		for k, i := range idx {
			y[k] = e.YTrue[i]
		}
		return func(X *models.Matrix) (float64, error) {
			p := make([]float64, X.Rows)
			if err := m.Predict(X, p); err != nil {
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
		return func(X *models.Matrix) (float64, error) {
			p := make([]float64, X.Rows*K)
			if err := m.PredictProba(X, p); err != nil {
				return 0, err
			}
			s := make([]float64, X.Rows)
			for i := range s {
				s[i] = p[i*K+1]
			}
			r, err := metrics.NewRanking(context.Background(), yb, s)
			if err != nil {
				return 0, err
			}
			return r.ROCAUC(), nil
		}, "roc_auc", nil
	}
	return func(X *models.Matrix) (float64, error) {
		p := make([]float64, X.Rows)
		if err := m.Predict(X, p); err != nil {
			return 0, err
		}
		var ok float64
		for i := range p {
			if int32(p[i]) == y[i] {
				ok++
			}
		}
		return ok / float64(len(p)), nil
	}, "accuracy", nil
}

func meanPrediction(m models.Model, X *models.Matrix, task metrics.Task) (float64, error) {
	if task == metrics.BinaryTask {
		K := len(m.Classes())
		p := make([]float64, X.Rows*K)
		if err := m.PredictProba(X, p); err != nil {
			return 0, err
		}
		var s float64
		for i := range X.Rows {
			s += p[i*K+K-1]
		}
		return s / float64(X.Rows), nil
	}
	p := make([]float64, X.Rows)
	if err := m.Predict(X, p); err != nil {
		return 0, err
	}
	var s float64
	for _, v := range p {
		s += v
	}
	return s / float64(len(p)), nil
}

// robustness scores X under Gaussian noise (0.1, 0.25, 0.5 standard
// deviations on numeric, non-categorical features) and with 10, 25 and 50 %
// of every feature's values missing, restoring X after each.
func robustness(ctx context.Context, ex *Explanation, X *models.Matrix, score func(*models.Matrix) (float64, error), e *Evaluation, rng *rand.Rand) error {
	orig := slices.Clone(X.Data)
	numeric := make([]bool, X.Cols)
	for j, f := range e.Run.Features {
		if c, err := e.Rows.Column(f); err == nil {
			numeric[j] = c.Type() != frame.Categorical && c.Type() != frame.Bool
		}
	}
	run := func(kind string, level float64, perturb func()) error {
		if err := ctx.Err(); err != nil {
			return err
		}
		perturb()
		s, err := score(X)
		copy(X.Data, orig)
		if err != nil {
			return err
		}
		ex.Robustness = append(ex.Robustness, Robust{Kind: kind, Level: level, Score: s})
		return nil
	}
	for _, k := range []float64{0.1, 0.25, 0.5} {
		err := run("noise", k, func() {
			for j := range X.Cols {
				if !numeric[j] {
					continue
				}
				col := X.Col(j)
				var vals []float64
				for _, v := range col {
					if !math.IsNaN(v) {
						vals = append(vals, v)
					}
				}
				if len(vals) < 2 {
					continue
				}
				_, v := stats.MeanVariance(vals)
				sd := math.Sqrt(v)
				for i := range col {
					col[i] += k * sd * rng.NormFloat64()
				}
			}
		})
		if err != nil {
			return err
		}
	}
	for _, q := range []float64{0.1, 0.25, 0.5} {
		err := run("missing", q, func() {
			for i := range X.Data {
				if rng.Float64() < q {
					X.Data[i] = math.NaN()
				}
			}
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
