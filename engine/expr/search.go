package expr

import (
	"bytes"
	"context"
	"math"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/mlwb/mlwb/engine/frame"
)

// IsExpression reports whether s looks like an expression rather than plain
// search text: it holds a comparison or logical operator (== = != < <= > >=
// && || <>), a call of one of the package's functions such as isna(x), or an
// "in (" list. Words such as "and" and characters such as '-' or '!' alone do
// not count, so "black and white" or "C000123" stay substring searches. Text
// inside quotes is ignored.
func IsExpression(s string) bool {
	l := lexer{src: s}
	var prev token
	for {
		t := l.next()
		switch t.kind {
		case tEOF, tError:
			return false
		case tOp:
			switch t.text {
			case "==", "!=", "<", "<=", ">", ">=", "&&", "||":
				return true
			case "(":
				if prev.kind == tIdent {
					if _, ok := funcArity[strings.ToLower(prev.text)]; ok {
						return true
					}
					if strings.EqualFold(prev.text, "in") {
						return true
					}
				}
			}
		}
		prev = t
	}
}

// SubstringFilter returns, in increasing order, the rows where any cell's
// formatted text (as Column.Format shows it) contains needle, ignoring case.
// An empty needle matches every row. Categorical columns are matched once per
// level; numeric, bool and datetime columns are skipped when needle holds a
// character their formatting can never produce. ctx is checked every 65,536
// rows of each column.
func SubstringFilter(ctx context.Context, f *frame.Frame, needle string) ([]int, error) {
	n := f.NumRows()
	if needle == "" {
		out := make([]int, n)
		for i := range out {
			out[i] = i
		}
		return out, ctx.Err()
	}
	needle = strings.ToLower(needle)
	hit := make([]bool, n)
	for _, c := range f.Columns() {
		if !canFormat(c.Type(), needle) {
			continue
		}
		if err := matchColumn(ctx, c, needle, hit); err != nil {
			return nil, err
		}
	}
	out := []int{}
	for i, h := range hit {
		if h {
			out = append(out, i)
		}
	}
	return out, nil
}

// canFormat reports whether a column of type t can format to text containing
// the lower-cased needle, judged by the characters each type's text uses.
func canFormat(t frame.Type, needle string) bool {
	var chars string
	switch t {
	case frame.Int:
		chars = "0123456789-"
	case frame.Float:
		chars = "0123456789.-+einf" // FormatFloat: 1e+06, inf, -inf (NaN is missing)
	case frame.Bool:
		chars = "truefals"
	case frame.Datetime:
		chars = "0123456789-: ."
	default:
		return true
	}
	for _, r := range needle {
		if !strings.ContainsRune(chars, r) {
			return false
		}
	}
	return true
}

func matchColumn(ctx context.Context, c frame.Column, needle string, hit []bool) error {
	if c, ok := c.(*frame.CategoricalCol); ok {
		// Levels are matched once, then codes are looked up per row.
		lv := levelHits(c.Levels, needle)
		for i, k := range c.Codes {
			if k >= 0 && lv[k] {
				hit[i] = true
			}
		}
		return ctx.Err()
	}
	n := c.Len()
	for lo := 0; lo < n; lo += chunk {
		if err := ctx.Err(); err != nil {
			return err
		}
		hi := min(lo+chunk, n)
		switch c := c.(type) {
		case *frame.StringCol:
			for i := lo; i < hi; i++ {
				if !hit[i] && !c.IsNA(i) && containsFold(c.Data[i], needle) {
					hit[i] = true
				}
			}
		case *frame.Int64Col:
			nb := []byte(needle)
			var b [24]byte
			for i := lo; i < hi; i++ {
				if !hit[i] && !c.IsNA(i) && bytes.Contains(strconv.AppendInt(b[:0], c.Data[i], 10), nb) {
					hit[i] = true
				}
			}
		case *frame.Float64Col:
			// strconv 'g' text is already lower case and is what FormatFloat
			// returns for finite values.
			nb := []byte(needle)
			var b [32]byte
			for i := lo; i < hi; i++ {
				v := c.Data[i]
				if hit[i] || v != v {
					continue
				}
				if math.IsInf(v, 0) {
					hit[i] = strings.Contains(frame.FormatFloat(v), needle)
				} else if bytes.Contains(strconv.AppendFloat(b[:0], v, 'g', -1, 64), nb) {
					hit[i] = true
				}
			}
		default:
			for i := lo; i < hi; i++ {
				if !hit[i] && !c.IsNA(i) && containsFold(c.Format(i), needle) {
					hit[i] = true
				}
			}
		}
	}
	return nil
}

func levelHits(levels []string, needle string) []bool {
	lv := make([]bool, len(levels))
	for i, l := range levels {
		lv[i] = containsFold(l, needle)
	}
	return lv
}

// containsFold reports whether s contains the lower-cased needle ignoring
// case. ASCII text is compared without allocating.
func containsFold(s, needle string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return strings.Contains(strings.ToLower(s), needle)
		}
	}
	m := len(needle)
	if m > len(s) {
		return false
	}
	first := needle[0]
	for i := 0; i+m <= len(s); i++ {
		if lowerASCII(s[i]) != first {
			continue
		}
		j := 1
		for j < m && lowerASCII(s[i+j]) == needle[j] {
			j++
		}
		if j == m {
			return true
		}
	}
	return false
}

func lowerASCII(c byte) byte {
	if 'A' <= c && c <= 'Z' {
		return c + 'a' - 'A'
	}
	return c
}
