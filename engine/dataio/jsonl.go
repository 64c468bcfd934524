package dataio

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"
	"unicode/utf16"
	"unicode/utf8"

	"github.com/mlwb/mlwb/engine/frame"
)

// ReadJSONL reads JSON Lines: one JSON object per line, blank lines skipped.
// Input whose first non-blank character is '[' is read instead as one JSON
// array of objects (the usual shape of a .json table, pandas' orient=records),
// which may span any number of lines.
//
// Columns are the union of the objects' keys in order of first appearance; a
// key absent from a line, or null, is missing. When a key repeats within one
// object the last value wins. Each column's type follows from all its
// non-missing values:
//
//	all numbers            int when every one is an integer literal (no . or
//	                       exponent) within int64, else float
//	all true/false         bool
//	all strings            datetime when every one is an ISO date or date-time
//	                       (2006-01-02, 2006-01-02T15:04:05[.999][Z|±07:00],
//	                       a space instead of T allowed; no zone means UTC);
//	                       else categorical when distinct values are at most
//	                       half the non-missing ones and at most 65535;
//	                       else string
//	all objects/arrays     string holding their compact JSON text
//	a mix of the above     string: strings as they are, anything else as its
//	                       JSON text (1.50 stays "1.50"), so no cell is lost
//	only missing           float, all missing
//
// Invalid JSON, a line that is not an object, and anything after the object
// on its line are *ParseError values with the line and 1-based byte column.
// Options other than Progress are ignored.
func ReadJSONL(ctx context.Context, r io.Reader, name string, opt Options) (*frame.Frame, error) {
	src := newCountingSrc(r, opt.Progress)
	lines := newLineSrc(src, name)
	p := &jsonlParser{name: name, index: map[string]int{}}
	for {
		b, err := lines.next()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, err
		}
		p.b, p.pos, p.line, p.off = b, 0, lines.line, lines.colOffset()
		p.skipWS()
		if p.pos == len(b) {
			continue
		}
		if b[p.pos] == '[' && p.rows == 0 {
			// A JSON array of objects (a .json file): read the whole rest.
			rest, err := io.ReadAll(lines.br)
			if err != nil {
				return nil, &ParseError{File: name, Line: lines.line, Msg: "read: " + err.Error(), Err: err}
			}
			p.b = append([]byte(nil), b...)
			if len(rest) > 0 {
				p.b = append(append(p.b, '\n'), rest...)
			}
			p.doc = true
			if err := p.array(ctx, src); err != nil {
				return nil, err
			}
			break
		}
		if err := p.object(p.rows); err != nil {
			return nil, err
		}
		if err := p.end(); err != nil {
			return nil, err
		}
		if err := p.endRow(ctx, src); err != nil {
			return nil, err
		}
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	cols := make([]frame.Column, len(p.cols))
	for i, c := range p.cols {
		cols[i] = c.build()
	}
	src.finish()
	return frame.New(cols...)
}

// JSON value kinds as seen in a cell.
const (
	jNull uint8 = iota
	jBool
	jNumber
	jString
	jNested
)

type jsonlCol struct {
	name  string
	kinds []uint8  // one per row
	texts []string // string content, number literal, "true"/"false" or nested JSON text
	seen  uint8    // bit k set when kind k occurred
}

type jsonlParser struct {
	name  string
	b     []byte
	pos   int
	line  int
	off   int // added to pos for the 1-based column
	cols  []*jsonlCol
	index map[string]int
	key   []byte
	str   []byte
	depth int
	doc   bool // b holds a whole JSON array document, not one line
	rows  int
}

// jsonlMaxDepth bounds the nesting of objects and arrays inside a value.
const jsonlMaxDepth = 1000

func (p *jsonlParser) errAt(pos int, format string, args ...any) error {
	line, col := p.line, pos+p.off
	if p.doc { // p.b spans lines
		pos = min(pos, len(p.b))
		if nl := bytes.Count(p.b[:pos], []byte{'\n'}); nl > 0 {
			line += nl
			col = pos - bytes.LastIndexByte(p.b[:pos], '\n')
		}
	}
	return &ParseError{File: p.name, Line: line, Column: col, Msg: fmt.Sprintf(format, args...)}
}

func (p *jsonlParser) unexpected(what string) error {
	if p.pos >= len(p.b) {
		if p.doc {
			return p.errAt(p.pos, "invalid JSON: unexpected end of input, want %s", what)
		}
		return p.errAt(p.pos, "invalid JSON: unexpected end of line, want %s", what)
	}
	return p.errAt(p.pos, "invalid JSON: unexpected %s, want %s", quoteByte(p.b[p.pos]), what)
}

func quoteByte(c byte) string {
	if c < 0x20 || c >= 0x7f {
		return fmt.Sprintf("byte 0x%02x", c)
	}
	return strconv.QuoteRune(rune(c))
}

func (p *jsonlParser) skipWS() {
	for p.pos < len(p.b) {
		switch p.b[p.pos] {
		case ' ', '\t', '\r', '\n':
			p.pos++
		default:
			return
		}
	}
}

// object parses the line's object and stores its members in row.
func (p *jsonlParser) object(row int) error {
	if p.b[p.pos] != '{' {
		return p.errAt(p.pos, "line is not a JSON object")
	}
	p.pos++
	p.skipWS()
	if p.pos < len(p.b) && p.b[p.pos] == '}' {
		p.pos++
		return nil
	}
	for {
		p.skipWS()
		if p.pos >= len(p.b) || p.b[p.pos] != '"' {
			return p.unexpected("a key string")
		}
		key, err := p.stringBytes(&p.key)
		if err != nil {
			return err
		}
		p.key = key
		p.skipWS()
		if p.pos >= len(p.b) || p.b[p.pos] != ':' {
			return p.unexpected("':'")
		}
		p.pos++
		p.skipWS()
		kind, text, err := p.value()
		if err != nil {
			return err
		}
		p.set(row, key, kind, text)
		p.skipWS()
		if p.pos >= len(p.b) {
			return p.unexpected("',' or '}'")
		}
		switch p.b[p.pos] {
		case ',':
			p.pos++
		case '}':
			p.pos++
			return nil
		default:
			return p.unexpected("',' or '}'")
		}
	}
}

// endRow completes a row: keys it lacked are missing.
func (p *jsonlParser) endRow(ctx context.Context, src *countingSrc) error {
	p.rows++
	for _, c := range p.cols {
		if len(c.kinds) < p.rows {
			c.kinds = append(c.kinds, jNull)
			c.texts = append(c.texts, "")
		}
	}
	if p.rows&4095 == 0 {
		if err := ctx.Err(); err != nil {
			return err
		}
		src.report()
	}
	return nil
}

// array parses a document "[{...}, {...}, ...]" whose '[' is at p.pos.
func (p *jsonlParser) array(ctx context.Context, src *countingSrc) error {
	p.pos++
	p.skipWS()
	if p.pos < len(p.b) && p.b[p.pos] == ']' {
		p.pos++
		return p.end()
	}
	for {
		p.skipWS()
		if p.pos >= len(p.b) || p.b[p.pos] != '{' {
			return p.unexpected("an object")
		}
		if err := p.object(p.rows); err != nil {
			return err
		}
		if err := p.endRow(ctx, src); err != nil {
			return err
		}
		p.skipWS()
		if p.pos >= len(p.b) {
			return p.unexpected("',' or ']'")
		}
		switch p.b[p.pos] {
		case ',':
			p.pos++
		case ']':
			p.pos++
			return p.end()
		default:
			return p.unexpected("',' or ']'")
		}
	}
}

func (p *jsonlParser) end() error {
	p.skipWS()
	if p.pos < len(p.b) {
		if p.doc {
			return p.errAt(p.pos, "unexpected data after the array")
		}
		return p.errAt(p.pos, "unexpected data after the object (one object per line)")
	}
	return nil
}

func (p *jsonlParser) set(row int, key []byte, kind uint8, text string) {
	i, ok := p.index[string(key)]
	if !ok {
		name := string(key)
		i = len(p.cols)
		p.index[name] = i
		c := &jsonlCol{name: name, kinds: make([]uint8, row, row+1), texts: make([]string, row, row+1)}
		p.cols = append(p.cols, c)
	}
	c := p.cols[i]
	if len(c.kinds) > row { // repeated key: last wins
		c.kinds[row], c.texts[row] = kind, text
	} else {
		c.kinds = append(c.kinds, kind)
		c.texts = append(c.texts, text)
	}
	if kind != jNull {
		c.seen |= 1 << kind
	}
}

// value parses one member value.
func (p *jsonlParser) value() (uint8, string, error) {
	if p.pos >= len(p.b) {
		return 0, "", p.unexpected("a value")
	}
	switch c := p.b[p.pos]; {
	case c == '"':
		s, err := p.stringBytes(&p.str)
		if err != nil {
			return 0, "", err
		}
		p.str = s
		return jString, string(s), nil
	case c == 't':
		return jBool, "true", p.literal("true")
	case c == 'f':
		return jBool, "false", p.literal("false")
	case c == 'n':
		return jNull, "", p.literal("null")
	case c == '-' || c >= '0' && c <= '9':
		start := p.pos
		if err := p.number(); err != nil {
			return 0, "", err
		}
		return jNumber, string(p.b[start:p.pos]), nil
	case c == '{' || c == '[':
		start := p.pos
		p.depth = 0
		if err := p.skipNested(); err != nil {
			return 0, "", err
		}
		var buf bytes.Buffer
		if err := json.Compact(&buf, p.b[start:p.pos]); err != nil {
			return 0, "", p.errAt(start, "invalid JSON: %v", err)
		}
		return jNested, buf.String(), nil
	}
	return 0, "", p.unexpected("a value")
}

func (p *jsonlParser) literal(word string) error {
	if !bytes.HasPrefix(p.b[p.pos:], []byte(word)) {
		return p.errAt(p.pos, "invalid JSON: bad literal, want %s", word)
	}
	p.pos += len(word)
	return nil
}

// number checks the JSON number grammar (RFC 8259 section 6) at p.pos.
func (p *jsonlParser) number() error {
	b := p.b
	digits := func() int {
		n := 0
		for p.pos < len(b) && b[p.pos] >= '0' && b[p.pos] <= '9' {
			p.pos++
			n++
		}
		return n
	}
	if b[p.pos] == '-' {
		p.pos++
	}
	if p.pos < len(b) && b[p.pos] == '0' {
		p.pos++
	} else if digits() == 0 {
		return p.unexpected("a digit")
	}
	if p.pos < len(b) && b[p.pos] == '.' {
		p.pos++
		if digits() == 0 {
			return p.unexpected("a digit")
		}
	}
	if p.pos < len(b) && (b[p.pos] == 'e' || b[p.pos] == 'E') {
		p.pos++
		if p.pos < len(b) && (b[p.pos] == '+' || b[p.pos] == '-') {
			p.pos++
		}
		if digits() == 0 {
			return p.unexpected("a digit")
		}
	}
	return nil
}

// skipNested moves past one object or array, checking its syntax.
func (p *jsonlParser) skipNested() error {
	p.depth++
	if p.depth > jsonlMaxDepth {
		return p.errAt(p.pos, "JSON nested deeper than %d levels", jsonlMaxDepth)
	}
	defer func() { p.depth-- }()
	open := p.b[p.pos]
	closer := byte('}')
	if open == '[' {
		closer = ']'
	}
	p.pos++
	p.skipWS()
	if p.pos < len(p.b) && p.b[p.pos] == closer {
		p.pos++
		return nil
	}
	for {
		p.skipWS()
		if open == '{' {
			if p.pos >= len(p.b) || p.b[p.pos] != '"' {
				return p.unexpected("a key string")
			}
			s, err := p.stringBytes(&p.str)
			if err != nil {
				return err
			}
			p.str = s
			p.skipWS()
			if p.pos >= len(p.b) || p.b[p.pos] != ':' {
				return p.unexpected("':'")
			}
			p.pos++
			p.skipWS()
		}
		if p.pos < len(p.b) && (p.b[p.pos] == '{' || p.b[p.pos] == '[') {
			if err := p.skipNested(); err != nil {
				return err
			}
		} else if _, _, err := p.value(); err != nil {
			return err
		}
		p.skipWS()
		if p.pos >= len(p.b) {
			return p.unexpected(fmt.Sprintf("',' or '%c'", closer))
		}
		switch p.b[p.pos] {
		case ',':
			p.pos++
		case closer:
			p.pos++
			return nil
		default:
			return p.unexpected(fmt.Sprintf("',' or '%c'", closer))
		}
	}
}

// stringBytes decodes the string starting at p.pos (a '"') into *scratch and
// returns it. Invalid UTF-8 becomes U+FFFD, as encoding/json does.
func (p *jsonlParser) stringBytes(scratch *[]byte) ([]byte, error) {
	open := p.pos
	p.pos++
	out := (*scratch)[:0]
	b := p.b
	for {
		// Fast path: a run of plain ASCII.
		start := p.pos
		for p.pos < len(b) {
			c := b[p.pos]
			if c == '"' || c == '\\' || c < 0x20 || c >= 0x80 {
				break
			}
			p.pos++
		}
		out = append(out, b[start:p.pos]...)
		if p.pos >= len(b) {
			return nil, p.errAt(open, "invalid JSON: unterminated string")
		}
		c := b[p.pos]
		switch {
		case c == '"':
			p.pos++
			return out, nil
		case c < 0x20:
			return nil, p.errAt(p.pos, "invalid JSON: control character %s in string", quoteByte(c))
		case c >= 0x80:
			r, size := utf8.DecodeRune(b[p.pos:])
			if r == utf8.RuneError && size == 1 {
				out = utf8.AppendRune(out, utf8.RuneError)
			} else {
				out = append(out, b[p.pos:p.pos+size]...)
			}
			p.pos += size
		default: // backslash
			if p.pos+1 >= len(b) {
				return nil, p.errAt(open, "invalid JSON: unterminated string")
			}
			e := b[p.pos+1]
			p.pos += 2
			switch e {
			case '"', '\\', '/':
				out = append(out, e)
			case 'b':
				out = append(out, '\b')
			case 'f':
				out = append(out, '\f')
			case 'n':
				out = append(out, '\n')
			case 'r':
				out = append(out, '\r')
			case 't':
				out = append(out, '\t')
			case 'u':
				r, ok := p.hex4(p.pos)
				if !ok {
					return nil, p.errAt(p.pos-2, "invalid JSON: bad \\u escape")
				}
				p.pos += 4
				if utf16.IsSurrogate(r) {
					r2, ok := rune(-1), false
					if p.pos+1 < len(b) && b[p.pos] == '\\' && b[p.pos+1] == 'u' {
						r2, ok = p.hex4(p.pos + 2)
					}
					if d := utf16.DecodeRune(r, r2); ok && d != utf8.RuneError {
						p.pos += 6
						r = d
					} else {
						r = utf8.RuneError
					}
				}
				out = utf8.AppendRune(out, r)
			default:
				return nil, p.errAt(p.pos-2, "invalid JSON: bad escape \\%s", string(rune(e)))
			}
		}
	}
}

func (p *jsonlParser) hex4(at int) (rune, bool) {
	if at+4 > len(p.b) {
		return 0, false
	}
	var r rune
	for _, c := range p.b[at : at+4] {
		switch {
		case c >= '0' && c <= '9':
			r = r<<4 | rune(c-'0')
		case c >= 'a' && c <= 'f':
			r = r<<4 | rune(c-'a'+10)
		case c >= 'A' && c <= 'F':
			r = r<<4 | rune(c-'A'+10)
		default:
			return 0, false
		}
	}
	return r, true
}

// build turns the collected cells into a typed column.
func (c *jsonlCol) build() frame.Column {
	n := len(c.kinds)
	missing := make([]bool, n)
	nonNull := 0
	for i, k := range c.kinds {
		if k == jNull {
			missing[i] = true
		} else {
			nonNull++
		}
	}
	mask := frame.MaskFromMissing(missing)
	switch c.seen {
	case 0:
		data := make([]float64, n)
		return frame.NewFloat64(c.name, data, mask)
	case 1 << jNumber:
		if col := c.ints(mask); col != nil {
			return col
		}
		data := make([]float64, n)
		for i, k := range c.kinds {
			if k == jNumber {
				// The grammar was checked; out-of-range values round to ±Inf.
				data[i], _ = strconv.ParseFloat(c.texts[i], 64)
			}
		}
		return frame.NewFloat64(c.name, data, mask)
	case 1 << jBool:
		data := make([]bool, n)
		for i, k := range c.kinds {
			data[i] = k == jBool && c.texts[i] == "true"
		}
		return frame.NewBool(c.name, data, mask)
	case 1 << jString:
		if col := c.times(mask); col != nil {
			return col
		}
		return textColumnByRepetition(c.name, c.texts, missing, nonNull)
	}
	return frame.NewString(c.name, c.texts, mask)
}

func (c *jsonlCol) ints(mask frame.Mask) frame.Column {
	data := make([]int64, len(c.kinds))
	for i, k := range c.kinds {
		if k != jNumber {
			continue
		}
		t := c.texts[i]
		if strings.ContainsAny(t, ".eE") {
			return nil
		}
		v, err := strconv.ParseInt(t, 10, 64)
		if err != nil {
			return nil
		}
		data[i] = v
	}
	return frame.NewInt64(c.name, data, mask)
}

func (c *jsonlCol) times(mask frame.Mask) frame.Column {
	data := make([]int64, len(c.kinds))
	for i, k := range c.kinds {
		if k != jString {
			continue
		}
		ns, ok := parseISOTime(c.texts[i])
		if !ok {
			return nil
		}
		data[i] = ns
	}
	return frame.NewDatetime(c.name, data, mask)
}

// textColumnByRepetition returns a categorical column when values repeat (distinct values
// at most half the non-missing ones, and at most 65535), else a string column.
// It is shared by the JSON Lines and Parquet readers.
func textColumnByRepetition(name string, values []string, missing []bool, nonNull int) frame.Column {
	limit := min(nonNull/2, 65535)
	index := make(map[string]int32, min(limit, 1024))
	codes := make([]int32, len(values))
	var levels []string
	for i, v := range values {
		if missing[i] {
			codes[i] = -1
			continue
		}
		k, ok := index[v]
		if !ok {
			if len(levels) == limit {
				return frame.NewString(name, values, frame.MaskFromMissing(missing))
			}
			k = int32(len(levels))
			index[v] = k
			levels = append(levels, v)
		}
		codes[i] = k
	}
	if levels == nil {
		levels = []string{}
	}
	return frame.NewCategorical(name, codes, levels)
}

// parseISOTime parses an ISO 8601 date (2006-01-02) or date-time with T or a
// space, optional fractional seconds and an optional Z or ±hh:mm zone, as Unix
// nanoseconds in UTC. Years outside 1678..2261 do not fit and are refused.
func parseISOTime(s string) (int64, bool) {
	if len(s) < 10 || s[4] != '-' || s[7] != '-' {
		return 0, false
	}
	var t time.Time
	var err error
	switch {
	case len(s) == 10:
		t, err = time.Parse("2006-01-02", s)
	case s[10] == 'T' || s[10] == ' ':
		layout := "2006-01-02T15:04:05"
		if s[10] == ' ' {
			layout = "2006-01-02 15:04:05"
		}
		if len(s) < 19 || s[16] != ':' { // no seconds
			layout = layout[:16]
		}
		if last := s[len(s)-1]; last == 'Z' || len(s) > 19 && strings.ContainsAny(s[19:], "+-") {
			t, err = time.Parse(layout+"Z07:00", s)
		} else {
			t, err = time.Parse(layout, s)
		}
	default:
		return 0, false
	}
	if err != nil {
		return 0, false
	}
	if y := t.Year(); y < 1678 || y > 2261 {
		return 0, false
	}
	return t.UnixNano(), true
}
