package evaluate

import (
	"fmt"
	"math"
	"strconv"
	"strings"

	"github.com/charmbracelet/lipgloss"
	"github.com/mlwb/mlwb/engine/metrics"
	"github.com/mlwb/mlwb/engine/report"
	"github.com/mlwb/mlwb/workspace"
)

// View implements tea.Model; the frame is built in render.
func (m *Model) View() string { return m.content }

// render rebuilds the cached view (called whenever data or size change).
func (m *Model) render() {
	if m.w <= 0 || m.h <= 0 {
		m.content = ""
		return
	}
	st := m.c.Styles
	lw := min(30, max(18, m.w/4))
	rw := m.w - lw - 1
	left := m.renderRuns(lw, m.h)
	var right string
	switch {
	case m.c.Workspace == nil:
		right = st.Empty.Render("Open a workspace to evaluate its runs.")
	case m.loading != "":
		right = st.Muted.Render(fmt.Sprintf("Evaluating run %s (metrics, %d bootstrap replicates, fairness, slices)…", m.loading, Bootstrap))
	case m.ev == nil:
		right = st.Empty.Render("Pick a run and press enter to evaluate it.")
	default:
		right = m.renderRight(rw, m.h)
	}
	right = fit(right, rw, m.h)
	sep := strings.TrimSuffix(strings.Repeat(st.Muted.Render("│")+"\n", m.h), "\n")
	m.content = lipgloss.JoinHorizontal(lipgloss.Top, fit(left, lw, m.h), sep, right)
}

// fit cuts s to w columns and h lines and pads it to exactly that box.
func fit(s string, w, h int) string {
	lines := strings.Split(s, "\n")
	if len(lines) > h {
		lines = lines[:h]
	}
	for i, l := range lines {
		if lipgloss.Width(l) > w {
			l = cut(l, w)
		}
		lines[i] = l + strings.Repeat(" ", max(0, w-lipgloss.Width(l)))
	}
	for len(lines) < h {
		lines = append(lines, strings.Repeat(" ", w))
	}
	return strings.Join(lines, "\n")
}

// cut truncates a possibly styled line to w columns.
func cut(s string, w int) string {
	var b strings.Builder
	n := 0
	inEsc := false
	for _, r := range s {
		switch {
		case r == 0x1b:
			inEsc = true
		case inEsc:
			if r >= 0x40 && r <= 0x7e && r != '[' {
				inEsc = false
			}
		default:
			if n >= w {
				continue
			}
			n += lipgloss.Width(string(r))
		}
		if !inEsc && n > w {
			break
		}
		b.WriteRune(r)
	}
	return b.String()
}

func (m *Model) renderRuns(w, h int) string {
	st := m.c.Styles
	var b strings.Builder
	b.WriteString(st.Title.Render("Runs") + "\n")
	if len(m.runs) == 0 {
		b.WriteString(st.Empty.Render("No runs yet: train one on the Train screen or with mlwb train."))
		for _, x := range m.warn {
			b.WriteString("\n" + st.Warn.Render(x))
		}
		return wrapPlain(b.String(), w)
	}
	metric := m.metricName()
	top := max(0, m.cursor-(h-3)+1)
	for i := top; i < len(m.runs) && i-top < h-2; i++ {
		r := m.runs[i]
		val := ""
		if mm, ok := r.Metric(metric); ok {
			val = report.Num(float64(mm.Mean))
		}
		id := r.ID
		if len(id) > 15 {
			id = id[4:15] // MMDD-HHMMSS: unique enough on screen
		}
		line := fmt.Sprintf("%-11s %-6s %s", id, truncate(r.Model, 6), val)
		mark := " "
		if m.ev != nil && m.ev.Run.ID == r.ID {
			mark = "•"
		}
		if m.marked != nil && m.marked.Run.ID == r.ID {
			mark = "A"
		}
		line = cut(mark+line, w)
		if i == m.cursor {
			line = st.Table.CursorRow.Render(line + strings.Repeat(" ", max(0, w-lipgloss.Width(line))))
		}
		b.WriteString(line + "\n")
	}
	b.WriteString(st.Muted.Render(cut(fmt.Sprintf("%d runs · by %s", len(m.runs), metric), w)))
	return b.String()
}

// metricName is the metric the run list is ranked by: the card's, or the
// primary metric of the newest run's task.
func (m *Model) metricName() string {
	name := ""
	if ws := m.c.Workspace; ws != nil {
		name = ws.Card().Metric.Name
	}
	if name == "" && len(m.runs) > 0 {
		_, name = workspace.Leaderboard(m.runs, "")
	}
	return name
}

func wrapPlain(s string, w int) string {
	return lipgloss.NewStyle().Width(w).Render(s)
}

func (m *Model) renderRight(w, h int) string {
	st := m.c.Styles
	ev := m.ev
	var tabs []string
	for p := range numPanes {
		name := p.String()
		if p == m.pane {
			tabs = append(tabs, st.Header.ActiveTab.Render(name))
		} else {
			tabs = append(tabs, st.Muted.Render(name))
		}
	}
	head := fmt.Sprintf("%s %s · %s · %d rows", ev.Run.Model, ev.Run.ID, ev.Source, ev.Report.N)
	var b strings.Builder
	b.WriteString(strings.Join(tabs, " ") + "\n")
	b.WriteString(st.Muted.Render(cut(head, w)) + "\n")
	body := h - 3
	switch m.pane {
	case PaneMetrics:
		b.WriteString(m.viewMetrics(w, body))
	case PaneCurves:
		if len(m.charts) == 0 {
			b.WriteString(st.Empty.Render("No curves for this run (they need a binary run with scores, or a regression)."))
		} else {
			b.WriteString(plot(st, m.charts[m.curve], w, body))
		}
	case PaneThreshold:
		b.WriteString(m.viewThreshold(w, body))
	case PaneFairness:
		b.WriteString(m.viewFairness(w, body))
	case PaneSlices:
		b.WriteString(m.viewSlices(w, body))
	case PaneExplain:
		b.WriteString(m.viewExplain(w, body))
	case PaneChecks:
		b.WriteString(m.viewChecks(w, body))
	}
	out := fit(b.String(), w, h-1)
	status := m.status
	if status == "" && len(ev.Warnings) > 0 {
		status = "warning: " + ev.Warnings[0]
	}
	return out + "\n" + st.Muted.Render(cut(status, w))
}

// columns renders rows as aligned columns (the first left-aligned).
func columns(rows [][]string) []string {
	var width []int
	for _, r := range rows {
		for j, c := range r {
			if j >= len(width) {
				width = append(width, 0)
			}
			width[j] = max(width[j], lipgloss.Width(c))
		}
	}
	out := make([]string, len(rows))
	for i, r := range rows {
		var b strings.Builder
		for j, c := range r {
			p := strings.Repeat(" ", width[j]-lipgloss.Width(c))
			if j == 0 {
				b.WriteString(c + p)
			} else {
				b.WriteString("  " + p + c)
			}
		}
		out[i] = b.String()
	}
	return out
}

func (m *Model) viewMetrics(w, h int) string {
	ev := m.ev
	rep := ev.Report
	rows := [][]string{{"metric", "value", "95% CI"}}
	if m.marked != nil {
		rows[0] = append(rows[0], "A "+m.marked.Run.Model, "Δ vs A")
	}
	for _, n := range rep.Names {
		r := []string{n, report.Num(rep.Values[n]), ciText(rep.CI, n)}
		if m.marked != nil {
			a, ok := m.marked.Report.Values[n]
			if !ok {
				a = math.NaN()
			}
			r = append(r, report.Num(a), report.Num(rep.Values[n]-a))
		}
		rows = append(rows, r)
	}
	lines := columns(rows)
	lines[0] = m.c.Styles.Table.Header.Render(lines[0])
	paired := ""
	if m.marked != nil && h > 2 {
		// The paired comparison with A goes above the table.
		paired, h = m.pairedLine(w), h-1
	}
	if len(lines) > h {
		more := len(lines) - h + 1
		lines = append(lines[:h-1], m.c.Styles.Muted.Render(fmt.Sprintf("… %d more (all in the report: e)", more)))
	}
	if c := rep.Confusion; c != nil && c.K() <= 6 {
		cm := [][]string{append([]string{"true\\pred"}, c.Labels...)}
		for i, l := range c.Labels {
			r := []string{l}
			for j := range c.K() {
				r = append(r, strconv.FormatFloat(c.At(i, j), 'f', -1, 64))
			}
			cm = append(cm, r)
		}
		cml := columns(cm)
		mw := 0
		for _, l := range lines {
			mw = max(mw, lipgloss.Width(l))
		}
		if mw+4+lipgloss.Width(cml[0]) <= w {
			for i := range cml {
				if i+1 < len(lines) {
					lines[i+1] = lines[i+1] + strings.Repeat(" ", mw-lipgloss.Width(lines[i+1])+4) + cml[i]
				}
			}
			lines[0] += strings.Repeat(" ", mw-lipgloss.Width(lines[0])+4) + m.c.Styles.Muted.Render(fmt.Sprintf("confusion at %s", report.Num(rep.Threshold)))
		}
	}
	if paired != "" {
		lines = append([]string{paired}, lines...)
	}
	return strings.Join(lines, "\n")
}

func ciText(ci map[string]metrics.Interval, n string) string {
	if ci == nil {
		return ""
	}
	iv := ci[n]
	if math.IsNaN(iv.Lo) {
		return "—"
	}
	return "[" + report.Num(iv.Lo) + ", " + report.Num(iv.Hi) + "]"
}

func (m *Model) viewThreshold(w, h int) string {
	st := m.c.Styles
	ev := m.ev
	if ev.Report.Ranking == nil {
		return st.Empty.Render("The threshold analysis needs a binary run with scores.")
	}
	p := m.point
	var info []string
	info = append(info, fmt.Sprintf("threshold %s   (←/→ move, b best, s save)", report.Num(m.t)))
	cm := columns([][]string{{"", "pred " + ev.Report.Classes[0], "pred " + ev.Report.Classes[1]},
		{"true " + ev.Report.Classes[0], fmt.Sprint(p.TN), fmt.Sprint(p.FP)},
		{"true " + ev.Report.Classes[1], fmt.Sprint(p.FN), fmt.Sprint(p.TP)}})
	info = append(info, cm...)
	line := fmt.Sprintf("precision %s  recall %s  F1 %s  FPR %s", report.Num(p.Precision), report.Num(p.Recall), report.Num(p.F1), report.Num(p.FPR))
	info = append(info, line)
	if ev.HasPayoff {
		info = append(info, fmt.Sprintf("profit per 1,000 predictions %s", money(p.Per1000)))
		if b := ev.Best; b != nil {
			info = append(info, st.Good.Render(fmt.Sprintf("best threshold %s: %s per 1,000", report.Num(b.Threshold), money(b.Per1000)))+
				st.Muted.Render(fmt.Sprintf(" (precision %s, recall %s)", report.Num(b.Precision), report.Num(b.Recall))))
		}
	} else {
		info = append(info, st.Muted.Render("no business values on the card: profit not shown"))
	}
	if ev.Saved != nil {
		info = append(info, st.Muted.Render("saved threshold "+report.Num(ev.Saved.Threshold)))
	}
	ch := h - len(info) - 1
	var chart string
	if ch >= 6 {
		var c report.Chart
		for _, x := range m.charts {
			if strings.HasPrefix(x.Title, "Profit") || (!ev.HasPayoff && strings.HasPrefix(x.Title, "KS")) {
				c = x
			}
		}
		if c.Series != nil {
			c.MarkX = m.t
			chart = plot(st, c, w, ch) + "\n"
		}
	}
	return chart + strings.Join(info, "\n")
}

func money(v float64) string {
	if math.IsNaN(v) {
		return "—"
	}
	return strconv.FormatFloat(v, 'f', 0, 64)
}

func (m *Model) viewFairness(w, h int) string {
	st := m.c.Styles
	if len(m.fair) == 0 {
		if len(m.ev.Card.Privacy.SensitiveAttributes) == 0 {
			return st.Empty.Render("The card names no sensitive columns ([privacy] sensitive_attributes).")
		}
		if len(m.ev.ClassFairness) > 0 {
			return m.viewClassFairness(w)
		}
		if len(m.ev.RegressionFairness) > 0 {
			return m.viewRegressionFairness()
		}
		return st.Empty.Render("Fairness needs the run's data rows (they could not be loaded).")
	}
	var lines []string
	lines = append(lines, st.Muted.Render(fmt.Sprintf("at threshold %s (←/→ move)", report.Num(m.t))))
	for _, f := range m.fair {
		lines = append(lines, st.Title.Render("across "+f.Column))
		rows := [][]string{{"group", "count", "sel.", "TPR", "FPR", "prec.", "acc."}}
		for _, g := range f.Groups {
			rows = append(rows, []string{truncate(g.Group, 14), strconv.FormatFloat(g.Count, 'f', -1, 64), report.Num(g.SelectionRate),
				report.Num(g.TPR), report.Num(g.FPR), report.Num(g.Precision), report.Num(g.Accuracy)})
		}
		tl := columns(rows)
		bw := w - lipgloss.Width(tl[0]) - 3
		for i, g := range f.Groups {
			if bw >= 4 && !math.IsNaN(g.SelectionRate) {
				tl[i+1] += "  " + st.Panel.Bar.Render(strings.Repeat("█", int(math.Round(g.SelectionRate*float64(bw)))))
			}
		}
		tl[0] = st.Table.Header.Render(tl[0])
		lines = append(lines, tl...)
		ratio := "ratio " + report.Num(f.DemographicParityRatio)
		if f.FourFifthsViolated {
			ratio = st.Bad.Render(ratio + " < 0.8 (four-fifths rule)")
		}
		lines = append(lines, fmt.Sprintf("demographic parity: difference %s, %s", report.Num(f.DemographicParityDifference), ratio),
			fmt.Sprintf("equalized odds diff. %s, equal opportunity diff. %s", report.Num(f.EqualizedOddsDifference), report.Num(f.EqualOpportunityDifference)))
	}
	return strings.Join(lines, "\n")
}

func (m *Model) viewSlices(w, h int) string {
	st := m.c.Styles
	if len(m.ev.Slices) == 0 {
		return st.Empty.Render("No slices (the run's data rows could not be loaded, or all slices are small).")
	}
	rows := [][]string{{"feature", "value", "rows", m.ev.Metric, "Δ"}}
	for i, s := range m.ev.Slices {
		if i >= h-2 {
			break
		}
		rows = append(rows, []string{truncate(s.Feature, 18), truncate(s.Value, 18), strconv.Itoa(s.Count), report.Num(s.Metric), report.Num(s.Delta)})
	}
	lines := columns(rows)
	lines[0] = st.Table.Header.Render(lines[0])
	return st.Muted.Render("worst first") + "\n" + strings.Join(lines, "\n")
}

func (m *Model) viewChecks(w, h int) string {
	st := m.c.Styles
	if len(m.checks) == 0 {
		return st.Empty.Render("The card sets no metric threshold or fairness limits to check.")
	}
	var lines []string
	for _, c := range m.checks {
		mark := st.Good.Render("PASS")
		if !c.Pass {
			mark = st.Bad.Render("FAIL")
		}
		lines = append(lines, fmt.Sprintf("%s  %s (%s)", mark, c.Detail, report.Num(c.Value)))
	}
	return strings.Join(lines, "\n")
}

func (m *Model) viewExplain(w, h int) string {
	st := m.c.Styles
	ex := m.ev.Explain
	switch {
	case m.exJob.ID != 0:
		return st.Muted.Render("Computing permutation importance and partial dependence…")
	case ex == nil:
		return st.Empty.Render("Press x for permutation importance and partial dependence (the run's model on up to 2000 rows).")
	}
	lines := []string{st.Muted.Render(cut(fmt.Sprintf("importance: drop of %s when shuffled, %d rows, %s", ex.Score, ex.Rows, ex.Note), w))}
	rows := [][]string{}
	top := 0.0
	for _, im := range ex.Importance {
		top = math.Max(top, im.Mean)
	}
	n := min(len(ex.Importance), max(3, (h-1)/2-1))
	for i := range n {
		im := ex.Importance[i]
		name := truncate(im.Feature, 18)
		if i == m.feature {
			name = "▸" + name
		} else {
			name = " " + name
		}
		rows = append(rows, []string{name, report.Num(im.Mean), "± " + report.Num(im.Std)})
	}
	tl := columns(rows)
	bw := w - lipgloss.Width(tl[0]) - 3
	for i := range n {
		if v := ex.Importance[i].Mean; bw >= 4 && top > 0 && v > 0 {
			tl[i] += "  " + st.Panel.Bar.Render(strings.Repeat("█", max(1, int(math.Round(v/top*float64(bw))))))
		}
	}
	lines = append(lines, tl...)
	if len(ex.Robustness) > 0 {
		parts := []string{"robustness " + ex.Score + " " + report.Num(ex.Base) + ":"}
		for _, r := range ex.Robustness {
			what := fmt.Sprintf("noise %gsd", r.Level)
			switch r.Kind {
			case "missing":
				what = fmt.Sprintf("%g%% NA", 100*r.Level)
			case "swap":
				what = fmt.Sprintf("%g%% swap", 100*r.Level)
			}
			parts = append(parts, what+" "+report.Num(r.Score))
		}
		if ex.RobustNote != "" {
			parts = append(parts, "(no NA: the model refuses missing values)")
		}
		lines = append(lines, st.Muted.Render(cut(strings.Join(parts, " "), w)))
	}
	if len(ex.Importance) > 0 {
		f := ex.Importance[min(m.feature, len(ex.Importance)-1)].Feature
		if c, ok := report.PDChart(ex, f); ok && h-len(lines) >= 6 {
			lines = append(lines, plot(st, c, w, h-len(lines)))
		} else {
			lines = append(lines, st.Muted.Render("no partial dependence for "+f))
		}
	}
	return strings.Join(lines, "\n")
}

// pairedLine is the paired comparison of the marked run A with the
// evaluated run B on the card's metric: B − A mean ± sd over the folds and
// the corrected resampled t-test's p, or why the runs cannot be paired.
func (m *Model) pairedLine(w int) string {
	var card workspace.Card
	if ws := m.c.Workspace; ws != nil {
		card = ws.Card()
	}
	a, b := m.marked.Run, m.ev.Run
	metric := report.CompareMetric(card, a, b)
	p := report.PairedComparison(a, b, metric)
	st := m.c.Styles
	if !p.OK {
		return st.Muted.Render(cut("vs A: not paired: "+p.Reason, w))
	}
	verdict := "no significant difference"
	if p.P < 0.05 {
		verdict = "B better"
		if p.Better == "a" {
			verdict = "A better"
		}
	}
	text := fmt.Sprintf("vs A: %s · %s Δ %s ± %s, %d paired folds, p %s (corrected t)", verdict, metric,
		signedNum(p.Mean), report.Num(p.Std), len(p.Diffs), report.Num(p.P))
	if p.P < 0.05 {
		return st.Good.Render(cut(text, w))
	}
	return st.Muted.Render(cut(text, w))
}

func signedNum(v float64) string {
	if v >= 0 {
		return "+" + report.Num(v)
	}
	return report.Num(v)
}

// viewClassFairness shows a multiclass run's fairness one-vs-rest: per
// group and class the selection rate, TPR and FPR, and the worst class's
// gaps.
func (m *Model) viewClassFairness(w int) string {
	st := m.c.Styles
	lines := []string{st.Muted.Render(cut("one-vs-rest per class on the most probable class; gaps are the worst class's", w))}
	for _, f := range m.ev.ClassFairness {
		lines = append(lines, st.Title.Render("across "+f.Column))
		rows := [][]string{{"group", "class", "count", "sel.", "TPR", "FPR"}}
		for k, pc := range f.PerClass {
			for _, g := range pc.Groups {
				rows = append(rows, []string{truncate(g.Group, 14), truncate(f.Classes[k], 12), strconv.FormatFloat(g.Count, 'f', -1, 64),
					report.Num(g.SelectionRate), report.Num(g.TPR), report.Num(g.FPR)})
			}
		}
		tl := columns(rows)
		tl[0] = st.Table.Header.Render(tl[0])
		lines = append(lines, tl...)
		ratio := "ratio " + report.Num(f.DemographicParityRatio)
		if f.FourFifthsViolated {
			ratio = st.Bad.Render(ratio + " < 0.8 (four-fifths rule)")
		}
		lines = append(lines, fmt.Sprintf("max over classes: parity difference %s, %s", report.Num(f.DemographicParityDifference), ratio),
			fmt.Sprintf("equalized odds diff. %s, equal opportunity diff. %s", report.Num(f.EqualizedOddsDifference), report.Num(f.EqualOpportunityDifference)))
	}
	return strings.Join(lines, "\n")
}

// viewRegressionFairness shows a regression's groups: mean prediction,
// mean target and MAE, and the largest differences between groups.
func (m *Model) viewRegressionFairness() string {
	st := m.c.Styles
	var lines []string
	for _, f := range m.ev.RegressionFairness {
		lines = append(lines, st.Title.Render("across "+f.Column))
		rows := [][]string{{"group", "count", "mean pred.", "mean target", "MAE"}}
		for _, g := range f.Groups {
			rows = append(rows, []string{truncate(g.Group, 14), strconv.FormatFloat(g.Count, 'f', -1, 64), report.Num(g.MeanPrediction),
				report.Num(g.MeanTarget), report.Num(g.MAE)})
		}
		tl := columns(rows)
		tl[0] = st.Table.Header.Render(tl[0])
		lines = append(lines, tl...)
		lines = append(lines, fmt.Sprintf("difference between groups: mean prediction %s, MAE %s", report.Num(f.MeanPredictionDifference), report.Num(f.MAEDifference)))
	}
	return strings.Join(lines, "\n")
}
