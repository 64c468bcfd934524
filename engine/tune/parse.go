package tune

import (
	"encoding/json"
	"fmt"
	"math"
	"strconv"
	"strings"
	"unicode"
)

// ParseError is a syntax or validity error in the text form of a space, at
// a 1-based line and column (column 0 when the whole line is at fault).
type ParseError struct {
	File      string
	Line, Col int
	Msg       string
}

func (e *ParseError) Error() string {
	where := "space"
	if e.File != "" {
		where = e.File
	}
	if e.Col > 0 {
		return fmt.Sprintf("tune: %s:%d:%d: %s", where, e.Line, e.Col, e.Msg)
	}
	return fmt.Sprintf("tune: %s:%d: %s", where, e.Line, e.Msg)
}

// Parse reads a space from its text form, one parameter a line:
//
//	# comment
//	n_estimators: int 50..500 log
//	learning_rate: float 1e-3..0.3 log
//	max_depth: int 2..12 step 2
//	subsample: float 0.5..1 step 0.1
//	colsample_bytree: float 0.5..1 points 6
//	criterion: cat gini|entropy
//	l1_ratio: float 0..1 if penalty=elasticnet
//	p: cat 1|2 if weights=uniform|distance
//
// After the range come the options log, step S and points N (see Param);
// "if PARENT=V1|V2" makes the parameter conditional. Blank lines and text
// after # are ignored. The result is validated (Space.Validate); errors are
// *ParseError naming the line and column, with file as given.
func Parse(file, text string) (*Space, error) {
	s := &Space{}
	lineOf := []int{}
	for i, line := range strings.Split(text, "\n") {
		p, err := parseLine(line)
		if err != nil {
			err.File, err.Line = file, i+1
			return nil, err
		}
		if p != nil {
			s.Params = append(s.Params, *p)
			lineOf = append(lineOf, i+1)
		}
	}
	if err := s.Validate(); err != nil {
		pe := &ParseError{File: file, Line: 1, Msg: strings.TrimPrefix(err.Error(), "tune: ")}
		// Point at the line of the parameter the message is about: the first
		// one named after "parameter ".
		msg := err.Error()
		if i := strings.Index(msg, `parameter "`); i >= 0 {
			name := msg[i+len(`parameter "`):]
			name = name[:strings.IndexByte(name, '"')]
			for k, p := range s.Params {
				if p.Name == name {
					pe.Line = lineOf[k] // the last occurrence for a duplicate
				}
			}
		}
		return nil, pe
	}
	return s, nil
}

type token struct {
	s   string
	col int
}

func tokens(line string) []token {
	var out []token
	start := -1
	for i, r := range line {
		if unicode.IsSpace(r) {
			if start >= 0 {
				out = append(out, token{line[start:i], start + 1})
				start = -1
			}
			continue
		}
		if start < 0 {
			start = i
		}
	}
	if start >= 0 {
		out = append(out, token{line[start:], start + 1})
	}
	return out
}

func parseLine(line string) (*Param, *ParseError) {
	if i := strings.IndexByte(line, '#'); i >= 0 {
		line = line[:i]
	}
	if strings.TrimSpace(line) == "" {
		return nil, nil
	}
	colon := strings.IndexByte(line, ':')
	if colon < 0 {
		return nil, &ParseError{Col: 1, Msg: `want "name: int|float|cat ..."`}
	}
	name := strings.TrimSpace(line[:colon])
	if name == "" || strings.ContainsAny(name, " \t") {
		return nil, &ParseError{Col: 1, Msg: fmt.Sprintf("bad parameter name %q", name)}
	}
	rest := line[colon+1:]
	toks := tokens(rest)
	for i := range toks {
		toks[i].col += colon + 1
	}
	errAt := func(t token, f string, a ...any) *ParseError {
		return &ParseError{Col: t.col, Msg: fmt.Sprintf("%s: ", name) + fmt.Sprintf(f, a...)}
	}
	if len(toks) < 2 {
		return nil, &ParseError{Col: colon + 2, Msg: fmt.Sprintf("%s: want int LO..HI, float LO..HI or cat A|B after the colon", name)}
	}
	p := &Param{Name: name}
	switch toks[0].s {
	case "int":
		p.Kind = Int
	case "float":
		p.Kind = Float
	case "cat", "categorical":
		p.Kind = Categorical
	default:
		return nil, errAt(toks[0], "unknown type %q (want int, float or cat)", toks[0].s)
	}
	if p.Kind == Categorical {
		p.Choices = strings.Split(toks[1].s, "|")
		for _, c := range p.Choices {
			if c == "" {
				return nil, errAt(toks[1], "empty choice in %q", toks[1].s)
			}
		}
	} else {
		lo, hi, ok := strings.Cut(toks[1].s, "..")
		if !ok {
			return nil, errAt(toks[1], "want a range LO..HI, got %q", toks[1].s)
		}
		var err error
		if p.Lo, err = parseNum(lo); err != nil {
			return nil, errAt(toks[1], "lower bound %q is not a number", lo)
		}
		if p.Hi, err = parseNum(hi); err != nil {
			return nil, errAt(token{col: toks[1].col + len(lo) + 2}, "upper bound %q is not a number", hi)
		}
	}
	for i := 2; i < len(toks); i++ {
		t := toks[i]
		switch {
		case t.s == "log" && p.Kind != Categorical:
			p.Log = true
		case (t.s == "step" || t.s == "points") && p.Kind != Categorical:
			if i+1 >= len(toks) {
				return nil, errAt(t, "%s needs a value", t.s)
			}
			i++
			v, err := parseNum(toks[i].s)
			if err != nil || v <= 0 {
				return nil, errAt(toks[i], "%s %q is not a positive number", t.s, toks[i].s)
			}
			if t.s == "step" {
				p.Step = v
			} else {
				if v != math.Trunc(v) || v > 1e6 {
					return nil, errAt(toks[i], "points %q is not a whole number up to 1e6", toks[i].s)
				}
				p.Points = int(v)
			}
		case t.s == "if":
			if i+1 >= len(toks) {
				return nil, errAt(t, "if needs PARENT=VALUE")
			}
			i++
			par, vals, ok := strings.Cut(toks[i].s, "=")
			if !ok || par == "" || vals == "" {
				return nil, errAt(toks[i], "want PARENT=VALUE[|VALUE...], got %q", toks[i].s)
			}
			p.Cond = &Condition{Parent: par, Values: strings.Split(vals, "|")}
			if i+1 < len(toks) {
				return nil, errAt(toks[i+1], "unexpected %q after the condition", toks[i+1].s)
			}
		default:
			if p.Kind == Categorical {
				return nil, errAt(t, "unexpected %q (a cat takes A|B|C then optionally if PARENT=V)", t.s)
			}
			return nil, errAt(t, "unexpected %q (want log, step S, points N or if PARENT=V)", t.s)
		}
	}
	if err := p.validate(); err != nil {
		return nil, &ParseError{Col: toks[0].col, Msg: strings.TrimPrefix(err.Error(), "tune: ")}
	}
	return p, nil
}

func parseNum(s string) (float64, error) {
	v, err := strconv.ParseFloat(strings.ReplaceAll(s, "_", ""), 64)
	if err != nil {
		return 0, err
	}
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return 0, fmt.Errorf("not finite")
	}
	return v, nil
}

func fmtNum(v float64) string { return strconv.FormatFloat(v, 'g', -1, 64) }

// spec returns the text form of p after the colon.
func (p *Param) spec() string {
	var b strings.Builder
	b.WriteString(p.Kind.String())
	b.WriteByte(' ')
	if p.Kind == Categorical {
		b.WriteString(strings.Join(p.Choices, "|"))
	} else {
		b.WriteString(fmtNum(p.Lo) + ".." + fmtNum(p.Hi))
		if p.Log {
			b.WriteString(" log")
		}
		if p.Step > 0 && !(p.Kind == Int && p.Step == 1) {
			b.WriteString(" step " + fmtNum(p.Step))
		}
		if p.Points > 0 {
			b.WriteString(" points " + strconv.Itoa(p.Points))
		}
	}
	if p.Cond != nil {
		b.WriteString(" if " + p.Cond.Parent + "=" + strings.Join(p.Cond.Values, "|"))
	}
	return b.String()
}

// String returns the parameter's line of the text form.
func (p Param) String() string { return p.Name + ": " + p.spec() }

// Lines returns the text form, one line per parameter.
func (s *Space) Lines() []string {
	out := make([]string, len(s.Params))
	for i, p := range s.Params {
		out[i] = p.String()
	}
	return out
}

// String returns the text form that Parse reads back.
func (s *Space) String() string {
	if len(s.Params) == 0 {
		return ""
	}
	return strings.Join(s.Lines(), "\n") + "\n"
}

// MarshalJSON writes the space as a JSON array of its text lines, so that a
// study file stays easy to edit by hand.
func (s *Space) MarshalJSON() ([]byte, error) { return json.Marshal(s.Lines()) }

// UnmarshalJSON reads an array of text lines (see Parse); errors name the
// 1-based element as the line.
func (s *Space) UnmarshalJSON(b []byte) error {
	var lines []string
	if err := json.Unmarshal(b, &lines); err != nil {
		return fmt.Errorf("tune: space: want an array of lines such as \"x: float 0..1\": %w", err)
	}
	for i, l := range lines {
		if strings.Contains(l, "\n") {
			return &ParseError{Line: i + 1, Msg: "a line of the space holds a newline"}
		}
	}
	sp, err := Parse("", strings.Join(lines, "\n"))
	if err != nil {
		return err
	}
	*s = *sp
	return nil
}
