package tune

import (
	"cmp"
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
)

// parzenCase is the fixture of the Parzen estimator tests: 8 observations
// of a: float 0..1 and b: float 1..10 log, and 4 points to score.
var parzenCase = struct {
	a, b, xa, xb []float64
}{
	a:  []float64{0.1, 0.5, 0.52, 0.9, 0.95, 0.3, 0.31, 0.7},
	b:  []float64{1.5, 3.0, 9.0, 2.0, 1.1, 7.5, 4.0, 2.2},
	xa: []float64{0.0, 0.2, 0.5, 0.99},
	xb: []float64{1.0, 2.0, 5.0, 9.9},
}

func logs(x []float64) []float64 {
	out := make([]float64, len(x))
	for i, v := range x {
		out[i] = math.Log(v)
	}
	return out
}

// TestParzenLogPDF compares the estimators' log densities with references
// (tolerance 1e-12):
//
//   - normalised (mlwb's default): the mixture of scipy.stats.truncnorm
//     densities with Optuna 3.1's μ, σ and weights,
//
//     mus, sg = pe._mus["a"], pe._sigmas["a"]   # _ParzenEstimator, univariate
//     np.log(np.mean([truncnorm.pdf(x, (0-m)/s, (1-m)/s, loc=m, scale=s) for m, s in zip(mus, sg)]))
//
//   - unnormalized: Optuna 3.1.0's own _ParzenEstimator.log_pdf (whose
//     truncnorm.logpdf leaves out −log σ),
//
//     p = _ParzenEstimatorParameters(True, 1.0, True, False, default_weights, mv)
//     _ParzenEstimator(obs, search_space, p).log_pdf(points)
func TestParzenLogPDF(t *testing.T) {
	sp := mustParse(t, "a: float 0..1\nb: float 1..10 log\n")
	dims := []dim{newDim(&sp.Params[0]), newDim(&sp.Params[1])}
	obs := [][]float64{parzenCase.a, logs(parzenCase.b)}
	xs := [][]float64{parzenCase.xa, logs(parzenCase.xb)}
	cases := []struct {
		name  string
		dims  []int
		opt   parzenOptions
		want  []float64
		sigma []float64 // of dim 0
	}{
		{"a normalised", []int{0}, parzenOptions{priorWeight: 1},
			[]float64{-0.6182946924208902, -0.06082088819299082, 0.11455319265215512, 0.08141903216395473},
			[]float64{0.2, 0.19, 0.18, 0.2, 0.1, 0.2, 0.19, 0.2, 1}},
		{"a optuna 3.1", []int{0}, parzenOptions{priorWeight: 1, unnormalized: true},
			[]float64{-1.6676076586179092, -1.2984532732024778, -1.1772960389035296, -1.428508268144373}, nil},
		{"b optuna 3.1", []int{1}, parzenOptions{priorWeight: 1, unnormalized: true},
			[]float64{-1.6090537093883466, -1.216794877299348, -1.4788272320838836, -1.4303534877594155},
			[]float64{0.31015493, 0.31015493, 0.23025851, 0.28768207, 0.31015493, 0.62860866, 0.62860866, 0.31015493, 2.30258509}},
		{"ab multivariate optuna 3.1", []int{0, 1}, parzenOptions{priorWeight: 1, multivariate: true, unnormalized: true},
			[]float64{-2.2704718945833515, -2.047669043791237, -1.9754587911902723, -2.3570011310034573},
			[]float64{0.14142136, 0.14142136, 0.14142136, 0.14142136, 0.14142136, 0.14142136, 0.14142136, 0.14142136, 1}},
	}
	for _, c := range cases {
		var d []dim
		var o, x [][]float64
		for _, j := range c.dims {
			d, o, x = append(d, dims[j]), append(o, obs[j]), append(x, xs[j])
		}
		pe := newParzen(d, o, nil, c.opt)
		got := make([]float64, len(c.want))
		pe.logPDF(x, got)
		for i := range got {
			if math.Abs(got[i]-c.want[i]) > 1e-12 {
				t.Errorf("%s: log pdf at point %d = %.16g, want %.16g", c.name, i, got[i], c.want[i])
			}
		}
		for i, s := range c.sigma {
			if math.Abs(pe.sig[0][i]-s) > 1e-8 {
				t.Errorf("%s: σ_%d = %.10g, want %.10g", c.name, i, pe.sig[0][i], s)
			}
		}
	}
}

// TestParzenFastPaths: the shortcuts of logPDF — the window over sorted
// components of a continuous dim, the per-choice sum of a categorical dim,
// the grouped sum of a stepped dim — and the cached sort order give the
// full sum's result (to 1e-12) on 1,000 observations.
func TestParzenFastPaths(t *testing.T) {
	sp := mustParse(t, "x: float -3..7\nl: float 0.001..10 log\nc: cat a|b|c|d\nk: int 1..9\n")
	rng := rand.New(rand.NewPCG(3, 4))
	for j := range sp.Params {
		d := newDim(&sp.Params[j])
		obs := make([]float64, 1000)
		for i := range obs {
			v := sampleUniform(&sp.Params[j], rng)
			if i%3 == 0 && !d.cat { // clusters: some large and some tiny gaps
				v = Value{Num: sp.Params[j].Lo}
			}
			obs[i], _ = d.internal(v)
		}
		full := newParzen([]dim{d}, [][]float64{obs}, nil, parzenOptions{priorWeight: 1})
		ord := sortedComponents(obs)
		fast := newParzen([]dim{d}, [][]float64{obs}, [][]int32{ord}, parzenOptions{priorWeight: 1})
		for i := range full.sig[0] {
			if full.sig[0][i] != fast.sig[0][i] {
				t.Fatalf("%s: σ_%d %g with the given order, %g sorted here", d.p.Name, i, fast.sig[0][i], full.sig[0][i])
			}
		}
		x, _ := fast.sample(rng, 200)
		got, want := make([]float64, 200), make([]float64, 200)
		fast.logPDF(x, got)
		full.plain = true
		full.logPDF(x, want)
		for c := range got {
			if math.Abs(got[c]-want[c]) > 1e-12*math.Max(1, math.Abs(want[c])) {
				t.Fatalf("%s: point %g: %.16g, full sum %.16g", d.p.Name, x[0][c], got[c], want[c])
			}
		}
	}
}

// TestTPECacheMatchesFresh: a TPE kept across calls — its observation cache
// brought up to date with trials that were added, that went from running to
// complete or pruned, and with a space whose bounds changed — samples what a
// new TPE samples from the same request.
func TestTPECacheMatchesFresh(t *testing.T) {
	sp := mustParse(t, mixedText)
	kept := NewTPE(TPEOptions{})
	h := history(sp, 80)
	for i := range h {
		if i%7 == 3 {
			h[i].State, h[i].Value = Running, math.NaN()
		}
		if i%11 == 5 {
			h[i].State, h[i].Intermediate = Pruned, []Step{{Step: i % 3, Value: h[i].Value}}
		}
	}
	for n := 10; n <= 80; n += 3 {
		trials := slices.Clone(h[:n])
		for i := range trials[:max(0, n-6)] { // older running trials have finished
			if trials[i].State == Running {
				trials[i].State, trials[i].Value = Complete, float64(i%5)
			}
		}
		space := sp
		if n > 50 { // the space is edited: a narrower range drops some values
			space = mustParse(t, strings.Replace(mixedText, "n_estimators: int 50..500 log", "n_estimators: int 50..100 log", 1))
		}
		req := func() *Request {
			return &Request{Space: space, Trials: trials, Number: n, Rand: rand.New(rand.NewPCG(9, uint64(n)))}
		}
		a, err := kept.Sample(req())
		if err != nil {
			t.Fatal(err)
		}
		b, _ := NewTPE(TPEOptions{}).Sample(req())
		if !sameParams(a, b) {
			t.Fatalf("%d trials: kept TPE %v, new TPE %v", n, a, b)
		}
		// Each cache used in this call holds the trials with a legal value
		// sorted by (value, index).
		checked := 0
		for name, c := range kept.obs {
			if c.n != n {
				continue // a conditional parameter sampled in no call since
			}
			checked++
			p := space.Param(name)
			var want []int32
			for i := range trials {
				if v, ok := trials[i].Params[name]; ok && p.Contains(v) {
					want = append(want, int32(i))
				}
			}
			slices.SortStableFunc(want, func(a, b int32) int { return cmp.Compare(c.x[a], c.x[b]) })
			if !slices.Equal(c.sorted, want) {
				t.Fatalf("%d trials: %s cache sorted %v, want %v", n, name, c.sorted, want)
			}
		}
		if n >= 20 && checked < 5 {
			t.Fatalf("%d trials: %d caches up to date", n, checked)
		}
	}
}
