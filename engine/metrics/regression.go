package metrics

import (
	"fmt"
	"math"

	"github.com/mlwb/mlwb/engine/stats"
)

// RegressionScores are the regression metrics of scikit-learn 1.2, each the
// function of the same name in sklearn.metrics with default arguments.
type RegressionScores struct {
	MAE               float64 // mean_absolute_error: Σw|e|/Σw, e = y − ŷ
	MSE               float64 // mean_squared_error: Σw e²/Σw
	RMSE              float64 // mean_squared_error(squared=False): √MSE
	R2                float64 // r2_score: 1 − Σw e² / Σw (y − ȳ)²
	MAPE              float64 // mean_absolute_percentage_error: Σw |e|/max(|y|, ε) / Σw, ε = 2⁻⁵²
	MedAE             float64 // median_absolute_error: median |e|
	ExplainedVariance float64 // explained_variance_score: 1 − Var(e)/Var(y)
	MaxError          float64 // max_error: max |e|
}

// Regression holds a regression problem prepared for repeated evaluation:
// the rows sorted by absolute error, so that the median under bootstrap
// weights is one pass. Positions (for Eval's weights) are in that order.
type Regression struct {
	y, pred, abs []float64
	Order        []int32 // Order[k]: the row at position k
}

// NewRegression checks and prepares y (true) and pred (predicted). NaN or
// infinite values are errors naming the first bad row (scikit-learn
// rejects them).
func NewRegression(y, pred []float64) (*Regression, error) {
	if len(y) != len(pred) {
		return nil, fmt.Errorf("%w: %d true values, %d predictions", ErrLength, len(y), len(pred))
	}
	if len(y) >= math.MaxInt32 {
		return nil, fmt.Errorf("metrics: %d rows is too many", len(y))
	}
	abs := make([]float64, len(y))
	for r := range y {
		if math.IsNaN(y[r]) || math.IsInf(y[r], 0) {
			return nil, fmt.Errorf("metrics: true value of row %d is %v", r+1, y[r])
		}
		if math.IsNaN(pred[r]) || math.IsInf(pred[r], 0) {
			return nil, fmt.Errorf("metrics: prediction of row %d is %v", r+1, pred[r])
		}
		abs[r] = math.Abs(y[r] - pred[r])
	}
	idx := make([]int32, len(abs))
	sorted := stats.Argsort(abs, idx)
	g := &Regression{y: make([]float64, len(y)), pred: make([]float64, len(y)), abs: sorted, Order: idx}
	for k, r := range idx {
		g.y[k], g.pred[k] = y[r], pred[r]
	}
	return g, nil
}

// Len returns the number of rows.
func (g *Regression) Len() int { return len(g.y) }

// Eval returns the metrics with weight w[k] on position k (nil: 1 each),
// and the warnings scikit-learn would give (R² with fewer than two samples
// is NaN).
func (g *Regression) Eval(w []float64) (RegressionScores, []string) {
	var s RegressionScores
	var warn []string
	var sw, sy, se, sae, sse, sape float64
	maxErr := math.NaN()
	for k := range g.y {
		wt := weight(w, k)
		if wt == 0 {
			continue
		}
		e := g.y[k] - g.pred[k]
		sw += wt
		sy += wt * g.y[k]
		se += wt * e
		sae += wt * g.abs[k]
		sse += wt * e * e
		sape += wt * g.abs[k] / max(math.Abs(g.y[k]), Eps)
		maxErr = g.abs[k] // positions increase in |e|
	}
	if sw == 0 {
		nan := math.NaN()
		return RegressionScores{nan, nan, nan, nan, nan, nan, nan, nan}, []string{"regression metrics of no rows are undefined"}
	}
	s.MAE, s.MSE, s.MAPE, s.MaxError = sae/sw, sse/sw, sape/sw, maxErr
	s.RMSE = math.Sqrt(s.MSE)
	ybar, ebar := sy/sw, se/sw
	var ssy, sse2 float64 // Σw(y−ȳ)², Σw(e−ē)²
	for k := range g.y {
		wt := weight(w, k)
		if wt == 0 {
			continue
		}
		d := g.y[k] - ybar
		ssy += wt * d * d
		e := g.y[k] - g.pred[k] - ebar
		sse2 += wt * e * e
	}
	s.R2 = finiteRatio(sse, ssy)
	s.ExplainedVariance = finiteRatio(sse2/sw, ssy/sw)
	if g.Len() < 2 {
		s.R2 = math.NaN()
		warn = append(warn, "r2: R² is not well-defined with less than two samples")
	}
	s.MedAE = g.weightedMedian(w, sw)
	return s, warn
}

// finiteRatio is scikit-learn's _assemble_r2_explained_variance with
// force_finite=True: 1 − num/den, 1 when num = 0, 0 when only den = 0.
func finiteRatio(num, den float64) float64 {
	switch {
	case num == 0:
		return 1
	case den == 0:
		return 0
	}
	return 1 - num/den
}

// weightedMedian returns numpy.median of the sample in which position k is
// repeated w[k] times (integer weights; total sw).
func (g *Regression) weightedMedian(w []float64, sw float64) float64 {
	if w == nil {
		return stats.Median(g.abs)
	}
	// order statistics lo = ⌊(m−1)/2⌋ and hi = ⌈(m−1)/2⌉ (0-based) of m = sw
	m := math.Round(sw)
	lo, hi := math.Floor((m-1)/2), math.Ceil((m-1)/2)
	var cum float64
	a, b := math.NaN(), math.NaN()
	for k, v := range g.abs {
		if w[k] == 0 {
			continue
		}
		next := cum + w[k]
		if math.IsNaN(a) && lo < next {
			a = v
		}
		if hi < next {
			b = v
			break
		}
		cum = next
	}
	return (a + b) / 2
}
