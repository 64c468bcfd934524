package train

import (
	"context"
	"errors"
	"fmt"
	"math"
	"slices"
	"time"

	"github.com/mlwb/mlwb/engine/frame"
	"github.com/mlwb/mlwb/engine/models"
	"github.com/mlwb/mlwb/engine/validate"
)

// Job is one training job. The zero values of Validation, Prep and Features
// mean the defaults (see DefaultSpec, Raw, and every column but the target,
// the group and time columns and Exclude).
type Job struct {
	// Frame holds the training rows, Target the column to predict ("" only
	// for clustering).
	Frame  *frame.Frame
	Target string
	// Features lists the input columns; nil means every other column except
	// Exclude and the validation's group and time columns.
	Features []string
	Exclude  []string
	// Task, when set, overrides the detected task: only Regression over an
	// integer target that DetectTask took as classes is allowed.
	Task *models.Task
	// Model is a registry name (models.Names) and Params its parameters.
	Model  string
	Params map[string]string
	// Seed seeds the folds and every model.
	Seed uint64
	// Validation is the scheme; Test holds the supplied test set for
	// validate.TestSet.
	Validation validate.Spec
	Test       *frame.Frame
	// Prep prepares features per fold; nil means a new Raw. Use
	// &Pipeline{Seed: seed} for the default feature pipeline
	// (features.DefaultPipeline), refitted per fold.
	Prep Preparer
	// Final fits the model on all training rows (Result.Model). The
	// bootstrap and a supplied test set fit it whatever Final says, as they
	// need it.
	Final bool
	// Progress, when not nil, is told of every fold and model iteration,
	// from the goroutine running Run, in order.
	Progress func(Event)
}

// Phase is what an Event reports.
type Phase int

// The phases.
const (
	FoldStart Phase = iota // a fold (or the final fit: Fold = -1) starts
	Iteration              // the model finished an iteration
	FoldDone               // a fold was scored (Metrics set) or the final fit ended
)

// Event is a progress report.
type Event struct {
	Phase Phase
	// Fold is the fold index (0-based), or -1 for the final fit; Folds the
	// number of folds.
	Fold, Folds int
	// Iter, TrainLoss and ValidLoss are the Recorder's report (Iteration).
	Iter                 int
	TrainLoss, ValidLoss float64
	// Metrics are the fold's scores (FoldDone).
	Metrics map[string]float64
}

// Point is one iteration of a learning curve (NaN where not computed).
type Point struct {
	Iter  int
	Train float64
	Valid float64
}

// FoldResult is one fold's outcome.
type FoldResult struct {
	Index, Repeat       int
	TrainRows, TestRows int
	Metrics             map[string]float64
	FitSeconds          float64
	PredictSeconds      float64
	Curve               []Point
}

// Summary is one metric over the folds.
type Summary struct {
	Name           string
	Mean, Std      float64
	Folds          []float64
	HigherIsBetter bool
}

// Estimate holds the bootstrap estimates of one metric.
type Estimate struct {
	Name                   string
	Apparent, OOB          float64
	E632, E632Plus, NoInfo float64
}

// Predictions are held-out predictions: one entry per (row, fold). Proba is
// len(Row)×K row-major (nil for regression and clustering).
type Predictions struct {
	Row   []int
	Fold  []int
	YTrue []float64
	YPred []float64
	Proba []float64
	K     int
}

// Result is the outcome of Run.
type Result struct {
	Task     models.Task
	Classes  []string
	Pos      int // positive class index (binary): 1
	Target   string
	Features []string
	Pipeline string
	Model    string
	Params   map[string]string // every parameter of the model, as text
	Spec     validate.Spec
	Folds    []FoldResult
	Metrics  []Summary
	// Estimates are the bootstrap's .632 / .632+ estimates (nil otherwise).
	Estimates []Estimate
	OOF       Predictions
	// Final is the model fitted on all training rows (nil when not asked)
	// and FinalCurve its learning curve.
	Final      models.Model
	FinalCurve []Point
	// FinalPrep is the feature preparation fitted on all training rows
	// (with Final); it has a Save(io.Writer) error method when it can be
	// stored (a fitted feature pipeline).
	FinalPrep Prepared
	// FitSeconds is the time spent fitting the fold models (for a holdout:
	// the one fit on the training part; for a test set: the final fit);
	// FinalFitSeconds the time of the final fit; TotalSeconds everything.
	FitSeconds, FinalFitSeconds, TotalSeconds float64
	Warnings                                  []string
}

// Metric returns the summary of the named metric.
func (r *Result) Metric(name string) (Summary, bool) {
	for _, s := range r.Metrics {
		if s.Name == name {
			return s, true
		}
	}
	return Summary{}, false
}

// DefaultSpec is the validation used when none is given (a Job.Validation
// with nothing set but Seed): stratified 5-fold
// for classification, 5-fold k-fold otherwise (see the package doc).
func DefaultSpec(task models.Task, seed uint64) validate.Spec {
	if task.Classifier() {
		return validate.Spec{Scheme: validate.StratifiedKFold, K: validate.DefaultK, Seed: seed}
	}
	return validate.Spec{Scheme: validate.KFold, K: validate.DefaultK, Seed: seed}
}

// ErrJob is wrapped by errors about the job's inputs.
var ErrJob = errors.New("train: bad job")

// setup is what Run resolves before fitting.
type setup struct {
	task     models.Task
	classes  []string
	y        []float64
	features []string
}

func resolve(j *Job) (setup, error) {
	var s setup
	if j.Frame == nil || j.Frame.NumRows() == 0 {
		return s, fmt.Errorf("%w: no training rows", ErrJob)
	}
	if !slices.Contains(models.Names(), j.Model) {
		if _, err := models.New(j.Model, nil, 0); err != nil {
			return s, err
		}
	}
	clustering := j.Model == "kmeans"
	if j.Target == "" && !clustering {
		return s, fmt.Errorf("%w: no target column (use --target COL)", ErrJob)
	}
	if j.Target != "" {
		col, err := j.Frame.Column(j.Target)
		if err != nil {
			return s, fmt.Errorf("%w: no target column %q", ErrJob, j.Target)
		}
		if clustering {
			s.task = models.Clustering
		} else {
			s.task, s.classes, err = models.DetectTask(col)
			if err != nil {
				return s, err
			}
			if j.Task != nil && *j.Task != s.task {
				if *j.Task != models.Regression || col.Type() != frame.Int {
					return s, fmt.Errorf("%w: target %q is %s; it cannot be trained as %s", ErrJob, j.Target, s.task, *j.Task)
				}
				s.task, s.classes = models.Regression, nil
			}
			s.y, err = models.EncodeTarget(col, s.task, s.classes)
			if err != nil {
				return s, err
			}
		}
	} else {
		s.task = models.Clustering
	}
	skip := map[string]bool{j.Target: true, j.Validation.Group: true, j.Validation.Time: true}
	for _, e := range j.Exclude {
		if _, err := j.Frame.Column(e); err != nil {
			return s, fmt.Errorf("%w: cannot exclude %q: no such column", ErrJob, e)
		}
		skip[e] = true
	}
	if j.Features != nil {
		for _, f := range j.Features {
			if _, err := j.Frame.Column(f); err != nil {
				return s, fmt.Errorf("%w: no feature column %q", ErrJob, f)
			}
			if f == j.Target {
				return s, fmt.Errorf("%w: the target %q cannot be a feature", ErrJob, f)
			}
			if !skip[f] {
				s.features = append(s.features, f)
			}
		}
	} else {
		for _, c := range j.Frame.Columns() {
			if !skip[c.Name()] {
				s.features = append(s.features, c.Name())
			}
		}
	}
	if len(s.features) == 0 {
		return s, fmt.Errorf("%w: no feature columns left", ErrJob)
	}
	return s, nil
}

// Run runs the job. It returns ctx.Err() (wrapped) when cancelled.
func Run(ctx context.Context, j Job) (*Result, error) {
	start := time.Now()
	s, err := resolve(&j)
	if err != nil {
		return nil, err
	}
	// Check the model and its parameters before any work.
	probe, err := models.New(j.Model, j.Params, j.Seed)
	if err != nil {
		return nil, err
	}
	spec := j.Validation
	if isDefault(spec) {
		spec = DefaultSpec(s.task, j.Seed)
	}
	spec = spec.Normalized()
	if s.task == models.Clustering && (spec.Scheme == validate.StratifiedKFold || spec.Scheme == validate.RepeatedStratifiedKFold) {
		spec.Scheme = validate.KFold
	}
	if spec.Scheme == validate.TestSet && j.Test == nil {
		return nil, fmt.Errorf("%w: a test-set validation needs the test rows", ErrJob)
	}
	prep := j.Prep
	if prep == nil {
		prep = &Raw{}
	}
	if pl, ok := prep.(*Pipeline); ok {
		if err := pl.check(ctx, j.Frame, j.Target, s.features); err != nil {
			return nil, err
		}
	}
	if raw, ok := prep.(*Raw); ok {
		// Refuse text columns before any fold starts.
		if _, err := raw.Fit(ctx, j.Frame, j.Target, s.features, nil); err != nil {
			return nil, err
		}
	}
	res := &Result{Task: s.task, Classes: s.classes, Target: j.Target, Features: s.features,
		Pipeline: prep.Name(), Model: j.Model, Params: map[string]string{}, Spec: spec}
	for _, p := range probe.Params() {
		res.Params[p.Name] = p.Value
	}
	if s.task == models.Binary {
		res.Pos = 1
	}
	n := j.Frame.NumRows()
	if len(s.features) >= n {
		res.Warnings = append(res.Warnings, fmt.Sprintf("%d features for %d rows: expect overfitting", len(s.features), n))
	}
	var data validate.Data
	if s.task.Classifier() {
		data.Classes = make([]int, n)
		for i, v := range s.y {
			data.Classes[i] = int(v)
		}
	}
	if spec.Scheme == validate.GroupKFold {
		if data.Groups, err = groupCodes(j.Frame, spec.Group); err != nil {
			return nil, err
		}
	}
	if spec.Scheme == validate.TimeSeriesSplit {
		if data.Time, err = timeValues(j.Frame, spec.Time); err != nil {
			return nil, err
		}
	}
	folds, warn, err := spec.Folds(n, data)
	if err != nil {
		return nil, err
	}
	res.Warnings = append(res.Warnings, warn...)

	r := &runner{ctx: ctx, job: &j, s: s, prep: prep, res: res, early: earlyStopping(probe)}
	if spec.Scheme == validate.TestSet {
		err = r.testSet()
	} else {
		err = r.folds(folds)
	}
	if err != nil {
		return nil, err
	}
	if res.Final == nil && (j.Final || spec.Scheme == validate.Bootstrap) {
		if err := r.final(); err != nil {
			return nil, err
		}
	}
	res.Pipeline = prep.Name() // after fitting: the default pipeline is decided then
	res.Metrics = summarize(res)
	for _, m := range res.Metrics {
		undefined := 0
		for _, v := range m.Folds {
			if math.IsNaN(v) {
				undefined++
			}
		}
		if undefined > 0 {
			res.Warnings = append(res.Warnings, fmt.Sprintf("%s is undefined on %d of %d folds", m.Name, undefined, len(m.Folds)))
		}
	}
	if spec.Scheme == validate.Bootstrap {
		if err := r.bootstrapEstimates(); err != nil {
			return nil, err
		}
	}
	res.TotalSeconds = time.Since(start).Seconds()
	return res, nil
}

// isDefault reports whether spec asks for nothing but possibly a seed: the
// default scheme.
func isDefault(spec validate.Spec) bool {
	spec.Seed = 0
	return spec == (validate.Spec{})
}

// earlyStopping reports whether the model stops early on its validation set.
func earlyStopping(m models.Model) bool {
	for _, p := range m.Params() {
		if p.Name == "early_stopping_rounds" && p.Value != "0" {
			return true
		}
	}
	return false
}

func groupCodes(f *frame.Frame, name string) ([]int, error) {
	if name == "" {
		return nil, fmt.Errorf("%w: group k-fold needs a group column", ErrJob)
	}
	c, err := f.Column(name)
	if err != nil {
		return nil, fmt.Errorf("%w: no group column %q", ErrJob, name)
	}
	ids := map[string]int{}
	out := make([]int, c.Len())
	for i := range out {
		k := c.Format(i)
		if c.IsNA(i) {
			k = "\x00NA"
		}
		id, ok := ids[k]
		if !ok {
			id = len(ids)
			ids[k] = id
		}
		out[i] = id
	}
	return out, nil
}

func timeValues(f *frame.Frame, name string) ([]float64, error) {
	if name == "" {
		return nil, fmt.Errorf("%w: a time-series split needs a time column", ErrJob)
	}
	c, err := f.Column(name)
	if err != nil {
		return nil, fmt.Errorf("%w: no time column %q", ErrJob, name)
	}
	if c.Type() == frame.String || c.Type() == frame.Categorical {
		return nil, fmt.Errorf("%w: time column %q is %s; want a date, time or number", ErrJob, name, c.Type())
	}
	out := make([]float64, c.Len())
	for i := range out {
		v, ok := frame.FloatAt(c, i)
		if !ok {
			return nil, fmt.Errorf("%w: time column %q is missing in row %d", ErrJob, name, i+1)
		}
		out[i] = v
	}
	return out, nil
}

// runner carries the state of one Run.
type runner struct {
	ctx   context.Context
	job   *Job
	s     setup
	prep  Preparer
	res   *Result
	early bool
	// finalX is the matrix of all training rows (after a fit on all rows)
	finalX *models.Matrix
	// bootstrap accumulation of out-of-bag predictions per row
	bSum   []float64
	bCount []int
}

func (r *runner) emit(e Event) {
	if r.job.Progress != nil {
		r.job.Progress(e)
	}
}

func (r *runner) fitOptions(fold, folds int, curve *[]Point, evalX *models.Matrix, evalY []float64) models.FitOptions {
	opt := models.FitOptions{Task: r.s.task, Classes: r.s.classes}
	opt.Recorder = models.RecorderFunc(func(i int, tl, vl float64) {
		*curve = append(*curve, Point{Iter: i, Train: tl, Valid: vl})
		r.emit(Event{Phase: Iteration, Fold: fold, Folds: folds, Iter: i, TrainLoss: tl, ValidLoss: vl})
	})
	if evalX != nil && !r.early && r.s.task != models.Clustering {
		opt.EvalX, opt.EvalY = evalX, evalY
	}
	return opt
}

// fit fits a new model on rows of f (nil: all) and returns it with its
// prepared features.
func (r *runner) fit(fold, folds int, rows []int, evalRows []int, curve *[]Point) (models.Model, Prepared, *models.Matrix, float64, error) {
	f := r.job.Frame
	p, err := r.prep.Fit(r.ctx, f, r.job.Target, r.s.features, rows)
	if err != nil {
		return nil, nil, nil, 0, err
	}
	var X *models.Matrix
	if tm, ok := p.(TrainingMatrixer); ok {
		X = tm.TrainingMatrix()
	} else if X, err = p.Matrix(r.ctx, f, rows); err != nil {
		return nil, nil, nil, 0, err
	}
	if rows == nil {
		r.finalX = X
	}
	y := take(r.s.y, rows)
	var evalX *models.Matrix
	var evalY []float64
	if evalRows != nil {
		if evalX, err = p.Matrix(r.ctx, f, evalRows); err != nil {
			return nil, nil, nil, 0, err
		}
		evalY = take(r.s.y, evalRows)
	}
	m, err := models.New(r.job.Model, r.job.Params, r.job.Seed)
	if err != nil {
		return nil, nil, nil, 0, err
	}
	if r.s.task.Classifier() && !hasTwoClasses(y) {
		return nil, nil, nil, 0, fmt.Errorf("%w: its training rows hold one class; use fewer folds or a stratified scheme", ErrJob)
	}
	t0 := time.Now()
	if err := m.Fit(r.ctx, X, y, nil, r.fitOptions(fold, folds, curve, evalX, evalY)); err != nil {
		if r.ctx.Err() != nil {
			return nil, nil, nil, 0, fmt.Errorf("train: cancelled: %w", r.ctx.Err())
		}
		return nil, nil, nil, 0, err
	}
	return m, p, evalX, time.Since(t0).Seconds(), nil
}

func hasTwoClasses(y []float64) bool {
	for _, v := range y {
		if v != y[0] {
			return true
		}
	}
	return false
}

func take(y []float64, rows []int) []float64 {
	if y == nil {
		return nil
	}
	if rows == nil {
		return y
	}
	out := make([]float64, len(rows))
	for k, i := range rows {
		out[k] = y[i]
	}
	return out
}

// predict returns predictions and probabilities (nil for non-classifiers).
func (r *runner) predict(m models.Model, X *models.Matrix) ([]float64, []float64, error) {
	pred := make([]float64, X.Rows)
	if r.s.task.Classifier() {
		K := len(r.s.classes)
		proba := make([]float64, X.Rows*K)
		if err := m.PredictProba(X, proba); err != nil {
			return nil, nil, err
		}
		argmax(proba, K, pred)
		return pred, proba, nil
	}
	if err := m.Predict(X, pred); err != nil {
		return nil, nil, err
	}
	return pred, nil, nil
}

func argmax(p []float64, K int, out []float64) {
	for i := range out {
		row := p[i*K : (i+1)*K]
		best := 0
		for k := 1; k < K; k++ {
			if row[k] > row[best] {
				best = k
			}
		}
		out[i] = float64(best)
	}
}

func (r *runner) folds(folds []validate.Fold) error {
	f := r.job.Frame
	boot := r.res.Spec.Scheme == validate.Bootstrap
	K := len(r.s.classes)
	if boot {
		per := max(K, 1)
		r.bSum = make([]float64, f.NumRows()*per)
		r.bCount = make([]int, f.NumRows())
	}
	for fi, fold := range folds {
		if err := r.ctx.Err(); err != nil {
			return fmt.Errorf("train: cancelled: %w", err)
		}
		r.emit(Event{Phase: FoldStart, Fold: fi, Folds: len(folds)})
		var curve []Point
		m, _, X, secs, err := r.fit(fi, len(folds), fold.Train, fold.Test, &curve)
		if err != nil {
			return foldErr(fi, len(folds), err)
		}
		t0 := time.Now()
		pred, proba, err := r.predict(m, X)
		if err != nil {
			return foldErr(fi, len(folds), err)
		}
		psecs := time.Since(t0).Seconds()
		yt := take(r.s.y, fold.Test)
		sc, err := r.score(m, X, yt, pred, proba)
		if err != nil {
			return foldErr(fi, len(folds), err)
		}
		r.res.Folds = append(r.res.Folds, FoldResult{Index: fi, Repeat: fold.Repeat, TrainRows: len(fold.Train),
			TestRows: len(fold.Test), Metrics: sc, FitSeconds: secs, PredictSeconds: psecs, Curve: curve})
		r.res.FitSeconds += secs
		if boot {
			r.accumulate(fold.Test, pred, proba)
		} else {
			r.keep(fold.Test, fi, yt, pred, proba)
		}
		r.emit(Event{Phase: FoldDone, Fold: fi, Folds: len(folds), Metrics: sc})
	}
	if boot {
		r.flushBootstrap()
	}
	return nil
}

func foldErr(fi, n int, err error) error {
	if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return err
	}
	return fmt.Errorf("fold %d of %d: %w", fi+1, n, err)
}

// keep appends held-out predictions.
func (r *runner) keep(rows []int, fold int, yt, pred, proba []float64) {
	o := &r.res.OOF
	o.K = len(r.s.classes)
	for k, i := range rows {
		o.Row = append(o.Row, i)
		o.Fold = append(o.Fold, fold)
		if yt != nil {
			o.YTrue = append(o.YTrue, yt[k])
		}
		o.YPred = append(o.YPred, pred[k])
	}
	o.Proba = append(o.Proba, proba...)
}

func (r *runner) accumulate(rows []int, pred, proba []float64) {
	K := len(r.s.classes)
	for k, i := range rows {
		r.bCount[i]++
		if K > 0 {
			for c := 0; c < K; c++ {
				r.bSum[i*K+c] += proba[k*K+c]
			}
		} else {
			r.bSum[i] += pred[k]
		}
	}
}

func (r *runner) flushBootstrap() {
	K := len(r.s.classes)
	o := &r.res.OOF
	o.K = K
	for i, c := range r.bCount {
		if c == 0 {
			continue
		}
		o.Row = append(o.Row, i)
		o.Fold = append(o.Fold, -1)
		if r.s.y != nil {
			o.YTrue = append(o.YTrue, r.s.y[i])
		}
		if K > 0 {
			row := make([]float64, K)
			for k := range row {
				row[k] = r.bSum[i*K+k] / float64(c)
			}
			o.Proba = append(o.Proba, row...)
			p := []float64{0}
			argmax(row, K, p)
			o.YPred = append(o.YPred, p[0])
		} else {
			o.YPred = append(o.YPred, r.bSum[i]/float64(c))
		}
	}
}

// final fits the model on all training rows.
func (r *runner) final() error {
	r.emit(Event{Phase: FoldStart, Fold: -1, Folds: len(r.res.Folds)})
	var curve []Point
	m, p, _, secs, err := r.fit(-1, len(r.res.Folds), nil, nil, &curve)
	if err != nil {
		if errors.Is(err, context.Canceled) {
			return err
		}
		return fmt.Errorf("final fit on all rows: %w", err)
	}
	r.res.Final, r.res.FinalPrep, r.res.FinalCurve, r.res.FinalFitSeconds = m, p, curve, secs
	r.emit(Event{Phase: FoldDone, Fold: -1, Folds: len(r.res.Folds)})
	return nil
}

// testSet fits on all training rows and scores the supplied test frame.
func (r *runner) testSet() error {
	g := r.job.Test
	var yt []float64
	if r.s.task != models.Clustering {
		col, err := g.Column(r.job.Target)
		if err != nil {
			return fmt.Errorf("%w: the test set has no target column %q", ErrJob, r.job.Target)
		}
		if yt, err = models.EncodeTarget(col, r.s.task, r.s.classes); err != nil {
			return fmt.Errorf("test set: %w", err)
		}
	}
	r.emit(Event{Phase: FoldStart, Fold: 0, Folds: 1})
	var curve []Point
	m, p, _, secs, err := r.fit(0, 1, nil, nil, &curve)
	if err != nil {
		return err
	}
	t0 := time.Now()
	X, err := p.Matrix(r.ctx, g, nil)
	if err != nil {
		return err
	}
	pred, proba, err := r.predict(m, X)
	if err != nil {
		return err
	}
	psecs := time.Since(t0).Seconds()
	sc, err := r.score(m, X, yt, pred, proba)
	if err != nil {
		return fmt.Errorf("test set: %w", err)
	}
	rows := make([]int, g.NumRows())
	for i := range rows {
		rows[i] = i
	}
	r.keep(rows, 0, yt, pred, proba)
	r.res.Folds = []FoldResult{{TrainRows: r.job.Frame.NumRows(), TestRows: g.NumRows(), Metrics: sc,
		FitSeconds: secs, PredictSeconds: psecs, Curve: curve}}
	r.res.FitSeconds, r.res.FinalFitSeconds = secs, secs
	r.res.Final, r.res.FinalPrep, r.res.FinalCurve = m, p, curve
	r.emit(Event{Phase: FoldDone, Fold: 0, Folds: 1, Metrics: sc})
	return nil
}

// summarize aggregates fold metrics as mean ± std (population) over the
// folds where each is defined.
func summarize(res *Result) []Summary {
	names := MetricNames(res.Task)
	out := make([]Summary, 0, len(names))
	for _, name := range names {
		s := Summary{Name: name, HigherIsBetter: HigherIsBetter(name)}
		var sum, n float64
		for _, f := range res.Folds {
			v, ok := f.Metrics[name]
			if !ok {
				v = math.NaN()
			}
			s.Folds = append(s.Folds, v)
			if !math.IsNaN(v) {
				sum += v
				n++
			}
		}
		s.Mean, s.Std = math.NaN(), math.NaN()
		if n > 0 {
			s.Mean = sum / n
			var ss float64
			for _, v := range s.Folds {
				if !math.IsNaN(v) {
					ss += (v - s.Mean) * (v - s.Mean)
				}
			}
			s.Std = math.Sqrt(ss / n)
		}
		out = append(out, s)
	}
	return out
}
