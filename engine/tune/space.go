package tune

import (
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"sort"
	"strconv"
	"strings"
)

// Kind is the type of a search-space parameter.
type Kind int

const (
	// Int is an integer in [Lo, Hi], optionally log-scaled or on a step.
	Int Kind = iota
	// Float is a real in [Lo, Hi], optionally log-scaled or on a step.
	Float
	// Categorical is one of a list of text choices.
	Categorical
)

// String returns "int", "float" or "cat".
func (k Kind) String() string {
	switch k {
	case Int:
		return "int"
	case Float:
		return "float"
	case Categorical:
		return "cat"
	}
	return fmt.Sprintf("Kind(%d)", int(k))
}

// Condition makes a parameter active only when the categorical parameter
// Parent (earlier in the space) is active and takes one of Values.
type Condition struct {
	Parent string
	Values []string
}

// Param is one dimension of a search space.
//
// Int and Float parameters take values in [Lo, Hi]. Log samples uniformly in
// log(x) (Lo must be > 0). Step, when > 0, restricts values to Lo + k·Step
// (for Int the step defaults to 1; Log and a Step other than 1 exclude each
// other, as in Optuna). Points, when > 0, is used only by the grid sampler:
// it takes Points values evenly spaced from Lo to Hi (geometrically when
// Log). The grid sampler needs a Step or Points for a Float.
type Param struct {
	Name    string
	Kind    Kind
	Lo, Hi  float64
	Log     bool
	Step    float64
	Points  int
	Choices []string
	// Cond, when not nil, makes the parameter conditional.
	Cond *Condition
}

// Space is an ordered list of parameters; a parent comes before the
// parameters conditional on it. Build one with Parse or by hand and check it
// with Validate.
type Space struct {
	Params []Param
}

// Value is the value of one parameter in a trial: Num for Int and Float
// parameters (integral for Int), Str for Categorical ones.
type Value struct {
	Num float64
	Str string
}

// Params holds a trial's values by parameter name; only the parameters that
// are active in the trial are present.
type Params map[string]Value

// MarshalJSON writes a number, or a string for a categorical value.
func (v Value) MarshalJSON() ([]byte, error) {
	if v.Str != "" {
		return json.Marshal(v.Str)
	}
	return jsonFloat(v.Num).MarshalJSON()
}

// UnmarshalJSON reads a number or a string.
func (v *Value) UnmarshalJSON(b []byte) error {
	var s string
	if len(b) > 0 && b[0] == '"' {
		if err := json.Unmarshal(b, &s); err != nil {
			return err
		}
		switch s {
		case "NaN", "+Inf", "-Inf":
			var f jsonFloat
			if err := f.UnmarshalJSON(b); err != nil {
				return err
			}
			*v = Value{Num: float64(f)}
			return nil
		}
		*v = Value{Str: s}
		return nil
	}
	var f float64
	if err := json.Unmarshal(b, &f); err != nil {
		return err
	}
	*v = Value{Num: f}
	return nil
}

// Text formats the value as a model parameter: the choice, an integer, or a
// float in the shortest form that reads back exactly.
func (p *Param) Text(v Value) string {
	switch p.Kind {
	case Categorical:
		return v.Str
	case Int:
		return strconv.FormatInt(int64(v.Num), 10)
	}
	return strconv.FormatFloat(v.Num, 'g', -1, 64)
}

// ErrEmptySpace is returned by Validate for a space without parameters.
var ErrEmptySpace = errors.New("tune: the search space has no parameters")

// Param returns the parameter called name, or nil.
func (s *Space) Param(name string) *Param {
	for i := range s.Params {
		if s.Params[i].Name == name {
			return &s.Params[i]
		}
	}
	return nil
}

// Names returns the parameter names in order.
func (s *Space) Names() []string {
	out := make([]string, len(s.Params))
	for i, p := range s.Params {
		out[i] = p.Name
	}
	return out
}

// Validate checks the space: at least one parameter, unique names, Lo ≤ Hi
// and finite, Lo > 0 with Log, a positive Step that divides Hi − Lo, no Log
// with a Step (other than 1 for an Int), integral bounds for an Int, at least
// one distinct choice for a Categorical, and conditions on an earlier
// categorical parent naming some of its choices.
func (s *Space) Validate() error {
	if s == nil || len(s.Params) == 0 {
		return ErrEmptySpace
	}
	seen := make(map[string]int, len(s.Params))
	for i := range s.Params {
		p := &s.Params[i]
		if err := p.validate(); err != nil {
			return err
		}
		if _, dup := seen[p.Name]; dup {
			return fmt.Errorf("tune: parameter %q appears twice in the search space", p.Name)
		}
		if c := p.Cond; c != nil {
			j, ok := seen[c.Parent]
			if !ok {
				if s.Param(c.Parent) != nil {
					return fmt.Errorf("tune: parameter %q is conditional on %q, which must come before it", p.Name, c.Parent)
				}
				return fmt.Errorf("tune: parameter %q is conditional on unknown parameter %q", p.Name, c.Parent)
			}
			par := &s.Params[j]
			if par.Kind != Categorical {
				return fmt.Errorf("tune: parameter %q is conditional on %q, which is not categorical", p.Name, c.Parent)
			}
			if len(c.Values) == 0 {
				return fmt.Errorf("tune: parameter %q: condition on %q names no value", p.Name, c.Parent)
			}
			for _, v := range c.Values {
				if par.choice(v) < 0 {
					return fmt.Errorf("tune: parameter %q: condition value %q is not a choice of %q (%s)", p.Name, v, c.Parent, strings.Join(par.Choices, "|"))
				}
			}
		}
		seen[p.Name] = i
	}
	return nil
}

func (p *Param) validate() error {
	if p.Name == "" {
		return errors.New("tune: a parameter has no name")
	}
	if strings.ContainsAny(p.Name, ": \t\n=|#") {
		return fmt.Errorf("tune: parameter name %q may not contain spaces or any of :=|#", p.Name)
	}
	if p.Kind == Categorical {
		if len(p.Choices) == 0 {
			return fmt.Errorf("tune: parameter %q has no choices", p.Name)
		}
		for i, c := range p.Choices {
			if c == "" || strings.ContainsAny(c, " \t\n|#") {
				return fmt.Errorf("tune: parameter %q: choice %q is empty or has a space, | or #", p.Name, c)
			}
			for _, d := range p.Choices[:i] {
				if c == d {
					return fmt.Errorf("tune: parameter %q lists choice %q twice", p.Name, c)
				}
			}
		}
		return nil
	}
	if p.Kind != Int && p.Kind != Float {
		return fmt.Errorf("tune: parameter %q has unknown kind %v", p.Name, p.Kind)
	}
	if math.IsNaN(p.Lo) || math.IsNaN(p.Hi) || math.IsInf(p.Lo, 0) || math.IsInf(p.Hi, 0) {
		return fmt.Errorf("tune: parameter %q: bounds %v..%v must be finite", p.Name, p.Lo, p.Hi)
	}
	if p.Lo > p.Hi {
		return fmt.Errorf("tune: parameter %q: lower bound %v is above upper bound %v", p.Name, p.Lo, p.Hi)
	}
	if p.Log && p.Lo <= 0 {
		return fmt.Errorf("tune: parameter %q: a log scale needs a lower bound > 0, got %v", p.Name, p.Lo)
	}
	if p.Step < 0 || math.IsNaN(p.Step) || math.IsInf(p.Step, 0) {
		return fmt.Errorf("tune: parameter %q: step %v must be positive", p.Name, p.Step)
	}
	if p.Points < 0 || p.Points == 1 && p.Lo != p.Hi {
		return fmt.Errorf("tune: parameter %q: points %d must be at least 2", p.Name, p.Points)
	}
	if p.Kind == Int {
		if p.Lo != math.Trunc(p.Lo) || p.Hi != math.Trunc(p.Hi) {
			return fmt.Errorf("tune: parameter %q: integer bounds %v..%v are not integers", p.Name, p.Lo, p.Hi)
		}
		if math.Abs(p.Lo) > 1<<53 || math.Abs(p.Hi) > 1<<53 {
			return fmt.Errorf("tune: parameter %q: integer bounds beyond ±2^53", p.Name)
		}
		if p.Step != 0 && p.Step != math.Trunc(p.Step) {
			return fmt.Errorf("tune: parameter %q: an integer step must be an integer, got %v", p.Name, p.Step)
		}
		if p.Log && p.Step > 1 {
			return fmt.Errorf("tune: parameter %q: log scale and step %v exclude each other", p.Name, p.Step)
		}
	} else if p.Log && p.Step > 0 {
		return fmt.Errorf("tune: parameter %q: log scale and step %v exclude each other", p.Name, p.Step)
	}
	if st := p.step(); st > 0 && p.Hi > p.Lo {
		k := (p.Hi - p.Lo) / st
		if math.Abs(k-math.Round(k)) > 1e-9*math.Max(1, k) {
			return fmt.Errorf("tune: parameter %q: range %v..%v is not a whole number of steps %v", p.Name, p.Lo, p.Hi, st)
		}
	}
	return nil
}

// step returns the effective step: 1 for an Int without one, 0 (none) for a
// continuous Float.
func (p *Param) step() float64 {
	if p.Kind == Int && p.Step == 0 {
		return 1
	}
	return p.Step
}

// choice returns the index of c in p.Choices, or -1.
func (p *Param) choice(c string) int {
	for i, d := range p.Choices {
		if d == c {
			return i
		}
	}
	return -1
}

// Active reports whether p is active given the values chosen so far.
func (p *Param) Active(params Params) bool {
	if p.Cond == nil {
		return true
	}
	v, ok := params[p.Cond.Parent]
	if !ok {
		return false
	}
	for _, c := range p.Cond.Values {
		if v.Str == c {
			return true
		}
	}
	return false
}

// Contains reports whether v is a legal value of p.
func (p *Param) Contains(v Value) bool {
	if p.Kind == Categorical {
		return p.choice(v.Str) >= 0
	}
	if v.Str != "" || math.IsNaN(v.Num) || v.Num < p.Lo || v.Num > p.Hi {
		return false
	}
	if st := p.step(); st > 0 {
		k := (v.Num - p.Lo) / st
		return math.Abs(k-math.Round(k)) <= 1e-9*math.Max(1, k)
	}
	return true
}

// Check reports the first problem with params against the space: a missing
// active parameter, a value out of range, or a parameter that is unknown or
// inactive.
func (s *Space) Check(params Params) error {
	for i := range s.Params {
		p := &s.Params[i]
		v, ok := params[p.Name]
		act := p.Active(params)
		switch {
		case act && !ok:
			return fmt.Errorf("tune: parameter %q has no value", p.Name)
		case !act && ok:
			return fmt.Errorf("tune: parameter %q is set but inactive (%s is not %s)", p.Name, p.Cond.Parent, strings.Join(p.Cond.Values, "|"))
		case ok && !p.Contains(v):
			return fmt.Errorf("tune: parameter %q value %s is outside %s", p.Name, p.Text(v), p.spec())
		}
	}
	for name := range params {
		if s.Param(name) == nil {
			return fmt.Errorf("tune: unknown parameter %q", name)
		}
	}
	return nil
}

// CheckNames reports the first parameter of the space that is not among
// known (a model's parameter names), suggesting the closest known name.
func (s *Space) CheckNames(model string, known []string) error {
	for _, p := range s.Params {
		found := false
		for _, k := range known {
			if p.Name == k {
				found = true
				break
			}
		}
		if found {
			continue
		}
		if c := closest(p.Name, known); c != "" {
			return fmt.Errorf("tune: %s has no parameter %q (did you mean %q?)", model, p.Name, c)
		}
		k := append([]string(nil), known...)
		sort.Strings(k)
		return fmt.Errorf("tune: %s has no parameter %q (it has %s)", model, p.Name, strings.Join(k, ", "))
	}
	return nil
}

// Text returns the values formatted as model parameters (see Param.Text).
func (s *Space) Text(params Params) map[string]string {
	out := make(map[string]string, len(params))
	for name, v := range params {
		if p := s.Param(name); p != nil {
			out[name] = p.Text(v)
		} else if v.Str != "" {
			out[name] = v.Str
		} else {
			out[name] = strconv.FormatFloat(v.Num, 'g', -1, 64)
		}
	}
	return out
}

// closest returns the name nearest to s by edit distance when the distance
// is at most max(2, len(s)/3), or "".
func closest(s string, names []string) string {
	best, bestD := "", math.MaxInt
	for _, n := range names {
		if d := editDistance(s, n); d < bestD || (d == bestD && n < best) {
			best, bestD = n, d
		}
	}
	if bestD <= max(2, len(s)/3) {
		return best
	}
	return ""
}

func editDistance(a, b string) int {
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			c := prev[j-1]
			if a[i-1] != b[j-1] {
				c++
			}
			cur[j] = min(c, prev[j]+1, cur[j-1]+1)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}
