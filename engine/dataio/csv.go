package dataio

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"unicode/utf8"

	"github.com/mlwb/mlwb/engine/frame"
)

// defaultChunkSize is how many bytes each parsing job covers (rounded to
// whole rows).
const defaultChunkSize = 1 << 20

// sniffSize is how much of the input the delimiter is sniffed on.
const sniffSize = 64 << 10

var utf8BOM = []byte{0xEF, 0xBB, 0xBF}

// ReadCSV reads delimited text (CSV, TSV, ...) from r; name is used in error
// messages, and a name ending in .tsv (or .tsv.gz) or opt.Format "tsv" means
// tab-delimited. r must already be decompressed. See the package
// documentation for the rules.
//
// Type inference looks at every row, so a column may need a second look at
// some chunks (when, say, a text cell appears after a million numbers). A
// reader that is an io.Seeker is read again by seeking back; any other reader
// (a pipe, a gzip.Reader) is copied to memory while it is read, so prefer
// ReadCSVFile or Load for large files.
func ReadCSV(ctx context.Context, r io.Reader, name string, opt Options) (*frame.Frame, error) {
	return readCSV(ctx, readerSource(r), name, opt, defaultChunkSize)
}

// ReadCSVFile reads the delimited text file at path, decompressing it when
// its name ends in .gz. Errors name the file by path.
func ReadCSVFile(ctx context.Context, path string, opt Options) (*frame.Frame, error) {
	src, closeFn, err := fileSource(path)
	if err != nil {
		return nil, err
	}
	defer closeFn()
	return readCSV(ctx, src, path, opt, defaultChunkSize)
}

// csvDelimiter returns the delimiter fixed by opt or the name, or 0 to sniff.
func csvDelimiter(name string, opt Options) (byte, error) {
	d := opt.Delimiter
	if d == 0 {
		base := strings.TrimSuffix(strings.ToLower(name), ".gz")
		if opt.Format == "tsv" || (opt.Format == "" && (filepath.Ext(base) == ".tsv" || filepath.Ext(base) == ".tab")) {
			return '\t', nil
		}
		return 0, nil
	}
	if d >= utf8.RuneSelf || d == '"' || d == '\n' || d == '\r' {
		return 0, fmt.Errorf("dataio: delimiter %q not supported (want one ASCII character other than a quote or line break)", d)
	}
	return byte(d), nil
}

// fill reads into buf until it is full or the input ends.
func fill(r io.Reader, buf []byte) ([]byte, bool, error) {
	for len(buf) < cap(buf) {
		n, err := r.Read(buf[len(buf):cap(buf)])
		buf = buf[:len(buf)+n]
		if err == io.EOF {
			return buf, true, nil
		}
		if err != nil {
			return buf, false, err
		}
	}
	return buf, false, nil
}

func readErr(name string, err error) error {
	if err == io.EOF {
		err = io.ErrUnexpectedEOF
	}
	return &ParseError{File: name, Msg: "read: " + strings.TrimPrefix(err.Error(), "gzip: "), Err: err}
}

// header is what the first record told us.
type header struct {
	names        []string
	firstRowData bool   // HeaderAuto took the first row as data
	numeric      []bool // firstRowData: which first-row cells are numbers
	dataStart    int    // offset in the buffer where data rows begin
}

func readCSV(ctx context.Context, src *source, name string, opt Options, chunkSize int) (*frame.Frame, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	delim, err := csvDelimiter(name, opt)
	if err != nil {
		return nil, err
	}
	if opt.Header > HeaderNo {
		return nil, fmt.Errorf("dataio: unknown header mode %d", opt.Header)
	}
	mk := newMarkerSet(opt.missingMarkers())

	buf, eof, err := fill(src.r, make([]byte, 0, max(chunkSize, 1024)))
	if err != nil {
		return nil, readErr(name, err)
	}
	start := 0
	if bytes.HasPrefix(buf, utf8BOM) {
		start = len(utf8BOM)
	}
	if delim == 0 {
		// grow the first buffer to the sniff size when it is smaller
		for !eof && len(buf)-start < sniffSize {
			nb := make([]byte, len(buf), max(2*cap(buf), sniffSize+start))
			copy(nb, buf)
			if buf, eof, err = fill(src.r, nb); err != nil {
				return nil, readErr(name, err)
			}
		}
		sample := buf[start:min(len(buf), start+sniffSize)]
		delim = sniffDelimiter(sample, eof && start+len(sample) == len(buf))
	}
	cfg := &csvConfig{name: name, delim: delim, lenient: opt.Lenient, mk: mk, chunkSize: max(chunkSize, 1),
		fastNum: !mk.numeric && !numberByte(delim)}

	// Read until the first record is complete.
	var t tokenizer
	t.delim = delim
	var hd header
	for {
		t.reset(buf[start:])
		_, ok, unterm := t.next()
		if k := bytes.IndexByte(buf[:start+t.i], 0); k >= 0 {
			line, col := position(buf, k, 1)
			return nil, &ParseError{File: name, Line: line, Column: col, Msg: "NUL byte in input (not a text file?)"}
		}
		complete := eof || (ok && unterm < 0 && t.i > 0 && buf[start+t.i-1] == '\n')
		if !complete {
			nb := make([]byte, len(buf), 2*cap(buf))
			copy(nb, buf)
			if buf, eof, err = fill(src.r, nb); err != nil {
				return nil, readErr(name, err)
			}
			continue
		}
		if !ok {
			return nil, &ParseError{File: name, Msg: "empty file", Err: ErrEmpty}
		}
		if unterm >= 0 {
			line, col := position(buf, start+unterm, 1)
			return nil, &ParseError{File: name, Line: line, Column: col, Msg: "unterminated quoted field"}
		}
		if hd, err = readHeader(&t, buf, start, opt.Header, mk, name); err != nil {
			return nil, err
		}
		break
	}
	cfg.ncol = len(hd.names)
	cfg.textHint = make([]atomic.Bool, cfg.ncol)

	m := newCollector(cfg, src.sizeHint)
	if err := runPipeline(ctx, src, cfg, opt, m, buf, hd.dataStart, eof); err != nil {
		return nil, err
	}
	if hd.firstRowData {
		for j, num := range hd.numeric {
			if k := m.cols[j].kind; num && k != kInt && k != kFloat {
				// The first row held numbers over a column that is not
				// numeric: it was a header after all.
				rc, err := src.reopen()
				if err != nil {
					return nil, &ParseError{File: name, Msg: "reopen for second pass: " + err.Error(), Err: err}
				}
				defer rc.Close()
				opt.Header = HeaderYes
				opt.Progress = nil
				return readCSV(ctx, &source{r: rc, total: -1, sizeHint: src.sizeHint, reopen: src.reopen}, name, opt, chunkSize)
			}
		}
	}
	if err := m.redoPass(ctx, src); err != nil {
		return nil, err
	}
	// Finishing a column is a pass over its data (NaN masks, date
	// conversion, string columns): spread the columns over the workers.
	cols := make([]frame.Column, cfg.ncol)
	var next atomic.Int64
	var wg sync.WaitGroup
	for range min(workerCount(opt), cfg.ncol) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := int(next.Add(1) - 1); j < len(cols); j = int(next.Add(1) - 1) {
				cols[j] = m.cols[j].column(hd.names[j], m.rows)
				m.cols[j] = gcol{}
			}
		}()
	}
	wg.Wait()
	return frame.New(cols...)
}

// readHeader interprets the first record, held in t.
func readHeader(t *tokenizer, buf []byte, start int, mode HeaderMode, mk *markerSet, name string) (header, error) {
	n := len(t.fields)
	hd := header{dataStart: start + t.i}
	if mode == HeaderAuto {
		nums := make([]bool, n)
		anyNum, allNum := false, true
		for j := range t.fields {
			c := trimSpace(t.bytes(&t.fields[j]))
			if len(c) == 0 || mk.missing(c) {
				continue
			}
			if c[0] == '+' || c[0] == '-' {
				c = c[1:]
			}
			if len(c) > 0 && (c[0] == '.' || (c[0] >= '0' && c[0] <= '9')) {
				if _, ok := parseFloat(c); ok {
					nums[j], anyNum = true, true
					continue
				}
			}
			allNum = false
			break
		}
		if anyNum && allNum {
			hd.firstRowData, hd.numeric = true, nums
			mode = HeaderNo
		}
	}
	raw := make([]string, n)
	if mode == HeaderNo {
		hd.dataStart = start
	} else {
		for j := range t.fields {
			f := &t.fields[j]
			b := t.bytes(f)
			if !utf8.Valid(b) {
				w := worker{cfg: &csvConfig{name: name}}
				return hd, w.invalidUTF8(&job{data: buf[start:], line: 1 + bytes.Count(buf[:start], []byte{'\n'})}, f)
			}
			raw[j] = string(trimSpace(b))
		}
	}
	hd.names = uniqueNames(raw)
	return hd, nil
}

// uniqueNames fills empty names with V1, V2, ... (by 1-based position) and
// makes duplicates unique as pandas does: the second "a" becomes "a.1", the
// third "a.2", skipping names already taken.
func uniqueNames(raw []string) []string {
	out := make([]string, len(raw))
	taken := make(map[string]bool, len(raw))
	for j, s := range raw {
		if s == "" {
			s = "V" + strconv.Itoa(j+1)
			raw[j] = s
		}
		taken[s] = true
	}
	used := make(map[string]bool, len(raw))
	for j, s := range raw {
		name := s
		if used[name] {
			for k := 1; ; k++ {
				c := s + "." + strconv.Itoa(k)
				if !used[c] && !taken[c] {
					name = c
					break
				}
			}
		}
		used[name] = true
		out[j] = name
	}
	return out
}

func workerCount(opt Options) int {
	if opt.Workers > 0 {
		return opt.Workers
	}
	return runtime.GOMAXPROCS(0)
}

// runPipeline cuts the input into chunks of whole rows (one reading
// goroutine), parses them in parallel (opt.Workers goroutines) and merges the
// results in order (the calling goroutine). buf holds the first bytes read;
// data rows start at buf[dataStart:].
func runPipeline(ctx context.Context, src *source, cfg *csvConfig, opt Options, m *collector, buf []byte, dataStart int, eof bool) error {
	workers := workerCount(opt)
	ictx, cancel := context.WithCancel(ctx)
	defer cancel()
	inflight := workers + 2
	tokens := make(chan struct{}, inflight)
	bufs := make(chan []byte, inflight+1)
	ress := make(chan *result, inflight+1)
	jobs := make(chan *job, workers)
	results := make(chan *result, inflight)

	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		defer close(jobs)
		readChunks(ictx, src, cfg, opt, buf, dataStart, eof, tokens, bufs, jobs)
	}()
	var pw sync.WaitGroup
	for range workers {
		pw.Add(1)
		go func() {
			defer pw.Done()
			w := newWorker(cfg)
			for j := range jobs {
				var res *result
				select {
				case res = <-ress:
				default:
					res = &result{}
				}
				if j.err != nil {
					res.seq, res.err = j.seq, j.err
				} else if ictx.Err() == nil {
					res.err = w.parse(j, res)
				} else {
					res.seq, res.err = j.seq, ictx.Err()
				}
				if j.buf != nil && cap(j.buf) == cfg.chunkSize {
					select {
					case bufs <- j.buf[:0]:
					default:
					}
				}
				select {
				case results <- res:
				case <-ictx.Done():
				}
			}
		}()
	}
	go func() {
		pw.Wait()
		close(results)
	}()

	pending := map[int]*result{}
	next := 0
	var firstErr error
	for res := range results {
		if firstErr != nil {
			continue
		}
		pending[res.seq] = res
		for {
			r, ok := pending[next]
			if !ok {
				break
			}
			delete(pending, next)
			next++
			if err := ctx.Err(); err != nil {
				firstErr = err
			} else if r.err != nil {
				firstErr = r.err
			} else {
				m.merge(r)
			}
			<-tokens
			select {
			case ress <- r:
			default:
			}
			if firstErr != nil {
				cancel()
				break
			}
		}
	}
	wg.Wait()
	if firstErr != nil {
		if errors.Is(firstErr, context.Canceled) || errors.Is(firstErr, context.DeadlineExceeded) {
			if err := ctx.Err(); err != nil {
				return err
			}
		}
		return firstErr
	}
	return ctx.Err()
}

// readChunks is the reading goroutine: it cuts the input at row boundaries
// outside quoted fields and sends the chunks, numbered in order, to jobs.
func readChunks(ctx context.Context, src *source, cfg *csvConfig, opt Options, buf []byte, dataStart int, eof bool,
	tokens chan struct{}, bufs chan []byte, jobs chan<- *job) {
	name, chunkSize := cfg.name, cfg.chunkSize
	seq := 0
	line := 1 + bytes.Count(buf[:dataStart], []byte{'\n'})
	off := int64(dataStart)
	cur := buf[dataStart:]
	send := func(j *job) bool {
		select {
		case tokens <- struct{}{}:
		case <-ctx.Done():
			return false
		}
		j.seq = seq
		seq++
		select {
		case jobs <- j:
			return true
		case <-ctx.Done():
			return false
		}
	}
	fail := func(line, col int, msg string) {
		send(&job{err: &ParseError{File: name, Line: line, Column: col, Msg: msg}})
	}
	// nulFail reports the NUL byte at data[k], after sending the complete
	// rows before it, so that an earlier error in them is reported first.
	nulFail := func(data []byte, k int) {
		if e, _ := rowEnd(data[:k], cfg.delim, false); e > 0 {
			if !send(&job{data: data[:e], off: off, line: line}) {
				return
			}
		}
		l, c := position(data, k, line)
		fail(l, c, "NUL byte in input (not a text file?)")
	}
	if opt.Progress != nil {
		opt.Progress(src.done(), src.total)
	}
	for {
		if ctx.Err() != nil {
			return
		}
		end := -1
		if len(cur) > chunkSize {
			end, _ = rowEnd(cur[:chunkSize], cfg.delim, false)
		}
		if end < 0 {
			var open int
			end, open = rowEnd(cur, cfg.delim, eof)
			if eof {
				if open >= 0 {
					// send the complete rows before the open quote first, so
					// that an earlier error in them is the one reported
					if k := bytes.IndexByte(cur[:open], 0); k >= 0 {
						nulFail(cur, k)
						return
					}
					if end > 0 && !send(&job{data: cur[:end], off: off, line: line}) {
						return
					}
					l, c := position(cur, open, line)
					fail(l, c, "unterminated quoted field")
					return
				}
				end = len(cur)
			} else if end < 0 {
				// no complete row yet: read more into a bigger buffer
				nb := make([]byte, len(cur), max(2*cap(cur), chunkSize))
				copy(nb, cur)
				var err error
				if cur, eof, err = fill(src.r, nb); err != nil {
					send(&job{err: readErr(name, err)})
					return
				}
				if opt.Progress != nil {
					opt.Progress(src.done(), src.total)
				}
				continue
			}
		}
		chunk, rest := cur[:end], cur[end:]
		if k := bytes.IndexByte(chunk, 0); k >= 0 {
			nulFail(chunk, k)
			return
		}
		j := &job{data: chunk, off: off, line: line}
		line += bytes.Count(chunk, []byte{'\n'})
		off += int64(len(chunk))
		if eof || len(rest) > chunkSize {
			// the rest is already in memory: no read needed
			if len(rest) == 0 {
				j.buf = cur
			}
			if len(chunk) > 0 && !send(j) {
				return
			}
			if len(rest) == 0 {
				return
			}
			cur = rest
			continue
		}
		var nb []byte
		if 2*len(rest) <= chunkSize {
			select {
			case nb = <-bufs:
			default:
				nb = make([]byte, 0, chunkSize)
			}
		} else {
			nb = make([]byte, 0, len(rest)+chunkSize)
		}
		nb = append(nb, rest...)
		j.buf = cur
		if !send(j) {
			return
		}
		var err error
		if cur, eof, err = fill(src.r, nb); err != nil {
			send(&job{err: readErr(name, err)})
			return
		}
		if opt.Progress != nil {
			opt.Progress(src.done(), src.total)
		}
	}
}
