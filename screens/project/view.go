package project

import (
	"fmt"
	"math"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/ansi"
	"github.com/mlwb/mlwb/themes"
	"github.com/mlwb/mlwb/ui"
	"github.com/mlwb/mlwb/workspace"
)

// wideWidth is the width from which the panes sit side by side.
const wideWidth = 100

// compactCardLines is the number of lines of the card in the stacked layout.
const compactCardLines = 5

// marks are the symbols the screen draws, with ASCII stand-ins for the
// nocolor theme (whose Glyphs are ASCII too).
type marks struct {
	open        string // before the dataset open in the app
	bad         string // before an error
	left, right string // around a focused choice
	ge, le      string // at least, at most
	sep         string // between fields
}

func glyphsFor(st *themes.Styles) marks {
	if st.Name == themes.NameNoColor {
		return marks{open: "*", bad: "x", left: "<", right: ">", ge: ">=", le: "<=", sep: st.Glyphs.Sep}
	}
	return marks{open: "●", bad: "✗", left: "‹", right: "›", ge: "≥", le: "≤", sep: st.Glyphs.Sep}
}

// rect is a pane's place in the screen.
type rect struct{ x, y, w, h int }

func (r rect) contains(x, y int) bool { return x >= r.x && x < r.x+r.w && y >= r.y && y < r.y+r.h }

// layout places the three panes.
type layout struct {
	wide                    bool
	card, datasets, history rect
}

func (m *Model) layout() layout {
	w, h := m.width, m.height
	need := 3 + max(1, len(m.datasets)) // borders, header, rows
	if m.mode == modeConfirm {
		need++
	}
	if w >= wideWidth {
		cw := clamp(w*2/5, 40, 56)
		lo := min(6, h)
		dsH := clamp(need, lo, max(lo, h/2))
		return layout{
			wide:     true,
			card:     rect{0, 0, cw, h},
			datasets: rect{cw, 0, w - cw, dsH},
			history:  rect{cw, dsH, w - cw, h - dsH},
		}
	}
	cardH := min(compactCardLines+2, h)
	rest := h - cardH
	var dsH int
	if m.focus == paneHistory {
		dsH = min(need, max(4, rest/3))
	} else {
		dsH = min(need, rest-3) // leave the history one line at least
	}
	dsH = clamp(dsH, 0, rest)
	return layout{
		card:     rect{0, 0, w, cardH},
		datasets: rect{0, cardH, w, dsH},
		history:  rect{0, cardH + dsH, w, rest - dsH},
	}
}

// View implements tea.Model.
func (m *Model) View() string {
	w, h := m.width, m.height
	if w <= 0 || h <= 0 {
		return ""
	}
	switch m.mode {
	case modeForm:
		return m.form.view(m.st, w, h)
	case modeImport:
		return m.imp.view(m.st, m.datasets, w, h)
	}
	if m.c.Workspace == nil {
		return strings.Join(m.box("No workspace", m.fileLines(w-4), rect{0, 0, w, h}, true), "\n")
	}
	l := m.layout()
	card := m.box("Project card", m.cardLines(l), l.card, m.focus == paneCard)
	ds := m.box(fmt.Sprintf("Datasets (%d)", len(m.datasets)), m.datasetLines(l.datasets), l.datasets, m.focus == paneDatasets)
	hist := m.box("History", m.historyLines(l.history), l.history, m.focus == paneHistory)
	right := append(ds, hist...)
	if !l.wide {
		return strings.Join(append(card, right...), "\n")
	}
	out := make([]string, h)
	for i := range out {
		out[i] = card[i] + right[i]
	}
	return strings.Join(out, "\n")
}

// box draws lines in a bordered pane of r's size with title in its top
// border; a focused pane has a thick border in the primary colour. It
// returns exactly r.h lines of r.w cells.
func (m *Model) box(title string, lines []string, r rect, focused bool) []string {
	if r.w < 6 || r.h < 2 {
		return strings.Split(fitBlock(nil, r.w, r.h), "\n")[:r.h]
	}
	st := m.st
	b := st.Panel.Box.GetBorderStyle()
	bs := m.r.NewStyle().Foreground(st.Palette.Border)
	ts := st.Panel.Label
	if focused {
		b = lipgloss.ThickBorder()
		bs = m.r.NewStyle().Foreground(st.Palette.Primary)
		ts = st.Panel.Title
	}
	pl, pr := st.Panel.Box.GetPaddingLeft(), st.Panel.Box.GetPaddingRight()
	innerW := r.w - 2 - pl - pr
	title = ansi.Truncate(title, r.w-5, "…")
	fill := r.w - 5 - ansi.StringWidth(title)
	out := make([]string, 0, r.h)
	out = append(out, bs.Render(b.TopLeft+b.Top)+" "+ts.Render(title)+" "+bs.Render(strings.Repeat(b.Top, fill)+b.TopRight))
	left := bs.Render(b.Left) + strings.Repeat(" ", pl)
	right := strings.Repeat(" ", pr) + bs.Render(b.Right)
	for i := range r.h - 2 {
		l := ""
		if i < len(lines) {
			l = lines[i]
		}
		out = append(out, left+padRight(ansi.Truncate(l, innerW, "…"), innerW)+right)
	}
	return append(out, bs.Render(b.BottomLeft+strings.Repeat(b.Bottom, r.w-2)+b.BottomRight))
}

// innerWidth is the text width inside a pane r.w wide.
func (m *Model) innerWidth(r rect) int {
	return r.w - 2 - m.st.Panel.Box.GetHorizontalPadding()
}

// padRight pads s with spaces to w cells.
func padRight(s string, w int) string {
	if n := w - ansi.StringWidth(s); n > 0 {
		return s + strings.Repeat(" ", n)
	}
	return s
}

// padLeft pads s with spaces on the left to w cells.
func padLeft(s string, w int) string {
	if n := w - ansi.StringWidth(s); n > 0 {
		return strings.Repeat(" ", n) + s
	}
	return s
}

// fitBlock cuts lines to w cells and pads or cuts them to h lines.
func fitBlock(lines []string, w, h int) string {
	out := make([]string, h)
	for i := range out {
		if i < len(lines) {
			out[i] = padRight(ansi.Truncate(lines[i], w, "…"), w)
		} else {
			out[i] = strings.Repeat(" ", w)
		}
	}
	return strings.Join(out, "\n")
}

// num formats x for display: integers without a point, others shortest.
func num(x float64) string {
	if x == math.Trunc(x) && math.Abs(x) < 1e15 {
		return strconv.FormatFloat(x, 'f', 0, 64)
	}
	return strconv.FormatFloat(x, 'g', -1, 64)
}

// metricText is the metric and its threshold: "roc_auc ≥ 0.8".
func (m *Model) metricText(c workspace.Card) string {
	st, g := m.st, glyphsFor(m.st)
	if c.Metric.Name == "" {
		return st.Muted.Render("not chosen")
	}
	s := st.Panel.Value.Render(c.Metric.Name)
	if t := c.Metric.Threshold; t != nil {
		op := g.ge
		if mi, ok := workspace.LookupMetric(c.Metric.Name); ok && !mi.HigherIsBetter {
			op = g.le
		}
		return s + st.Panel.Value.Render(" "+op+" "+num(*t))
	}
	return s + st.Muted.Render(" (no threshold)")
}

// fairnessItems lists the fairness limits that are set, long or short.
func (m *Model) fairnessItems(f workspace.Fairness, long bool) []string {
	g := glyphsFor(m.st)
	var out []string
	add := func(p *float64, short, full, op string) {
		if p == nil {
			return
		}
		n := short
		if long {
			n = full
		}
		out = append(out, n+" "+op+" "+num(*p))
	}
	add(f.MaxDemographicParityDifference, "DP", "demographic parity diff", g.le)
	add(f.MaxEqualizedOddsDifference, "EO", "equalized odds diff", g.le)
	add(f.MinDisparateImpactRatio, "DI", "disparate impact ratio", g.ge)
	return out
}

func orNone(st *themes.Styles, v, none string) string {
	if v == "" {
		return st.Muted.Render(none)
	}
	return st.Panel.Value.Render(v)
}

// cardLines renders the card for its pane.
func (m *Model) cardLines(l layout) []string {
	if !l.wide {
		return m.compactCardLines(m.innerWidth(l.card))
	}
	st, c := m.st, m.card
	w := m.innerWidth(l.card)
	const labelW = 12
	valW := max(8, w-labelW)
	kv := func(label, value string) string {
		return st.Panel.Label.Render(padRight(label, labelW)) + value
	}
	wrapped := func(label, text string, maxLines int) []string {
		ls := strings.Split(ansi.Wrap(text, valW, ""), "\n")
		if len(ls) > maxLines {
			ls = ls[:maxLines]
			ls[maxLines-1] = ansi.Truncate(ls[maxLines-1]+" …", valW, "…")
		}
		out := make([]string, len(ls))
		for i, x := range ls {
			if i == 0 {
				out[i] = kv(label, st.Panel.Value.Render(x))
			} else {
				out[i] = strings.Repeat(" ", labelW) + st.Panel.Value.Render(x)
			}
		}
		return out
	}

	var groups [][]string
	g := []string{kv("name", st.Title.Render(c.Name))}
	if c.Description == "" {
		g = append(g, kv("description", st.Muted.Render("none")))
	} else {
		g = append(g, wrapped("description", c.Description, 3)...)
	}
	g = append(g,
		kv("task", orNone(st, string(c.Task), "undecided")),
		kv("target", orNone(st, c.Target, "not set")),
		kv("metric", m.metricText(c)),
	)
	groups = append(groups, g)

	b := c.Business
	if !b.IsSet() && b.Currency == "" {
		groups = append(groups, []string{kv("business", st.Muted.Render("values and costs not set"))})
	} else {
		cur := ""
		if b.Currency != "" {
			cur = " " + b.Currency
		}
		money := func(x float64) string { return st.Panel.Value.Render(num(x) + cur) }
		groups = append(groups, []string{
			kv("TP value", money(b.TruePositiveValue)),
			kv("FP cost", money(b.FalsePositiveCost)),
			kv("FN cost", money(b.FalseNegativeCost)),
			kv("TN value", money(b.TrueNegativeValue)),
		})
	}

	p := c.Privacy
	var pg []string
	if len(p.SensitiveAttributes) == 0 {
		pg = append(pg, kv("sensitive", st.Muted.Render("none")))
	} else {
		pg = append(pg, wrapped("sensitive", strings.Join(p.SensitiveAttributes, ", "), 2)...)
	}
	if len(p.PIIColumns) == 0 {
		pg = append(pg, kv("PII columns", st.Muted.Render("none")))
	} else {
		pg = append(pg, wrapped("PII columns", strings.Join(p.PIIColumns, ", "), 2)...)
	}
	pg = append(pg, kv("PII policy", orNone(st, string(p.PIIPolicy), "undecided (mask)")))
	groups = append(groups, pg)

	fair := m.fairnessItems(c.Fairness, valW >= 30)
	if len(fair) == 0 {
		groups = append(groups, []string{kv("fairness", st.Muted.Render("no limits"))})
	} else {
		fg := make([]string, len(fair))
		for i, x := range fair {
			label := ""
			if i == 0 {
				label = "fairness"
			}
			fg[i] = kv(label, st.Panel.Value.Render(x))
		}
		groups = append(groups, fg)
	}

	n := 0
	for _, g := range groups {
		n += len(g)
	}
	spaced := n+len(groups)-1 <= l.card.h-2
	var out []string
	for i, g := range groups {
		if i > 0 && spaced {
			out = append(out, "")
		}
		out = append(out, g...)
	}
	return out
}

// compactCardLines renders the card in compactCardLines lines of width w.
func (m *Model) compactCardLines(w int) []string {
	st, c, g := m.st, m.card, glyphsFor(m.st)
	label := func(s string) string { return st.Panel.Label.Render(s + " ") }
	sep := st.Muted.Render(g.sep)
	first := st.Title.Render(c.Name)
	if c.Description != "" {
		first += sep + st.Panel.Value.Render(c.Description)
	}
	second := label("task") + orNone(st, string(c.Task), "undecided") + sep +
		label("target") + orNone(st, c.Target, "not set") + sep +
		label("metric") + m.metricText(c)

	b := c.Business
	third := label("business")
	if !b.IsSet() && b.Currency == "" {
		third += st.Muted.Render("not set")
	} else {
		third += st.Panel.Value.Render(fmt.Sprintf("TP %s%sFP %s%sFN %s%sTN %s",
			num(b.TruePositiveValue), g.sep, num(b.FalsePositiveCost), g.sep,
			num(b.FalseNegativeCost), g.sep, num(b.TrueNegativeValue)))
		if b.Currency != "" {
			third += st.Panel.Value.Render(" " + b.Currency)
		}
	}

	p := c.Privacy
	list := func(v []string) string { return orNone(st, strings.Join(v, ", "), "none") }
	fourth := label("sensitive") + list(p.SensitiveAttributes) + sep +
		label("PII") + list(p.PIIColumns) + sep +
		label("policy") + orNone(st, string(p.PIIPolicy), "undecided (mask)")

	fifth := label("fairness")
	if fair := m.fairnessItems(c.Fairness, false); len(fair) > 0 {
		fifth += st.Panel.Value.Render(strings.Join(fair, g.sep))
	} else {
		fifth += st.Muted.Render("no limits")
	}
	out := []string{first, second, third, fourth, fifth}
	for i := range out {
		out[i] = ansi.Truncate(out[i], w, "…")
	}
	return out
}

// datasetLines renders the dataset list for a pane of r's size.
func (m *Model) datasetLines(r rect) []string {
	st, g := m.st, glyphsFor(m.st)
	w := m.innerWidth(r)
	var out []string
	if m.mode == modeConfirm {
		out = append(out, st.Warn.Bold(true).Render(fmt.Sprintf("delete dataset %q and all its versions? y/n", m.confirm)))
	}
	if len(m.datasets) == 0 {
		if !m.loaded {
			return append(out, st.Muted.Render("reading…"))
		}
		return append(out, strings.Split(ansi.Wrap(st.Muted.Render(
			"No datasets yet: press i to import a data file (CSV, TSV, JSON Lines, Parquet or ARFF)."), w, ""), "\n")...)
	}
	nameW := 4
	for _, d := range m.datasets {
		nameW = max(nameW, ansi.StringWidth(d.Name))
	}
	nameW = min(nameW, 24)
	const verW, rowsW, colsW, ageW = 4, 11, 5, 10
	fixed := 4 + nameW + 1 + verW + rowsW + colsW + 2 + ageW + 2
	srcW := w - fixed
	header := "    " + padRight("name", nameW) + " " + padRight("ver", verW) + padLeft("rows", rowsW) + padLeft("cols", colsW) + "  " + padRight("imported", ageW)
	if srcW >= 8 {
		header += "  source"
	}
	out = append(out, st.Table.Header.Render(header))

	off, visible := m.datasetWindow(r)
	for i := off; i < len(m.datasets) && i < off+visible; i++ {
		d := m.datasets[i]
		cur := "  "
		if i == m.cursor {
			cur = st.Glyphs.Prompt
		}
		open := "  "
		if d.Name == m.open {
			open = g.open + " "
		}
		line := padRight(cur, 2) + padRight(open, 2) +
			padRight(ansi.Truncate(d.Name, nameW, "…"), nameW) + " " +
			padRight("v"+strconv.Itoa(d.Version), verW) +
			padLeft(ui.Thousands(int64(d.Rows)), rowsW) +
			padLeft(strconv.Itoa(len(d.Columns)), colsW) + "  " +
			padRight(age(d.Imported, m.now), ageW)
		if srcW >= 8 {
			line += "  " + shortenPath(d.Source, srcW)
		}
		switch {
		case i == m.cursor && m.focus == paneDatasets:
			line = st.Table.CursorCell.Render(padRight(line, w))
		case d.Name == m.open:
			line = st.Panel.Value.Bold(true).Render(line)
		default:
			line = st.Panel.Value.Render(line)
		}
		out = append(out, line)
	}
	return out
}

// datasetWindow returns the first dataset shown in a pane of r's size and
// how many rows fit (below the header and the delete question), keeping the
// cursor in view.
func (m *Model) datasetWindow(r rect) (first, visible int) {
	top := 1
	if m.mode == modeConfirm {
		top++
	}
	visible = max(1, r.h-2-top)
	return max(0, min(m.cursor-visible+1, len(m.datasets)-visible)), visible
}

// shortenPath fits p in w cells, dropping leading folders first.
func shortenPath(p string, w int) string {
	if ansi.StringWidth(p) <= w {
		return p
	}
	base := filepath.Base(p)
	if ansi.StringWidth(base)+2 > w {
		return ansi.Truncate(base, w, "…")
	}
	rs := []rune(p)
	for i := range rs {
		if ansi.StringWidth(string(rs[i:]))+1 <= w {
			return "…" + string(rs[i:])
		}
	}
	return base
}

// historyLines renders the newest events for a pane of r's size.
func (m *Model) historyLines(r rect) []string {
	st := m.st
	w := m.innerWidth(r)
	if len(m.history) == 0 {
		if !m.loaded {
			return []string{st.Muted.Render("reading…")}
		}
		return []string{st.Muted.Render("nothing recorded yet")}
	}
	const ageW, actW = 11, 15
	off := 0
	if m.focus == paneHistory {
		off = clamp(m.histOff, 0, max(0, len(m.history)-(r.h-2)))
	}
	var out []string
	for _, e := range m.history[off:] {
		line := st.Muted.Render(padRight(age(e.Time, m.now), ageW)) +
			st.Panel.Value.Render(padRight(e.Action, actW)) + " " +
			st.Panel.Label.Render(ansi.Truncate(summary(e), max(0, w-ageW-actW-1), "…"))
		out = append(out, line)
	}
	return out
}

// age says how long before now t was, briefly: "just now", "5m ago",
// "3h ago", "2d ago", then the date.
func age(t, now time.Time) string {
	if t.IsZero() {
		return "—"
	}
	d := now.Sub(t)
	switch {
	case d < time.Minute:
		return "just now"
	case d < time.Hour:
		return fmt.Sprintf("%dm ago", int(d/time.Minute))
	case d < 24*time.Hour:
		return fmt.Sprintf("%dh ago", int(d/time.Hour))
	case d < 7*24*time.Hour:
		return fmt.Sprintf("%dd ago", int(d/(24*time.Hour)))
	}
	return t.In(now.Location()).Format("2006-01-02")
}

// summary is a one-line account of an event's details.
func summary(e workspace.Event) string {
	d := e.Details
	str := func(k string) string {
		switch v := d[k].(type) {
		case string:
			return v
		case float64:
			if v == math.Trunc(v) && math.Abs(v) < 1e15 {
				return ui.Thousands(int64(v))
			}
			return num(v)
		case nil:
			return ""
		default:
			return fmt.Sprint(v)
		}
	}
	switch e.Action {
	case "init":
		return str("name")
	case "card.save":
		if ch, ok := d["changed"].([]any); ok {
			names := make([]string, len(ch))
			for i, x := range ch {
				names[i] = fmt.Sprint(x)
			}
			return "changed " + strings.Join(names, ", ")
		}
	case "dataset.import":
		s := fmt.Sprintf("%s v%s: %s rows × %s cols", str("name"), str("version"), str("rows"), str("columns"))
		if u, _ := d["unchanged"].(bool); u {
			s += " (unchanged)"
		}
		return s
	case "dataset.delete":
		return fmt.Sprintf("%s (%s versions)", str("name"), str("versions"))
	}
	keys := make([]string, 0, len(d))
	for k := range d {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	parts := make([]string, len(keys))
	for i, k := range keys {
		parts[i] = k + "=" + str(k)
	}
	return strings.Join(parts, " ")
}

// fileLines explains that nothing is saved and describes the loaded file.
func (m *Model) fileLines(w int) []string {
	st := m.st
	out := []string{
		st.Warn.Render("No workspace: nothing done here is saved."),
	}
	out = append(out, strings.Split(ansi.Wrap(st.Muted.Render(
		"To keep a project card, dataset versions and a history, run \"mlwb init\" in a folder and import the file there."), w, ""), "\n")...)
	out = append(out, "")
	if m.file == "" {
		return append(out, st.Muted.Render("No file loaded yet."))
	}
	kv := func(k, v string) string { return st.Panel.Label.Render(padRight(k, 9)) + st.Panel.Value.Render(v) }
	out = append(out,
		kv("file", m.file),
		kv("shape", frameShape(m.rows, len(m.colNames))),
		"",
		st.Table.Header.Render(padRight("column", 24)+" "+padRight("type", 12)+padLeft("missing", 10)),
	)
	for i, n := range m.colNames {
		out = append(out, padRight(ansi.Truncate(n, 24, "…"), 24)+" "+st.Muted.Render(padRight(m.colTypes[i], 12))+padLeft(ui.Thousands(int64(m.colNA[i])), 10))
	}
	return out
}
