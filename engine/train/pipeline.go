package train

import (
	"context"
	"fmt"
	"io"
	"slices"
	"strconv"
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
	// Label says where Steps come from, for Name: "saved pipeline
	// features/pipelines/customers.json". Empty: "pipeline".
	Label string
	// Selection, when not empty, names the feature selection the job's
	// features come from; Name appends it ("; selection ...").
	Selection string
	// Outputs, when not nil, keeps only these output columns of the
	// pipeline in the model matrix, in this order: a selection of
	// constructed features (names the pipeline makes, such as "a*b" or
	// "city=paris"). Each must be an output of the pipeline fitted on the
	// training rows of every fold. The saved fitted pipeline records them
	// as its Output, so that it rebuilds the same matrix.
	Outputs []string

	p         features.Pipeline
	decisions []features.Decision
	decided   bool
	// all caches the fit on every row of frame (from the outputs check),
	// which the final fit reuses.
	all   *pipelineFitted
	frame *frame.Frame
}

// Name implements Preparer: "default pipeline (impute 2, onehot 5, drop 3)",
// "pipeline: impute, onehot, standard_scale" or, with a Label, "saved
// pipeline features/pipelines/c.json (impute, onehot)"; then the
// selection, if any: "; selection features/selections/c.json".
func (p *Pipeline) Name() string {
	if p.Selection == "" {
		return p.stepsName()
	}
	return p.stepsName() + "; selection " + p.Selection
}

func (p *Pipeline) stepsName() string {
	if p.Steps != nil {
		names := make([]string, 0, len(p.Steps.Steps))
		for _, s := range p.Steps.Steps {
			names = append(names, s.Transform)
		}
		if p.Label != "" {
			return p.Label + " (" + strings.Join(names, ", ") + ")"
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
// that a pipeline that keeps nothing fails at once. With Outputs it also
// fits the pipeline on every row of f and checks that it makes each of
// them (the final fit reuses that fit).
func (p *Pipeline) Check(f *frame.Frame, target string, feats []string) error {
	return p.check(context.Background(), f, target, feats)
}

func (p *Pipeline) check(ctx context.Context, f *frame.Frame, target string, feats []string) error {
	sub, err := restrict(f, target, feats)
	if err != nil {
		return err
	}
	if err := p.decide(sub, target); err != nil {
		return err
	}
	if p.Outputs == nil {
		return nil
	}
	fp, err := p.fit(ctx, sub, target, feats, nil, " on all rows")
	if err != nil {
		return err
	}
	p.all, p.frame = fp, f
	return nil
}

// Fit implements Preparer.
func (p *Pipeline) Fit(ctx context.Context, f *frame.Frame, target string, feats []string, rows []int) (Prepared, error) {
	if rows == nil && p.all != nil && p.frame == f && slices.Equal(p.all.features, feats) {
		return p.all, nil
	}
	sub, err := restrict(f, target, feats)
	if err != nil {
		return nil, err
	}
	if err := p.decide(sub, target); err != nil {
		return nil, err
	}
	where := " on all rows"
	if rows != nil {
		where = fmt.Sprintf(" on a fold's %d training rows", len(rows))
	}
	return p.fit(ctx, sub, target, feats, rows, where)
}

// fit fits the decided pipeline on rows of sub (the features and target)
// and keeps the selected Outputs.
func (p *Pipeline) fit(ctx context.Context, sub *frame.Frame, target string, feats []string, rows []int, where string) (*pipelineFitted, error) {
	what := "feature pipeline"
	if p.Label != "" && p.Steps != nil {
		what = p.Label
	}
	fitted, trainFrame, err := p.p.FitTransform(ctx, sub, target, rows, features.Options{Seed: p.Seed})
	if err != nil {
		return nil, fmt.Errorf("train: %s: %w", what, err)
	}
	if p.Outputs != nil {
		if err := p.keepOutputs(fitted, where); err != nil {
			return nil, err
		}
	}
	X, _, err := features.DesignMatrix(trainFrame, fitted.Output)
	if err != nil {
		return nil, fmt.Errorf("train: %s: %w", what, err)
	}
	return &pipelineFitted{fitted: fitted, features: feats, target: target, trainX: X}, nil
}

// keepOutputs restricts fitted's Output to p.Outputs, each of which it
// must make.
func (p *Pipeline) keepOutputs(fitted *features.Fitted, where string) error {
	made, input := map[string]bool{}, map[string]bool{}
	for _, o := range fitted.Output {
		made[o] = true
	}
	for _, c := range fitted.Input {
		input[c.Name] = true
	}
	sel := ""
	if p.Selection != "" {
		sel = "selection " + p.Selection + ": "
	}
	// Unknown names first (a stale selection), then replaced inputs.
	for _, replaced := range []bool{false, true} {
		for _, o := range p.Outputs {
			if made[o] || input[o] != replaced {
				continue
			}
			what := "is neither a column of the data nor made by the feature pipeline"
			if replaced {
				what = "is replaced by the feature pipeline"
			}
			return fmt.Errorf("train: %scolumn %q %s fitted%s (it makes %s)", sel, o, what, where, listSome(fitted.Output, 8))
		}
	}
	fitted.Output = slices.Clone(p.Outputs)
	return nil
}

// listSome quotes up to n names and counts the rest.
func listSome(names []string, n int) string {
	q := make([]string, 0, min(n, len(names)))
	for _, s := range names[:min(n, len(names))] {
		q = append(q, strconv.Quote(s))
	}
	out := strings.Join(q, ", ")
	if len(names) > n {
		out += fmt.Sprintf(" and %d more", len(names)-n)
	}
	if out == "" {
		out = "no column"
	}
	return out
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
