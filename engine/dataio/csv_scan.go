package dataio

import "bytes"

// Quoting rules (as RFC 4180, and as pandas for malformed input):
//   - a '"' opens a quoted field only as the first byte of a field; anywhere
//     else it is an ordinary character;
//   - inside a quoted field, "" stands for one '"', and delimiters and line
//     breaks are ordinary characters;
//   - text between the closing quote and the next delimiter or line end is
//     kept, appended to the field (`"ab"c` reads as abc).
//
// Rows end at '\n'; a '\r' just before it is dropped (CRLF). Blank lines, and
// lines of spaces and tabs holding no delimiter, are skipped.

// field is one cell of the current row. Its bytes are data[lo:hi], or
// scratch[lo:hi] when esc (a quoted field that had to be unescaped). pos and
// end delimit the field's raw text in data, for error positions.
type field struct {
	lo, hi   int
	pos, end int
	esc      bool
}

// tokenizer splits data into rows and fields.
type tokenizer struct {
	data    []byte
	i       int
	delim   byte
	fields  []field
	scratch []byte
}

func (t *tokenizer) reset(data []byte) {
	t.data = data
	t.i = 0
}

// bytes returns the content of field f of the current row.
func (t *tokenizer) bytes(f *field) []byte {
	if f.esc {
		return t.scratch[f.lo:f.hi]
	}
	return t.data[f.lo:f.hi]
}

// blankAt reports whether the line starting at i holds only spaces, tabs and
// '\r' and no delimiter, and returns the index after its '\n'.
func (t *tokenizer) blankAt(i int) (int, bool) {
	data := t.data
	for ; i < len(data); i++ {
		c := data[i]
		if c == '\n' {
			return i + 1, true
		}
		if c == t.delim || (c != ' ' && c != '\t' && c != '\r') {
			return 0, false
		}
	}
	return i, true
}

// skipBlank returns the index of the first byte at or after i that is not
// on a blank line (len(data) at the end).
func (t *tokenizer) skipBlank(i int) int {
	data := t.data
	n := len(data)
	for i < n {
		c := data[i]
		if c == '\n' {
			i++
			continue
		}
		if c == '\r' && (i+1 == n || data[i+1] == '\n') {
			i++
			continue
		}
		if c == ' ' || c == '\t' {
			if j, blank := t.blankAt(i); blank {
				i = j
				continue
			}
		}
		break
	}
	return i
}

// field scans the field starting at data[i]. next is the index after its
// delimiter or line end; endRow reports that the field ends its row.
// unterminated is the offset of an opening quote never closed, else -1.
// Unescaped quoted fields are appended to t.scratch.
func (t *tokenizer) field(i int) (f field, next int, endRow bool, unterminated int) {
	data := t.data
	n := len(data)
	d := t.delim
	unterminated = -1
	f.pos = i
	if i < n && data[i] == '"' {
		lo := i + 1
		j := lo
		esc := false
		closeAt := n
		for {
			k := bytes.IndexByte(data[j:], '"')
			if k < 0 {
				unterminated = i
				break
			}
			k += j
			if k+1 < n && data[k+1] == '"' {
				esc = true
				j = k + 2
				continue
			}
			closeAt = k
			break
		}
		end := closeAt + 1
		if unterminated >= 0 {
			end = n
		}
		tail := end
		for tail < n && data[tail] != d && data[tail] != '\n' {
			tail++
		}
		trail := data[min(end, n):tail]
		if (tail == n || data[tail] == '\n') && len(trail) > 0 && trail[len(trail)-1] == '\r' {
			trail = trail[:len(trail)-1]
		}
		if !esc && len(trail) == 0 {
			f.lo, f.hi = lo, closeAt
		} else {
			s := len(t.scratch)
			body := data[lo:closeAt]
			for len(body) > 0 {
				k := bytes.IndexByte(body, '"')
				if k < 0 {
					t.scratch = append(t.scratch, body...)
					break
				}
				t.scratch = append(t.scratch, body[:k+1]...)
				body = body[min(k+2, len(body)):]
			}
			t.scratch = append(t.scratch, trail...)
			f.lo, f.hi, f.esc = s, len(t.scratch), true
		}
		i = tail
	} else {
		lo := i
		for ; i < n; i++ {
			if c := data[i]; c == d || c == '\n' {
				break
			}
		}
		hi := i
		if (i == n || data[i] == '\n') && hi > lo && data[hi-1] == '\r' {
			hi--
		}
		f.lo, f.hi = lo, hi
	}
	f.end = i
	if i >= n {
		return f, n, true, unterminated
	}
	return f, i + 1, data[i] == '\n', unterminated
}

// next splits the next non-blank row into t.fields and returns its offset.
// ok is false at the end of data. unterminated is the offset of a quote that
// opens a field never closed before the end of data, else -1; the field then
// runs to the end of data.
func (t *tokenizer) next() (rowStart int, ok bool, unterminated int) {
	i := t.skipBlank(t.i)
	if i >= len(t.data) {
		t.i = len(t.data)
		return 0, false, -1
	}
	rowStart = i
	unterminated = -1
	t.fields = t.fields[:0]
	t.scratch = t.scratch[:0]
	for {
		f, next, endRow, u := t.field(i)
		t.fields = append(t.fields, f)
		i = next
		if u >= 0 {
			unterminated = u
		}
		if endRow {
			t.i = i
			return rowStart, true, unterminated
		}
	}
}

// rowEnd scans buf, which starts at a row boundary, and returns the index
// just past the last complete row (after its '\n'), or -1 when there is none.
// openQuote is the offset of a quoted field still open at the end of buf, or
// -1. At eof a quote as the last byte closes its field; otherwise it may be
// the first half of a doubled quote and the field counts as open.
func rowEnd(buf []byte, delim byte, eof bool) (end, openQuote int) {
	end = -1
	from := 0 // start of the current unquoted stretch
	pos := 0
	for {
		q := bytes.IndexByte(buf[pos:], '"')
		if q < 0 {
			break
		}
		q += pos
		if q > 0 && buf[q-1] != delim && buf[q-1] != '\n' {
			pos = q + 1 // a literal quote inside an unquoted field
			continue
		}
		if k := bytes.LastIndexByte(buf[from:q], '\n'); k >= 0 {
			end = from + k + 1
		}
		j := q + 1
		for {
			k := bytes.IndexByte(buf[j:], '"')
			if k < 0 {
				return end, q
			}
			k += j
			if k+1 == len(buf) && !eof {
				return end, q
			}
			if k+1 < len(buf) && buf[k+1] == '"' {
				j = k + 2
				continue
			}
			pos = k + 1
			from = pos
			break
		}
	}
	if k := bytes.LastIndexByte(buf[from:], '\n'); k >= 0 {
		end = from + k + 1
	}
	return end, -1
}

// position returns the 1-based line and byte column of data[off], where
// data[0] is on line firstLine.
func position(data []byte, off, firstLine int) (line, col int) {
	off = min(max(off, 0), len(data))
	line = firstLine + bytes.Count(data[:off], []byte{'\n'})
	col = off - (bytes.LastIndexByte(data[:off], '\n') + 1) + 1
	return line, col
}

// sniffCandidates are the delimiters sniffDelimiter chooses among, in order
// of preference for ties.
var sniffCandidates = [...]byte{',', '\t', ';', '|'}

// sniffDelimiter picks the delimiter that splits the rows of sample into the
// same number (> 1) of fields, preferring the one giving the most fields; if
// none is consistent, the one whose most common field count (> 1) covers the
// largest share of rows; ',' when nothing splits. When !eof the last row of
// sample may be cut and is not counted.
func sniffDelimiter(sample []byte, eof bool) byte {
	best := byte(',')
	bestConsistent, bestShare, bestMode := false, 0.0, 1
	var t tokenizer
	for _, d := range sniffCandidates {
		t.delim = d
		t.reset(sample)
		counts := map[int]int{}
		rows := 0
		for rows < 1000 {
			_, ok, unterm := t.next()
			if !ok || unterm >= 0 || (!eof && t.i == len(sample)) {
				break
			}
			counts[len(t.fields)]++
			rows++
		}
		if rows == 0 {
			continue
		}
		mode, freq := 1, 0
		for c, f := range counts {
			if f > freq || (f == freq && c > mode) {
				mode, freq = c, f
			}
		}
		if mode <= 1 {
			continue
		}
		consistent := freq == rows
		share := float64(freq) / float64(rows)
		better := false
		switch {
		case consistent != bestConsistent:
			better = consistent
		case consistent:
			better = mode > bestMode
		default:
			better = share > bestShare || (share == bestShare && mode > bestMode)
		}
		if better || bestMode == 1 {
			best, bestConsistent, bestShare, bestMode = d, consistent, share, mode
		}
	}
	return best
}
