package train

import (
	"context"
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/mlwb/mlwb/engine/features"
	"github.com/mlwb/mlwb/engine/frame"
	"github.com/mlwb/mlwb/engine/models"
)

// Pipeline is the preparation through a feature pipeline (package
// features), fitted anew on the training rows of every fold, so that no
// statistic (mean, median, levels, target encoding...) is learnt from the
// rows it is scored on. The training matrix is FitTransform's output
// (out-of-fold target encoding included); held-out rows go through the
// fitted pipeline's Matrix.
//
// With Steps nil it uses features.DefaultPipeline, decided once on the whole
// frame restricted to the features: which columns are dropped (constant,
// identifier-like, free text), imputed, one-hot or frequency encoded
// depends on column types and distinct counts over all rows, but no
// statistic is learnt outside the training rows. Create one per job.
type Pipeline struct {
	// Steps is the pipeline; nil means the default pipeline.
	Steps *features.Pipeline
	// Seed seeds the pipeline's random choices (target-encoding folds).
	Seed uint64

	p         features.Pipeline
	decisions []features.Decision
	decided   bool
}

// Name implements Preparer: "default pipeline (impute 2, onehot 5, drop 3)"
// or "pipeline: impute, onehot, standard_scale".
func (p *Pipeline) Name() string {
	if p.Steps != nil {
		var names []string
		for _, s := range p.Steps.Steps {
			names = append(names, s.Transform)
		}
		return "pipeline: " + strings.Join(names, ", ")
	}
	if !p.decided {
		return "default pipeline"
	}
	count := map[string]int{}
	var order []string
	for _, d := range p.decisions {
		if count[d.Action] == 0 {
			order = append(order, d.Action)
		}
		count[d.Action]++
	}
	parts := make([]string, len(order))
	for i, a := range order {
		parts[i] = fmt.Sprintf("%s %d", a, count[a])
	}
	return "default pipeline (" + strings.Join(parts, ", ") + ")"
}

// Decisions returns what the default pipeline does with each column (nil
// before the first Fit or with explicit Steps).
func (p *Pipeline) Decisions() []features.Decision { return p.decisions }

func restrict(f *frame.Frame, target string, feats []string) (*frame.Frame, error) {
	cols := slices.Clone(feats)
	if target != "" && f.Index(target) >= 0 {
		cols = append(cols, target)
	}
	g, err := f.Select(cols...)
	if err != nil {
		return nil, fmt.Errorf("train: %w", err)
	}
	return g, nil
}

// decide fixes the pipeline once; the default one must keep a column.
func (p *Pipeline) decide(sub *frame.Frame, target string) error {
	if p.decided {
		return nil
	}
	if p.Steps != nil {
		p.p = *p.Steps
		p.decided = true
		return nil
	}
	p.p, p.decisions = features.DefaultPipeline(sub, target)
	p.decided = true
	var why []string
	for _, d := range p.decisions {
		if d.Action != "drop" {
			return nil
		}
		why = append(why, fmt.Sprintf("%q %s", d.Column, d.Reason))
	}
	return fmt.Errorf("train: the default feature pipeline leaves no feature: %s", strings.Join(why, "; "))
}

// Check decides the pipeline on f's features before any fold starts, so
// that a pipeline that keeps nothing fails at once.
func (p *Pipeline) Check(f *frame.Frame, target string, feats []string) error {
	sub, err := restrict(f, target, feats)
	if err != nil {
		return err
	}
	return p.decide(sub, target)
}

// Fit implements Preparer.
func (p *Pipeline) Fit(ctx context.Context, f *frame.Frame, target string, feats []string, rows []int) (Prepared, error) {
	sub, err := restrict(f, target, feats)
	if err != nil {
		return nil, err
	}
	if err := p.decide(sub, target); err != nil {
		return nil, err
	}
	fitted, trainFrame, err := p.p.FitTransform(ctx, sub, target, rows, features.Options{Seed: p.Seed})
	if err != nil {
		return nil, fmt.Errorf("train: feature pipeline: %w", err)
	}
	X, _, err := features.DesignMatrix(trainFrame, fitted.Output)
	if err != nil {
		return nil, fmt.Errorf("train: feature pipeline: %w", err)
	}
	return &pipelineFitted{fitted: fitted, features: feats, target: target, trainX: X}, nil
}

type pipelineFitted struct {
	fitted   *features.Fitted
	features []string
	target   string
	trainX   *models.Matrix
}

// TrainingMatrix implements TrainingMatrixer: FitTransform's output.
func (p *pipelineFitted) TrainingMatrix() *models.Matrix { return p.trainX }

// Matrix implements Prepared.
func (p *pipelineFitted) Matrix(ctx context.Context, f *frame.Frame, rows []int) (*models.Matrix, error) {
	for _, c := range p.features {
		if f.Index(c) < 0 {
			return nil, fmt.Errorf("train: the data has no column %q", c)
		}
	}
	sub, err := restrict(f, p.target, p.features)
	if err != nil {
		return nil, err
	}
	if rows != nil {
		sub = sub.Take(rows)
	}
	X, _, err := p.fitted.Matrix(ctx, sub)
	if err != nil {
		return nil, fmt.Errorf("train: feature pipeline: %w", err)
	}
	return X, nil
}

// Save writes the fitted pipeline (features.Fitted.Save).
func (p *pipelineFitted) Save(w io.Writer) error { return p.fitted.Save(w) }

// PreparedPipeline returns the Prepared of a fitted pipeline read back from
// a run's pipeline.json (features.Load): its inputs are fp.Input, its target
// fp.Target.
func PreparedPipeline(fp *features.Fitted) Prepared {
	names := make([]string, len(fp.Input))
	for i, c := range fp.Input {
		names[i] = c.Name
	}
	return &pipelineFitted{fitted: fp, features: names, target: fp.Target}
}
