package evaluate

import (
	"math"
	"strconv"
	"strings"

	"github.com/charmbracelet/lipgloss"
	"github.com/mlwb/mlwb/engine/report"
	"github.com/mlwb/mlwb/themes"
)

// braille dot bits: dot (dx, dy) of a cell, dx in 0..1, dy in 0..3
// (Unicode braille patterns U+2800 + bits).
var brailleBit = [2][4]rune{{0x01, 0x02, 0x04, 0x40}, {0x08, 0x10, 0x20, 0x80}}

// canvas is a w×h grid of braille cells: 2w×4h dots, each cell drawn in
// the style of the last series that set one of its dots.
type canvas struct {
	w, h  int
	dots  []rune
	owner []int
}

func newCanvas(w, h int) *canvas {
	c := &canvas{w: w, h: h, dots: make([]rune, w*h), owner: make([]int, w*h)}
	for i := range c.owner {
		c.owner[i] = -1
	}
	return c
}

// set lights dot (x, y), y = 0 at the top.
func (c *canvas) set(x, y, series int) {
	if x < 0 || y < 0 || x >= 2*c.w || y >= 4*c.h {
		return
	}
	i := (y/4)*c.w + x/2
	c.dots[i] |= brailleBit[x%2][y%4]
	c.owner[i] = series
}

// line draws from (x0, y0) to (x1, y1) in dot space (Bresenham).
func (c *canvas) line(x0, y0, x1, y1, series int) {
	dx, dy := abs(x1-x0), -abs(y1-y0)
	sx, sy := 1, 1
	if x0 > x1 {
		sx = -1
	}
	if y0 > y1 {
		sy = -1
	}
	err := dx + dy
	for n := 0; n < 4*(c.w+c.h)*4; n++ {
		c.set(x0, y0, series)
		if x0 == x1 && y0 == y1 {
			return
		}
		e2 := 2 * err
		if e2 >= dy {
			err += dy
			x0 += sx
		}
		if e2 <= dx {
			err += dx
			y0 += sy
		}
	}
}

func abs(x int) int {
	if x < 0 {
		return -x
	}
	return x
}

// plot renders chart ch into a box of width×height cells: the y labels on
// the left, the x range and the legend below, the title above. Series are
// styled with the theme's roles in order (Good, Muted, Warn); the marker
// line with Bad.
func plot(st *themes.Styles, ch report.Chart, width, height int) string {
	const ylab = 7
	pw, ph := width-ylab-1, height-3
	if pw < 8 || ph < 3 {
		return st.Muted.Render("(the pane is too small for a chart)")
	}
	c := newCanvas(pw, ph)
	X := func(x float64) int {
		return int(math.Round((x - ch.XMin) / (ch.XMax - ch.XMin) * float64(2*pw-1)))
	}
	Y := func(y float64) int {
		return int(math.Round((ch.YMax - y) / (ch.YMax - ch.YMin) * float64(4*ph-1)))
	}
	clamp := func(v, lo, hi float64) float64 { return math.Min(math.Max(v, lo), hi) }
	// Reference series (the second of two, e.g. chance) first, so the
	// model's line wins shared cells.
	order := make([]int, len(ch.Series))
	for i := range order {
		order[i] = len(ch.Series) - 1 - i
	}
	if len(order) > 0 && ch.Series[0].Scatter {
		// Points over the reference line would hide it: draw them first.
		order = append(order[len(order)-1:], order[:len(order)-1]...)
	}
	for _, si := range order {
		s := ch.Series[si]
		px, py, have := 0, 0, false
		for k := range s.X {
			if math.IsNaN(s.X[k]) || math.IsNaN(s.Y[k]) {
				have = false
				continue
			}
			x, y := X(clamp(s.X[k], ch.XMin, ch.XMax)), Y(clamp(s.Y[k], ch.YMin, ch.YMax))
			if have && !s.Scatter {
				c.line(px, py, x, y, si)
			} else {
				c.set(x, y, si)
			}
			px, py, have = x, y, true
		}
	}
	// Error marks: a vertical stroke of ± Err at each point.
	for _, si := range order {
		s := ch.Series[si]
		for k := range s.Err {
			if k >= len(s.X) || math.IsNaN(s.X[k]) || math.IsNaN(s.Y[k]) || math.IsNaN(s.Err[k]) || s.Err[k] <= 0 {
				continue
			}
			x := X(clamp(s.X[k], ch.XMin, ch.XMax))
			c.line(x, Y(clamp(s.Y[k]+s.Err[k], ch.YMin, ch.YMax)), x, Y(clamp(s.Y[k]-s.Err[k], ch.YMin, ch.YMax)), si)
		}
	}
	styles := []lipgloss.Style{st.Good, st.Muted, st.Warn}
	mark := -1
	if !math.IsNaN(ch.MarkX) && ch.MarkX >= ch.XMin && ch.MarkX <= ch.XMax {
		mark = X(ch.MarkX) / 2
	}
	best := -1
	if ch.HasBest && !math.IsNaN(ch.BestX) && ch.BestX >= ch.XMin && ch.BestX <= ch.XMax {
		best = X(ch.BestX) / 2
	}
	var b strings.Builder
	b.WriteString(st.Title.Render(truncate(ch.Title, width)) + "\n")
	for r := range ph {
		lab := ""
		switch r {
		case 0:
			lab = short(ch.YMax)
		case ph - 1:
			lab = short(ch.YMin)
		}
		b.WriteString(st.Muted.Render(pad(lab, ylab)) + st.Muted.Render("┤"))
		for col := range pw {
			i := r*pw + col
			switch {
			case c.dots[i] != 0:
				b.WriteString(styles[c.owner[i]%len(styles)].Render(string(0x2800 + c.dots[i])))
			case col == mark:
				b.WriteString(st.Bad.Render("│"))
			case col == best:
				b.WriteString(st.Good.Render("┊"))
			default:
				b.WriteByte(' ')
			}
		}
		b.WriteByte('\n')
	}
	lo, hi := short(ch.XMin), short(ch.XMax)
	axis := strings.Repeat(" ", ylab+1) + lo + strings.Repeat(" ", max(1, pw-len(lo)-len(hi))) + hi
	b.WriteString(st.Muted.Render(axis) + "\n")
	var leg []string
	for i, s := range ch.Series {
		leg = append(leg, styles[i%len(styles)].Render("⣿")+" "+s.Name)
	}
	if mark >= 0 {
		leg = append(leg, st.Bad.Render("│")+" "+report.Num(ch.MarkX))
	}
	if best >= 0 && best != mark {
		leg = append(leg, st.Good.Render("┊")+" best "+report.Num(ch.BestX))
	}
	line := strings.Repeat(" ", ylab+1) + truncate(ch.XLabel, width-ylab-1)
	for _, l := range leg {
		if lipgloss.Width(line)+2+lipgloss.Width(l) > width {
			break
		}
		line += "  " + l
	}
	b.WriteString(line)
	return b.String()
}

func short(v float64) string {
	switch {
	case math.IsNaN(v):
		return "—"
	case math.Abs(v) >= 1000:
		return strings.TrimSuffix(trimFloat(v/1000, 1), ".0") + "k"
	}
	return trimFloat(v, 2)
}

func trimFloat(v float64, prec int) string {
	s := strings.TrimRight(strings.TrimRight(strconv.FormatFloat(v, 'f', prec, 64), "0"), ".")
	if s == "" || s == "-" {
		return "0"
	}
	return s
}

func pad(s string, w int) string {
	if n := lipgloss.Width(s); n < w {
		return strings.Repeat(" ", w-n) + s
	}
	return s
}

func truncate(s string, w int) string {
	r := []rune(s)
	if len(r) <= w || w < 1 {
		return s
	}
	return string(r[:w-1]) + "…"
}
