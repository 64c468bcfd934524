package tune

import (
	"cmp"
	"math"
	"math/rand/v2"
	"slices"
	"sort"
)

// dim is one parameter as the Parzen estimators and CMA-ES see it: a real
// on [low, high] in the "uniform" space of Optuna's _ParzenEstimator (log
// taken for a log scale; widened by half a step each side for a stepped or
// integer parameter, whose mass is then the Gaussian mass of the step
// around the value), or a categorical index.
type dim struct {
	p         *Param
	cat       bool
	nChoices  int
	low, high float64
	q         float64 // step in the uniform space; 0 for a continuous value
}

func newDim(p *Param) dim {
	d := dim{p: p}
	switch {
	case p.Kind == Categorical:
		d.cat, d.nChoices = true, len(p.Choices)
	case p.Kind == Int && p.Log:
		d.low, d.high = math.Log(p.Lo-0.5), math.Log(p.Hi+0.5)
	case p.Log:
		d.low, d.high = math.Log(p.Lo), math.Log(p.Hi)
	case p.step() > 0:
		d.q = p.step()
		d.low, d.high = p.Lo-0.5*d.q, p.Hi+0.5*d.q
	default:
		d.low, d.high = p.Lo, p.Hi
	}
	return d
}

// single reports whether the parameter has one possible value.
func (d *dim) single() bool {
	if d.cat {
		return d.nChoices == 1
	}
	return d.p.Lo == d.p.Hi
}

// internal maps a recorded value to the uniform space (a choice to its
// index); ok is false when the value is not legal in the current space
// (the space was edited since).
func (d *dim) internal(v Value) (float64, bool) {
	if !d.p.Contains(v) {
		return 0, false
	}
	if d.cat {
		return float64(d.p.choice(v.Str)), true
	}
	if d.p.Log {
		return math.Log(v.Num), true
	}
	return v.Num, true
}

// external maps x of the uniform space to a legal value: exp for a log
// scale, rounding to the step or integer, clipping to [Lo, Hi].
func (d *dim) external(x float64) Value {
	p := d.p
	if d.cat {
		return Value{Str: p.Choices[min(max(int(x), 0), d.nChoices-1)]}
	}
	switch {
	case p.Log && p.Kind == Int:
		x = math.Round(math.Exp(x))
	case p.Log:
		x = math.Exp(x)
	case d.q > 0:
		x = p.onStep(math.Round((x - p.Lo) / d.q))
	}
	return Value{Num: math.Min(math.Max(x, p.Lo), p.Hi)}
}

// parzenOptions are the bandwidth settings of Optuna's TPE (3.1):
// consider_prior with prior_weight, consider_magic_clip and
// consider_endpoints = False are fixed.
type parzenOptions struct {
	mem          *arena      // where the estimator's arrays go; nil: the heap
	weights      *weightMemo // may be nil
	priorWeight  float64
	multivariate bool
	// unnormalized leaves 1/σ out of the continuous kernels' densities, as
	// Optuna 3.1's _truncnorm.logpdf does (see TPEOptions).
	unnormalized bool
}

// parzen is Optuna's _ParzenEstimator over dims: a mixture of K = n + 1
// components (one per observation, and the prior), each a product over the
// dims of a truncated Gaussian on [low, high] (numerical) or a smoothed
// one-hot distribution (categorical), mixed with weights w.
//
// Numerical dims (Bergstra et al. 2011, with Optuna's rules): component i
// is centred on observation x_i; the prior is centred on (low+high)/2 with
// σ = high − low. Univariate: σ_i is the larger gap from x_i to its sorted
// neighbours (low and high at the ends), the extreme ones taking the inner
// gap only (consider_endpoints False). Multivariate: σ_i = 0.2 · n^(−1/(d+4))
// · (high − low) (Scott's rule, as in BOHB). Then σ_i is clipped to
// [(high − low)/min(100, 1 + K), high − low] (the "magic clip").
//
// Categorical dims: component i puts weight 1 + w₀ on its observed choice
// and w₀ = prior_weight/(n+1) on every choice, normalised; the prior is
// uniform.
//
// Mixture weights: Optuna's default_weights (1 each for n < 25, else a
// linear ramp from 1/n to 1 over the oldest n − 25 observations and 1 for the
// newest 25) and prior_weight for the prior, normalised.
type parzen struct {
	dims []dim
	k    int
	w    *mixWeights
	logW []float64
	mus  [][]float64 // per dim, len k (nil for categorical)
	sig  [][]float64
	// per numerical dim: log of the truncation mass and of σ_i √(2π)
	logZ [][]float64
	logN [][]float64
	cumW []float64
	catW [][]float64 // per categorical dim: k × nChoices, log of the normalised rows
	// per stepped dim: components grouped by equal (μ, σ) — repeated
	// integer values share one — and a per-candidate cache of the group's
	// log mass (NaN = not computed yet)
	inv   [][]float64 // per numerical dim: 1/σ_i
	lc    [][]float64 // per numerical dim: −log N_i − log Z_i
	grp   [][]int32
	cache [][]float64
	// order, per numerical dim of a univariate estimator, is the component
	// indices sorted by (μ, index) — the prior, index n, included — and
	// win the bounds logPDF uses to visit only the components near x.
	order [][]int32
	win   *window
	plain bool // only the full sum (tests compare the shortcuts with it)
}

// arena hands out float64 arrays from one buffer reused from call to call:
// a TPE Sample builds 2 estimators per parameter, each with a handful of
// arrays as long as the study, which would otherwise be garbage at once.
// reset makes the whole buffer available again: no array handed out before
// may be used after it.
type arena struct {
	buf []float64
	off int
}

// f64 returns n zeros (a new array when a is nil).
func (a *arena) f64(n int) []float64 {
	if a == nil {
		return make([]float64, n)
	}
	if a.off+n > len(a.buf) {
		// Earlier arrays keep the old buffer alive until reset.
		a.buf, a.off = make([]float64, max(2*len(a.buf), n, 1<<12)), 0
	}
	s := a.buf[a.off : a.off+n : a.off+n]
	a.off += n
	clear(s)
	return s
}

func (a *arena) reset() { a.off = 0 }

// mixWeights are the normalised mixture weights of n observations and the
// prior: their logs, cumulative sums and, per log weight, its exponential.
type mixWeights struct {
	w, logW, cumW []float64
}

// weightMemo keeps the mixture weights by number of observations: the
// estimators of one Sample call mostly share n (a few n are kept).
type weightMemo map[int]*mixWeights

func (m *weightMemo) get(n int, priorWeight float64) *mixWeights {
	if m != nil && *m != nil {
		if w, ok := (*m)[n]; ok {
			return w
		}
	}
	k := n + 1
	w := append(tpeWeights(n), priorWeight)
	var sum float64
	for _, v := range w {
		sum += v
	}
	mw := &mixWeights{w: make([]float64, k), logW: make([]float64, k), cumW: make([]float64, k)}
	acc := 0.0
	for i, v := range w {
		mw.w[i] = v / sum
		mw.logW[i] = math.Log(v / sum)
		acc += v / sum
		mw.cumW[i] = acc
	}
	if m != nil {
		if len(*m) > 16 {
			*m = nil
		}
		if *m == nil {
			*m = weightMemo{}
		}
		(*m)[n] = mw
	}
	return mw
}

// tpeWeights is Optuna's default_weights(n).
func tpeWeights(n int) []float64 {
	w := make([]float64, n)
	for i := range w {
		w[i] = 1
	}
	if n >= 25 {
		m := n - 25
		for i := range m {
			if m == 1 {
				w[i] = 1 / float64(n)
			} else {
				w[i] = 1/float64(n) + float64(i)*(1-1/float64(n))/float64(m-1)
			}
		}
	}
	return w
}

// newParzen builds the estimator from obs[d][i], the value of dim d in
// observation i (uniform space), in chronological order. ord, when not nil,
// gives per dim the observations' indices sorted by (value, index), which
// the univariate bandwidths need (nil or a nil entry: sorted here).
func newParzen(dims []dim, obs [][]float64, ord [][]int32, opt parzenOptions) *parzen {
	n := 0
	if len(obs) > 0 {
		n = len(obs[0])
	}
	k := n + 1
	pe := &parzen{dims: dims, k: k}
	pe.w = opt.weights.get(n, opt.priorWeight)
	pe.logW, pe.cumW = pe.w.logW, pe.w.cumW
	pe.mus = make([][]float64, len(dims))
	pe.sig = make([][]float64, len(dims))
	pe.logZ = make([][]float64, len(dims))
	pe.logN = make([][]float64, len(dims))
	pe.catW = make([][]float64, len(dims))
	pe.grp = make([][]int32, len(dims))
	pe.inv = make([][]float64, len(dims))
	pe.lc = make([][]float64, len(dims))
	pe.cache = make([][]float64, len(dims))
	pe.order = make([][]int32, len(dims))
	sigma0 := 0.0
	if opt.multivariate {
		sigma0 = 0.2 * math.Pow(float64(max(n, 1)), -1/float64(len(dims)+4))
	}
	for j := range dims {
		d := &dims[j]
		if d.cat {
			C := d.nChoices
			cw := opt.mem.f64(k * C)
			fill := opt.priorWeight / float64(k)
			for i := range k {
				row := cw[i*C : (i+1)*C]
				for c := range row {
					row[c] = fill
				}
				if i < n {
					row[int(obs[j][i])] += 1
				}
				var s float64
				for _, v := range row {
					s += v
				}
				for c := range row {
					row[c] = math.Log(row[c] / s)
				}
			}
			pe.catW[j] = cw
			continue
		}
		rng := d.high - d.low
		mus := opt.mem.f64(k)
		copy(mus, obs[j])
		mus[n] = 0.5 * (d.low + d.high)
		sig := opt.mem.f64(k)
		if opt.multivariate {
			for i := range sig {
				sig[i] = sigma0 * rng
			}
		} else {
			var idx []int32
			if j < len(ord) && ord[j] != nil {
				idx = sortedWithPrior(ord[j], mus)
			} else {
				idx = sortedComponents(mus)
			}
			pe.order[j] = idx
			e := opt.mem.f64(k + 2) // sorted mus with endpoints
			e[0], e[k+1] = d.low, d.high
			for i, ix := range idx {
				e[i+1] = mus[ix]
			}
			for i, ix := range idx {
				sig[ix] = math.Max(e[i+1]-e[i], e[i+2]-e[i+1])
			}
			if k+2 >= 4 { // consider_endpoints False
				sig[idx[0]] = e[2] - e[1]
				sig[idx[k-1]] = e[k] - e[k-1]
			}
		}
		minS, maxS := rng/math.Min(100, 1+float64(k)), rng
		for i := range sig {
			sig[i] = math.Min(math.Max(sig[i], minS), maxS)
		}
		sig[n] = rng // the prior
		logZ := opt.mem.f64(k)
		logN := opt.mem.f64(k)
		lastS, lastL := math.NaN(), 0.0
		for i := range k {
			logZ[i] = logGaussMass((d.low-mus[i])/sig[i], (d.high-mus[i])/sig[i])
			if sig[i] != lastS { // most σ are the clipped minimum: one log
				lastS, lastL = sig[i], math.Log(sig[i])
			}
			logN[i] = lastL + logSqrt2Pi
			if opt.unnormalized {
				logN[i] = logSqrt2Pi
			}
		}
		var g []int32
		var ng int
		if d.q > 0 {
			type ms struct{ m, s float64 }
			ids := map[ms]int32{}
			g = make([]int32, k)
			for i := range k {
				key := ms{mus[i], sig[i]}
				id, ok := ids[key]
				if !ok {
					id = int32(len(ids))
					ids[key] = id
				}
				g[i] = id
			}
			ng = len(ids)
		}
		if g != nil {
			pe.grp[j], pe.cache[j] = g, make([]float64, ng)
		}
		pe.mus[j], pe.sig[j], pe.logZ[j], pe.logN[j] = mus, sig, logZ, logN
		inv, lc := opt.mem.f64(k), opt.mem.f64(k)
		for i := range k {
			inv[i], lc[i] = 1/sig[i], -logN[i]-logZ[i]
		}
		pe.inv[j], pe.lc[j] = inv, lc
	}
	if len(dims) == 1 && !dims[0].cat && dims[0].q == 0 && pe.order[0] != nil {
		pe.win = newWindow(pe, pe.order[0], n, opt.mem)
	}
	return pe
}

// sortedComponents returns the indices of mus sorted by (value, index).
func sortedComponents(mus []float64) []int32 {
	idx := make([]int32, len(mus))
	for i := range idx {
		idx[i] = int32(i)
	}
	slices.SortFunc(idx, func(a, b int32) int {
		if c := cmp.Compare(mus[a], mus[b]); c != 0 {
			return c
		}
		return int(a - b)
	})
	return idx
}

// sortedWithPrior returns the component indices sorted by (μ, index) from
// ord, the observations' indices sorted so, by inserting the prior (index
// n = len(ord), the largest) after the observations with μ ≤ its own.
func sortedWithPrior(ord []int32, mus []float64) []int32 {
	n := len(ord)
	pm := mus[n]
	at := sort.Search(n, func(i int) bool { return mus[ord[i]] > pm })
	idx := make([]int32, n+1)
	copy(idx, ord[:at])
	idx[at] = int32(n)
	copy(idx[at+1:], ord[at:])
	return idx
}

// window lets logPDF of a one-dimensional continuous estimator visit only
// the components that can matter at x. The observations (the prior left
// out) are sorted by μ; going right from x, component j's log term is at
// most sufA[j] − ½((μ_j − x)/sufS[j])², with sufA and sufS the largest
// log w_i + log c_i and σ_i over the components from j on; this bound only
// decreases with j, so the walk stops at the first j whose bound is below
// the running maximum minus the cut. Going left uses the prefix maxima.
type window struct {
	mu, inv, lc []float64 // per sorted observation: μ, 1/σ, log w + log c
	sufA, sufS  []float64
	preA, preS  []float64
	prior       int // component index of the prior
}

func newWindow(pe *parzen, order []int32, prior int, mem *arena) *window {
	m := len(order) - 1
	buf := mem.f64(7 * m)
	w := &window{prior: prior,
		mu: buf[:m:m], inv: buf[m : 2*m : 2*m], lc: buf[2*m : 3*m : 3*m],
		sufA: buf[3*m : 4*m : 4*m], sufS: buf[4*m : 5*m : 5*m],
		preA: buf[5*m : 6*m : 6*m], preS: buf[6*m : 7*m : 7*m]}
	mus, inv, lc, sig, logW := pe.mus[0], pe.inv[0], pe.lc[0], pe.sig[0], pe.logW
	j := 0
	for _, i := range order {
		if int(i) == prior {
			continue
		}
		w.mu[j], w.inv[j], w.lc[j] = mus[i], inv[i], logW[i]+lc[i]
		w.preA[j], w.preS[j] = w.lc[j], sig[i]
		w.sufA[j], w.sufS[j] = w.lc[j], sig[i]
		j++
	}
	for j := 1; j < m; j++ {
		if w.preA[j-1] > w.preA[j] {
			w.preA[j] = w.preA[j-1]
		}
		if w.preS[j-1] > w.preS[j] {
			w.preS[j] = w.preS[j-1]
		}
	}
	for j := m - 2; j >= 0; j-- {
		if w.sufA[j+1] > w.sufA[j] {
			w.sufA[j] = w.sufA[j+1]
		}
		if w.sufS[j+1] > w.sufS[j] {
			w.sufS[j] = w.sufS[j+1]
		}
	}
	return w
}

// logPDF1 is logPDF at one point of a one-dimensional continuous estimator
// through the window; buf is scratch space. Components left out have log
// terms below the largest one minus logCut (+1 of margin for rounding), the
// same ones the full sum leaves out.
func (pe *parzen) logPDF1(x float64, buf *[]float64) float64 {
	const logCut = 45
	w := pe.win
	p := w.prior
	z := (x - pe.mus[0][p]) * pe.inv[0][p]
	terms := append((*buf)[:0], pe.logW[p]+pe.lc[0][p]-0.5*z*z)
	defer func() { *buf = terms }()
	m := terms[0]
	start, _ := slices.BinarySearch(w.mu, x)
	for j := start; j < len(w.mu); j++ {
		d := (w.mu[j] - x) / w.sufS[j]
		if w.sufA[j]-0.5*d*d < m-logCut-1 {
			break
		}
		z := (x - w.mu[j]) * w.inv[j]
		v := w.lc[j] - 0.5*z*z
		terms = append(terms, v)
		if v > m {
			m = v
		}
	}
	for j := start - 1; j >= 0; j-- {
		d := (x - w.mu[j]) / w.preS[j]
		if w.preA[j]-0.5*d*d < m-logCut-1 {
			break
		}
		z := (x - w.mu[j]) * w.inv[j]
		v := w.lc[j] - 0.5*z*z
		terms = append(terms, v)
		if v > m {
			m = v
		}
	}
	if math.IsInf(m, -1) || math.IsNaN(m) {
		return math.Inf(-1)
	}
	var s float64
	for _, v := range terms {
		if v > m-logCut {
			s += math.Exp(v - m)
		}
	}
	return m + math.Log(s)
}

// sample draws size points: out[d][c] is dim d of candidate c in the uniform
// space, already mapped through external and back (so rounded to a legal
// value), with the value itself in vals[d][c].
func (pe *parzen) sample(rng *rand.Rand, size int) (out [][]float64, vals [][]Value) {
	comp := make([]int, size)
	for c := range comp {
		u := rng.Float64()
		i := sort.SearchFloat64s(pe.cumW, u)
		comp[c] = min(i, pe.k-1)
	}
	out = make([][]float64, len(pe.dims))
	vals = make([][]Value, len(pe.dims))
	for j := range pe.dims {
		d := &pe.dims[j]
		out[j] = make([]float64, size)
		vals[j] = make([]Value, size)
		for c, i := range comp {
			var x float64
			if d.cat {
				C := d.nChoices
				row := pe.catW[j][i*C : (i+1)*C]
				u, acc := rng.Float64(), 0.0
				x = float64(C - 1)
				for ch, lp := range row {
					acc += math.Exp(lp)
					if u < acc {
						x = float64(ch)
						break
					}
				}
			} else {
				x = truncNormal(rng, pe.mus[j][i], pe.sig[j][i], d.low, d.high)
			}
			v := d.external(x)
			xi, _ := d.internal(v)
			out[j][c], vals[j][c] = xi, v
		}
	}
	return out, vals
}

// logPDF writes the mixture's log density at each candidate x[d][c] into
// dst (len = number of candidates): log Σ_i w_i Π_d p_{i,d}(x_d), where a
// continuous p is the truncated normal density, a stepped p the normal mass
// of [x − q/2, x + q/2] ∩ [low, high] over the truncation mass, and a
// categorical p the row weight.
//
// For speed, a component whose log term is more than logCut below the
// largest one is left out of the sum (it changes the result by less than
// K·e^−logCut, relatively ≈ 1e-15 for K = 1,000), and the Gaussian mass of a
// stepped dim is first bounded above by width·φ(nearest z)/σ, which needs
// no erfc, and computed exactly only for components whose bound may matter.
func (pe *parzen) logPDF(x [][]float64, dst []float64) {
	const logCut = 45
	k := pe.k
	if pe.win != nil && !pe.plain {
		terms := make([]float64, 0, 64)
		for c := range dst {
			dst[c] = pe.logPDF1(x[0][c], &terms)
		}
		return
	}
	if len(pe.dims) == 1 && pe.dims[0].cat && !pe.plain {
		// One categorical dim: the mixture's probability of each choice,
		// Σ_i w_i p_i(choice), once (Optuna's shortcut for this case).
		C := pe.dims[0].nChoices
		lp := make([]float64, C)
		for ch := range C {
			var s float64
			for i := range k {
				s += pe.w.w[i] * math.Exp(pe.catW[0][i*C+ch])
			}
			lp[ch] = math.Log(s)
		}
		for c := range dst {
			dst[c] = lp[int(x[0][c])]
		}
		return
	}
	if len(pe.dims) == 1 && pe.dims[0].q > 0 && 4*len(pe.cache[0]) <= k && !pe.plain {
		// One stepped dim whose components share few (μ, σ): the mixture is
		// a sum over those groups, each with the summed weight of its
		// components.
		pe.logPDFGroups(x[0], dst)
		return
	}
	buf := make([]float64, k) // exact terms (or bounds when inexact)
	exact := make([]bool, k)  // buf[i] is exact
	lw := make([]float64, len(pe.dims))
	anyStep := false
	for j := range pe.dims {
		if pe.dims[j].q > 0 {
			anyStep = true
		}
	}
	for c := range dst {
		for _, cc := range pe.cache {
			for g := range cc {
				cc[g] = math.NaN()
			}
		}
		copy(buf, pe.logW)
		for j := range pe.dims {
			d := &pe.dims[j]
			xv := x[j][c]
			switch {
			case d.cat:
				C, ch := d.nChoices, int(xv)
				lcw := pe.catW[j]
				for i := range k {
					buf[i] += lcw[i*C+ch]
				}
			case d.q > 0:
				lo, hi := math.Max(xv-d.q/2, d.low), math.Min(xv+d.q/2, d.high)
				lw[j] = math.Log(hi - lo)
				mus, sig, logZ, logN := pe.mus[j], pe.sig[j], pe.logZ[j], pe.logN[j]
				for i := range k {
					zl, zh := (lo-mus[i])/sig[i], (hi-mus[i])/sig[i]
					zn := 0.0
					if zl > 0 {
						zn = zl
					} else if zh < 0 {
						zn = -zh
					}
					buf[i] += lw[j] - logN[i] - 0.5*zn*zn - logZ[i]
				}
			default:
				mus, inv, lc := pe.mus[j], pe.inv[j], pe.lc[j]
				for i := range k {
					z := (xv - mus[i]) * inv[i]
					buf[i] += lc[i] - 0.5*z*z
				}
			}
		}
		m := math.Inf(-1)
		for _, v := range buf {
			if v > m {
				m = v
			}
		}
		if anyStep {
			// buf holds upper bounds: make exact those within reach of the
			// largest exact term, until no bound can reach it.
			for i := range exact {
				exact[i] = false
			}
			thr := m - logCut
			for {
				mx, changed := math.Inf(-1), false
				for i, v := range buf {
					if !exact[i] && v > thr {
						buf[i] = pe.exactTerm(x, c, i)
						exact[i], changed = true, true
					}
					if exact[i] && buf[i] > mx {
						mx = buf[i]
					}
				}
				if !changed || mx-logCut <= thr {
					m = mx
					break
				}
				thr = mx - logCut
			}
			for i := range buf {
				if !exact[i] {
					buf[i] = math.Inf(-1)
				}
			}
		}
		if math.IsInf(m, -1) || math.IsNaN(m) {
			dst[c] = math.Inf(-1)
			continue
		}
		var s float64
		for _, v := range buf {
			if v > m-logCut {
				s += math.Exp(v - m)
			}
		}
		dst[c] = m + math.Log(s)
	}
}

// logPDFGroups is logPDF of a one-dimensional stepped estimator summed
// over the groups of components with equal (μ, σ).
func (pe *parzen) logPDFGroups(x []float64, dst []float64) {
	d := &pe.dims[0]
	g := pe.grp[0]
	ng := len(pe.cache[0])
	gw := make([]float64, ng) // summed weight
	gi := make([]int, ng)     // a member
	for i, id := range g {
		gw[id] += pe.w.w[i]
		gi[id] = i
	}
	terms := make([]float64, ng)
	for c, xv := range x {
		lo, hi := math.Max(xv-d.q/2, d.low), math.Min(xv+d.q/2, d.high)
		m := math.Inf(-1)
		for id := range ng {
			i := gi[id]
			mu, sg := pe.mus[0][i], pe.sig[0][i]
			terms[id] = math.Log(gw[id]) + logGaussMass((lo-mu)/sg, (hi-mu)/sg) - pe.logZ[0][i]
			m = math.Max(m, terms[id])
		}
		if math.IsInf(m, -1) || math.IsNaN(m) {
			dst[c] = math.Inf(-1)
			continue
		}
		var s float64
		for _, v := range terms {
			s += math.Exp(v - m)
		}
		dst[c] = m + math.Log(s)
	}
}

// exactTerm is log w_i + Σ_d log p_{i,d}(x_d[c]) computed exactly.
func (pe *parzen) exactTerm(x [][]float64, c, i int) float64 {
	v := pe.logW[i]
	for j := range pe.dims {
		d := &pe.dims[j]
		xv := x[j][c]
		switch {
		case d.cat:
			v += pe.catW[j][i*d.nChoices+int(xv)]
		case d.q > 0:
			g := pe.grp[j][i]
			lm := pe.cache[j][g]
			if math.IsNaN(lm) {
				lo, hi := math.Max(xv-d.q/2, d.low), math.Min(xv+d.q/2, d.high)
				mu, sg := pe.mus[j][i], pe.sig[j][i]
				lm = logGaussMass((lo-mu)/sg, (hi-mu)/sg)
				pe.cache[j][g] = lm
			}
			v += lm - pe.logZ[j][i]
		default:
			z := (xv - pe.mus[j][i]) / pe.sig[j][i]
			v += -0.5*z*z - pe.logN[j][i] - pe.logZ[j][i]
		}
	}
	return v
}

const sqrt2 = math.Sqrt2

// logSqrt2Pi is ½ log 2π.
const logSqrt2Pi = 0.91893853320467274178032973640562

// normCDF is Φ(x).
func normCDF(x float64) float64 { return 0.5 * math.Erfc(-x/sqrt2) }

// logNormCDF is log Φ(x), accurate in both tails: log1p(−Φ(−x)) for x > 0,
// the erfc form down to −30 and the asymptotic series
// log Φ(x) = −x²/2 − log(−x) − ½log 2π + log(1 − 1/x² + 3/x⁴ − 15/x⁶ + 105/x⁸)
// below (relative error of the series < 1e-12 there).
func logNormCDF(x float64) float64 {
	switch {
	case x > 0:
		return math.Log1p(-normCDF(-x))
	case x > -30:
		return math.Log(normCDF(x))
	}
	x2 := 1 / (x * x)
	return -0.5/x2 - math.Log(-x) - 0.5*math.Log(2*math.Pi) + math.Log(1-x2+3*x2*x2-15*x2*x2*x2+105*x2*x2*x2*x2)
}

// logGaussMass is log(Φ(b) − Φ(a)) for a ≤ b, computed as Optuna's
// _truncnorm._log_gauss_mass does: in the left tail from log Φ, in the right
// tail by symmetry, and in the centre as log1p(−Φ(a) − Φ(−b)).
func logGaussMass(a, b float64) float64 {
	if b <= a {
		return math.Inf(-1)
	}
	switch {
	case b <= 0:
		pb, pa := normCDF(b), normCDF(a)
		if pb > 1e-280 && pb-pa > 1e-3*pb {
			return math.Log(pb - pa)
		}
		lb, la := logNormCDF(b), logNormCDF(a)
		return lb + math.Log(-math.Expm1(la-lb))
	case a > 0:
		return logGaussMass(-b, -a)
	}
	// Φ(−9) ≈ 1.1e-19 is below the rounding of 1 − x: skip the erfc.
	var pa, pb float64
	if a > -9 {
		pa = normCDF(a)
	}
	if b < 9 {
		pb = normCDF(-b)
	}
	return math.Log1p(-pa - pb)
}

// truncNormal draws from N(mu, sigma²) truncated to [lo, hi] by inverting
// the CDF (on the left tail, flipping when the interval lies right of mu).
func truncNormal(rng *rand.Rand, mu, sigma, lo, hi float64) float64 {
	a, b := (lo-mu)/sigma, (hi-mu)/sigma
	flip := a > 0
	if flip {
		a, b = -b, -a
	}
	pa, pb := normCDF(a), normCDF(b)
	p := pa + rng.Float64()*(pb-pa)
	var z float64
	if p <= 0 {
		z = a
	} else {
		z = -sqrt2 * math.Erfcinv(2*p)
	}
	if flip {
		z = -z
	}
	x := mu + sigma*z
	return math.Min(math.Max(x, lo), hi)
}
