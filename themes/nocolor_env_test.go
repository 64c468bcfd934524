package themes_test

import (
	"io"
	"regexp"
	"testing"

	"github.com/charmbracelet/lipgloss"
	"github.com/mlwb/mlwb/themes"
	"github.com/muesli/termenv"
)

// sgrColour matches an SGR sequence that sets a colour (30–37, 38;…, 39,
// 40–47, 48;…, 49, 90–97, 100–107).
var sgrColour = regexp.MustCompile(`\x1b\[(?:[0-9;]*;)?(?:3[0-9]|4[0-9]|9[0-7]|10[0-7])(?:;[0-9;]*)?m`)

// Under NO_COLOR on a colour terminal termenv picks its Ascii profile, which
// also drops bold and reverse: the table cursor and the active tab did not
// show at all. FromEnv keeps attributes and still writes no colour.
func TestNoColorEnvKeepsAttributes(t *testing.T) {
	t.Setenv("NO_COLOR", "1")
	t.Setenv("TERM", "xterm-256color")
	r := lipgloss.NewRenderer(io.Discard, termenv.WithTTY(true))
	if r.ColorProfile() != termenv.Ascii {
		t.Fatalf("setup: profile %v under NO_COLOR, want termenv's Ascii", r.ColorProfile())
	}
	s := themes.FromEnv(r)
	if s.Name != themes.NameNoColor {
		t.Fatalf("theme %q", s.Name)
	}
	if got := s.Table.CursorCell.Render("x"); got != "\x1b[7mx\x1b[0m" {
		t.Errorf("cursor cell = %q, want reverse video", got)
	}
	if got := s.Header.ActiveTab.Render("2 Data"); got == " 2 Data " {
		t.Errorf("active tab %q has no attribute", got)
	}
	for name, st := range map[string]lipgloss.Style{
		"header.tab": s.Header.Tab, "header.bar": s.Header.Bar, "table.header": s.Table.Header,
		"footer.error": s.Footer.Error, "badge.bad": s.Badge.Bad, "panel.box": s.Panel.Box,
		"heat.pos": s.Heat.Pos[len(s.Heat.Pos)-1], "heat.neg": s.Heat.Neg[len(s.Heat.Neg)-1],
	} {
		if out := st.Render("x"); sgrColour.MatchString(out) {
			t.Errorf("%s under NO_COLOR writes a colour: %q", name, out)
		}
	}
	// Not a terminal, or TERM=dumb: left as Ascii.
	r2 := lipgloss.NewRenderer(io.Discard)
	themes.FromEnv(r2)
	if r2.ColorProfile() != termenv.Ascii {
		t.Errorf("non-terminal output switched to %v", r2.ColorProfile())
	}
	t.Setenv("TERM", "dumb")
	r3 := lipgloss.NewRenderer(io.Discard, termenv.WithTTY(true))
	themes.FromEnv(r3)
	if r3.ColorProfile() != termenv.Ascii {
		t.Errorf("TERM=dumb switched to %v", r3.ColorProfile())
	}
}
