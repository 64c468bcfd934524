package metrics

import "math"

// Counts is a binary confusion matrix. The fields are (weighted) counts of
// rows: TP true positives, FP false positives, FN false negatives, TN true
// negatives.
type Counts struct {
	TP float64 `json:"tp"`
	FP float64 `json:"fp"`
	FN float64 `json:"fn"`
	TN float64 `json:"tn"`
}

// N returns the number of rows, TP+FP+FN+TN.
func (c Counts) N() float64 { return c.TP + c.FP + c.FN + c.TN }

// Positives returns the actual positives, TP+FN.
func (c Counts) Positives() float64 { return c.TP + c.FN }

// Negatives returns the actual negatives, FP+TN.
func (c Counts) Negatives() float64 { return c.FP + c.TN }

// PredictedPositives returns TP+FP.
func (c Counts) PredictedPositives() float64 { return c.TP + c.FP }

// div returns a/b, or 0 when b is 0 (scikit-learn's zero_division="warn").
func div(a, b float64) float64 {
	if b == 0 {
		return 0
	}
	return a / b
}

// divNaN returns a/b, or NaN when b is 0.
func divNaN(a, b float64) float64 {
	if b == 0 {
		return math.NaN()
	}
	return a / b
}

// Accuracy returns (TP+TN)/N, NaN when N = 0.
func (c Counts) Accuracy() float64 { return divNaN(c.TP+c.TN, c.N()) }

// Precision returns TP/(TP+FP), 0 when nothing is predicted positive
// (scikit-learn's zero_division default).
func (c Counts) Precision() float64 { return div(c.TP, c.TP+c.FP) }

// Recall returns the true positive rate TP/(TP+FN), 0 when there are no
// positives (scikit-learn's zero_division default).
func (c Counts) Recall() float64 { return div(c.TP, c.TP+c.FN) }

// F1 returns 2PR/(P+R) from Precision and Recall, 0 when both are 0 (as
// scikit-learn 1.2 computes it).
func (c Counts) F1() float64 {
	p, r := c.Precision(), c.Recall()
	return div(2*p*r, p+r)
}

// TPR returns TP/(TP+FN), NaN when there are no positives.
func (c Counts) TPR() float64 { return divNaN(c.TP, c.TP+c.FN) }

// FPR returns FP/(FP+TN), NaN when there are no negatives.
func (c Counts) FPR() float64 { return divNaN(c.FP, c.FP+c.TN) }

// Specificity returns TN/(TN+FP), NaN when there are no negatives.
func (c Counts) Specificity() float64 { return divNaN(c.TN, c.TN+c.FP) }

// SelectionRate returns (TP+FP)/N, the share predicted positive (Fairlearn's
// selection_rate), NaN when N = 0.
func (c Counts) SelectionRate() float64 { return divNaN(c.TP+c.FP, c.N()) }

// BalancedAccuracy returns the mean recall over the classes present in
// y_true, as sklearn.metrics.balanced_accuracy_score: (TPR+TNR)/2, or the
// recall of the only class present.
func (c Counts) BalancedAccuracy() float64 {
	var s, k float64
	if p := c.Positives(); p > 0 {
		s += c.TP / p
		k++
	}
	if n := c.Negatives(); n > 0 {
		s += c.TN / n
		k++
	}
	return divNaN(s, k)
}

// MCC returns the Matthews correlation coefficient as
// sklearn.metrics.matthews_corrcoef computes it, 0 when a margin is empty:
//
//	MCC = (TP·TN − FP·FN) / √((TP+FP)(TP+FN)(TN+FP)(TN+FN))
//
// evaluated, as scikit-learn does, through the k-class form in Confusion.MCC.
func (c Counts) MCC() float64 { return c.Confusion().MCC() }

// Kappa returns Cohen's kappa (sklearn.metrics.cohen_kappa_score), NaN when
// the expected disagreement is 0.
func (c Counts) Kappa() float64 { return c.Confusion().Kappa() }

// Confusion returns c as a 2-class Confusion with labels "0" and "1".
func (c Counts) Confusion() *Confusion {
	return &Confusion{Labels: []string{"0", "1"}, M: []float64{c.TN, c.FP, c.FN, c.TP}}
}
