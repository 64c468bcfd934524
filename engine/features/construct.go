package features

import (
	"context"
	"fmt"
	"math"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/mlwb/mlwb/engine/expr"
	"github.com/mlwb/mlwb/engine/frame"
)

func constructKinds() []*kind {
	keep := ParamInfo{"keep", "false", "keep the input column beside the new one (named <fn>(<col>))"}
	return []*kind{
		{
			info:    TransformInfo{Name: "interactions", Group: "construction", Doc: "Add the product a*b of every pair of the columns"},
			minCols: 2, fit: fitProducts(false), zero: func() step { return &productStep{} },
		},
		{
			info:    TransformInfo{Name: "poly2", Group: "construction", Doc: "Add degree-2 terms: a^2 for each column and a*b for each pair (scikit-learn PolynomialFeatures(2) order)"},
			minCols: 1, fit: fitProducts(true), zero: func() step { return &productStep{} },
		},
		{
			info: TransformInfo{Name: "ratio", Group: "construction", Doc: "Add a/b of two columns (missing where b is 0)",
				Params: []ParamInfo{{"name", "a/b", "output column name"}}},
			minCols: 2, maxCols: 2, explicit: true, fit: fitBinary("/"), zero: func() step { return &binaryStep{} },
		},
		{
			info: TransformInfo{Name: "difference", Group: "construction", Doc: "Add a-b of two columns",
				Params: []ParamInfo{{"name", "a-b", "output column name"}}},
			minCols: 2, maxCols: 2, explicit: true, fit: fitBinary("-"), zero: func() step { return &binaryStep{} },
		},
		{
			info: TransformInfo{Name: "log1p", Group: "construction", Doc: "ln(1 + x); x ≤ −1 becomes missing", Params: []ParamInfo{keep}},
			fit:  fitUnary("log1p"), zero: func() step { return &unaryStep{} },
		},
		{
			info: TransformInfo{Name: "sqrt", Group: "construction", Doc: "√x; x < 0 becomes missing", Params: []ParamInfo{keep}},
			fit:  fitUnary("sqrt"), zero: func() step { return &unaryStep{} },
		},
		{
			info: TransformInfo{Name: "formula", Group: "construction",
				Doc:    "Add a column computed by an expression over the columns (the filter language: + - * /, log, sqrt, abs, round, comparisons…)",
				Params: []ParamInfo{{"name", "", "output column name (required)"}, {"expr", "", "the expression (required)"}}},
			accepts: func(frame.Column) bool { return true }, fit: fitFormula, zero: func() step { return &formulaStep{} },
		},
		{
			info:    TransformInfo{Name: "drop", Group: "construction", Doc: "Remove columns (free text, identifiers, leaks)"},
			accepts: func(frame.Column) bool { return true }, explicit: true,
			fit: func(e *fitEnv, cols []string, p *params, train *frame.Frame) (step, error) {
				return &dropStep{Columns: cols}, nil
			},
			zero: func() step { return &dropStep{} },
		},
	}
}

// productStep adds pairwise products (and squares for poly2).
type productStep struct {
	Columns []string `json:"columns"`
	Squares bool     `json:"squares"`
}

func fitProducts(squares bool) func(*fitEnv, []string, *params, *frame.Frame) (step, error) {
	return func(e *fitEnv, cols []string, p *params, train *frame.Frame) (step, error) {
		if !squares && len(cols) < 2 {
			return nil, fmt.Errorf("needs at least 2 number columns, got %d", len(cols))
		}
		return &productStep{Columns: cols, Squares: squares}, nil
	}
}

func (s *productStep) apply(ctx context.Context, f *frame.Frame) (*frame.Frame, error) {
	xs := make([][]float64, len(s.Columns))
	for j, n := range s.Columns {
		x, err := floats(f, n)
		if err != nil {
			return nil, err
		}
		xs[j] = x
	}
	var out []frame.Column
	for a := range xs {
		for b := a; b < len(xs); b++ {
			if a == b && !s.Squares {
				continue
			}
			y := make([]float64, f.NumRows())
			for i := range y {
				y[i] = xs[a][i] * xs[b][i]
			}
			name := s.Columns[a] + "*" + s.Columns[b]
			if a == b {
				name = s.Columns[a] + "^2"
			}
			out = append(out, floatCol(name, y))
		}
	}
	return appendCols(f, out...)
}

// binaryStep adds a op b.
type binaryStep struct {
	A    string `json:"a"`
	B    string `json:"b"`
	Op   string `json:"op"`
	Name string `json:"name"`
}

func fitBinary(op string) func(*fitEnv, []string, *params, *frame.Frame) (step, error) {
	return func(e *fitEnv, cols []string, p *params, train *frame.Frame) (step, error) {
		return &binaryStep{A: cols[0], B: cols[1], Op: op, Name: p.str("name", cols[0]+op+cols[1])}, nil
	}
}

func (s *binaryStep) apply(ctx context.Context, f *frame.Frame) (*frame.Frame, error) {
	a, err := floats(f, s.A)
	if err != nil {
		return nil, err
	}
	b, err := floats(f, s.B)
	if err != nil {
		return nil, err
	}
	for i := range a {
		if s.Op == "/" {
			if b[i] == 0 {
				a[i] = math.NaN()
			} else {
				a[i] /= b[i]
			}
		} else {
			a[i] -= b[i]
		}
	}
	return appendCols(f, floatCol(s.Name, a))
}

// unaryStep applies an elementwise function.
type unaryStep struct {
	Func    string   `json:"func"`
	Columns []string `json:"columns"`
	Keep    bool     `json:"keep"`
}

func fitUnary(fn string) func(*fitEnv, []string, *params, *frame.Frame) (step, error) {
	return func(e *fitEnv, cols []string, p *params, train *frame.Frame) (step, error) {
		return &unaryStep{Func: fn, Columns: cols, Keep: p.bool("keep", false)}, nil
	}
}

func (s *unaryStep) apply(ctx context.Context, f *frame.Frame) (*frame.Frame, error) {
	var fn func(float64) float64
	switch s.Func {
	case "log1p":
		fn = func(x float64) float64 {
			if x <= -1 {
				return math.NaN()
			}
			return math.Log1p(x)
		}
	case "sqrt":
		fn = func(x float64) float64 {
			if x < 0 {
				return math.NaN()
			}
			return math.Sqrt(x)
		}
	default:
		return nil, fmt.Errorf("unknown function %q", s.Func)
	}
	return mapColumns(f, s.Columns, s.Keep, s.Func, func(j int, x []float64) {
		for i, v := range x {
			x[i] = fn(v)
		}
	})
}

// mapColumns replaces each column by fn of its values, or adds
// "<label>(<col>)" beside it when keep.
func mapColumns(f *frame.Frame, cols []string, keep bool, label string, fn func(j int, x []float64)) (*frame.Frame, error) {
	var err error
	for j, n := range cols {
		x, ferr := floats(f, n)
		if ferr != nil {
			return nil, ferr
		}
		fn(j, x)
		if keep {
			orig, _ := f.Column(n)
			f, err = replace(f, n, orig, floatCol(label+"("+n+")", x))
		} else {
			f, err = replace(f, n, floatCol(n, x))
		}
		if err != nil {
			return nil, err
		}
	}
	return f, nil
}

// formulaStep adds a column computed by an engine/expr expression.
type formulaStep struct {
	Name string `json:"name"`
	Expr string `json:"expr"`
}

func fitFormula(e *fitEnv, cols []string, p *params, train *frame.Frame) (step, error) {
	s := &formulaStep{Name: p.str("name", ""), Expr: p.str("expr", "")}
	if s.Name == "" || s.Expr == "" {
		return nil, fmt.Errorf("needs params name and expr")
	}
	ex, err := expr.Parse(s.Expr)
	if err != nil {
		return nil, err
	}
	for _, c := range ex.Columns() {
		if c == e.target {
			return nil, fmt.Errorf("expression uses the target %q", c)
		}
	}
	return s, nil
}

func (s *formulaStep) apply(ctx context.Context, f *frame.Frame) (*frame.Frame, error) {
	ex, err := expr.Parse(s.Expr)
	if err != nil {
		return nil, err
	}
	prog, err := ex.Bind(f)
	if err != nil {
		return nil, err
	}
	if t := prog.Type(); t != frame.Float && t != frame.Bool {
		return nil, fmt.Errorf("expression %q gives %s, want a number or a condition", s.Expr, t)
	}
	c, err := prog.Eval(ctx)
	if err != nil {
		return nil, err
	}
	x, err := frame.Floats(c)
	if err != nil {
		return nil, err
	}
	return appendCols(f, floatCol(s.Name, x))
}

type dropStep struct {
	Columns []string `json:"columns"`
}

func (s *dropStep) apply(ctx context.Context, f *frame.Frame) (*frame.Frame, error) {
	return f.Drop(s.Columns...)
}

// derivedKinds are the date and text feature extractors.
func derivedKinds() []*kind {
	return []*kind{
		{
			info: TransformInfo{Name: "date_parts", Group: "construction",
				Doc: "Replace a datetime column by <col>_year, _month, _day, _dayofweek (Monday 0), _hour, _weekend and _days_since (days after the reference), in UTC",
				Params: []ParamInfo{
					{"parts", "all", "a list of year, month, day, dayofweek, hour, weekend, days_since"},
					{"reference", "earliest training date", "the reference date of days_since (YYYY-MM-DD)"},
					{"keep", "false", "keep the datetime column"},
				}},
			accepts: isDatetime, fit: fitDateParts, zero: func() step { return &dateStep{} },
		},
		{
			info: TransformInfo{Name: "text_length", Group: "construction",
				Doc:    "Replace a text column by <col>_len (characters) and <col>_words (runs of non-space characters); missing stays missing",
				Params: []ParamInfo{{"keep", "false", "keep the text column"}}},
			accepts: isText, fit: func(e *fitEnv, cols []string, p *params, train *frame.Frame) (step, error) {
				return &textStep{Columns: cols, Keep: p.bool("keep", false)}, nil
			},
			zero: func() step { return &textStep{} },
		},
	}
}

var dateParts = []string{"year", "month", "day", "dayofweek", "hour", "weekend", "days_since"}

type dateStep struct {
	Columns   []string `json:"columns"`
	Parts     []string `json:"parts"`
	Reference []string `json:"reference"` // per column, RFC 3339
	Keep      bool     `json:"keep"`
}

func fitDateParts(e *fitEnv, cols []string, p *params, train *frame.Frame) (step, error) {
	s := &dateStep{Columns: cols, Parts: p.strs("parts", dateParts), Keep: p.bool("keep", false)}
	for _, part := range s.Parts {
		ok := false
		for _, k := range dateParts {
			ok = ok || k == part
		}
		if !ok {
			return nil, fmt.Errorf("param parts: unknown part %q (want %s)", part, strings.Join(dateParts, ", "))
		}
	}
	ref := p.str("reference", "")
	for _, n := range cols {
		if ref != "" {
			t, err := time.Parse("2006-01-02", ref)
			if err != nil {
				if t, err = time.Parse(time.RFC3339, ref); err != nil {
					return nil, fmt.Errorf("param reference: %q is not a date (YYYY-MM-DD)", ref)
				}
			}
			s.Reference = append(s.Reference, t.UTC().Format(time.RFC3339Nano))
			continue
		}
		c, _ := train.Column(n)
		dc := c.(*frame.DatetimeCol)
		lo, any := int64(math.MaxInt64), false
		for i, v := range dc.Data {
			if !dc.IsNA(i) {
				lo, any = min(lo, v), true
			}
		}
		if !any {
			lo = 0
		}
		s.Reference = append(s.Reference, time.Unix(0, lo).UTC().Format(time.RFC3339Nano))
	}
	return s, nil
}

func (s *dateStep) apply(ctx context.Context, f *frame.Frame) (*frame.Frame, error) {
	var err error
	for j, n := range s.Columns {
		c, cerr := f.Column(n)
		if cerr != nil {
			return nil, cerr
		}
		dc, ok := c.(*frame.DatetimeCol)
		if !ok {
			return nil, fmt.Errorf("column %q is %s, want datetime", n, c.Type())
		}
		ref, perr := time.Parse(time.RFC3339Nano, s.Reference[j])
		if perr != nil {
			return nil, fmt.Errorf("corrupt reference %q", s.Reference[j])
		}
		var out []frame.Column
		if s.Keep {
			out = append(out, c)
		}
		for _, part := range s.Parts {
			x := make([]float64, dc.Len())
			for i, v := range dc.Data {
				if dc.IsNA(i) {
					x[i] = math.NaN()
					continue
				}
				t := time.Unix(0, v).UTC()
				switch part {
				case "year":
					x[i] = float64(t.Year())
				case "month":
					x[i] = float64(t.Month())
				case "day":
					x[i] = float64(t.Day())
				case "dayofweek":
					x[i] = float64((int(t.Weekday()) + 6) % 7) // pandas: Monday 0
				case "hour":
					x[i] = float64(t.Hour())
				case "weekend":
					if wd := t.Weekday(); wd == time.Saturday || wd == time.Sunday {
						x[i] = 1
					}
				case "days_since":
					x[i] = t.Sub(ref).Hours() / 24
				}
			}
			out = append(out, floatCol(n+"_"+part, x))
		}
		if f, err = replace(f, n, out...); err != nil {
			return nil, err
		}
	}
	return f, nil
}

type textStep struct {
	Columns []string `json:"columns"`
	Keep    bool     `json:"keep"`
}

// wordCount counts maximal runs of non-space characters.
func wordCount(s string) int {
	n, in := 0, false
	for _, r := range s {
		if unicode.IsSpace(r) {
			in = false
		} else if !in {
			in = true
			n++
		}
	}
	return n
}

func (s *textStep) apply(ctx context.Context, f *frame.Frame) (*frame.Frame, error) {
	var err error
	for _, n := range s.Columns {
		c, cerr := f.Column(n)
		if cerr != nil {
			return nil, cerr
		}
		codes, levels := levelCodes(c)
		ll, lw := make([]float64, len(levels)), make([]float64, len(levels))
		for k, l := range levels {
			ll[k], lw[k] = float64(utf8.RuneCountInString(l)), float64(wordCount(l))
		}
		xl, xw := make([]float64, len(codes)), make([]float64, len(codes))
		for i, k := range codes {
			if k < 0 {
				xl[i], xw[i] = math.NaN(), math.NaN()
			} else {
				xl[i], xw[i] = ll[k], lw[k]
			}
		}
		var out []frame.Column
		if s.Keep {
			out = append(out, c)
		}
		out = append(out, floatCol(n+"_len", xl), floatCol(n+"_words", xw))
		if f, err = replace(f, n, out...); err != nil {
			return nil, err
		}
	}
	return f, nil
}
