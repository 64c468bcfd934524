package frame

import (
	"fmt"
	"math"
	"strconv"
	"time"
)

// Type is a column's logical type.
type Type uint8

// The column types. Their String names ("int", "float", ...) are part of the
// documented --json output and must not change.
const (
	Float Type = iota
	Int
	Bool
	Datetime
	Categorical
	String
)

var typeNames = [...]string{"float", "int", "bool", "datetime", "categorical", "string"}

// String returns the type's stable name: int, float, bool, datetime, categorical or string.
func (t Type) String() string {
	if int(t) < len(typeNames) {
		return typeNames[t]
	}
	return fmt.Sprintf("Type(%d)", t)
}

// ParseType returns the Type named s (as returned by Type.String).
func ParseType(s string) (Type, error) {
	for i, n := range typeNames {
		if n == s {
			return Type(i), nil
		}
	}
	return 0, fmt.Errorf("frame: unknown type %q (want int, float, bool, datetime, categorical or string)", s)
}

// Numeric reports whether values of the type are numbers (float, int, bool).
func (t Type) Numeric() bool { return t == Float || t == Int || t == Bool }

// Column is one typed, immutable column. Implementations are *Float64Col,
// *Int64Col, *BoolCol, *DatetimeCol, *CategoricalCol and *StringCol; switch on
// the concrete type for hot loops.
type Column interface {
	Name() string
	Type() Type
	Len() int
	// Mask returns the validity mask (the zero Mask when nothing is missing).
	Mask() Mask
	// IsNA reports whether row i is missing.
	IsNA(i int) bool
	// NullCount returns the number of missing rows.
	NullCount() int
	// Format returns row i as display text; missing rows give "".
	Format(i int) string
	// Value returns row i boxed (float64, int64, bool, time.Time or string), or
	// nil when missing. For cold paths only: interchange and JSON.
	Value(i int) any
	// Take returns the rows idx, in that order.
	Take(idx []int) Column
	// Slice returns rows lo..hi-1.
	Slice(lo, hi int) Column
	// WithName returns the same data under another name.
	WithName(name string) Column
}

type base struct {
	name string
	mask Mask
}

func (b *base) Name() string    { return b.name }
func (b *base) Mask() Mask      { return b.mask }
func (b *base) IsNA(i int) bool { return b.mask.IsNA(i) }
func (b *base) nulls(n int) int { return b.mask.CountNA(n) }
func take[T any](d []T, idx []int) []T {
	out := make([]T, len(idx))
	for j, i := range idx {
		out[j] = d[i]
	}
	return out
}

// Float64Col holds float64 values. Missing rows hold NaN in Data and are clear in
// the mask; a NaN read from data is missing too, as in pandas. ±Inf are values.
type Float64Col struct {
	base
	Data []float64
}

// NewFloat64 returns a float column. Rows with NaN data are marked missing in
// addition to those missing in mask (which may be the zero Mask).
func NewFloat64(name string, data []float64, mask Mask) *Float64Col {
	for i, v := range data {
		if math.IsNaN(v) && mask.Valid(i) {
			if !mask.HasNA() {
				mask = NewMask(len(data))
			}
			mask.SetNA(i)
		}
	}
	for i := range data {
		if !mask.Valid(i) {
			data[i] = math.NaN()
		}
	}
	return &Float64Col{base{name, mask}, data}
}

func (c *Float64Col) Type() Type     { return Float }
func (c *Float64Col) Len() int       { return len(c.Data) }
func (c *Float64Col) NullCount() int { return c.nulls(len(c.Data)) }
func (c *Float64Col) Format(i int) string {
	if c.mask.IsNA(i) {
		return ""
	}
	return FormatFloat(c.Data[i])
}
func (c *Float64Col) Value(i int) any {
	if c.mask.IsNA(i) {
		return nil
	}
	return c.Data[i]
}
func (c *Float64Col) Take(idx []int) Column {
	return &Float64Col{base{c.name, c.mask.Take(idx)}, take(c.Data, idx)}
}
func (c *Float64Col) Slice(lo, hi int) Column {
	return &Float64Col{base{c.name, c.mask.Slice(lo, hi)}, c.Data[lo:hi:hi]}
}
func (c *Float64Col) WithName(n string) Column { d := *c; d.name = n; return &d }

// FormatFloat renders a float the way tables show it: shortest round-trip form,
// with inf, -inf and nan spelled as pandas does.
func FormatFloat(v float64) string {
	switch {
	case math.IsInf(v, 1):
		return "inf"
	case math.IsInf(v, -1):
		return "-inf"
	case math.IsNaN(v):
		return "nan"
	}
	return strconv.FormatFloat(v, 'g', -1, 64)
}

// Int64Col holds int64 values.
type Int64Col struct {
	base
	Data []int64
}

// NewInt64 returns an int column; mask may be the zero Mask.
func NewInt64(name string, data []int64, mask Mask) *Int64Col {
	return &Int64Col{base{name, mask}, data}
}

func (c *Int64Col) Type() Type     { return Int }
func (c *Int64Col) Len() int       { return len(c.Data) }
func (c *Int64Col) NullCount() int { return c.nulls(len(c.Data)) }
func (c *Int64Col) Format(i int) string {
	if c.mask.IsNA(i) {
		return ""
	}
	return strconv.FormatInt(c.Data[i], 10)
}
func (c *Int64Col) Value(i int) any {
	if c.mask.IsNA(i) {
		return nil
	}
	return c.Data[i]
}
func (c *Int64Col) Take(idx []int) Column {
	return &Int64Col{base{c.name, c.mask.Take(idx)}, take(c.Data, idx)}
}
func (c *Int64Col) Slice(lo, hi int) Column {
	return &Int64Col{base{c.name, c.mask.Slice(lo, hi)}, c.Data[lo:hi:hi]}
}
func (c *Int64Col) WithName(n string) Column { d := *c; d.name = n; return &d }

// BoolCol holds booleans.
type BoolCol struct {
	base
	Data []bool
}

// NewBool returns a bool column; mask may be the zero Mask.
func NewBool(name string, data []bool, mask Mask) *BoolCol {
	return &BoolCol{base{name, mask}, data}
}

func (c *BoolCol) Type() Type     { return Bool }
func (c *BoolCol) Len() int       { return len(c.Data) }
func (c *BoolCol) NullCount() int { return c.nulls(len(c.Data)) }
func (c *BoolCol) Format(i int) string {
	if c.mask.IsNA(i) {
		return ""
	}
	return strconv.FormatBool(c.Data[i])
}
func (c *BoolCol) Value(i int) any {
	if c.mask.IsNA(i) {
		return nil
	}
	return c.Data[i]
}
func (c *BoolCol) Take(idx []int) Column {
	return &BoolCol{base{c.name, c.mask.Take(idx)}, take(c.Data, idx)}
}
func (c *BoolCol) Slice(lo, hi int) Column {
	return &BoolCol{base{c.name, c.mask.Slice(lo, hi)}, c.Data[lo:hi:hi]}
}
func (c *BoolCol) WithName(n string) Column { d := *c; d.name = n; return &d }

// DatetimeCol holds instants as Unix nanoseconds in UTC. Times without a zone
// in the source are read as UTC.
type DatetimeCol struct {
	base
	Data []int64
}

// NewDatetime returns a datetime column of Unix nanoseconds; mask may be the zero Mask.
func NewDatetime(name string, nanos []int64, mask Mask) *DatetimeCol {
	return &DatetimeCol{base{name, mask}, nanos}
}

func (c *DatetimeCol) Type() Type     { return Datetime }
func (c *DatetimeCol) Len() int       { return len(c.Data) }
func (c *DatetimeCol) NullCount() int { return c.nulls(len(c.Data)) }

// Time returns row i as a time.Time in UTC.
func (c *DatetimeCol) Time(i int) time.Time { return time.Unix(0, c.Data[i]).UTC() }
func (c *DatetimeCol) Format(i int) string {
	if c.mask.IsNA(i) {
		return ""
	}
	return FormatTime(c.Data[i])
}
func (c *DatetimeCol) Value(i int) any {
	if c.mask.IsNA(i) {
		return nil
	}
	return c.Time(i)
}
func (c *DatetimeCol) Take(idx []int) Column {
	return &DatetimeCol{base{c.name, c.mask.Take(idx)}, take(c.Data, idx)}
}
func (c *DatetimeCol) Slice(lo, hi int) Column {
	return &DatetimeCol{base{c.name, c.mask.Slice(lo, hi)}, c.Data[lo:hi:hi]}
}
func (c *DatetimeCol) WithName(n string) Column { d := *c; d.name = n; return &d }

// FormatTime renders Unix nanoseconds as an ISO date, or date and time when the
// time of day is not midnight.
func FormatTime(nanos int64) string {
	t := time.Unix(0, nanos).UTC()
	if t.Hour() == 0 && t.Minute() == 0 && t.Second() == 0 && t.Nanosecond() == 0 {
		return t.Format("2006-01-02")
	}
	if t.Nanosecond() == 0 {
		return t.Format("2006-01-02 15:04:05")
	}
	return t.Format("2006-01-02 15:04:05.999999999")
}

// CategoricalCol holds dictionary-encoded strings: Codes index Levels. Missing
// rows have code -1 and are clear in the mask. Levels are distinct and in order
// of first appearance unless a constructor says otherwise.
type CategoricalCol struct {
	base
	Codes  []int32
	Levels []string
}

// NewCategorical returns a categorical column. Codes of -1 are missing; mask is
// derived from them.
func NewCategorical(name string, codes []int32, levels []string) *CategoricalCol {
	var mask Mask
	for i, c := range codes {
		if c < 0 {
			if !mask.HasNA() {
				mask = NewMask(len(codes))
			}
			mask.SetNA(i)
		}
	}
	return &CategoricalCol{base{name, mask}, codes, levels}
}

// CategoricalFromStrings dictionary-encodes values; missing[i] (may be nil) marks NA.
func CategoricalFromStrings(name string, values []string, missing []bool) *CategoricalCol {
	codes := make([]int32, len(values))
	index := map[string]int32{}
	var levels []string
	for i, v := range values {
		if missing != nil && missing[i] {
			codes[i] = -1
			continue
		}
		c, ok := index[v]
		if !ok {
			c = int32(len(levels))
			index[v] = c
			levels = append(levels, v)
		}
		codes[i] = c
	}
	return NewCategorical(name, codes, levels)
}

func (c *CategoricalCol) Type() Type     { return Categorical }
func (c *CategoricalCol) Len() int       { return len(c.Codes) }
func (c *CategoricalCol) NullCount() int { return c.nulls(len(c.Codes)) }

// Str returns row i's level, or "" when missing.
func (c *CategoricalCol) Str(i int) string {
	if k := c.Codes[i]; k >= 0 {
		return c.Levels[k]
	}
	return ""
}
func (c *CategoricalCol) Format(i int) string { return c.Str(i) }
func (c *CategoricalCol) Value(i int) any {
	if c.Codes[i] < 0 {
		return nil
	}
	return c.Levels[c.Codes[i]]
}
func (c *CategoricalCol) Take(idx []int) Column {
	return &CategoricalCol{base{c.name, c.mask.Take(idx)}, take(c.Codes, idx), c.Levels}
}
func (c *CategoricalCol) Slice(lo, hi int) Column {
	return &CategoricalCol{base{c.name, c.mask.Slice(lo, hi)}, c.Codes[lo:hi:hi], c.Levels}
}
func (c *CategoricalCol) WithName(n string) Column { d := *c; d.name = n; return &d }

// StringCol holds free text.
type StringCol struct {
	base
	Data []string
}

// NewString returns a string column; mask may be the zero Mask.
func NewString(name string, data []string, mask Mask) *StringCol {
	return &StringCol{base{name, mask}, data}
}

func (c *StringCol) Type() Type     { return String }
func (c *StringCol) Len() int       { return len(c.Data) }
func (c *StringCol) NullCount() int { return c.nulls(len(c.Data)) }
func (c *StringCol) Format(i int) string {
	if c.mask.IsNA(i) {
		return ""
	}
	return c.Data[i]
}
func (c *StringCol) Value(i int) any {
	if c.mask.IsNA(i) {
		return nil
	}
	return c.Data[i]
}
func (c *StringCol) Take(idx []int) Column {
	return &StringCol{base{c.name, c.mask.Take(idx)}, take(c.Data, idx)}
}
func (c *StringCol) Slice(lo, hi int) Column {
	return &StringCol{base{c.name, c.mask.Slice(lo, hi)}, c.Data[lo:hi:hi]}
}
func (c *StringCol) WithName(n string) Column { d := *c; d.name = n; return &d }

// FloatAt returns row i of a numeric or datetime column as float64 (bool as 0/1,
// datetime as Unix nanoseconds) and whether it holds a value. Other types
// report false.
func FloatAt(c Column, i int) (float64, bool) {
	if c.IsNA(i) {
		return math.NaN(), false
	}
	switch c := c.(type) {
	case *Float64Col:
		return c.Data[i], true
	case *Int64Col:
		return float64(c.Data[i]), true
	case *BoolCol:
		if c.Data[i] {
			return 1, true
		}
		return 0, true
	case *DatetimeCol:
		return float64(c.Data[i]), true
	}
	return math.NaN(), false
}

// Floats returns a numeric column as a new []float64 with NaN for missing rows.
// It returns an error for non-numeric columns.
func Floats(c Column) ([]float64, error) {
	switch c := c.(type) {
	case *Float64Col:
		return append([]float64(nil), c.Data...), nil
	case *Int64Col, *BoolCol, *DatetimeCol:
		out := make([]float64, c.Len())
		for i := range out {
			out[i], _ = FloatAt(c, i)
		}
		return out, nil
	}
	return nil, fmt.Errorf("frame: column %q is %s, not numeric", c.Name(), c.Type())
}
