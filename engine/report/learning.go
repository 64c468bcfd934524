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
	"github.com/mlwb/mlwb/engine/train"
	"github.com/mlwb/mlwb/engine/validate"
	"github.com/mlwb/mlwb/workspace"
)

// LCPoint is one training size of a cross-validated learning curve: the
// metric of the model refitted on TrainRows rows, on those rows (Train)
// and on the fold's validation rows (Valid), one value per fold, with the
// mean and the standard deviation over the folds (numpy's std, ddof 0, as
// scikit-learn's learning-curve plots draw it). Folds where the metric is
// undefined (a training share holding one class) are NaN and left out of
// the mean and std.
type LCPoint struct {
	Fraction  float64   `json:"fraction"`
	TrainRows int       `json:"train_rows"`
	TrainMean float64   `json:"train_mean"`
	TrainStd  float64   `json:"train_std"`
	ValidMean float64   `json:"valid_mean"`
	ValidStd  float64   `json:"valid_std"`
	Train     []float64 `json:"train"`
	Valid     []float64 `json:"valid"`
}

// Learning is a cross-validated learning curve of a run.
type Learning struct {
	// Metric is the run metric scored; Validation describes the folds
	// ("stratified 5-fold, shuffled"); K is their number.
	Metric     string
	Validation string
	K          int
	Points     []LCPoint
}

// LearningOptions configure LearningCurve. The zero value means 5 folds.
type LearningOptions struct {
	// K is the number of folds (0: 5).
	K int
	// Progress, when set, is told of each finished fit.
	Progress func(done, total int64)
}

// LearningFractions are the training shares of a learning curve, as
// numpy.linspace(0.1, 1.0, 10).
var LearningFractions = []float64{0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1}

// LearningCurve computes the learning curve of run as
// sklearn.model_selection.learning_curve does with shuffle=True: the
// training data is cut into K folds (stratified for classification,
// shuffled with the run's seed); n_max is the number of training rows of
// the first fold and the sizes are ⌊f·n_max⌋ for f in LearningFractions
// (duplicates removed). In every fold the training rows are shuffled (the
// run's seed) and the model is refitted — same model, parameters and seed,
// with the run's feature preparation refitted too (see preparer) — on the
// first size rows, then scored with metric (one of the run's metrics) on
// those rows and on the fold's validation rows. K·10 fits in all.
func LearningCurve(ctx context.Context, ws *workspace.Workspace, run workspace.Run, metric string, opt LearningOptions) (*Learning, error) {
	if opt.K <= 0 {
		opt.K = validate.DefaultK
	}
	if _, ok := run.Metric(metric); !ok {
		return nil, fmt.Errorf("%w: run %s has no metric %q", ErrEval, run.ID, metric)
	}
	task, err := models.ParseTask(run.Task)
	if err != nil || task == models.Clustering {
		return nil, fmt.Errorf("%w: run %s is %s; the learning curve needs a supervised task", ErrEval, run.ID, run.Task)
	}
	prep, err := preparer(ws, run)
	if err != nil {
		return nil, err
	}
	tf, err := trainingFrame(ctx, ws, run)
	if err != nil {
		return nil, fmt.Errorf("report: the training data of run %s: %w", run.ID, err)
	}
	tc, err := tf.Column(run.Target)
	if err != nil {
		return nil, fmt.Errorf("%w: the training data of run %s has no target %q", ErrEval, run.ID, run.Target)
	}
	y, err := models.EncodeTarget(tc, task, run.Classes)
	if err != nil {
		return nil, fmt.Errorf("report: run %s: %w", run.ID, err)
	}
	n := tf.NumRows()
	spec := validate.Spec{Scheme: validate.KFold, K: opt.K, Shuffle: true, Seed: run.Seed}
	var data validate.Data
	if task.Classifier() {
		spec.Scheme = validate.StratifiedKFold
		data.Classes = make([]int, n)
		for i, v := range y {
			data.Classes[i] = int(v)
		}
	}
	folds, _, err := spec.Folds(n, data)
	if err != nil {
		return nil, fmt.Errorf("report: learning curve of run %s: %w", run.ID, err)
	}
	nmax := len(folds[0].Train)
	var sizes []int
	var fracs []float64
	for _, f := range LearningFractions {
		s := int(f * float64(nmax))
		if s < 2 || len(sizes) > 0 && s == sizes[len(sizes)-1] {
			continue
		}
		sizes, fracs = append(sizes, s), append(fracs, f)
	}
	if len(sizes) < 2 {
		return nil, fmt.Errorf("%w: %d rows are too few for a learning curve", ErrEval, n)
	}
	lc := &Learning{Metric: metric, Validation: spec.String(), K: len(folds)}
	for k, s := range sizes {
		lc.Points = append(lc.Points, LCPoint{Fraction: fracs[k], TrainRows: s,
			Train: make([]float64, len(folds)), Valid: make([]float64, len(folds))})
	}
	total, done := int64(len(folds)*len(sizes)), int64(0)
	rng := rand.New(rand.NewPCG(run.Seed, 0x1c))
	for fi, fold := range folds {
		order := slices.Clone(fold.Train)
		rng.Shuffle(len(order), func(a, b int) { order[a], order[b] = order[b], order[a] })
		for k, s := range sizes {
			if err := ctx.Err(); err != nil {
				return nil, err
			}
			rows := slices.Clone(order[:min(s, len(order))])
			slices.Sort(rows)
			tr, va, err := lcFit(ctx, prep, tf, run, task, y, rows, fold.Test, metric)
			if err != nil {
				if ctx.Err() != nil {
					return nil, ctx.Err()
				}
				return nil, fmt.Errorf("report: learning curve, fold %d, %d rows: %w", fi+1, s, err)
			}
			lc.Points[k].Train[fi], lc.Points[k].Valid[fi] = tr, va
			done++
			if opt.Progress != nil {
				opt.Progress(done, total)
			}
		}
	}
	for i := range lc.Points {
		p := &lc.Points[i]
		p.TrainMean, p.TrainStd = meanStd(p.Train)
		p.ValidMean, p.ValidStd = meanStd(p.Valid)
	}
	return lc, nil
}

// lcFit fits the preparation and a new model of the run on rows of tf and
// returns the metric on those rows and on the test rows. A training share
// with a single class scores NaN.
func lcFit(ctx context.Context, prep train.Preparer, tf *frame.Frame, run workspace.Run, task models.Task, y []float64, rows, test []int, metric string) (float64, float64, error) {
	ytr, yva := take(y, rows), take(y, test)
	if task.Classifier() && !slices.ContainsFunc(ytr, func(v float64) bool { return v != ytr[0] }) {
		return math.NaN(), math.NaN(), nil
	}
	p, err := prep.Fit(ctx, tf, run.Target, run.Features, rows)
	if err != nil {
		return 0, 0, err
	}
	Xtr, err := p.Matrix(ctx, tf, rows)
	if err != nil {
		return 0, 0, err
	}
	Xfit := Xtr
	if tm, ok := p.(train.TrainingMatrixer); ok {
		Xfit = tm.TrainingMatrix() // out-of-fold target encoding, as training does
	}
	Xva, err := p.Matrix(ctx, tf, test)
	if err != nil {
		return 0, 0, err
	}
	m, err := models.New(run.Model, run.Params, run.Seed)
	if err != nil {
		return 0, 0, err
	}
	if err := m.Fit(ctx, Xfit, ytr, nil, models.FitOptions{Task: task, Classes: run.Classes}); err != nil {
		return 0, 0, err
	}
	tr, err := scoreRun(ctx, m, Xtr, task, run.Classes, ytr, metric)
	if err != nil {
		return 0, 0, err
	}
	va, err := scoreRun(ctx, m, Xva, task, run.Classes, yva, metric)
	return tr, va, err
}

func take(y []float64, rows []int) []float64 {
	out := make([]float64, len(rows))
	for k, i := range rows {
		out[k] = y[i]
	}
	return out
}

// meanStd is the mean and the standard deviation (ddof 0) of the values
// that are not NaN (NaN, NaN when none is).
func meanStd(v []float64) (float64, float64) {
	var s, s2 float64
	n := 0
	for _, x := range v {
		if !math.IsNaN(x) {
			s += x
			n++
		}
	}
	if n == 0 {
		return math.NaN(), math.NaN()
	}
	mean := s / float64(n)
	for _, x := range v {
		if !math.IsNaN(x) {
			s2 += (x - mean) * (x - mean)
		}
	}
	return mean, math.Sqrt(s2 / float64(n))
}

// scoreRun is the run metric name of model m on X against y (encoded), as
// training computes it: the predicted class is the most probable one.
func scoreRun(ctx context.Context, m models.Model, X *models.Matrix, task models.Task, classes []string, y []float64, name string) (float64, error) {
	in := metrics.Input{}
	n := X.Rows
	if task == models.Regression {
		pred := make([]float64, n)
		if err := m.Predict(X, pred); err != nil {
			return 0, err
		}
		in.Task, in.YTrue, in.YPred = metrics.RegressionTask, y, pred
	} else {
		K := len(classes)
		proba := make([]float64, n*K)
		if err := m.PredictProba(X, proba); err != nil {
			return 0, err
		}
		in.Classes, in.True, in.Pred = classes, make([]int32, n), make([]int32, n)
		for i := range n {
			in.True[i] = int32(y[i])
			row := proba[i*K : (i+1)*K]
			in.Pred[i] = int32(slices.Index(row, slices.Max(row)))
		}
		if task == models.Binary {
			in.Task, in.Pos, in.Score = metrics.BinaryTask, 1, make([]float64, n)
			for i := range n {
				in.Score[i] = proba[i*K+1]
			}
		} else {
			in.Task, in.Proba = metrics.MulticlassTask, metrics.Proba{P: proba, K: K}
		}
	}
	rep, err := metrics.Evaluate(ctx, in, metrics.Options{})
	if err != nil {
		return 0, err
	}
	v, ok := rep.Values[train.ReportName(task, name)]
	if !ok {
		return math.NaN(), nil
	}
	return v, nil
}

// LearningChart returns the learning curve as a chart: the validation and
// training means against the training rows, each with ± one standard
// deviation over the folds (Series.Err).
func LearningChart(lc *Learning) Chart {
	v := Series{Name: "validation"}
	t := Series{Name: "training"}
	for _, p := range lc.Points {
		x := float64(p.TrainRows)
		v.X, v.Y, v.Err = append(v.X, x), append(v.Y, p.ValidMean), append(v.Err, p.ValidStd)
		t.X, t.Y, t.Err = append(t.X, x), append(t.Y, p.TrainMean), append(t.Err, p.TrainStd)
	}
	c := Chart{Title: fmt.Sprintf("Learning curve (%s, mean ± sd over %s)", lc.Metric, lc.Validation),
		XLabel: "training rows", YLabel: lc.Metric, Series: []Series{v, t}, MarkX: math.NaN()}
	c.XMin, c.XMax = minMax(v.X)
	lo, hi := math.Inf(1), math.Inf(-1)
	for _, s := range c.Series {
		for k, y := range s.Y {
			if !math.IsNaN(y) {
				lo, hi = math.Min(lo, y-s.Err[k]), math.Max(hi, y+s.Err[k])
			}
		}
	}
	if math.IsInf(lo, 0) {
		lo, hi = 0, 1
	}
	if hi <= lo {
		lo, hi = lo-0.5, hi+0.5
	}
	c.YMin, c.YMax = lo, hi
	return c
}
