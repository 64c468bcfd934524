package report

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/mlwb/mlwb/engine/dataio"
	"github.com/mlwb/mlwb/engine/frame"
	"github.com/mlwb/mlwb/engine/metrics"
	"github.com/mlwb/mlwb/workspace"
)

// ThresholdFile is the file in a run folder holding the chosen decision
// threshold (written atomically; run.json is left as training wrote it).
const ThresholdFile = "threshold.json"

// ErrEval is wrapped by errors about a run that cannot be evaluated.
var ErrEval = errors.New("report: cannot evaluate")

// Options configure Load. The zero value computes 1000 bootstrap replicates
// on the run's held-out predictions.
type Options struct {
	// Data, when set, is a labelled file the run's model is evaluated on
	// instead of the held-out predictions.
	Data string
	// B is the number of bootstrap replicates (0: 1000; negative: none).
	B int
	// Progress, when set, receives bootstrap progress from any goroutine.
	Progress func(done, total int64)
}

// Saved is the decision threshold saved with a run.
type Saved struct {
	Threshold float64 `json:"threshold"`
	// Per1000 is the profit per 1,000 predictions at Threshold when the
	// card has business values.
	Per1000 *float64  `json:"profit_per_1000,omitempty"`
	Time    time.Time `json:"time"`
	Run     string    `json:"run"`
}

// Evaluation is everything the Evaluate screen, the CLI and the report show
// about one run.
type Evaluation struct {
	Run  workspace.Run
	Card workspace.Card
	// Source says where the predictions came from.
	Source string
	Report *metrics.Report
	// Metric is the primary metric (the card's, or the task's default).
	Metric string
	// Payoff holds the card's business values; HasPayoff whether set.
	Payoff    metrics.Payoff
	HasPayoff bool
	// Best is the profit-maximising threshold (binary with scores and a
	// payoff), or nil.
	Best *metrics.ThresholdPoint
	// Saved is the threshold saved with the run, or nil.
	Saved *Saved
	// Rows is the feature frame aligned with the predictions (nil when the
	// data could not be loaded; Warnings says why).
	Rows *frame.Frame
	// Groups holds, per sensitive column, each row's group and the names.
	Groups   []Grouping
	Fairness []*metrics.FairnessReport
	// ClassFairness is the one-vs-rest fairness of a multiclass task and
	// RegressionFairness that of a regression, per sensitive column.
	ClassFairness      []*metrics.ClassFairnessReport
	RegressionFairness []*metrics.RegressionFairnessReport
	Slices             []metrics.Slice
	Checks             []Check
	Warnings           []string
	// YTrue and YPred are the regression target and prediction (nil
	// otherwise), for the residual charts.
	YTrue, YPred []float64
	// Explain is the permutation importance and partial dependence, when
	// computed (Explain).
	Explain *Explanation
	// Learning is the learning curve when computed (LearningCurve).
	Learning *Learning
	// truth holds the class index per row (classification).
	truth []int32
}

// Grouping is a sensitive column split into groups.
type Grouping struct {
	Column string
	Codes  []int32
	Levels []string
}

// Check is one requirement of the card and whether the run meets it.
type Check struct {
	Name   string  `json:"name"`
	Value  float64 `json:"value"`
	Limit  float64 `json:"limit"`
	Pass   bool    `json:"pass"`
	Detail string  `json:"detail"`
}

// Threshold returns the decision threshold the evaluation uses: the saved
// one, or 0.5.
func (e *Evaluation) Threshold() float64 {
	if e.Saved != nil {
		return e.Saved.Threshold
	}
	return metrics.DefaultThreshold
}

// Load evaluates run id of workspace ws.
func Load(ctx context.Context, ws *workspace.Workspace, id string, opt Options) (*Evaluation, error) {
	run, err := ws.Run(id)
	if err != nil {
		return nil, err
	}
	e := &Evaluation{Run: run, Card: ws.Card()}
	if run.Task == "clustering" {
		return nil, fmt.Errorf("%w: run %s is a clustering run; it has no labels to evaluate against", ErrEval, run.ID)
	}
	if s, err := LoadThreshold(ws, run.ID); err != nil {
		e.Warnings = append(e.Warnings, err.Error())
	} else {
		e.Saved = s
	}
	var preds, rows *frame.Frame
	if opt.Data != "" {
		preds, rows, err = predictNew(ctx, ws, run, opt.Data)
		if err != nil {
			return nil, err
		}
		e.Source = "new data " + opt.Data
	} else {
		if !run.HasPredictions {
			return nil, fmt.Errorf("%w: run %s kept no held-out predictions; evaluate it on labelled data with --data FILE", ErrEval, run.ID)
		}
		preds, err = dataio.Load(ctx, filepath.Join(ws.RunPath(run.ID), workspace.RunPredictions), dataio.Options{})
		if err != nil {
			return nil, fmt.Errorf("report: run %s predictions: %w", run.ID, err)
		}
		e.Source = "held-out predictions (" + run.Validation.Description + ")"
		rows, err = heldOutRows(ctx, ws, run, preds)
		if err != nil {
			e.Warnings = append(e.Warnings, "fairness and slices skipped: "+err.Error())
		}
	}
	in, err := input(run, preds)
	if err != nil {
		return nil, err
	}
	if in.Task == metrics.BinaryTask {
		t := e.Threshold()
		in.Threshold = &t
	}
	var mo metrics.Options
	if opt.B >= 0 {
		mo.Bootstrap = &metrics.BootstrapOptions{B: opt.B, Seed: run.Seed, Progress: opt.Progress}
	}
	rep, err := metrics.Evaluate(ctx, in, mo)
	if err != nil {
		return nil, fmt.Errorf("report: run %s: %w", run.ID, err)
	}
	e.Report, e.Rows = rep, rows
	e.YTrue, e.YPred, e.truth = in.YTrue, in.YPred, in.True
	e.Metric = e.Card.Metric.Name
	if !slices.Contains(rep.Names, e.Metric) {
		e.Metric = workspace.PrimaryMetric(run.Task)
		if !slices.Contains(rep.Names, e.Metric) && len(rep.Names) > 0 {
			e.Metric = rep.Names[0]
		}
	}
	b := e.Card.Business
	e.Payoff = metrics.Payoff{TPValue: b.TruePositiveValue, FPCost: b.FalsePositiveCost, FNCost: b.FalseNegativeCost, TNValue: b.TrueNegativeValue}
	e.HasPayoff = b.IsSet()
	if rep.Ranking != nil && e.HasPayoff {
		best := rep.Ranking.BestThreshold(e.Payoff)
		e.Best = &best
	}
	if rows != nil {
		if err := e.groups(); err != nil {
			e.Warnings = append(e.Warnings, err.Error())
		}
		e.Fairness = e.FairnessAt(e.Threshold())
		e.otherFairness(in)
		sl, err := rep.Slices(ctx, rows, sliceFeatures(run, rows), e.Metric, metrics.SliceOptions{})
		if err != nil {
			e.Warnings = append(e.Warnings, "slices: "+err.Error())
		}
		e.Slices = sl
	}
	e.Checks = e.ChecksAt(e.Threshold())
	return e, nil
}

func sliceFeatures(run workspace.Run, rows *frame.Frame) []string {
	var out []string
	for _, f := range run.Features {
		if c, err := rows.Column(f); err == nil && c.Type() != frame.String {
			out = append(out, f)
		}
	}
	return out
}

// input turns a predictions frame (y_true, y_pred, p_<class>) into the
// metrics input of the run's task.
func input(run workspace.Run, p *frame.Frame) (metrics.Input, error) {
	yt, err := p.Column("y_true")
	if err != nil {
		return metrics.Input{}, fmt.Errorf("%w: predictions of run %s have no y_true column", ErrEval, run.ID)
	}
	if run.Task == "regression" {
		yp, err := p.Column("y_pred")
		if err != nil {
			return metrics.Input{}, fmt.Errorf("%w: predictions of run %s have no y_pred column", ErrEval, run.ID)
		}
		y, err := floats(yt)
		if err != nil {
			return metrics.Input{}, err
		}
		f, err := floats(yp)
		if err != nil {
			return metrics.Input{}, err
		}
		return metrics.Input{Task: metrics.RegressionTask, YTrue: y, YPred: f}, nil
	}
	classes := run.Classes
	index := make(map[string]int32, len(classes))
	for i, c := range classes {
		index[c] = int32(i)
	}
	n := p.NumRows()
	truth := make([]int32, n)
	for i := range n {
		s, ok := cell(yt, i)
		k, known := index[s]
		if !ok || !known {
			return metrics.Input{}, fmt.Errorf("%w: row %d: y_true %q is not a class of run %s (%s)", ErrEval, i+1, s, run.ID, strings.Join(classes, ", "))
		}
		truth[i] = k
	}
	K := len(classes)
	proba := make([]float64, n*K)
	for k, c := range classes {
		col, err := p.Column("p_" + c)
		if err != nil {
			return metrics.Input{}, fmt.Errorf("%w: predictions of run %s have no probability column %q", ErrEval, run.ID, "p_"+c)
		}
		v, err := floats(col)
		if err != nil {
			return metrics.Input{}, err
		}
		for i, v := range v {
			proba[i*K+k] = v
		}
	}
	in := metrics.Input{Classes: classes, True: truth}
	if K == 2 {
		in.Task, in.Pos = metrics.BinaryTask, 1
		in.Score = make([]float64, n)
		for i := range n {
			in.Score[i] = proba[i*K+1]
		}
		return in, nil
	}
	in.Task, in.Proba = metrics.MulticlassTask, metrics.Proba{P: proba, K: K}
	return in, nil
}

func cell(c frame.Column, i int) (string, bool) {
	if c.IsNA(i) {
		return "", false
	}
	switch c.(type) {
	case *frame.Float64Col, *frame.Int64Col:
		v, _ := frame.FloatAt(c, i)
		return strconv.FormatFloat(v, 'g', -1, 64), true
	}
	return c.Format(i), true
}

func floats(c frame.Column) ([]float64, error) {
	v, err := frame.Floats(c)
	if err != nil {
		return nil, fmt.Errorf("%w: column %q: %v", ErrEval, c.Name(), err)
	}
	return v, nil
}

// trainingFrame loads the data run was trained on.
func trainingFrame(ctx context.Context, ws *workspace.Workspace, run workspace.Run) (*frame.Frame, error) {
	d := run.Dataset
	if d.Source != "" {
		return dataio.Load(ctx, d.Source, dataio.Options{})
	}
	ds, err := ws.DatasetRef(fmt.Sprintf("%s@%d", d.Name, d.Version))
	if err != nil {
		return nil, err
	}
	return ws.Load(ctx, ds)
}

// heldOutRows returns the data rows behind the held-out predictions.
func heldOutRows(ctx context.Context, ws *workspace.Workspace, run workspace.Run, preds *frame.Frame) (*frame.Frame, error) {
	var f *frame.Frame
	var err error
	if run.Validation.Scheme == "test_set" && run.Validation.Test != "" {
		if ds, derr := ws.DatasetRef(run.Validation.Test); derr == nil {
			f, err = ws.Load(ctx, ds)
		} else {
			f, err = dataio.Load(ctx, run.Validation.Test, dataio.Options{})
		}
	} else {
		f, err = trainingFrame(ctx, ws, run)
	}
	if err != nil {
		return nil, err
	}
	rc, err := preds.Column("row")
	if err != nil {
		return nil, fmt.Errorf("predictions have no row column")
	}
	idx := make([]int, preds.NumRows())
	rv, err := floats(rc)
	if err != nil {
		return nil, err
	}
	for i, v := range rv {
		if v < 0 || int(v) >= f.NumRows() {
			return nil, fmt.Errorf("prediction row %d points at data row %g of %d", i+1, v, f.NumRows())
		}
		idx[i] = int(v)
	}
	return f.Take(idx), nil
}

// predictNew scores the labelled file path with the run's model (through
// the run's feature preparation) and returns a predictions frame (y_true,
// y_pred, p_<class>) and the file's rows with a target.
func predictNew(ctx context.Context, ws *workspace.Workspace, run workspace.Run, path string) (*frame.Frame, *frame.Frame, error) {
	sc, err := newRunScorer(ctx, ws, run)
	if err != nil {
		return nil, nil, err
	}
	g, err := dataio.Load(ctx, path, dataio.Options{})
	if err != nil {
		return nil, nil, err
	}
	tc, err := g.Column(run.Target)
	if err != nil {
		return nil, nil, fmt.Errorf("%w: %s has no target column %q", ErrEval, path, run.Target)
	}
	var keep []int
	for i := range g.NumRows() {
		if !tc.IsNA(i) {
			keep = append(keep, i)
		}
	}
	if len(keep) == 0 {
		return nil, nil, fmt.Errorf("%w: %s has no row with a value of %q", ErrEval, path, run.Target)
	}
	if len(keep) < g.NumRows() {
		g = g.Take(keep)
	}
	tc, _ = g.Column(run.Target)
	out, err := sc.predict(ctx, g, path)
	if err != nil {
		return nil, nil, err
	}
	n := g.NumRows()
	if run.Task == "regression" {
		y, err := floats(tc)
		if err != nil {
			return nil, nil, err
		}
		p := frame.MustNew(frame.NewFloat64("y_true", y, frame.Mask{}), frame.NewFloat64("y_pred", out, frame.Mask{}))
		return p, g, nil
	}
	K := len(run.Classes)
	labels := make([]string, n)
	for i := range n {
		labels[i], _ = cell(tc, i)
	}
	cols := []frame.Column{frame.NewString("y_true", labels, frame.Mask{})}
	for k, c := range run.Classes {
		p := make([]float64, n)
		for i := range n {
			p[i] = out[i*K+k]
		}
		cols = append(cols, frame.NewFloat64("p_"+c, p, frame.Mask{}))
	}
	f, err := frame.New(cols...)
	return f, g, err
}

func (e *Evaluation) groups() error {
	var bad []string
	for _, col := range e.Card.Privacy.SensitiveAttributes {
		c, err := e.Rows.Column(col)
		if err != nil {
			bad = append(bad, col)
			continue
		}
		codes, levels, err := metrics.SliceGroups(c, 5, 20)
		if err != nil {
			return fmt.Errorf("fairness %s: %w", col, err)
		}
		e.Groups = append(e.Groups, Grouping{Column: col, Codes: codes, Levels: levels})
	}
	if len(bad) > 0 {
		return fmt.Errorf("fairness: sensitive column(s) %s not in the data", strings.Join(bad, ", "))
	}
	return nil
}

// FairnessAt compares the groups of every sensitive column with rows whose
// score ≥ t predicted positive (binary tasks with scores only).
func (e *Evaluation) FairnessAt(t float64) []*metrics.FairnessReport {
	r := e.Report.Ranking
	if r == nil || len(e.Groups) == 0 {
		return nil
	}
	n := r.Len()
	y, pred := make([]bool, n), make([]bool, n)
	for k, row := range r.Order {
		y[row] = r.Y[k]
		pred[row] = r.Score[k] >= t
	}
	var out []*metrics.FairnessReport
	for _, g := range e.Groups {
		fr, err := metrics.Fairness(g.Column, y, pred, g.Codes, g.Levels)
		if err != nil {
			continue
		}
		out = append(out, fr)
	}
	return out
}

// otherFairness compares the groups of the sensitive columns of a
// multiclass task (one-vs-rest, on the most probable class) or of a
// regression.
func (e *Evaluation) otherFairness(in metrics.Input) {
	for _, g := range e.Groups {
		switch in.Task {
		case metrics.MulticlassTask:
			K := in.Proba.K
			pred := make([]int32, len(in.True))
			for i := range pred {
				row := in.Proba.P[i*K : (i+1)*K]
				pred[i] = int32(slices.Index(row, slices.Max(row)))
			}
			if fr, err := metrics.ClassFairness(g.Column, in.True, pred, in.Classes, g.Codes, g.Levels); err == nil {
				e.ClassFairness = append(e.ClassFairness, fr)
			}
		case metrics.RegressionTask:
			if fr, err := metrics.RegressionFairness(g.Column, in.YTrue, in.YPred, g.Codes, g.Levels); err == nil {
				e.RegressionFairness = append(e.RegressionFairness, fr)
			}
		}
	}
}

// ChecksAt returns the card's checks with threshold t: the primary metric
// against the card's threshold, then each fairness limit per sensitive
// column (for a multiclass task on the worst class one-vs-rest; a
// regression has no selection rates and is not held to them).
func (e *Evaluation) ChecksAt(t float64) []Check {
	var out []Check
	// The card's threshold is for the card's metric; a run of another task
	// (whose metrics do not include it) is not held to it.
	if lim := e.Card.Metric.Threshold; lim != nil && e.Metric == e.Card.Metric.Name {
		v := e.Report.Values[e.Metric]
		hib := metrics.HigherIsBetter(e.Metric)
		pass := !math.IsNaN(v) && (hib && v >= *lim || !hib && v <= *lim)
		op := "≥"
		if !hib {
			op = "≤"
		}
		out = append(out, Check{Name: e.Metric, Value: v, Limit: *lim, Pass: pass, Detail: fmt.Sprintf("%s %s %g", e.Metric, op, *lim)})
	}
	fl := e.Card.Fairness
	type gaps struct {
		Column                                                                       string
		DemographicParityDifference, EqualizedOddsDifference, DemographicParityRatio float64
	}
	var all []gaps
	for _, fr := range e.FairnessAt(t) {
		all = append(all, gaps{fr.Column, fr.DemographicParityDifference, fr.EqualizedOddsDifference, fr.DemographicParityRatio})
	}
	for _, fr := range e.ClassFairness {
		all = append(all, gaps{fr.Column, fr.DemographicParityDifference, fr.EqualizedOddsDifference, fr.DemographicParityRatio})
	}
	for _, fr := range all {
		if l := fl.MaxDemographicParityDifference; l != nil {
			v := fr.DemographicParityDifference
			out = append(out, Check{Name: "demographic_parity_difference " + fr.Column, Value: v, Limit: *l, Pass: !math.IsNaN(v) && v <= *l,
				Detail: fmt.Sprintf("demographic parity difference across %s ≤ %g", fr.Column, *l)})
		}
		if l := fl.MaxEqualizedOddsDifference; l != nil {
			v := fr.EqualizedOddsDifference
			out = append(out, Check{Name: "equalized_odds_difference " + fr.Column, Value: v, Limit: *l, Pass: !math.IsNaN(v) && v <= *l,
				Detail: fmt.Sprintf("equalized odds difference across %s ≤ %g", fr.Column, *l)})
		}
		if l := fl.MinDisparateImpactRatio; l != nil {
			v := fr.DemographicParityRatio
			out = append(out, Check{Name: "disparate_impact_ratio " + fr.Column, Value: v, Limit: *l, Pass: !math.IsNaN(v) && v >= *l,
				Detail: fmt.Sprintf("disparate impact ratio across %s ≥ %g", fr.Column, *l)})
		}
	}
	return out
}

// LoadThreshold reads the threshold saved with run id (nil when none).
func LoadThreshold(ws *workspace.Workspace, id string) (*Saved, error) {
	b, err := os.ReadFile(filepath.Join(ws.RunPath(id), ThresholdFile))
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("report: run %s threshold: %w", id, err)
	}
	var s Saved
	if err := json.Unmarshal(b, &s); err != nil || math.IsNaN(s.Threshold) {
		return nil, fmt.Errorf("report: run %s: %s is not a threshold record: %v", id, ThresholdFile, err)
	}
	return &s, nil
}

// SaveThreshold writes t as run id's decision threshold, with its profit
// per 1,000 predictions (NaN: none), into runs/<id>/threshold.json.
func SaveThreshold(ws *workspace.Workspace, id string, t, per1000 float64, now time.Time) error {
	run, err := ws.Run(id)
	if err != nil {
		return err
	}
	if math.IsNaN(t) || math.IsInf(t, 0) {
		return fmt.Errorf("report: threshold %g is not a number", t)
	}
	r := Saved{Threshold: t, Time: now.UTC(), Run: run.ID}
	if !math.IsNaN(per1000) && !math.IsInf(per1000, 0) {
		r.Per1000 = &per1000
	}
	b, err := json.MarshalIndent(r, "", "  ")
	if err != nil {
		return err
	}
	if err := workspace.WriteFileAtomic(filepath.Join(ws.RunPath(run.ID), ThresholdFile), append(b, '\n'), 0o644); err != nil {
		return err
	}
	return ws.Log("threshold", map[string]any{"run": run.ID, "threshold": t})
}
