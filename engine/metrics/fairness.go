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
