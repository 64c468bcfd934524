package features

import (
	"encoding/json"
	"fmt"
	"math"
	"strconv"

	"github.com/mlwb/mlwb/engine/frame"
)

// nfloat is a float64 that JSON writes as null when it is NaN and as the
// strings "inf"/"-inf" for infinities, so fitted states stay valid JSON.
type nfloat float64

func (v nfloat) MarshalJSON() ([]byte, error) {
	f := float64(v)
	switch {
	case math.IsNaN(f):
		return []byte("null"), nil
	case math.IsInf(f, 1):
		return []byte(`"inf"`), nil
	case math.IsInf(f, -1):
		return []byte(`"-inf"`), nil
	}
	return strconv.AppendFloat(nil, f, 'g', -1, 64), nil
}

func (v *nfloat) UnmarshalJSON(b []byte) error {
	switch string(b) {
	case "null":
		*v = nfloat(math.NaN())
		return nil
	case `"inf"`:
		*v = nfloat(math.Inf(1))
		return nil
	case `"-inf"`:
		*v = nfloat(math.Inf(-1))
		return nil
	}
	var f float64
	if err := json.Unmarshal(b, &f); err != nil {
		return err
	}
	*v = nfloat(f)
	return nil
}

func toN(x []float64) []nfloat {
	out := make([]nfloat, len(x))
	for i, v := range x {
		out[i] = nfloat(v)
	}
	return out
}

func fromN(x []nfloat) []float64 {
	out := make([]float64, len(x))
	for i, v := range x {
		out[i] = float64(v)
	}
	return out
}

// isNumeric accepts float, int and bool columns.
func isNumeric(c frame.Column) bool { return c.Type().Numeric() }

// isCategory accepts categorical and string columns.
func isCategory(c frame.Column) bool {
	return c.Type() == frame.Categorical || c.Type() == frame.String
}

func isDatetime(c frame.Column) bool { return c.Type() == frame.Datetime }

func isText(c frame.Column) bool { return isCategory(c) }

// floats returns the named column as float64 with NaN for missing values
// (bool as 0/1). It fails for columns that are not numbers.
func floats(f *frame.Frame, name string) ([]float64, error) {
	c, err := f.Column(name)
	if err != nil {
		return nil, err
	}
	if !c.Type().Numeric() {
		return nil, fmt.Errorf("column %q is %s, want a number column", name, c.Type())
	}
	return frame.Floats(c)
}

// levelCodes dictionary-encodes a column by its text: codes index levels,
// −1 for missing. Categorical columns keep their own levels.
func levelCodes(c frame.Column) ([]int32, []string) {
	if cc, ok := c.(*frame.CategoricalCol); ok {
		return cc.Codes, cc.Levels
	}
	codes := make([]int32, c.Len())
	index := map[string]int32{}
	var levels []string
	for i := range codes {
		if c.IsNA(i) {
			codes[i] = -1
			continue
		}
		s := c.Format(i)
		k, ok := index[s]
		if !ok {
			k = int32(len(levels))
			index[s] = k
			levels = append(levels, s)
		}
		codes[i] = k
	}
	return codes, levels
}

// mapLevels returns, for each level of a column at apply time, the index of
// the same text among known (−1 when unseen).
func mapLevels(levels []string, known map[string]int) []int {
	out := make([]int, len(levels))
	for i, l := range levels {
		if k, ok := known[l]; ok {
			out[i] = k
		} else {
			out[i] = -1
		}
	}
	return out
}

// replace returns f with column old replaced by cols at its position (old
// removed when cols is empty). A new name that clashes with another column
// is an error.
func replace(f *frame.Frame, old string, cols ...frame.Column) (*frame.Frame, error) {
	pos := f.Index(old)
	if pos < 0 {
		return nil, &frame.ColumnNotFoundError{Name: old, Available: f.Names()}
	}
	out := make([]frame.Column, 0, f.NumCols()+len(cols))
	out = append(out, f.Columns()[:pos]...)
	out = append(out, cols...)
	out = append(out, f.Columns()[pos+1:]...)
	return newFrame(f, out)
}

// appendCols returns f with cols added at the end.
func appendCols(f *frame.Frame, cols ...frame.Column) (*frame.Frame, error) {
	out := append(append([]frame.Column(nil), f.Columns()...), cols...)
	return newFrame(f, out)
}

// newFrame builds a frame, with a clear error on duplicate names, and keeps
// the row count when no column is left.
func newFrame(f *frame.Frame, cols []frame.Column) (*frame.Frame, error) {
	seen := map[string]bool{}
	for _, c := range cols {
		if seen[c.Name()] {
			return nil, fmt.Errorf("output column %q already exists; rename it or drop the other first", c.Name())
		}
		seen[c.Name()] = true
	}
	if len(cols) == 0 {
		return f.Drop(f.Names()...)
	}
	return frame.New(cols...)
}

// floatCol returns a float column; NaN values are missing.
func floatCol(name string, data []float64) frame.Column {
	return frame.NewFloat64(name, data, frame.Mask{})
}

// nonNaN returns the values of x that are not NaN, in order.
func nonNaN(x []float64) []float64 {
	out := make([]float64, 0, len(x))
	for _, v := range x {
		if v == v {
			out = append(out, v)
		}
	}
	return out
}
