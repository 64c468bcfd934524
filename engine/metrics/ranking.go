package metrics

import (
	"context"
	"errors"
	"fmt"
	"math"
	"sort"

	"github.com/mlwb/mlwb/engine/stats"
)

// ErrLength is returned when paired inputs differ in length.
var ErrLength = errors.New("metrics: inputs differ in length")

// Ranking is a binary problem — true labels with a score that is higher for
// the positive class (a probability, or any decision value) — sorted once by
// decreasing score. The distinct scores are the candidate thresholds; a row
// is predicted positive at threshold t when its score ≥ t (the convention of
// scikit-learn's roc_curve and precision_recall_curve). For each distinct
// score s_g, in decreasing order, Ranking keeps the cumulative counts of
// positives TP_g and negatives FP_g with score ≥ s_g (scikit-learn's
// _binary_clf_curve), from which every ranking metric and curve follows in
// O(#distinct) and the confusion matrix at any threshold in O(log n).
//
// A Ranking is read-only after construction and safe for concurrent use.
type Ranking struct {
	// Y and Score are the rows in decreasing score order ("positions").
	Y     []bool
	Score []float64
	// Order maps a position to the row it came from.
	Order []int32

	thr    []float64 // distinct scores, decreasing
	ends   []int32   // ends[g]: positions with score ≥ thr[g]
	tp, fp []float64 // cumulative (weighted) positives and negatives at ends[g]
	w      []float64 // per-position weights, nil for 1
}

// NewRanking sorts the rows by decreasing score. y[r] reports whether row r
// is positive. It returns ErrLength when the lengths differ and an error
// when a score is NaN (scikit-learn rejects NaN input). Cancelling ctx stops
// it before the sort.
func NewRanking(ctx context.Context, y []bool, score []float64) (*Ranking, error) {
	if len(y) != len(score) {
		return nil, fmt.Errorf("%w: %d labels, %d scores", ErrLength, len(y), len(score))
	}
	for r, s := range score {
		if s != s {
			return nil, fmt.Errorf("metrics: score of row %d is NaN", r+1)
		}
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	n := len(score)
	if n >= math.MaxInt32 {
		return nil, fmt.Errorf("metrics: %d rows is too many (at most %d)", n, math.MaxInt32-1)
	}
	idx := make([]int32, n)
	asc := stats.Argsort(score, idx)
	r := &Ranking{Y: make([]bool, n), Score: make([]float64, n), Order: make([]int32, n)}
	for k := range n {
		j := n - 1 - k
		r.Score[k] = asc[j]
		r.Order[k] = idx[j]
		r.Y[k] = y[idx[j]]
	}
	for k := 0; k < n; k++ {
		if k+1 == n || r.Score[k+1] != r.Score[k] {
			r.thr = append(r.thr, r.Score[k])
			r.ends = append(r.ends, int32(k+1))
		}
	}
	r.count()
	return r, nil
}

// count fills the cumulative counts from Y and w.
func (r *Ranking) count() {
	g := len(r.thr)
	r.tp = make([]float64, g)
	r.fp = make([]float64, g)
	var tp, fp float64
	k := 0
	for i, e := range r.ends {
		if r.w == nil {
			for ; k < int(e); k++ {
				if r.Y[k] {
					tp++
				} else {
					fp++
				}
			}
		} else {
			for ; k < int(e); k++ {
				if r.Y[k] {
					tp += r.w[k]
				} else {
					fp += r.w[k]
				}
			}
		}
		r.tp[i], r.fp[i] = tp, fp
	}
}

// Weighted returns the Ranking with weight w[k] on position k (not row: see
// Order), sharing the sort; it costs O(n). Bootstrap replicates use it.
func (r *Ranking) Weighted(w []float64) *Ranking {
	if len(w) != len(r.Y) {
		panic("metrics: Weighted length mismatch")
	}
	c := *r
	c.w = w
	c.count()
	return &c
}

// Len returns the number of rows.
func (r *Ranking) Len() int { return len(r.Y) }

// Positives returns the (weighted) number of positive rows.
func (r *Ranking) Positives() float64 {
	if len(r.tp) == 0 {
		return 0
	}
	return r.tp[len(r.tp)-1]
}

// Negatives returns the (weighted) number of negative rows.
func (r *Ranking) Negatives() float64 {
	if len(r.fp) == 0 {
		return 0
	}
	return r.fp[len(r.fp)-1]
}

// Thresholds returns the distinct scores in decreasing order (shared; do not
// modify).
func (r *Ranking) Thresholds() []float64 { return r.thr }

// CountsAtIndex returns the confusion matrix when the rows with score ≥
// Thresholds()[g] are predicted positive; g = −1 predicts none positive.
func (r *Ranking) CountsAtIndex(g int) Counts {
	P, N := r.Positives(), r.Negatives()
	if g < 0 {
		return Counts{FN: P, TN: N}
	}
	tp, fp := r.tp[g], r.fp[g]
	return Counts{TP: tp, FP: fp, FN: P - tp, TN: N - fp}
}

// At returns the confusion matrix with rows whose score ≥ t predicted
// positive, in O(log n).
func (r *Ranking) At(t float64) Counts {
	// number of distinct scores ≥ t
	g := sort.Search(len(r.thr), func(i int) bool { return !(r.thr[i] >= t) })
	return r.CountsAtIndex(g - 1)
}

// PredictedPositive returns how many positions (from the top) are predicted
// positive at threshold t: the rows Order[:k].
func (r *Ranking) PredictedPositive(t float64) int {
	g := sort.Search(len(r.thr), func(i int) bool { return !(r.thr[i] >= t) })
	if g == 0 {
		return 0
	}
	return int(r.ends[g-1])
}

// ROCAUC returns the area under the ROC curve by the trapezoidal rule over
// all distinct thresholds, as sklearn.metrics.roc_auc_score (tied scores
// form one diagonal step, i.e. count ½):
//
//	AUC = Σ_g (FPR_g − FPR_{g−1})(TPR_g + TPR_{g−1})/2,   FPR_{−1} = TPR_{−1} = 0
//
// It is NaN when y_true holds one class only (scikit-learn raises).
func (r *Ranking) ROCAUC() float64 {
	P, N := r.Positives(), r.Negatives()
	if P == 0 || N == 0 {
		return math.NaN()
	}
	var area, x0, y0 float64
	for g := range r.thr {
		x, y := r.fp[g]/N, r.tp[g]/P
		area += (x - x0) * (y + y0) / 2
		x0, y0 = x, y
	}
	return area
}

// AveragePrecision returns sklearn.metrics.average_precision_score: the
// step-wise (not interpolated) area under the precision–recall curve,
//
//	AP = Σ_g (R_g − R_{g−1}) P_g,   R_{−1} = 0,
//
// with P_g = TP_g/(TP_g+FP_g) and R_g = TP_g/TP. With no positives
// scikit-learn sets recall to 1 everywhere and returns 0; so does this.
func (r *Ranking) AveragePrecision() float64 {
	P := r.Positives()
	if P == 0 {
		return 0
	}
	var ap, r0 float64
	for g := range r.thr {
		rec := r.tp[g] / P
		prec := div(r.tp[g], r.tp[g]+r.fp[g])
		ap += (rec - r0) * prec
		r0 = rec
	}
	return ap
}

// ROCPoint is one point of the ROC curve: at scores ≥ Threshold predicted
// positive, the false and true positive rates.
type ROCPoint struct {
	Threshold float64 `json:"threshold"`
	FPR       float64 `json:"fpr"`
	TPR       float64 `json:"tpr"`
}

// ROC returns the ROC curve as sklearn.metrics.roc_curve: it starts at
// (0, 0) with threshold max score + 1 (scikit-learn 1.2's convention), then
// one point per distinct score; with dropIntermediate, points collinear
// with their neighbours in count space are dropped (scikit-learn's default).
// Rates are NaN when a class is absent.
func (r *Ranking) ROC(dropIntermediate bool) []ROCPoint {
	P, N := r.Positives(), r.Negatives()
	G := len(r.thr)
	keep := func(g int) bool {
		if !dropIntermediate || G <= 2 || g == 0 || g == G-1 {
			return true
		}
		return r.fp[g-1]-2*r.fp[g]+r.fp[g+1] != 0 || r.tp[g-1]-2*r.tp[g]+r.tp[g+1] != 0
	}
	out := make([]ROCPoint, 0, G+1)
	if G == 0 {
		return out
	}
	out = append(out, ROCPoint{Threshold: r.thr[0] + 1, FPR: divNaN(0, N), TPR: divNaN(0, P)})
	for g := range G {
		if keep(g) {
			out = append(out, ROCPoint{Threshold: r.thr[g], FPR: divNaN(r.fp[g], N), TPR: divNaN(r.tp[g], P)})
		}
	}
	return out
}

// PRPoint is one point of the precision–recall curve.
type PRPoint struct {
	Threshold float64 `json:"threshold"`
	Precision float64 `json:"precision"`
	Recall    float64 `json:"recall"`
}

// PR returns the precision–recall curve in scikit-learn 1.2's order
// (sklearn.metrics.precision_recall_curve): one point per distinct score in
// increasing threshold order (recall decreasing), then the end point
// (precision 1, recall 0), which scikit-learn gives no threshold; here its
// Threshold is the next float above the highest score, where nothing is
// predicted positive.
// Precision with nothing predicted is 0; recall with no positives is 1.
func (r *Ranking) PR() []PRPoint {
	P := r.Positives()
	G := len(r.thr)
	out := make([]PRPoint, 0, G+1)
	for g := G - 1; g >= 0; g-- {
		rec := 1.0
		if P > 0 {
			rec = r.tp[g] / P
		}
		out = append(out, PRPoint{Threshold: r.thr[g], Precision: div(r.tp[g], r.tp[g]+r.fp[g]), Recall: rec})
	}
	top := math.Inf(1)
	if G > 0 {
		top = math.Nextafter(r.thr[0], math.Inf(1))
	}
	return append(out, PRPoint{Threshold: top, Precision: 1, Recall: 0})
}

// KS returns the Kolmogorov–Smirnov statistic between the score
// distributions of the positives and the negatives,
//
//	D = max_g |TPR_g − FPR_g|
//
// (scipy.stats.ks_2samp(scores of positives, scores of negatives)
// .statistic), and the threshold where it is reached. Both are NaN when a
// class is absent.
func (r *Ranking) KS() (d, threshold float64) {
	P, N := r.Positives(), r.Negatives()
	if P == 0 || N == 0 {
		return math.NaN(), math.NaN()
	}
	threshold = math.NaN()
	for g := range r.thr {
		if v := math.Abs(r.tp[g]/P - r.fp[g]/N); v > d {
			d, threshold = v, r.thr[g]
		}
	}
	return d, threshold
}

// GainPoint is one point of the cumulative gain and lift charts: targeting
// the top Fraction of rows by score captures Gain of the positives, Lift =
// Gain/Fraction times what random targeting would.
type GainPoint struct {
	Fraction  float64 `json:"fraction"`
	Gain      float64 `json:"gain"`
	Lift      float64 `json:"lift"`
	Threshold float64 `json:"threshold"`
}

// Gains returns the cumulative gain and lift at the fractions 1/k, 2/k, …,
// 1 of the rows (k = 10: deciles). When a fraction falls inside a group of
// tied scores the gain is interpolated linearly within the group — the
// expectation over random orderings of the ties. Threshold is the score of
// the group the fraction falls in. Gains is nil when there are no positives
// or k < 1.
func (r *Ranking) Gains(k int) []GainPoint {
	P := r.Positives()
	n := r.Positives() + r.Negatives()
	if P == 0 || k < 1 || n == 0 {
		return nil
	}
	out := make([]GainPoint, 0, k)
	g := 0
	var n0, tp0 float64 // cumulative rows and positives before group g
	for i := 1; i <= k; i++ {
		f := float64(i) / float64(k)
		target := f * n
		for g < len(r.thr)-1 && r.tp[g]+r.fp[g] < target {
			n0, tp0 = r.tp[g]+r.fp[g], r.tp[g]
			g++
		}
		size := r.tp[g] + r.fp[g] - n0
		tp := r.tp[g]
		if size > 0 && target < r.tp[g]+r.fp[g] {
			tp = tp0 + (r.tp[g]-tp0)*(target-n0)/size
		}
		gain := tp / P
		out = append(out, GainPoint{Fraction: f, Gain: gain, Lift: gain / f, Threshold: r.thr[g]})
	}
	return out
}

// Curve returns at most maxPoints thresholds' indices spread evenly over the
// distinct scores (always the first and last), for drawing; all when
// maxPoints ≤ 0 or there are fewer.
func (r *Ranking) Curve(maxPoints int) []int {
	G := len(r.thr)
	if maxPoints <= 0 || G <= maxPoints {
		out := make([]int, G)
		for i := range out {
			out[i] = i
		}
		return out
	}
	out := make([]int, 0, maxPoints)
	for i := range maxPoints {
		g := int(math.Round(float64(i) * float64(G-1) / float64(maxPoints-1)))
		if len(out) == 0 || out[len(out)-1] != g {
			out = append(out, g)
		}
	}
	return out
}
