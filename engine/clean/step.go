package clean

import (
	"context"
	"errors"
	"fmt"
	"math"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/mlwb/mlwb/engine/frame"
)

// ErrStep is matched (errors.Is) by every *StepError.
var ErrStep = errors.New("clean: step failed")

// Step is one cleaning action of a recipe. It is plain data, serialised as
//
//	{"op": "impute", "columns": ["age"], "params": {"method": "median"}}
//
// Op names the action (see the package documentation for every op and its
// params); Columns are the columns it acts on (some ops take none, or treat
// none as "all"); Params hold the op's options as JSON values. Note is free
// text for the user. Result is bookkeeping written by Session: the dataset
// version the step produced and its effect; it is ignored when a recipe is
// replayed.
type Step struct {
	Op      string         `json:"op"`
	Columns []string       `json:"columns,omitempty"`
	Params  map[string]any `json:"params,omitempty"`
	Note    string         `json:"note,omitempty"`
	Result  *Result        `json:"result,omitempty"`
}

// Result records what applying a step in a workspace produced.
type Result struct {
	// Version and Hash identify the dataset version holding the data after
	// the step (Hash is workspace.Dataset.Hash). Both are empty for steps
	// applied together with later ones (Session.ApplyAll), whose state is
	// recomputed when needed.
	Version int    `json:"version,omitempty"`
	Hash    string `json:"hash,omitempty"`
	Effect  Effect `json:"effect"`
}

// Effect is what a step does to a frame, for the preview shown before it is
// applied ("312 cells change, 12 rows dropped").
type Effect struct {
	// CellsChanged counts cells whose value changed (by displayed text and
	// missingness) in rows that were kept, including cells that became
	// missing or stopped being missing.
	CellsChanged int `json:"cells_changed"`
	// RowsDropped counts removed rows.
	RowsDropped int `json:"rows_dropped"`
	// ColumnsAdded and ColumnsDropped count columns that appeared or went
	// (a rename is neither).
	ColumnsAdded   int `json:"columns_added"`
	ColumnsDropped int `json:"columns_dropped"`
	// Failed counts cells that could not be converted (cast, parse_dates)
	// and became missing. They are included in CellsChanged.
	Failed int `json:"failed,omitempty"`
	// Detail is op-specific: the imputed value, the clip bounds, a failed
	// example...
	Detail string `json:"detail,omitempty"`
	// Summary is the one-line preview text: the counts, then Detail.
	Summary string `json:"summary"`
}

// summarize fills e.Summary from the counts and Detail.
func (e *Effect) summarize() {
	var parts []string
	add := func(n int, one, many string) {
		if n == 1 {
			parts = append(parts, "1 "+one)
		} else if n > 1 {
			parts = append(parts, formatCount(n)+" "+many)
		}
	}
	add(e.CellsChanged, "cell changes", "cells change")
	add(e.RowsDropped, "row dropped", "rows dropped")
	add(e.ColumnsAdded, "column added", "columns added")
	add(e.ColumnsDropped, "column dropped", "columns dropped")
	add(e.Failed, "cell failed to convert (now missing)", "cells failed to convert (now missing)")
	s := strings.Join(parts, ", ")
	if s == "" {
		s = "no change"
	}
	if e.Detail != "" {
		s += " (" + e.Detail + ")"
	}
	e.Summary = s
}

// formatCount writes n with thousands separators: 1234567 → "1,234,567".
func formatCount(n int) string {
	s := strconv.Itoa(n)
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	var b strings.Builder
	for i, r := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(r)
	}
	if neg {
		return "-" + b.String()
	}
	return b.String()
}

// StepError is a step that could not be applied. Index is the step's
// 1-based position in its recipe, or 0 for a step applied on its own.
type StepError struct {
	Index int
	Step  Step
	Err   error
}

func (e *StepError) Error() string {
	if e.Index > 0 {
		return fmt.Sprintf("clean: step %d (%s): %v", e.Index, e.Step.Describe(), e.Err)
	}
	return fmt.Sprintf("clean: %s: %v", e.Step.Describe(), e.Err)
}

// Unwrap returns the cause.
func (e *StepError) Unwrap() error { return e.Err }

// Is makes errors.Is(err, ErrStep) true.
func (e *StepError) Is(target error) bool { return target == ErrStep }

// Describe returns the op and its quoted columns: `impute "age", "fee"`.
func (s Step) Describe() string {
	if len(s.Columns) == 0 {
		return s.Op
	}
	q := make([]string, len(s.Columns))
	for i, c := range s.Columns {
		q[i] = strconv.Quote(c)
	}
	return s.Op + " " + strings.Join(q, ", ")
}

// columnError is "column %q not found"; it wraps frame.ErrColumnNotFound.
type columnError struct{ name string }

func (e *columnError) Error() string { return fmt.Sprintf("column %q not found", e.name) }
func (e *columnError) Unwrap() error { return frame.ErrColumnNotFound }

// Apply applies the step to f and returns the new frame and its effect. f
// is never modified: unchanged columns are shared with the result. Errors
// are *StepError values naming the step. Preview is the same call; nothing
// is saved either way.
func (s Step) Apply(ctx context.Context, f *frame.Frame) (*frame.Frame, Effect, error) {
	g, eff, err := s.apply(ctx, f)
	if err != nil {
		var se *StepError
		if errors.As(err, &se) {
			return nil, Effect{}, err
		}
		return nil, Effect{}, &StepError{Step: s, Err: err}
	}
	eff.summarize()
	return g, eff, nil
}

// Preview is Apply: it computes the step's effect on f without saving
// anything.
func (s Step) Preview(ctx context.Context, f *frame.Frame) (*frame.Frame, Effect, error) {
	return s.Apply(ctx, f)
}

// Validate checks the step's op, column count and params without data.
func (s Step) Validate() error {
	_, err := s.spec()
	if err != nil {
		return &StepError{Step: s, Err: err}
	}
	return nil
}

func (s Step) spec() (*opSpec, error) {
	sp, ok := ops[s.Op]
	if !ok {
		return nil, fmt.Errorf("unknown op %q (ops: %s)", s.Op, strings.Join(Ops(), ", "))
	}
	switch sp.cols {
	case colsNone:
		if len(s.Columns) > 0 {
			return nil, fmt.Errorf("takes no columns")
		}
	case colsSome:
		if len(s.Columns) == 0 {
			return nil, fmt.Errorf("needs at least one column")
		}
	case colsOne:
		if len(s.Columns) != 1 {
			return nil, fmt.Errorf("needs exactly one column, got %d", len(s.Columns))
		}
	}
	seen := map[string]bool{}
	for _, c := range s.Columns {
		if seen[c] {
			return nil, fmt.Errorf("column %q is listed twice", c)
		}
		seen[c] = true
	}
	for k := range s.Params {
		if !slices.Contains(sp.params, k) {
			allowed := "none"
			if len(sp.params) > 0 {
				allowed = strings.Join(sp.params, ", ")
			}
			return nil, fmt.Errorf("unknown param %q (params of %s: %s)", k, s.Op, allowed)
		}
	}
	return sp, nil
}

func (s Step) apply(ctx context.Context, f *frame.Frame) (*frame.Frame, Effect, error) {
	sp, err := s.spec()
	if err != nil {
		return nil, Effect{}, err
	}
	for _, c := range s.Columns {
		if f.Index(c) < 0 {
			return nil, Effect{}, &columnError{c}
		}
	}
	if err := ctx.Err(); err != nil {
		return nil, Effect{}, err
	}
	return sp.apply(ctx, f, s, params{s.Params})
}

// Ops returns the names of the ops, sorted.
func Ops() []string {
	out := make([]string, 0, len(ops))
	for k := range ops {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

type colRule uint8

const (
	colsAny  colRule = iota // none means "all applicable"
	colsNone                // takes no columns
	colsSome                // at least one
	colsOne                 // exactly one
)

type opFunc func(ctx context.Context, f *frame.Frame, s Step, p params) (*frame.Frame, Effect, error)

type opSpec struct {
	cols   colRule
	params []string
	apply  opFunc
}

// ops is the table of ops; see doc.go for their documentation.
var ops map[string]*opSpec

func init() {
	ops = map[string]*opSpec{
		"drop_columns":     {colsSome, nil, opDropColumns},
		"rename":           {colsSome, []string{"to"}, opRename},
		"cast":             {colsSome, []string{"to", "layout", "strict"}, opCast},
		"parse_dates":      {colsSome, []string{"layout", "strict"}, opParseDates},
		"drop_missing":     {colsAny, []string{"how"}, opDropMissing},
		"impute":           {colsSome, []string{"method", "value"}, opImpute},
		"drop_duplicates":  {colsAny, []string{"keep"}, opDropDuplicates},
		"trim":             {colsAny, []string{"collapse"}, opTrim},
		"case":             {colsAny, []string{"to"}, opCase},
		"merge_categories": {colsOne, []string{"groups"}, opMergeCategories},
		"clip":             {colsSome, []string{"lower", "upper", "method", "k"}, opClip},
		"winsorize":        {colsSome, []string{"lower", "upper"}, opWinsorize},
		"filter":           {colsNone, []string{"expr"}, opFilter},
		"mask":             {colsSome, []string{"keep"}, opMask},
		"hash":             {colsSome, []string{"salt", "length"}, opHash},
	}
}

// params reads a step's Params, accepting both the types JSON decoding
// produces (float64, []any, map[string]any) and those Go callers write
// (int, []string, [][]string).
type params struct{ m map[string]any }

func (p params) has(k string) bool { _, ok := p.m[k]; return ok }

func (p params) str(k, def string) (string, error) {
	v, ok := p.m[k]
	if !ok || v == nil {
		return def, nil
	}
	s, ok := v.(string)
	if !ok {
		return "", fmt.Errorf("param %q must be a string, got %v", k, v)
	}
	return s, nil
}

func (p params) oneOf(k, def string, allowed ...string) (string, error) {
	s, err := p.str(k, def)
	if err != nil {
		return "", err
	}
	if !slices.Contains(allowed, s) {
		return "", fmt.Errorf("param %q must be one of %s, got %q", k, strings.Join(allowed, ", "), s)
	}
	return s, nil
}

func (p params) num(k string, def float64) (float64, error) {
	v, ok := p.m[k]
	if !ok || v == nil {
		return def, nil
	}
	x, ok := toFloat(v)
	if !ok || math.IsNaN(x) {
		return 0, fmt.Errorf("param %q must be a number, got %v", k, v)
	}
	return x, nil
}

func (p params) integer(k string, def int) (int, error) {
	x, err := p.num(k, float64(def))
	if err != nil {
		return 0, err
	}
	if x != math.Trunc(x) || math.Abs(x) > 1<<53 {
		return 0, fmt.Errorf("param %q must be a whole number, got %v", k, x)
	}
	return int(x), nil
}

func (p params) boolean(k string, def bool) (bool, error) {
	v, ok := p.m[k]
	if !ok || v == nil {
		return def, nil
	}
	b, ok := v.(bool)
	if !ok {
		return false, fmt.Errorf("param %q must be true or false, got %v", k, v)
	}
	return b, nil
}

func (p params) strs(k string) ([]string, error) {
	v, ok := p.m[k]
	if !ok || v == nil {
		return nil, nil
	}
	return toStrings(k, v)
}

func toStrings(k string, v any) ([]string, error) {
	switch v := v.(type) {
	case []string:
		return v, nil
	case []any:
		out := make([]string, len(v))
		for i, x := range v {
			s, ok := x.(string)
			if !ok {
				return nil, fmt.Errorf("param %q must be a list of strings, got %v", k, x)
			}
			out[i] = s
		}
		return out, nil
	}
	return nil, fmt.Errorf("param %q must be a list of strings, got %v", k, v)
}

func (p params) groups(k string) ([][]string, error) {
	v, ok := p.m[k]
	if !ok || v == nil {
		return nil, fmt.Errorf("param %q is required", k)
	}
	switch v := v.(type) {
	case [][]string:
		return v, nil
	case []any:
		out := make([][]string, len(v))
		for i, x := range v {
			g, err := toStrings(k, x)
			if err != nil {
				return nil, fmt.Errorf("param %q must be a list of lists of strings", k)
			}
			out[i] = g
		}
		return out, nil
	}
	return nil, fmt.Errorf("param %q must be a list of lists of strings, got %v", k, v)
}

func toFloat(v any) (float64, bool) {
	switch v := v.(type) {
	case float64:
		return v, true
	case float32:
		return float64(v), true
	case int:
		return float64(v), true
	case int64:
		return float64(v), true
	case int32:
		return float64(v), true
	}
	return 0, false
}

// textOf returns the columns' names, or of all categorical and string
// columns when names is empty; a listed column that is not text is an error.
func textColumns(f *frame.Frame, names []string) ([]string, error) {
	if len(names) == 0 {
		for _, c := range f.Columns() {
			if t := c.Type(); t == frame.Categorical || t == frame.String {
				names = append(names, c.Name())
			}
		}
		return names, nil
	}
	for _, n := range names {
		c, _ := f.Column(n)
		if t := c.Type(); t != frame.Categorical && t != frame.String {
			return nil, fmt.Errorf("column %q is %s, not text (categorical or string)", n, t)
		}
	}
	return names, nil
}

// replace returns f with the columns of cols replaced (by name).
func replace(f *frame.Frame, cols ...frame.Column) (*frame.Frame, error) {
	out := slices.Clone(f.Columns())
	for _, c := range cols {
		out[f.Index(c.Name())] = c
	}
	return frame.New(out...)
}

// changedCells counts the rows where a and b (of equal length) differ in
// missingness or displayed text.
func changedCells(a, b frame.Column) int {
	n := 0
	switch a := a.(type) {
	case *frame.Float64Col:
		if b, ok := b.(*frame.Float64Col); ok {
			for i, v := range a.Data {
				w := b.Data[i]
				if v != w && !(v != v && w != w) {
					n++
				}
			}
			return n
		}
	case *frame.Int64Col:
		if b, ok := b.(*frame.Int64Col); ok {
			am, bm := a.Mask(), b.Mask()
			for i, v := range a.Data {
				av, bv := am.Valid(i), bm.Valid(i)
				if av != bv || (av && v != b.Data[i]) {
					n++
				}
			}
			return n
		}
	case *frame.CategoricalCol:
		if b, ok := b.(*frame.CategoricalCol); ok {
			for i, k := range a.Codes {
				j := b.Codes[i]
				if (k < 0) != (j < 0) || (k >= 0 && a.Levels[k] != b.Levels[j]) {
					n++
				}
			}
			return n
		}
	}
	for i := range a.Len() {
		an, bn := a.IsNA(i), b.IsNA(i)
		if an != bn || (!an && a.Format(i) != b.Format(i)) {
			n++
		}
	}
	return n
}
