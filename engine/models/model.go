package models

import (
	"context"
	"errors"
	"fmt"
	"math"
)

// Model is a learner: configured by parameters, fitted once, then used to
// predict. Implementations are not safe for concurrent Fit; Predict and
// PredictProba may run concurrently once Fit has returned.
type Model interface {
	// Kind returns the registry name ("gbdt", "rf", ...).
	Kind() string
	// Params returns every parameter with its current value, sorted by name.
	Params() []Param
	// Set sets one parameter from text. Unknown names and bad values are errors.
	Set(name, value string) error
	// Fit learns from X (Rows × Cols), y (len Rows: a value or a class index
	// 0..K-1; nil for Clustering) and optional weights w (nil = all 1).
	Fit(ctx context.Context, X *Matrix, y, w []float64, opt FitOptions) error
	// Task returns the task the model was fitted for.
	Task() Task
	// Classes returns the class labels of a classifier (nil otherwise).
	Classes() []string
	// Features returns the names of the columns the model was fitted on.
	Features() []string
	// Predict writes one prediction per row of X into out (len X.Rows): the
	// value, the class index or the cluster index.
	Predict(X *Matrix, out []float64) error
	// PredictProba writes X.Rows × K class probabilities into out, row-major.
	// Models that are not classifiers return ErrNotClassifier.
	PredictProba(X *Matrix, out []float64) error
}

// FitOptions are the data-independent settings of one Fit. The zero value
// fits a regression model without progress reports.
type FitOptions struct {
	// Task is the task to fit; Binary and Multiclass need Classes.
	Task Task
	// Classes are the class labels, index k naming class k of y (len ≥ 2 for
	// a classifier). As DetectTask returns them.
	Classes []string
	// Recorder, when not nil, is told the losses after every boosting
	// iteration or tree.
	Recorder Recorder
	// EvalX and EvalY, when set, are a validation set: its loss is reported
	// to Recorder and used for early stopping where a model supports it.
	EvalX *Matrix
	EvalY []float64
}

// Recorder receives progress while a model fits: after iteration i (0-based:
// a boosting round, a tree of a forest, an epoch) the training loss and the
// validation loss (NaN when there is no validation set or the model does not
// compute it). Calls come from the fitting goroutine, in order.
type Recorder interface {
	Iteration(i int, trainLoss, validLoss float64)
}

// RecorderFunc adapts a function to Recorder.
type RecorderFunc func(i int, trainLoss, validLoss float64)

// Iteration calls f.
func (f RecorderFunc) Iteration(i int, trainLoss, validLoss float64) { f(i, trainLoss, validLoss) }

// Errors returned by models.
var (
	// ErrNotClassifier is returned by PredictProba of regression and clustering models.
	ErrNotClassifier = errors.New("models: not a classifier")
	// ErrNotFitted is returned when predicting with a model that has not been fitted.
	ErrNotFitted = errors.New("models: model is not fitted")
	// ErrFitted is returned by Fit and Set on a model that has been fitted.
	ErrFitted = errors.New("models: model is already fitted; make a new one")
)

// checkFit validates the arguments of Fit shared by every model and returns
// the number of classes K (0 for Regression and Clustering).
func checkFit(kind string, X *Matrix, y, w []float64, opt FitOptions) (int, error) {
	if X == nil || X.Rows == 0 {
		return 0, fmt.Errorf("models: %s: no rows to fit", kind)
	}
	if X.Cols == 0 {
		return 0, fmt.Errorf("models: %s: no feature columns", kind)
	}
	if len(X.Data) != X.Rows*X.Cols {
		return 0, fmt.Errorf("models: %s: matrix has %d values, want %d×%d", kind, len(X.Data), X.Rows, X.Cols)
	}
	if w != nil {
		if len(w) != X.Rows {
			return 0, fmt.Errorf("models: %s: %d weights for %d rows", kind, len(w), X.Rows)
		}
		var sum float64
		for i, v := range w {
			if v < 0 || math.IsNaN(v) || math.IsInf(v, 0) {
				return 0, fmt.Errorf("models: %s: weight of row %d is %v; weights must be finite and ≥ 0", kind, i+1, v)
			}
			sum += v
		}
		if sum <= 0 {
			return 0, fmt.Errorf("models: %s: weights sum to zero", kind)
		}
	}
	if opt.Task == Clustering {
		return 0, nil
	}
	if len(y) != X.Rows {
		return 0, fmt.Errorf("models: %s: %d targets for %d rows", kind, len(y), X.Rows)
	}
	if !opt.Task.Classifier() {
		for i, v := range y {
			if math.IsNaN(v) || math.IsInf(v, 0) {
				return 0, fmt.Errorf("models: %s: target of row %d is %v; targets must be finite", kind, i+1, v)
			}
		}
		return 0, nil
	}
	K := len(opt.Classes)
	if K < 2 {
		return 0, fmt.Errorf("models: %s: a %s task needs at least 2 classes, got %d", kind, opt.Task, K)
	}
	if opt.Task == Binary && K != 2 {
		return 0, fmt.Errorf("models: %s: a binary task has 2 classes, got %d", kind, K)
	}
	seen := make([]bool, K)
	for i, v := range y {
		k := int(v)
		if float64(k) != v || k < 0 || k >= K {
			return 0, fmt.Errorf("models: %s: target of row %d is %v; want a class index 0..%d", kind, i+1, v, K-1)
		}
		seen[k] = true
	}
	n := 0
	for _, s := range seen {
		if s {
			n++
		}
	}
	if n < 2 {
		return 0, fmt.Errorf("models: %s: the training rows hold one class; nothing to learn", kind)
	}
	return K, nil
}

// checkEval validates FitOptions.EvalX and EvalY (when EvalX is set) against
// the training columns and the task with K classes.
func checkEval(kind string, opt FitOptions, cols, K int) error {
	X, y := opt.EvalX, opt.EvalY
	if X == nil {
		return nil
	}
	if X.Cols != cols || len(X.Data) != X.Rows*X.Cols || X.Rows == 0 {
		return fmt.Errorf("models: %s: validation matrix is %d×%d; training has %d columns", kind, X.Rows, X.Cols, cols)
	}
	if len(y) != X.Rows {
		return fmt.Errorf("models: %s: %d validation targets for %d rows", kind, len(y), X.Rows)
	}
	for i, v := range y {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return fmt.Errorf("models: %s: validation target of row %d is %v", kind, i+1, v)
		}
		if k := int(v); K > 0 && (float64(k) != v || k < 0 || k >= K) {
			return fmt.Errorf("models: %s: validation target of row %d is %v; want a class index 0..%d", kind, i+1, v, K-1)
		}
	}
	return nil
}

// checkPredict validates the arguments of Predict (per = 1) or PredictProba
// (per = K).
func checkPredict(kind string, fitted bool, nFeatures int, X *Matrix, out []float64, per int) error {
	if !fitted {
		return fmt.Errorf("models: %s: %w", kind, ErrNotFitted)
	}
	if X == nil {
		return fmt.Errorf("models: %s: nil matrix", kind)
	}
	if X.Cols != nFeatures {
		return fmt.Errorf("models: %s: matrix has %d columns; the model was fitted on %d", kind, X.Cols, nFeatures)
	}
	if len(X.Data) != X.Rows*X.Cols {
		return fmt.Errorf("models: %s: matrix has %d values, want %d×%d", kind, len(X.Data), X.Rows, X.Cols)
	}
	if len(out) != X.Rows*per {
		return fmt.Errorf("models: %s: output has length %d, want %d", kind, len(out), X.Rows*per)
	}
	return nil
}

// featureNames returns X's names, or x0..x<Cols-1> when it has none.
func featureNames(X *Matrix) []string {
	out := make([]string, X.Cols)
	for j := range out {
		out[j] = X.name(j)
	}
	return out
}

// argmaxRows writes, for each row of the Rows×K row-major p, the index of its
// largest value (the first on ties) into out.
func argmaxRows(p []float64, K int, out []float64) {
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
