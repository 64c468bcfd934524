package features

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"sort"
	"strings"

	"github.com/mlwb/mlwb/engine/frame"
	"github.com/mlwb/mlwb/engine/models"
)

// Version is the pipeline format this package writes, in Pipeline.Version
// and Fitted.Version. Readers refuse newer versions.
const Version = 1

// Pipeline is an ordered list of transforms, as a user builds it. The zero
// Version means Version. It is saved as indented JSON:
//
//	{"version": 1, "steps": [{"transform": "standard_scale", "columns": ["age"], "params": {}}]}
type Pipeline struct {
	Version int    `json:"version"`
	Steps   []Spec `json:"steps"`
}

// Spec is one step of a Pipeline: a transform name (see Transforms), the
// input columns (empty: every column the transform handles, resolved at fit
// time) and parameters as JSON values (numbers, strings, booleans, lists).
type Spec struct {
	Transform string         `json:"transform"`
	Columns   []string       `json:"columns,omitempty"`
	Params    map[string]any `json:"params,omitempty"`
}

// ErrUnknownTransform is wrapped by errors naming a transform that does not exist.
var ErrUnknownTransform = errors.New("features: unknown transform")

// StepError says which step of a pipeline failed and why.
type StepError struct {
	Step      int    // 0-based position in the pipeline
	Transform string // its transform name
	Err       error
}

func (e *StepError) Error() string {
	return fmt.Sprintf("features: step %d (%s): %v", e.Step+1, e.Transform, e.Err)
}

// Unwrap returns the cause.
func (e *StepError) Unwrap() error { return e.Err }

// TransformInfo describes one transform for help texts and the Features
// screen.
type TransformInfo struct {
	Name   string
	Group  string // imputation, scaling, encoding, construction, extraction
	Doc    string
	Params []ParamInfo
}

// ParamInfo describes one parameter of a transform.
type ParamInfo struct {
	Name, Default, Doc string
}

// kind is a transform's implementation: its documentation, the column
// types it takes by default, and its fit function.
type kind struct {
	info TransformInfo
	// accepts reports whether a column can be an input; nil means numbers.
	accepts func(c frame.Column) bool
	// minCols and maxCols bound the number of input columns (0: no bound).
	minCols, maxCols int
	// explicit requires Columns to be given (no default selection).
	explicit bool
	// fit learns the step from the training frame.
	fit func(e *fitEnv, cols []string, p *params, train *frame.Frame) (step, error)
	// zero returns an empty fitted step to decode JSON into.
	zero func() step
}

// step is a fitted transform.
type step interface {
	// apply transforms f row by row with the learned state.
	apply(ctx context.Context, f *frame.Frame) (*frame.Frame, error)
}

// trainTransformer is implemented by steps whose output on their own
// training rows differs from apply (target encoding, fitted out-of-fold).
type trainTransformer interface {
	trainOutput() *frame.Frame
}

// fitEnv is what a fit function may use besides its inputs.
type fitEnv struct {
	ctx     context.Context
	target  string
	y       []float64 // encoded target over the training rows; nil without one
	task    models.Task
	classes []string
	seed    uint64
	// explicit is true when the step named its columns.
	explicit bool
}

// params reads a step's parameters with types and defaults.
type params struct {
	m   map[string]any
	err error
}

func (p *params) fail(name, want string, v any) {
	if p.err == nil {
		p.err = fmt.Errorf("param %s: want %s, got %v", name, want, v)
	}
}

func (p *params) get(name string) (any, bool) {
	v, ok := p.m[name]
	return v, ok && v != nil
}

func (p *params) float(name string, def float64) float64 {
	v, ok := p.get(name)
	if !ok {
		return def
	}
	switch x := v.(type) {
	case float64:
		return x
	case int:
		return float64(x)
	case json.Number:
		f, err := x.Float64()
		if err == nil {
			return f
		}
	}
	p.fail(name, "a number", fmt.Sprintf("%#v", v))
	return def
}

func (p *params) int(name string, def, lo, hi int) int {
	f := p.float(name, float64(def))
	if f != math.Trunc(f) || f < float64(lo) || f > float64(hi) {
		p.fail(name, fmt.Sprintf("a whole number in [%d, %d]", lo, hi), f)
		return def
	}
	return int(f)
}

func (p *params) bool(name string, def bool) bool {
	v, ok := p.get(name)
	if !ok {
		return def
	}
	b, isb := v.(bool)
	if !isb {
		p.fail(name, "true or false", fmt.Sprintf("%#v", v))
		return def
	}
	return b
}

func (p *params) str(name, def string) string {
	v, ok := p.get(name)
	if !ok {
		return def
	}
	s, iss := v.(string)
	if !iss {
		p.fail(name, "text", fmt.Sprintf("%#v", v))
		return def
	}
	return s
}

func (p *params) strs(name string, def []string) []string {
	v, ok := p.get(name)
	if !ok {
		return def
	}
	switch x := v.(type) {
	case []string:
		return x
	case []any:
		out := make([]string, len(x))
		for i, e := range x {
			s, iss := e.(string)
			if !iss {
				p.fail(name, "a list of text", fmt.Sprintf("%#v", v))
				return def
			}
			out[i] = s
		}
		return out
	case string:
		return strings.Split(x, ",")
	}
	p.fail(name, "a list of text", fmt.Sprintf("%#v", v))
	return def
}

func (p *params) choice(name, def string, allowed ...string) string {
	s := p.str(name, def)
	for _, a := range allowed {
		if s == a {
			return s
		}
	}
	p.fail(name, "one of "+strings.Join(allowed, ", "), fmt.Sprintf("%q", s))
	return def
}

// check reports the first bad value or an unknown parameter name.
func (p *params) check(k *kind) error {
	if p.err != nil {
		return p.err
	}
	known := map[string]bool{}
	var names []string
	for _, pi := range k.info.Params {
		known[pi.Name] = true
		names = append(names, pi.Name)
	}
	var unknown []string
	for name := range p.m {
		if !known[name] {
			unknown = append(unknown, name)
		}
	}
	if len(unknown) > 0 {
		sort.Strings(unknown)
		if len(names) == 0 {
			return fmt.Errorf("unknown param %s (this transform takes none)", unknown[0])
		}
		return fmt.Errorf("unknown param %s (known: %s)", unknown[0], strings.Join(names, ", "))
	}
	return nil
}

// kinds returns the registry of transforms by name.
func kinds() map[string]*kind {
	m := map[string]*kind{}
	for _, k := range allKinds() {
		m[k.info.Name] = k
	}
	return m
}

// allKinds lists the transforms in the order Transforms returns them.
func allKinds() []*kind {
	var out []*kind
	out = append(out, imputeKinds()...)
	out = append(out, scaleKinds()...)
	out = append(out, encodeKinds()...)
	out = append(out, constructKinds()...)
	out = append(out, powerKinds()...)
	out = append(out, binKinds()...)
	out = append(out, derivedKinds()...)
	out = append(out, pcaKind())
	return out
}

// Transforms lists every transform with its group, doc and parameters.
func Transforms() []TransformInfo {
	var out []TransformInfo
	for _, k := range allKinds() {
		out = append(out, k.info)
	}
	return out
}

func lookupKind(reg map[string]*kind, name string) (*kind, error) {
	if k, ok := reg[name]; ok {
		return k, nil
	}
	names := make([]string, 0, len(reg))
	for n := range reg {
		names = append(names, n)
	}
	sort.Strings(names)
	return nil, fmt.Errorf("%w %q (known: %s)", ErrUnknownTransform, name, strings.Join(names, ", "))
}

// Validate checks the pipeline without data: known transforms, column
// counts where they are fixed. Parameter values are checked by Fit.
func (p Pipeline) Validate() error {
	if p.Version > Version {
		return fmt.Errorf("features: pipeline version %d is newer than this mlwb reads (%d): upgrade mlwb", p.Version, Version)
	}
	reg := kinds()
	for i, s := range p.Steps {
		k, err := lookupKind(reg, s.Transform)
		if err != nil {
			return &StepError{i, s.Transform, err}
		}
		if k.explicit && len(s.Columns) == 0 {
			return &StepError{i, s.Transform, errors.New("name its columns")}
		}
		if k.maxCols > 0 && len(s.Columns) > k.maxCols {
			return &StepError{i, s.Transform, fmt.Errorf("takes at most %d columns, got %d", k.maxCols, len(s.Columns))}
		}
		if len(s.Columns) > 0 && len(s.Columns) < k.minCols {
			return &StepError{i, s.Transform, fmt.Errorf("takes at least %d columns, got %d", k.minCols, len(s.Columns))}
		}
	}
	return nil
}

// ParsePipeline decodes a pipeline from JSON, rejecting unknown fields.
func ParsePipeline(b []byte) (Pipeline, error) {
	var p Pipeline
	dec := json.NewDecoder(strings.NewReader(string(b)))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&p); err != nil {
		return Pipeline{}, fmt.Errorf("features: pipeline JSON: %w", err)
	}
	if p.Version == 0 {
		p.Version = Version
	}
	return p, p.Validate()
}

// MarshalIndent returns the pipeline as indented JSON.
func (p Pipeline) MarshalIndent() ([]byte, error) {
	if p.Version == 0 {
		p.Version = Version
	}
	return json.MarshalIndent(p, "", "  ")
}
