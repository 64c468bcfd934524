package dataio

import (
	"context"
	"io"
	"math"
	"math/bits"
	"slices"
	"unicode/utf8"
	"unsafe"

	"github.com/mlwb/mlwb/engine/frame"
)

// maxLevels is the most distinct values a categorical column may have; a
// text column with more is a string column.
const maxLevels = 65535

// bitmap is a growable set of row numbers (the missing rows of a column).
type bitmap []uint64

func (b *bitmap) set(i int) {
	w := i >> 6
	if w >= len(*b) {
		*b = append(*b, make([]uint64, w+1-len(*b))...)
	}
	(*b)[w] |= 1 << uint(i&63)
}

func (b bitmap) clear(i int) {
	if w := i >> 6; w < len(b) {
		b[w] &^= 1 << uint(i&63)
	}
}

func (b bitmap) has(i int) bool {
	w := i >> 6
	return w < len(b) && b[w]&(1<<uint(i&63)) != 0
}

func (b *bitmap) setRange(lo, hi int) {
	for i := lo; i < hi; i++ {
		b.set(i)
	}
}

// each calls fn for every row in the set, in order.
func (b bitmap) each(fn func(i int)) {
	for w, word := range b {
		for word != 0 {
			fn(w<<6 + bits.TrailingZeros64(word))
			word &= word - 1
		}
	}
}

// mask returns the frame mask of n rows with the set rows missing.
func (b bitmap) mask(n int) frame.Mask {
	var m frame.Mask
	first := true
	b.each(func(i int) {
		if i >= n {
			return
		}
		if first {
			m = frame.NewMask(n)
			first = false
		}
		m.SetNA(i)
	})
	return m
}

// chunkInfo locates a parsed chunk in the input and in the table.
type chunkInfo struct {
	off  int64
	size int
	line int
	row  int
}

// gcol is one column of the whole table while it is being assembled.
type gcol struct {
	kind    kind
	f       []float64 // kFloat, NaN where missing
	i       []int64   // kInt, kISO, kSlash
	b       []bool    // kBool
	na      bitmap    // missing rows of kInt, kISO, kSlash, kBool and string mode
	md, dm  bool      // kSlash: every cell is a valid m/d/Y, d/m/Y date
	codes   []int32   // kText dictionary mode; -1 where missing
	levels  []string
	index   map[string]int32
	strMode bool     // kText with more than maxLevels distinct values
	strs    []string // kText string mode
	// valueChunks lists the chunks that held non-missing cells of a
	// non-text kind; redo lists those to read again as text.
	valueChunks []int32
	redo        []int32
}

// collector merges parsed chunks, in order, into whole columns.
type collector struct {
	cfg      *csvConfig
	cols     []gcol
	rows     int
	chunks   []chunkInfo
	sizeHint int64 // bytes of input expected in total, or ≤ 0
	capHint  int   // expected number of rows, for the first allocation
	remap    []int32
	arena    arena
}

func newCollector(cfg *csvConfig, sizeHint int64) *collector {
	return &collector{cfg: cfg, cols: make([]gcol, cfg.ncol), sizeHint: sizeHint}
}

func (m *collector) merge(res *result) {
	if m.capHint == 0 && res.rows > 0 && res.size > 0 && m.sizeHint > 0 {
		est := float64(res.rows)*float64(m.sizeHint)/float64(res.size)*1.02 + 64
		m.capHint = int(min(est, float64(m.sizeHint/2+64)))
	}
	base := m.rows
	m.chunks = append(m.chunks, chunkInfo{off: res.off, size: res.size, line: res.line, row: base})
	for j := range m.cols {
		m.mergeCol(j, res.seq, base, res.rows, &res.cols[j])
	}
	m.rows += res.rows
}

func (m *collector) mergeCol(j, seq, base, rows int, cb *colBuf) {
	g := &m.cols[j]
	k := cb.kind
	switch {
	case k == kNone:
		g.appendNA(base, rows)
	case g.kind == kText:
		m.textChunk(g, seq, base, rows, cb)
	case g.kind == kNone && k == kText:
		g.toText(base, max(m.capHint, base+rows))
		m.cfg.textHint[j].Store(true)
		m.textChunk(g, seq, base, rows, cb)
	case g.kind == kNone:
		g.start(k, base, max(m.capHint, base+rows), cb)
		g.appendChunk(cb, base)
	case g.kind == k && k != kSlash:
		g.appendChunk(cb, base)
	case g.kind == kSlash && k == kSlash && ((g.md && cb.md) || (g.dm && cb.dm)):
		g.md = g.md && cb.md
		g.dm = g.dm && cb.dm
		g.appendChunk(cb, base)
	case g.kind == kInt && k == kFloat:
		g.intToFloat()
		g.appendChunk(cb, base)
	case g.kind == kFloat && k == kInt:
		for _, v := range cb.i {
			g.f = append(g.f, float64(v))
		}
		for _, r := range cb.na {
			g.f[base+int(r)] = math.NaN()
		}
	default:
		g.toText(base, max(m.capHint, base+rows))
		m.cfg.textHint[j].Store(true)
		m.textChunk(g, seq, base, rows, cb)
	}
	if k != kNone && k != kText {
		g.valueChunks = append(g.valueChunks, int32(seq))
	}
}

// textChunk appends a chunk to a text column; a chunk of another kind is
// filled with placeholders and read again as text later.
func (m *collector) textChunk(g *gcol, seq, base, rows int, cb *colBuf) {
	if cb.kind != kText {
		g.appendNA(base, rows)
		g.redo = append(g.redo, int32(seq))
		return
	}
	if cb.raw {
		for r, s := range cb.strs {
			switch {
			case g.strMode:
				g.strs = append(g.strs, s)
				if s == "" {
					g.na.set(base + r)
				}
			case s == "":
				g.codes = append(g.codes, -1)
			default:
				code, ok := g.index[s]
				if !ok {
					code = int32(len(g.levels))
					g.levels = append(g.levels, s)
					g.index[s] = code
				}
				g.codes = append(g.codes, code)
				if len(g.levels) > maxLevels {
					g.toStrMode()
				}
			}
		}
		return
	}
	if !g.strMode {
		remap := m.remap[:0]
		for _, s := range cb.levels {
			code, ok := g.index[s]
			if !ok {
				code = int32(len(g.levels))
				g.levels = append(g.levels, s)
				g.index[s] = code
			}
			remap = append(remap, code)
		}
		m.remap = remap
		if len(g.levels) <= maxLevels {
			for _, c := range cb.codes {
				if c >= 0 {
					c = remap[c]
				}
				g.codes = append(g.codes, c)
			}
			return
		}
		g.toStrMode()
	}
	for r, c := range cb.codes {
		if c < 0 {
			g.strs = append(g.strs, "")
			g.na.set(base + r)
		} else {
			g.strs = append(g.strs, cb.levels[c])
		}
	}
}

func (g *gcol) start(k kind, base, capacity int, cb *colBuf) {
	g.kind = k
	switch k {
	case kFloat:
		g.f = make([]float64, base, capacity)
		for i := range g.f {
			g.f[i] = math.NaN()
		}
	case kInt, kISO, kSlash:
		g.i = make([]int64, base, capacity)
		g.na.setRange(0, base)
		g.md, g.dm = cb.md, cb.dm
	case kBool:
		g.b = make([]bool, base, capacity)
		g.na.setRange(0, base)
	}
}

func (g *gcol) appendNA(base, rows int) {
	switch g.kind {
	case kFloat:
		for range rows {
			g.f = append(g.f, math.NaN())
		}
		return
	case kInt, kISO, kSlash:
		g.i = append(g.i, make([]int64, rows)...)
	case kBool:
		g.b = append(g.b, make([]bool, rows)...)
	case kText:
		if !g.strMode {
			for range rows {
				g.codes = append(g.codes, -1)
			}
			return
		}
		g.strs = append(g.strs, make([]string, rows)...)
	default:
		return
	}
	g.na.setRange(base, base+rows)
}

func (g *gcol) appendChunk(cb *colBuf, base int) {
	switch g.kind {
	case kFloat:
		g.f = append(g.f, cb.f...)
		return
	case kInt, kISO, kSlash:
		g.i = append(g.i, cb.i...)
	case kBool:
		g.b = append(g.b, cb.b...)
	}
	for _, r := range cb.na {
		g.na.set(base + int(r))
	}
}

// intToFloat converts the column to float in place: int64 and float64 have
// the same size, so the int slice's memory is reused.
func (g *gcol) intToFloat() {
	f := unsafe.Slice((*float64)(unsafe.Pointer(unsafe.SliceData(g.i))), cap(g.i))[:len(g.i)]
	for i, v := range g.i {
		f[i] = float64(v)
	}
	g.na.each(func(i int) { f[i] = math.NaN() })
	g.f, g.i, g.na, g.kind = f, nil, nil, kFloat
}

// toText turns the column into a text column whose first base rows are
// placeholders; the chunks that held values are read again later.
func (g *gcol) toText(base, capacity int) {
	if g.kind != kNone {
		g.redo = append(g.redo, g.valueChunks...)
	}
	g.f, g.i, g.b, g.na = nil, nil, nil, nil
	g.codes = make([]int32, base, capacity)
	for i := range g.codes {
		g.codes[i] = -1
	}
	g.index = make(map[string]int32)
	g.kind = kText
}

func (g *gcol) toStrMode() {
	g.strs = make([]string, len(g.codes), cap(g.codes))
	for i, c := range g.codes {
		if c < 0 {
			g.na.set(i)
		} else {
			g.strs[i] = g.levels[c]
		}
	}
	g.codes, g.levels, g.index, g.strMode = nil, nil, nil, true
}

// setText stores text cell b at row of a text column (second pass).
func (m *collector) setText(g *gcol, row int, b []byte) bool {
	if g.strMode {
		if !utf8.Valid(b) {
			return false
		}
		g.strs[row] = m.arena.str(b)
		g.na.clear(row)
		return true
	}
	code, ok := g.index[string(b)]
	if !ok {
		if !utf8.Valid(b) {
			return false
		}
		s := m.arena.str(b)
		code = int32(len(g.levels))
		g.levels = append(g.levels, s)
		g.index[s] = code
	}
	g.codes[row] = code
	if len(g.levels) > maxLevels {
		g.toStrMode()
	}
	return true
}

// redoPass reads again, as text, the chunks that were parsed as another kind
// in columns that turned out to be text.
func (m *collector) redoPass(ctx context.Context, src *source) error {
	need := map[int32][]int{}
	for j := range m.cols {
		for _, s := range m.cols[j].redo {
			need[s] = append(need[s], j)
		}
	}
	if len(need) == 0 {
		return nil
	}
	seqs := make([]int32, 0, len(need))
	for s := range need {
		seqs = append(seqs, s)
	}
	slices.Sort(seqs)
	rc, err := src.reopen()
	if err != nil {
		return &ParseError{File: m.cfg.name, Msg: "reopen for second pass: " + err.Error(), Err: err}
	}
	defer rc.Close()
	w := newWorker(m.cfg)
	var pos int64
	var data []byte
	for _, s := range seqs {
		if err := ctx.Err(); err != nil {
			return err
		}
		ci := m.chunks[s]
		if _, err := io.CopyN(io.Discard, rc, ci.off-pos); err != nil {
			return m.readErr(err)
		}
		data = slices.Grow(data[:0], ci.size)[:ci.size]
		if _, err := io.ReadFull(rc, data); err != nil {
			return m.readErr(err)
		}
		pos = ci.off + int64(ci.size)
		j := &job{seq: int(s), data: data, off: ci.off, line: ci.line}
		t := &w.tok
		t.reset(data)
		for row := ci.row; ; row++ {
			if _, ok, _ := t.next(); !ok {
				break
			}
			for _, k := range need[s] {
				if k >= len(t.fields) {
					continue
				}
				f := &t.fields[k]
				raw := t.bytes(f)
				if tr := trimSpace(raw); len(tr) == 0 || m.cfg.mk.missing(tr) {
					continue
				}
				if !m.setText(&m.cols[k], row, raw) {
					return w.invalidUTF8(j, f)
				}
			}
		}
	}
	for j := range m.cols {
		if g := &m.cols[j]; len(g.redo) > 0 && !g.strMode {
			g.firstAppearance()
		}
	}
	return nil
}

func (m *collector) readErr(err error) error {
	if err == io.EOF {
		err = io.ErrUnexpectedEOF
	}
	return &ParseError{File: m.cfg.name, Msg: "second pass: input changed while reading: " + err.Error(), Err: err}
}

// firstAppearance renumbers levels in order of first appearance in the rows.
func (g *gcol) firstAppearance() {
	newCode := make([]int32, len(g.levels))
	for i := range newCode {
		newCode[i] = -1
	}
	levels := make([]string, 0, len(g.levels))
	for i, c := range g.codes {
		if c < 0 {
			continue
		}
		if newCode[c] < 0 {
			newCode[c] = int32(len(levels))
			levels = append(levels, g.levels[c])
		}
		g.codes[i] = newCode[c]
	}
	g.levels = levels
}

// column builds the finished frame column of n rows.
func (g *gcol) column(name string, n int) frame.Column {
	switch g.kind {
	case kFloat:
		return frame.NewFloat64(name, g.f, frame.Mask{})
	case kInt:
		return frame.NewInt64(name, g.i, g.na.mask(n))
	case kBool:
		return frame.NewBool(name, g.b, g.na.mask(n))
	case kISO:
		return frame.NewDatetime(name, g.i, g.na.mask(n))
	case kSlash:
		dayFirst := !g.md
		for r, p := range g.i {
			if !g.na.has(r) {
				g.i[r] = slashToNanos(p, dayFirst)
			}
		}
		return frame.NewDatetime(name, g.i, g.na.mask(n))
	case kText:
		if g.strMode {
			return frame.NewString(name, g.strs, g.na.mask(n))
		}
		nonNA := 0
		for _, c := range g.codes {
			if c >= 0 {
				nonNA++
			}
		}
		if 2*len(g.levels) <= nonNA {
			return frame.NewCategorical(name, g.codes, g.levels)
		}
		strs := make([]string, len(g.codes))
		var na bitmap
		for i, c := range g.codes {
			if c < 0 {
				na.set(i)
			} else {
				strs[i] = g.levels[c]
			}
		}
		return frame.NewString(name, strs, na.mask(n))
	}
	if n == 0 {
		return frame.NewString(name, []string{}, frame.Mask{})
	}
	f := make([]float64, n)
	for i := range f {
		f[i] = math.NaN()
	}
	return frame.NewFloat64(name, f, frame.Mask{})
}
