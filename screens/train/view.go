package train

import (
	"fmt"
	"math"
	"path"
	"strings"

	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/ansi"
	"github.com/guptarohit/asciigraph"
	"github.com/mlwb/mlwb/engine/models"
	etrain "github.com/mlwb/mlwb/engine/train"
	"github.com/mlwb/mlwb/ui"
	"github.com/mlwb/mlwb/workspace"
)

// fmtMetric formats a metric, "—" when undefined.
func fmtMetric(v float64) string {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return "—"
	}
	return fmt.Sprintf("%.4f", v)
}

// sparkline draws values as block heights between their min and max
// (undefined values as a space).
func sparkline(vals []workspace.Num) string {
	const blocks = "▁▂▃▄▅▆▇█"
	lo, hi := math.Inf(1), math.Inf(-1)
	for _, v := range vals {
		if f := float64(v); !math.IsNaN(f) && !math.IsInf(f, 0) {
			lo, hi = math.Min(lo, f), math.Max(hi, f)
		}
	}
	var b strings.Builder
	r := []rune(blocks)
	for _, v := range vals {
		f := float64(v)
		switch {
		case math.IsNaN(f) || math.IsInf(f, 0):
			b.WriteByte(' ')
		case hi == lo:
			b.WriteRune(r[3])
		default:
			b.WriteRune(r[int((f-lo)/(hi-lo)*7+0.5)])
		}
	}
	return b.String()
}

func pad(s string, w int) string {
	s = ansi.Truncate(s, w, "…")
	if n := lipgloss.Width(s); n < w {
		s += strings.Repeat(" ", w-n)
	}
	return s
}

func padLeft(s string, w int) string {
	s = ansi.Truncate(s, w, "…")
	if n := lipgloss.Width(s); n < w {
		s = strings.Repeat(" ", w-n) + s
	}
	return s
}

// fitBlock cuts or pads s to exactly h lines.
func fitBlock(s string, h int) string {
	lines := strings.Split(s, "\n")
	if len(lines) > h {
		lines = lines[:h]
	}
	for len(lines) < h {
		lines = append(lines, "")
	}
	return strings.Join(lines, "\n")
}

// refresh renders the view into m.rendered.
func (m *Model) refresh() {
	w, h := m.width, m.height
	st := m.c.Styles
	if w <= 0 || h <= 0 {
		m.rendered = ""
		return
	}
	if m.f == nil {
		m.rendered = st.Empty.Render(ansi.Truncate(EmptyText, max(1, w-4), "…"))
		return
	}
	var sections []string
	head := st.Title.Render("Train") + st.Muted.Render(fmt.Sprintf(" %s · %s rows · metric %s",
		m.name, ui.Thousands(int64(m.f.NumRows())), orDash(m.metric)))
	sections = append(sections, ansi.Truncate(head, w, "…"))

	topH := min(14, max(7, h/2))
	formW := min(42, max(30, w*2/5))
	rightW := max(10, w-formW-2)
	form := fitBlock(m.formView(formW, topH), topH)
	right := fitBlock(m.liveView(rightW, topH), topH)
	formLines, rightLines := strings.Split(form, "\n"), strings.Split(right, "\n")
	for i := range formLines {
		sections = append(sections, pad(formLines[i], formW)+"  "+ansi.Truncate(rightLines[i], rightW, ""))
	}
	restH := h - 1 - topH
	if restH > 0 {
		var board string
		if m.compare != nil {
			board = m.compareView(w, restH)
		} else {
			board = m.boardView(w, restH)
		}
		sections = append(sections, fitBlock(board, restH))
	}
	m.rendered = strings.Join(sections, "\n")
}

func orDash(s string) string {
	if s == "" {
		return "—"
	}
	return s
}

// formView renders the form.
func (m *Model) formView(w, h int) string {
	st := m.c.Styles
	labelW := 11
	valW := max(4, w-labelW-2)
	var lines []string
	title := "Run"
	if m.focus == paneForm {
		title = "▸ Run"
	}
	lines = append(lines, st.Panel.Title.Render(title))
	target := "—"
	if m.target >= 0 && m.target < len(m.cols) {
		target = m.cols[m.target]
	}
	for f := field(0); f < numFields; f++ {
		var val string
		switch f {
		case fieldTarget:
			val = "‹ " + target + " ›"
		case fieldModel:
			val = "‹ " + models.Names()[m.model] + " ›"
		case fieldValidation:
			val = "‹ " + valOptions[m.valIdx].label + " ›"
		case fieldPrep:
			val = "‹ " + m.prepLabel() + " ›"
		default:
			in := m.inputs[f.input()]
			in.Width = valW - 1
			val = in.View()
		}
		label := st.Panel.Label.Render(pad(f.String(), labelW))
		marker := "  "
		if m.focus == paneForm && m.field == f {
			marker = st.Table.CursorCol.Render("› ")
			if f.input() < 0 {
				val = st.Table.CursorCol.Render(ansi.Truncate(val, valW, "…"))
			}
		}
		lines = append(lines, marker+label+ansi.Truncate(val, valW, "…"))
	}
	lines = append(lines, m.prepLine(w))
	switch {
	case m.formErr != "":
		lines = append(lines, st.Bad.Render(ansi.Truncate(m.formErr, w, "…")))
	case m.editing:
		lines = append(lines, st.Muted.Render("enter/esc: done"))
	default:
		lines = append(lines, st.Muted.Render("t: train"+queueText(len(m.queue))))
	}
	return strings.Join(lines, "\n")
}

// prepLabel is the pipeline field's value: the mode, and what auto
// resolved to ("auto: saved").
func (m *Model) prepLabel() string {
	mode := etrain.PrepModes[m.prepIdx]
	if mode == etrain.PrepAuto && m.prep != nil {
		return "auto: " + m.prep.Resolved.String()
	}
	return mode.String()
}

// prepLine says what the pipeline and features resolve to: "↳ customers.json
// · topk-8 (8 cols)", or why they do not.
func (m *Model) prepLine(w int) string {
	st := m.c.Styles
	if m.prepErr != nil {
		return st.Bad.Render(ansi.Truncate("↳ "+strings.TrimPrefix(m.prepErr.Error(), "train: "), w, "…"))
	}
	p := m.prep
	if p == nil {
		return ""
	}
	pipe := "default pipeline"
	switch p.Resolved {
	case etrain.PrepSaved:
		pipe = path.Base(p.PipelineFile)
	case etrain.PrepRaw:
		pipe = "no pipeline"
	}
	feats := "all columns"
	if p.Selection != nil {
		feats = fmt.Sprintf("%s (%d cols)", strings.TrimSuffix(path.Base(p.SelectionFile), ".json"), len(p.Selection.Features))
	}
	return st.Muted.Render(ansi.Truncate("↳ "+pipe+" · "+feats, w, "…"))
}

func queueText(n int) string {
	if n == 0 {
		return ""
	}
	return fmt.Sprintf(" · %d queued", n)
}

// liveView renders the running run: fold bars and the live curve.
func (m *Model) liveView(w, h int) string {
	st := m.c.Styles
	r := m.run
	if r == nil {
		lines := []string{st.Panel.Title.Render("Progress"), st.Muted.Render("no run in progress")}
		if m.note != "" {
			lines = append(lines, st.Muted.Render(ansi.Truncate(m.note, w, "…")))
		}
		return strings.Join(lines, "\n")
	}
	k := len(r.folds)
	done := 0
	for _, f := range r.folds {
		if f.done {
			done++
		}
	}
	stage := fmt.Sprintf("fold %d/%d", min(r.cur+1, max(k, 1)), max(k, 1))
	if r.final {
		stage = "final fit on all rows"
	}
	lines := []string{ansi.Truncate(st.Panel.Title.Render(r.req.label())+st.Muted.Render(" · "+stage), w, "…")}
	lines = append(lines, m.foldBars(w))
	var scores []string
	for _, f := range r.folds {
		if f.done {
			scores = append(scores, fmtMetric(f.score))
		}
	}
	if len(scores) > 0 {
		lines = append(lines, st.Muted.Render(ansi.Truncate(m.metricFor(map[string]float64{m.metric: 0})+": "+strings.Join(scores, " "), w, "…")))
	}
	chartH := h - len(lines) - 1
	lines = append(lines, m.chart(w, chartH))
	return strings.Join(lines, "\n")
}

// foldBars draws one small progress bar per fold, or, when they do not fit,
// one bar over the folds and one for the current fold.
func (m *Model) foldBars(w int) string {
	st := m.c.Styles
	r := m.run
	k := len(r.folds)
	frac := func(f foldState) float64 {
		switch {
		case f.done:
			return 1
		case !f.started:
			return 0
		case r.req.expected > 0:
			return math.Min(1, float64(f.iters)/float64(r.req.expected))
		}
		return 0.5
	}
	if k == 0 {
		return st.Muted.Render("starting…")
	}
	bw := (w-6)/k - 1
	if bw >= 3 {
		var parts []string
		for _, f := range r.folds {
			p := st.NewProgress(bw)
			parts = append(parts, p.ViewAs(frac(f)))
		}
		return "folds " + strings.Join(parts, " ")
	}
	done := 0
	for _, f := range r.folds {
		if f.done {
			done++
		}
	}
	half := max(4, (w-24)/2)
	all := st.NewProgress(half).ViewAs(float64(done) / float64(k))
	cur := ""
	if r.cur >= 0 && r.cur < k {
		cur = st.NewProgress(half).ViewAs(frac(r.folds[r.cur]))
	}
	return fmt.Sprintf("%d/%d %s  fold %s", done, k, all, cur)
}

// chart plots the current fit's training and validation loss.
func (m *Model) chart(w, h int) string {
	st := m.c.Styles
	r := m.run
	if h < 3 {
		return ""
	}
	var tr, va []float64
	for _, p := range r.curve {
		if !math.IsNaN(p.Train) && !math.IsInf(p.Train, 0) {
			tr = append(tr, p.Train)
		}
		if !math.IsNaN(p.Valid) && !math.IsInf(p.Valid, 0) {
			va = append(va, p.Valid)
		}
	}
	var series [][]float64
	var names []string
	if len(tr) > 1 {
		series, names = append(series, tr), append(names, fmt.Sprintf("train %.4g", tr[len(tr)-1]))
	}
	if len(va) > 1 {
		series, names = append(series, va), append(names, fmt.Sprintf("valid %.4g", va[len(va)-1]))
	}
	if len(series) == 0 {
		return st.Muted.Render("waiting for the first iterations…")
	}
	g := asciigraph.PlotMany(series, asciigraph.Height(max(1, h-2)), asciigraph.Width(max(4, w-12)), asciigraph.Precision(3))
	caption := fmt.Sprintf("loss per iteration (%d): %s", len(r.curve), strings.Join(names, " · "))
	var out []string
	for _, l := range strings.Split(g, "\n") {
		out = append(out, st.Panel.Bar.Render(ansi.Truncate(l, w, "")))
	}
	out = append(out, st.Muted.Render(ansi.Truncate(caption, w, "…")))
	return strings.Join(out, "\n")
}

// boardView renders the leaderboard.
func (m *Model) boardView(w, h int) string {
	st := m.c.Styles
	title := "Runs"
	if m.focus == paneBoard {
		title = "▸ Runs"
	}
	sub := fmt.Sprintf(" by %s · space marks · c compares", orDash(m.metric))
	if m.c.Workspace == nil {
		sub += " · not saved (no workspace)"
	}
	lines := []string{st.Panel.Title.Render(title) + st.Muted.Render(ansi.Truncate(sub, max(0, w-len(title)), "…"))}
	if len(m.runs) == 0 {
		lines = append(lines, st.Muted.Render("No runs yet — press t to train"))
		return strings.Join(lines, "\n")
	}
	idW, modelW, valW, metW, timeW := 11, 7, 18, 17, 7
	sparkW := max(0, w-2-3-idW-modelW-valW-metW-timeW-7)
	hdr := "  " + padLeft("#", 3) + " " + pad("run", idW) + " " + pad("model", modelW) + " " + pad("validation", valW) + " " +
		padLeft(orDash(m.metric)+" ± std", metW) + " " + padLeft("time", timeW) + " " + "folds"
	lines = append(lines, st.Table.Header.Render(ansi.Truncate(hdr, w, "")))
	rows := h - 2
	if m.cur < m.top {
		m.top = m.cur
	}
	if rows > 0 && m.cur >= m.top+rows {
		m.top = m.cur - rows + 1
	}
	for i := m.top; i < len(m.runs) && i < m.top+rows; i++ {
		r := m.runs[i]
		met, ok := r.Metric(m.metric)
		val := "—"
		if ok {
			val = fmtMetric(float64(met.Mean)) + " ± " + fmtMetric(float64(met.Std))
			if math.IsNaN(float64(met.Std)) {
				val = fmtMetric(float64(met.Mean))
			}
		}
		mark := "  "
		for j, id := range m.marked {
			if id == r.ID {
				mark = string(rune('A'+j)) + " "
			}
		}
		id := r.ID
		if len(id) > 9 {
			id = id[9:]
		}
		spark := sparkline(met.Folds)
		line := mark + padLeft(fmt.Sprint(i+1), 3) + " " + pad(id, idW) + " " + pad(r.Model, modelW) + " " +
			pad(r.Validation.Description, valW) + " " + padLeft(val, metW) + " " + padLeft(fmtSeconds(r.Timings.Total), timeW) + " " +
			ansi.Truncate(spark, sparkW, "…")
		line = ansi.Truncate(line, w, "")
		if m.focus == paneBoard && i == m.cur {
			line = st.Table.CursorCell.Render(pad(line, w))
		}
		lines = append(lines, line)
	}
	return strings.Join(lines, "\n")
}

func fmtSeconds(s float64) string {
	switch {
	case s < 60:
		return fmt.Sprintf("%.1fs", s)
	case s < 3600:
		return fmt.Sprintf("%dm%02ds", int(s)/60, int(s)%60)
	}
	return fmt.Sprintf("%dh%02dm", int(s)/3600, int(s)%3600/60)
}

// compareView renders the two marked runs side by side.
func (m *Model) compareView(w, h int) string {
	st := m.c.Styles
	c := m.compare
	short := func(id string) string {
		if len(id) > 9 {
			return id[9:]
		}
		return id
	}
	lines := []string{st.Panel.Title.Render("Compare") + st.Muted.Render(ansi.Truncate(fmt.Sprintf(" A %s %s · B %s %s · c closes",
		short(c.A.ID), c.A.Model, short(c.B.ID), c.B.Model), max(0, w-7), "…"))}
	nameW, colW := 18, 19
	lines = append(lines, st.Table.Header.Render(ansi.Truncate(pad("metric", nameW)+" "+padLeft("A", colW)+" "+padLeft("B", colW)+" "+padLeft("B − A", 9)+"  better", w, "")))
	for _, d := range c.Metrics {
		better := ""
		switch d.Better {
		case "a":
			better = st.Good.Render("A")
		case "b":
			better = st.Good.Render("B")
		}
		diff := "—"
		if f := float64(d.Diff); !math.IsNaN(f) && !math.IsInf(f, 0) {
			diff = fmt.Sprintf("%+.4f", f)
		}
		lines = append(lines, ansi.Truncate(pad(d.Name, nameW)+" "+padLeft(fmtMetric(float64(d.A))+" ± "+fmtMetric(float64(d.StdA)), colW)+" "+
			padLeft(fmtMetric(float64(d.B))+" ± "+fmtMetric(float64(d.StdB)), colW)+" "+padLeft(diff, 9)+"  "+better, w, ""))
	}
	diffs := append([]string(nil), c.Differences...)
	for _, p := range c.Params {
		diffs = append(diffs, fmt.Sprintf("%s %s→%s", p.Name, orDash(p.A), orDash(p.B)))
	}
	if len(diffs) > 0 {
		lines = append(lines, st.Muted.Render(ansi.Truncate("differs: "+strings.Join(diffs, "; "), w, "…")))
	}
	if len(lines) > h {
		// Keep the differences line visible: drop metric rows from the end.
		last := lines[len(lines)-1]
		lines = append(lines[:h-1], last)
	}
	return strings.Join(lines, "\n")
}

// curveOf is kept for tests: the live curve of the running fit.
func (m *Model) curveOf() []etrain.Point {
	if m.run == nil {
		return nil
	}
	return m.run.curve
}
