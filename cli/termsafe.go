package cli

import (
	"io"
	"os"

	"golang.org/x/term"
)

// termSafe returns w wrapped so that control characters from the data
// (escape sequences in a CSV header or cell: ESC[2J clears the screen, OSC
// sequences set the window title) are printed as '?' when w is a terminal;
// newline, tab and carriage return pass. Output to files and pipes, JSON
// included, is left byte for byte.
func termSafe(w io.Writer) io.Writer {
	if f, ok := w.(*os.File); ok && term.IsTerminal(int(f.Fd())) {
		return &printableWriter{w: w}
	}
	return w
}

// printableWriter replaces C0 controls other than \t, \n and \r, DEL, and
// the C1 controls U+0080–U+009F (UTF-8 0xC2 0x80–0x9F) by '?'.
type printableWriter struct {
	w       io.Writer
	pending bool // the last Write ended in 0xC2
	buf     []byte
}

func (p *printableWriter) Write(b []byte) (int, error) {
	out := p.buf[:0]
	if p.pending {
		p.pending = false
		if len(b) > 0 && b[0] >= 0x80 && b[0] <= 0x9f {
			out = append(out, '?')
			b2 := b[1:]
			n, err := p.write(out, b2)
			return n + 1, err
		}
		out = append(out, 0xc2)
	}
	return p.write(out, b)
}

func (p *printableWriter) write(out, b []byte) (int, error) {
	for i := 0; i < len(b); i++ {
		c := b[i]
		switch {
		case c == '\t' || c == '\n' || c == '\r':
			out = append(out, c)
		case c < 0x20 || c == 0x7f:
			out = append(out, '?')
		case c == 0xc2 && i+1 == len(b):
			p.pending = true
		case c == 0xc2 && b[i+1] >= 0x80 && b[i+1] <= 0x9f:
			out = append(out, '?')
			i++
		default:
			out = append(out, c)
		}
	}
	p.buf = out
	if _, err := p.w.Write(out); err != nil {
		return 0, err
	}
	return len(b), nil
}
