package data

import (
	"fmt"
	"strings"

	"github.com/charmbracelet/x/ansi"
	"github.com/mlwb/mlwb/ui"
	"github.com/mlwb/mlwb/ui/table"
)

// renderPanel renders the side panel for the focused column into
// m.panelView (View only pastes it).
func (m *Model) renderPanel() {
	m.panelView = ""
	if !m.panelShown() || m.f.NumCols() == 0 {
		return
	}
	st := m.c.Styles.Panel
	h := max(0, m.height-m.bottomLines())
	frameW, frameH := st.Box.GetHorizontalFrameSize(), st.Box.GetVerticalFrameSize()
	iw := panelWidth - frameW
	if h <= frameH || iw <= 4 {
		return
	}
	_, col := m.tbl.Cursor()
	c := m.f.Col(col)
	lines := []string{
		st.Title.Render(ansi.Truncate(c.Name(), iw, m.c.Styles.Glyphs.Ellipsis)),
		st.Label.Render(fmt.Sprintf("%s, column %d of %d", table.TypeLabel(c.Type()), col+1, m.f.NumCols())),
		"",
	}
	kv := func(k, v string) {
		lines = append(lines, st.Label.Render(fmt.Sprintf("%-9s", k))+" "+st.Value.Render(ansi.Truncate(v, iw-10, m.c.Styles.Glyphs.Ellipsis)))
	}
	s, ok := m.stats[col]
	switch {
	case !ok:
		lines = append(lines, st.Label.Render("computing..."))
	default:
		kv("rows", ui.Thousands(int64(s.Rows)))
		kv("missing", fmt.Sprintf("%s (%.1f%%)", ui.Thousands(int64(s.Missing)), pct(s.Missing, s.Rows)))
		d := ui.Thousands(int64(s.Distinct))
		if s.Capped {
			d = ">= " + d
		}
		kv("distinct", d)
		if s.HasRange {
			kv("min", s.Min)
			kv("max", s.Max)
		}
		if len(s.Top) > 0 {
			title := "top values"
			if s.Capped {
				title += " (approx.)"
			}
			lines = append(lines, "", st.Title.Render(title))
			for _, t := range s.Top {
				n := ui.Thousands(int64(t.Count))
				vw := max(1, iw-len(n)-1)
				v := ansi.Truncate(t.Value, vw, m.c.Styles.Glyphs.Ellipsis)
				if t.Value == "" {
					v = `""`
				}
				pad := max(1, iw-ansi.StringWidth(v)-len(n))
				lines = append(lines, st.Value.Render(v)+strings.Repeat(" ", pad)+st.Label.Render(n))
			}
		}
	}
	if len(lines) > h-frameH {
		lines = lines[:h-frameH]
	}
	m.panelView = st.Box.Width(panelWidth - st.Box.GetBorderLeftSize() - st.Box.GetBorderRightSize()).
		Height(h - frameH).Render(strings.Join(lines, "\n"))
}
