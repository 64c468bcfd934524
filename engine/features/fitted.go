package features

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
	"time"

	"github.com/mlwb/mlwb/engine/frame"
	"github.com/mlwb/mlwb/engine/models"
)

// Format is the "format" field of a saved fitted pipeline.
const Format = "mlwb-features"

// Fitted is a pipeline fitted on training rows: every step with its
// resolved input columns and learned state. It is saved as indented JSON:
//
//	{"format": "mlwb-features", "version": 1, "target": "churn",
//	 "task": "binary", "classes": ["no", "yes"], "fitted_rows": 16000,
//	 "input": [{"name": "age", "type": "int"}, ...],
//	 "output": ["age", "city=paris", ...],
//	 "steps": [{"transform": "standard_scale", "columns": ["age"],
//	            "params": {}, "state": {"mean": [41.2], "scale": [12.9]}}]}
//
// NaN statistics are written as null. A Fitted is safe for concurrent
// Transform calls.
type Fitted struct {
	Format     string       `json:"format"`
	Version    int          `json:"version"`
	Created    time.Time    `json:"created"`
	Target     string       `json:"target,omitempty"`
	Task       string       `json:"task,omitempty"`
	Classes    []string     `json:"classes,omitempty"`
	FittedRows int          `json:"fitted_rows"`
	Seed       uint64       `json:"seed"`
	Input      []ColumnType `json:"input"`
	Output     []string     `json:"output"`
	Steps      []FittedStep `json:"steps"`
}

// ColumnType names a column and its type.
type ColumnType struct {
	Name string `json:"name"`
	Type string `json:"type"`
}

// FittedStep is one fitted step: the spec with its columns resolved and the
// learned state (a transform-specific object).
type FittedStep struct {
	Transform string          `json:"transform"`
	Columns   []string        `json:"columns"`
	Params    map[string]any  `json:"params,omitempty"`
	State     json.RawMessage `json:"state,omitempty"`

	step step
}

// Options tune Fit. The zero value means the defaults.
type Options struct {
	// Seed drives the random choices of steps (target-encoding folds, k-NN
	// donor samples). The same seed and data give the same fitted pipeline.
	Seed uint64
}

// Fit fits the pipeline on rows of f (nil rows: all rows) and returns the
// fitted pipeline. target, when not empty, names the target column: it is
// never a step input, and target encoding learns from it. See FitTransform.
func (p Pipeline) Fit(ctx context.Context, f *frame.Frame, target string, rows []int) (*Fitted, error) {
	fp, _, err := p.FitTransform(ctx, f, target, rows, Options{})
	return fp, err
}

// FitTransform fits the pipeline on rows of f and also returns those rows
// transformed as each step saw them during fitting (target encoding's
// out-of-fold values included), which is what a model should train on.
// Statistics are computed from rows only: the other rows of f have no
// influence on the result.
func (p Pipeline) FitTransform(ctx context.Context, f *frame.Frame, target string, rows []int, opt Options) (*Fitted, *frame.Frame, error) {
	if err := p.Validate(); err != nil {
		return nil, nil, err
	}
	train := f
	if rows != nil {
		for _, r := range rows {
			if r < 0 || r >= f.NumRows() {
				return nil, nil, fmt.Errorf("features: training row %d out of range (frame has %d rows)", r, f.NumRows())
			}
		}
		train = f.Take(rows)
	}
	if train.NumRows() == 0 {
		return nil, nil, errors.New("features: no training rows to fit on")
	}
	e := &fitEnv{ctx: ctx, target: target, seed: opt.Seed}
	fp := &Fitted{Format: Format, Version: Version, Created: time.Now().UTC(), Target: target, FittedRows: train.NumRows(), Seed: opt.Seed}
	if target != "" {
		tc, err := train.Column(target)
		if err != nil {
			return nil, nil, fmt.Errorf("features: target: %w", err)
		}
		task, classes, err := models.DetectTask(tc)
		if err != nil {
			return nil, nil, fmt.Errorf("features: %w", err)
		}
		y, err := models.EncodeTarget(tc, task, classes)
		if err != nil {
			return nil, nil, fmt.Errorf("features: %w", err)
		}
		e.y, e.task, e.classes = y, task, classes
		fp.Task, fp.Classes = task.String(), classes
	}
	for _, c := range f.Columns() {
		if c.Name() != target {
			fp.Input = append(fp.Input, ColumnType{c.Name(), c.Type().String()})
		}
	}
	reg := kinds()
	for i, s := range p.Steps {
		if err := ctx.Err(); err != nil {
			return nil, nil, err
		}
		k, _ := lookupKind(reg, s.Transform)
		fs, out, err := fitStep(e, k, s, train)
		if err != nil {
			return nil, nil, &StepError{i, s.Transform, err}
		}
		fp.Steps = append(fp.Steps, fs)
		train = out
	}
	for _, n := range train.Names() {
		if n != target {
			fp.Output = append(fp.Output, n)
		}
	}
	return fp, train, nil
}

// fitStep resolves the columns of one step, fits it and returns it with the
// training rows transformed.
func fitStep(e *fitEnv, k *kind, s Spec, train *frame.Frame) (FittedStep, *frame.Frame, error) {
	cols, err := resolveColumns(k, s, train, e.target)
	if err != nil {
		return FittedStep{}, nil, err
	}
	e.explicit = len(s.Columns) > 0
	pm := params{m: s.Params}
	if pm.m == nil {
		pm.m = map[string]any{}
	}
	st, err := k.fit(e, cols, &pm, train)
	if err == nil {
		err = pm.check(k)
	}
	if err != nil {
		return FittedStep{}, nil, err
	}
	var out *frame.Frame
	if tt, ok := st.(trainTransformer); ok {
		out = tt.trainOutput()
	} else if out, err = st.apply(e.ctx, train); err != nil {
		return FittedStep{}, nil, err
	}
	state, err := json.Marshal(st)
	if err != nil {
		return FittedStep{}, nil, fmt.Errorf("saving state: %w", err)
	}
	return FittedStep{Transform: k.info.Name, Columns: cols, Params: s.Params, State: state, step: st}, out, nil
}

// resolveColumns returns the step's input columns: the named ones, checked,
// or every column the transform accepts.
func resolveColumns(k *kind, s Spec, f *frame.Frame, target string) ([]string, error) {
	accepts := k.accepts
	if accepts == nil {
		accepts = isNumeric
	}
	if len(s.Columns) == 0 {
		var cols []string
		for _, c := range f.Columns() {
			if c.Name() != target && accepts(c) {
				cols = append(cols, c.Name())
			}
		}
		return cols, nil
	}
	seen := map[string]bool{}
	for _, n := range s.Columns {
		if n == target {
			return nil, fmt.Errorf("column %q is the target; it cannot be an input", n)
		}
		if seen[n] {
			return nil, fmt.Errorf("column %q is listed twice", n)
		}
		seen[n] = true
		c, err := f.Column(n)
		if err != nil {
			return nil, err
		}
		if !accepts(c) {
			return nil, fmt.Errorf("column %q is %s, which this transform does not take", n, c.Type())
		}
	}
	return slices.Clone(s.Columns), nil
}

// Transform applies every fitted step to f, row by row. f may lack the
// target column. Unseen categories and new missing values are handled as
// the package doc describes; a missing input column is an error naming the
// step and the column.
func (fp *Fitted) Transform(ctx context.Context, f *frame.Frame) (*frame.Frame, error) {
	if err := fp.ready(); err != nil {
		return nil, err
	}
	for i := range fp.Steps {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		s := &fp.Steps[i]
		for _, c := range s.Columns {
			if f.Index(c) < 0 {
				return nil, &StepError{i, s.Transform, fmt.Errorf("input column %q is missing from the data", c)}
			}
		}
		out, err := s.step.apply(ctx, f)
		if err != nil {
			return nil, &StepError{i, s.Transform, err}
		}
		f = out
	}
	return f, nil
}

// Matrix transforms f and returns the design matrix of the output columns
// (Fitted.Output, every column but the target) with their names. Every
// output column must be numeric: a categorical, string or datetime column
// left unencoded is an error naming it. Missing values are NaN.
func (fp *Fitted) Matrix(ctx context.Context, f *frame.Frame) (*models.Matrix, []string, error) {
	g, err := fp.Transform(ctx, f)
	if err != nil {
		return nil, nil, err
	}
	return DesignMatrix(g, fp.Output)
}

// DesignMatrix returns the named columns of f as a matrix; each must be a
// float, int or bool column.
func DesignMatrix(f *frame.Frame, names []string) (*models.Matrix, []string, error) {
	var bad []string
	for _, n := range names {
		c, err := f.Column(n)
		if err != nil {
			return nil, nil, fmt.Errorf("features: %w", err)
		}
		if !c.Type().Numeric() {
			bad = append(bad, fmt.Sprintf("%q (%s)", n, c.Type()))
		}
	}
	if len(bad) > 0 {
		return nil, nil, fmt.Errorf("features: column %s not encoded as numbers; add an onehot, ordinal, frequency or target step (or date_parts, text_length, drop)", strings.Join(bad, ", "))
	}
	m := models.NewMatrix(f.NumRows(), len(names))
	m.Names = slices.Clone(names)
	for j, n := range names {
		c, _ := f.Column(n)
		dst := m.Col(j)
		for i := range dst {
			dst[i], _ = frame.FloatAt(c, i)
		}
	}
	return m, m.Names, nil
}

// ready decodes the step states of a Fitted read from JSON.
func (fp *Fitted) ready() error {
	reg := kinds()
	for i := range fp.Steps {
		s := &fp.Steps[i]
		if s.step != nil {
			continue
		}
		k, err := lookupKind(reg, s.Transform)
		if err != nil {
			return &StepError{i, s.Transform, err}
		}
		st := k.zero()
		if err := json.Unmarshal(s.State, st); err != nil {
			return &StepError{i, s.Transform, fmt.Errorf("corrupt state: %w", err)}
		}
		if v, ok := st.(interface{ validate() error }); ok {
			if err := v.validate(); err != nil {
				return &StepError{i, s.Transform, fmt.Errorf("corrupt state: %w", err)}
			}
		}
		s.step = st
	}
	return nil
}

// Save writes the fitted pipeline as indented JSON.
func (fp *Fitted) Save(w io.Writer) error {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetIndent("", "  ")
	if err := enc.Encode(fp); err != nil {
		return fmt.Errorf("features: %w", err)
	}
	_, err := w.Write(buf.Bytes())
	return err
}

// Load reads a fitted pipeline written by Save. A newer version or another
// format is an error, as is a corrupt step state.
func Load(r io.Reader) (*Fitted, error) {
	var fp Fitted
	dec := json.NewDecoder(r)
	if err := dec.Decode(&fp); err != nil {
		return nil, fmt.Errorf("features: fitted pipeline JSON: %w", err)
	}
	if fp.Format != Format {
		return nil, fmt.Errorf("features: not a fitted pipeline (format %q, want %q)", fp.Format, Format)
	}
	if fp.Version > Version {
		return nil, fmt.Errorf("features: fitted pipeline version %d is newer than this mlwb reads (%d): upgrade mlwb", fp.Version, Version)
	}
	if err := fp.ready(); err != nil {
		return nil, err
	}
	return &fp, nil
}

// State returns step i's learned state decoded as a generic JSON value, for
// display (the Features screen shows means, levels, λ, explained variance).
func (fp *Fitted) State(i int) (map[string]any, error) {
	var m map[string]any
	if i < 0 || i >= len(fp.Steps) {
		return nil, fmt.Errorf("features: no step %d", i+1)
	}
	err := json.Unmarshal(fp.Steps[i].State, &m)
	return m, err
}
