package selection

import (
	"context"
	"math"
	"sync"

	"github.com/mlwb/mlwb/engine/features"
	"github.com/mlwb/mlwb/engine/frame"
)

// dropReasons returns, for each column of f but the target that
// features.DefaultPipeline drops (all missing, constant, identifier-like,
// free text), the reason it gives.
//
// DefaultPipeline tells distinct values apart by their text, which costs a
// formatted string and a map entry per row. A float, bool or datetime
// column can only be dropped as all missing or constant (identifiers and
// free text are int, string and categorical columns), so such a column with
// two values of different text is known to be kept after a cheap scan, and
// DefaultPipeline is asked only about the other columns, one column at a
// time in parallel: same decisions, a fraction of the time.
func dropReasons(ctx context.Context, f *frame.Frame, targetName string, workers int) (map[string]string, error) {
	var ask []frame.Column
	for _, c := range f.Columns() {
		if c.Name() != targetName && !twoTexts(c) {
			ask = append(ask, c)
		}
	}
	var mu sync.Mutex
	why := map[string]string{}
	err := parallel(ctx, len(ask), workers, func(j int) error {
		one, err := frame.New(ask[j])
		if err != nil {
			return err
		}
		_, decisions := features.DefaultPipeline(one, targetName)
		mu.Lock()
		defer mu.Unlock()
		for _, d := range decisions {
			if d.Action == "drop" {
				why[d.Column] = d.Reason
			}
		}
		return nil
	})
	return why, err
}

// twoTexts reports whether c is a float, bool or datetime column with two
// non-missing values whose texts differ (so DefaultPipeline keeps it). Bit
// patterns are compared first; only values of different bits are formatted
// (0 and −0, or two NaNs, differ in bits but may not in text).
func twoTexts(c frame.Column) bool {
	switch c := c.(type) {
	case *frame.Float64Col:
		return differs(c, c.Data, func(a, b float64) bool { return math.Float64bits(a) == math.Float64bits(b) })
	case *frame.BoolCol:
		return differs(c, c.Data, func(a, b bool) bool { return a == b })
	case *frame.DatetimeCol:
		return differs(c, c.Data, func(a, b int64) bool { return a == b })
	}
	return false
}

func differs[T any](c frame.Column, data []T, same func(a, b T) bool) bool {
	first := -1
	var text string
	for i, v := range data {
		if c.IsNA(i) {
			continue
		}
		if first < 0 {
			first = i
			continue
		}
		if same(v, data[first]) {
			continue
		}
		if text == "" {
			text = c.Format(first)
		}
		if c.Format(i) != text {
			return true
		}
	}
	return false
}
