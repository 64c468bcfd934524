package profile

import (
	"fmt"
	"math"
	"slices"
	"strings"
	"time"

	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/ansi"
	"github.com/mlwb/mlwb/engine/profile"
	"github.com/mlwb/mlwb/themes"
	"github.com/mlwb/mlwb/ui"
)

// Layout constants, in cells.
const (
	// SideBySideWidth is the screen width from which the side pane sits
	// right of the table instead of under it.
	SideBySideWidth = 110
	sideMinWidth    = 46
	maxNameWidth    = 24
	heatCell        = 4 // "+.82"
)

// severity orders badges: bad first.
type severity int

const (
	sevBad severity = iota
	sevWarn
	sevInfo
)

// badges maps each alert kind to its short tag and severity.
var badges = map[profile.Kind]struct {
	tag string
	sev severity
}{
	profile.Leakage:              {"LEAK", sevBad},
	profile.PII:                  {"PII", sevBad},
	profile.Empty:                {"EMPTY", sevBad},
	profile.Constant:             {"CONST", sevBad},
	profile.Infinite:             {"INF", sevBad},
	profile.Unsupported:          {"MIXED", sevBad},
	profile.Missing:              {"MISS", sevWarn},
	profile.Skewed:               {"SKEW", sevWarn},
	profile.Outliers:             {"OUTL", sevWarn},
	profile.InconsistentCategory: {"INCON", sevWarn},
	profile.Imbalance:            {"IMBAL", sevWarn},
	profile.Zeros:                {"ZERO", sevWarn},
	profile.Duplicates:           {"DUP", sevWarn},
	profile.HighCardinality:      {"CARD", sevWarn},
	profile.Unique:               {"UNIQ", sevInfo},
	profile.Uniform:              {"UNIF", sevInfo},
	profile.HighCorrelation:      {"CORR", sevInfo},
	profile.ConstantLength:       {"LEN", sevInfo},
	profile.TypeDate:             {"DATE", sevInfo},
}

// Badge returns the short tag of an alert kind ("MISS" for MISSING).
func Badge(k profile.Kind) string {
	if b, ok := badges[k]; ok {
		return b.tag
	}
	return string(k)
}

func (m *Model) badgeStyle(k profile.Kind) lipgloss.Style {
	st := m.c.Styles.Badge
	switch badges[k].sev {
	case sevBad:
		return st.Bad
	case sevWarn:
		return st.Warn
	}
	return st.Info
}

// methods are the correlation matrices the heatmap cycles through.
var methods = []string{"pearson", "spearman", "cramers_v"}

func (m *Model) matrix() profile.Matrix {
	c := m.report.Correlations
	switch methods[m.method] {
	case "spearman":
		return c.Spearman
	case "cramers_v":
		return c.CramersV
	}
	return c.Pearson
}

// ---- layout ----

// sideBySide reports whether the side pane is right of the table.
func (m *Model) sideBySide() bool { return m.width >= SideBySideWidth }

func (m *Model) sideWidth() int {
	if !m.sideBySide() {
		return m.width
	}
	return max(sideMinWidth, m.width*2/5)
}

func (m *Model) tableWidth() int {
	if !m.sideBySide() {
		return m.width
	}
	return m.width - m.sideWidth() - 1
}

// tableRows is the number of table lines, header included.
func (m *Model) tableRows() int {
	h := max(0, m.height-1) // summary line
	if m.sideBySide() {
		return h
	}
	return min(len(m.order)+1, max(4, h*2/5))
}

func (m *Model) sideHeight() int {
	h := max(0, m.height-1)
	if m.sideBySide() {
		return h
	}
	return max(0, h-m.tableRows())
}

// ---- rendering ----

// refresh renders the screen into m.rendered.
func (m *Model) refresh() {
	m.rendered = m.render()
}

func (m *Model) render() string {
	st := m.c.Styles
	if m.width == 0 || m.height == 0 {
		return ""
	}
	if m.f == nil {
		text := EmptyText
		if m.name != "" {
			text = "Could not open " + m.name
		}
		return st.Empty.Render(ansi.Wrap(text, max(1, m.width-4), " "))
	}
	lines := []string{m.summary()}
	if m.nHave == 0 {
		msg := "profiling " + m.name + "…"
		if !m.running {
			msg = "no profile"
			if m.note != "" {
				msg = m.note
			}
		}
		if m.f.NumCols() == 0 {
			msg = "the dataset has no columns"
		}
		lines = append(lines, st.Empty.Render(msg))
		return fitBlock(strings.Join(lines, "\n"), m.width, m.height)
	}
	table := m.renderTable(m.tableWidth(), m.tableRows())
	side := m.renderSide(m.sideWidth(), m.sideHeight())
	if m.sideBySide() {
		sep := st.Muted.Render(strings.Repeat("│\n", max(0, m.tableRows()-1)) + "│")
		lines = append(lines, lipgloss.JoinHorizontal(lipgloss.Top,
			fitBlock(table, m.tableWidth(), m.tableRows()), sep, fitBlock(side, m.sideWidth(), m.sideHeight())))
	} else {
		lines = append(lines, fitBlock(table, m.width, m.tableRows()), side)
	}
	return fitBlock(strings.Join(lines, "\n"), m.width, m.height)
}

func (m *Model) summary() string {
	st := m.c.Styles
	sep := st.Glyphs.Sep
	parts := []string{st.Title.Render(m.name)}
	rows, cols := m.f.NumRows(), m.f.NumCols()
	parts = append(parts, fmt.Sprintf("%s rows × %d cols", ui.Thousands(int64(rows)), cols))
	if r := m.report; r != nil {
		parts = append(parts, fmt.Sprintf("%d alerts", len(r.Alerts)))
		if r.Duplicates > 0 {
			parts = append(parts, fmt.Sprintf("%s duplicates", ui.Thousands(int64(r.Duplicates))))
		}
	} else if m.running && m.nHave < cols {
		parts = append(parts, fmt.Sprintf("profiling %d/%d columns", m.nHave, cols))
	} else if m.running {
		parts = append(parts, "correlations and alerts…")
	}
	if m.target != "" {
		parts = append(parts, "target "+m.target)
	}
	if m.cached {
		parts = append(parts, "cached (r recomputes)")
	}
	if m.note != "" {
		parts = append(parts, st.Warn.Render(m.note))
	}
	return ansi.Truncate(strings.Join(parts, st.Status.Render(sep)), m.width, st.Glyphs.Ellipsis)
}

// nameWidth is the width of the frozen name column.
func (m *Model) nameWidth(tw int) int {
	w := 6
	for _, i := range m.order {
		w = max(w, ansi.StringWidth(m.cols[i].Name))
	}
	return min(w, maxNameWidth, max(6, tw/4))
}

// visibleFields lays out the scrollable fields from m.hLeft so that the
// focused header is shown; it returns their indices.
func (m *Model) visibleFields(avail int) []int {
	if m.hdr > 0 && m.hdr < m.hLeft {
		m.hLeft = m.hdr
	}
	m.hLeft = max(1, m.hLeft)
	fit := func(from int) []int {
		var out []int
		x := 0
		for j := from; j < len(fields); j++ {
			w := fields[j].width + 1
			if x+w > avail {
				break
			}
			out = append(out, j)
			x += w
		}
		return out
	}
	vis := fit(m.hLeft)
	for m.hdr > 0 && len(vis) > 0 && vis[len(vis)-1] < m.hdr && m.hLeft < m.hdr {
		m.hLeft++
		vis = fit(m.hLeft)
	}
	return vis
}

func (m *Model) renderTable(w, h int) string {
	st := m.c.Styles
	if h <= 0 || w <= 0 {
		return ""
	}
	nw := m.nameWidth(w)
	vis := m.visibleFields(w - 2 - nw)
	focused := m.focus == paneTable

	header := func(j int, width int) string {
		f := fields[j]
		title := f.title
		if j == m.sortBy {
			if m.desc {
				title += st.Glyphs.SortDesc
			} else {
				title += st.Glyphs.SortAsc
			}
		}
		text := align(title, width, f.right && j != fAlerts)
		if j == m.hdr && focused {
			return st.Table.CursorCol.Render(text)
		}
		return st.Table.Header.Render(text)
	}
	var b strings.Builder
	b.WriteString("  " + header(fName, nw))
	for _, j := range vis {
		b.WriteString(" " + header(j, fields[j].width))
	}

	// Body window around the cursor.
	rows := h - 1
	if m.cur < m.top {
		m.top = m.cur
	}
	if rows > 0 && m.cur >= m.top+rows {
		m.top = m.cur - rows + 1
	}
	m.top = max(0, min(m.top, len(m.order)-rows))
	for p := m.top; p < min(len(m.order), m.top+rows); p++ {
		i := m.order[p]
		onCur := p == m.cur
		var line strings.Builder
		mark := "  "
		if onCur {
			mark = "> "
		}
		line.WriteString(mark)
		line.WriteString(align(m.cols[i].Name, nw, false))
		for _, j := range vis {
			line.WriteByte(' ')
			if j == fAlerts {
				line.WriteString(m.badgeCell(i, fields[j].width, onCur))
				continue
			}
			line.WriteString(align(fields[j].text(m, i), fields[j].width, fields[j].right))
		}
		s := line.String()
		if onCur {
			if focused {
				s = st.Table.CursorCell.Render(ansi.Strip(s))
			} else {
				s = st.Table.CursorRow.Render(s)
			}
		}
		b.WriteString("\n" + s)
	}
	return b.String()
}

// badgeCell draws column i's alert tags in width cells.
func (m *Model) badgeCell(i, width int, plain bool) string {
	if m.report == nil {
		return strings.Repeat(" ", width)
	}
	as := slices.Clone(m.alerts[m.cols[i].Name])
	slices.SortStableFunc(as, func(a, b profile.Alert) int { return int(badges[a.Kind].sev) - int(badges[b.Kind].sev) })
	var tags []profile.Kind
	for _, a := range as {
		if !slices.Contains(tags, a.Kind) {
			tags = append(tags, a.Kind)
		}
	}
	var b strings.Builder
	used := 0
	for n, k := range tags {
		t := Badge(k)
		rest := len(tags) - n - 1
		more := ""
		if rest > 0 {
			more = fmt.Sprintf(" +%d", rest)
		}
		need := len(t)
		if used > 0 {
			need++
		}
		if used+need+len(more) > width && rest > 0 || used+need > width {
			more = fmt.Sprintf("+%d", len(tags)-n)
			if used > 0 {
				more = " " + more
			}
			if used+len(more) <= width {
				b.WriteString(moreStyle(m, plain).Render(more))
				used += len(more)
			}
			break
		}
		if used > 0 {
			b.WriteByte(' ')
		}
		if plain {
			b.WriteString(t)
		} else {
			b.WriteString(m.badgeStyle(k).Render(t))
		}
		used += need
	}
	return b.String() + strings.Repeat(" ", max(0, width-used))
}

func moreStyle(m *Model, plain bool) lipgloss.Style {
	if plain {
		return lipgloss.NewStyle()
	}
	return m.c.Styles.Muted
}

// renderSide draws the side pane: a tab line, then the chosen view.
func (m *Model) renderSide(w, h int) string {
	if h <= 0 {
		return ""
	}
	s := m.c.Styles
	tabs := []struct {
		v     sideView
		label string
	}{{viewDetail, "d detail"}, {viewCorr, "c correlations"}, {viewAlerts, "a alerts"}}
	var parts []string
	for _, t := range tabs {
		if t.v == m.view {
			style := s.Title
			if m.focus == paneSide {
				style = s.Table.CursorCol
			}
			parts = append(parts, style.Render("["+t.label+"]"))
		} else {
			parts = append(parts, s.Muted.Render(" "+t.label+" "))
		}
	}
	head := ansi.Truncate(strings.Join(parts, " "), w, s.Glyphs.Ellipsis)
	var body string
	switch {
	case m.view == viewDetail:
		if len(m.order) > 0 {
			body = m.renderDetail(m.selCol, w, h-1)
		}
	case m.report == nil:
		body = s.Muted.Render("available when the profile is complete")
	case m.view == viewCorr:
		body = m.renderCorr(w, h-1)
	default:
		body = m.renderAlerts(w, h-1)
	}
	return fitBlock(head+"\n"+body, w, h)
}

// item is a label and value in the detail pane.
type item struct{ label, value string }

// flow lays items out in lines of at most w cells.
func (m *Model) flow(items []item, w int) []string {
	s := m.c.Styles
	var lines []string
	var line strings.Builder
	used := 0
	for _, it := range items {
		n := ansi.StringWidth(it.label) + 1 + ansi.StringWidth(it.value)
		if used > 0 && used+2+n > w {
			lines = append(lines, line.String())
			line.Reset()
			used = 0
		}
		if used > 0 {
			line.WriteString("  ")
			used += 2
		}
		line.WriteString(s.Panel.Label.Render(it.label) + " " + s.Panel.Value.Render(it.value))
		used += n
	}
	if used > 0 {
		lines = append(lines, line.String())
	}
	return lines
}

func count(n int) string { return ui.Thousands(int64(n)) }

func (m *Model) detailItems(c *profile.ColumnReport) []item {
	items := []item{{"count", count(c.Count)}, {"missing", count(c.Missing)}, {"distinct", count(c.Distinct)}}
	if c.Missing > 0 {
		items[1].value += " (" + fmtPct(c.MissingPct) + ")"
	}
	switch {
	case c.Numeric != nil && c.Count > 0:
		s := c.Numeric
		items = append(items,
			item{"mean", fmtNum(s.Mean)}, item{"std", fmtNum(s.Std)},
			item{"min", fmtNum(s.Min)}, item{"p5", fmtNum(s.P5)}, item{"p25", fmtNum(s.P25)},
			item{"p50", fmtNum(s.P50)}, item{"p75", fmtNum(s.P75)}, item{"p95", fmtNum(s.P95)},
			item{"max", fmtNum(s.Max)}, item{"iqr", fmtNum(s.IQR)},
			item{"skew", fmtNum(s.Skewness)}, item{"kurt", fmtNum(s.Kurtosis)},
			item{"zeros", count(s.Zeros)}, item{"neg", count(s.Negatives)})
		if s.Infinite > 0 {
			items = append(items, item{"inf", count(s.Infinite)})
		}
		items = append(items, item{"outliers", fmt.Sprintf("%s iqr, %s z", count(s.OutliersIQR), count(s.OutliersRobustZ))})
		if s.Monotonicity != profile.MonotonicNone {
			items = append(items, item{"order", strings.ReplaceAll(s.Monotonicity.String(), "_", " ")})
		}
	case c.Text != nil && c.Count > 0:
		t := c.Text
		items = append(items,
			item{"entropy", fmtNum(t.Entropy) + " bits"}, item{"imbalance", fmt.Sprintf("%.3f", t.Imbalance)},
			item{"length", fmt.Sprintf("%d–%d (mean %.1f)", t.LengthMin, t.LengthMax, t.LengthMean)})
	case c.Bool != nil:
		items = append(items, item{"true", count(c.Bool.True)}, item{"false", count(c.Bool.False)},
			item{"imbalance", fmt.Sprintf("%.3f", c.Bool.Imbalance)})
	case c.Datetime != nil && c.Count > 0:
		d := c.Datetime
		items = append(items, item{"min", d.Min.Format(time.DateTime)}, item{"max", d.Max.Format(time.DateTime)},
			item{"range", days(d.Range)}, item{"largest gap", days(d.LargestGap)})
	}
	return items
}

func days(d time.Duration) string {
	if d >= 48*time.Hour {
		return fmt.Sprintf("%.1f days", d.Hours()/24)
	}
	return d.String()
}

func (m *Model) renderDetail(i, w, h int) string {
	s := m.c.Styles
	c := &m.cols[i]
	title := s.Title.Render(sanitize(c.Name)) + s.Muted.Render(" · "+c.Type.String())
	if m.target != "" && c.Name == m.target {
		title += s.Muted.Render(" · target")
	}
	// Stats and alerts on the left, the chart on the right when wide;
	// stacked otherwise.
	wide := w >= 72
	lw := w
	if wide {
		lw = min(38, w/2)
	}
	left := []string{ansi.Truncate(title, lw, s.Glyphs.Ellipsis)}
	left = append(left, m.flow(m.detailItems(c), lw)...)
	if a := m.target; a != "" && m.report != nil && m.report.Target != nil && c.Name != a {
		for _, as := range m.report.Target.Associations {
			if as.Column == c.Name && as.Method != "" {
				left = append(left, m.flow([]item{{"vs " + a, fmt.Sprintf("%s %s", as.Method, fmtNum(as.Value))}}, lw)...)
			}
		}
	}
	for _, a := range m.alerts[c.Name] {
		left = append(left, ansi.Truncate(m.badgeStyle(a.Kind).Render(Badge(a.Kind))+" "+s.Muted.Render(sanitize(a.Detail)), lw, s.Glyphs.Ellipsis))
	}
	if wide {
		chart := m.renderChart(c, w-lw-2, h)
		return lipgloss.JoinHorizontal(lipgloss.Top, fitBlock(strings.Join(left, "\n"), lw, h), "  ", chart)
	}
	rest := h - len(left) - 1
	if rest >= 3 {
		left = append(left, "", m.renderChart(c, w, rest))
	}
	return strings.Join(left, "\n")
}

// renderChart draws a histogram (numeric), top values (text) or the
// true/false split (bool) as horizontal bars in w×h cells.
func (m *Model) renderChart(c *profile.ColumnReport, w, h int) string {
	s := m.c.Styles
	type bar struct {
		label string
		n     int
	}
	var bars []bar
	title := ""
	switch {
	case c.Numeric != nil && len(c.Numeric.Histogram.Counts) > 0:
		hist := c.Numeric.Histogram
		k := len(hist.Counts)
		rows := max(1, h-1)
		g := (k + rows - 1) / rows
		title = fmt.Sprintf("histogram, %d bins", k)
		if g > 1 {
			title += fmt.Sprintf(" in %d rows", (k+g-1)/g)
		}
		for a := 0; a < k; a += g {
			n := 0
			for j := a; j < min(k, a+g); j++ {
				n += hist.Counts[j]
			}
			bars = append(bars, bar{fmtNum(hist.Edges[a]), n})
		}
	case c.Text != nil && len(c.Text.Top) > 0:
		title = "top values"
		for _, vc := range c.Text.Top {
			bars = append(bars, bar{vc.Value, vc.Count})
		}
	case c.Bool != nil:
		title = "values"
		bars = []bar{{"true", c.Bool.True}, {"false", c.Bool.False}}
	default:
		return s.Muted.Render("no chart")
	}
	if len(bars) > h-1 {
		bars = bars[:max(0, h-1)]
	}
	lw, maxN, nw := 0, 0, 0
	for _, b := range bars {
		lw = max(lw, ansi.StringWidth(sanitize(b.label)))
		maxN = max(maxN, b.n)
		nw = max(nw, len(count(b.n)))
	}
	lw = min(lw, max(4, w/3))
	barW := max(1, w-lw-nw-2)
	lines := []string{s.Muted.Render(title)}
	for _, b := range bars {
		n := 0
		if maxN > 0 {
			n = int(math.Round(float64(b.n) / float64(maxN) * float64(barW)))
		}
		if b.n > 0 && n == 0 {
			n = 1
		}
		right := c.Numeric != nil
		line := s.Panel.Label.Render(align(sanitize(b.label), lw, right)) + " " +
			s.Panel.Bar.Render(strings.Repeat(s.Glyphs.Bar, n)) + " " + s.Panel.Value.Render(count(b.n))
		lines = append(lines, line)
	}
	return strings.Join(lines, "\n")
}

// renderCorr draws the heatmap of the chosen matrix and the strongest
// pairs, side by side when wide.
func (m *Model) renderCorr(w, h int) string {
	s := m.c.Styles
	mat := m.matrix()
	wide := w >= 72
	hw := w
	if wide {
		hw = w * 11 / 20
	}
	heat := m.renderHeat(mat, hw, h)
	if wide {
		return lipgloss.JoinHorizontal(lipgloss.Top, fitBlock(heat, hw, h), "  ", m.renderPairs(w-hw-2, h))
	}
	hl := strings.Count(heat, "\n") + 1
	if h-hl-1 >= 3 {
		return heat + "\n\n" + m.renderPairs(w, h-hl-1)
	}
	_ = s
	return heat
}

func (m *Model) renderHeat(mat profile.Matrix, w, h int) string {
	s := m.c.Styles
	n := len(mat.Columns)
	title := fmt.Sprintf("%s (m: next)", methods[m.method])
	if n == 0 {
		return s.Muted.Render(title) + "\n" + s.Muted.Render("no eligible columns")
	}
	lw := 0
	for _, c := range mat.Columns {
		lw = max(lw, ansi.StringWidth(c))
	}
	digits := len(fmt.Sprint(n))
	lw = min(lw, 12) + digits + 1
	k := min(n, max(1, (w-lw)/(heatCell+1)), max(1, h-2))
	if k < n {
		title += fmt.Sprintf(", first %d of %d", k, n)
	}
	lines := []string{ansi.Truncate(s.Muted.Render(title), w, s.Glyphs.Ellipsis)}
	var hb strings.Builder
	hb.WriteString(strings.Repeat(" ", lw))
	for j := range k {
		hb.WriteString(" " + align(fmt.Sprint(j+1), heatCell, true))
	}
	lines = append(lines, s.Muted.Render(hb.String()))
	for i := range k {
		var b strings.Builder
		label := fmt.Sprintf("%*d %s", digits, i+1, mat.Columns[i])
		b.WriteString(s.Muted.Render(align(label, lw, false)))
		for j := range k {
			b.WriteString(" " + m.heatCellText(mat.Values[i][j]))
		}
		lines = append(lines, b.String())
	}
	return strings.Join(lines, "\n")
}

// heatCellText draws one heatmap cell: a signed number on a coloured
// background, or under nocolor a sign and shade glyphs by band.
func (m *Model) heatCellText(v float64) string {
	hs := m.c.Styles.Heat
	if math.IsNaN(v) {
		return hs.NA.Render(align("·", heatCell, true))
	}
	k := themes.HeatLevel(v)
	style := hs.Pos[k]
	sign := "+"
	if v < 0 {
		style, sign = hs.Neg[k], "-"
	}
	if hs.Shades[0] != "" {
		return style.Render(sign + strings.Repeat(hs.Shades[k], heatCell-1))
	}
	return style.Render(heatNumber(v))
}

// heatNumber writes v in [−1, 1] in four cells: "+.82", "-.05", "+1.0".
func heatNumber(v float64) string {
	v = math.Max(-1, math.Min(1, v))
	sign := "+"
	if v < 0 || v == 0 && math.Signbit(v) {
		sign = "-"
	}
	a := math.Abs(v)
	if a >= 0.995 {
		return sign + "1.0"
	}
	return sign + fmt.Sprintf("%.2f", a)[1:]
}

func (m *Model) renderPairs(w, h int) string {
	s := m.c.Styles
	lines := []string{s.Muted.Render(ansi.Truncate(fmt.Sprintf("strongest pairs (%d)", len(m.pairs)), w, s.Glyphs.Ellipsis))}
	rows := max(0, h-1)
	if len(m.pairs) == 0 {
		return lines[0] + "\n" + s.Muted.Render("none")
	}
	m.pairTop = window(m.pairCur, m.pairTop, rows, len(m.pairs))
	abbrev := map[string]string{"pearson": "r", "spearman": "ρ", "cramers_v": "V", "eta": "η"}
	nw := max(4, (w-12)/2)
	for p := m.pairTop; p < min(len(m.pairs), m.pairTop+rows); p++ {
		pr := m.pairs[p]
		text := fmt.Sprintf("%s %s %s %+.2f", align(pr.A, nw, false), align(pr.B, nw, false), abbrev[pr.Method], pr.Value)
		lines = append(lines, m.listLine(text, w, p == m.pairCur))
	}
	return strings.Join(lines, "\n")
}

func (m *Model) renderAlerts(w, h int) string {
	s := m.c.Styles
	as := m.report.Alerts
	lines := []string{s.Muted.Render(ansi.Truncate(fmt.Sprintf("%d alerts — enter: go to column", len(as)), w, s.Glyphs.Ellipsis))}
	if len(as) == 0 {
		return lines[0]
	}
	rows := max(0, h-1)
	m.alTop = window(m.alCur, m.alTop, rows, len(as))
	cw := 0
	for _, a := range as {
		cw = max(cw, ansi.StringWidth(a.Column))
	}
	cw = min(cw, 16, max(6, w/4))
	for p := m.alTop; p < min(len(as), m.alTop+rows); p++ {
		a := as[p]
		col := a.Column
		if col == "" {
			col = "(table)"
		}
		onCur := p == m.alCur
		tag := align(Badge(a.Kind), 5, false)
		if !(onCur && m.focus == paneSide) {
			tag = m.badgeStyle(a.Kind).Render(tag)
		}
		text := tag + " " + align(col, cw, false) + " " + sanitize(a.Detail)
		lines = append(lines, m.listLine(text, w, onCur))
	}
	return strings.Join(lines, "\n")
}

// listLine draws one line of a side list, highlighted on the cursor while
// the side pane has the focus.
func (m *Model) listLine(text string, w int, onCur bool) string {
	s := m.c.Styles
	text = ansi.Truncate(text, w-2, s.Glyphs.Ellipsis)
	if onCur && m.focus == paneSide {
		return s.Table.CursorCell.Render("> " + ansi.Strip(text) + strings.Repeat(" ", max(0, w-2-ansi.StringWidth(text))))
	}
	if onCur {
		return "> " + text
	}
	return "  " + text
}

// window returns the first visible position of a list of n rows shown rows
// at a time, keeping cur visible.
func window(cur, top, rows, n int) int {
	if rows <= 0 {
		return 0
	}
	if cur < top {
		top = cur
	}
	if cur >= top+rows {
		top = cur - rows + 1
	}
	return max(0, min(top, n-rows))
}

// sanitize replaces control characters (newlines in values, escape
// sequences in names from a data file) by spaces: see ui.Printable.
func sanitize(s string) string { return ui.Printable(s) }

// align fits plain text s in exactly w cells, truncating with "…".
func align(s string, w int, right bool) string {
	if w <= 0 {
		return ""
	}
	s = sanitize(s)
	if ansi.StringWidth(s) > w {
		s = ansi.Truncate(s, w, "…")
	}
	pad := strings.Repeat(" ", max(0, w-ansi.StringWidth(s)))
	if right {
		return pad + s
	}
	return s + pad
}

// fitBlock cuts or pads s to exactly h lines of at most w cells, each
// padded to w.
func fitBlock(s string, w, h int) string {
	if h <= 0 {
		return ""
	}
	lines := strings.Split(s, "\n")
	if len(lines) > h {
		lines = lines[:h]
	}
	for len(lines) < h {
		lines = append(lines, "")
	}
	for i, l := range lines {
		if ansi.StringWidth(l) > w {
			l = ansi.Truncate(l, w, "")
		}
		lines[i] = l + strings.Repeat(" ", max(0, w-ansi.StringWidth(l)))
	}
	return strings.Join(lines, "\n")
}
