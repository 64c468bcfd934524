package cli

import (
	"fmt"
	"io"
	"os"
	"strings"
	"sync"
	"time"

	"golang.org/x/term"
)

// progressBar draws a one-line progress bar on a terminal. It draws nothing
// when out is not a terminal or quiet is set, so --json output and pipes stay
// clean. It is safe for use from several goroutines.
type progressBar struct {
	mu    sync.Mutex
	out   io.Writer
	label string
	on    bool
	last  time.Time
	drawn bool
}

func newProgress(out io.Writer, label string, quiet bool) *progressBar {
	on := false
	if f, ok := out.(*os.File); ok && !quiet {
		on = term.IsTerminal(int(f.Fd()))
	}
	return &progressBar{out: out, label: label, on: on}
}

// Update reports done of total units (total ≤ 0: unknown).
func (p *progressBar) Update(done, total int64) {
	if p == nil || !p.on {
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	now := time.Now()
	if p.drawn && now.Sub(p.last) < 100*time.Millisecond && (total <= 0 || done < total) {
		return
	}
	p.last = now
	p.drawn = true
	if total <= 0 {
		fmt.Fprintf(p.out, "\r%s %s", p.label, humanBytes(done))
		return
	}
	const width = 30
	frac := float64(done) / float64(total)
	frac = min(max(frac, 0), 1)
	n := int(frac * width)
	fmt.Fprintf(p.out, "\r%s [%s%s] %3.0f%%", p.label, strings.Repeat("=", n), strings.Repeat(" ", width-n), frac*100)
}

// Done clears the bar.
func (p *progressBar) Done() {
	if p == nil || !p.on {
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.drawn {
		fmt.Fprint(p.out, "\r\033[K")
	}
}

func humanBytes(n int64) string {
	switch {
	case n >= 1<<30:
		return fmt.Sprintf("%.1f GiB", float64(n)/(1<<30))
	case n >= 1<<20:
		return fmt.Sprintf("%.1f MiB", float64(n)/(1<<20))
	case n >= 1<<10:
		return fmt.Sprintf("%.1f KiB", float64(n)/(1<<10))
	}
	return fmt.Sprintf("%d B", n)
}
