package tune

import (
	"cmp"
	"math"
	"slices"
)

// TPEOptions configure the TPE sampler; the zero value gives Optuna's
// defaults (3.1): 10 random start-up trials, 24 candidates per step,
// γ(n) = min(⌈0.1·n⌉, 25), prior weight 1, univariate.
type TPEOptions struct {
	// StartupTrials is the number of complete or pruned trials sampled at
	// random before TPE starts (0: 10).
	StartupTrials int
	// Candidates is the number of points drawn from l(x) to pick the best
	// l(x)/g(x) from (0: 24).
	Candidates int
	// Gamma returns how many of n observations are "good" (nil: Optuna's
	// min(⌈0.1·n⌉, 25)).
	Gamma func(n int) int
	// PriorWeight is the weight of the prior component (0: 1).
	PriorWeight float64
	// Multivariate models the unconditional parameters jointly (Falkner et
	// al. 2018, as Optuna's multivariate=True); conditional ones stay
	// univariate.
	Multivariate bool
}

// TPE is the Tree-structured Parzen Estimator sampler (Bergstra, Bardenet,
// Bengio & Kégl 2011, "Algorithms for Hyper-Parameter Optimization",
// NeurIPS), written after Optuna 3.1's TPESampler with its defaults.
//
// After StartupTrials random trials, the finished trials are ranked: the
// complete ones by value (best first), then the pruned ones by how far they
// got (larger last step first) and then their last intermediate value;
// running and failed trials are left out. The best γ(n) are "below", the
// rest "above". For each parameter (univariate) or for the unconditional
// parameters together (multivariate), two Parzen estimators l(x) and g(x)
// are fitted to the below and above values of the trials that have the
// parameter (see parzen), Candidates points are drawn from l, and the one
// with the largest log l(x) − log g(x) — the expected improvement of the
// paper — is taken.
//
// With several jobs, TPE ignores running trials (Optuna's default
// constant_liar=False), so concurrent trials may land close together.
type TPE struct {
	opt TPEOptions
}

// NewTPE returns a TPE sampler.
func NewTPE(opt TPEOptions) *TPE {
	if opt.StartupTrials <= 0 {
		opt.StartupTrials = 10
	}
	if opt.Candidates <= 0 {
		opt.Candidates = 24
	}
	if opt.Gamma == nil {
		opt.Gamma = func(n int) int { return min(int(math.Ceil(0.1*float64(n))), 25) }
	}
	if opt.PriorWeight <= 0 {
		opt.PriorWeight = 1
	}
	return &TPE{opt: opt}
}

// rankedTrial is a finished trial with its rank key: (stage, loss) sorted
// lexicographically, stage −∞ for complete trials and −(last step) for
// pruned ones, as Optuna's _get_observation_pairs.
type rankedTrial struct {
	idx   int
	stage float64
	loss  float64
}

// split returns, per index of r.Trials, +1 for below, −1 for above and 0
// for trials not used, and n, the number of finished trials.
func (s *TPE) split(r *Request) ([]int8, int) {
	var rk []rankedTrial
	sign := r.Direction.sign()
	for i := range r.Trials {
		t := &r.Trials[i]
		switch t.State {
		case Complete:
			rk = append(rk, rankedTrial{i, math.Inf(-1), sign * t.Value})
		case Pruned:
			if last, ok := t.Last(); ok {
				l := sign * last.Value
				if math.IsNaN(last.Value) {
					l = math.Inf(1)
				}
				rk = append(rk, rankedTrial{i, -float64(last.Step), l})
			} else {
				rk = append(rk, rankedTrial{i, 1, 0})
			}
		}
	}
	side := make([]int8, len(r.Trials))
	if len(rk) < s.opt.StartupTrials {
		return side, len(rk)
	}
	slices.SortStableFunc(rk, func(a, b rankedTrial) int {
		if c := cmp.Compare(a.stage, b.stage); c != 0 {
			return c
		}
		return cmp.Compare(a.loss, b.loss)
	})
	nb := min(s.opt.Gamma(len(rk)), len(rk))
	for j, t := range rk {
		if j < nb {
			side[t.idx] = 1
		} else {
			side[t.idx] = -1
		}
	}
	return side, len(rk)
}

// Sample implements Sampler.
func (s *TPE) Sample(r *Request) (Params, error) {
	side, n := s.split(r)
	out := Params{}
	if n < s.opt.StartupTrials {
		return Random{}.Sample(r)
	}
	if s.opt.Multivariate {
		var dims []dim
		for i := range r.Space.Params {
			p := &r.Space.Params[i]
			if p.Cond != nil {
				continue
			}
			d := newDim(p)
			if d.single() {
				continue
			}
			dims = append(dims, d)
		}
		if len(dims) > 0 {
			s.sampleJoint(r, dims, side, out)
		}
	}
	for i := range r.Space.Params {
		p := &r.Space.Params[i]
		if _, done := out[p.Name]; done || !p.Active(out) {
			continue
		}
		d := newDim(p)
		if d.single() {
			if d.cat {
				out[p.Name] = Value{Str: p.Choices[0]}
			} else {
				out[p.Name] = Value{Num: p.Lo}
			}
			continue
		}
		s.sampleJoint(r, []dim{d}, side, out)
	}
	return out, nil
}

// sampleJoint fits l and g over dims from the trials that have a legal
// value for all of them and writes the best of the candidates into out.
func (s *TPE) sampleJoint(r *Request, dims []dim, side []int8, out Params) {
	below := make([][]float64, len(dims))
	above := make([][]float64, len(dims))
	row := make([]float64, len(dims))
trials:
	for i := range r.Trials {
		if side[i] == 0 {
			continue
		}
		t := &r.Trials[i]
		for j := range dims {
			v, ok := t.Params[dims[j].p.Name]
			if !ok {
				continue trials
			}
			if row[j], ok = dims[j].internal(v); !ok {
				continue trials
			}
		}
		for j := range dims {
			if side[i] > 0 {
				below[j] = append(below[j], row[j])
			} else {
				above[j] = append(above[j], row[j])
			}
		}
	}
	// As in Optuna, the multivariate option switches every estimator to
	// Scott's bandwidth, also those of parameters sampled on their own.
	popt := parzenOptions{priorWeight: s.opt.PriorWeight, multivariate: s.opt.Multivariate}
	l := newParzen(dims, below, popt)
	g := newParzen(dims, above, popt)
	x, vals := l.sample(r.Rand, s.opt.Candidates)
	ll := make([]float64, s.opt.Candidates)
	lg := make([]float64, s.opt.Candidates)
	l.logPDF(x, ll)
	g.logPDF(x, lg)
	best, bestScore := 0, math.Inf(-1)
	for c := range ll {
		if sc := ll[c] - lg[c]; sc > bestScore {
			best, bestScore = c, sc
		}
	}
	for j := range dims {
		out[dims[j].p.Name] = vals[j][best]
	}
}
