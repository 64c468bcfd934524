package clean

import (
	"cmp"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"math"
	"slices"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/mlwb/mlwb/engine/frame"
	"github.com/mlwb/mlwb/engine/stats"
	"golang.org/x/text/cases"
	"golang.org/x/text/language"
)

// mapTextColumn applies fn to every value of a text column: a categorical
// maps its levels once (levels that become equal merge), a string column
// every row. Missing values stay missing.
func mapTextColumn(c frame.Column, fn func(string) string) frame.Column {
	switch c := c.(type) {
	case *frame.CategoricalCol:
		index := map[string]int32{}
		var levels []string
		remap := make([]int32, len(c.Levels))
		for k, lv := range c.Levels {
			v := fn(lv)
			j, ok := index[v]
			if !ok {
				j = int32(len(levels))
				index[v] = j
				levels = append(levels, v)
			}
			remap[k] = j
		}
		codes := make([]int32, len(c.Codes))
		for i, k := range c.Codes {
			if k < 0 {
				codes[i] = -1
			} else {
				codes[i] = remap[k]
			}
		}
		return frame.NewCategorical(c.Name(), codes, levels)
	case *frame.StringCol:
		data := make([]string, len(c.Data))
		m := c.Mask()
		for i, s := range c.Data {
			if m.Valid(i) {
				data[i] = fn(s)
			}
		}
		return frame.NewString(c.Name(), data, m)
	}
	panic("clean: mapTextColumn of a non-text column")
}

// mapText applies fn to the text columns names of f (all text columns when
// names is empty) and counts the changed cells.
func mapTextColumns(ctx context.Context, f *frame.Frame, names []string, fn func(string) string) (*frame.Frame, Effect, error) {
	names, err := textColumns(f, names)
	if err != nil {
		return nil, Effect{}, err
	}
	var eff Effect
	var out []frame.Column
	for _, n := range names {
		if err := ctx.Err(); err != nil {
			return nil, Effect{}, err
		}
		c, _ := f.Column(n)
		nc := mapTextColumn(c, fn)
		eff.CellsChanged += changedCells(c, nc)
		out = append(out, nc)
	}
	g, err := replace(f, out...)
	return g, eff, err
}

func opTrim(ctx context.Context, f *frame.Frame, s Step, p params) (*frame.Frame, Effect, error) {
	collapse, err := p.boolean("collapse", false)
	if err != nil {
		return nil, Effect{}, err
	}
	fn := strings.TrimSpace
	if collapse {
		fn = func(s string) string { return strings.Join(strings.Fields(s), " ") }
	}
	return mapTextColumns(ctx, f, s.Columns, fn)
}

func opCase(ctx context.Context, f *frame.Frame, s Step, p params) (*frame.Frame, Effect, error) {
	to, err := p.oneOf("to", "lower", "lower", "upper", "title")
	if err != nil {
		return nil, Effect{}, err
	}
	fn := strings.ToLower
	switch to {
	case "upper":
		fn = strings.ToUpper
	case "title":
		caser := cases.Title(language.Und)
		fn = caser.String
	}
	return mapTextColumns(ctx, f, s.Columns, fn)
}

func opMergeCategories(ctx context.Context, f *frame.Frame, s Step, p params) (*frame.Frame, Effect, error) {
	groups, err := p.groups("groups")
	if err != nil {
		return nil, Effect{}, err
	}
	to := map[string]string{}
	for _, g := range groups {
		if len(g) < 2 {
			return nil, Effect{}, fmt.Errorf("group %q needs the canonical value and at least one variant", g)
		}
		for _, v := range g[1:] {
			if prev, dup := to[v]; dup && prev != g[0] {
				return nil, Effect{}, fmt.Errorf("variant %q is in two groups (%q and %q)", v, prev, g[0])
			}
			if v != g[0] {
				to[v] = g[0]
			}
		}
	}
	g, eff, err := mapTextColumns(ctx, f, s.Columns, func(v string) string {
		if c, ok := to[v]; ok {
			return c
		}
		return v
	})
	if err == nil {
		eff.Detail = fmt.Sprintf("%s merged", plural(len(to), "variant", "variants"))
	}
	return g, eff, err
}

// numericColumn returns the named column's values as float64 (NaN for
// missing), or an error when it is not int or float.
func numericColumn(f *frame.Frame, name string) (frame.Column, []float64, error) {
	c, _ := f.Column(name)
	switch c.(type) {
	case *frame.Float64Col, *frame.Int64Col:
		x, _ := frame.Floats(c)
		return c, x, nil
	}
	return nil, nil, fmt.Errorf("column %q is %s, not numeric (int or float)", name, c.Type())
}

// clipColumn clips c's values to [lo, hi]. An int column stays int when
// keepInt is set (integral bounds), else it becomes float.
func clipColumn(c frame.Column, x []float64, lo, hi float64, keepInt bool) frame.Column {
	if ic, ok := c.(*frame.Int64Col); ok && keepInt {
		data := slices.Clone(ic.Data)
		for i, v := range data {
			if float64(v) < lo {
				data[i] = int64(lo)
			} else if float64(v) > hi {
				data[i] = int64(hi)
			}
		}
		return frame.NewInt64(c.Name(), data, ic.Mask())
	}
	out := make([]float64, len(x))
	for i, v := range x {
		out[i] = v
		if v < lo {
			out[i] = lo
		} else if v > hi {
			out[i] = hi
		}
	}
	return frame.NewFloat64(c.Name(), out, frame.Mask{})
}

func opClip(ctx context.Context, f *frame.Frame, s Step, p params) (*frame.Frame, Effect, error) {
	method, err := p.oneOf("method", "", "", "iqr")
	if err != nil {
		return nil, Effect{}, err
	}
	lo, err := p.num("lower", math.Inf(-1))
	if err != nil {
		return nil, Effect{}, err
	}
	hi, err := p.num("upper", math.Inf(1))
	if err != nil {
		return nil, Effect{}, err
	}
	k, err := p.num("k", 1.5)
	if err != nil {
		return nil, Effect{}, err
	}
	switch {
	case method == "" && !p.has("lower") && !p.has("upper"):
		return nil, Effect{}, fmt.Errorf("give \"lower\" and/or \"upper\", or \"method\": \"iqr\"")
	case method == "iqr" && (p.has("lower") || p.has("upper")):
		return nil, Effect{}, fmt.Errorf("\"method\": \"iqr\" computes the bounds: drop \"lower\" and \"upper\"")
	case method == "" && p.has("k"):
		return nil, Effect{}, fmt.Errorf("\"k\" goes with \"method\": \"iqr\"")
	case lo > hi:
		return nil, Effect{}, fmt.Errorf("lower bound %v is above upper bound %v", lo, hi)
	case k < 0:
		return nil, Effect{}, fmt.Errorf("\"k\" must not be negative, got %v", k)
	}
	integral := func(v float64) bool { return math.IsInf(v, 0) || v == math.Trunc(v) }
	keepInt := method == "" && integral(lo) && integral(hi)
	var eff Effect
	var out []frame.Column
	var details []string
	for _, n := range s.Columns {
		if err := ctx.Err(); err != nil {
			return nil, Effect{}, err
		}
		c, x, err := numericColumn(f, n)
		if err != nil {
			return nil, Effect{}, err
		}
		l, h := lo, hi
		if method == "iqr" {
			sorted, _ := stats.SortNonNaN(x)
			if len(sorted) == 0 {
				return nil, Effect{}, fmt.Errorf("column %q has no values to take quartiles of", n)
			}
			q1, q3 := stats.Quantile(0.25, sorted), stats.Quantile(0.75, sorted)
			l, h = q1-k*(q3-q1), q3+k*(q3-q1)
			details = append(details, fmt.Sprintf("%s to [%s, %s]", n, frame.FormatFloat(l), frame.FormatFloat(h)))
		}
		nc := clipColumn(c, x, l, h, keepInt)
		eff.CellsChanged += changedCells(c, nc)
		out = append(out, nc)
	}
	g, err := replace(f, out...)
	if len(details) > 0 {
		eff.Detail = strings.Join(details, "; ")
	}
	return g, eff, err
}

func opWinsorize(ctx context.Context, f *frame.Frame, s Step, p params) (*frame.Frame, Effect, error) {
	pl, err := p.num("lower", 0.01)
	if err != nil {
		return nil, Effect{}, err
	}
	ph, err := p.num("upper", 0.99)
	if err != nil {
		return nil, Effect{}, err
	}
	if !(pl >= 0 && pl < ph && ph <= 1) {
		return nil, Effect{}, fmt.Errorf("quantiles must satisfy 0 ≤ lower < upper ≤ 1, got %v and %v", pl, ph)
	}
	var eff Effect
	var out []frame.Column
	var details []string
	for _, n := range s.Columns {
		if err := ctx.Err(); err != nil {
			return nil, Effect{}, err
		}
		c, x, err := numericColumn(f, n)
		if err != nil {
			return nil, Effect{}, err
		}
		sorted, _ := stats.SortNonNaN(x)
		if len(sorted) == 0 {
			return nil, Effect{}, fmt.Errorf("column %q has no values to take quantiles of", n)
		}
		l, h := stats.Quantile(pl, sorted), stats.Quantile(ph, sorted)
		details = append(details, fmt.Sprintf("%s to [%s, %s]", n, frame.FormatFloat(l), frame.FormatFloat(h)))
		nc := clipColumn(c, x, l, h, false)
		eff.CellsChanged += changedCells(c, nc)
		out = append(out, nc)
	}
	g, err := replace(f, out...)
	eff.Detail = strings.Join(details, "; ")
	return g, eff, err
}

func opImpute(ctx context.Context, f *frame.Frame, s Step, p params) (*frame.Frame, Effect, error) {
	method, err := p.oneOf("method", "", "mean", "median", "mode", "constant")
	if err != nil {
		if !p.has("method") {
			return nil, Effect{}, fmt.Errorf("param \"method\" is required (mean, median, mode or constant)")
		}
		return nil, Effect{}, err
	}
	value, hasValue := p.m["value"]
	if method == "constant" && (!hasValue || value == nil) {
		return nil, Effect{}, fmt.Errorf("method constant needs param \"value\"")
	}
	if method != "constant" && hasValue {
		return nil, Effect{}, fmt.Errorf("param \"value\" goes with method constant, not %s", method)
	}
	var eff Effect
	var out []frame.Column
	var details []string
	for _, n := range s.Columns {
		if err := ctx.Err(); err != nil {
			return nil, Effect{}, err
		}
		c, _ := f.Column(n)
		nc, v, err := imputeColumn(c, method, value)
		if err != nil {
			return nil, Effect{}, err
		}
		if c.NullCount() > 0 {
			details = append(details, fmt.Sprintf("%s = %s", n, v))
		}
		eff.CellsChanged += changedCells(c, nc)
		out = append(out, nc)
	}
	g, err := replace(f, out...)
	if len(details) > 0 {
		eff.Detail = method + " " + strings.Join(details, ", ")
	}
	return g, eff, err
}

// imputeColumn fills c's missing values and returns the new column and the
// fill value as text.
func imputeColumn(c frame.Column, method string, value any) (frame.Column, string, error) {
	name := c.Name()
	bad := func() (frame.Column, string, error) {
		return nil, "", fmt.Errorf("cannot impute the %s of %s column %q", method, c.Type(), name)
	}
	empty := func() (frame.Column, string, error) {
		return nil, "", fmt.Errorf("column %q has no values to take the %s of", name, method)
	}
	if c.NullCount() == 0 && method != "constant" {
		return c, "", nil
	}
	switch c := c.(type) {
	case *frame.Float64Col, *frame.Int64Col:
		x, _ := frame.Floats(c)
		var v float64
		switch method {
		case "mean":
			v = stats.Mean(x)
		case "median":
			sorted, _ := stats.SortNonNaN(x)
			v = stats.Median(sorted)
		case "mode":
			var ok bool
			if v, ok = modeOf(x, func(v float64) bool { return v == v }); !ok {
				return empty()
			}
		case "constant":
			var ok bool
			if v, ok = toFloat(value); !ok {
				return nil, "", fmt.Errorf("constant %v for numeric column %q is not a number", value, name)
			}
		}
		if math.IsNaN(v) {
			return empty()
		}
		if ic, ok := c.(*frame.Int64Col); ok && (method == "mode" || method == "constant") {
			if v != math.Trunc(v) || math.Abs(v) >= 1<<63 {
				return nil, "", fmt.Errorf("constant %v for int column %q is not a whole number", value, name)
			}
			data := slices.Clone(ic.Data)
			m := ic.Mask()
			for i := range data {
				if m.IsNA(i) {
					data[i] = int64(v)
				}
			}
			return frame.NewInt64(name, data, frame.Mask{}), frame.FormatFloat(v), nil
		}
		for i, xi := range x {
			if xi != xi {
				x[i] = v
			}
		}
		return frame.NewFloat64(name, x, frame.Mask{}), frame.FormatFloat(v), nil
	case *frame.BoolCol:
		var v bool
		switch method {
		case "mode":
			t, n := 0, 0
			for i, b := range c.Data {
				if c.IsNA(i) {
					continue
				}
				n++
				if b {
					t++
				}
			}
			if n == 0 {
				return empty()
			}
			v = 2*t > n // a tie gives false, the smaller value
		case "constant":
			b, ok := value.(bool)
			if !ok {
				return nil, "", fmt.Errorf("constant %v for bool column %q is not true or false", value, name)
			}
			v = b
		default:
			return bad()
		}
		data := slices.Clone(c.Data)
		for i := range data {
			if c.IsNA(i) {
				data[i] = v
			}
		}
		return frame.NewBool(name, data, frame.Mask{}), fmt.Sprint(v), nil
	case *frame.DatetimeCol:
		var v int64
		valid := make([]int64, 0, c.Len())
		for i, t := range c.Data {
			if !c.IsNA(i) {
				valid = append(valid, t)
			}
		}
		switch method {
		case "median":
			if len(valid) == 0 {
				return empty()
			}
			slices.Sort(valid)
			n := len(valid)
			v = valid[n/2]
			if n%2 == 0 {
				a, b := valid[n/2-1], valid[n/2]
				v = a + (b-a)/2
			}
		case "mode":
			var ok bool
			if v, ok = modeOf(valid, func(int64) bool { return true }); !ok {
				return empty()
			}
		case "constant":
			s, ok := value.(string)
			if !ok {
				return nil, "", fmt.Errorf("constant for datetime column %q must be a date text such as \"2024-01-31\"", name)
			}
			t, ok := parseDate(s)
			if !ok {
				return nil, "", fmt.Errorf("constant %q for datetime column %q is not a date (use 2006-01-02 or RFC 3339)", s, name)
			}
			v = t
		default:
			return bad()
		}
		data := slices.Clone(c.Data)
		for i := range data {
			if c.IsNA(i) {
				data[i] = v
			}
		}
		return frame.NewDatetime(name, data, frame.Mask{}), frame.FormatTime(v), nil
	case *frame.CategoricalCol:
		var v string
		switch method {
		case "mode":
			counts := make([]int, len(c.Levels))
			for _, k := range c.Codes {
				if k >= 0 {
					counts[k]++
				}
			}
			best := -1
			for k, n := range counts {
				if n > 0 && (best < 0 || n > counts[best] || (n == counts[best] && c.Levels[k] < c.Levels[best])) {
					best = k
				}
			}
			if best < 0 {
				return empty()
			}
			v = c.Levels[best]
		case "constant":
			s, ok := value.(string)
			if !ok {
				return nil, "", fmt.Errorf("constant %v for categorical column %q must be a string", value, name)
			}
			v = s
		default:
			return bad()
		}
		levels := c.Levels
		code := int32(slices.Index(levels, v))
		if code < 0 {
			levels = append(slices.Clone(levels), v)
			code = int32(len(levels) - 1)
		}
		codes := slices.Clone(c.Codes)
		for i, k := range codes {
			if k < 0 {
				codes[i] = code
			}
		}
		return frame.NewCategorical(name, codes, levels), fmt.Sprintf("%q", v), nil
	case *frame.StringCol:
		var v string
		switch method {
		case "mode":
			var ok bool
			m := c.Mask()
			vals := make([]string, 0, len(c.Data))
			for i, s := range c.Data {
				if m.Valid(i) {
					vals = append(vals, s)
				}
			}
			if v, ok = modeOf(vals, func(string) bool { return true }); !ok {
				return empty()
			}
		case "constant":
			s, ok := value.(string)
			if !ok {
				return nil, "", fmt.Errorf("constant %v for string column %q must be a string", value, name)
			}
			v = s
		default:
			return bad()
		}
		data := slices.Clone(c.Data)
		for i := range data {
			if c.IsNA(i) {
				data[i] = v
			}
		}
		return frame.NewString(name, data, frame.Mask{}), fmt.Sprintf("%q", v), nil
	}
	return bad()
}

// modeOf returns the most frequent of the values keep accepts; ties go to
// the smallest value, as pandas' Series.mode()[0] (mode sorts its result).
func modeOf[T cmp.Ordered](x []T, keep func(T) bool) (T, bool) {
	counts := map[T]int{}
	for _, v := range x {
		if keep(v) {
			counts[v]++
		}
	}
	var best T
	bestN := 0
	for v, n := range counts {
		if n > bestN || (n == bestN && v < best) {
			best, bestN = v, n
		}
	}
	return best, bestN > 0
}

// parseDate reads a date or time in one of DateLayouts, as Unix nanoseconds.
func parseDate(s string) (int64, bool) {
	s = strings.TrimSpace(s)
	for _, l := range DateLayouts {
		if t, err := time.Parse(l, s); err == nil {
			return t.UnixNano(), true
		}
	}
	return 0, false
}

// asTextColumn returns c as a text column (categorical and string as they
// are; other types as a string column of their displayed values).
func asTextColumn(c frame.Column) frame.Column {
	if t := c.Type(); t == frame.Categorical || t == frame.String {
		return c
	}
	nc, _, _ := castColumn(c, frame.String, "")
	return nc
}

func opMask(ctx context.Context, f *frame.Frame, s Step, p params) (*frame.Frame, Effect, error) {
	keep, err := p.integer("keep", 2)
	if err != nil {
		return nil, Effect{}, err
	}
	if keep < 0 || keep > 8 {
		return nil, Effect{}, fmt.Errorf("param \"keep\" must be between 0 and 8 digits, got %d", keep)
	}
	return transformColumns(ctx, f, s.Columns, func(v string) string { return MaskValue(v, keep) })
}

func opHash(ctx context.Context, f *frame.Frame, s Step, p params) (*frame.Frame, Effect, error) {
	salt, err := p.str("salt", "")
	if err != nil {
		return nil, Effect{}, err
	}
	if salt == "" {
		return nil, Effect{}, fmt.Errorf("param \"salt\" is required (a secret string; Session fills in the recipe's salt)")
	}
	length, err := p.integer("length", 16)
	if err != nil {
		return nil, Effect{}, err
	}
	if length < 8 || length > 64 {
		return nil, Effect{}, fmt.Errorf("param \"length\" must be between 8 and 64 hex digits, got %d", length)
	}
	return transformColumns(ctx, f, s.Columns, func(v string) string { return HashValue(salt, v, length) })
}

// transformColumns maps the displayed text of every value of the columns
// through fn; non-text columns become string columns.
func transformColumns(ctx context.Context, f *frame.Frame, names []string, fn func(string) string) (*frame.Frame, Effect, error) {
	var eff Effect
	var out []frame.Column
	for _, n := range names {
		if err := ctx.Err(); err != nil {
			return nil, Effect{}, err
		}
		c, _ := f.Column(n)
		nc := mapTextColumn(asTextColumn(c), fn)
		eff.CellsChanged += changedCells(c, nc)
		out = append(out, nc)
	}
	g, err := replace(f, out...)
	return g, eff, err
}

// MaskValue hides most of a value while keeping it recognisable:
//
//   - an e-mail address keeps its first character and its domain:
//     "jane.doe@example.com" → "j***@example.com";
//   - a value of at least 5 digits and no letters (phone, card or account
//     number) keeps its separators and its last keep digits:
//     "+44 7700 900123" → "+** **** ****23" for keep = 2;
//   - any other non-empty value keeps its first character: "Jane" → "J***".
func MaskValue(s string, keep int) string {
	if s == "" {
		return s
	}
	if at := strings.LastIndexByte(s, '@'); at > 0 && at < len(s)-1 {
		r, _ := utf8.DecodeRuneInString(s)
		return string(r) + "***" + s[at:]
	}
	digits, letters := 0, false
	for _, r := range s {
		if unicode.IsDigit(r) {
			digits++
		} else if unicode.IsLetter(r) {
			letters = true
		}
	}
	if digits >= 5 && !letters {
		b := []rune(s)
		seen := 0
		for i := len(b) - 1; i >= 0; i-- {
			if unicode.IsDigit(b[i]) {
				seen++
				if seen > keep {
					b[i] = '*'
				}
			}
		}
		return string(b)
	}
	r, _ := utf8.DecodeRuneInString(s)
	return string(r) + "***"
}

// HashValue returns the first length hex digits of SHA-256(salt ‖ 0x00 ‖ s):
// equal values get equal hashes (joins and counts still work), and without
// the salt the values cannot be looked up in a precomputed table.
func HashValue(salt, s string, length int) string {
	h := sha256.New()
	h.Write([]byte(salt))
	h.Write([]byte{0})
	h.Write([]byte(s))
	return hex.EncodeToString(h.Sum(nil))[:length]
}
