package report

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"strings"

	"github.com/mlwb/mlwb/engine/features"
	"github.com/mlwb/mlwb/engine/frame"
	"github.com/mlwb/mlwb/engine/models"
	"github.com/mlwb/mlwb/engine/train"
	"github.com/mlwb/mlwb/workspace"
)

// isRaw reports whether run prepared its features without a pipeline
// (train.Raw; older runs recorded names beginning with "raw").
func isRaw(run workspace.Run) bool {
	return run.Pipeline == "" || strings.HasPrefix(run.Pipeline, "raw")
}

// isDefaultPipeline reports whether run used the default feature pipeline
// (features.DefaultPipeline, decided on the training frame).
func isDefaultPipeline(run workspace.Run) bool {
	return strings.HasPrefix(run.Pipeline, "default pipeline")
}

// runScorer predicts with a run's final model from raw rows: the run's
// input columns go through the run's fitted preparation — the categorical
// levels of the training data for a raw run, runs/<id>/pipeline.json
// otherwise — and then through the model. Explanations perturb the raw
// columns and score again, so every importance is per original column.
type runScorer struct {
	run   workspace.Run
	model models.Model
	prep  train.Prepared
	// classes is the number of classes (0 for regression).
	classes int
}

// newRunScorer loads run's model and fitted preparation.
func newRunScorer(ctx context.Context, ws *workspace.Workspace, run workspace.Run) (*runScorer, error) {
	if !run.HasModel {
		return nil, fmt.Errorf("%w: run %s kept no model", ErrEval, run.ID)
	}
	s := &runScorer{run: run}
	if run.Task != "regression" {
		s.classes = len(run.Classes)
	}
	if isRaw(run) {
		tf, err := trainingFrame(ctx, ws, run)
		if err != nil {
			return nil, fmt.Errorf("report: the training data of run %s: %w", run.ID, err)
		}
		// Raw learns only the categorical levels, from the training frame.
		if s.prep, err = (&train.Raw{}).Fit(ctx, tf, run.Target, run.Features, nil); err != nil {
			return nil, fmt.Errorf("report: run %s: %w", run.ID, err)
		}
	} else {
		if !run.HasPipeline {
			return nil, fmt.Errorf("%w: run %s: its feature preparation %q was not saved with it (no %s); train it again",
				ErrEval, run.ID, run.Pipeline, workspace.RunPipelineFile)
		}
		fp, err := ws.LoadRunPipeline(run.ID)
		if err != nil {
			return nil, fmt.Errorf("report: run %s: %w", run.ID, err)
		}
		s.prep = train.PreparedPipeline(fp)
	}
	m, err := ws.LoadRunModel(run.ID)
	if err != nil {
		return nil, err
	}
	s.model = m
	return s, nil
}

// matrix prepares f's rows (raw columns, as in the training data) for the
// model. what names f in errors.
func (s *runScorer) matrix(ctx context.Context, f *frame.Frame, what string) (*models.Matrix, error) {
	var miss []string
	for _, c := range s.run.Features {
		if f.Index(c) < 0 {
			miss = append(miss, fmt.Sprintf("%q", c))
		}
	}
	if len(miss) > 0 {
		return nil, fmt.Errorf("%w: %s has no column %s (run %s was trained on it)", ErrEval, what, strings.Join(miss, ", "), s.run.ID)
	}
	X, err := s.prep.Matrix(ctx, f, nil)
	if err != nil {
		return nil, fmt.Errorf("report: %s: %w", what, err)
	}
	return X, nil
}

// predict returns the model's output on f's rows: for a classifier the
// class probabilities (rows × classes, row-major), for a regressor the
// predicted values.
func (s *runScorer) predict(ctx context.Context, f *frame.Frame, what string) ([]float64, error) {
	X, err := s.matrix(ctx, f, what)
	if err != nil {
		return nil, err
	}
	if s.classes == 0 {
		out := make([]float64, X.Rows)
		return out, s.model.Predict(X, out)
	}
	out := make([]float64, X.Rows*s.classes)
	return out, s.model.PredictProba(X, out)
}

// withMissing returns c with the rows where miss is true made missing
// (besides those already missing).
func withMissing(c frame.Column, miss []bool) frame.Column {
	m := make([]bool, c.Len())
	for i := range m {
		m[i] = miss[i] || c.IsNA(i)
	}
	mask := frame.MaskFromMissing(m)
	switch c := c.(type) {
	case *frame.Float64Col:
		return frame.NewFloat64(c.Name(), slices.Clone(c.Data), mask)
	case *frame.Int64Col:
		return frame.NewInt64(c.Name(), slices.Clone(c.Data), mask)
	case *frame.BoolCol:
		return frame.NewBool(c.Name(), slices.Clone(c.Data), mask)
	case *frame.DatetimeCol:
		return frame.NewDatetime(c.Name(), slices.Clone(c.Data), mask)
	case *frame.CategoricalCol:
		codes := slices.Clone(c.Codes)
		for i := range codes {
			if m[i] {
				codes[i] = -1
			}
		}
		return frame.NewCategorical(c.Name(), codes, c.Levels)
	case *frame.StringCol:
		return frame.NewString(c.Name(), slices.Clone(c.Data), mask)
	}
	return c
}

// isNumber reports whether a raw column takes Gaussian noise and a partial
// dependence grid: float and integer columns.
func isNumber(c frame.Column) bool {
	return c.Type() == frame.Float || c.Type() == frame.Int
}

// withNoise returns the numeric column c plus k times its standard
// deviation (ddof 0) times a standard normal draw per row, as a float
// column; missing values stay missing.
func withNoise(c frame.Column, k float64, rng *rand.Rand) frame.Column {
	v, _ := frame.Floats(c)
	var sum, sum2 float64
	var n int
	for _, x := range v {
		if !math.IsNaN(x) {
			sum += x
			n++
		}
	}
	if n < 2 {
		return c
	}
	mean := sum / float64(n)
	for _, x := range v {
		if !math.IsNaN(x) {
			sum2 += (x - mean) * (x - mean)
		}
	}
	sd := math.Sqrt(sum2 / float64(n))
	out := make([]float64, len(v))
	for i, x := range v {
		out[i] = x + k*sd*rng.NormFloat64()
	}
	return frame.NewFloat64(c.Name(), out, c.Mask())
}

// withSwaps returns the categorical column c with a share q of its present
// values replaced by the value of another row drawn at random (so levels
// keep their frequencies).
func withSwaps(c *frame.CategoricalCol, q float64, rng *rand.Rand) frame.Column {
	var present []int32
	for _, k := range c.Codes {
		if k >= 0 {
			present = append(present, k)
		}
	}
	codes := slices.Clone(c.Codes)
	if len(present) == 0 {
		return c
	}
	for i, k := range codes {
		if k >= 0 && rng.Float64() < q {
			codes[i] = present[rng.IntN(len(present))]
		}
	}
	return frame.NewCategorical(c.Name(), codes, c.Levels)
}

// constant returns a float column of n copies of v named name.
func constant(name string, v float64, n int) frame.Column {
	d := make([]float64, n)
	for i := range d {
		d[i] = v
	}
	return frame.NewFloat64(name, d, frame.Mask{})
}

// preparer returns the unfitted preparation of run, to refit it on other
// rows (the learning curve): train.Raw for a raw run, the default pipeline
// for a default-pipeline run (decided on the frame it is fitted on, as
// training did), and otherwise the steps of the run's fitted pipeline with
// their parameters and the columns they took.
//
// A run trained on a feature selection ("; selection ..." in its pipeline
// name) keeps only the selected outputs of the pipeline, which its fitted
// pipeline lists: the refits keep the same (train.Pipeline.Outputs).
func preparer(ws *workspace.Workspace, run workspace.Run) (train.Preparer, error) {
	if isRaw(run) {
		return &train.Raw{}, nil
	}
	if !run.HasPipeline {
		if isDefaultPipeline(run) {
			return &train.Pipeline{Seed: run.Seed}, nil
		}
		return nil, fmt.Errorf("%w: run %s: its feature preparation %q was not saved with it (no %s); train it again",
			ErrEval, run.ID, run.Pipeline, workspace.RunPipelineFile)
	}
	fp, err := ws.LoadRunPipeline(run.ID)
	if err != nil {
		return nil, fmt.Errorf("report: run %s: %w", run.ID, err)
	}
	p := &train.Pipeline{Seed: fp.Seed}
	if !isDefaultPipeline(run) {
		steps, err := specOf(fp)
		if err != nil {
			return nil, fmt.Errorf("report: run %s: %w", run.ID, err)
		}
		p.Steps = &steps
	}
	if strings.Contains(run.Pipeline, "; selection") {
		p.Outputs = slices.Clone(fp.Output)
	}
	return p, nil
}

// specOf rebuilds the pipeline a Fitted was fitted from: each step's
// transform and parameters with the columns it resolved. An impute step
// whose columns were chosen by default skipped the categorical columns for
// the mean and median strategies; its state lists the columns it really
// imputes, and those are used.
func specOf(fp *features.Fitted) (features.Pipeline, error) {
	p := features.Pipeline{Version: features.Version}
	for i, s := range fp.Steps {
		sp := features.Spec{Transform: s.Transform, Columns: slices.Clone(s.Columns), Params: s.Params}
		if s.Transform == "impute" {
			st, err := fp.State(i)
			if err != nil {
				return p, fmt.Errorf("pipeline step %d (impute): %w", i+1, err)
			}
			cols, _ := st["columns"].([]any)
			sp.Columns = sp.Columns[:0]
			for _, c := range cols {
				if name, ok := c.(string); ok {
					sp.Columns = append(sp.Columns, name)
				}
			}
			if len(sp.Columns) == 0 {
				continue // it imputed nothing
			}
		}
		p.Steps = append(p.Steps, sp)
	}
	return p, nil
}
