package tune

import (
	"math"
	"sort"
	"strconv"
	"sync"

	"gonum.org/v1/gonum/mat"
)

// CMAESOptions configure the CMA-ES sampler; the zero value gives the
// defaults of Optuna's CmaEsSampler: start at the centre of the space with
// σ₀ = 1/6 of the (normalised) range, population 4 + ⌊3 ln n⌋, one random
// start-up trial.
type CMAESOptions struct {
	// Sigma0 is the initial step size in the space scaled to [0, 1]^n
	// (0: 1/6).
	Sigma0 float64
	// PopSize λ is the number of trials per generation (0: 4 + ⌊3 ln n⌋).
	PopSize int
	// StartupTrials are sampled at random first (0: 1).
	StartupTrials int
}

// CMAES is the covariance matrix adaptation evolution strategy sampler
// ((μ/μ_w, λ)-CMA-ES with the default parameters of Hansen 2016, "The CMA
// Evolution Strategy: A Tutorial", arXiv:1604.00772), for the numerical
// parameters that are not conditional; categorical and conditional ones are
// sampled at random, as Optuna's CmaEsSampler does.
//
// Each dimension is mapped to [0, 1] (log taken for a log scale; integers
// and steps widened by half a step each side, so that every value has the
// same share). Each generation g draws λ points x = m + σ·B·D·z, z ~ N(0, I),
// redrawing up to 100 times a point outside the unit box and then clipping
// it. A trial records its generation (attribute "cma_gen"); once λ trials of
// the current generation are complete the first λ of them update m, σ, C
// and the evolution paths (the tutorial's equations (39)–(47) with positive
// weights w_i ∝ ln((λ+1)/2) − ln i, i ≤ μ = ⌊λ/2⌋), and the next generation
// starts. Trials of past generations, pruned and failed ones are ignored.
// The state is a deterministic function of the trial history, so a resumed
// study continues exactly.
//
// CMA-ES beats TPE on smooth, ill-conditioned or rotated continuous problems
// given a few hundred trials (see TestCMAESBeatsTPEOnRotatedEllipsoid); TPE
// is better on small budgets and with categorical parameters.
type CMAES struct {
	opt CMAESOptions

	mu    sync.Mutex
	space *Space
	st    *cmaState
}

// NewCMAES returns a CMA-ES sampler.
func NewCMAES(opt CMAESOptions) *CMAES {
	if opt.Sigma0 <= 0 {
		opt.Sigma0 = 1.0 / 6
	}
	if opt.StartupTrials <= 0 {
		opt.StartupTrials = 1
	}
	return &CMAES{opt: opt}
}

const cmaGenAttr = "cma_gen"

// cmaState is the strategy's state at the start of generation gen.
type cmaState struct {
	dims                             []dim
	n                                int
	lam                              int
	mu                               int
	w                                []float64
	mueff, cs, ds, cc, c1, cmu, chiN float64

	gen   int
	mean  []float64
	sigma float64
	C     *mat.SymDense
	B     *mat.Dense // eigenvectors of C
	D     []float64  // square roots of its eigenvalues
	ps    []float64
	pc    []float64
}

func newCMAState(dims []dim, opt CMAESOptions) *cmaState {
	n := len(dims)
	lam := opt.PopSize
	if lam <= 0 {
		lam = 4 + int(math.Floor(3*math.Log(float64(n))))
	}
	lam = max(lam, 2)
	s := &cmaState{dims: dims, n: n, lam: lam, mu: lam / 2}
	s.w = make([]float64, s.mu)
	var sw, sw2 float64
	for i := range s.w {
		s.w[i] = math.Log(float64(lam+1)/2) - math.Log(float64(i+1))
		sw += s.w[i]
	}
	for i := range s.w {
		s.w[i] /= sw
		sw2 += s.w[i] * s.w[i]
	}
	fn := float64(n)
	s.mueff = 1 / sw2
	s.cs = (s.mueff + 2) / (fn + s.mueff + 5)
	s.ds = 1 + 2*math.Max(0, math.Sqrt((s.mueff-1)/(fn+1))-1) + s.cs
	s.cc = (4 + s.mueff/fn) / (fn + 4 + 2*s.mueff/fn)
	s.c1 = 2 / ((fn+1.3)*(fn+1.3) + s.mueff)
	s.cmu = math.Min(1-s.c1, 2*(s.mueff-2+1/s.mueff)/((fn+2)*(fn+2)+s.mueff))
	s.chiN = math.Sqrt(fn) * (1 - 1/(4*fn) + 1/(21*fn*fn))
	s.mean = make([]float64, n)
	for i := range s.mean {
		s.mean[i] = 0.5
	}
	s.sigma = opt.Sigma0
	s.C = mat.NewSymDense(n, nil)
	for i := range n {
		s.C.SetSym(i, i, 1)
	}
	s.ps = make([]float64, n)
	s.pc = make([]float64, n)
	s.decompose()
	return s
}

// decompose sets B and D from C (C = B·diag(D²)·Bᵀ).
func (s *cmaState) decompose() {
	var eig mat.EigenSym
	if !eig.Factorize(s.C, true) {
		return // keep the previous basis
	}
	vals := eig.Values(nil)
	s.B = mat.NewDense(s.n, s.n, nil)
	eig.VectorsTo(s.B)
	s.D = make([]float64, s.n)
	for i, v := range vals {
		s.D[i] = math.Sqrt(math.Max(v, 1e-20))
	}
}

// toUnit maps the uniform-space value of dim d to [0, 1].
func (d *dim) toUnit(x float64) float64 { return (x - d.low) / (d.high - d.low) }

// fromUnit maps u in [0, 1] to a legal value of dim d.
func (d *dim) fromUnit(u float64) Value { return d.external(d.low + u*(d.high-d.low)) }

// tell updates the state with the first λ complete trials of its
// generation, in number order.
func (s *cmaState) tell(r *Request, sign float64, idx []int) {
	type sol struct {
		x []float64
		f float64
	}
	sols := make([]sol, 0, len(idx))
	for _, i := range idx {
		t := &r.Trials[i]
		x := make([]float64, s.n)
		for j := range s.dims {
			v, ok := s.dims[j].internal(t.Params[s.dims[j].p.Name])
			if !ok {
				return
			}
			x[j] = s.dims[j].toUnit(v)
		}
		sols = append(sols, sol{x, sign * t.Value})
	}
	sort.SliceStable(sols, func(a, b int) bool { return sols[a].f < sols[b].f })
	n := s.n
	yw := make([]float64, n)
	ys := make([][]float64, s.mu)
	for i := range s.mu {
		y := make([]float64, n)
		for j := range n {
			y[j] = (sols[i].x[j] - s.mean[j]) / s.sigma
			yw[j] += s.w[i] * y[j]
		}
		ys[i] = y
	}
	for j := range n {
		s.mean[j] += s.sigma * yw[j]
	}
	// C^{-1/2} y_w = B D^{-1} Bᵀ y_w
	bty := make([]float64, n)
	for a := range n {
		for j := range n {
			bty[a] += s.B.At(j, a) * yw[j]
		}
		bty[a] /= s.D[a]
	}
	cinv := make([]float64, n)
	for j := range n {
		for a := range n {
			cinv[j] += s.B.At(j, a) * bty[a]
		}
	}
	k := math.Sqrt(s.cs * (2 - s.cs) * s.mueff)
	var psn float64
	for j := range n {
		s.ps[j] = (1-s.cs)*s.ps[j] + k*cinv[j]
		psn += s.ps[j] * s.ps[j]
	}
	psn = math.Sqrt(psn)
	hs := 0.0
	if psn/math.Sqrt(1-math.Pow(1-s.cs, float64(2*(s.gen+1)))) < (1.4+2/(float64(n)+1))*s.chiN {
		hs = 1
	}
	kc := math.Sqrt(s.cc * (2 - s.cc) * s.mueff)
	for j := range n {
		s.pc[j] = (1-s.cc)*s.pc[j] + hs*kc*yw[j]
	}
	delta := (1 - hs) * s.cc * (2 - s.cc)
	keep := 1 + s.c1*delta - s.c1 - s.cmu
	for a := range n {
		for b := a; b < n; b++ {
			v := keep*s.C.At(a, b) + s.c1*s.pc[a]*s.pc[b]
			for i := range s.mu {
				v += s.cmu * s.w[i] * ys[i][a] * ys[i][b]
			}
			s.C.SetSym(a, b, v)
		}
	}
	s.sigma *= math.Exp((s.cs / s.ds) * (psn/s.chiN - 1))
	s.sigma = math.Min(s.sigma, 1e3) // keep a diverging run finite
	s.gen++
	s.decompose()
}

// Sample implements Sampler.
func (c *CMAES) Sample(r *Request) (Params, error) {
	var dims []dim
	for i := range r.Space.Params {
		p := &r.Space.Params[i]
		if p.Kind == Categorical || p.Cond != nil {
			continue
		}
		if d := newDim(p); !d.single() {
			dims = append(dims, d)
		}
	}
	nComplete := 0
	for i := range r.Trials {
		if r.Trials[i].State == Complete {
			nComplete++
		}
	}
	if len(dims) == 0 || nComplete < c.opt.StartupTrials {
		return Random{}.Sample(r)
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.space != r.Space || c.st == nil {
		c.space, c.st = r.Space, newCMAState(dims, c.opt)
	}
	s := c.st
	sign := r.Direction.sign()
	for {
		var idx []int
		for i := range r.Trials {
			t := &r.Trials[i]
			if t.State == Complete && !math.IsNaN(t.Value) && t.Attrs[cmaGenAttr] == strconv.Itoa(s.gen) {
				idx = append(idx, i)
				if len(idx) == s.lam {
					break
				}
			}
		}
		if len(idx) < s.lam {
			break
		}
		s.tell(r, sign, idx)
	}
	out := Params{}
	z := make([]float64, s.n)
	x := make([]float64, s.n)
	for try := 0; ; try++ {
		for j := range z {
			z[j] = r.Rand.NormFloat64() * s.D[j]
		}
		in := true
		for j := range x {
			var v float64
			for a := range s.n {
				v += s.B.At(j, a) * z[a]
			}
			x[j] = s.mean[j] + s.sigma*v
			if x[j] < 0 || x[j] > 1 {
				in = false
			}
		}
		if in || try == 99 {
			break
		}
	}
	for j := range s.dims {
		out[s.dims[j].p.Name] = s.dims[j].fromUnit(math.Min(math.Max(x[j], 0), 1))
	}
	for i := range r.Space.Params {
		p := &r.Space.Params[i]
		if _, done := out[p.Name]; !done && p.Active(out) {
			out[p.Name] = sampleUniform(p, r.Rand)
		}
	}
	r.Attrs = map[string]string{cmaGenAttr: strconv.Itoa(s.gen)}
	return out, nil
}
