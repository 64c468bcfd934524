package themes_test

import (
	"io"
	"testing"

	"github.com/charmbracelet/lipgloss"
	"github.com/mlwb/mlwb/themes"
	"github.com/muesli/termenv"
)

func renderer() *lipgloss.Renderer {
	r := lipgloss.NewRenderer(io.Discard)
	r.SetColorProfile(termenv.TrueColor)
	r.SetHasDarkBackground(true)
	return r
}

func TestFromEnv(t *testing.T) {
	r := renderer()
	t.Setenv("NO_COLOR", "1")
	if s := themes.FromEnv(r); s.Name != themes.NameNoColor {
		t.Errorf("NO_COLOR=1: theme %q", s.Name)
	}
	t.Setenv("NO_COLOR", "")
	if s := themes.FromEnv(r); s.Name != themes.NameDark {
		t.Errorf("dark background: theme %q", s.Name)
	}
	r.SetHasDarkBackground(false)
	if s := themes.FromEnv(r); s.Name != themes.NameLight {
		t.Errorf("light background: theme %q", s.Name)
	}
}

func TestNoColorUsesAttributesOnly(t *testing.T) {
	s := themes.New(renderer(), themes.NameNoColor)
	got := s.Table.CursorCell.Render("x")
	if got != "\x1b[7mx\x1b[0m" {
		t.Errorf("cursor cell = %q, want reverse video only", got)
	}
	for _, g := range []string{s.Glyphs.SortAsc, s.Glyphs.SortDesc, s.Glyphs.Ellipsis, s.Glyphs.Sep, s.Glyphs.Bar, s.Glyphs.Prompt} {
		for _, c := range g {
			if c > 127 {
				t.Errorf("nocolor glyph %q is not ASCII", g)
			}
		}
	}
	if v := s.NewProgress(10).ViewAs(0.5); v != "#####....." {
		t.Errorf("nocolor progress = %q", v)
	}
}

func TestUnknownNameIsDark(t *testing.T) {
	if s := themes.New(renderer(), "solarized"); s.Name != themes.NameDark {
		t.Errorf("theme %q", s.Name)
	}
}

func TestHeat(t *testing.T) {
	cases := []struct {
		v    float64
		want int
	}{{0, 0}, {-0.2, 0}, {0.25, 1}, {-0.49, 1}, {0.5, 2}, {-0.75, 3}, {1, 3}, {-1.5, 3}}
	for _, c := range cases {
		if got := themes.HeatLevel(c.v); got != c.want {
			t.Errorf("HeatLevel(%v) = %d, want %d", c.v, got, c.want)
		}
	}
	dark := themes.New(renderer(), themes.NameDark)
	if a, b := dark.Heat.Pos[3].Render("x"), dark.Heat.Neg[3].Render("x"); a == b || a == "x" {
		t.Errorf("dark heat cells must be coloured and differ by sign: %q %q", a, b)
	}
	nc := themes.New(renderer(), themes.NameNoColor)
	if got := nc.Heat.Pos[3].Render("x"); got != "x" {
		t.Errorf("nocolor heat cell = %q, want plain", got)
	}
	if nc.Heat.Shades[0] == "" || dark.Heat.Shades[0] != "" {
		t.Errorf("shades: nocolor %q, dark %q", nc.Heat.Shades, dark.Heat.Shades)
	}
}
