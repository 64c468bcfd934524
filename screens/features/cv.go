package features

import (
	"context"
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"

	"github.com/mlwb/mlwb/engine/features"
	"github.com/mlwb/mlwb/engine/frame"
	"github.com/mlwb/mlwb/engine/models"
	"github.com/mlwb/mlwb/engine/train"
	"github.com/mlwb/mlwb/engine/validate"
)

// Quick cross-validation settings: what the live score costs.
const (
	// CVRows bounds the rows of the quick score (a seeded sample above it).
	CVRows = 20000
	// CVFolds is its number of folds.
	CVFolds = 3
)

// cvResult is the quick cross-validated score of one selection.
type cvResult struct {
	Metric    string
	Mean, Std float64
	Features  int
	Model     string
}

// quickMetric is the metric shown for task: ROC AUC for two classes,
// accuracy for more, R² for regression.
func quickMetric(task models.Task) string {
	switch task {
	case models.Binary:
		return "roc_auc"
	case models.Multiclass:
		return "accuracy"
	}
	return "r2"
}

// restrict returns p limited to the columns in keep: steps naming columns
// keep only the kept ones and are removed when none is left; steps without
// columns (every column of their type) stay.
func restrict(p features.Pipeline, keep []string) features.Pipeline {
	in := map[string]bool{}
	for _, k := range keep {
		in[k] = true
	}
	out := features.Pipeline{Version: p.Version}
	for _, s := range p.Steps {
		if len(s.Columns) == 0 {
			out.Steps = append(out.Steps, s)
			continue
		}
		var cols []string
		for _, c := range s.Columns {
			if in[c] {
				cols = append(cols, c)
			}
		}
		if len(cols) == 0 {
			continue
		}
		s.Columns = cols
		out.Steps = append(out.Steps, s)
	}
	return out
}

// withScaling appends standard_scale to p unless it has a scaling step:
// the fast models are penalized linear models, whose fit depends on the
// features' scales (an unscaled date in days next to a 0/1 indicator).
func withScaling(p features.Pipeline) features.Pipeline {
	for _, s := range p.Steps {
		if strings.HasSuffix(s.Transform, "_scale") {
			return p
		}
	}
	p.Steps = append(slices.Clone(p.Steps), features.Spec{Transform: "standard_scale"})
	return p
}

// quickCV scores the selected features of f with a fast model (logistic
// regression for classes, ridge for numbers) by CVFolds-fold
// cross-validation on at most CVRows rows with a known target, through
// the pipeline p restricted to the selected columns, plus standard scaling
// when p has none (fitted per fold on the training rows only).
func quickCV(ctx context.Context, f *frame.Frame, target string, p features.Pipeline, selected []string, seed uint64) (cvResult, error) {
	if len(selected) == 0 {
		return cvResult{}, fmt.Errorf("no feature selected")
	}
	tc, err := f.Column(target)
	if err != nil {
		return cvResult{}, err
	}
	var rows []int
	for i := 0; i < f.NumRows(); i++ {
		if !tc.IsNA(i) {
			rows = append(rows, i)
		}
	}
	if len(rows) > CVRows {
		r := rand.New(rand.NewPCG(seed, 0x7163765f))
		r.Shuffle(len(rows), func(i, j int) { rows[i], rows[j] = rows[j], rows[i] })
		rows = rows[:CVRows]
		slices.Sort(rows)
	}
	sub, err := f.Take(rows).Select(append(slices.Clone(selected), target)...)
	if err != nil {
		return cvResult{}, err
	}
	stc, _ := sub.Column(target)
	task, _, err := models.DetectTask(stc)
	if err != nil {
		return cvResult{}, err
	}
	model := "ridge"
	spec := validate.Spec{Scheme: validate.KFold, K: CVFolds, Shuffle: true, Seed: seed}
	if task.Classifier() {
		model = "logreg"
		spec.Scheme = validate.StratifiedKFold
	}
	rp := withScaling(restrict(p, selected))
	res, err := train.Run(ctx, train.Job{
		Frame: sub, Target: target, Features: selected, Model: model, Seed: seed,
		Validation: spec, Prep: &train.Pipeline{Steps: &rp, Seed: seed},
	})
	if err != nil {
		return cvResult{}, err
	}
	name := quickMetric(res.Task)
	s, ok := res.Metric(name)
	if !ok {
		return cvResult{}, fmt.Errorf("quick score: no %s in the result", name)
	}
	return cvResult{Metric: name, Mean: s.Mean, Std: s.Std, Features: len(selected), Model: model}, nil
}
