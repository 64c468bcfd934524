package models

import (
	"fmt"
	"math"
	"sort"
	"strconv"
	"strings"
)

// Param is one parameter of a model: its scikit-learn name, current value as
// text, default value and a one-line help.
type Param struct {
	Name    string
	Value   string
	Default string
	Help    string
}

// param describes one settable parameter: get formats the current value, set
// parses and checks text.
type param struct {
	name, help string
	get        func() string
	set        func(string) error
}

// paramTable is a model's list of parameters. Models build it on demand from
// pointers to their fields, so it holds no state of its own.
type paramTable []param

// list returns the parameters sorted by name with defaults taken from def
// (the same table built over a model with default values).
func (t paramTable) list(def paramTable) []Param {
	out := make([]Param, len(t))
	for i, p := range t {
		out[i] = Param{Name: p.name, Value: p.get(), Help: p.help}
		for _, d := range def {
			if d.name == p.name {
				out[i].Default = d.get()
			}
		}
	}
	sort.Slice(out, func(a, b int) bool { return out[a].Name < out[b].Name })
	return out
}

// set sets parameter name of model kind, suggesting the closest name when
// name is unknown.
func (t paramTable) set(kind, name, value string) error {
	for _, p := range t {
		if p.name == name {
			if err := p.set(strings.TrimSpace(value)); err != nil {
				return fmt.Errorf("models: %s parameter %q: %w", kind, name, err)
			}
			return nil
		}
	}
	names := make([]string, len(t))
	for i, p := range t {
		names[i] = p.name
	}
	if s := closest(name, names); s != "" {
		return fmt.Errorf("models: %s has no parameter %q (did you mean %q?)", kind, name, s)
	}
	sort.Strings(names)
	return fmt.Errorf("models: %s has no parameter %q (it has %s)", kind, name, strings.Join(names, ", "))
}

// closest returns the name in names nearest to s by edit distance when that
// distance is at most a third of s's length (at least 2), or "".
func closest(s string, names []string) string {
	best, bestD := "", math.MaxInt
	for _, n := range names {
		if d := editDistance(s, n); d < bestD || (d == bestD && n < best) {
			best, bestD = n, d
		}
	}
	limit := max(2, len(s)/3)
	if bestD <= limit {
		return best
	}
	return ""
}

// editDistance is the Levenshtein distance between a and b (bytes).
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

// intParam is an integer parameter in [lo, hi]. none, when not "", is a word
// accepted for the value noneVal (e.g. max_depth "none" = 0, unlimited).
func intParam(name, help string, p *int, lo, hi int, none string, noneVal int) param {
	return param{name: name, help: help,
		get: func() string {
			if none != "" && *p == noneVal {
				return none
			}
			return strconv.Itoa(*p)
		},
		set: func(s string) error {
			if none != "" && strings.EqualFold(s, none) {
				*p = noneVal
				return nil
			}
			v, err := strconv.Atoi(s)
			if err != nil {
				if none != "" {
					return fmt.Errorf("%q is not an integer or %q", s, none)
				}
				return fmt.Errorf("%q is not an integer", s)
			}
			if v < lo || v > hi {
				return fmt.Errorf("%d is out of range [%d, %d]", v, lo, hi)
			}
			*p = v
			return nil
		}}
}

// floatParam is a real parameter in [lo, hi] (open at lo when loOpen).
func floatParam(name, help string, p *float64, lo, hi float64, loOpen bool) param {
	return param{name: name, help: help,
		get: func() string { return strconv.FormatFloat(*p, 'g', -1, 64) },
		set: func(s string) error {
			v, err := strconv.ParseFloat(s, 64)
			if err != nil || math.IsNaN(v) {
				return fmt.Errorf("%q is not a number", s)
			}
			if v < lo || v > hi || (loOpen && v == lo) {
				open := "["
				if loOpen {
					open = "("
				}
				return fmt.Errorf("%v is out of range %s%v, %v]", v, open, lo, hi)
			}
			*p = v
			return nil
		}}
}

// boolParam is a true/false parameter.
func boolParam(name, help string, p *bool) param {
	return param{name: name, help: help,
		get: func() string { return strconv.FormatBool(*p) },
		set: func(s string) error {
			v, err := strconv.ParseBool(s)
			if err != nil {
				return fmt.Errorf("%q is not true or false", s)
			}
			*p = v
			return nil
		}}
}

// choiceParam is a parameter taking one of choices.
func choiceParam(name, help string, p *string, choices ...string) param {
	return param{name: name, help: help,
		get: func() string { return *p },
		set: func(s string) error {
			for _, c := range choices {
				if s == c {
					*p = s
					return nil
				}
			}
			return fmt.Errorf("%q is not one of %s", s, strings.Join(choices, ", "))
		}}
}

// seedParam is random_state: the seed (a non-negative integer).
func seedParam(p *uint64) param {
	return param{name: "random_state", help: "seed of the random number generator",
		get: func() string { return strconv.FormatUint(*p, 10) },
		set: func(s string) error {
			v, err := strconv.ParseUint(s, 10, 64)
			if err != nil {
				return fmt.Errorf("%q is not a non-negative integer", s)
			}
			*p = v
			return nil
		}}
}

// maxFeaturesParam is max_features as scikit-learn takes it: "sqrt", "log2",
// a fraction in (0, 1] written with a point ("0.5", "1.0"), a count ("5"), or
// "auto" (sqrt for classification, all for regression).
func maxFeaturesParam(p *string) param {
	return param{name: "max_features", help: "features tried per split: sqrt, log2, auto, a fraction (0.5) or a count (5)",
		get: func() string { return *p },
		set: func(s string) error {
			if _, err := resolveMaxFeatures(s, 1, false); err != nil {
				return err
			}
			*p = s
			return nil
		}}
}

// resolveMaxFeatures returns how many of p features to try per split.
func resolveMaxFeatures(s string, p int, classifier bool) (int, error) {
	switch s {
	case "sqrt":
		return max(1, int(math.Sqrt(float64(p)))), nil
	case "log2":
		return max(1, int(math.Log2(float64(p)))), nil
	case "auto":
		if classifier {
			return max(1, int(math.Sqrt(float64(p)))), nil
		}
		return p, nil
	case "", "none", "None":
		return p, nil
	}
	if strings.ContainsAny(s, ".eE") {
		f, err := strconv.ParseFloat(s, 64)
		if err != nil || !(f > 0 && f <= 1) {
			return 0, fmt.Errorf("%q is not sqrt, log2, auto, a fraction in (0, 1] or a count ≥ 1", s)
		}
		return max(1, int(f*float64(p))), nil
	}
	n, err := strconv.Atoi(s)
	if err != nil || n < 1 {
		return 0, fmt.Errorf("%q is not sqrt, log2, auto, a fraction in (0, 1] or a count ≥ 1", s)
	}
	return min(n, p), nil
}
