package report

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"strings"

	"github.com/mlwb/mlwb/engine/models"
	"github.com/mlwb/mlwb/engine/train"
	"github.com/mlwb/mlwb/engine/validate"
	"github.com/mlwb/mlwb/workspace"
)

// LCPoint is one point of a learning curve: the score on a fixed held-out
// fifth of the data of the run's model refitted on TrainRows rows (Fraction
// of the other four fifths).
type LCPoint struct {
	Fraction  float64 `json:"fraction"`
	TrainRows int     `json:"train_rows"`
	Score     float64 `json:"score"`
}

// LearningCurve refits the run's model (same parameters and seed) on 10 %,
// 20 %, …, 100 % of four fifths of its training data, drawn at random with
// the run's seed, and scores each fit on the remaining fifth with metric
// (one of the run's metrics). Only runs without a feature pipeline are
// supported. progress, when set, is told of each finished fit.
func LearningCurve(ctx context.Context, ws *workspace.Workspace, run workspace.Run, metric string, progress func(done, total int64)) ([]LCPoint, error) {
	if !strings.HasPrefix(run.Pipeline, "raw") {
		return nil, fmt.Errorf("%w: run %s uses pipeline %q; the learning curve refits raw-pipeline runs only", ErrEval, run.ID, run.Pipeline)
	}
	if _, ok := run.Metric(metric); !ok {
		return nil, fmt.Errorf("%w: run %s has no metric %q", ErrEval, run.ID, metric)
	}
	tf, err := trainingFrame(ctx, ws, run)
	if err != nil {
		return nil, err
	}
	n := tf.NumRows()
	idx := make([]int, n)
	for i := range idx {
		idx[i] = i
	}
	rng := rand.New(rand.NewPCG(run.Seed, 0x1c))
	rng.Shuffle(n, func(a, b int) { idx[a], idx[b] = idx[b], idx[a] })
	nt := n / 5
	if nt < 10 || n-nt < 20 {
		return nil, fmt.Errorf("%w: %d rows are too few for a learning curve", ErrEval, n)
	}
	testRows := slices.Clone(idx[:nt])
	slices.Sort(testRows)
	test := tf.Take(testRows)
	pool := idx[nt:]
	var task *models.Task
	if run.Task == "regression" {
		t := models.Regression
		task = &t
	}
	var out []LCPoint
	for k := 1; k <= 10; k++ {
		f := float64(k) / 10
		rows := slices.Clone(pool[:int(math.Ceil(f*float64(len(pool))))])
		slices.Sort(rows)
		res, err := train.Run(ctx, train.Job{Frame: tf.Take(rows), Target: run.Target, Features: run.Features, Task: task,
			Model: run.Model, Params: run.Params, Seed: run.Seed,
			Validation: validate.Spec{Scheme: validate.TestSet, Seed: run.Seed, Test: "held-out fifth"}, Test: test})
		if err != nil {
			return nil, fmt.Errorf("report: learning curve at %d%%: %w", 10*k, err)
		}
		s, _ := res.Metric(metric)
		out = append(out, LCPoint{Fraction: f, TrainRows: len(rows), Score: s.Mean})
		if progress != nil {
			progress(int64(k), 10)
		}
	}
	return out, nil
}

// LearningChart returns the learning curve as a chart.
func LearningChart(pts []LCPoint, metric string) Chart {
	s := Series{Name: metric}
	for _, p := range pts {
		s.X, s.Y = append(s.X, float64(p.TrainRows)), append(s.Y, p.Score)
	}
	c := Chart{Title: "Learning curve (" + metric + " on a held-out fifth)", XLabel: "training rows", YLabel: metric, Series: []Series{s}, MarkX: math.NaN()}
	c.XMin, c.XMax = minMax(s.X)
	c.YMin, c.YMax = minMax(s.Y)
	return c
}
