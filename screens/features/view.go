package features

import (
	"fmt"
	"math"
	"strconv"
	"strings"

	"github.com/charmbracelet/x/ansi"
	"github.com/mlwb/mlwb/engine/features/selection"
	"github.com/mlwb/mlwb/ui"
)

// View implements tea.Model.
func (m *Model) View() string { return m.view }

func (m *Model) render() {
	if m.width <= 0 || m.height <= 0 {
		m.view = ""
		return
	}
	var body string
	switch {
	case m.note != "":
		body = m.c.Styles.Title.Render("Features") + "\n\n" + m.c.Styles.Empty.Render(m.note)
	case m.labeling:
		body = m.labelView()
	case m.report == nil:
		body = m.loadingView()
	default:
		body = m.featuresView()
	}
	m.view = fit(body, m.width, m.height)
}

// fit cuts s to w×h cells and pads it to h lines.
func fit(s string, w, h int) string {
	lines := strings.Split(s, "\n")
	if len(lines) > h {
		lines = lines[:h]
	}
	for i, l := range lines {
		lines[i] = ansi.Truncate(l, w, "")
	}
	for len(lines) < h {
		lines = append(lines, "")
	}
	return strings.Join(lines, "\n")
}

func padRight(s string, w int) string {
	if n := ansi.StringWidth(s); n < w {
		return s + strings.Repeat(" ", w-n)
	}
	return s
}

func padLeft(s string, w int) string {
	if n := ansi.StringWidth(s); n < w {
		return strings.Repeat(" ", w-n) + s
	}
	return s
}

func (m *Model) clip(s string, w int) string {
	if ansi.StringWidth(s) <= w {
		return s
	}
	e := m.c.Styles.Glyphs.Ellipsis
	return ansi.Truncate(s, max(0, w-ansi.StringWidth(e)), "") + e
}

// num formats a score in at most 8 cells; "-" when it does not apply.
func num(v float64) string {
	switch {
	case math.IsNaN(v) || math.IsInf(v, 0):
		return "-"
	case v == 0:
		return "0"
	case math.Abs(v) >= 1e5:
		return strconv.FormatFloat(v, 'e', 1, 64)
	case math.Abs(v) >= 100:
		return strconv.FormatFloat(v, 'f', 0, 64)
	case math.Abs(v) < 1e-3:
		return strconv.FormatFloat(v, 'e', 1, 64)
	}
	return strconv.FormatFloat(v, 'f', 3, 64)
}

func (m *Model) loadingView() string {
	st := m.c.Styles
	lines := []string{st.Title.Render("Features") + st.Muted.Render("  "+m.name+" → "+m.target)}
	if m.scoreErr != "" {
		lines = append(lines, "", st.Input.Error.Render(m.scoreErr))
	} else {
		lines = append(lines, "", st.Muted.Render("scoring every feature against "+m.target+st.Glyphs.Ellipsis+" (esc cancels)"))
	}
	if !m.scoreJob.Running() {
		lines = append(lines, "", st.Muted.Render("r: score again"))
	}
	return strings.Join(lines, "\n")
}

// cvLine is the quick score: "CV roc_auc 0.842 ± 0.011 (12 features, logreg
// 3-fold) Δ +0.004".
func (m *Model) cvLine() string {
	st := m.c.Styles
	var s string
	if m.cv != nil {
		s = st.Panel.Label.Render("CV ") + st.Panel.Value.Render(fmt.Sprintf("%s %.3f ± %.3f", m.cv.Metric, m.cv.Mean, m.cv.Std)) +
			st.Muted.Render(fmt.Sprintf(" (%d features, %s %d-fold)", m.cv.Features, m.cv.Model, CVFolds))
		if p := m.prevCV; p != nil && p.Metric == m.cv.Metric {
			d := m.cv.Mean - p.Mean
			ds := st.Muted
			if d > 0 {
				ds = st.Good
			} else if d < 0 {
				ds = st.Warn
			}
			s += " " + ds.Render(fmt.Sprintf("Δ %+.3f", d))
		}
	} else {
		s = st.Muted.Render("CV -")
	}
	switch {
	case m.cvJob.Running():
		s += st.Muted.Render("  updating" + st.Glyphs.Ellipsis)
	case m.cvErr != "":
		s += "  " + st.Input.Error.Render(m.cvErr)
	case m.cvGen > 0 && m.cv == nil:
		s += st.Muted.Render("  waiting" + st.Glyphs.Ellipsis)
	}
	return s
}

func (m *Model) featuresView() string {
	st := m.c.Styles
	r := m.report
	sep := st.Glyphs.Sep
	nsel := len(m.selectedNames())
	head := st.Title.Render("Features") + st.Muted.Render(fmt.Sprintf("  %s → %s (%s)%s%s rows%s%d candidates%s%d selected",
		m.name, m.target, r.Task, sep, ui.Thousands(int64(r.Rows)), sep, len(r.Features), sep, nsel))
	if m.scoreJob.Running() {
		head += st.Muted.Render(sep + "model scores" + st.Glyphs.Ellipsis)
	}
	method := selectionMethodLine(m)
	lines := []string{head, m.cvLine(), st.Muted.Render(method)}
	lines = append(lines, m.tableLines()...)
	lines = append(lines, m.pipelineLines()...)
	return strings.Join(lines, "\n")
}

func selectionMethodLine(m *Model) string {
	meth := m.methodName()
	p := fmt.Sprintf("k=%d", m.k)
	if meth == "threshold" {
		p = "min=" + num(m.minScore)
	}
	s := fmt.Sprintf("auto: %s %s by %s (m method, +/- %s, A apply)", meth, p, m.rankBy(), strings.SplitN(p, "=", 2)[0])
	if m.autoJob.Running() {
		s += " running" + m.c.Styles.Glyphs.Ellipsis
	}
	return s
}

func (m *Model) methodName() string { return selection.Methods[m.method] }

const (
	nameW  = 22
	typeW  = 9
	rankW  = 4
	scoreW = 9
)

// visibleScores returns the first score column shown and how many fit.
func (m *Model) visibleScores() (int, int) {
	n := max(1, (m.width-2-nameW-typeW-rankW-2)/scoreW)
	n = min(n, len(scoreCols))
	first := 0
	if m.sortCol >= n {
		first = m.sortCol - n + 1
	}
	return first, n
}

func (m *Model) tableLines() []string {
	st := m.c.Styles
	r := m.report
	first, n := m.visibleScores()
	var hb strings.Builder
	hb.WriteString("  " + padRight("feature", nameW) + " " + padRight("type", typeW-1) + padLeft(m.sortMark(-1)+"rank", rankW))
	for j := first; j < first+n; j++ {
		hb.WriteString(padLeft(m.sortMark(j)+scoreCols[j].head, scoreW))
	}
	lines := []string{st.Table.Header.Render(hb.String())}
	h := m.tableHeight()
	for i := m.top; i < min(len(m.rows), m.top+h); i++ {
		f := r.Features[m.rows[i]]
		mark := "[ ]"
		if m.selected[f.Name] {
			mark = "[x]"
		}
		var b strings.Builder
		b.WriteString(mark + " " + padRight(m.clip(f.Name, nameW-2), nameW-2) + " " + padRight(m.clip(shortType(f.Type), typeW-1), typeW-1) + padLeft(strconv.Itoa(f.Rank), rankW))
		for j := first; j < first+n; j++ {
			v := f.Get(scoreCols[j].name)
			s := num(v)
			if scoreCols[j].name == "missing_ratio" && !math.IsNaN(v) {
				s = fmt.Sprintf("%.1f%%", 100*v)
			}
			b.WriteString(padLeft(s, scoreW))
		}
		line := b.String()
		switch {
		case i == m.cur && m.pane == paneTable:
			lines = append(lines, st.Table.CursorRow.Render(padRight(line, m.width)))
		case f.Dropped != "":
			lines = append(lines, st.Muted.Render(line))
		case m.selected[f.Name]:
			lines = append(lines, st.Table.Cell.Render(line))
		default:
			lines = append(lines, st.Muted.Render(line))
		}
	}
	for len(lines) < h+1 {
		lines = append(lines, "")
	}
	return lines
}

func (m *Model) sortMark(col int) string {
	if m.sortCol == col {
		return m.c.Styles.Glyphs.SortDesc
	}
	return ""
}

// pipelineLines shows the decision about the feature under the cursor and
// the pipeline's steps.
func (m *Model) pipelineLines() []string {
	st := m.c.Styles
	h := m.pipeHeight()
	var lines []string
	if len(m.rows) > 0 {
		f := m.report.Features[m.rows[m.cur]]
		why := ""
		for _, d := range m.decisions {
			if d.Column == f.Name {
				why = d.Action + ": " + d.Reason
			}
		}
		if f.Dropped != "" {
			why = "never selected: " + f.Dropped
		}
		lines = append(lines, st.Panel.Label.Render(m.clip(f.Name, nameW))+" "+st.Muted.Render(why))
	} else {
		lines = append(lines, "")
	}
	title := fmt.Sprintf("Pipeline (%d steps)", len(m.pipe.Steps))
	if m.pane == panePipeline {
		title += "  a add, x remove, K/J move, tab back"
	} else {
		title += "  tab to edit"
	}
	switch {
	case m.dirty:
		title += st.Glyphs.Sep + "changed (w saves)"
	case m.saved != "":
		title += st.Glyphs.Sep + "saved " + m.saved
	}
	lines = append(lines, st.Panel.Title.Render(title))
	if m.form == formStep {
		lines = append(lines, st.Input.Prompt.Render(st.Glyphs.Prompt)+m.input.View())
		if m.formErr != "" {
			lines = append(lines, st.Input.Error.Render(m.formErr))
		} else {
			lines = append(lines, st.Muted.Render(transformHelp(m.input.Value())))
		}
		return lines
	}
	rows := max(1, h-2)
	top := max(0, min(m.stepCur-rows+1, len(m.pipe.Steps)-rows))
	if m.stepCur < top {
		top = m.stepCur
	}
	if len(m.pipe.Steps) == 0 {
		lines = append(lines, st.Empty.Render("  no steps: a adds one (the model then gets the columns as they are)"))
	}
	for i := top; i < min(len(m.pipe.Steps), top+rows); i++ {
		line := fmt.Sprintf("%2d. %s", i+1, stepText(m.pipe.Steps[i]))
		if i == m.stepCur && m.pane == panePipeline {
			lines = append(lines, st.Table.CursorRow.Render(padRight(line, m.width)))
		} else {
			lines = append(lines, st.Table.Cell.Render(line))
		}
	}
	return lines
}

func (m *Model) labelView() string {
	st := m.c.Styles
	l := &m.lab
	sep := st.Glyphs.Sep
	head := st.Title.Render("Label") + st.Muted.Render(fmt.Sprintf("  %s → %s%s%d rows to label%s%d labelled",
		m.name, m.target, sep, len(l.rows), sep, len(l.labels)))
	var cls []string
	for i, c := range l.classes {
		if i < 9 {
			cls = append(cls, fmt.Sprintf("%d %s", i+1, c))
		}
	}
	lines := []string{head, st.Muted.Render("classes: " + strings.Join(cls, "  ") + "   u undo, r rule, f flag, w save, esc leave")}
	if m.form == formRule || m.form == formUncertain {
		verb := "labels"
		if m.form == formUncertain {
			verb = "adds"
		}
		lines = append(lines, st.Input.Prompt.Render(st.Glyphs.Prompt)+m.input.View())
		switch {
		case m.formErr != "":
			lines = append(lines, st.Input.Error.Render(m.formErr))
		case l.preview >= 0:
			lines = append(lines, st.Good.Render(fmt.Sprintf("%s %d rows (enter applies, esc closes)", verb, l.preview)))
		case l.previewErr != "":
			lines = append(lines, st.Muted.Render(l.previewErr))
		default:
			lines = append(lines, "")
		}
	}
	if len(l.rows) == 0 {
		lines = append(lines, "", st.Empty.Render("no row has a missing "+m.target+": nothing to label (f flags uncertain rows, esc leaves)"))
		return strings.Join(lines, "\n")
	}
	// Row list on top, the current row's fields below.
	listH := max(3, (m.height-len(lines)-1)/3)
	top := max(0, min(l.cur-listH/2, len(l.rows)-listH))
	lines = append(lines, st.Table.Header.Render(fmt.Sprintf("  %8s  %s", "row", "label")))
	for i := top; i < min(len(l.rows), top+listH); i++ {
		r := l.rows[i]
		lab, ok := l.labels[r]
		if tc, err := l.f.Column(l.target); !ok && err == nil {
			lab = "-"
			if !tc.IsNA(r) {
				lab = "(" + tc.Format(r) + ")" // flagged uncertain: its current value
			}
		}
		line := fmt.Sprintf("  %8d  %s", r+1, lab)
		switch {
		case i == l.cur:
			lines = append(lines, st.Table.CursorRow.Render(padRight(line, m.width)))
		case ok:
			lines = append(lines, st.Good.Render(line))
		default:
			lines = append(lines, st.Table.Cell.Render(line))
		}
	}
	r := l.rows[l.cur]
	lines = append(lines, st.Panel.Title.Render(fmt.Sprintf("row %d", r+1)))
	cols := l.f.Columns()
	w := 0
	for _, c := range cols {
		w = max(w, min(len(c.Name()), 24))
	}
	room := max(1, m.height-len(lines))
	perLine := max(1, m.width/(w+22))
	var fields []string
	for _, c := range cols {
		v := c.Format(r)
		if c.IsNA(r) {
			v = "NA"
		}
		fields = append(fields, st.Panel.Label.Render(padRight(m.clip(c.Name(), w), w))+" "+st.Panel.Value.Render(padRight(m.clip(v, 20), 20)))
	}
	for i := 0; i < len(fields) && room > 0; i += perLine {
		lines = append(lines, strings.Join(fields[i:min(len(fields), i+perLine)], " "))
		room--
	}
	return strings.Join(lines, "\n")
}

// shortType abbreviates a column type for the table.
func shortType(t string) string {
	switch t {
	case "categorical":
		return "cat"
	case "datetime":
		return "date"
	}
	return t
}
