package metrics

import (
	"fmt"
	"math"
)

// GroupRow is one group of a sensitive column: its number of rows and the
// rates of the binary predictions within it (NaN where undefined: TPR with
// no positives, FPR with no negatives; precision with no predicted
// positives is 0 as scikit-learn's precision_score).
type GroupRow struct {
	Group         string  `json:"group"`
	Count         float64 `json:"count"`
	SelectionRate float64 `json:"selection_rate"`
	TPR           float64 `json:"tpr"`
	FPR           float64 `json:"fpr"`
	Precision     float64 `json:"precision"`
	Accuracy      float64 `json:"accuracy"`
}

// FourFifths is the disparate-impact ratio below which the "four-fifths
// rule" (US EEOC Uniform Guidelines, 29 CFR 1607.4(D)) flags adverse impact.
const FourFifths = 0.8

// FairnessReport compares the groups of one sensitive column with
// Fairlearn's definitions (fairlearn.metrics, between_groups method):
//
//	demographic parity difference = max_g SR_g − min_g SR_g   (SR: selection rate)
//	demographic parity ratio      = min_g SR_g / max_g SR_g
//	equal opportunity difference  = max_g TPR_g − min_g TPR_g
//	equalized odds difference     = max(TPR gap, FPR gap)
//
// Fairlearn computes TPR and FPR from confusion_matrix(normalize="true"),
// which sets a rate to 0 in a group without positives (or negatives); the
// gaps here do the same, so they equal Fairlearn's, and a warning names
// such groups (their GroupRow rates are NaN).
type FairnessReport struct {
	Column                      string     `json:"column"`
	Groups                      []GroupRow `json:"groups"`
	DemographicParityDifference float64    `json:"demographic_parity_difference"`
	DemographicParityRatio      float64    `json:"demographic_parity_ratio"`
	// FourFifthsViolated reports DemographicParityRatio < 0.8.
	FourFifthsViolated         bool     `json:"four_fifths_violated"`
	EqualizedOddsDifference    float64  `json:"equalized_odds_difference"`
	EqualOpportunityDifference float64  `json:"equal_opportunity_difference"`
	Warnings                   []string `json:"warnings,omitempty"`
}

// Fairness compares the groups of a sensitive column. y and pred report
// whether each row is positive and predicted positive; group holds each
// row's index into levels, or −1 for a missing value, which forms its own
// group named "NA". Empty groups are left out.
func Fairness(column string, y, pred []bool, group []int32, levels []string) (*FairnessReport, error) {
	if len(y) != len(pred) || len(y) != len(group) {
		return nil, fmt.Errorf("%w: %d labels, %d predictions, %d group values", ErrLength, len(y), len(pred), len(group))
	}
	k := len(levels)
	cnt := make([]Counts, k+1) // the last is NA
	for r := range y {
		g := int(group[r])
		if g < 0 || g >= k {
			if g != -1 {
				return nil, fmt.Errorf("%w: group index %d of row %d outside [0, %d)", ErrInput, g, r+1, k)
			}
			g = k
		}
		c := &cnt[g]
		switch {
		case y[r] && pred[r]:
			c.TP++
		case pred[r]:
			c.FP++
		case y[r]:
			c.FN++
		default:
			c.TN++
		}
	}
	rep := &FairnessReport{Column: column}
	srLo, srHi := math.Inf(1), math.Inf(-1)
	tLo, tHi, fLo, fHi := math.Inf(1), math.Inf(-1), math.Inf(1), math.Inf(-1)
	for g, c := range cnt {
		if c.N() == 0 {
			continue
		}
		name := "NA"
		if g < k {
			name = levels[g]
		}
		row := GroupRow{Group: name, Count: c.N(), SelectionRate: c.SelectionRate(), TPR: c.TPR(), FPR: c.FPR(),
			Precision: c.Precision(), Accuracy: c.Accuracy()}
		rep.Groups = append(rep.Groups, row)
		tpr, fpr := row.TPR, row.FPR
		if math.IsNaN(tpr) {
			tpr = 0
			rep.Warnings = append(rep.Warnings, fmt.Sprintf("%s=%s has no positives: its TPR is undefined and counts as 0 in the gaps, as in Fairlearn", column, name))
		}
		if math.IsNaN(fpr) {
			fpr = 0
			rep.Warnings = append(rep.Warnings, fmt.Sprintf("%s=%s has no negatives: its FPR is undefined and counts as 0 in the gaps, as in Fairlearn", column, name))
		}
		srLo, srHi = min(srLo, row.SelectionRate), max(srHi, row.SelectionRate)
		tLo, tHi = min(tLo, tpr), max(tHi, tpr)
		fLo, fHi = min(fLo, fpr), max(fHi, fpr)
	}
	if len(rep.Groups) == 0 {
		nan := math.NaN()
		rep.DemographicParityDifference, rep.DemographicParityRatio = nan, nan
		rep.EqualizedOddsDifference, rep.EqualOpportunityDifference = nan, nan
		return rep, nil
	}
	rep.DemographicParityDifference = srHi - srLo
	rep.DemographicParityRatio = divNaN(srLo, srHi)
	if srHi == 0 {
		rep.DemographicParityRatio = math.NaN() // 0/0: nobody selected anywhere
	}
	rep.FourFifthsViolated = rep.DemographicParityRatio < FourFifths
	rep.EqualOpportunityDifference = tHi - tLo
	rep.EqualizedOddsDifference = max(tHi-tLo, fHi-fLo)
	return rep, nil
}

// Fairness compares the groups of a sensitive column on the report's binary
// predictions (labels, or scores at the report's threshold).
func (r *Report) Fairness(column string, group []int32, levels []string) (*FairnessReport, error) {
	y, pred, err := r.binaryRows()
	if err != nil {
		return nil, err
	}
	return Fairness(column, y, pred, group, levels)
}

// binaryRows returns, per row, whether it is positive and predicted
// positive.
func (r *Report) binaryRows() (y, pred []bool, err error) {
	in := r.in
	if r.Task != BinaryTask {
		return nil, nil, fmt.Errorf("%w: fairness needs a binary task, not %s", ErrInput, r.Task)
	}
	pos := int32(in.Pos)
	y = make([]bool, len(in.True))
	pred = make([]bool, len(in.True))
	for i, c := range in.True {
		y[i] = c == pos
		if in.Pred != nil {
			pred[i] = in.Pred[i] == pos
		} else {
			pred[i] = in.Score[i] >= r.Threshold
		}
	}
	return y, pred, nil
}

// ClassFairnessReport extends the binary fairness measures to a multiclass
// task one-vs-rest: for every class k, each row is positive when its true
// class is k and predicted positive when its predicted class is k, and
// FairnessReport is computed on that binary problem (PerClass[k]: per group
// the selection rate P(ŷ = k), TPR P(ŷ = k | y = k) and FPR
// P(ŷ = k | y ≠ k)). The summary is the worst class: the maximum over
// classes of the demographic parity, equalized odds and equal opportunity
// differences, and the minimum over classes of the demographic parity
// ratio (classes where a value is undefined are skipped; NaN when all are).
// Fairlearn defines these differences for binary predictions only; this is
// the usual one-vs-rest reading (as fairlearn's MetricFrame over one
// binarised column per class).
type ClassFairnessReport struct {
	Column                      string            `json:"column"`
	Classes                     []string          `json:"classes"`
	PerClass                    []*FairnessReport `json:"per_class"`
	DemographicParityDifference float64           `json:"demographic_parity_difference"`
	DemographicParityRatio      float64           `json:"demographic_parity_ratio"`
	FourFifthsViolated          bool              `json:"four_fifths_violated"`
	EqualizedOddsDifference     float64           `json:"equalized_odds_difference"`
	EqualOpportunityDifference  float64           `json:"equal_opportunity_difference"`
	Warnings                    []string          `json:"warnings,omitempty"`
}

// ClassFairness compares the groups of a sensitive column on multiclass
// predictions one-vs-rest (see ClassFairnessReport). truth and pred are
// class indices into classes; group as in Fairness.
func ClassFairness(column string, truth, pred []int32, classes []string, group []int32, levels []string) (*ClassFairnessReport, error) {
	if len(truth) != len(pred) || len(truth) != len(group) {
		return nil, fmt.Errorf("%w: %d labels, %d predictions, %d group values", ErrLength, len(truth), len(pred), len(group))
	}
	rep := &ClassFairnessReport{Column: column, Classes: classes}
	y, p := make([]bool, len(truth)), make([]bool, len(truth))
	nan := math.NaN()
	rep.DemographicParityDifference, rep.DemographicParityRatio = nan, nan
	rep.EqualizedOddsDifference, rep.EqualOpportunityDifference = nan, nan
	worst := func(cur *float64, v float64, larger bool) {
		if math.IsNaN(v) {
			return
		}
		if math.IsNaN(*cur) || larger && v > *cur || !larger && v < *cur {
			*cur = v
		}
	}
	for k := range classes {
		for i := range truth {
			y[i], p[i] = truth[i] == int32(k), pred[i] == int32(k)
		}
		fr, err := Fairness(column, y, p, group, levels)
		if err != nil {
			return nil, err
		}
		for _, w := range fr.Warnings {
			rep.Warnings = append(rep.Warnings, "class "+classes[k]+": "+w)
		}
		rep.PerClass = append(rep.PerClass, fr)
		worst(&rep.DemographicParityDifference, fr.DemographicParityDifference, true)
		worst(&rep.DemographicParityRatio, fr.DemographicParityRatio, false)
		worst(&rep.EqualizedOddsDifference, fr.EqualizedOddsDifference, true)
		worst(&rep.EqualOpportunityDifference, fr.EqualOpportunityDifference, true)
	}
	rep.FourFifthsViolated = rep.DemographicParityRatio < FourFifths
	return rep, nil
}

// RegressionGroup is one group of a sensitive column of a regression: its
// rows, the mean prediction, the mean target and the mean absolute error.
type RegressionGroup struct {
	Group          string  `json:"group"`
	Count          float64 `json:"count"`
	MeanPrediction float64 `json:"mean_prediction"`
	MeanTarget     float64 `json:"mean_target"`
	MAE            float64 `json:"mae"`
}

// RegressionFairnessReport compares the groups of one sensitive column of a
// regression, as fairlearn's MetricFrame(metrics={"mean_prediction",
// "mean_absolute_error"}).difference(method="between_groups") does: the
// largest minus the smallest group value of the mean prediction (the
// regression analogue of demographic parity) and of the MAE (of equalized
// error).
type RegressionFairnessReport struct {
	Column                   string            `json:"column"`
	Groups                   []RegressionGroup `json:"groups"`
	MeanPredictionDifference float64           `json:"mean_prediction_difference"`
	MAEDifference            float64           `json:"mae_difference"`
}

// RegressionFairness compares the groups of a sensitive column on a
// regression's targets y and predictions pred; group as in Fairness.
func RegressionFairness(column string, y, pred []float64, group []int32, levels []string) (*RegressionFairnessReport, error) {
	if len(y) != len(pred) || len(y) != len(group) {
		return nil, fmt.Errorf("%w: %d targets, %d predictions, %d group values", ErrLength, len(y), len(pred), len(group))
	}
	k := len(levels)
	n := make([]float64, k+1)
	sp, sy, sa := make([]float64, k+1), make([]float64, k+1), make([]float64, k+1)
	for r := range y {
		g := int(group[r])
		if g < 0 || g >= k {
			if g != -1 {
				return nil, fmt.Errorf("%w: group index %d of row %d outside [0, %d)", ErrInput, g, r+1, k)
			}
			g = k
		}
		n[g]++
		sp[g] += pred[r]
		sy[g] += y[r]
		sa[g] += math.Abs(y[r] - pred[r])
	}
	rep := &RegressionFairnessReport{Column: column, MeanPredictionDifference: math.NaN(), MAEDifference: math.NaN()}
	pLo, pHi, aLo, aHi := math.Inf(1), math.Inf(-1), math.Inf(1), math.Inf(-1)
	for g := range n {
		if n[g] == 0 {
			continue
		}
		name := "NA"
		if g < k {
			name = levels[g]
		}
		row := RegressionGroup{Group: name, Count: n[g], MeanPrediction: sp[g] / n[g], MeanTarget: sy[g] / n[g], MAE: sa[g] / n[g]}
		rep.Groups = append(rep.Groups, row)
		pLo, pHi = min(pLo, row.MeanPrediction), max(pHi, row.MeanPrediction)
		aLo, aHi = min(aLo, row.MAE), max(aHi, row.MAE)
	}
	if len(rep.Groups) > 0 {
		rep.MeanPredictionDifference, rep.MAEDifference = pHi-pLo, aHi-aLo
	}
	return rep, nil
}
