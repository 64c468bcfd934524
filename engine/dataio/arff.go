package dataio

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"io/fs"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/mlwb/mlwb/engine/frame"
)

// ARFFMeta is what an ARFF header declares besides the columns.
type ARFFMeta struct {
	// Relation is the name given by @relation.
	Relation string
	// Target is the last declared attribute, Weka's default class attribute.
	// It is "" when the file declares no attributes.
	Target string
}

// ReadARFF reads a Weka ARFF file (see ReadARFFMeta for the format accepted).
func ReadARFF(ctx context.Context, r io.Reader, name string, opt Options) (*frame.Frame, error) {
	f, _, err := ReadARFFMeta(ctx, r, name, opt)
	return f, err
}

// ReadARFFMeta reads a Weka ARFF file and also returns its relation name and
// default target.
//
// The header is "@relation NAME", then one "@attribute NAME TYPE" per column,
// then "@data"; keywords and type names are case-insensitive, and names may be
// quoted with ' or " (with backslash escapes) to hold spaces. Types map to
// columns as follows:
//
//	numeric, integer   int when every value is an integer literal within int64, else float
//	real               float
//	{a, b, 'c d'}      categorical whose Levels are exactly the declared values, in order
//	string             string
//	date [PATTERN]     datetime; PATTERN is a Java SimpleDateFormat pattern
//	                   (default yyyy-MM-dd'T'HH:mm:ss), read as UTC unless it has a zone
//
// Data rows hold comma-separated values; a value may be quoted with ' or "
// (escapes \\ \' \" \n \r \t \%), an unquoted ? is missing, surrounding blanks
// are dropped and % starts a comment outside quotes. A nominal value that was
// not declared, a number or date that does not parse and a row with the wrong
// number of values are errors naming line and column; with opt.Lenient a short
// row is padded with missing values and the extra values of a long row are
// dropped. Sparse rows ({0 x, 3 y}), instance weights and relational
// attributes are refused. opt.MissingMarkers does not apply: ARFF spells
// missing as ?.
func ReadARFFMeta(ctx context.Context, r io.Reader, name string, opt Options) (*frame.Frame, ARFFMeta, error) {
	p := &arffParser{
		ctx:  ctx,
		name: name,
		opt:  opt,
		src:  newCountingSrc(r, opt.Progress),
	}
	p.lines = newLineSrc(p.src, name)
	f, err := p.run()
	if err != nil {
		return nil, ARFFMeta{}, err
	}
	return f, p.meta, nil
}

type arffKind uint8

const (
	arffNumeric arffKind = iota // numeric or integer: int when all values are integers
	arffReal
	arffNominal
	arffString
	arffDate
)

type arffAttr struct {
	name string
	kind arffKind
	line int

	levels []string
	index  map[string]int32
	layout string // Go time layout for dates

	miss   []bool
	anyNA  bool
	floats []float64
	ints   []int64
	allInt bool
	codes  []int32
	strs   []string
	times  []int64
}

type arffParser struct {
	ctx   context.Context
	name  string
	opt   Options
	src   *countingSrc
	lines *lineSrc

	line    int
	meta    ARFFMeta
	attrs   []*arffAttr
	byName  map[string]int
	rows    int
	scratch []arffField
}

type arffField struct {
	text   string
	quoted bool
	col    int // 1-based byte column of the value's first character
}

func (p *arffParser) errf(col int, format string, args ...any) *ParseError {
	if col > 0 {
		col += p.lines.colOffset() - 1
	}
	return &ParseError{File: p.name, Line: p.line, Column: col, Msg: fmt.Sprintf(format, args...)}
}

func (p *arffParser) next() ([]byte, error) {
	b, err := p.lines.next()
	p.line = p.lines.line
	return b, err
}

func trimBOM(b []byte) []byte {
	if len(b) >= 3 && b[0] == 0xEF && b[1] == 0xBB && b[2] == 0xBF {
		return b[3:]
	}
	return b
}

func isBlank(c byte) bool { return c == ' ' || c == '\t' || c == '\f' || c == '\v' }

func (p *arffParser) run() (*frame.Frame, error) {
	sawAny, sawText, sawRelation := false, false, false
	p.byName = map[string]int{}
	for {
		b, err := p.next()
		if err == io.EOF {
			if !sawText {
				return nil, &ParseError{File: p.name, Line: max(p.line, 1), Msg: "empty file", Err: ErrEmpty}
			}
			if !sawAny {
				return nil, p.errf(0, "no @relation")
			}
			return nil, p.errf(0, "no @data section")
		}
		if err != nil {
			return nil, err
		}
		s := &arffScanner{b: b}
		s.skipBlanks()
		if s.done() {
			continue
		}
		sawText = true
		if s.peek() == '%' {
			continue
		}
		sawAny = true
		if s.peek() != '@' {
			return nil, p.errf(s.col(), "expected @relation, @attribute or @data, found %q", clip(string(b[s.pos:]), 40))
		}
		kwCol := s.col()
		kw := strings.ToLower(s.word())
		switch kw {
		case "@relation":
			if sawRelation {
				return nil, p.errf(kwCol, "second @relation")
			}
			if len(p.attrs) > 0 {
				return nil, p.errf(kwCol, "@relation must come before the attributes")
			}
			sawRelation = true
			s.skipBlanks()
			rel, _, err := s.name(p, true)
			if err != nil {
				return nil, err
			}
			p.meta.Relation = rel
		case "@attribute":
			if !sawRelation {
				return nil, p.errf(kwCol, "@attribute before @relation")
			}
			if err := p.attribute(s); err != nil {
				return nil, err
			}
		case "@data":
			if !sawRelation {
				return nil, p.errf(kwCol, "@data before @relation")
			}
			if err := s.expectEnd(p); err != nil {
				return nil, err
			}
			if n := len(p.attrs); n > 0 {
				p.meta.Target = p.attrs[n-1].name
			}
			if err := p.data(); err != nil {
				return nil, err
			}
			return p.build()
		case "@end":
			return nil, p.errf(kwCol, "@end outside a relational attribute")
		default:
			return nil, p.errf(kwCol, "unknown keyword %q (want @relation, @attribute or @data)", clip(kw, 40))
		}
	}
}

func clip(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n] + "…"
}

func (p *arffParser) attribute(s *arffScanner) error {
	s.skipBlanks()
	nameCol := s.col()
	name, _, err := s.name(p, false)
	if err != nil {
		return err
	}
	if _, dup := p.byName[name]; dup {
		return p.errf(nameCol, "duplicate attribute name %q", name)
	}
	a := &arffAttr{name: name, line: p.line}
	s.skipBlanks()
	typCol := s.col()
	if s.done() || s.peek() == '%' {
		return p.errf(typCol, "attribute %q has no type", name)
	}
	if s.peek() == '{' {
		a.kind = arffNominal
		if err := p.nominal(s, a); err != nil {
			return err
		}
	} else {
		typ := strings.ToLower(s.word())
		switch typ {
		case "numeric", "integer":
			a.kind, a.allInt = arffNumeric, true
		case "real":
			a.kind = arffReal
		case "string":
			a.kind = arffString
		case "date":
			a.kind = arffDate
			pattern := "yyyy-MM-dd'T'HH:mm:ss"
			s.skipBlanks()
			if !s.done() && s.peek() != '%' {
				patCol := s.col()
				pt, _, err := s.name(p, true)
				if err != nil {
					return err
				}
				pattern = pt
				a.layout, err = javaDateLayout(pattern)
				if err != nil {
					return p.errf(patCol, "attribute %q: %v", name, err)
				}
			} else {
				a.layout = "2006-01-02T15:04:05"
			}
		case "relational":
			return p.errf(typCol, "attribute %q: relational attributes are not supported", name)
		case "":
			return p.errf(typCol, "attribute %q has no type", name)
		default:
			return p.errf(typCol, "attribute %q: unknown type %q (want numeric, integer, real, string, date or {values})", name, clip(typ, 40))
		}
	}
	if err := s.expectEnd(p); err != nil {
		return err
	}
	p.byName[name] = len(p.attrs)
	p.attrs = append(p.attrs, a)
	return nil
}

// nominal parses "{v1, v2, ...}" at s.
func (p *arffParser) nominal(s *arffScanner, a *arffAttr) error {
	open := s.col()
	s.pos++ // '{'
	a.index = map[string]int32{}
	for {
		s.skipBlanks()
		if s.done() || s.peek() == '%' {
			return p.errf(open, "attribute %q: nominal values not closed by } on this line", a.name)
		}
		if s.peek() == '}' && len(a.levels) == 0 {
			s.pos++
			return nil
		}
		vcol := s.col()
		var v string
		if c := s.peek(); c == '\'' || c == '"' {
			q, err := s.quoted(p)
			if err != nil {
				return err
			}
			v = q
		} else {
			start := s.pos
			for !s.done() && s.peek() != ',' && s.peek() != '}' && s.peek() != '%' {
				s.pos++
			}
			v = strings.TrimRight(string(s.b[start:s.pos]), " \t\f\v")
			if v == "" {
				return p.errf(vcol, "attribute %q: empty nominal value", a.name)
			}
		}
		if _, dup := a.index[v]; dup {
			return p.errf(vcol, "attribute %q: duplicate nominal value %q", a.name, v)
		}
		if len(a.levels) >= math.MaxInt32 {
			return p.errf(vcol, "attribute %q: too many nominal values", a.name)
		}
		a.index[v] = int32(len(a.levels))
		a.levels = append(a.levels, v)
		s.skipBlanks()
		switch {
		case s.done() || s.peek() == '%':
			return p.errf(open, "attribute %q: nominal values not closed by } on this line", a.name)
		case s.peek() == ',':
			s.pos++
		case s.peek() == '}':
			s.pos++
			return nil
		default:
			return p.errf(s.col(), "attribute %q: expected , or } after nominal value", a.name)
		}
	}
}

func (p *arffParser) data() error {
	n := len(p.attrs)
	for {
		b, err := p.next()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return err
		}
		if p.rows&4095 == 0 {
			if err := p.ctx.Err(); err != nil {
				return err
			}
			p.src.report()
		}
		s := &arffScanner{b: b}
		s.skipBlanks()
		if s.done() || s.peek() == '%' {
			continue
		}
		if s.peek() == '{' {
			return p.errf(s.col(), "sparse ARFF is not supported")
		}
		if s.peek() == '@' {
			return p.errf(s.col(), "unexpected %q after @data", clip(strings.Fields(string(b[s.pos:]))[0], 40))
		}
		fields, err := p.fields(s)
		if err != nil {
			return err
		}
		if len(fields) != n {
			if !p.opt.Lenient {
				if len(fields) > n {
					return p.errf(fields[n].col, "too many values: want %d, got %d", n, len(fields))
				}
				return p.errf(len(b)+1, "too few values: want %d, got %d", n, len(fields))
			}
			if len(fields) > n {
				fields = fields[:n]
			}
		}
		for i, a := range p.attrs {
			if i >= len(fields) {
				p.appendNA(a)
				continue
			}
			if err := p.value(a, fields[i]); err != nil {
				return err
			}
		}
		p.rows++
	}
}

// fields splits one data row into values.
func (p *arffParser) fields(s *arffScanner) ([]arffField, error) {
	out := p.scratch[:0]
	for {
		s.skipBlanks()
		col := s.col()
		if !s.done() && s.peek() == '{' {
			return nil, p.errf(col, "instance weights ({w} after the values) are not supported")
		}
		var f arffField
		if !s.done() && (s.peek() == '\'' || s.peek() == '"') {
			v, err := s.quoted(p)
			if err != nil {
				return nil, err
			}
			f = arffField{text: v, quoted: true, col: col}
			s.skipBlanks()
		} else {
			start := s.pos
			for !s.done() && s.peek() != ',' && s.peek() != '%' {
				s.pos++
			}
			end := s.pos
			for end > start && isBlank(s.b[end-1]) {
				end--
			}
			f = arffField{text: string(s.b[start:end]), col: col}
		}
		out = append(out, f)
		if s.done() || s.peek() == '%' {
			p.scratch = out
			return out, nil
		}
		if s.peek() != ',' {
			return nil, p.errf(s.col(), "expected , after quoted value")
		}
		s.pos++
	}
}

func (p *arffParser) appendNA(a *arffAttr) {
	for len(a.miss) < p.rows {
		a.miss = append(a.miss, false)
	}
	a.miss = append(a.miss, true)
	a.anyNA = true
	switch a.kind {
	case arffNumeric, arffReal:
		a.floats = append(a.floats, math.NaN())
		a.ints = append(a.ints, 0)
	case arffNominal:
		a.codes = append(a.codes, -1)
	case arffString:
		a.strs = append(a.strs, "")
	case arffDate:
		a.times = append(a.times, 0)
	}
}

func (p *arffParser) value(a *arffAttr, f arffField) error {
	if !f.quoted && f.text == "?" {
		p.appendNA(a)
		return nil
	}
	switch a.kind {
	case arffNumeric, arffReal:
		t := f.text
		v, err := strconv.ParseFloat(t, 64)
		if err != nil || t == "" {
			if ne, ok := err.(*strconv.NumError); ok && ne.Err == strconv.ErrRange {
				return p.errf(f.col, "attribute %q: number %q out of range", a.name, clip(t, 40))
			}
			return p.errf(f.col, "attribute %q: %q is not a number", a.name, clip(t, 40))
		}
		if math.IsNaN(v) {
			p.appendNA(a)
			return nil
		}
		var iv int64
		if a.allInt {
			if n, err := strconv.ParseInt(t, 10, 64); err == nil {
				iv = n
			} else {
				a.allInt = false
			}
		}
		a.floats = append(a.floats, v)
		a.ints = append(a.ints, iv)
	case arffNominal:
		c, ok := a.index[f.text]
		if !ok {
			return p.errf(f.col, "attribute %q: value %q is not among the declared values", a.name, clip(f.text, 40))
		}
		a.codes = append(a.codes, c)
	case arffString:
		a.strs = append(a.strs, f.text)
	case arffDate:
		t, err := time.Parse(a.layout, f.text)
		if err != nil {
			return p.errf(f.col, "attribute %q: %q does not match the date format", a.name, clip(f.text, 40))
		}
		if y := t.Year(); y < 1678 || y > 2261 {
			return p.errf(f.col, "attribute %q: date %q is outside 1678..2261", a.name, clip(f.text, 40))
		}
		a.times = append(a.times, t.UnixNano())
	}
	if a.anyNA {
		a.miss = append(a.miss, false)
	}
	return nil
}

func (p *arffParser) build() (*frame.Frame, error) {
	cols := make([]frame.Column, len(p.attrs))
	for i, a := range p.attrs {
		var mask frame.Mask
		if a.anyNA {
			for len(a.miss) < p.rows {
				a.miss = append(a.miss, false)
			}
			mask = frame.MaskFromMissing(a.miss)
		}
		switch a.kind {
		case arffNumeric, arffReal:
			if a.kind == arffNumeric && a.allInt {
				cols[i] = frame.NewInt64(a.name, a.ints, mask)
			} else {
				cols[i] = frame.NewFloat64(a.name, a.floats, mask)
			}
		case arffNominal:
			levels := a.levels
			if levels == nil {
				levels = []string{}
			}
			cols[i] = frame.NewCategorical(a.name, a.codes, levels)
		case arffString:
			cols[i] = frame.NewString(a.name, a.strs, mask)
		case arffDate:
			cols[i] = frame.NewDatetime(a.name, a.times, mask)
		}
	}
	p.src.finish()
	return frame.New(cols...)
}

// arffScanner walks one line.
type arffScanner struct {
	b   []byte
	pos int
}

func (s *arffScanner) done() bool { return s.pos >= len(s.b) }
func (s *arffScanner) peek() byte { return s.b[s.pos] }
func (s *arffScanner) col() int   { return s.pos + 1 }
func (s *arffScanner) skipBlanks() {
	for !s.done() && isBlank(s.peek()) {
		s.pos++
	}
}

// word returns the run of characters up to a blank, '{' or '%'.
func (s *arffScanner) word() string {
	start := s.pos
	for !s.done() && !isBlank(s.peek()) && s.peek() != '{' && s.peek() != '%' {
		s.pos++
	}
	return string(s.b[start:s.pos])
}

// name reads a quoted or bare name. With rest, a bare name runs to the end of
// the line (or a comment) rather than to the first blank.
func (p *arffParser) nameErr(col int, what string) error { return p.errf(col, "missing %s", what) }

func (s *arffScanner) name(p *arffParser, rest bool) (string, bool, error) {
	col := s.col()
	if s.done() || s.peek() == '%' {
		return "", false, p.nameErr(col, "name")
	}
	if c := s.peek(); c == '\'' || c == '"' {
		v, err := s.quoted(p)
		return v, true, err
	}
	if rest {
		start := s.pos
		for !s.done() && s.peek() != '%' {
			s.pos++
		}
		return strings.TrimRight(string(s.b[start:s.pos]), " \t\f\v"), false, nil
	}
	w := s.word()
	if w == "" {
		return "", false, p.nameErr(col, "name")
	}
	return w, false, nil
}

// quoted reads a value quoted with ' or " starting at s.pos, undoing escapes.
func (s *arffScanner) quoted(p *arffParser) (string, error) {
	open := s.col()
	q := s.peek()
	s.pos++
	var sb strings.Builder
	for {
		if s.done() {
			return "", p.errf(open, "unterminated quoted value")
		}
		c := s.peek()
		s.pos++
		switch {
		case c == q:
			return sb.String(), nil
		case c == '\\':
			if s.done() {
				return "", p.errf(open, "unterminated quoted value")
			}
			e := s.peek()
			s.pos++
			switch e {
			case 'n':
				sb.WriteByte('\n')
			case 'r':
				sb.WriteByte('\r')
			case 't':
				sb.WriteByte('\t')
			case '\\', '\'', '"', '%':
				sb.WriteByte(e)
			default:
				sb.WriteByte('\\')
				sb.WriteByte(e)
			}
		default:
			sb.WriteByte(c)
		}
	}
}

// expectEnd reports an error unless only blanks or a comment remain.
func (s *arffScanner) expectEnd(p *arffParser) error {
	s.skipBlanks()
	if s.done() || s.peek() == '%' {
		return nil
	}
	return p.errf(s.col(), "unexpected %q", clip(string(s.b[s.pos:]), 40))
}

// javaDateLayout translates a Java SimpleDateFormat pattern to a Go time
// layout. It supports the letters y, M, d, H, h, m, s, S, a, E, D, z, Z and X,
// and quoted literals; digits and letters in literals are refused because Go
// would read them as layout elements.
func javaDateLayout(pattern string) (string, error) {
	var out strings.Builder
	rs := []rune(pattern)
	for i := 0; i < len(rs); {
		c := rs[i]
		if c == '\'' {
			// quoted literal; '' is a literal quote
			if i+1 < len(rs) && rs[i+1] == '\'' {
				out.WriteByte('\'')
				i += 2
				continue
			}
			j := i + 1
			for j < len(rs) && rs[j] != '\'' {
				j++
			}
			if j >= len(rs) {
				return "", fmt.Errorf("date pattern %q: unterminated quote", pattern)
			}
			lit := string(rs[i+1 : j])
			if err := checkLiteral(pattern, lit); err != nil {
				return "", err
			}
			out.WriteString(lit)
			i = j + 1
			continue
		}
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z') {
			if err := checkLiteral(pattern, string(c)); err != nil {
				return "", err
			}
			out.WriteRune(c)
			i++
			continue
		}
		j := i
		for j < len(rs) && rs[j] == c {
			j++
		}
		n := j - i
		var el string
		switch c {
		case 'y':
			el = "2006"
			if n == 2 {
				el = "06"
			}
		case 'M':
			switch {
			case n >= 4:
				el = "January"
			case n == 3:
				el = "Jan"
			case n == 2:
				el = "01"
			default:
				el = "1"
			}
		case 'd':
			el = "02"
			if n == 1 {
				el = "2"
			}
		case 'D':
			if n != 3 {
				return "", fmt.Errorf("date pattern %q: day of year is supported only as DDD", pattern)
			}
			el = "002"
		case 'H':
			el = "15"
		case 'h':
			el = "03"
			if n == 1 {
				el = "3"
			}
		case 'm':
			el = "04"
			if n == 1 {
				el = "4"
			}
		case 's':
			el = "05"
			if n == 1 {
				el = "5"
			}
		case 'S':
			// Fractional seconds must follow a '.' or ',' in a Go layout.
			o := out.String()
			if !strings.HasSuffix(o, "5.") && !strings.HasSuffix(o, "5,") {
				return "", fmt.Errorf("date pattern %q: S is supported only as s.SSS", pattern)
			}
			el = strings.Repeat("0", n)
		case 'a':
			el = "PM"
		case 'E':
			el = "Mon"
			if n >= 4 {
				el = "Monday"
			}
		case 'z':
			el = "MST"
		case 'Z':
			el = "-0700"
		case 'X':
			switch n {
			case 1:
				el = "Z07"
			case 2:
				el = "Z0700"
			default:
				el = "Z07:00"
			}
		default:
			return "", fmt.Errorf("date pattern %q: letter %q is not supported", pattern, c)
		}
		out.WriteString(el)
		i = j
	}
	return out.String(), nil
}

func checkLiteral(pattern, lit string) error {
	for _, r := range lit {
		if r >= '0' && r <= '9' || r == '_' || (r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z') && r != 'T' && r != 'Z' {
			return fmt.Errorf("date pattern %q: literal %q is not supported", pattern, lit)
		}
	}
	return nil
}

// countingSrc counts the bytes read through it and reports them to an
// Options.Progress callback. It is shared by the ARFF and JSON Lines readers.
type countingSrc struct {
	r        io.Reader
	n        int64
	total    int64
	progress func(done, total int64)
}

func newCountingSrc(r io.Reader, progress func(done, total int64)) *countingSrc {
	c := &countingSrc{r: r, total: -1, progress: progress}
	if st, ok := r.(interface{ Stat() (fs.FileInfo, error) }); ok && progress != nil {
		if fi, err := st.Stat(); err == nil && fi.Mode().IsRegular() {
			c.total = fi.Size()
		}
	}
	return c
}

func (c *countingSrc) Read(b []byte) (int, error) {
	n, err := c.r.Read(b)
	c.n += int64(n)
	return n, err
}

// report calls the progress callback, if any, with the bytes read so far.
func (c *countingSrc) report() {
	if c.progress != nil {
		c.progress(c.n, c.total)
	}
}

// finish reports completion: done equals total when the total is known.
func (c *countingSrc) finish() {
	if c.progress != nil {
		if c.total >= 0 {
			c.n = c.total
		}
		c.progress(c.n, c.total)
	}
}

// lineSrc yields physical lines (without "\n" or "\r\n", and without a
// leading UTF-8 byte-order mark) and counts them. It is shared by the ARFF and
// JSON Lines readers.
type lineSrc struct {
	br   *bufio.Reader
	name string
	buf  []byte
	line int // number of the line last returned, 1-based
	bom  bool
}

func newLineSrc(r io.Reader, name string) *lineSrc {
	return &lineSrc{br: bufio.NewReaderSize(r, 64<<10), name: name}
}

// next returns the next line, valid until the following call, or io.EOF.
func (l *lineSrc) next() ([]byte, error) {
	l.buf = l.buf[:0]
	for {
		chunk, err := l.br.ReadSlice('\n')
		l.buf = append(l.buf, chunk...)
		if err == bufio.ErrBufferFull {
			continue
		}
		if err != nil && err != io.EOF {
			return nil, &ParseError{File: l.name, Line: l.line + 1, Msg: "read: " + err.Error(), Err: err}
		}
		if err == io.EOF && len(l.buf) == 0 {
			return nil, io.EOF
		}
		break
	}
	l.line++
	b := l.buf
	if n := len(b); n > 0 && b[n-1] == '\n' {
		b = b[:n-1]
	}
	if n := len(b); n > 0 && b[n-1] == '\r' {
		b = b[:n-1]
	}
	if l.line == 1 {
		if t := trimBOM(b); len(t) != len(b) {
			l.bom = true
			b = t
		}
	}
	return b, nil
}

// colOffset is what to add to a 0-based byte offset in the current line to
// get the 1-based column in the file (a stripped byte-order mark counts).
func (l *lineSrc) colOffset() int {
	if l.line == 1 && l.bom {
		return 4
	}
	return 1
}
