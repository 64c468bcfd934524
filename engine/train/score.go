package train

import (
	"fmt"
	"math"
	"slices"

	"github.com/mlwb/mlwb/engine/metrics"
	"github.com/mlwb/mlwb/engine/models"
)

// Metric names per task, in display order (see the package doc).
var (
	binaryMetrics     = []string{"accuracy", "balanced_accuracy", "f1", "roc_auc", "log_loss", "precision", "recall", "pr_auc", "mcc", "brier"}
	multiclassMetrics = []string{"accuracy", "balanced_accuracy", "f1", "roc_auc", "log_loss", "f1_weighted", "mcc"}
	regressionMetrics = []string{"rmse", "mae", "r2", "mape"}
	clusteringMetrics = []string{"inertia"}
)

// MetricNames returns the metrics Run computes for task, in display order.
func MetricNames(task models.Task) []string {
	switch task {
	case models.Binary:
		return slices.Clone(binaryMetrics)
	case models.Multiclass:
		return slices.Clone(multiclassMetrics)
	case models.Clustering:
		return slices.Clone(clusteringMetrics)
	}
	return slices.Clone(regressionMetrics)
}

// HigherIsBetter reports whether a larger value of the metric is better.
func HigherIsBetter(name string) bool {
	if name == "inertia" {
		return false
	}
	return metrics.HigherIsBetter(name)
}

// ReportName maps a run metric name (MetricNames) to its name in package
// metrics for the task: pr_auc is average_precision, and for multiclass f1
// is f1_macro and roc_auc is roc_auc_ovr.
func ReportName(task models.Task, name string) string {
	switch {
	case task == models.Binary && name == "pr_auc":
		return "average_precision"
	case task == models.Multiclass && name == "f1":
		return "f1_macro"
	case task == models.Multiclass && name == "roc_auc":
		return "roc_auc_ovr"
	}
	return name
}

// score computes the task's metrics of one fold.
func (r *runner) score(m models.Model, X *models.Matrix, yt, pred, proba []float64) (map[string]float64, error) {
	if r.s.task == models.Clustering {
		return map[string]float64{"inertia": inertia(m, X, pred)}, nil
	}
	return scoreTask(r, r.s.task, r.s.classes, yt, pred, proba)
}

func scoreTask(r *runner, task models.Task, classes []string, yt, pred, proba []float64) (map[string]float64, error) {
	in := metrics.Input{}
	switch task {
	case models.Regression:
		in.Task, in.YTrue, in.YPred = metrics.RegressionTask, yt, pred
	case models.Binary:
		in.Task, in.Classes, in.Pos = metrics.BinaryTask, classes, 1
		in.True, in.Pred = toInt32(yt), toInt32(pred)
		in.Score = make([]float64, len(yt))
		for i := range in.Score {
			in.Score[i] = proba[i*2+1]
		}
	case models.Multiclass:
		in.Task, in.Classes = metrics.MulticlassTask, classes
		in.True, in.Pred = toInt32(yt), toInt32(pred)
		in.Proba = metrics.Proba{P: proba, K: len(classes)}
		in.AllClasses = false
	}
	rep, err := metrics.Evaluate(r.ctx, in, metrics.Options{})
	if err != nil {
		return nil, err
	}
	out := map[string]float64{}
	for _, name := range MetricNames(task) {
		v, ok := rep.Values[ReportName(task, name)]
		if !ok {
			v = math.NaN()
		}
		out[name] = v
	}
	return out, nil
}

func toInt32(v []float64) []int32 {
	out := make([]int32, len(v))
	for i, x := range v {
		out[i] = int32(x)
	}
	return out
}

// inertia is the mean squared Euclidean distance of rows to the centre they
// are assigned to (NaN when the model is not k-means).
func inertia(m models.Model, X *models.Matrix, pred []float64) float64 {
	km, ok := m.(*models.KMeans)
	if !ok || X.Rows == 0 {
		return math.NaN()
	}
	var sum float64
	p := X.Cols
	for i := 0; i < X.Rows; i++ {
		c := int(pred[i])
		for j := 0; j < p; j++ {
			d := X.At(i, j) - km.Centers[c*p+j]
			sum += d * d
		}
	}
	return sum / float64(X.Rows)
}

// lossOf turns a metric value into a loss (lower is better, 0 best).
func lossOf(name string, v float64) float64 {
	if HigherIsBetter(name) {
		return 1 - v
	}
	return v
}

func valueOf(name string, loss float64) float64 {
	if HigherIsBetter(name) {
		return 1 - loss
	}
	return loss
}

// bootstrapEstimates adds the apparent, .632 and .632+ estimates of every
// metric (see the package doc).
func (r *runner) bootstrapEstimates() error {
	res := r.res
	if res.Final == nil || res.Task == models.Clustering {
		return nil
	}
	X, err := r.allRows()
	if err != nil {
		return err
	}
	pred, proba, err := r.predict(res.Final, X)
	if err != nil {
		return fmt.Errorf("apparent error: %w", err)
	}
	app, err := scoreTask(r, res.Task, res.Classes, r.s.y, pred, proba)
	if err != nil {
		return fmt.Errorf("apparent error: %w", err)
	}
	for _, s := range res.Metrics {
		e := Estimate{Name: s.Name, Apparent: app[s.Name], OOB: s.Mean,
			NoInfo: noInfo(s.Name, res.Task, len(res.Classes), r.s.y, pred, proba)}
		la, lo, g := lossOf(s.Name, e.Apparent), lossOf(s.Name, e.OOB), lossOf(s.Name, e.NoInfo)
		e.E632 = valueOf(s.Name, 0.368*la+0.632*lo)
		l1 := math.Min(lo, g)
		R := 0.0
		if l1 > la && g > la {
			R = (l1 - la) / (g - la)
		}
		w := 0.632 / (1 - 0.368*R)
		e.E632Plus = valueOf(s.Name, (1-w)*la+w*l1)
		if math.IsNaN(g) {
			e.E632Plus = math.NaN()
		}
		res.Estimates = append(res.Estimates, e)
	}
	return nil
}

// allRows returns the matrix of all training rows as the final model was
// trained on it.
func (r *runner) allRows() (*models.Matrix, error) {
	if r.finalX != nil {
		return r.finalX, nil
	}
	p, err := r.prep.Fit(r.ctx, r.job.Frame, r.job.Target, r.s.features, nil)
	if err != nil {
		return nil, err
	}
	return p.Matrix(r.ctx, r.job.Frame, nil)
}

// noInfo returns the value of metric name when predictions are independent
// of the labels: its average over all n² (label, prediction) pairs, in
// closed form (see the package doc). NaN when unknown.
func noInfo(name string, task models.Task, K int, y, pred, proba []float64) float64 {
	n := float64(len(y))
	if n == 0 {
		return math.NaN()
	}
	if task.Classifier() {
		p := make([]float64, K) // label shares
		q := make([]float64, K) // predicted shares
		for i := range y {
			p[int(y[i])] += 1 / n
			q[int(pred[i])] += 1 / n
		}
		switch name {
		case "accuracy":
			var s float64
			for k := range p {
				s += p[k] * q[k]
			}
			return s
		case "balanced_accuracy":
			var present, s float64
			for k := range p {
				if p[k] > 0 {
					present++
					s += q[k]
				}
			}
			return s / present
		case "f1":
			f1 := func(a, b float64) float64 {
				if a+b == 0 {
					return 0
				}
				return 2 * a * b / (a + b)
			}
			if task == models.Binary {
				return f1(p[1], q[1])
			}
			var s, c float64
			for k := range p {
				if p[k] > 0 || q[k] > 0 {
					s += f1(p[k], q[k])
					c++
				}
			}
			return s / c
		case "roc_auc":
			return 0.5
		case "pr_auc", "precision":
			return p[1]
		case "recall":
			return q[1]
		case "mcc":
			return 0
		case "brier":
			var sm, s2 float64
			for i := range y {
				s := proba[i*2+1]
				sm += s / n
				s2 += s * s / n
			}
			return p[1] - 2*p[1]*sm + s2
		case "log_loss":
			// −Σ_k p_k · mean_j log clip(P_jk), clipped as sklearn (eps 1e-15).
			var s float64
			for k := range p {
				if p[k] == 0 {
					continue
				}
				var ml float64
				for j := 0; j < len(y); j++ {
					ml += math.Log(min(max(proba[j*K+k], 1e-15), 1-1e-15)) / n
				}
				s -= p[k] * ml
			}
			return s
		}
		return math.NaN()
	}
	var ym, pm, y2, p2, vy float64
	for i := range y {
		ym += y[i] / n
		pm += pred[i] / n
		y2 += y[i] * y[i] / n
		p2 += pred[i] * pred[i] / n
	}
	vy = y2 - ym*ym
	mse := y2 - 2*ym*pm + p2
	switch name {
	case "rmse":
		return math.Sqrt(mse)
	case "r2":
		if vy == 0 {
			return math.NaN()
		}
		return 1 - mse/vy
	case "mae", "mape":
		sorted := slices.Clone(pred)
		slices.Sort(sorted)
		prefix := make([]float64, len(sorted)+1)
		for i, v := range sorted {
			prefix[i+1] = prefix[i] + v
		}
		var s float64
		for _, v := range y {
			a := sumAbsDiff(v, sorted, prefix) / n
			if name == "mape" {
				a /= math.Max(math.Abs(v), 2.220446049250313e-16) // sklearn's epsilon
			}
			s += a / n
		}
		return s
	}
	return math.NaN()
}

// sumAbsDiff returns Σ_j |v − sorted_j| using the prefix sums of sorted.
func sumAbsDiff(v float64, sorted, prefix []float64) float64 {
	k, _ := slices.BinarySearch(sorted, v) // sorted[:k] < v
	n := len(sorted)
	below := v*float64(k) - prefix[k]
	above := (prefix[n] - prefix[k]) - v*float64(n-k)
	return below + above
}
