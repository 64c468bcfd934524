package metrics

import (
	"fmt"
	"math"
	"strings"
)

// Confusion is a k-class confusion matrix: M[i*k+j] is the (weighted)
// number of rows whose true class is Labels[i] and predicted class
// Labels[j], as sklearn.metrics.confusion_matrix lays it out (rows true,
// columns predicted).
type Confusion struct {
	Labels []string
	M      []float64
}

// NewConfusion counts the pairs (yTrue[r], yPred[r]) of class indices into
// labels, each with weight w[r] (w nil: 1). Indices outside [0, len(labels))
// are programmer errors and panic.
func NewConfusion(labels []string, yTrue, yPred []int32, w []float64) *Confusion {
	if len(yTrue) != len(yPred) || (w != nil && len(w) != len(yTrue)) {
		panic("metrics: NewConfusion length mismatch")
	}
	k := len(labels)
	c := &Confusion{Labels: labels, M: make([]float64, k*k)}
	if w == nil {
		for r, t := range yTrue {
			c.M[int(t)*k+int(yPred[r])]++
		}
		return c
	}
	for r, t := range yTrue {
		c.M[int(t)*k+int(yPred[r])] += w[r]
	}
	return c
}

// K returns the number of classes.
func (c *Confusion) K() int { return len(c.Labels) }

// At returns the count of true class i predicted as j.
func (c *Confusion) At(i, j int) float64 { return c.M[i*c.K()+j] }

// Support returns the number of rows whose true class is i.
func (c *Confusion) Support(i int) float64 {
	k := c.K()
	var s float64
	for j := range k {
		s += c.M[i*k+j]
	}
	return s
}

// Predicted returns the number of rows predicted as class j.
func (c *Confusion) Predicted(j int) float64 {
	k := c.K()
	var s float64
	for i := range k {
		s += c.M[i*k+j]
	}
	return s
}

// Total returns the number of rows.
func (c *Confusion) Total() float64 {
	var s float64
	for _, v := range c.M {
		s += v
	}
	return s
}

// Binary returns the one-vs-rest counts of class pos.
func (c *Confusion) Binary(pos int) Counts {
	tp := c.At(pos, pos)
	sup, pred, n := c.Support(pos), c.Predicted(pos), c.Total()
	return Counts{TP: tp, FP: pred - tp, FN: sup - tp, TN: n - sup - pred + tp}
}

// Accuracy returns the share of rows on the diagonal
// (sklearn.metrics.accuracy_score), NaN for an empty matrix.
func (c *Confusion) Accuracy() float64 {
	k := c.K()
	var d float64
	for i := range k {
		d += c.M[i*k+i]
	}
	return divNaN(d, c.Total())
}

// BalancedAccuracy returns the mean per-class recall over the classes that
// occur in y_true (sklearn.metrics.balanced_accuracy_score, adjusted=False).
// Classes predicted but absent from y_true are left out, and scikit-learn
// warns "y_pred contains classes not in y_true"; the warning is returned.
func (c *Confusion) BalancedAccuracy() (float64, []string) {
	var s float64
	var n int
	var warn []string
	for i := range c.K() {
		sup := c.Support(i)
		if sup == 0 {
			if c.Predicted(i) > 0 {
				warn = append(warn, fmt.Sprintf("balanced_accuracy: y_pred contains class %q, which is not in y_true", c.Labels[i]))
			}
			continue
		}
		s += c.At(i, i) / sup
		n++
	}
	return divNaN(s, float64(n)), warn
}

// Average is how per-class precision, recall and F1 are combined, as the
// average parameter of sklearn.metrics.precision_recall_fscore_support.
type Average int

// The averages.
const (
	// Binary reports the positive class only.
	Binary Average = iota
	// Macro is the unweighted mean over classes.
	Macro
	// Micro computes the ratios from the counts summed over classes.
	Micro
	// Weighted is the mean over classes weighted by their support.
	Weighted
)

func (a Average) String() string {
	switch a {
	case Binary:
		return "binary"
	case Macro:
		return "macro"
	case Micro:
		return "micro"
	case Weighted:
		return "weighted"
	}
	return fmt.Sprintf("Average(%d)", int(a))
}

// PRF holds precision, recall and F1.
type PRF struct {
	Precision, Recall, F1 float64
}

// ClassPRF returns precision, recall and F1 of class i one-vs-rest, with
// scikit-learn's zero_division default (0 for 0/0) and F1 = 2PR/(P+R) or 0.
func (c *Confusion) ClassPRF(i int) PRF {
	b := c.Binary(i)
	return PRF{b.Precision(), b.Recall(), b.F1()}
}

// Scores returns precision, recall and F1 averaged as avg (pos is the
// positive class index for Binary and ignored otherwise), with the
// warnings scikit-learn 1.2 raises for ill-defined values (0/0 set to 0).
//
//	macro:    mean over classes of P_i, R_i, F_i
//	weighted: Σ s_i·P_i / Σ s_i (s_i the support; 0 when Σ s_i = 0)
//	micro:    P = Σ TP_i / Σ (TP_i+FP_i), R = Σ TP_i / Σ (TP_i+FN_i), F = 2PR/(P+R)
func (c *Confusion) Scores(avg Average, pos int) (PRF, []string) {
	k := c.K()
	var warn []string
	var noPred, noTrue []string
	for i := range k {
		if avg == Binary && i != pos {
			continue
		}
		if c.Predicted(i) == 0 {
			noPred = append(noPred, c.Labels[i])
		}
		if c.Support(i) == 0 {
			noTrue = append(noTrue, c.Labels[i])
		}
	}
	switch avg {
	case Binary:
		b := c.Binary(pos)
		if len(noPred) > 0 {
			warn = append(warn, "precision is ill-defined and set to 0.0: no predicted positives (scikit-learn's zero_division default)")
		}
		if len(noTrue) > 0 {
			warn = append(warn, "recall is ill-defined and set to 0.0: no true positives in y_true (scikit-learn's zero_division default)")
		}
		return PRF{b.Precision(), b.Recall(), b.F1()}, warn
	case Micro:
		var tp, pred, sup float64
		for i := range k {
			tp += c.At(i, i)
			pred += c.Predicted(i)
			sup += c.Support(i)
		}
		p, r := div(tp, pred), div(tp, sup)
		return PRF{p, r, div(2*p*r, p+r)}, nil
	}
	if len(noPred) > 0 {
		warn = append(warn, fmt.Sprintf("precision (%s) is ill-defined and set to 0.0 in labels with no predicted samples: %s", avg, strings.Join(quoteAll(noPred), ", ")))
	}
	if len(noTrue) > 0 {
		warn = append(warn, fmt.Sprintf("recall (%s) is ill-defined and set to 0.0 in labels with no true samples: %s", avg, strings.Join(quoteAll(noTrue), ", ")))
	}
	var out PRF
	var wsum float64
	for i := range k {
		s := c.ClassPRF(i)
		wi := 1.0
		if avg == Weighted {
			wi = c.Support(i)
		}
		out.Precision += wi * s.Precision
		out.Recall += wi * s.Recall
		out.F1 += wi * s.F1
		wsum += wi
	}
	if wsum == 0 {
		return PRF{}, warn
	}
	out.Precision /= wsum
	out.Recall /= wsum
	out.F1 /= wsum
	return out, warn
}

func quoteAll(s []string) []string {
	out := make([]string, len(s))
	for i, v := range s {
		out[i] = fmt.Sprintf("%q", v)
	}
	return out
}

// MCC returns the Matthews correlation coefficient in its k-class form, as
// sklearn.metrics.matthews_corrcoef (Gorodkin 2004): with t the true and p
// the predicted class totals, c the trace and s the total,
//
//	MCC = (c·s − t·p) / √((s² − p·p)(s² − t·t))
//
// and 0 when the denominator is 0.
func (c *Confusion) MCC() float64 {
	k := c.K()
	var tp, pp, tt, corr, s float64
	for i := range k {
		t, p := c.Support(i), c.Predicted(i)
		tp += t * p
		pp += p * p
		tt += t * t
		corr += c.At(i, i)
		s += t
	}
	cov := corr*s - tp
	den := (s*s - pp) * (s*s - tt)
	if den == 0 {
		return 0
	}
	return cov / math.Sqrt(den)
}

// Kappa returns Cohen's kappa, sklearn.metrics.cohen_kappa_score without
// weights: with E = outer(column totals, row totals)/s the expected matrix,
//
//	κ = 1 − Σ_{i≠j} M_ij / Σ_{i≠j} E_ij
//
// NaN when the expected disagreement Σ_{i≠j} E_ij is 0 (scikit-learn
// divides by zero and returns nan).
func (c *Confusion) Kappa() float64 {
	k := c.K()
	s := c.Total()
	if s == 0 {
		return math.NaN()
	}
	col := make([]float64, k)
	row := make([]float64, k)
	for i := range k {
		row[i] = c.Support(i)
		col[i] = c.Predicted(i)
	}
	var obs, exp float64
	for i := range k {
		for j := range k {
			if i == j {
				continue
			}
			obs += c.M[i*k+j]
			exp += col[i] * row[j] / s
		}
	}
	if exp == 0 {
		return math.NaN()
	}
	return 1 - obs/exp
}

// ClassRow is one line of the per-class report
// (sklearn.metrics.classification_report), with the class's one-vs-rest
// ROC AUC when probabilities were given (NaN otherwise or when undefined).
type ClassRow struct {
	Label     string  `json:"label"`
	Precision float64 `json:"precision"`
	Recall    float64 `json:"recall"`
	F1        float64 `json:"f1"`
	Support   float64 `json:"support"`
	Predicted float64 `json:"predicted"`
	ROCAUC    float64 `json:"roc_auc"`
}

// Report returns one ClassRow per class, in label order, ROCAUC NaN.
func (c *Confusion) Report() []ClassRow {
	out := make([]ClassRow, c.K())
	for i, l := range c.Labels {
		s := c.ClassPRF(i)
		out[i] = ClassRow{Label: l, Precision: s.Precision, Recall: s.Recall, F1: s.F1,
			Support: c.Support(i), Predicted: c.Predicted(i), ROCAUC: math.NaN()}
	}
	return out
}
