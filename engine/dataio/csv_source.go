package dataio

import (
	"bytes"
	"compress/gzip"
	"encoding/binary"
	"io"
	"os"
	"strings"
)

// source is the input of one read: a stream for the first pass and a way to
// read it again from the start for the rare second pass.
type source struct {
	r        io.Reader
	count    *countingReader // bytes consumed, for progress; may be nil
	total    int64           // progress total, -1 when unknown
	sizeHint int64           // expected decompressed size, ≤ 0 when unknown
	reopen   func() (io.ReadCloser, error)
}

func (s *source) done() int64 {
	if s.count == nil {
		return 0
	}
	return s.count.n
}

type countingReader struct {
	r io.Reader
	n int64
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += int64(n)
	return n, err
}

// readerSource wraps r. A seekable r is read again by seeking back; any other
// reader is copied to memory as it is read (see ReadCSV).
func readerSource(r io.Reader) *source {
	if rs, ok := r.(io.ReadSeeker); ok {
		if base, err := rs.Seek(0, io.SeekCurrent); err == nil {
			if end, err := rs.Seek(0, io.SeekEnd); err == nil {
				if _, err := rs.Seek(base, io.SeekStart); err == nil {
					cr := &countingReader{r: rs}
					return &source{r: cr, count: cr, total: end - base, sizeHint: end - base,
						reopen: func() (io.ReadCloser, error) {
							_, err := rs.Seek(base, io.SeekStart)
							return io.NopCloser(rs), err
						}}
				}
			}
		}
	}
	sp := &spool{}
	cr := &countingReader{r: io.TeeReader(r, sp)}
	return &source{r: cr, count: cr, total: -1, sizeHint: -1,
		reopen: func() (io.ReadCloser, error) { return io.NopCloser(sp.reader()), nil }}
}

// spool keeps a copy of everything written to it.
type spool struct{ blocks [][]byte }

func (s *spool) Write(p []byte) (int, error) {
	n := len(p)
	for len(p) > 0 {
		if k := len(s.blocks); k == 0 || len(s.blocks[k-1]) == cap(s.blocks[k-1]) {
			s.blocks = append(s.blocks, make([]byte, 0, 1<<20))
		}
		b := &s.blocks[len(s.blocks)-1]
		m := min(len(p), cap(*b)-len(*b))
		*b = append(*b, p[:m]...)
		p = p[m:]
	}
	return n, nil
}

func (s *spool) reader() io.Reader {
	rs := make([]io.Reader, len(s.blocks))
	for i, b := range s.blocks {
		rs[i] = bytes.NewReader(b)
	}
	return io.MultiReader(rs...)
}

// isGzip reports whether path names a gzip file (by its .gz extension).
func isGzip(path string) bool { return strings.HasSuffix(strings.ToLower(path), ".gz") }

// fileSource opens path, decompressing a .gz file. close must be called.
func fileSource(path string) (src *source, close func() error, err error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, nil, err
	}
	st, err := f.Stat()
	if err != nil {
		f.Close()
		return nil, nil, err
	}
	if !isGzip(path) {
		src := readerSource(f)
		src.total = st.Size()
		return src, f.Close, nil
	}
	cr := &countingReader{r: f}
	zr, err := gzip.NewReader(cr)
	if err != nil {
		f.Close()
		return nil, nil, &ParseError{File: path, Msg: "gzip: " + gzipMsg(err), Err: err}
	}
	src = &source{r: zr, count: cr, total: st.Size(), sizeHint: gzipSize(f, st.Size()),
		reopen: func() (io.ReadCloser, error) {
			g, err := os.Open(path)
			if err != nil {
				return nil, err
			}
			zr, err := gzip.NewReader(g)
			if err != nil {
				g.Close()
				return nil, err
			}
			return readCloser{zr, g}, nil
		}}
	return src, f.Close, nil
}

func gzipMsg(err error) string {
	if err == io.EOF {
		return "empty or truncated file"
	}
	return strings.TrimPrefix(err.Error(), "gzip: ")
}

type readCloser struct {
	io.Reader
	c io.Closer
}

func (r readCloser) Close() error { return r.c.Close() }

// gzipSize returns the uncompressed size recorded in the last gzip member's
// trailer (ISIZE, the size modulo 2^32), when it is plausible; it is only a
// hint for preallocation.
func gzipSize(f *os.File, size int64) int64 {
	if size < 18 {
		return -1
	}
	var b [4]byte
	if _, err := f.ReadAt(b[:], size-4); err != nil {
		return -1
	}
	n := int64(binary.LittleEndian.Uint32(b[:]))
	if n < size/2 {
		return -1
	}
	return n
}
