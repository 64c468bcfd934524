package features

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"sort"

	"github.com/mlwb/mlwb/engine/frame"
	"github.com/mlwb/mlwb/engine/stats"
)

// newRand returns the seeded generator of a fit.
func newRand(seed uint64) *rand.Rand { return rand.New(rand.NewPCG(seed, 0x6d6c7762)) }

func scaleKinds() []*kind {
	mk := func(name, doc string, ps []ParamInfo, fit func(x []float64, p *params) (center, scale float64)) *kind {
		return &kind{
			info: TransformInfo{Name: name, Group: "scaling", Doc: doc, Params: ps},
			fit: func(e *fitEnv, cols []string, p *params, train *frame.Frame) (step, error) {
				s := &affineStep{Columns: cols}
				for _, name := range cols {
					x, err := floats(train, name)
					if err != nil {
						return nil, err
					}
					c, sc := fit(x, p)
					if math.IsNaN(c) {
						c = 0
					}
					if math.IsNaN(sc) || sc == 0 {
						sc = 1 // a constant column: scikit-learn leaves the scale at 1
					}
					s.Center = append(s.Center, nfloat(c))
					s.Scale = append(s.Scale, nfloat(sc))
				}
				return s, nil
			},
			zero: func() step { return &affineStep{} },
		}
	}
	return []*kind{
		mk("standard_scale", "(x − mean) / std with the population std (scikit-learn StandardScaler); NaN ignored in fit and kept",
			[]ParamInfo{{"with_mean", "true", "subtract the mean"}, {"with_std", "true", "divide by the std"}},
			func(x []float64, p *params) (float64, float64) {
				wm, ws := p.bool("with_mean", true), p.bool("with_std", true)
				m, v := meanVar(x)
				c, s := m, math.Sqrt(v)
				if !wm {
					c = 0
				}
				if !ws {
					s = 1
				}
				return c, s
			}),
		mk("minmax_scale", "(x − min) / (max − min) · (hi − lo) + lo (scikit-learn MinMaxScaler)",
			[]ParamInfo{{"min", "0", "lower end of the output range"}, {"max", "1", "upper end"}},
			func(x []float64, p *params) (float64, float64) {
				lo, hi := p.float("min", 0), p.float("max", 1)
				if !(hi > lo) {
					p.fail("max", "a number above min", hi)
				}
				mn, mx := math.Inf(1), math.Inf(-1)
				for _, v := range x {
					if v == v {
						mn, mx = math.Min(mn, v), math.Max(mx, v)
					}
				}
				if math.IsInf(mn, 1) {
					return math.NaN(), 1
				}
				rng := mx - mn
				if rng == 0 {
					rng = 1
				}
				// y = (x − mn)/rng·(hi−lo) + lo = (x − c)/s with s = rng/(hi−lo), c = mn − lo·s
				s := rng / (hi - lo)
				return mn - lo*s, s
			}),
		mk("robust_scale", "(x − median) / (q_hi − q_lo) with quantiles by linear interpolation (scikit-learn RobustScaler)",
			[]ParamInfo{{"q_lo", "25", "lower quantile, percent"}, {"q_hi", "75", "upper quantile, percent"}},
			func(x []float64, p *params) (float64, float64) {
				lo, hi := p.float("q_lo", 25), p.float("q_hi", 75)
				if !(lo >= 0 && lo < hi && hi <= 100) {
					p.fail("q_hi", "0 ≤ q_lo < q_hi ≤ 100", hi)
					return 0, 1
				}
				v := nonNaN(x)
				sort.Float64s(v)
				if len(v) == 0 {
					return math.NaN(), 1
				}
				return stats.Median(v), stats.Quantile(hi/100, v) - stats.Quantile(lo/100, v)
			}),
		mk("maxabs_scale", "x / max|x| (scikit-learn MaxAbsScaler)", nil,
			func(x []float64, p *params) (float64, float64) {
				var m float64
				for _, v := range x {
					if v == v {
						m = math.Max(m, math.Abs(v))
					}
				}
				return 0, m
			}),
	}
}

// meanVar returns the mean and population variance of the non-NaN values
// (two-pass, as numpy's var with ddof 0).
func meanVar(x []float64) (mean, variance float64) {
	var s float64
	n := 0
	for _, v := range x {
		if v == v {
			s += v
			n++
		}
	}
	if n == 0 {
		return math.NaN(), math.NaN()
	}
	mean = s / float64(n)
	var ss, c float64
	for _, v := range x {
		if v == v {
			d := v - mean
			ss += d * d
			c += d
		}
	}
	return mean, (ss - c*c/float64(n)) / float64(n)
}

// affineStep maps each column to (x − Center) / Scale.
type affineStep struct {
	Columns []string `json:"columns"`
	Center  []nfloat `json:"center"`
	Scale   []nfloat `json:"scale"`
}

func (s *affineStep) validate() error {
	if len(s.Center) != len(s.Columns) || len(s.Scale) != len(s.Columns) {
		return fmt.Errorf("%d columns but %d centers and %d scales", len(s.Columns), len(s.Center), len(s.Scale))
	}
	return nil
}

func (s *affineStep) apply(ctx context.Context, f *frame.Frame) (*frame.Frame, error) {
	var err error
	for j, name := range s.Columns {
		x, ferr := floats(f, name)
		if ferr != nil {
			return nil, ferr
		}
		c, sc := float64(s.Center[j]), float64(s.Scale[j])
		for i, v := range x {
			x[i] = (v - c) / sc
		}
		if f, err = replace(f, name, floatCol(name, x)); err != nil {
			return nil, err
		}
	}
	return f, nil
}
