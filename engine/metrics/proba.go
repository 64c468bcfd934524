package metrics

import (
	"context"
	"fmt"
	"math"
)

// Eps is the clipping bound of LogLoss: scikit-learn 1.2's eps="auto",
// numpy.finfo(float64).eps = 2⁻⁵². (scikit-learn before 1.2 used 1e-15.)
const Eps = 0x1p-52

// BinaryLogLossTerm returns one row's contribution to the binary log loss
// for the probability p of the positive class, as sklearn.metrics.log_loss
// 1.2 computes it: p is clipped to [Eps, 1−Eps], the row [1−p, p] is
// renormalised by its sum, and the term is −ln of the true class's entry.
func BinaryLogLossTerm(y bool, p float64) float64 {
	p = min(max(p, Eps), 1-Eps)
	q := 1 - p
	s := q + p
	if y {
		return -math.Log(p / s)
	}
	return -math.Log(q / s)
}

// LogLoss returns the binary cross-entropy Σ w·ℓ / Σ w with ℓ from
// BinaryLogLossTerm — sklearn.metrics.log_loss(y, p, labels=[neg, pos]);
// the labels are passed so that a sample with one class is defined. NaN for
// no rows.
func LogLoss(y []bool, p, w []float64) float64 {
	if len(y) != len(p) {
		panic("metrics: LogLoss length mismatch")
	}
	var s, n float64
	for r := range y {
		wt := weight(w, r)
		s += wt * BinaryLogLossTerm(y[r], p[r])
		n += wt
	}
	return divNaN(s, n)
}

// Brier returns the Brier score Σ w·(y − p)² / Σ w
// (sklearn.metrics.brier_score_loss), NaN for no rows.
func Brier(y []bool, p, w []float64) float64 {
	if len(y) != len(p) {
		panic("metrics: Brier length mismatch")
	}
	var s, n float64
	for r := range y {
		wt := weight(w, r)
		d := p[r]
		if y[r] {
			d = 1 - d
		}
		s += wt * d * d
		n += wt
	}
	return divNaN(s, n)
}

func weight(w []float64, r int) float64 {
	if w == nil {
		return 1
	}
	return w[r]
}

// Proba is an n×k matrix of class probabilities, row-major: P[r*K+j] is the
// probability that row r belongs to class j.
type Proba struct {
	P []float64
	K int
}

// Rows returns the number of rows.
func (p Proba) Rows() int {
	if p.K == 0 {
		return 0
	}
	return len(p.P) / p.K
}

// Col returns column j as a new slice.
func (p Proba) Col(j int) []float64 {
	n := p.Rows()
	out := make([]float64, n)
	for r := range n {
		out[r] = p.P[r*p.K+j]
	}
	return out
}

// MultiLogLossTerm returns row r's contribution to the multiclass log loss
// with true class y: every probability is clipped to [Eps, 1−Eps], the row
// renormalised by its sum, and the term is −ln of the true class's entry
// (sklearn.metrics.log_loss 1.2).
func (p Proba) MultiLogLossTerm(r int, y int32) float64 {
	row := p.P[r*p.K : (r+1)*p.K]
	var s float64
	for _, v := range row {
		s += min(max(v, Eps), 1-Eps)
	}
	return -math.Log(min(max(row[y], Eps), 1-Eps) / s)
}

// MultiLogLoss returns the multiclass log loss Σ w·ℓ / Σ w
// (sklearn.metrics.log_loss(y, P, labels=range(K))), NaN for no rows.
func MultiLogLoss(y []int32, p Proba, w []float64) float64 {
	if len(y) != p.Rows() {
		panic("metrics: MultiLogLoss length mismatch")
	}
	var s, n float64
	for r, c := range y {
		wt := weight(w, r)
		s += wt * p.MultiLogLossTerm(r, c)
		n += wt
	}
	return divNaN(s, n)
}

// OvR holds the one-vs-rest rankings of a multiclass problem, one per
// class, so that the AUCs can be recomputed under weights without sorting.
type OvR struct {
	ranks []*Ranking
}

// NewOvR sorts each class's probability column once. y holds class indices
// in [0, p.K).
func NewOvR(ctx context.Context, y []int32, p Proba) (*OvR, error) {
	if len(y) != p.Rows() {
		return nil, fmt.Errorf("%w: %d labels, %d probability rows", ErrLength, len(y), p.Rows())
	}
	o := &OvR{ranks: make([]*Ranking, p.K)}
	yb := make([]bool, len(y))
	for j := range p.K {
		for r, c := range y {
			yb[r] = int(c) == j
		}
		rk, err := NewRanking(ctx, yb, p.Col(j))
		if err != nil {
			return nil, err
		}
		o.ranks[j] = rk
	}
	return o, nil
}

// AUC returns the per-class one-vs-rest ROC AUC and their macro and
// prevalence-weighted means, as sklearn.metrics.roc_auc_score(y, P,
// multi_class="ovr", average="macro"/"weighted"), with weights w per row
// (nil: 1). A class absent from y has an undefined AUC, and then so are the
// means (scikit-learn raises).
func (o *OvR) AUC(w []float64) (perClass []float64, macro, weighted float64) {
	perClass = make([]float64, len(o.ranks))
	var sm, sw, ww float64
	for j, rk := range o.ranks {
		if w != nil {
			pw := make([]float64, rk.Len())
			for k, row := range rk.Order {
				pw[k] = w[row]
			}
			rk = rk.Weighted(pw)
		}
		a := rk.ROCAUC()
		perClass[j] = a
		sm += a
		prev := rk.Positives()
		sw += prev * a
		ww += prev
	}
	if len(o.ranks) == 0 {
		return perClass, math.NaN(), math.NaN()
	}
	return perClass, sm / float64(len(o.ranks)), divNaN(sw, ww)
}
