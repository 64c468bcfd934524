package drift

import (
	"context"
	"errors"
	"fmt"
	"math"
	"slices"

	"github.com/mlwb/mlwb/engine/frame"
	"github.com/mlwb/mlwb/engine/metrics"
	"github.com/mlwb/mlwb/engine/models"
)

// ErrModel reports a model that cannot score the data (a feature column
// missing, a pipeline that cannot be reproduced).
var ErrModel = errors.New("drift: model")

// PredictionColumn is the name of the score column a Scorer adds (with
// "_score" appended while the training data already has such a column).
const PredictionColumn = "prediction"

// Scorer scores frames with a trained model so that its predictions can be
// compared as the prediction column (prediction drift) and, where the
// current data has labels, the model's metrics computed per window.
//
// The score column is, per task: the positive-class probability (binary),
// the predicted value (regression), the predicted class as a categorical
// column (multiclass, so its drift is the drift of the predicted class
// distribution).
//
// The feature matrix is built as training's raw preparation (train.Raw,
// the only preparation "mlwb train" records) builds it: numbers, bools
// and datetimes as models.FromFrame reads them (frame.FloatAt), categorical
// columns as the code of their label among the training data's levels,
// unseen or missing labels NaN.
type Scorer struct {
	model   models.Model
	task    models.Task
	classes []string
	target  string
	column  string
	feats   []string
	levels  map[string]map[string]int // categorical feature → label → code
	// build, when set, builds the matrix instead (a fitted feature
	// pipeline saved with the run).
	build func(context.Context, *frame.Frame) (*models.Matrix, error)
}

// NewScorerWith is NewScorer for a model trained through a fitted feature
// pipeline: build returns the model matrix of a frame (e.g. the run's
// pipeline.json through train.PreparedPipeline). columns are the training
// data's column names (the score column is named to avoid them).
func NewScorerWith(model models.Model, columns []string, target string, build func(context.Context, *frame.Frame) (*models.Matrix, error)) (*Scorer, error) {
	if model == nil || build == nil {
		return nil, fmt.Errorf("%w: no model or no matrix builder", ErrModel)
	}
	if model.Task() == models.Clustering {
		return nil, fmt.Errorf("%w: a clustering model has no prediction to monitor", ErrModel)
	}
	return &Scorer{model: model, task: model.Task(), classes: model.Classes(), target: target,
		column: scoreName(columns), build: build}, nil
}

// scoreName is PredictionColumn, with "_score" appended while taken.
func scoreName(columns []string) string {
	col := PredictionColumn
	for slices.Contains(columns, col) {
		col += "_score"
	}
	return col
}

// NewScorer prepares model for scoring. trainFrame is the data the model
// was trained on (its categorical levels define the codes); target is the
// label column ("" when unknown: no metrics).
func NewScorer(ctx context.Context, model models.Model, trainFrame *frame.Frame, target string) (*Scorer, error) {
	if model == nil || trainFrame == nil {
		return nil, fmt.Errorf("%w: no model or no training data", ErrModel)
	}
	task := model.Task()
	if task == models.Clustering {
		return nil, fmt.Errorf("%w: a clustering model has no prediction to monitor", ErrModel)
	}
	feats := model.Features()
	for _, f := range feats {
		if trainFrame.Index(f) < 0 {
			return nil, fmt.Errorf("%w: the training data has no feature column %q", ErrModel, f)
		}
	}
	levels := map[string]map[string]int{}
	for _, name := range feats {
		c, _ := trainFrame.Column(name)
		switch c := c.(type) {
		case *frame.CategoricalCol:
			idx := make(map[string]int, len(c.Levels))
			for k, l := range c.Levels {
				idx[l] = k
			}
			levels[name] = idx
		case *frame.StringCol:
			return nil, fmt.Errorf("%w: feature %q is text, which the raw preparation cannot encode", ErrModel, name)
		}
	}
	return &Scorer{model: model, task: task, classes: model.Classes(), target: target, column: scoreName(trainFrame.Names()),
		feats: feats, levels: levels}, nil
}

// Column is the name of the score column.
func (s *Scorer) Column() string { return s.column }

// Task is the model's task.
func (s *Scorer) Task() models.Task { return s.task }

// Target is the label column ("" when none).
func (s *Scorer) Target() string { return s.target }

// Scores are a model's predictions on one frame: Pred is the value
// (regression) or class index; Proba is Rows×K row-major (classifiers).
type Scores struct {
	Pred  []float64
	Proba []float64
	K     int
}

// Matrix builds the model matrix of f's rows with the raw preparation
// (see Scorer; a Scorer made by NewScorerWith uses its builder in Predict
// instead). A missing
// feature column, or a text/categorical column where training had
// numbers, is an error naming it.
func (s *Scorer) Matrix(f *frame.Frame) (*models.Matrix, error) {
	m := models.NewMatrix(f.NumRows(), len(s.feats))
	m.Names = append([]string(nil), s.feats...)
	for j, name := range s.feats {
		c, err := f.Column(name)
		if err != nil {
			return nil, fmt.Errorf("%w: the data has no feature column %q", ErrModel, name)
		}
		dst := m.Col(j)
		if idx, ok := s.levels[name]; ok {
			for i := range dst {
				dst[i] = math.NaN()
				if c.IsNA(i) {
					continue
				}
				if k, ok := idx[c.Format(i)]; ok {
					dst[i] = float64(k)
				}
			}
			continue
		}
		if t := c.Type(); t == frame.String || t == frame.Categorical {
			return nil, fmt.Errorf("%w: feature %q is %s; the model was trained on numbers", ErrModel, name, t)
		}
		for i := range dst {
			dst[i], _ = frame.FloatAt(c, i)
		}
	}
	return m, nil
}

// Predict scores f's rows. A missing feature column is an error naming it.
func (s *Scorer) Predict(ctx context.Context, f *frame.Frame) (Scores, error) {
	if err := ctx.Err(); err != nil {
		return Scores{}, err
	}
	var X *models.Matrix
	var err error
	if s.build != nil {
		if X, err = s.build(ctx, f); err != nil {
			return Scores{}, fmt.Errorf("%w: %w", ErrModel, err)
		}
	} else if X, err = s.Matrix(f); err != nil {
		return Scores{}, err
	}
	out := Scores{Pred: make([]float64, X.Rows)}
	if !s.task.Classifier() {
		if err := s.model.Predict(X, out.Pred); err != nil {
			return Scores{}, fmt.Errorf("%w: %w", ErrModel, err)
		}
		return out, nil
	}
	K := len(s.classes)
	out.K, out.Proba = K, make([]float64, X.Rows*K)
	if err := s.model.PredictProba(X, out.Proba); err != nil {
		return Scores{}, fmt.Errorf("%w: %w", ErrModel, err)
	}
	for i := range out.Pred {
		row := out.Proba[i*K : (i+1)*K]
		best := 0
		for k := 1; k < K; k++ {
			if row[k] > row[best] {
				best = k
			}
		}
		out.Pred[i] = float64(best)
	}
	return out, nil
}

// scoreColumn is the column compared for prediction drift.
func (s *Scorer) scoreColumn(sc Scores) frame.Column {
	switch s.task {
	case models.Binary:
		v := make([]float64, len(sc.Pred))
		for i := range v {
			v[i] = sc.Proba[i*sc.K+1]
		}
		return frame.NewFloat64(s.column, v, frame.Mask{})
	case models.Multiclass:
		codes := make([]int32, len(sc.Pred))
		for i, p := range sc.Pred {
			codes[i] = int32(p)
		}
		return frame.NewCategorical(s.column, codes, append([]string(nil), s.classes...))
	}
	return frame.NewFloat64(s.column, append([]float64(nil), sc.Pred...), frame.Mask{})
}

// WithPrediction scores f and returns it with the score column added, and
// the scores.
func (s *Scorer) WithPrediction(ctx context.Context, f *frame.Frame) (*frame.Frame, Scores, error) {
	sc, err := s.Predict(ctx, f)
	if err != nil {
		return nil, Scores{}, err
	}
	g, err := f.With(s.scoreColumn(sc))
	if err != nil {
		return nil, Scores{}, fmt.Errorf("%w: %w", ErrModel, err)
	}
	return g, sc, nil
}

// MetricNames are the metrics monitored per window, by task: roc_auc and
// accuracy (binary, multiclass — one-vs-rest AUC), rmse, mae and r2
// (regression).
func MetricNames(task models.Task) []string {
	if task.Classifier() {
		return []string{"roc_auc", "accuracy"}
	}
	return []string{"rmse", "mae", "r2"}
}

// PrimaryMetric is the metric a monitor alerts on by default: roc_auc for
// classifiers, rmse for regression.
func PrimaryMetric(task models.Task) string { return MetricNames(task)[0] }

// ModelMetrics are a model's metrics on the labelled rows of one window.
type ModelMetrics struct {
	// N is the number of rows with a known label; Unlabelled the rows
	// left out (missing label, or a class the model does not know).
	N, Unlabelled int
	Values        map[string]float64
}

// Metrics computes the model's metrics (MetricNames) with package metrics
// on the rows of f whose target is present and known, given the scores of
// f's rows. It fails when f has no target column.
func (s *Scorer) Metrics(ctx context.Context, f *frame.Frame, sc Scores) (ModelMetrics, error) {
	if s.target == "" {
		return ModelMetrics{}, fmt.Errorf("%w: no target column", ErrModel)
	}
	col, err := f.Column(s.target)
	if err != nil {
		return ModelMetrics{}, fmt.Errorf("%w: the data has no target column %q", ErrModel, s.target)
	}
	var rows []int
	var y []float64
	if s.task.Classifier() {
		index := make(map[string]int, len(s.classes))
		for k, c := range s.classes {
			index[c] = k
		}
		for i := 0; i < col.Len(); i++ {
			if col.IsNA(i) {
				continue
			}
			if k, ok := index[classLabel(col, i)]; ok {
				rows, y = append(rows, i), append(y, float64(k))
			}
		}
	} else {
		for i := 0; i < col.Len(); i++ {
			v, ok := frame.FloatAt(col, i)
			if ok && !math.IsNaN(v) && !math.IsInf(v, 0) {
				rows, y = append(rows, i), append(y, v)
			}
		}
	}
	out := ModelMetrics{N: len(rows), Unlabelled: col.Len() - len(rows), Values: map[string]float64{}}
	names := MetricNames(s.task)
	if len(rows) == 0 {
		for _, n := range names {
			out.Values[n] = math.NaN()
		}
		return out, nil
	}
	in := metrics.Input{Classes: s.classes}
	switch s.task {
	case models.Regression:
		in.Task, in.YTrue, in.YPred = metrics.RegressionTask, y, make([]float64, len(rows))
		for j, i := range rows {
			in.YPred[j] = sc.Pred[i]
		}
	case models.Binary:
		in.Task, in.Pos = metrics.BinaryTask, 1
		in.True, in.Score = make([]int32, len(rows)), make([]float64, len(rows))
		for j, i := range rows {
			in.True[j], in.Score[j] = int32(y[j]), sc.Proba[i*sc.K+1]
		}
	case models.Multiclass:
		K := sc.K
		in.Task = metrics.MulticlassTask
		in.True, in.Pred = make([]int32, len(rows)), make([]int32, len(rows))
		p := make([]float64, len(rows)*K)
		for j, i := range rows {
			in.True[j], in.Pred[j] = int32(y[j]), int32(sc.Pred[i])
			copy(p[j*K:(j+1)*K], sc.Proba[i*K:(i+1)*K])
		}
		in.Proba = metrics.Proba{P: p, K: K}
	}
	rep, err := metrics.Evaluate(ctx, in, metrics.Options{})
	if err != nil {
		return ModelMetrics{}, fmt.Errorf("%w: metrics: %w", ErrModel, err)
	}
	for _, n := range names {
		key := n
		if s.task == models.Multiclass && n == "roc_auc" {
			key = "roc_auc_ovr"
		}
		v, ok := rep.Values[key]
		if !ok {
			v = math.NaN()
		}
		out.Values[n] = v
	}
	return out, nil
}

// classLabel is the class text of row i as models.EncodeTarget reads it.
func classLabel(c frame.Column, i int) string {
	switch c := c.(type) {
	case *frame.CategoricalCol:
		return c.Levels[c.Codes[i]]
	case *frame.StringCol:
		return c.Data[i]
	}
	return c.Format(i)
}
