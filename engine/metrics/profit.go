package metrics

import "math"

// Payoff is the money value of each kind of prediction, as the project
// card's [business] table holds it: values are gained, costs (positive
// amounts) are subtracted.
type Payoff struct {
	TPValue, FPCost, FNCost, TNValue float64
}

// Value returns the total payoff of the confusion matrix c:
//
//	TP·TPValue − FP·FPCost − FN·FNCost + TN·TNValue
func (p Payoff) Value(c Counts) float64 {
	return c.TP*p.TPValue - c.FP*p.FPCost - c.FN*p.FNCost + c.TN*p.TNValue
}

// Per1000 returns the expected payoff per 1,000 predictions,
// 1000·Value(c)/N (NaN for an empty matrix).
func (p Payoff) Per1000(c Counts) float64 { return 1000 * divNaN(p.Value(c), c.N()) }

// ThresholdPoint is the state of a binary classifier at one threshold
// (scores ≥ Threshold predicted positive): its confusion matrix, the rates
// derived from it and the payoff per 1,000 predictions.
type ThresholdPoint struct {
	Threshold float64 `json:"threshold"`
	Counts
	Precision   float64 `json:"precision"`
	Recall      float64 `json:"recall"`
	F1          float64 `json:"f1"`
	FPR         float64 `json:"fpr"`
	Per1000     float64 `json:"profit_per_1000"`
	PredictedUp float64 `json:"predicted_positive_share"`
}

func (r *Ranking) point(t float64, c Counts, p Payoff) ThresholdPoint {
	return ThresholdPoint{Threshold: t, Counts: c, Precision: c.Precision(), Recall: c.Recall(),
		F1: c.F1(), FPR: c.FPR(), Per1000: p.Per1000(c), PredictedUp: c.SelectionRate()}
}

// ThresholdAt returns the ThresholdPoint at any threshold t in O(log n).
func (r *Ranking) ThresholdAt(t float64, p Payoff) ThresholdPoint {
	return r.point(t, r.At(t), p)
}

// aboveAll is the threshold at which nothing is predicted positive: the next
// float above the highest score (+Inf for no rows).
func (r *Ranking) aboveAll() float64 {
	if len(r.thr) == 0 {
		return math.Inf(1)
	}
	return math.Nextafter(r.thr[0], math.Inf(1))
}

// ThresholdCurve returns the ThresholdPoints at the distinct scores in
// decreasing order, preceded by the point where nothing is predicted
// positive (threshold just above the highest score). With maxPoints > 0 the
// distinct scores are thinned evenly to at most maxPoints (Curve); the
// profit-maximising threshold should then come from BestThreshold, which
// always scans all of them.
func (r *Ranking) ThresholdCurve(p Payoff, maxPoints int) []ThresholdPoint {
	idx := r.Curve(maxPoints)
	out := make([]ThresholdPoint, 0, len(idx)+1)
	out = append(out, r.point(r.aboveAll(), r.CountsAtIndex(-1), p))
	for _, g := range idx {
		out = append(out, r.point(r.thr[g], r.CountsAtIndex(g), p))
	}
	return out
}

// BestThreshold returns the threshold that maximises the payoff over all
// distinct scores (and "nothing positive"), scanning the cumulative counts
// in O(#distinct). Among equal payoffs the highest threshold (fewest
// predicted positives) wins. The threshold returned is a score of the data
// (or the next float above the highest one): any t in (next lower score,
// threshold] gives the same predictions.
func (r *Ranking) BestThreshold(p Payoff) ThresholdPoint {
	best := r.point(r.aboveAll(), r.CountsAtIndex(-1), p)
	bv := p.Value(best.Counts)
	for g := range r.thr {
		c := r.CountsAtIndex(g)
		if v := p.Value(c); v > bv {
			bv = v
			best = r.point(r.thr[g], c, p)
		}
	}
	return best
}
