package models

import (
	"context"
	"fmt"
	"math"
	"strconv"
	"strings"
)

// nbParams are the parameters of nb.
type nbParams struct {
	distribution string
	varSmoothing float64
	priors       []float64 // nil = from the data
	alpha        float64
	fitPrior     bool
}

func defaultNB() nbParams {
	return nbParams{distribution: "gaussian", varSmoothing: 1e-9, alpha: 1, fitPrior: true}
}

func (p *nbParams) table() paramTable {
	return paramTable{
		choiceParam("distribution", "per-class feature distribution: gaussian (GaussianNB) or categorical (CategoricalNB, integer-coded features)",
			&p.distribution, "gaussian", "categorical"),
		floatParam("var_smoothing", "gaussian: add this share of the largest feature variance to every variance", &p.varSmoothing, 0, math.MaxFloat64, false),
		priorsParam(&p.priors),
		floatParam("alpha", "categorical: additive (Laplace/Lidstone) smoothing; below 1e-10 it is 1e-10", &p.alpha, 0, math.MaxFloat64, false),
		boolParam("fit_prior", "categorical: learn class priors (false = uniform) unless priors are given", &p.fitPrior),
	}
}

// priorsParam is priors: "none" (from the data) or comma-separated class
// probabilities in class order, summing to 1.
func priorsParam(p *[]float64) param {
	return param{name: "priors", help: "class prior probabilities in class order (\"0.3,0.7\"), or none to learn them",
		get: func() string {
			if *p == nil {
				return "none"
			}
			s := make([]string, len(*p))
			for i, v := range *p {
				s[i] = strconv.FormatFloat(v, 'g', -1, 64)
			}
			return strings.Join(s, ",")
		},
		set: func(s string) error {
			if s == "" || strings.EqualFold(s, "none") {
				*p = nil
				return nil
			}
			var out []float64
			var sum float64
			for _, f := range strings.Split(s, ",") {
				v, err := strconv.ParseFloat(strings.TrimSpace(f), 64)
				if err != nil || !(v >= 0 && v <= 1) {
					return fmt.Errorf("%q is not a probability", strings.TrimSpace(f))
				}
				out = append(out, v)
				sum += v
			}
			if math.Abs(sum-1) > 1e-8 {
				return fmt.Errorf("priors sum to %v, not 1", sum)
			}
			*p = out
			return nil
		}}
}

// NaiveBayes is the "nb" model: a naive Bayes classifier, P(y = k | x) ∝
// π_k Π_j P(x_j | y = k), with one of two feature distributions:
//
//   - gaussian (scikit-learn's GaussianNB): x_j | k ~ N(θ_kj, σ²_kj) with the
//     (weighted) class means and variances, every variance increased by
//     var_smoothing · max_j Var(x_j) (the variance over all rows); the priors
//     π_k are the class weight shares unless priors is set.
//   - categorical (CategoricalNB): x_j is a category code 0..n_j−1 (n_j = the
//     largest code seen in training + 1) with P(x_j = v | k) =
//     (N_kjv + α)/(N_kj + α·n_j); log π_k is log(N_k/N) when fit_prior,
//     −log K otherwise, or log priors when set. A code outside 0..n_j−1 when
//     predicting is an error naming the column.
//
// Probabilities are exp(jll_k − logsumexp(jll)) of the joint
// log-likelihoods jll_k, as scikit-learn. A class of Classes that has no
// training row gets probability 0 (scikit-learn would not know the class).
// Missing or infinite feature values are an error naming the column.
type NaiveBayes struct {
	info
	p nbParams
	// Prior is π_k per class.
	Prior []float64 `json:"prior"`
	// Theta and Var are the gaussian class means and smoothed variances,
	// K × features row-major.
	Theta []float64 `json:"theta,omitempty"`
	Var   []float64 `json:"var,omitempty"`
	// Epsilon is the variance added to every variance (gaussian).
	Epsilon float64 `json:"epsilon,omitempty"`
	// NCategories is n_j per feature (categorical).
	NCategories []int `json:"n_categories,omitempty"`
	// LogProb holds log P(x_j = v | k) (categorical): for feature j, a block
	// of K × n_j values (class-major) after the blocks of features 0..j−1.
	LogProb []float64 `json:"log_prob,omitempty"`
}

func newNB() *NaiveBayes { return &NaiveBayes{p: defaultNB()} }

// Kind returns "nb".
func (m *NaiveBayes) Kind() string { return "nb" }

// Params lists alpha, distribution, fit_prior, priors and var_smoothing.
func (m *NaiveBayes) Params() []Param {
	d := defaultNB()
	return m.p.table().list(d.table())
}

// Set sets one parameter.
func (m *NaiveBayes) Set(name, value string) error {
	if m.fitted {
		return ErrFitted
	}
	return m.p.table().set(m.Kind(), name, value)
}

// Fit counts the class statistics. Recorder is told iteration 0 with the
// training mean log-loss.
func (m *NaiveBayes) Fit(ctx context.Context, X *Matrix, y, w []float64, opt FitOptions) error {
	if m.fitted {
		return ErrFitted
	}
	if !opt.Task.Classifier() {
		return fmt.Errorf("models: nb fits a classification task, not %s", opt.Task)
	}
	K, err := checkFit(m.Kind(), X, y, w, opt)
	if err != nil {
		return err
	}
	if err := checkFinite(m.Kind(), X); err != nil {
		return err
	}
	if m.p.priors != nil && len(m.p.priors) != K {
		return fmt.Errorf("models: nb: %d priors for %d classes", len(m.p.priors), K)
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	wt := func(i int) float64 {
		if w == nil {
			return 1
		}
		return w[i]
	}
	count := make([]float64, K)
	for i, v := range y {
		count[int(v)] += wt(i)
	}
	var total float64
	for _, c := range count {
		total += c
	}
	m.Prior = make([]float64, K)
	if m.p.distribution == "gaussian" {
		if err := m.fitGaussian(X, y, w, count); err != nil {
			return err
		}
		for k := range m.Prior {
			m.Prior[k] = count[k] / total
		}
	} else {
		if err := m.fitCategorical(X, y, wt, K); err != nil {
			return err
		}
		for k := range m.Prior {
			switch {
			case !m.p.fitPrior:
				m.Prior[k] = 1 / float64(K)
			default:
				m.Prior[k] = count[k] / total
			}
		}
	}
	if m.p.priors != nil {
		copy(m.Prior, m.p.priors)
	}
	for k := range m.Prior {
		if count[k] == 0 {
			m.Prior[k] = 0
		}
	}
	m.setInfo(opt.Task, opt.Classes, featureNames(X))
	if opt.Recorder != nil {
		opt.Recorder.Iteration(0, m.meanLogLoss(X, y), m.evalLogLoss(opt))
	}
	return nil
}

// fitGaussian computes Theta, Var and Epsilon (scikit-learn's
// GaussianNB._partial_fit on one batch).
func (m *NaiveBayes) fitGaussian(X *Matrix, y, w []float64, count []float64) error {
	K, p := len(count), X.Cols
	// ε = var_smoothing · max_j Var(x_j), the unweighted population variance.
	var maxVar float64
	for j := 0; j < p; j++ {
		c := X.Col(j)
		var mean float64
		for _, v := range c {
			mean += v
		}
		mean /= float64(len(c))
		var ss float64
		for _, v := range c {
			ss += (v - mean) * (v - mean)
		}
		maxVar = math.Max(maxVar, ss/float64(len(c)))
	}
	m.Epsilon = m.p.varSmoothing * maxVar
	m.Theta = make([]float64, K*p)
	m.Var = make([]float64, K*p)
	for j := 0; j < p; j++ {
		c := X.Col(j)
		for i, v := range c {
			wi := 1.0
			if w != nil {
				wi = w[i]
			}
			m.Theta[int(y[i])*p+j] += wi * v
		}
		for k := 0; k < K; k++ {
			if count[k] > 0 {
				m.Theta[k*p+j] /= count[k]
			}
		}
		for i, v := range c {
			wi := 1.0
			if w != nil {
				wi = w[i]
			}
			k := int(y[i])
			d := v - m.Theta[k*p+j]
			m.Var[k*p+j] += wi * d * d
		}
		for k := 0; k < K; k++ {
			if count[k] > 0 {
				m.Var[k*p+j] /= count[k]
			}
			m.Var[k*p+j] += m.Epsilon
			if count[k] == 0 {
				// An unseen class never gets probability; keep the file finite.
				m.Var[k*p+j] = 1
			}
		}
	}
	for j := 0; j < p; j++ {
		for k := 0; k < K; k++ {
			if m.Var[k*p+j] <= 0 {
				return fmt.Errorf("models: nb: column %q has zero variance within class %d; raise var_smoothing", X.name(j), k)
			}
		}
	}
	return nil
}

// fitCategorical computes NCategories and LogProb (CategoricalNB).
func (m *NaiveBayes) fitCategorical(X *Matrix, y []float64, wt func(int) float64, K int) error {
	p := X.Cols
	alpha := math.Max(m.p.alpha, 1e-10)
	m.NCategories = make([]int, p)
	for j := 0; j < p; j++ {
		hi := 0.0
		for i, v := range X.Col(j) {
			if v < 0 || v != math.Trunc(v) {
				return fmt.Errorf("models: nb: column %q row %d has %v; categorical naive Bayes needs category codes 0, 1, 2, ...", X.name(j), i+1, v)
			}
			hi = math.Max(hi, v)
		}
		if hi >= 1<<24 {
			return fmt.Errorf("models: nb: column %q has code %v; too many categories", X.name(j), hi)
		}
		m.NCategories[j] = int(hi) + 1
	}
	for j := 0; j < p; j++ {
		nj := m.NCategories[j]
		cnt := make([]float64, K*nj)
		for i, v := range X.Col(j) {
			cnt[int(y[i])*nj+int(v)] += wt(i)
		}
		for k := 0; k < K; k++ {
			row := cnt[k*nj : (k+1)*nj]
			var s float64
			for _, c := range row {
				s += c + alpha
			}
			ls := math.Log(s)
			for _, c := range row {
				m.LogProb = append(m.LogProb, math.Log(c+alpha)-ls)
			}
		}
	}
	return nil
}

// jll writes the joint log-likelihoods of row i into out (len K); a class
// with prior 0 gets −Inf. It returns an error for an unseen category.
func (m *NaiveBayes) jll(X *Matrix, i int, out []float64, offs []int) error {
	K, p := len(m.Prior), X.Cols
	for k := range out {
		if m.Prior[k] > 0 {
			out[k] = math.Log(m.Prior[k])
		} else {
			out[k] = math.Inf(-1)
		}
	}
	if m.p.distribution == "gaussian" {
		for k := 0; k < K; k++ {
			if m.Prior[k] == 0 {
				continue
			}
			var a, b float64
			for j := 0; j < p; j++ {
				v := m.Var[k*p+j]
				d := X.At(i, j) - m.Theta[k*p+j]
				a += math.Log(2 * math.Pi * v)
				b += d * d / v
			}
			out[k] += -0.5*a - 0.5*b
		}
		return nil
	}
	for j := 0; j < p; j++ {
		v := X.At(i, j)
		nj := m.NCategories[j]
		if v < 0 || v != math.Trunc(v) || int(v) >= nj {
			return fmt.Errorf("models: nb: column %q row %d has category %v; training saw codes 0..%d", X.name(j), i+1, v, nj-1)
		}
		for k := 0; k < K; k++ {
			out[k] += m.LogProb[offs[j]+k*nj+int(v)]
		}
	}
	return nil
}

// offsets returns the start of each feature's block in LogProb.
func (m *NaiveBayes) offsets() []int {
	offs := make([]int, len(m.NCategories))
	o := 0
	for j, nj := range m.NCategories {
		offs[j] = o
		o += len(m.Prior) * nj
	}
	return offs
}

// PredictProba writes the posterior class probabilities.
func (m *NaiveBayes) PredictProba(X *Matrix, out []float64) error {
	if err := checkPredict(m.Kind(), m.fitted, len(m.features), X, out, len(m.classes)); err != nil {
		return err
	}
	if m.p.distribution == "gaussian" {
		if err := checkFinite(m.Kind(), X); err != nil {
			return err
		}
	}
	K := len(m.classes)
	offs := m.offsets()
	for i := 0; i < X.Rows; i++ {
		row := out[i*K : (i+1)*K]
		if err := m.jll(X, i, row, offs); err != nil {
			return err
		}
		softmaxRow(row)
	}
	return nil
}

// Predict writes the most probable class index.
func (m *NaiveBayes) Predict(X *Matrix, out []float64) error {
	if err := checkPredict(m.Kind(), m.fitted, len(m.features), X, out, 1); err != nil {
		return err
	}
	pr := make([]float64, X.Rows*len(m.classes))
	if err := m.PredictProba(X, pr); err != nil {
		return err
	}
	argmaxRows(pr, len(m.classes), out)
	return nil
}

// meanLogLoss returns the mean log-loss of the fitted model on X, y.
func (m *NaiveBayes) meanLogLoss(X *Matrix, y []float64) float64 {
	K := len(m.classes)
	pr := make([]float64, X.Rows*K)
	if err := m.PredictProba(X, pr); err != nil {
		return math.NaN()
	}
	var s float64
	for i, v := range y {
		k := int(v)
		if k < 0 || k >= K {
			return math.NaN()
		}
		s -= math.Log(math.Max(pr[i*K+k], 1e-300))
	}
	return s / float64(len(y))
}

func (m *NaiveBayes) evalLogLoss(opt FitOptions) float64 {
	if opt.EvalX == nil || opt.EvalX.Cols != len(m.features) || len(opt.EvalY) != opt.EvalX.Rows || opt.EvalX.Rows == 0 {
		return math.NaN()
	}
	return m.meanLogLoss(opt.EvalX, opt.EvalY)
}

func (m *NaiveBayes) validate() error {
	K, p := len(m.classes), len(m.features)
	if !m.task.Classifier() {
		return fmt.Errorf("nb model with task %s", m.task)
	}
	if len(m.Prior) != K {
		return fmt.Errorf("%d priors for %d classes", len(m.Prior), K)
	}
	if m.p.distribution == "gaussian" {
		if len(m.Theta) != K*p || len(m.Var) != K*p {
			return fmt.Errorf("gaussian statistics of the wrong size")
		}
		for _, v := range m.Var {
			if !(v > 0) {
				return fmt.Errorf("variance %v", v)
			}
		}
		return nil
	}
	if len(m.NCategories) != p {
		return fmt.Errorf("%d category counts for %d features", len(m.NCategories), p)
	}
	total := 0
	for _, nj := range m.NCategories {
		if nj < 1 || nj > 1<<24 {
			return fmt.Errorf("category count %d", nj)
		}
		total += K * nj
	}
	if len(m.LogProb) != total {
		return fmt.Errorf("%d log probabilities, want %d", len(m.LogProb), total)
	}
	return nil
}
