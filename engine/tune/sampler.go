package tune

import (
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"strings"
	"sync"
)

// Request is what a sampler gets to choose the parameters of one trial.
type Request struct {
	Space     *Space
	Direction Direction
	// Trials holds every earlier trial in number order, in every state
	// (running trials have no value yet). Samplers must not modify it.
	Trials []TrialResult
	// Number is the number of the trial being sampled.
	Number int
	// Rand is this trial's generator, derived from the study seed and
	// Number: a sampler must draw all its randomness from it.
	Rand *rand.Rand
	// Attrs may be set by the sampler; they are kept with the trial.
	Attrs map[string]string
}

// Sampler chooses the parameters of the next trial. It returns a value for
// every parameter of the space that is active given the others, and nothing
// else. Sample is called for one trial at a time.
type Sampler interface {
	Sample(r *Request) (Params, error)
}

// ErrGridExhausted is returned by the grid sampler when every grid point
// has been tried; Optimize then stops starting trials.
var ErrGridExhausted = errors.New("tune: every point of the grid has been tried")

// Samplers lists the names NewSampler accepts.
func Samplers() []string { return []string{"tpe", "tpe-multivariate", "random", "grid", "cmaes"} }

// NewSampler returns the sampler called name (see Samplers) with its
// default options.
func NewSampler(name string) (Sampler, error) {
	switch strings.ToLower(name) {
	case "tpe", "":
		return NewTPE(TPEOptions{}), nil
	case "tpe-multivariate", "tpe-mv":
		return NewTPE(TPEOptions{Multivariate: true}), nil
	case "random":
		return Random{}, nil
	case "grid":
		return NewGrid(), nil
	case "cmaes", "cma-es", "cma":
		return NewCMAES(CMAESOptions{}), nil
	}
	return nil, fmt.Errorf("tune: unknown sampler %q (want %s)", name, strings.Join(Samplers(), ", "))
}

// Random samples every parameter independently and uniformly: uniformly in
// log(x) for a log scale, uniformly over the steps for a stepped or integer
// parameter, uniformly over the choices for a categorical one.
type Random struct{}

// Sample implements Sampler.
func (Random) Sample(r *Request) (Params, error) {
	out := Params{}
	for i := range r.Space.Params {
		p := &r.Space.Params[i]
		if p.Active(out) {
			out[p.Name] = sampleUniform(p, r.Rand)
		}
	}
	return out, nil
}

// sampleUniform draws one value of p as Random does (Optuna's RandomSampler:
// a log integer is exp(U(log(lo−½), log(hi+½))) rounded and clipped).
func sampleUniform(p *Param, rng *rand.Rand) Value {
	switch {
	case p.Kind == Categorical:
		return Value{Str: p.Choices[rng.IntN(len(p.Choices))]}
	case p.Log && p.Kind == Int:
		lo, hi := math.Log(p.Lo-0.5), math.Log(p.Hi+0.5)
		x := math.Round(math.Exp(lo + rng.Float64()*(hi-lo)))
		return Value{Num: math.Min(math.Max(x, p.Lo), p.Hi)}
	case p.Log:
		lo, hi := math.Log(p.Lo), math.Log(p.Hi)
		x := math.Exp(lo + rng.Float64()*(hi-lo))
		return Value{Num: math.Min(math.Max(x, p.Lo), p.Hi)}
	case p.step() > 0:
		n := int64(math.Round((p.Hi - p.Lo) / p.step()))
		return Value{Num: p.onStep(float64(rng.Int64N(n + 1)))}
	}
	return Value{Num: p.Lo + rng.Float64()*(p.Hi-p.Lo)}
}

// onStep returns Lo + k·step, clipped to Hi, rounded to an integer for Int.
func (p *Param) onStep(k float64) float64 {
	x := math.Min(p.Lo+k*p.step(), p.Hi)
	if p.Kind == Int {
		x = math.Round(x)
	}
	return x
}

// Grid tries every point of the cartesian product of the parameters' grids,
// in an order drawn at random among the points not yet tried (as Optuna's
// GridSampler): a categorical parameter's choices; an Int's values from Lo
// to Hi by its step (1 by default); a Float's Lo + k·Step, or with Points,
// Points values spaced evenly from Lo to Hi (geometrically with Log; an Int
// with Points takes them rounded). A Float with neither Step nor Points is
// an error. A conditional parameter is enumerated only under the parent
// values that activate it. Points already in the study (in any state) are
// not tried again; when none is left Sample returns ErrGridExhausted.
type Grid struct {
	mu     sync.Mutex
	space  *Space
	points []Params
	keys   []string
}

// MaxGridPoints bounds the size of a grid.
const MaxGridPoints = 1_000_000

// NewGrid returns a grid sampler.
func NewGrid() *Grid { return &Grid{} }

// Sample implements Sampler.
func (g *Grid) Sample(r *Request) (Params, error) {
	g.mu.Lock()
	defer g.mu.Unlock()
	if g.space != r.Space {
		pts, err := GridPoints(r.Space)
		if err != nil {
			return nil, err
		}
		g.space, g.points = r.Space, pts
		g.keys = make([]string, len(pts))
		for i, p := range pts {
			g.keys[i] = gridKey(r.Space, p)
		}
	}
	seen := make(map[string]bool, len(r.Trials))
	for _, t := range r.Trials {
		seen[gridKey(r.Space, t.Params)] = true
	}
	var free []int
	for i, k := range g.keys {
		if !seen[k] {
			free = append(free, i)
		}
	}
	if len(free) == 0 {
		return nil, ErrGridExhausted
	}
	p := g.points[free[r.Rand.IntN(len(free))]]
	out := make(Params, len(p))
	for k, v := range p {
		out[k] = v
	}
	return out, nil
}

func gridKey(s *Space, p Params) string {
	var b strings.Builder
	for i := range s.Params {
		q := &s.Params[i]
		if v, ok := p[q.Name]; ok {
			b.WriteString(q.Name)
			b.WriteByte('=')
			b.WriteString(q.Text(v))
			b.WriteByte('\x00')
		}
	}
	return b.String()
}

// GridPoints returns every point of the space's grid (see Grid), or an error
// naming a parameter without a finite grid or a grid over MaxGridPoints.
func GridPoints(s *Space) ([]Params, error) {
	if err := s.Validate(); err != nil {
		return nil, err
	}
	vals := make([][]Value, len(s.Params))
	for i := range s.Params {
		v, err := paramGrid(&s.Params[i])
		if err != nil {
			return nil, err
		}
		vals[i] = v
	}
	var out []Params
	var rec func(i int, cur Params) error
	rec = func(i int, cur Params) error {
		if i == len(s.Params) {
			if len(out) >= MaxGridPoints {
				return fmt.Errorf("tune: grid: more than %d points; add steps or fewer points", MaxGridPoints)
			}
			p := make(Params, len(cur))
			for k, v := range cur {
				p[k] = v
			}
			out = append(out, p)
			return nil
		}
		p := &s.Params[i]
		if !p.Active(cur) {
			return rec(i+1, cur)
		}
		for _, v := range vals[i] {
			cur[p.Name] = v
			if err := rec(i+1, cur); err != nil {
				return err
			}
		}
		delete(cur, p.Name)
		return nil
	}
	if err := rec(0, Params{}); err != nil {
		return nil, err
	}
	return out, nil
}

func paramGrid(p *Param) ([]Value, error) {
	if p.Kind == Categorical {
		out := make([]Value, len(p.Choices))
		for i, c := range p.Choices {
			out[i] = Value{Str: c}
		}
		return out, nil
	}
	if p.Lo == p.Hi {
		return []Value{{Num: p.Lo}}, nil
	}
	var xs []float64
	switch {
	case p.Points > 0:
		for k := range p.Points {
			f := float64(k) / float64(p.Points-1)
			var x float64
			if p.Log {
				x = math.Exp(math.Log(p.Lo) + f*(math.Log(p.Hi)-math.Log(p.Lo)))
			} else {
				x = p.Lo + f*(p.Hi-p.Lo)
			}
			if k == 0 {
				x = p.Lo
			} else if k == p.Points-1 {
				x = p.Hi
			}
			if p.Kind == Int {
				x = math.Round(x)
			}
			if len(xs) == 0 || xs[len(xs)-1] != x {
				xs = append(xs, x)
			}
		}
	case p.step() > 0:
		n := math.Round((p.Hi - p.Lo) / p.step())
		if n+1 > MaxGridPoints {
			return nil, fmt.Errorf("tune: grid: parameter %q has %g steps; give it a larger step or points N", p.Name, n+1)
		}
		for k := 0; k <= int(n); k++ {
			xs = append(xs, p.onStep(float64(k)))
		}
	default:
		return nil, fmt.Errorf("tune: grid: float parameter %q needs a step S or points N", p.Name)
	}
	out := make([]Value, len(xs))
	for i, x := range xs {
		out[i] = Value{Num: x}
	}
	return out, nil
}
