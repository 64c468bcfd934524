package gotaconv

import (
	"fmt"
	"strings"
	"time"

	"github.com/go-gota/gota/dataframe"
	"github.com/go-gota/gota/series"

	"github.com/mlwb/mlwb/engine/frame"
)

// timeLayout is how datetimes are written into gota String series.
const timeLayout = time.RFC3339Nano

// ToGota converts f to a gota DataFrame (see the package documentation for the
// type mapping). A frame without columns gives gota's empty DataFrame, whose
// Err is set.
func ToGota(f *frame.Frame) dataframe.DataFrame {
	ss := make([]series.Series, f.NumCols())
	for j, c := range f.Columns() {
		ss[j] = toSeries(c)
	}
	return dataframe.New(ss...)
}

func toSeries(c frame.Column) series.Series {
	n := c.Len()
	var s series.Series
	switch c := c.(type) {
	case *frame.Float64Col:
		// Missing rows hold NaN, which gota reads as NA.
		return series.New(c.Data, series.Float, c.Name())
	case *frame.Int64Col:
		v := make([]int, n)
		for i, x := range c.Data {
			v[i] = int(x)
		}
		s = series.New(v, series.Int, c.Name())
	case *frame.BoolCol:
		s = series.New(c.Data, series.Bool, c.Name())
	default:
		v := make([]string, n)
		for i := range v {
			if c.IsNA(i) {
				continue
			}
			if dc, ok := c.(*frame.DatetimeCol); ok {
				v[i] = dc.Time(i).Format(timeLayout)
			} else {
				v[i] = c.Format(i)
			}
		}
		s = series.New(v, series.String, c.Name())
	}
	if c.Mask().HasNA() {
		for i := 0; i < n; i++ {
			if c.IsNA(i) {
				s.Elem(i).Set(nil) // any unsupported value makes a gota element NA
			}
		}
	}
	return s
}

// FromGota converts a gota DataFrame to a frame (see the package
// documentation for the type mapping). It returns df.Err if that is set.
func FromGota(df dataframe.DataFrame) (*frame.Frame, error) {
	if df.Err != nil {
		return nil, fmt.Errorf("gotaconv: %w", df.Err)
	}
	names := df.Names()
	cols := make([]frame.Column, len(names))
	for j, name := range names {
		s := df.Col(name)
		if s.Err != nil {
			return nil, fmt.Errorf("gotaconv: column %q: %w", name, s.Err)
		}
		c, err := fromSeries(s)
		if err != nil {
			return nil, err
		}
		cols[j] = c
	}
	return frame.New(cols...)
}

func fromSeries(s series.Series) (frame.Column, error) {
	n := s.Len()
	missing := make([]bool, n)
	for i := range n {
		missing[i] = s.Elem(i).IsNA()
	}
	mask := frame.MaskFromMissing(missing)
	switch s.Type() {
	case series.Float:
		return frame.NewFloat64(s.Name, s.Float(), mask), nil
	case series.Int:
		v := make([]int64, n)
		for i := range n {
			if missing[i] {
				continue
			}
			x, err := s.Elem(i).Int()
			if err != nil {
				return nil, fmt.Errorf("gotaconv: column %q row %d: %w", s.Name, i, err)
			}
			v[i] = int64(x)
		}
		return frame.NewInt64(s.Name, v, mask), nil
	case series.Bool:
		v := make([]bool, n)
		for i := range n {
			if missing[i] {
				continue
			}
			x, err := s.Elem(i).Bool()
			if err != nil {
				return nil, fmt.Errorf("gotaconv: column %q row %d: %w", s.Name, i, err)
			}
			v[i] = x
		}
		return frame.NewBool(s.Name, v, mask), nil
	case series.String:
		v := make([]string, n)
		nonNull := 0
		for i := range n {
			if !missing[i] {
				v[i] = s.Elem(i).String()
				nonNull++
			}
		}
		return textColumn(s.Name, v, missing, mask, nonNull), nil
	}
	return nil, fmt.Errorf("gotaconv: column %q: unknown gota type %q", s.Name, s.Type())
}

// textColumn infers datetime, categorical or string for the values of a
// gota String series.
func textColumn(name string, v []string, missing []bool, mask frame.Mask, nonNull int) frame.Column {
	if nonNull > 0 {
		times := make([]int64, len(v))
		ok := true
		for i, s := range v {
			if missing[i] {
				continue
			}
			t, good := parseTime(s)
			if !good {
				ok = false
				break
			}
			times[i] = t
		}
		if ok {
			return frame.NewDatetime(name, times, mask)
		}
	}
	distinct := map[string]struct{}{}
	limit := min(nonNull/2, 65535)
	for i, s := range v {
		if missing[i] {
			continue
		}
		distinct[s] = struct{}{}
		if len(distinct) > limit {
			return frame.NewString(name, v, mask)
		}
	}
	return frame.CategoricalFromStrings(name, v, missing)
}

// parseTime reads an RFC 3339 date-time (as ToGota writes), an ISO date-time
// without zone (UTC), or a date, as Unix nanoseconds.
func parseTime(s string) (int64, bool) {
	if len(s) < 10 || s[4] != '-' || s[7] != '-' {
		return 0, false
	}
	var t time.Time
	var err error
	switch {
	case len(s) == 10:
		t, err = time.Parse(time.DateOnly, s)
	case strings.HasSuffix(s, "Z") || strings.LastIndexAny(s, "+-") > 10:
		t, err = time.Parse(time.RFC3339Nano, s)
	default:
		t, err = time.Parse("2006-01-02T15:04:05", strings.Replace(s, " ", "T", 1))
	}
	if err != nil {
		return 0, false
	}
	if y := t.Year(); y < 1678 || y > 2261 {
		return 0, false
	}
	return t.UnixNano(), true
}
