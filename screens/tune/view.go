package tune

import (
	"fmt"
	"math"
	"sort"
	"strconv"
	"strings"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/ansi"
	"github.com/guptarohit/asciigraph"
	etune "github.com/mlwb/mlwb/engine/tune"
)

func keyMatches(msg tea.KeyMsg, b key.Binding) bool { return key.Matches(msg, b) }

// refresh renders the view into m.rendered (View stays cheap).
func (m *Model) refresh() {
	if m.width == 0 || m.height == 0 {
		m.rendered = ""
		return
	}
	st := m.c.Styles
	if m.f == nil {
		m.rendered = st.Empty.Render(ansi.Truncate(EmptyText, m.width, "…"))
		return
	}
	var lines []string
	lines = append(lines, m.headline())
	var tabs []string
	for p := range numPanes {
		label := " " + p.String() + " "
		if p == m.pane {
			tabs = append(tabs, st.Header.ActiveTab.Render(label))
		} else {
			tabs = append(tabs, st.Header.Tab.Render(label))
		}
	}
	lines = append(lines, ansi.Truncate(strings.Join(tabs, ""), m.width, ""))
	foot := m.footline()
	bodyH := max(0, m.height-len(lines)-1)
	var body string
	switch m.pane {
	case paneForm:
		body = m.formView(bodyH)
	case paneTable:
		body = m.tableView(bodyH)
	case paneGraph:
		body = m.graphView(bodyH)
	case paneImportance:
		body = m.importanceView(bodyH)
	case paneSlice:
		body = m.sliceView(bodyH)
	}
	bl := strings.Split(body, "\n")
	if len(bl) > bodyH {
		bl = bl[:bodyH]
	}
	for len(bl) < bodyH {
		bl = append(bl, "")
	}
	lines = append(lines, bl...)
	lines = append(lines, foot)
	m.rendered = strings.Join(lines, "\n")
}

func (m *Model) headline() string {
	st := m.c.Styles
	parts := []string{m.name}
	if m.studyID == "" {
		parts = append(parts, "no study yet: choose and press t")
	} else {
		state := "finished"
		switch {
		case m.running && m.paused:
			state = "paused"
		case m.running:
			state = "running"
		}
		parts = append(parts, m.studyID, state, fmt.Sprintf("%d trials", len(m.trials)))
		if b, ok := m.best(); ok {
			parts = append(parts, fmt.Sprintf("best %s %s #%d", m.metric, fmtVal(b.Value), b.Number))
		} else {
			parts = append(parts, m.dir.String()+" "+m.metric)
		}
	}
	return st.Title.Render(ansi.Truncate(strings.Join(parts, st.Glyphs.Sep), m.width, st.Glyphs.Ellipsis))
}

func (m *Model) footline() string {
	st := m.c.Styles
	switch {
	case m.formErr != "":
		return st.Input.Error.Render(ansi.Truncate(m.formErr, m.width, "…"))
	case m.note != "":
		return st.Muted.Render(ansi.Truncate(m.note, m.width, "…"))
	}
	return ""
}

func fmtVal(v float64) string {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return "—"
	}
	return strconv.FormatFloat(v, 'f', 4, 64)
}

func (m *Model) formView(h int) string {
	st := m.c.Styles
	vals := [numFields]string{
		m.cols[m.target], etune.DefaultModels()[m.model], etune.Samplers()[m.sampler], etune.Pruners()[m.pruner],
		strconv.Itoa(trialChoices[m.trialsIdx]), strconv.Itoa(m.jobs), valOptions[m.valIdx].label,
	}
	var out []string
	for f := range numFields {
		cursor := "  "
		v := st.Panel.Value.Render("‹ " + vals[f] + " ›")
		if f == m.field && m.pane == paneForm {
			cursor = st.Panel.Title.Render("> ")
			v = st.Table.CursorCell.Render("‹ " + vals[f] + " ›")
		}
		out = append(out, cursor+st.Panel.Label.Render(fmt.Sprintf("%-11s", f.String()))+v)
	}
	if m.editing {
		out = append(out, "", st.Panel.Title.Render("search space ("+m.modelName()+"): one parameter a line — ctrl+s apply, esc cancel"))
		out = append(out, strings.Split(m.ta.View(), "\n")...)
	} else {
		out = append(out, "", st.Panel.Title.Render("search space ("+m.spaceModel+") — e edits"))
	}
	if m.space != nil && !m.editing {
		for _, l := range m.space.Lines() {
			out = append(out, "  "+ansi.Truncate(l, max(0, m.width-2), "…"))
		}
	}
	if len(out) > h {
		out = out[:h]
	}
	return strings.Join(out, "\n")
}

func paramsText(sp *etune.Space, p etune.Params) string {
	if sp == nil {
		return ""
	}
	var parts []string
	for _, name := range sp.Names() {
		v, ok := p[name]
		if !ok {
			continue
		}
		if v.Str != "" {
			parts = append(parts, name+"="+v.Str)
		} else {
			parts = append(parts, name+"="+strconv.FormatFloat(v.Num, 'g', 4, 64))
		}
	}
	return strings.Join(parts, " ")
}

func (m *Model) tableView(h int) string {
	st := m.c.Styles
	if len(m.trials) == 0 {
		if m.running {
			return st.Muted.Render("waiting for the first trial…")
		}
		return st.Muted.Render("no trials: press t to start a study")
	}
	out := []string{st.Table.Header.Render(ansi.Truncate(fmt.Sprintf("%4s  %-8s  %10s  %7s  %s", "#", "state", m.metric, "sec", "parameters"), m.width, ""))}
	rows := max(1, h-1)
	if m.cur < m.top {
		m.top = m.cur
	}
	if m.cur >= m.top+rows {
		m.top = m.cur - rows + 1
	}
	for i := m.top; i < len(m.trials) && i < m.top+rows; i++ {
		t := m.trials[i]
		params := paramsText(m.studySpace, t.Params)
		if t.Err != "" {
			params = t.Err + "  " + params
		}
		v := t.Value
		if t.State != etune.Complete {
			// A pruned trial's value is its last intermediate one, which
			// may be a loss rather than the metric (etune.TrainObjective).
			v = math.NaN()
		}
		line := fmt.Sprintf("%4d  %-8s  %10s  %7.2f  %s", t.Number, t.State, fmtVal(v), t.Duration.Seconds(), params)
		line = ansi.Truncate(line, m.width, st.Glyphs.Ellipsis)
		switch {
		case i == m.cur && m.pane == paneTable:
			line = st.Table.CursorRow.Render(line)
		case t.State == etune.Failed:
			line = st.Bad.Render(line)
		case t.State == etune.Pruned:
			line = st.Muted.Render(line)
		default:
			line = st.Table.Cell.Render(line)
		}
		out = append(out, line)
	}
	return strings.Join(out, "\n")
}

func (m *Model) graphView(h int) string {
	st := m.c.Styles
	best := BestSoFar(m.dir, m.trials)
	if len(best) == 0 {
		return st.Muted.Render("the best-so-far graph appears once a trial completes")
	}
	w := max(8, m.width-12)
	var out []string
	bestH := max(2, h/2-2)
	out = append(out, st.Panel.Title.Render(fmt.Sprintf("best %s so far (%d complete trials)", m.metric, len(best))))
	if len(best) == 1 {
		best = append(best, best[0])
	}
	for _, l := range strings.Split(asciigraph.Plot(best, asciigraph.Height(bestH), asciigraph.Width(w), asciigraph.Precision(4)), "\n") {
		out = append(out, st.Panel.Bar.Render(ansi.Truncate(l, m.width, "")))
	}
	// Intermediate values (etune.TrainObjective: running CV means, or on a
	// holdout the validation loss per iteration) of the last 5 trials that
	// reported any.
	var series [][]float64
	steps := 0
	var names []string
	for i := len(m.trials) - 1; i >= 0 && len(series) < 5; i-- {
		t := m.trials[i]
		if len(t.Intermediate) == 0 {
			continue
		}
		s := make([]float64, 0, len(t.Intermediate))
		for _, p := range t.Intermediate {
			s = append(s, p.Value)
		}
		steps = max(steps, len(s))
		if len(s) == 1 {
			s = append(s, s[0])
		}
		series = append(series, s)
		names = append(names, "#"+strconv.Itoa(t.Number))
	}
	restH := h - len(out) - 2
	if len(series) > 0 && restH >= 3 {
		title := "running mean per CV fold"
		switch {
		case m.perIter && steps > 1 && m.dir == etune.Maximize:
			title = "−validation loss per iteration"
		case m.perIter && steps > 1:
			title = "validation loss per iteration"
		case m.perIter:
			title = "holdout " + m.metric
		}
		out = append(out, st.Panel.Title.Render(title+", recent trials: "+strings.Join(names, " ")))
		g := asciigraph.PlotMany(series, asciigraph.Height(restH-1), asciigraph.Width(w), asciigraph.Precision(4))
		for _, l := range strings.Split(g, "\n") {
			out = append(out, st.Muted.Render(ansi.Truncate(l, m.width, "")))
		}
	}
	return strings.Join(out, "\n")
}

func (m *Model) importanceView(h int) string {
	st := m.c.Styles
	imp := Importance(m.studySpace, m.trials)
	if imp == nil {
		return st.Muted.Render("importance needs at least 4 complete trials")
	}
	names := make([]string, 0, len(imp))
	width := 0
	for k := range imp {
		names = append(names, k)
		width = max(width, len(k))
	}
	sort.Slice(names, func(a, b int) bool {
		if imp[names[a]] != imp[names[b]] {
			return imp[names[a]] > imp[names[b]]
		}
		return names[a] < names[b]
	})
	out := []string{st.Panel.Title.Render("parameter importance: share of the variance of " + m.metric + " explained (η², binned)")}
	barW := max(1, m.width-width-10)
	for _, k := range names {
		if len(out) >= h {
			break
		}
		n := int(math.Round(imp[k] * float64(barW)))
		out = append(out, fmt.Sprintf("%-*s %5.1f%% %s", width, k, 100*imp[k], st.Panel.Bar.Render(strings.Repeat(st.Glyphs.Bar, n))))
	}
	return strings.Join(out, "\n")
}

func (m *Model) sliceView(h int) string {
	st := m.c.Styles
	sp := m.sliceSpace()
	if sp == nil || len(sp.Params) == 0 {
		return ""
	}
	p := sp.Params[m.sliceIdx%len(sp.Params)]
	head := st.Panel.Title.Render(fmt.Sprintf("%s against %s (←/→ parameter %d/%d)", m.metric, p.Name, m.sliceIdx%len(sp.Params)+1, len(sp.Params)))
	type pt struct{ x, y float64 }
	var pts []pt
	var cats []string
	if p.Kind == etune.Categorical {
		cats = p.Choices
	}
	for _, t := range m.trials {
		v, ok := t.Params[p.Name]
		if t.State != etune.Complete || !ok || math.IsNaN(t.Value) {
			continue
		}
		x := v.Num
		if cats != nil {
			x = float64(indexOf(cats, v.Str))
		} else if p.Log && x > 0 {
			x = math.Log(x)
		}
		pts = append(pts, pt{x, t.Value})
	}
	if len(pts) == 0 {
		return head + "\n" + st.Muted.Render("no complete trial has this parameter yet")
	}
	const labelW = 11
	gw, gh := max(4, m.width-labelW-1), max(2, h-3)
	xlo, xhi := p.Lo, p.Hi
	if cats != nil {
		xlo, xhi = -0.5, float64(len(cats))-0.5
	} else if p.Log {
		xlo, xhi = math.Log(p.Lo), math.Log(p.Hi)
	}
	ylo, yhi := pts[0].y, pts[0].y
	for _, q := range pts {
		ylo, yhi = min(ylo, q.y), max(yhi, q.y)
	}
	if yhi == ylo {
		ylo, yhi = ylo-0.5, yhi+0.5
	}
	if xhi == xlo {
		xlo, xhi = xlo-0.5, xhi+0.5
	}
	grid := make([][]byte, gh)
	for i := range grid {
		grid[i] = []byte(strings.Repeat(" ", gw))
	}
	for _, q := range pts {
		c := int(math.Round((q.x - xlo) / (xhi - xlo) * float64(gw-1)))
		r := int(math.Round((yhi - q.y) / (yhi - ylo) * float64(gh-1)))
		c, r = min(max(c, 0), gw-1), min(max(r, 0), gh-1)
		if grid[r][c] == '*' || grid[r][c] == '#' {
			grid[r][c] = '#'
		} else {
			grid[r][c] = '*'
		}
	}
	out := []string{head}
	for i, row := range grid {
		label := ""
		switch i {
		case 0:
			label = fmtVal(yhi)
		case gh - 1:
			label = fmtVal(ylo)
		}
		out = append(out, fmt.Sprintf("%*s │", labelW-2, label)+st.Panel.Bar.Render(string(row)))
	}
	var axis string
	if cats != nil {
		axis = strings.Join(cats, " | ")
	} else {
		axis = fmt.Sprintf("%s … %s", strconv.FormatFloat(p.Lo, 'g', 4, 64), strconv.FormatFloat(p.Hi, 'g', 4, 64))
		if p.Log {
			axis += " (log scale)"
		}
	}
	out = append(out, strings.Repeat(" ", labelW)+st.Muted.Render(ansi.Truncate(axis, gw, "…")))
	return strings.Join(out, "\n")
}

func indexOf(xs []string, s string) int {
	for i, x := range xs {
		if x == s {
			return i
		}
	}
	return 0
}
