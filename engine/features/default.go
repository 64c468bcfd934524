package features

import (
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/mlwb/mlwb/engine/frame"
)

// Decision is what DefaultPipeline does with one column, and why.
type Decision struct {
	Column string `json:"column"`
	Action string `json:"action"` // keep, impute, onehot, frequency, date_parts, drop
	Reason string `json:"reason"`
}

// Limits of DefaultPipeline.
const (
	// OneHotMaxLevels is the most levels a categorical column may have to be
	// one-hot encoded by default (rarer levels beyond it are grouped);
	// columns with more get frequency encoding.
	OneHotMaxLevels = 20
	// TextMinDistinctShare marks a string column as free text when its
	// distinct values are at least this share of its non-missing values
	// (and it has more than OneHotMaxLevels of them).
	TextMinDistinctShare = 0.5
	// TextMinMeanLength marks a string column as free text when its values
	// average at least this many characters.
	TextMinMeanLength = 40
)

// DefaultPipeline proposes a pipeline for predicting target from the other
// columns of f, with one Decision per column:
//
//   - constant columns (one distinct value) are dropped;
//   - identifier-like columns (int, string or categorical with every
//     non-missing value distinct, or named id/…_id with nearly all distinct)
//     are dropped;
//   - free text (string columns with ≥ 50 % distinct values, or values of
//     40 characters on average) is dropped;
//   - numbers with missing values get median imputation with an indicator;
//   - datetimes become date parts;
//   - categorical and remaining string columns with ≤ 20 levels get one-hot
//     encoding (capped at 20 columns), more levels frequency encoding.
//
// Training uses it when the user has not built a pipeline.
func DefaultPipeline(f *frame.Frame, target string) (Pipeline, []Decision) {
	var dec []Decision
	var drop, impute, onehot, freq, dates []string
	for _, c := range f.Columns() {
		name := c.Name()
		if name == target {
			continue
		}
		n := c.Len() - c.NullCount()
		codes, levels := levelCodes(c)
		distinct := countUsed(codes, len(levels))
		d := Decision{Column: name}
		switch {
		case n == 0:
			d.Action, d.Reason = "drop", "every value is missing"
		case distinct == 1:
			d.Action, d.Reason = "drop", fmt.Sprintf("constant (%q)", firstLevel(codes, levels))
		case idLike(c, name, distinct, n):
			d.Action, d.Reason = "drop", fmt.Sprintf("identifier-like: %d distinct of %d values", distinct, n)
		case c.Type() == frame.String && distinct > OneHotMaxLevels && float64(distinct) >= TextMinDistinctShare*float64(n):
			d.Action, d.Reason = "drop", fmt.Sprintf("free text: %d distinct of %d values", distinct, n)
		case c.Type() == frame.String && meanLength(codes, levels) >= TextMinMeanLength:
			d.Action, d.Reason = "drop", fmt.Sprintf("free text: %.0f characters on average", meanLength(codes, levels))
		case c.Type() == frame.Datetime:
			d.Action, d.Reason = "date_parts", "datetime: year, month, day, day of week, hour, weekend, days since the earliest date"
		case isCategory(c) && distinct <= OneHotMaxLevels:
			d.Action, d.Reason = "onehot", fmt.Sprintf("%d levels", distinct)
		case isCategory(c):
			d.Action, d.Reason = "frequency", fmt.Sprintf("%d levels (more than %d): frequency encoding", distinct, OneHotMaxLevels)
		case c.NullCount() > 0:
			d.Action, d.Reason = "impute", fmt.Sprintf("%d missing: median and a %s_missing indicator", c.NullCount(), name)
		default:
			d.Action, d.Reason = "keep", "number without missing values"
		}
		switch d.Action {
		case "drop":
			drop = append(drop, name)
		case "impute":
			impute = append(impute, name)
		case "onehot":
			onehot = append(onehot, name)
		case "frequency":
			freq = append(freq, name)
		case "date_parts":
			dates = append(dates, name)
		}
		dec = append(dec, d)
	}
	p := Pipeline{Version: Version}
	if len(drop) > 0 {
		p.Steps = append(p.Steps, Spec{Transform: "drop", Columns: drop})
	}
	if len(impute) > 0 {
		p.Steps = append(p.Steps, Spec{Transform: "impute", Columns: impute, Params: map[string]any{"strategy": "median", "indicator": true}})
	}
	if len(dates) > 0 {
		p.Steps = append(p.Steps, Spec{Transform: "date_parts", Columns: dates})
	}
	if len(onehot) > 0 {
		p.Steps = append(p.Steps, Spec{Transform: "onehot", Columns: onehot, Params: map[string]any{"max_levels": float64(OneHotMaxLevels)}})
	}
	if len(freq) > 0 {
		p.Steps = append(p.Steps, Spec{Transform: "frequency", Columns: freq})
	}
	return p, dec
}

func countUsed(codes []int32, n int) int {
	used := make([]bool, n)
	k := 0
	for _, c := range codes {
		if c >= 0 && !used[c] {
			used[c] = true
			k++
		}
	}
	return k
}

func firstLevel(codes []int32, levels []string) string {
	for _, c := range codes {
		if c >= 0 {
			return levels[c]
		}
	}
	return ""
}

func meanLength(codes []int32, levels []string) float64 {
	var s, n float64
	lens := make([]float64, len(levels))
	for k, l := range levels {
		lens[k] = float64(utf8.RuneCountInString(l))
	}
	for _, c := range codes {
		if c >= 0 {
			s += lens[c]
			n++
		}
	}
	if n == 0 {
		return 0
	}
	return s / n
}

// idLike reports an identifier: an int, string or categorical column whose
// values are all distinct (with more than 20 of them), or one named "id" or
// ending in "_id"/"id" with at least 95 % distinct values.
func idLike(c frame.Column, name string, distinct, n int) bool {
	switch c.Type() {
	case frame.Int, frame.String, frame.Categorical:
	default:
		return false
	}
	if distinct == n && n > OneHotMaxLevels {
		return true
	}
	l := strings.ToLower(name)
	named := l == "id" || strings.HasSuffix(l, "_id") || strings.HasSuffix(l, "id") && len(l) > 2 && strings.ToUpper(name[len(name)-2:len(name)-1]) == name[len(name)-2:len(name)-1]
	return named && float64(distinct) >= 0.95*float64(n)
}
