package dataio

import (
	"fmt"
	"math"
	"sync/atomic"
	"unicode/utf8"
	"unsafe"
)

// csvConfig is what every stage of one CSV read shares. It is not modified
// after the header is read, except textHint.
type csvConfig struct {
	name      string
	delim     byte
	ncol      int
	lenient   bool
	mk        *markerSet
	chunkSize int
	// fastNum enables scanNumber: no missing marker and not the delimiter
	// could be mistaken for part of a plain number.
	fastNum bool
	// textHint[j] is set once column j is known to be text, so that workers
	// parse it as text from the start of later chunks.
	textHint []atomic.Bool
}

// colBuf holds one column of one chunk, in the narrowest kind that fits the
// chunk's cells. Exactly one data slice is in use, with one entry per row.
type colBuf struct {
	kind   kind
	f      []float64 // kFloat; NaN where missing
	i      []int64   // kInt, kISO (Unix ns), kSlash (packed)
	b      []bool    // kBool
	codes  []int32   // kText: index into levels, -1 where missing
	levels []string
	dict   map[string]int32
	// raw: a kText column with mostly distinct values keeps its strings in
	// strs ("" where missing; text values are never empty) instead of codes,
	// which saves a map insertion per cell.
	raw    bool
	strs   []string
	na     []int32 // rows holding a missing cell, ascending
	md, dm bool    // kSlash: all cells valid read as m/d/Y, as d/m/Y
	// redoUntil > 0 means the column turned text at that row: rows before it
	// were parsed as another kind and must be read again as text.
	redoUntil int
}

func (c *colBuf) reset(text bool) {
	c.kind = kNone
	if text {
		c.kind = kText
	}
	c.f, c.i, c.b, c.codes, c.na = c.f[:0], c.i[:0], c.b[:0], c.codes[:0], c.na[:0]
	c.levels = c.levels[:0]
	clear(c.dict)
	c.raw = false
	clear(c.strs) // let the strings go
	c.strs = c.strs[:0]
	c.md, c.dm = true, true
	c.redoUntil = 0
}

func (c *colBuf) addNA(row int) {
	c.na = append(c.na, int32(row))
	switch c.kind {
	case kFloat:
		c.f = append(c.f, math.NaN())
	case kInt, kISO, kSlash:
		c.i = append(c.i, 0)
	case kBool:
		c.b = append(c.b, false)
	case kText:
		if c.raw {
			c.strs = append(c.strs, "")
		} else {
			c.codes = append(c.codes, -1)
		}
	}
}

// intToFloat converts the chunk's int values to float; int64 to float64
// conversion rounds to nearest, as parsing the same digits as a float would.
func (c *colBuf) intToFloat() {
	c.f = c.f[:0]
	for _, v := range c.i {
		c.f = append(c.f, float64(v))
	}
	for _, r := range c.na {
		c.f[r] = math.NaN()
	}
	c.i = c.i[:0]
	c.kind = kFloat
}

// toText turns the column into text at row; rows before it hold values of
// another kind unless the column had none.
func (c *colBuf) toText(row int) {
	if c.kind != kNone {
		c.redoUntil = row
	}
	c.kind = kText
	c.codes = c.codes[:0]
	for range row {
		c.codes = append(c.codes, -1)
	}
	c.f, c.i, c.b = c.f[:0], c.i[:0], c.b[:0]
}

// arena hands out strings copied into large shared blocks, so that text
// cells cost one allocation per 64 KiB instead of one per value.
type arena struct{ buf []byte }

func (a *arena) str(b []byte) string {
	if len(b) == 0 {
		return ""
	}
	if len(b) > 4096 {
		return string(b)
	}
	if cap(a.buf)-len(a.buf) < len(b) {
		a.buf = make([]byte, 0, 64<<10)
	}
	s := len(a.buf)
	a.buf = append(a.buf, b...)
	return unsafe.String(&a.buf[s], len(b))
}

// job is one chunk of complete rows.
type job struct {
	seq  int
	data []byte
	buf  []byte // backing buffer of data, to recycle
	off  int64  // offset of data[0] in the (decompressed) input
	line int    // physical line of data[0]
	err  error  // a reader error to report in sequence instead of parsing
}

// result is a parsed chunk.
type result struct {
	seq  int
	off  int64
	size int
	line int
	rows int
	cols []colBuf
	err  error
}

// worker parses chunks. Each parsing goroutine owns one.
type worker struct {
	cfg   *csvConfig
	tok   tokenizer
	arena arena
}

func newWorker(cfg *csvConfig) *worker {
	return &worker{cfg: cfg, tok: tokenizer{delim: cfg.delim}}
}

// errAt returns a *ParseError at offset off of the chunk.
func (w *worker) errAt(j *job, off int, col bool, format string, args ...any) error {
	line, c := position(j.data, off, j.line)
	if !col {
		c = 0
	}
	return &ParseError{File: w.cfg.name, Line: line, Column: c, Msg: fmt.Sprintf(format, args...)}
}

// parse fills res with the typed columns of chunk j.
func (w *worker) parse(j *job, res *result) error {
	cfg := w.cfg
	ncol := cfg.ncol
	if len(res.cols) != ncol {
		res.cols = make([]colBuf, ncol)
	}
	for k := range res.cols {
		res.cols[k].reset(cfg.textHint[k].Load())
	}
	res.seq, res.off, res.size, res.line, res.rows = j.seq, j.off, len(j.data), j.line, 0
	cols := res.cols
	t := &w.tok
	t.reset(j.data)
	data := j.data
	n := len(data)
	row := 0
	redo := 0
	for i := t.skipBlank(0); i < n; i = t.skipBlank(i) {
		rowStart := i
		k := 0
		for {
			if k < ncol && cfg.fastNum {
				if c := &cols[k]; c.kind == kFloat || c.kind == kInt {
					if next, end, ok := scanNumber(c, data, i, cfg.delim); ok {
						k++
						i = next
						if end {
							break
						}
						continue
					}
				}
			}
			t.scratch = t.scratch[:0]
			f, next, end, unterm := t.field(i)
			if unterm >= 0 {
				return w.errAt(j, unterm, true, "unterminated quoted field")
			}
			if k < ncol {
				if err := w.cell(j, &cols[k], row, t.bytes(&f), &f); err != nil {
					return err
				}
			}
			k++
			i = next
			if end {
				break
			}
		}
		if k != ncol {
			if !cfg.lenient {
				return w.errAt(j, rowStart, false, "expected %d fields, found %d", ncol, k)
			}
			for ; k < ncol; k++ {
				cols[k].addNA(row)
			}
		}
		row++
	}
	res.rows = row
	for k := range cols {
		redo = max(redo, cols[k].redoUntil)
	}
	if redo > 0 {
		return w.redoText(j, cols, redo)
	}
	return nil
}

// scanNumber is the fast path for a cell of an int or float column: it
// tokenizes and parses a plain unquoted number ([-]digits[.digits], at most
// 18 digits, no spaces) in one pass. ok is false, with nothing consumed, for
// anything else; the general path then handles the cell.
func scanNumber(c *colBuf, data []byte, i int, d byte) (next int, endRow, ok bool) {
	n := len(data)
	j := i
	neg := false
	if j < n && data[j] == '-' {
		neg = true
		j++
	}
	s := j
	var mant uint64
	for j < n {
		x := data[j] - '0'
		if x > 9 {
			break
		}
		mant = mant*10 + uint64(x)
		j++
	}
	nd := j - s
	frac := 0
	if j < n && data[j] == '.' {
		if c.kind == kInt {
			return 0, false, false
		}
		j++
		fs := j
		for j < n {
			x := data[j] - '0'
			if x > 9 {
				break
			}
			mant = mant*10 + uint64(x)
			j++
		}
		frac = j - fs
		nd += frac
	}
	if nd == 0 || nd > 18 {
		return 0, false, false
	}
	switch {
	case j == n:
		next, endRow = n, true
	case data[j] == d:
		next = j + 1
	case data[j] == '\n':
		next, endRow = j+1, true
	case data[j] == '\r' && (j+1 == n || data[j+1] == '\n'):
		next, endRow = min(j+2, n), true
	default:
		return 0, false, false
	}
	if c.kind == kInt {
		v := int64(mant)
		if neg {
			v = -v
		}
		c.i = append(c.i, v)
		return next, endRow, true
	}
	var f float64
	if mant <= 1<<53 {
		// exact: see parseFloat
		f = float64(mant)
		if frac > 0 {
			f /= pow10tab[frac]
		}
		if neg {
			f = -f
		}
	} else {
		f, _ = parseFloat(data[i:j])
	}
	c.f = append(c.f, f)
	return next, endRow, true
}

// cell adds one cell to column c at row.
func (w *worker) cell(j *job, c *colBuf, row int, raw []byte, f *field) error {
	t := trimSpace(raw)
	if len(t) == 0 || w.cfg.mk.missing(t) {
		c.addNA(row)
		return nil
	}
	switch c.kind {
	case kFloat:
		if v, ok := parseFloat(t); ok {
			c.f = append(c.f, v)
			return nil
		}
	case kInt:
		if v, ok := parseInt(t); ok {
			c.i = append(c.i, v)
			return nil
		}
		if v, ok := parseFloat(t); ok {
			c.intToFloat()
			c.f = append(c.f, v)
			return nil
		}
	case kBool:
		if v, ok := parseBool(t); ok {
			c.b = append(c.b, v)
			return nil
		}
	case kISO:
		if v, ok := parseISO(t); ok {
			c.i = append(c.i, v)
			return nil
		}
	case kSlash:
		if p, md, dm := parseSlash(t); (c.md && md) || (c.dm && dm) {
			c.md = c.md && md
			c.dm = c.dm && dm
			c.i = append(c.i, p)
			return nil
		}
	case kText:
		return w.text(j, c, raw, f)
	case kNone:
		return w.first(j, c, row, t, raw, f)
	}
	c.toText(row)
	return w.text(j, c, raw, f)
}

// first handles the first non-missing cell of a chunk column: it picks the
// narrowest kind that holds it (int, float, bool, ISO datetime, slash date,
// text, in that order) and fills the rows before it as missing.
func (w *worker) first(j *job, c *colBuf, row int, t, raw []byte, f *field) error {
	if v, ok := parseInt(t); ok {
		c.kind = kInt
		c.i = append(fillN(c.i, row, 0), v)
	} else if v, ok := parseFloat(t); ok {
		c.kind = kFloat
		c.f = append(fillN(c.f, row, math.NaN()), v)
	} else if v, ok := parseBool(t); ok {
		c.kind = kBool
		c.b = append(fillN(c.b, row, false), v)
	} else if v, ok := parseISO(t); ok {
		c.kind = kISO
		c.i = append(fillN(c.i, row, 0), v)
	} else if p, md, dm := parseSlash(t); md || dm {
		c.kind = kSlash
		c.md, c.dm = md, dm
		c.i = append(fillN(c.i, row, 0), p)
	} else {
		c.toText(row)
		return w.text(j, c, raw, f)
	}
	return nil
}

func fillN[T any](s []T, n int, v T) []T {
	s = s[:0]
	for range n {
		s = append(s, v)
	}
	return s
}

// intern returns the chunk-local code of text cell raw.
func (w *worker) intern(j *job, c *colBuf, raw []byte, f *field) (int32, error) {
	if code, ok := c.dict[string(raw)]; ok {
		return code, nil
	}
	if !utf8.Valid(raw) {
		return 0, w.invalidUTF8(j, f)
	}
	if c.dict == nil {
		c.dict = make(map[string]int32)
	}
	s := w.arena.str(raw)
	code := int32(len(c.levels))
	c.levels = append(c.levels, s)
	c.dict[s] = code
	return code, nil
}

func (w *worker) invalidUTF8(j *job, f *field) error {
	off := f.pos
	for b := j.data[f.pos:f.end]; len(b) > 0; {
		r, size := utf8.DecodeRune(b)
		if r == utf8.RuneError && size <= 1 {
			break
		}
		b = b[size:]
		off += size
	}
	return w.errAt(j, off, true, "invalid UTF-8")
}

// rawProbe is the number of rows after which a chunk's text column with
// more than half distinct values switches to raw strings.
const rawProbe = 1024

func (w *worker) text(j *job, c *colBuf, raw []byte, f *field) error {
	if c.raw {
		if !utf8.Valid(raw) {
			return w.invalidUTF8(j, f)
		}
		c.strs = append(c.strs, w.arena.str(raw))
		return nil
	}
	code, err := w.intern(j, c, raw, f)
	if err != nil {
		return err
	}
	c.codes = append(c.codes, code)
	if len(c.codes) == rawProbe && 2*len(c.levels) > rawProbe {
		c.toRaw()
	}
	return nil
}

// toRaw turns a text column from codes into raw strings.
func (c *colBuf) toRaw() {
	c.strs = c.strs[:0]
	for _, code := range c.codes {
		s := ""
		if code >= 0 {
			s = c.levels[code]
		}
		c.strs = append(c.strs, s)
	}
	c.codes = c.codes[:0]
	c.levels = c.levels[:0]
	clear(c.dict)
	c.raw = true
}

// redoText reads rows [0, until) of the chunk again and fills the text codes
// of the columns that turned text after those rows were parsed.
func (w *worker) redoText(j *job, cols []colBuf, until int) error {
	t := &w.tok
	t.reset(j.data)
	for row := 0; row < until; row++ {
		if _, ok, _ := t.next(); !ok {
			break
		}
		for k := range cols {
			c := &cols[k]
			if row >= c.redoUntil || k >= len(t.fields) {
				continue
			}
			f := &t.fields[k]
			raw := t.bytes(f)
			if tr := trimSpace(raw); len(tr) == 0 || w.cfg.mk.missing(tr) {
				continue
			}
			if c.raw {
				if !utf8.Valid(raw) {
					return w.invalidUTF8(j, f)
				}
				c.strs[row] = w.arena.str(raw)
				continue
			}
			code, err := w.intern(j, c, raw, f)
			if err != nil {
				return err
			}
			c.codes[row] = code
		}
	}
	return nil
}
