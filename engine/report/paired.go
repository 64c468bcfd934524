package report

import (
	"fmt"
	"math"

	"github.com/mlwb/mlwb/engine/metrics"
	"github.com/mlwb/mlwb/workspace"
	"gonum.org/v1/gonum/stat/distuv"
)

// Paired is the paired comparison of two runs validated on the same folds:
// the per-fold differences d_j = B_j − A_j of one metric, their mean and
// standard deviation, and the corrected resampled t-test of Nadeau and
// Bengio (2003, "Inference for the generalization error", Machine Learning
// 52), as Weka's Experimenter applies it:
//
//	t = d̄ / √((1/J + n_test/n_train) · s²),  s² = Σ (d_j − d̄)² / (J − 1)
//
// with J folds, n_test/n_train the mean ratio of validation to training
// rows over the folds (1/(k−1) for k-fold), and a two-sided p-value from
// Student's t with J − 1 degrees of freedom. The correction term
// n_test/n_train accounts for the overlap of the training sets, which makes
// the plain paired t-test far too eager to call a difference.
type Paired struct {
	Metric string `json:"metric"`
	// OK is false when the runs cannot be paired; Reason says why.
	OK     bool   `json:"paired"`
	Reason string `json:"reason,omitempty"`
	// Diffs are B − A per fold.
	Diffs []float64 `json:"diffs,omitempty"`
	// Mean and Std (n − 1 in the denominator) of Diffs.
	Mean  float64 `json:"mean"`
	Std   float64 `json:"std"`
	Ratio float64 `json:"test_train_ratio"`
	T     float64 `json:"t"`
	DF    int     `json:"df"`
	P     float64 `json:"p"`
	// Better is "a" or "b" by the sign of Mean and the metric's direction,
	// "" when Mean is 0.
	Better string `json:"better"`
}

// foldSeeded reports whether a scheme's folds depend on the seed.
func foldSeeded(v workspace.RunValidation) bool {
	switch v.Scheme {
	case "repeated_stratified_kfold", "holdout", "bootstrap":
		return true
	}
	return v.Shuffle
}

// PairedComparison compares runs a and b on metric fold by fold. They are
// paired when they were validated on the same folds: the same data (hash),
// target and task, the same k-fold-like scheme with the same k, repeats,
// shuffling, group or time column, and seed where the folds depend on it,
// and the same rows in every fold. Otherwise the result is not OK and
// Reason says what differs.
func PairedComparison(a, b workspace.Run, metric string) Paired {
	p := Paired{Metric: metric, Mean: math.NaN(), Std: math.NaN(), T: math.NaN(), P: math.NaN(), Ratio: math.NaN()}
	no := func(format string, args ...any) Paired {
		p.Reason = fmt.Sprintf(format, args...)
		return p
	}
	va, vb := a.Validation, b.Validation
	switch {
	case a.Dataset.Hash == "" || b.Dataset.Hash == "":
		return no("the data of a run has no recorded hash, so its folds cannot be matched")
	case a.Dataset.Hash != b.Dataset.Hash:
		return no("different data (dataset hash %.12s vs %.12s)", a.Dataset.Hash, b.Dataset.Hash)
	case a.Target != b.Target:
		return no("different targets (%s vs %s)", a.Target, b.Target)
	case a.Task != b.Task:
		return no("different tasks (%s vs %s)", a.Task, b.Task)
	case va.Scheme != vb.Scheme:
		return no("different validation schemes (%s vs %s)", va.Description, vb.Description)
	case va.Scheme == "holdout" || va.Scheme == "test_set" || va.Scheme == "bootstrap":
		return no("validated by %s, not on folds", va.Description)
	case va.K != vb.K || va.Repeats != vb.Repeats || va.Shuffle != vb.Shuffle || va.Group != vb.Group || va.Time != vb.Time:
		return no("different folds (%s vs %s)", va.Description, vb.Description)
	case foldSeeded(va) && a.Seed != b.Seed:
		return no("different seeds (%d vs %d) for %s", a.Seed, b.Seed, va.Description)
	case len(a.Folds) != len(b.Folds) || len(a.Folds) < 2:
		return no("%d vs %d folds", len(a.Folds), len(b.Folds))
	}
	ma, okA := a.Metric(metric)
	mb, okB := b.Metric(metric)
	if !okA || !okB {
		return no("metric %s is not in both runs", metric)
	}
	J := len(a.Folds)
	if len(ma.Folds) != J || len(mb.Folds) != J {
		return no("metric %s lacks per-fold values", metric)
	}
	var ratio float64
	for j := range J {
		fa, fb := a.Folds[j], b.Folds[j]
		if fa.TrainRows != fb.TrainRows || fa.TestRows != fb.TestRows {
			return no("fold %d differs (%d/%d vs %d/%d training/validation rows)", j+1, fa.TrainRows, fa.TestRows, fb.TrainRows, fb.TestRows)
		}
		if fa.TrainRows == 0 {
			return no("fold %d has no training rows", j+1)
		}
		ratio += float64(fa.TestRows) / float64(fa.TrainRows)
		x, y := float64(ma.Folds[j]), float64(mb.Folds[j])
		if math.IsNaN(x) || math.IsNaN(y) {
			return no("%s is undefined on fold %d", metric, j+1)
		}
		p.Diffs = append(p.Diffs, y-x)
	}
	p.OK, p.Ratio, p.DF = true, ratio/float64(J), J-1
	p.Mean, p.Std = meanSampleStd(p.Diffs)
	p.T, p.P = correctedT(p.Mean, p.Std, J, p.Ratio)
	if p.Mean != 0 {
		p.Better = "a"
		if (p.Mean > 0) == metrics.HigherIsBetter(metric) {
			p.Better = "b"
		}
	}
	return p
}

// meanSampleStd is the mean and the sample standard deviation (n − 1).
func meanSampleStd(d []float64) (float64, float64) {
	var s float64
	for _, x := range d {
		s += x
	}
	m := s / float64(len(d))
	var s2 float64
	for _, x := range d {
		s2 += (x - m) * (x - m)
	}
	return m, math.Sqrt(s2 / float64(len(d)-1))
}

// correctedT is Nadeau and Bengio's corrected resampled t statistic of J
// differences with mean m and sample std s, and its two-sided p-value
// (Student's t, J − 1 degrees of freedom). Identical differences give
// t = ±Inf and p = 0, or t = 0 and p = 1 when they are all 0.
func correctedT(m, s float64, J int, ratio float64) (float64, float64) {
	if s == 0 {
		if m == 0 {
			return 0, 1
		}
		return math.Copysign(math.Inf(1), m), 0
	}
	t := m / math.Sqrt((1/float64(J)+ratio)*s*s)
	return t, 2 * distuv.StudentsT{Mu: 0, Sigma: 1, Nu: float64(J - 1)}.Survival(math.Abs(t))
}

// CompareMetric is the metric two runs are compared on: the card's when
// both have it, else the task's primary metric.
func CompareMetric(card workspace.Card, a, b workspace.Run) string {
	name := card.Metric.Name
	if _, ok := a.Metric(name); ok {
		if _, ok := b.Metric(name); ok {
			return name
		}
	}
	return workspace.PrimaryMetric(a.Task)
}
