package clean

import (
	"context"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/mlwb/mlwb/engine/frame"
)

func opDropColumns(_ context.Context, f *frame.Frame, s Step, _ params) (*frame.Frame, Effect, error) {
	g, err := f.Drop(s.Columns...)
	if err != nil {
		return nil, Effect{}, err
	}
	return g, Effect{ColumnsDropped: len(s.Columns)}, nil
}

func opRename(_ context.Context, f *frame.Frame, s Step, p params) (*frame.Frame, Effect, error) {
	to, err := p.strs("to")
	if err != nil {
		return nil, Effect{}, err
	}
	if len(to) != len(s.Columns) {
		return nil, Effect{}, fmt.Errorf("param \"to\" has %d names for %d columns", len(to), len(s.Columns))
	}
	newName := map[string]string{}
	for i, c := range s.Columns {
		if strings.TrimSpace(to[i]) == "" {
			return nil, Effect{}, fmt.Errorf("new name of %q is empty", c)
		}
		newName[c] = to[i]
	}
	cols := slices.Clone(f.Columns())
	seen := map[string]bool{}
	for i, c := range cols {
		if n, ok := newName[c.Name()]; ok {
			cols[i] = c.WithName(n)
		}
		if seen[cols[i].Name()] {
			return nil, Effect{}, fmt.Errorf("renaming would make two columns named %q", cols[i].Name())
		}
		seen[cols[i].Name()] = true
	}
	g, err := frame.New(cols...)
	if err != nil {
		return nil, Effect{}, err
	}
	var d []string
	for i, c := range s.Columns {
		d = append(d, fmt.Sprintf("%q → %q", c, to[i]))
	}
	return g, Effect{Detail: "renamed " + strings.Join(d, ", ")}, nil
}

// convFailure remembers the first value that could not be converted.
type convFailure struct {
	n    int
	text string
	row  int
}

func (c *convFailure) add(text string, row int) {
	if c.n == 0 {
		c.text, c.row = text, row
	}
	c.n++
}

func (c *convFailure) err(col string, to string) error {
	return fmt.Errorf("%s of %q cannot be read as %s (e.g. %q in row %d)", plural(c.n, "cell", "cells"), col, to, c.text, c.row+1)
}

func plural(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return formatCount(n) + " " + many
}

func opCast(ctx context.Context, f *frame.Frame, s Step, p params) (*frame.Frame, Effect, error) {
	toName, err := p.str("to", "")
	if err != nil {
		return nil, Effect{}, err
	}
	if toName == "" {
		return nil, Effect{}, fmt.Errorf("param \"to\" is required (int, float, bool, datetime, categorical or string)")
	}
	to, err := frame.ParseType(toName)
	if err != nil {
		return nil, Effect{}, err
	}
	layout, err := p.str("layout", "")
	if err != nil {
		return nil, Effect{}, err
	}
	strict, err := p.boolean("strict", false)
	if err != nil {
		return nil, Effect{}, err
	}
	return convertColumns(ctx, f, s.Columns, func(c frame.Column) (frame.Column, convFailure, error) {
		return castColumn(c, to, layout)
	}, toName, strict)
}

func opParseDates(ctx context.Context, f *frame.Frame, s Step, p params) (*frame.Frame, Effect, error) {
	layout, err := p.str("layout", "")
	if err != nil {
		return nil, Effect{}, err
	}
	strict, err := p.boolean("strict", false)
	if err != nil {
		return nil, Effect{}, err
	}
	if _, err := textColumns(f, s.Columns); err != nil {
		return nil, Effect{}, err
	}
	return convertColumns(ctx, f, s.Columns, func(c frame.Column) (frame.Column, convFailure, error) {
		return castColumn(c, frame.Datetime, layout)
	}, "a date", strict)
}

func convertColumns(ctx context.Context, f *frame.Frame, names []string, conv func(frame.Column) (frame.Column, convFailure, error), what string, strict bool) (*frame.Frame, Effect, error) {
	var eff Effect
	var out []frame.Column
	var examples []string
	for _, n := range names {
		if err := ctx.Err(); err != nil {
			return nil, Effect{}, err
		}
		c, _ := f.Column(n)
		nc, fail, err := conv(c)
		if err != nil {
			return nil, Effect{}, fmt.Errorf("column %q: %w", n, err)
		}
		if fail.n > 0 {
			if strict {
				return nil, Effect{}, fail.err(n, what)
			}
			eff.Failed += fail.n
			examples = append(examples, fmt.Sprintf("%q in row %d of %q", fail.text, fail.row+1, n))
		}
		eff.CellsChanged += changedCells(c, nc)
		out = append(out, nc)
	}
	g, err := replace(f, out...)
	if err != nil {
		return nil, Effect{}, err
	}
	if len(examples) > 0 {
		eff.Detail = "failed e.g. " + strings.Join(examples, "; ")
	}
	return g, eff, nil
}

// castColumn converts c to type to; cells that cannot be converted become
// missing and are reported in the convFailure. Casts that make no sense for
// any value (datetime to float) are errors.
func castColumn(c frame.Column, to frame.Type, layout string) (frame.Column, convFailure, error) {
	var fail convFailure
	name := c.Name()
	from := c.Type()
	if from == to && !(to == frame.Datetime && layout != "") {
		return c, fail, nil
	}
	n := c.Len()
	switch to {
	case frame.String:
		data, na := make([]string, n), make([]bool, n)
		for i := range n {
			data[i], na[i] = c.Format(i), c.IsNA(i)
		}
		return frame.NewString(name, data, frame.MaskFromMissing(na)), fail, nil
	case frame.Categorical:
		if cc, ok := c.(*frame.StringCol); ok {
			na := make([]bool, n)
			for i := range n {
				na[i] = cc.IsNA(i)
			}
			return frame.CategoricalFromStrings(name, cc.Data, na), fail, nil
		}
		data, na := make([]string, n), make([]bool, n)
		for i := range n {
			data[i], na[i] = c.Format(i), c.IsNA(i)
		}
		return frame.CategoricalFromStrings(name, data, na), fail, nil
	}
	if from == frame.Categorical || from == frame.String {
		return castText(c, to, layout)
	}
	if from == frame.Datetime || to == frame.Datetime {
		return nil, fail, fmt.Errorf("cannot cast %s to %s (parse dates from text columns)", from, to)
	}
	// Numeric to numeric.
	switch to {
	case frame.Float:
		x, _ := frame.Floats(c)
		return frame.NewFloat64(name, x, frame.Mask{}), fail, nil
	case frame.Int:
		data, na := make([]int64, n), make([]bool, n)
		for i := range n {
			v, ok := frame.FloatAt(c, i)
			if !ok {
				na[i] = true
				continue
			}
			if v != math.Trunc(v) || math.Abs(v) >= 1<<63 {
				na[i] = true
				fail.add(c.Format(i), i)
				continue
			}
			data[i] = int64(v)
		}
		return frame.NewInt64(name, data, frame.MaskFromMissing(na)), fail, nil
	case frame.Bool:
		data, na := make([]bool, n), make([]bool, n)
		for i := range n {
			v, ok := frame.FloatAt(c, i)
			switch {
			case !ok:
				na[i] = true
			case v == 0:
			case v == 1:
				data[i] = true
			default:
				na[i] = true
				fail.add(c.Format(i), i)
			}
		}
		return frame.NewBool(name, data, frame.MaskFromMissing(na)), fail, nil
	}
	return nil, fail, fmt.Errorf("cannot cast %s to %s", from, to)
}

// textValues returns a text column's values as (value, ok) per row through
// get, and how many distinct texts it has (levels for a categorical).
type textCol struct {
	levels []string // categorical: the levels; string: nil
	codes  []int32
	data   []string
	mask   frame.Mask
}

func asText(c frame.Column) textCol {
	switch c := c.(type) {
	case *frame.CategoricalCol:
		return textCol{levels: c.Levels, codes: c.Codes}
	case *frame.StringCol:
		return textCol{data: c.Data, mask: c.Mask()}
	}
	panic("clean: asText of a non-text column")
}

// mapText applies conv to every non-missing text of the column, once per
// distinct text (levels, or a cache for string columns), and writes the
// results through set; conv reports false for a failure.
func mapText[T any](t textCol, n int, conv func(string) (T, bool), set func(i int, v T), fail *convFailure, na []bool) {
	if t.levels != nil {
		vals := make([]T, len(t.levels))
		oks := make([]bool, len(t.levels))
		for k, s := range t.levels {
			vals[k], oks[k] = conv(s)
		}
		for i, k := range t.codes {
			if k < 0 {
				na[i] = true
				continue
			}
			if !oks[k] {
				na[i] = true
				fail.add(t.levels[k], i)
				continue
			}
			set(i, vals[k])
		}
		return
	}
	type res struct {
		v  T
		ok bool
	}
	cache := map[string]res{}
	for i := range n {
		if t.mask.IsNA(i) {
			na[i] = true
			continue
		}
		s := t.data[i]
		r, hit := cache[s]
		if !hit {
			r.v, r.ok = conv(s)
			if len(cache) < 1<<16 {
				cache[s] = r
			}
		}
		if !r.ok {
			na[i] = true
			fail.add(s, i)
			continue
		}
		set(i, r.v)
	}
}

func castText(c frame.Column, to frame.Type, layout string) (frame.Column, convFailure, error) {
	var fail convFailure
	t := asText(c)
	n := c.Len()
	na := make([]bool, n)
	name := c.Name()
	switch to {
	case frame.Float:
		data := make([]float64, n)
		mapText(t, n, parseFloatText, func(i int, v float64) { data[i] = v }, &fail, na)
		for i := range data {
			if na[i] {
				data[i] = math.NaN()
			}
		}
		return frame.NewFloat64(name, data, frame.MaskFromMissing(na)), fail, nil
	case frame.Int:
		data := make([]int64, n)
		mapText(t, n, parseIntText, func(i int, v int64) { data[i] = v }, &fail, na)
		return frame.NewInt64(name, data, frame.MaskFromMissing(na)), fail, nil
	case frame.Bool:
		data := make([]bool, n)
		mapText(t, n, parseBoolText, func(i int, v bool) { data[i] = v }, &fail, na)
		return frame.NewBool(name, data, frame.MaskFromMissing(na)), fail, nil
	case frame.Datetime:
		goLayout := layout
		if strings.Contains(layout, "%") {
			var err error
			if goLayout, err = strftimeLayout(layout); err != nil {
				return nil, fail, err
			}
		}
		if goLayout == "" {
			goLayout = detectLayout(t, n)
			if goLayout == "" {
				return nil, fail, fmt.Errorf("no known date layout fits its values; give a layout such as \"2006-01-02\" or \"%%d/%%m/%%Y\"")
			}
		}
		data := make([]int64, n)
		mapText(t, n, func(s string) (int64, bool) {
			tm, err := time.Parse(goLayout, strings.TrimSpace(s))
			if err != nil {
				return 0, false
			}
			return tm.UnixNano(), true
		}, func(i int, v int64) { data[i] = v }, &fail, na)
		return frame.NewDatetime(name, data, frame.MaskFromMissing(na)), fail, nil
	}
	return nil, fail, fmt.Errorf("cannot cast %s to %s", c.Type(), to)
}

func parseFloatText(s string) (float64, bool) {
	v, err := strconv.ParseFloat(strings.TrimSpace(s), 64)
	return v, err == nil
}

func parseIntText(s string) (int64, bool) {
	s = strings.TrimSpace(s)
	if v, err := strconv.ParseInt(s, 10, 64); err == nil {
		return v, true
	}
	v, err := strconv.ParseFloat(s, 64)
	if err != nil || v != math.Trunc(v) || math.Abs(v) >= 1<<63 {
		return 0, false
	}
	return int64(v), true
}

func parseBoolText(s string) (bool, bool) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "true", "t", "yes", "y", "1":
		return true, true
	case "false", "f", "no", "n", "0":
		return false, true
	}
	return false, false
}

// DateLayouts are the layouts (Go reference-time form) that parse_dates and
// cast to datetime try when no layout is given, in order of preference:
// the one parsing the most distinct values of the column wins, ties going
// to the earlier (so ambiguous 01/02/2006 is read month first, as pandas
// does by default).
var DateLayouts = []string{
	"2006-01-02", "2006-01-02 15:04:05", "2006-01-02T15:04:05", time.RFC3339, "2006-01-02 15:04",
	"2006/01/02", "1/2/2006", "2/1/2006", "1/2/2006 15:04", "2/1/2006 15:04", "1/2/2006 15:04:05", "2/1/2006 15:04:05",
	"2.1.2006", "2-1-2006", "2 Jan 2006", "Jan 2, 2006", "January 2, 2006", "2 January 2006", "Jan 2 2006",
	"20060102",
}

// detectLayout picks the layout of DateLayouts that parses the most
// distinct texts of the column (examining at most 1000), or "" if none
// parses any.
func detectLayout(t textCol, n int) string {
	var sample []string
	if t.levels != nil {
		sample = t.levels
	} else {
		seen := map[string]bool{}
		for i := 0; i < n && len(sample) < 1000; i++ {
			if t.mask.Valid(i) && !seen[t.data[i]] {
				seen[t.data[i]] = true
				sample = append(sample, t.data[i])
			}
		}
	}
	if len(sample) > 1000 {
		sample = sample[:1000]
	}
	best, bestN := "", 0
	for _, l := range DateLayouts {
		k := 0
		for _, s := range sample {
			if _, err := time.Parse(l, strings.TrimSpace(s)); err == nil {
				k++
			}
		}
		if k > bestN {
			best, bestN = l, k
		}
	}
	return best
}

// strftimeLayout converts a C strftime layout ("%d/%m/%Y %H:%M") to Go's
// reference-time form.
func strftimeLayout(s string) (string, error) {
	repl := map[byte]string{
		'Y': "2006", 'y': "06", 'm': "01", 'd': "02", 'e': "_2", 'H': "15", 'I': "03", 'M': "04",
		'S': "05", 'p': "PM", 'b': "Jan", 'h': "Jan", 'B': "January", 'a': "Mon", 'A': "Monday",
		'z': "-0700", 'Z': "MST", 'T': "15:04:05", 'F': "2006-01-02", 'f': "999999999", '%': "%",
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] != '%' {
			b.WriteByte(s[i])
			continue
		}
		if i+1 >= len(s) {
			return "", fmt.Errorf("layout %q ends with a lone %%", s)
		}
		r, ok := repl[s[i+1]]
		if !ok {
			return "", fmt.Errorf("layout %q: unsupported directive %%%c", s, s[i+1])
		}
		if s[i+1] == 'f' {
			// Go reads fractional seconds after the seconds by itself.
			if strings.HasSuffix(b.String(), ".") {
				str := b.String()
				b.Reset()
				b.WriteString(str[:len(str)-1])
			}
			i++
			continue
		}
		b.WriteString(r)
		i++
	}
	return b.String(), nil
}
