package match

import (
	"math"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/mlwb/mlwb/engine/frame"
)

// value is one field of one distinct record, precomputed for the similarities.
type value struct {
	ok     bool // holds a value (not missing, not empty after normalising)
	text   string
	runes  []rune
	tokens []string
	ids    []int32 // tokens interned in the field's vocab, ascending
	num    float64
}

// table is one side prepared for matching. Rows whose compared values are
// identical after normalising share a group and are compared once.
type table struct {
	rows    int
	groups  [][]int   // group → its rows, ascending
	vals    [][]value // [field][group]
	present []bool    // group has at least one compared value
	block   []string  // group → blocking text
}

// resolved is a Field with its columns found and its kind settled.
type resolved struct {
	Field
	left, right frame.Column
}

func resolveFields(cfg Config, a, b *frame.Frame, aName, bName string) ([]resolved, error) {
	if len(cfg.Fields) == 0 {
		return nil, &configError{"no fields to compare"}
	}
	out := make([]resolved, len(cfg.Fields))
	for i, f := range cfg.Fields {
		if f.Right == "" {
			f.Right = f.Left
		}
		if f.Weight < 0 || math.IsNaN(f.Weight) || math.IsInf(f.Weight, 0) {
			return nil, &FieldError{Table: aName, Field: f.Left, Reason: "weight must be a finite number ≥ 0"}
		}
		if f.Weight == 0 {
			f.Weight = 1
		}
		lc, err := a.Column(f.Left)
		if err != nil {
			return nil, &FieldError{Table: aName, Field: f.Left, Available: a.Names()}
		}
		rc, err := b.Column(f.Right)
		if err != nil {
			return nil, &FieldError{Table: bName, Field: f.Right, Available: b.Names()}
		}
		if f.Sim == SimAuto {
			f.Sim = SimTokenSet
			if lc.Type().Numeric() && rc.Type().Numeric() {
				f.Sim = SimNumeric
			}
		}
		if f.Sim > SimExact {
			return nil, &FieldError{Table: aName, Field: f.Left, Reason: "unknown similarity " + f.Sim.String()}
		}
		out[i] = resolved{Field: f, left: lc, right: rc}
	}
	return out, nil
}

type configError struct{ msg string }

func (e *configError) Error() string { return "match: " + e.msg }
func (e *configError) Unwrap() error { return ErrConfig }

// cellValue reads row i of c for similarity kind k.
func cellValue(c frame.Column, i int, k SimKind) value {
	if c.IsNA(i) {
		return value{}
	}
	if k == SimNumeric {
		if x, ok := frame.FloatAt(c, i); ok {
			return value{ok: !math.IsNaN(x), num: x}
		}
		x, ok := ParseNumber(c.Format(i))
		return value{ok: ok, num: x}
	}
	if k == SimExact && c.Type().Numeric() {
		x, _ := frame.FloatAt(c, i)
		return value{ok: !math.IsNaN(x), num: x, text: strconv.FormatFloat(x, 'g', -1, 64)}
	}
	t := Normalize(c.Format(i))
	if t == "" {
		return value{}
	}
	v := value{ok: true, text: t}
	switch k {
	case SimJaroWinkler, SimLevenshtein:
		v.runes = []rune(t)
	case SimTokenSet:
		v.tokens = Tokens(t)
	}
	return v
}

// prepare reads the compared columns of one side (left when side == 0) and
// groups identical records.
func prepare(fields []resolved, blockFields []int, side int, rows int, name string) (*table, error) {
	t := &table{rows: rows}
	cols := make([]frame.Column, len(fields))
	for f, r := range fields {
		cols[f] = r.left
		if side == 1 {
			cols[f] = r.right
		}
	}
	index := map[string]int{}
	var key strings.Builder
	row := make([]value, len(fields))
	for i := 0; i < rows; i++ {
		key.Reset()
		for f, c := range cols {
			row[f] = cellValue(c, i, fields[f].Sim)
			switch {
			case !row[f].ok:
				key.WriteByte(0)
			case fields[f].Sim == SimNumeric:
				key.WriteByte(1)
				key.WriteString(strconv.FormatUint(math.Float64bits(row[f].num), 16))
			default:
				key.WriteByte(1)
				key.WriteString(row[f].text)
			}
			key.WriteByte(0xff)
		}
		g, seen := index[key.String()]
		if !seen {
			g = len(t.groups)
			index[key.String()] = g
			t.groups = append(t.groups, nil)
			if t.vals == nil {
				t.vals = make([][]value, len(fields))
			}
			present := false
			for f := range fields {
				t.vals[f] = append(t.vals[f], row[f])
				present = present || row[f].ok
			}
			t.present = append(t.present, present)
			var bt []string
			for _, f := range blockFields {
				if row[f].ok && row[f].text != "" {
					bt = append(bt, row[f].text)
				}
			}
			t.block = append(t.block, strings.Join(bt, " "))
		}
		t.groups[g] = append(t.groups[g], i)
	}
	for f, r := range fields {
		ok := false
		for _, v := range t.vals[f] {
			if v.ok {
				ok = true
				break
			}
		}
		if !ok {
			col, c := r.Left, r.left
			if side == 1 {
				col, c = r.Right, r.right
			}
			reason := "every value is missing"
			if r.Sim == SimNumeric && c.NullCount() < c.Len() {
				reason = "no value is a number"
			}
			return nil, &FieldError{Table: name, Field: col, Reason: reason}
		}
	}
	return t, nil
}

// ParseNumber reads the first number in s, ignoring currency signs, spaces
// and thousands separators: "$1,299.00" → 1299, "-3.5 kg" → −3.5. It reports
// false when s holds no digits.
func ParseNumber(s string) (float64, bool) {
	start := -1
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= '0' && c <= '9' {
			start = i
			break
		}
		if c == '.' && i+1 < len(s) && s[i+1] >= '0' && s[i+1] <= '9' {
			start = i
			break
		}
	}
	if start < 0 {
		return math.NaN(), false
	}
	neg := start > 0 && s[start-1] == '-'
	var b strings.Builder
	dot := false
	i := start
	for ; i < len(s); i++ {
		c := s[i]
		switch {
		case c >= '0' && c <= '9':
			b.WriteByte(c)
		case c == ',' && !dot && i+1 < len(s) && s[i+1] >= '0' && s[i+1] <= '9':
			// thousands separator
		case c == '.' && !dot:
			dot = true
			b.WriteByte(c)
		default:
			i = len(s)
		}
	}
	x, err := strconv.ParseFloat(strings.TrimSuffix(b.String(), "."), 64)
	if err != nil {
		return math.NaN(), false
	}
	if neg {
		x = -x
	}
	return x, true
}

// blockKeys returns the token and prefix keys of a blocking text.
func blockKeys(text string, m BlockMethod, prefixLen int) []string {
	if text == "" {
		return nil
	}
	if m == BlockPrefix {
		r := []rune(text)
		return []string{"\x02" + string(r[:min(len(r), prefixLen)])}
	}
	var keys []string
	for _, tok := range Tokens(text) {
		n := utf8.RuneCountInString(tok)
		if n < 2 {
			continue
		}
		keys = append(keys, tok)
		if m == BlockTokensAndNeighbours && n > prefixLen {
			r := []rune(tok)
			keys = append(keys, "\x01"+string(r[:prefixLen]))
		}
	}
	return keys
}

// reverseTokens returns text with its tokens in reverse order.
func reverseTokens(text string) string {
	t := strings.Fields(text)
	for i, j := 0, len(t)-1; i < j; i, j = i+1, j-1 {
		t[i], t[j] = t[j], t[i]
	}
	return strings.Join(t, " ")
}

// internTokens builds one vocabulary per TokenSet field over both sides and
// fills in the token ids of every value.
func internTokens(fields []resolved, sides ...*table) []*vocab {
	out := make([]*vocab, len(fields))
	for f, r := range fields {
		if r.Sim != SimTokenSet {
			continue
		}
		all := map[string]struct{}{}
		for _, t := range sides {
			for _, v := range t.vals[f] {
				for _, tok := range v.tokens {
					all[tok] = struct{}{}
				}
			}
		}
		voc, ids := newVocab(all)
		out[f] = voc
		for _, t := range sides {
			for g := range t.vals[f] {
				v := &t.vals[f][g]
				if v.ids != nil || len(v.tokens) == 0 {
					continue
				}
				v.ids = make([]int32, len(v.tokens))
				for k, tok := range v.tokens {
					v.ids[k] = ids[tok]
				}
			}
		}
	}
	return out
}
