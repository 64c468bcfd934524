package tune

import (
	"cmp"
	"math"
	"slices"
	"sync"
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
	// NormalizedKernels scores candidates with the true densities of l and
	// g: each continuous Gaussian kernel divided by its σ, as Optuna does
	// from 3.5 on (its issue #5109). By default candidates are scored as
	// Optuna 3.1 does, whose truncated-normal log density leaves −log σ out,
	// so that every kernel has the same height whatever its width. Sampling
	// from l is the same either way. Leaving 1/σ out weighs wide kernels —
	// the prior (σ = the range) above all — more against the narrow ones
	// of the observations, which explores more: on Hartmann-6 it finds
	// better points, on Branin about as good (bench/tune/README.md).
	NormalizedKernels bool
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

	mu   sync.Mutex
	obs  map[string]*obsCache
	memo weightMemo // mixture weights by n, for one Sample call
	mem  arena      // the estimators' arrays, reused by every sampleJoint
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
	return &TPE{opt: opt, obs: map[string]*obsCache{}}
}

// obsCache keeps, for one parameter, what TPE needs of the study's trials
// between calls: the parameter's value of each trial in the uniform space
// and the trials holding a legal value sorted by (value, number). A study's
// trials are appended and their parameters never change, so each call only
// maps and inserts the trials added since the last one (O(new·n) instead of
// a sort of every trial per estimator).
type obsCache struct {
	def     Param     // the definition the values were mapped with
	n       int       // Request.Trials[:n] are cached
	lastNum int       // Number of Request.Trials[n-1]
	x       []float64 // per trial index: the value, NaN when absent or illegal
	sorted  []int32   // indices of trials with a value, sorted by (x, index)
}

// sameDef reports whether p maps values as c.def did.
func (c *obsCache) sameDef(p *Param) bool {
	d := &c.def
	return d.Kind == p.Kind && d.Lo == p.Lo && d.Hi == p.Hi && d.Log == p.Log && d.Step == p.Step && slices.Equal(d.Choices, p.Choices)
}

// observations returns the cache of d's parameter brought up to date with
// r.Trials (rebuilt when the parameter's definition changed or the trials
// are not those cached). The caller holds s.mu.
func (s *TPE) observations(r *Request, d *dim) *obsCache {
	name := d.p.Name
	c := s.obs[name]
	if c != nil && (!c.sameDef(d.p) || len(r.Trials) < c.n || (c.n > 0 && r.Trials[c.n-1].Number != c.lastNum)) {
		c = nil
	}
	if c != nil && c.n > 0 {
		// The last cached trial must still hold the cached value.
		x, ok := math.NaN(), false
		if v, has := r.Trials[c.n-1].Params[name]; has {
			x, ok = d.internal(v)
		}
		if ok != !math.IsNaN(c.x[c.n-1]) || (ok && x != c.x[c.n-1]) {
			c = nil
		}
	}
	if c == nil {
		c = &obsCache{def: *d.p}
		c.def.Choices = slices.Clone(d.p.Choices)
		s.obs[name] = c
	}
	for i := c.n; i < len(r.Trials); i++ {
		x := math.NaN()
		if v, ok := r.Trials[i].Params[name]; ok {
			if xi, ok := d.internal(v); ok {
				x = xi
			}
		}
		c.x = append(c.x, x)
		if math.IsNaN(x) {
			continue
		}
		// i is larger than every cached index: insert after equal values.
		at, _ := slices.BinarySearchFunc(c.sorted, x, func(j int32, x float64) int {
			if c.x[j] <= x {
				return -1
			}
			return 1
		})
		c.sorted = slices.Insert(c.sorted, at, int32(i))
	}
	c.n = len(r.Trials)
	if c.n > 0 {
		c.lastNum = r.Trials[c.n-1].Number
	}
	return c
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
	// The γ(n) best by (stage, loss), ties by trial order as a stable sort
	// would leave them: kept sorted by insertion, as γ(n) ≤ 25 is small.
	cmpRank := func(a, b rankedTrial) int {
		if c := cmp.Compare(a.stage, b.stage); c != 0 {
			return c
		}
		if c := cmp.Compare(a.loss, b.loss); c != 0 {
			return c
		}
		return a.idx - b.idx
	}
	nb := min(s.opt.Gamma(len(rk)), len(rk))
	top := make([]rankedTrial, 0, nb+1)
	for _, t := range rk {
		side[t.idx] = -1
		if nb == 0 || (len(top) == nb && cmpRank(t, top[nb-1]) >= 0) {
			continue
		}
		at, _ := slices.BinarySearchFunc(top, t, cmpRank)
		top = slices.Insert(top, at, t)
		if len(top) > nb {
			top = top[:nb]
		}
	}
	for _, t := range top {
		side[t.idx] = 1
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
	s.mu.Lock()
	defer s.mu.Unlock()
	cs := make([]*obsCache, len(dims))
	for j := range dims {
		cs[j] = s.observations(r, &dims[j])
	}
	below := make([][]float64, len(dims))
	above := make([][]float64, len(dims))
	// pos[i] is trial i's position among the observations of its side.
	pos := make([]int32, len(r.Trials))
trials:
	for i := range r.Trials {
		if side[i] == 0 {
			continue
		}
		for j := range dims {
			if math.IsNaN(cs[j].x[i]) {
				continue trials
			}
		}
		for j := range dims {
			if side[i] > 0 {
				pos[i] = int32(len(below[j]))
				below[j] = append(below[j], cs[j].x[i])
			} else {
				pos[i] = int32(len(above[j]))
				above[j] = append(above[j], cs[j].x[i])
			}
		}
	}
	// As in Optuna, the multivariate option switches every estimator to
	// Scott's bandwidth, also those of parameters sampled on their own.
	s.mem.reset()
	popt := parzenOptions{mem: &s.mem, weights: &s.memo, priorWeight: s.opt.PriorWeight, multivariate: s.opt.Multivariate,
		unnormalized: !s.opt.NormalizedKernels}
	var ordB, ordA [][]int32
	if !s.opt.Multivariate && len(dims) == 1 && !dims[0].cat {
		// The gap bandwidths need the observations sorted: take each side's
		// in the cached order of all trials.
		ob := make([]int32, 0, len(below[0]))
		oa := make([]int32, 0, len(above[0]))
		for _, i := range cs[0].sorted {
			switch side[i] {
			case 1:
				ob = append(ob, pos[i])
			case -1:
				oa = append(oa, pos[i])
			}
		}
		ordB, ordA = [][]int32{ob}, [][]int32{oa}
	}
	l := newParzen(dims, below, ordB, popt)
	g := newParzen(dims, above, ordA, popt)
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
