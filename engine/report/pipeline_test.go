package report

import (
	"context"
	"errors"
	"math"
	"math/rand/v2"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/mlwb/mlwb/engine/dataio"
	"github.com/mlwb/mlwb/engine/features"
	"github.com/mlwb/mlwb/engine/frame"
	"github.com/mlwb/mlwb/engine/train"
	"github.com/mlwb/mlwb/workspace"
)

// pipeFrame is n rows of a binary target y that depends on x (a number with
// missing values) and on city (categorical: "b" raises the odds), and on
// nothing else; noise is an unrelated number and note free text.
func pipeFrame(n int, seed uint64) *frame.Frame {
	rng := rand.New(rand.NewPCG(seed, 1))
	x, noise := make([]float64, n), make([]float64, n)
	city, y := make([]int32, n), make([]int32, n)
	note := make([]string, n)
	for i := range n {
		x[i] = rng.NormFloat64()
		noise[i] = rng.NormFloat64()
		city[i] = int32(rng.IntN(3))
		z := 2*x[i] + 1.5*float64(city[i]&1) - 0.7 + 0.5*rng.NormFloat64()
		if z > 0 {
			y[i] = 1
		}
		if i%17 == 0 {
			x[i] = math.NaN()
		}
		note[i] = "note " + string(rune('a'+i%26)) + string(rune('a'+(i/26)%26)) + string(rune('a'+(i/676)%26))
	}
	return frame.MustNew(frame.NewFloat64("x", x, frame.Mask{}), frame.NewFloat64("noise", noise, frame.Mask{}),
		frame.NewCategorical("city", city, []string{"a", "b", "c"}), frame.NewString("note", note, frame.Mask{}),
		frame.NewCategorical("y", y, []string{"no", "yes"}))
}

// pipelineRun trains model on pipeFrame(n) with prep in a new workspace
// (dataset "d") and saves the run like mlwb train does.
func pipelineRun(t *testing.T, n int, model string, prep train.Preparer) (*workspace.Workspace, workspace.Run, *train.Result) {
	t.Helper()
	ctx := context.Background()
	ws, err := workspace.Init(t.TempDir(), "pipe")
	if err != nil {
		t.Fatal(err)
	}
	f := pipeFrame(n, 7)
	ds, err := ws.ImportFrame(ctx, "d", "", f)
	if err != nil {
		t.Fatal(err)
	}
	res, err := train.Run(ctx, train.Job{Frame: f, Target: "y", Model: model, Seed: 3, Final: true, Prep: prep})
	if err != nil {
		t.Fatal(err)
	}
	r := workspace.RunFromResult(res, time.Date(2026, 11, 25, 10, 0, 0, 0, time.UTC))
	r.Dataset = workspace.RunDataset{Name: "d", Version: ds.Version, Hash: ds.Hash, Rows: n}
	r.Seed, r.Version = 3, "test"
	art, err := workspace.ArtifactsOf(res)
	if err != nil {
		t.Fatal(err)
	}
	if err := ws.SaveRunWith(ctx, &r, art); err != nil {
		t.Fatal(err)
	}
	return ws, r, res
}

// A default-pipeline run (text column dropped, x imputed, city one-hot)
// scores new data through its fitted pipeline: the probabilities are those
// of the final model on the final pipeline's matrix, to the last bit.
func TestPredictNewPipelineRun(t *testing.T) {
	ctx := context.Background()
	ws, run, res := pipelineRun(t, 300, "logreg", &train.Pipeline{Seed: 3})
	if isRaw(run) || !isDefaultPipeline(run) || !run.HasPipeline {
		t.Fatalf("run pipeline %q has_pipeline %v", run.Pipeline, run.HasPipeline)
	}
	g := pipeFrame(120, 99)
	path := filepath.Join(t.TempDir(), "new.parquet")
	if err := dataio.WriteParquetFile(path, g); err != nil {
		t.Fatal(err)
	}
	e, err := Load(ctx, ws, run.ID, Options{Data: path, B: -1})
	if err != nil {
		t.Fatal(err)
	}
	X, err := res.FinalPrep.Matrix(ctx, g, nil)
	if err != nil {
		t.Fatal(err)
	}
	p := make([]float64, X.Rows*2)
	if err := res.Final.PredictProba(X, p); err != nil {
		t.Fatal(err)
	}
	r := e.Report.Ranking
	for k, row := range r.Order {
		if r.Score[k] != p[row*2+1] {
			t.Fatalf("row %d: score %v, want %v", row, r.Score[k], p[row*2+1])
		}
	}
	if e.Report.N != 120 || e.Report.Values["roc_auc"] < 0.8 {
		t.Errorf("n %d roc_auc %v", e.Report.N, e.Report.Values["roc_auc"])
	}
	// A file without an input column is refused with the column's name.
	h, _ := g.Drop("city")
	bad := filepath.Join(t.TempDir(), "bad.parquet")
	if err := dataio.WriteParquetFile(bad, h); err != nil {
		t.Fatal(err)
	}
	if _, err := Load(ctx, ws, run.ID, Options{Data: bad, B: -1}); err == nil || !strings.Contains(err.Error(), `has no column "city"`) {
		t.Errorf("missing column: %v", err)
	}
}

// Permutation importance of a pipeline run is per raw column: x and city
// (which the pipeline turns into x, x_missing and three one-hot columns)
// matter; noise and the dropped text column do not (exactly 0 for the
// text, which the pipeline drops).
func TestExplainPipelineRun(t *testing.T) {
	ctx := context.Background()
	ws, run, _ := pipelineRun(t, 400, "logreg", &train.Pipeline{Seed: 3})
	e, err := Load(ctx, ws, run.ID, Options{B: -1})
	if err != nil {
		t.Fatal(err)
	}
	ex, err := Explain(ctx, ws, e, ExplainOptions{Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	imp := map[string]Importance{}
	for _, im := range ex.Importance {
		imp[im.Feature] = im
	}
	if len(imp) != 4 || ex.Importance[0].Feature != "x" {
		t.Fatalf("importance %+v", ex.Importance)
	}
	if imp["city"].Mean < 0.02 || imp["note"].Mean != 0 || imp["note"].Std != 0 || math.Abs(imp["noise"].Mean) > 0.02 {
		t.Errorf("importance %+v", ex.Importance)
	}
	// Partial dependence: only the number columns; P(yes) rises with x.
	pd := ex.PD["x"]
	if len(pd) < 5 || pd[len(pd)-1].Mean-pd[0].Mean < 0.5 || ex.PD["city"] != nil || ex.PDOf != "P(yes)" {
		t.Errorf("pd of x %+v (%s), city %+v", pd, ex.PDOf, ex.PD["city"])
	}
	// Robustness: noise, swaps of city and missing values (imputed only in
	// x: logreg refuses the others' missing values, which is noted).
	kinds := map[string]int{}
	for _, r := range ex.Robustness {
		kinds[r.Kind]++
	}
	if kinds["noise"] != 3 || kinds["swap"] != 3 {
		t.Errorf("robustness %+v note %q", ex.Robustness, ex.RobustNote)
	}
	if kinds["missing"] == 0 && ex.RobustNote == "" {
		t.Errorf("missing values neither tried nor explained: %+v", ex.Robustness)
	}
}

// specOf rebuilds a pipeline whose steps chose their columns by default
// (impute with the median takes the numbers only) so that refitting it on
// the same rows gives the same fitted state.
func TestSpecOfRefits(t *testing.T) {
	ctx := context.Background()
	f := pipeFrame(200, 5)
	f, _ = f.Drop("note")
	p := features.Pipeline{Steps: []features.Spec{
		{Transform: "impute", Params: map[string]any{"strategy": "median", "indicator": true}},
		{Transform: "onehot"},
		{Transform: "standard_scale"},
	}}
	fp, _, err := p.FitTransform(ctx, f, "y", nil, features.Options{Seed: 2})
	if err != nil {
		t.Fatal(err)
	}
	q, err := specOf(fp)
	if err != nil {
		t.Fatal(err)
	}
	fq, _, err := q.FitTransform(ctx, f, "y", nil, features.Options{Seed: 2})
	if err != nil {
		t.Fatal(err)
	}
	if len(fq.Steps) != len(fp.Steps) || len(fq.Output) != len(fp.Output) {
		t.Fatalf("refit %d steps %v, want %d %v", len(fq.Steps), fq.Output, len(fp.Steps), fp.Output)
	}
	for i := range fp.Steps {
		if string(fq.Steps[i].State) != string(fp.Steps[i].State) {
			t.Errorf("step %d state %s, want %s", i+1, fq.Steps[i].State, fp.Steps[i].State)
		}
	}
}

// meanStd is numpy's mean and std (ddof 0) over the values that are not NaN:
// np.mean([0.8, 0.9, 0.7]) = 0.8, np.std(...) = sqrt(0.02/3) = 0.0816496580927726.
func TestMeanStd(t *testing.T) {
	m, s := meanStd([]float64{0.8, math.NaN(), 0.9, 0.7})
	if math.Abs(m-0.8) > 1e-15 || math.Abs(s-0.0816496580927726) > 1e-15 {
		t.Errorf("mean %v std %v", m, s)
	}
	if m, s := meanStd([]float64{math.NaN()}); !math.IsNaN(m) || !math.IsNaN(s) {
		t.Errorf("all NaN: %v %v", m, s)
	}
}

// The learning curve of a run with explicit pipeline steps refits those
// steps: 5 stratified folds of 250 rows train on 200, so the sizes are
// ⌊0.1·200⌋ = 20, 40, …, 200; every fold scores, the validation AUC of the
// full size is near the run's own cross-validated AUC, and the training
// AUC of 20 rows is above its validation AUC.
func TestLearningCurvePipelineSteps(t *testing.T) {
	ctx := context.Background()
	steps := &features.Pipeline{Steps: []features.Spec{
		{Transform: "drop", Columns: []string{"note"}},
		{Transform: "impute", Params: map[string]any{"strategy": "median"}},
		{Transform: "onehot"},
		{Transform: "standard_scale"},
	}}
	ws, run, _ := pipelineRun(t, 250, "logreg", &train.Pipeline{Steps: steps, Seed: 3})
	if isRaw(run) || isDefaultPipeline(run) {
		t.Fatalf("pipeline %q", run.Pipeline)
	}
	var calls int64
	lc, err := LearningCurve(ctx, ws, run, "roc_auc", LearningOptions{Progress: func(done, total int64) {
		calls++
		if total != 50 || done != calls {
			t.Errorf("progress %d/%d at call %d", done, total, calls)
		}
	}})
	if err != nil {
		t.Fatal(err)
	}
	if len(lc.Points) != 10 || lc.K != 5 || calls != 50 || lc.Validation != "stratified 5-fold, shuffled" {
		t.Fatalf("%d points, %d folds, %d calls, %q", len(lc.Points), lc.K, calls, lc.Validation)
	}
	for k, p := range lc.Points {
		if p.TrainRows != 20*(k+1) || len(p.Valid) != 5 {
			t.Errorf("point %d: %d rows, %d folds", k, p.TrainRows, len(p.Valid))
		}
		for _, v := range p.Valid {
			if !(v > 0.5 && v <= 1) {
				t.Errorf("point %d: validation AUC %v", k, v)
			}
		}
	}
	own, _ := run.Metric("roc_auc")
	last := lc.Points[9]
	if math.Abs(last.ValidMean-float64(own.Mean)) > 0.03 {
		t.Errorf("validation AUC at 200 rows %v, the run's %v", last.ValidMean, own.Mean)
	}
	if first := lc.Points[0]; !(first.TrainMean > first.ValidMean) {
		t.Errorf("20 rows: training %v, validation %v", first.TrainMean, first.ValidMean)
	}
	// Cancelled: the context's error, at once.
	cctx, cancel := context.WithCancel(ctx)
	cancel()
	if _, err := LearningCurve(cctx, ws, run, "roc_auc", LearningOptions{}); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled: %v", err)
	}
	// Cancelled after the third fit: stops there.
	cctx, cancel = context.WithCancel(ctx)
	defer cancel()
	var fits int64
	_, err = LearningCurve(cctx, ws, run, "roc_auc", LearningOptions{Progress: func(done, _ int64) {
		if fits = done; done == 3 {
			cancel()
		}
	}})
	if !errors.Is(err, context.Canceled) || fits != 3 {
		t.Errorf("cancelled after 3 fits: %v after %d", err, fits)
	}
	if _, err := LearningCurve(ctx, ws, run, "nope", LearningOptions{}); err == nil || !strings.Contains(err.Error(), `no metric "nope"`) {
		t.Errorf("unknown metric: %v", err)
	}
}

// A run trained on a selection of the pipeline's outputs refits with the
// same outputs: the preparer keeps the fitted pipeline's Output, and the
// learning curve runs.
func TestLearningCurveSelectedOutputs(t *testing.T) {
	ctx := context.Background()
	steps := &features.Pipeline{Steps: []features.Spec{
		{Transform: "impute", Columns: []string{"x"}, Params: map[string]any{"strategy": "median"}},
		{Transform: "onehot", Columns: []string{"city"}},
	}}
	prep := &train.Pipeline{Steps: steps, Seed: 3, Selection: "features/selections/s.json", Outputs: []string{"x", "city=b"}}
	ws, run, _ := pipelineRun(t, 250, "logreg", prep)
	if !strings.Contains(run.Pipeline, "; selection features/selections/s.json") {
		t.Fatalf("pipeline %q", run.Pipeline)
	}
	p, err := preparer(ws, run)
	if err != nil {
		t.Fatal(err)
	}
	pl, ok := p.(*train.Pipeline)
	if !ok || !slices.Equal(pl.Outputs, []string{"x", "city=b"}) || pl.Steps == nil || len(pl.Steps.Steps) != 2 {
		t.Fatalf("preparer %+v", p)
	}
	lc, err := LearningCurve(ctx, ws, run, "roc_auc", LearningOptions{K: 3})
	if err != nil {
		t.Fatal(err)
	}
	if lc.K != 3 || len(lc.Points) != 10 || !(lc.Points[9].ValidMean > 0.8) {
		t.Errorf("learning curve %+v", lc)
	}
}
