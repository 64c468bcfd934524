package metrics

import (
	"context"
	"errors"
	"fmt"
	"math"
	"slices"
)

// Task is the kind of prediction being evaluated.
type Task int

// The tasks.
const (
	// BinaryTask is two classes; with Input.Score the positive-class score.
	BinaryTask Task = iota
	// MulticlassTask is three or more classes (or two without a positive
	// class), with predicted labels and optionally probabilities.
	MulticlassTask
	// RegressionTask is a numeric target.
	RegressionTask
)

func (t Task) String() string {
	switch t {
	case BinaryTask:
		return "binary"
	case MulticlassTask:
		return "multiclass"
	case RegressionTask:
		return "regression"
	}
	return fmt.Sprintf("Task(%d)", int(t))
}

// DefaultThreshold is the score at or above which a row is predicted
// positive when Input.Threshold is nil.
const DefaultThreshold = 0.5

// Input is what Evaluate measures. Classification fills Classes and True,
// plus Score (binary) or Proba (multiclass) and/or Pred; regression fills
// YTrue and YPred. Rows must not be missing (drop them first).
type Input struct {
	Task Task

	// Classes names the classes; True, Pred hold indices into it. For a
	// binary task it has two entries and Pos is the positive one.
	Classes []string
	True    []int32
	// Pred is the predicted class per row. With Score (binary) or Proba
	// (multiclass) it may be nil: it is then score ≥ threshold, or the
	// class of highest probability (the first on ties, as numpy.argmax).
	Pred []int32
	// Score is, for a binary task, a score that is higher for the positive
	// class: a probability in [0, 1] gives every metric; any other
	// decision value leaves log loss, Brier and calibration undefined.
	Score []float64
	// Proba is, for a multiclass task, the class probabilities in Classes
	// order.
	Proba Proba
	// Pos is the index in Classes of the positive class (binary).
	Pos int
	// Threshold is the decision threshold on Score (nil: 0.5).
	Threshold *float64
	// AllClasses averages macro precision/recall/F1 over all Classes, as
	// scikit-learn does when passed labels=Classes; by default, as
	// scikit-learn's default, over the classes present in True or Pred.
	AllClasses bool

	// YTrue and YPred are the regression target and prediction.
	YTrue, YPred []float64
}

// Options configure Evaluate; the zero value computes no intervals.
type Options struct {
	// Bootstrap, when not nil, adds a percentile bootstrap interval to
	// every metric.
	Bootstrap *BootstrapOptions
}

// Report is the result of Evaluate.
type Report struct {
	Task Task
	// N is the number of rows.
	N int
	// Names lists the metrics in display order; Values holds them (NaN
	// where undefined) and CI their intervals (nil without bootstrap).
	Names  []string
	Values map[string]float64
	CI     map[string]Interval
	// Warnings explain undefined or substituted values, as scikit-learn's
	// warnings and errors would.
	Warnings []string

	// Classification.
	Classes   []string
	Pos       int     // binary positive class index
	Threshold float64 // binary decision threshold (NaN without scores)
	Confusion *Confusion
	PerClass  []ClassRow
	// Ranking is the sorted binary problem behind the curves, the
	// threshold analysis and profit (nil without binary scores).
	Ranking *Ranking
	// Probabilities reports whether Score holds probabilities in [0, 1].
	Probabilities bool

	// Regression is the prepared regression problem (nil otherwise).
	Regression *Regression

	ev evaluator
	in Input
}

// Metric names for classification, in display order.
var (
	binaryNames = []string{"accuracy", "balanced_accuracy", "precision", "recall", "f1", "roc_auc",
		"average_precision", "log_loss", "brier", "mcc", "cohen_kappa", "ks", "specificity",
		"precision_macro", "recall_macro", "f1_macro", "precision_micro", "recall_micro", "f1_micro",
		"precision_weighted", "recall_weighted", "f1_weighted"}
	multiNames = []string{"accuracy", "balanced_accuracy", "f1_macro", "f1_micro", "f1_weighted",
		"precision_macro", "recall_macro", "precision_micro", "recall_micro", "precision_weighted",
		"recall_weighted", "roc_auc_ovr", "roc_auc_ovr_weighted", "log_loss", "mcc", "cohen_kappa"}
	regressionNames = []string{"rmse", "mae", "r2", "mse", "mape", "median_ae", "explained_variance", "max_error"}
)

// HigherIsBetter reports whether a larger value of the metric is better
// (false for losses and errors).
func HigherIsBetter(name string) bool {
	switch name {
	case "log_loss", "brier", "rmse", "mae", "mse", "mape", "median_ae", "max_error":
		return false
	}
	return true
}

// evaluator computes a task's metrics (in names order) under position
// weights w (nil: 1), with warnings when collect is set.
type evaluator struct {
	n     int
	names []string
	// order maps a position to its row (nil: the identity)
	order []int32
	eval  func(w []float64, collect bool) ([]float64, []string)
}

// ErrInput is wrapped by Evaluate's errors about malformed input.
var ErrInput = errors.New("metrics: bad input")

// Evaluate computes every metric of the task, and bootstrap intervals when
// asked. Cancelling ctx stops it (between bootstrap replicates).
func Evaluate(ctx context.Context, in Input, opt Options) (*Report, error) {
	rep := &Report{Task: in.Task, Threshold: math.NaN(), Classes: in.Classes, Pos: in.Pos}
	var ev evaluator
	var err error
	switch in.Task {
	case BinaryTask:
		ev, err = binaryEvaluator(ctx, in, rep)
	case MulticlassTask:
		ev, err = multiEvaluator(ctx, in, rep)
	case RegressionTask:
		ev, err = regressionEvaluator(in, rep)
	default:
		err = fmt.Errorf("%w: unknown task %d", ErrInput, in.Task)
	}
	if err != nil {
		return nil, err
	}
	rep.N = ev.n
	rep.Names = ev.names
	rep.ev, rep.in = ev, in
	vals, warn := ev.eval(nil, true)
	rep.Values = make(map[string]float64, len(vals))
	for i, name := range ev.names {
		rep.Values[name] = vals[i]
	}
	for _, w := range warn {
		if !slices.Contains(rep.Warnings, w) {
			rep.Warnings = append(rep.Warnings, w)
		}
	}
	if opt.Bootstrap != nil && ev.n > 0 {
		iv, err := Bootstrap(ctx, ev.n, len(ev.names), *opt.Bootstrap, func(w []float64) []float64 {
			v, _ := ev.eval(w, false)
			return v
		})
		if err != nil {
			return nil, err
		}
		rep.CI = make(map[string]Interval, len(iv))
		for i, name := range ev.names {
			rep.CI[name] = iv[i]
		}
	}
	return rep, nil
}

func checkClasses(in Input) error {
	k := int32(len(in.Classes))
	for r, c := range in.True {
		if c < 0 || c >= k {
			return fmt.Errorf("%w: true class index %d of row %d outside [0, %d)", ErrInput, c, r+1, k)
		}
	}
	for r, c := range in.Pred {
		if c < 0 || c >= k {
			return fmt.Errorf("%w: predicted class index %d of row %d outside [0, %d)", ErrInput, c, r+1, k)
		}
	}
	if in.Pred != nil && len(in.Pred) != len(in.True) {
		return fmt.Errorf("%w: %d true labels, %d predicted labels", ErrLength, len(in.True), len(in.Pred))
	}
	return nil
}

// present returns the class indices occurring in the confusion matrix
// (true or predicted), scikit-learn's unique_labels(y_true, y_pred).
func present(c *Confusion) []int {
	var out []int
	for i := range c.K() {
		if c.Support(i) > 0 || c.Predicted(i) > 0 {
			out = append(out, i)
		}
	}
	return out
}

// restrict returns the confusion matrix on the classes idx only.
func restrict(c *Confusion, idx []int) *Confusion {
	if len(idx) == c.K() {
		return c
	}
	k := len(idx)
	r := &Confusion{Labels: make([]string, k), M: make([]float64, k*k)}
	for a, i := range idx {
		r.Labels[a] = c.Labels[i]
		for b, j := range idx {
			r.M[a*k+b] = c.At(i, j)
		}
	}
	return r
}

// labelMetrics sets the metrics that depend only on the confusion matrix.
func labelMetrics(c *Confusion, allClasses bool, set func(string, float64), warn func(...string)) {
	set("accuracy", c.Accuracy())
	ba, w := c.BalancedAccuracy()
	set("balanced_accuracy", ba)
	warn(w...)
	set("mcc", c.MCC())
	kappa := c.Kappa()
	if math.IsNaN(kappa) {
		warn("cohen_kappa is undefined: the expected disagreement is 0 (one class only in y_true and y_pred)")
	}
	set("cohen_kappa", kappa)
	mc := c
	if !allClasses {
		mc = restrict(c, present(c))
	}
	for _, a := range []Average{Macro, Micro, Weighted} {
		src := c
		if a == Macro {
			src = mc
		}
		s, w := src.Scores(a, 0)
		warn(w...)
		set("precision_"+a.String(), s.Precision)
		set("recall_"+a.String(), s.Recall)
		set("f1_"+a.String(), s.F1)
	}
}

// collector gathers metric values by name and warnings.
type collector struct {
	names   []string
	vals    []float64
	warn    []string
	collect bool
}

func newCollector(names []string, collect bool) *collector {
	v := make([]float64, len(names))
	for i := range v {
		v[i] = math.NaN()
	}
	return &collector{names: names, vals: v, collect: collect}
}

func (c *collector) set(name string, v float64) {
	if i := slices.Index(c.names, name); i >= 0 {
		c.vals[i] = v
	}
}

func (c *collector) warnf(w ...string) {
	if c.collect {
		c.warn = append(c.warn, w...)
	}
}

func binaryEvaluator(ctx context.Context, in Input, rep *Report) (evaluator, error) {
	if len(in.Classes) != 2 || in.Pos < 0 || in.Pos > 1 {
		return evaluator{}, fmt.Errorf("%w: a binary task needs 2 classes and a positive class index 0 or 1, got %d classes and %d", ErrInput, len(in.Classes), in.Pos)
	}
	if err := checkClasses(in); err != nil {
		return evaluator{}, err
	}
	neg := int32(1 - in.Pos)
	pos := int32(in.Pos)
	if in.Score == nil {
		if in.Pred == nil {
			return evaluator{}, fmt.Errorf("%w: a binary task needs scores or predicted labels", ErrInput)
		}
		return labelEvaluator(in, rep, binaryNames, true), nil
	}
	t := DefaultThreshold
	if in.Threshold != nil {
		t = *in.Threshold
	}
	if math.IsNaN(t) {
		return evaluator{}, fmt.Errorf("%w: the threshold is NaN", ErrInput)
	}
	rep.Threshold = t
	y := make([]bool, len(in.True))
	for r, c := range in.True {
		y[r] = c == pos
	}
	rk, err := NewRanking(ctx, y, in.Score)
	if err != nil {
		return evaluator{}, err
	}
	rep.Ranking = rk
	n := rk.Len()
	prob := n > 0 && rk.Score[n-1] >= 0 && rk.Score[0] <= 1
	rep.Probabilities = prob
	var ll, br []float64 // per-position log-loss and Brier terms
	if prob {
		ll = make([]float64, n)
		br = make([]float64, n)
		for k, s := range rk.Score {
			ll[k] = BinaryLogLossTerm(rk.Y[k], s)
			d := s
			if rk.Y[k] {
				d = 1 - s
			}
			br[k] = d * d
		}
	}
	// The confusion matrix comes from the threshold unless labels are given.
	var predPos []bool // per position, when Pred is given
	if in.Pred != nil {
		predPos = make([]bool, n)
		for k, r := range rk.Order {
			predPos[k] = in.Pred[r] == pos
		}
	}
	cut := rk.PredictedPositive(t)
	eval := func(w []float64, collect bool) ([]float64, []string) {
		c := newCollector(binaryNames, collect)
		r := rk
		if w != nil {
			r = rk.Weighted(w)
		}
		var cnt Counts
		if predPos == nil {
			cnt = r.CountsAtIndex(-1)
			if cut > 0 {
				cnt = r.At(rk.Score[cut-1])
			}
		} else {
			for k := range n {
				wt := weight(w, k)
				switch {
				case predPos[k] && rk.Y[k]:
					cnt.TP += wt
				case predPos[k]:
					cnt.FP += wt
				case rk.Y[k]:
					cnt.FN += wt
				default:
					cnt.TN += wt
				}
			}
		}
		conf := &Confusion{Labels: in.Classes, M: make([]float64, 4)}
		conf.M[int(neg)*2+int(neg)] = cnt.TN
		conf.M[int(neg)*2+int(pos)] = cnt.FP
		conf.M[int(pos)*2+int(neg)] = cnt.FN
		conf.M[int(pos)*2+int(pos)] = cnt.TP
		if collect {
			rep.Confusion = conf
			rep.PerClass = conf.Report()
		}
		binaryLabelMetrics(conf, in.Pos, in.AllClasses, c)
		auc := r.ROCAUC()
		if math.IsNaN(auc) {
			c.warnf("roc_auc is undefined: only one class is present in y_true")
		}
		c.set("roc_auc", auc)
		if r.Positives() == 0 {
			c.warnf("average_precision: no positive class found in y_true, recall is set to one for all thresholds (average precision 0)")
		}
		c.set("average_precision", r.AveragePrecision())
		ks, _ := r.KS()
		c.set("ks", ks)
		if prob {
			var sl, sb, sw float64
			for k := range n {
				wt := weight(w, k)
				sl += wt * ll[k]
				sb += wt * br[k]
				sw += wt
			}
			c.set("log_loss", divNaN(sl, sw))
			c.set("brier", divNaN(sb, sw))
		} else if n > 0 {
			c.warnf(fmt.Sprintf("log_loss and brier are undefined: scores span [%g, %g], outside [0, 1], so they are not probabilities", rk.Score[n-1], rk.Score[0]))
		}
		if collect && len(rep.PerClass) == 2 {
			// one-vs-rest AUC of each class: the positive's, and the
			// negative's, which equals it (the ranking reversed)
			rep.PerClass[0].ROCAUC, rep.PerClass[1].ROCAUC = auc, auc
		}
		return c.vals, c.warn
	}
	return evaluator{n: n, names: binaryNames, order: rk.Order, eval: eval}, nil
}

// binaryLabelMetrics sets the threshold metrics of a 2-class confusion.
func binaryLabelMetrics(conf *Confusion, pos int, allClasses bool, c *collector) {
	labelMetrics(conf, allClasses, c.set, c.warnf)
	s, w := conf.Scores(Binary, pos)
	c.warnf(w...)
	c.set("precision", s.Precision)
	c.set("recall", s.Recall)
	c.set("f1", s.F1)
	c.set("specificity", conf.Binary(pos).Specificity())
}

// labelEvaluator evaluates predicted labels only (no scores).
func labelEvaluator(in Input, rep *Report, names []string, binary bool) evaluator {
	n := len(in.True)
	eval := func(w []float64, collect bool) ([]float64, []string) {
		c := newCollector(names, collect)
		conf := NewConfusion(in.Classes, in.True, in.Pred, w)
		if collect {
			rep.Confusion = conf
			rep.PerClass = conf.Report()
		}
		if binary {
			binaryLabelMetrics(conf, in.Pos, in.AllClasses, c)
		} else {
			labelMetrics(conf, in.AllClasses, c.set, c.warnf)
		}
		c.warnf("roc_auc, average_precision, log_loss and brier need scores or probabilities; the predictions are class labels")
		return c.vals, c.warn
	}
	return evaluator{n: n, names: names, eval: eval}
}

func multiEvaluator(ctx context.Context, in Input, rep *Report) (evaluator, error) {
	if len(in.Classes) < 2 {
		return evaluator{}, fmt.Errorf("%w: classification needs at least 2 classes, got %d", ErrInput, len(in.Classes))
	}
	if err := checkClasses(in); err != nil {
		return evaluator{}, err
	}
	k := len(in.Classes)
	if in.Proba.P == nil {
		if in.Pred == nil {
			return evaluator{}, fmt.Errorf("%w: a multiclass task needs predicted labels or probabilities", ErrInput)
		}
		return labelEvaluator(in, rep, multiNames, false), nil
	}
	if in.Proba.K != k || in.Proba.Rows() != len(in.True) || len(in.Proba.P) != k*len(in.True) {
		return evaluator{}, fmt.Errorf("%w: probabilities are %d×%d, want %d rows × %d classes", ErrInput, in.Proba.Rows(), in.Proba.K, len(in.True), k)
	}
	for i, v := range in.Proba.P {
		if math.IsNaN(v) {
			return evaluator{}, fmt.Errorf("%w: probability of class %q in row %d is NaN", ErrInput, in.Classes[i%k], i/k+1)
		}
	}
	pred := in.Pred
	if pred == nil {
		pred = make([]int32, len(in.True))
		for r := range pred {
			row := in.Proba.P[r*k : (r+1)*k]
			best := 0
			for j, v := range row {
				if v > row[best] {
					best = j
				}
			}
			pred[r] = int32(best)
		}
	}
	ovr, err := NewOvR(ctx, in.True, in.Proba)
	if err != nil {
		return evaluator{}, err
	}
	ll := make([]float64, len(in.True))
	for r, c := range in.True {
		ll[r] = in.Proba.MultiLogLossTerm(r, c)
	}
	n := len(in.True)
	eval := func(w []float64, collect bool) ([]float64, []string) {
		c := newCollector(multiNames, collect)
		conf := NewConfusion(in.Classes, in.True, pred, w)
		labelMetrics(conf, in.AllClasses, c.set, c.warnf)
		per, macro, weighted := ovr.AUC(w)
		if collect {
			rep.Confusion = conf
			rep.PerClass = conf.Report()
			var absent []string
			for j := range per {
				rep.PerClass[j].ROCAUC = per[j]
				if conf.Support(j) == 0 {
					absent = append(absent, fmt.Sprintf("%q", in.Classes[j]))
				}
			}
			if len(absent) > 0 {
				c.warnf(fmt.Sprintf("roc_auc_ovr is undefined: class %s does not occur in y_true (scikit-learn raises); see the per-class AUCs", joinComma(absent)))
			}
		}
		c.set("roc_auc_ovr", macro)
		c.set("roc_auc_ovr_weighted", weighted)
		var sl, sw float64
		for r := range n {
			wt := weight(w, r)
			sl += wt * ll[r]
			sw += wt
		}
		c.set("log_loss", divNaN(sl, sw))
		return c.vals, c.warn
	}
	return evaluator{n: n, names: multiNames, eval: eval}, nil
}

func joinComma(s []string) string {
	out := ""
	for i, v := range s {
		if i > 0 {
			out += ", "
		}
		out += v
	}
	return out
}

func regressionEvaluator(in Input, rep *Report) (evaluator, error) {
	g, err := NewRegression(in.YTrue, in.YPred)
	if err != nil {
		return evaluator{}, err
	}
	rep.Regression = g
	eval := func(w []float64, collect bool) ([]float64, []string) {
		s, warn := g.Eval(w)
		return []float64{s.RMSE, s.MAE, s.R2, s.MSE, s.MAPE, s.MedAE, s.ExplainedVariance, s.MaxError}, warn
	}
	return evaluator{n: g.Len(), names: regressionNames, order: g.Order, eval: eval}, nil
}
