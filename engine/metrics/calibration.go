package metrics

import (
	"fmt"
	"math"
	"slices"
	"sort"

	"github.com/mlwb/mlwb/engine/stats"
)

// Binning is how Calibration places its bins, as calibration_curve's
// strategy parameter.
type Binning int

// The binnings.
const (
	// Uniform bins have equal widths over [0, 1].
	Uniform Binning = iota
	// QuantileBins hold about equal numbers of rows (edges at the score
	// quantiles, numpy's linear method).
	QuantileBins
)

// CalibrationBin is one bin of the reliability diagram. Scores in (Lo, Hi]
// fall in it (the first bin also takes Lo), as numpy.searchsorted on the
// inner edges places them in sklearn.calibration.calibration_curve. Count
// is the number of rows (the score histogram), MeanPredicted the mean score
// (calibration_curve's prob_pred) and FractionPositive the share of
// positives (prob_true); both NaN for an empty bin, which scikit-learn
// leaves out of its arrays.
type CalibrationBin struct {
	Lo               float64 `json:"lo"`
	Hi               float64 `json:"hi"`
	Count            float64 `json:"count"`
	MeanPredicted    float64 `json:"mean_predicted"`
	FractionPositive float64 `json:"fraction_positive"`
}

// Calibration returns the reliability diagram of the scores with bins bins
// (sklearn.calibration.calibration_curve with n_bins = bins). Scores must
// be probabilities in [0, 1] (scikit-learn raises otherwise); bins must be
// at least 1.
func (r *Ranking) Calibration(bins int, how Binning) ([]CalibrationBin, error) {
	if bins < 1 {
		return nil, fmt.Errorf("metrics: calibration needs at least 1 bin, got %d", bins)
	}
	n := len(r.Score)
	if n == 0 {
		return nil, fmt.Errorf("metrics: calibration of no rows")
	}
	if r.Score[n-1] < 0 || r.Score[0] > 1 {
		return nil, fmt.Errorf("metrics: calibration needs probabilities in [0, 1], scores span [%g, %g]", r.Score[n-1], r.Score[0])
	}
	edges := make([]float64, bins+1)
	switch how {
	case Uniform:
		// numpy.linspace(0, 1, bins+1): i·(1/bins), the last set to 1
		step := 1 / float64(bins)
		for i := range edges {
			edges[i] = float64(i) * step
		}
		edges[bins] = 1
	case QuantileBins:
		asc := slices.Clone(r.Score)
		slices.Reverse(asc)
		for i := range edges {
			edges[i] = stats.Quantile(float64(i)/float64(bins), asc)
		}
	default:
		return nil, fmt.Errorf("metrics: unknown binning %d", how)
	}
	inner := edges[1:bins]
	out := make([]CalibrationBin, bins)
	sum := make([]float64, bins)
	pos := make([]float64, bins)
	for k, s := range r.Score {
		// numpy.searchsorted(inner, s, side='left'): inner edges < s
		b := sort.SearchFloat64s(inner, s)
		wt := 1.0
		if r.w != nil {
			wt = r.w[k]
		}
		out[b].Count += wt
		sum[b] += wt * s
		if r.Y[k] {
			pos[b] += wt
		}
	}
	for b := range out {
		out[b].Lo, out[b].Hi = edges[b], edges[b+1]
		out[b].MeanPredicted = divNaN(sum[b], out[b].Count)
		out[b].FractionPositive = divNaN(pos[b], out[b].Count)
	}
	return out, nil
}

// ECE returns the expected calibration error of the bins,
// Σ_b (n_b/n)·|FractionPositive_b − MeanPredicted_b| over non-empty bins
// (Naeini et al. 2015), NaN when all bins are empty.
func ECE(bins []CalibrationBin) float64 {
	var e, n float64
	for _, b := range bins {
		if b.Count > 0 {
			e += b.Count * math.Abs(b.FractionPositive-b.MeanPredicted)
			n += b.Count
		}
	}
	return divNaN(e, n)
}
