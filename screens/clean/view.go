package clean

import (
	"fmt"
	"strings"

	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/ansi"
	"github.com/mlwb/mlwb/engine/clean"
	"github.com/mlwb/mlwb/engine/merge"
	"github.com/mlwb/mlwb/themes"
	"github.com/mlwb/mlwb/ui"
)

// marks are the symbols the screen draws, with ASCII stand-ins for the
// nocolor theme.
type marks struct {
	cursor      string // before the item under the cursor
	left, right string // around a focused choice
	on, off     string // an included or left-out group
	arrow       string // "becomes"
	rule        string // the undo cursor line
}

func glyphsFor(st *themes.Styles) marks {
	if st.Name == themes.NameNoColor {
		return marks{cursor: ">", left: "<", right: ">", on: "[x]", off: "[ ]", arrow: "<-", rule: "-"}
	}
	return marks{cursor: "›", left: "‹", right: "›", on: "[x]", off: "[ ]", arrow: "←", rule: "─"}
}

// rect is a pane's place in the screen.
type rect struct{ x, y, w, h int }

// layout places the banner and the two panes.
type layout struct {
	banner  []string
	recipe  rect
	right   rect
	colRows int // column rows visible in the columns pane
}

func (m *Model) layout() layout {
	w, h := m.width, m.height
	var l layout
	if b := m.bannerText(); b != "" {
		l.banner = strings.Split(ansi.Wrap(b, max(1, w), " "), "\n")
		if len(l.banner) > 3 {
			l.banner = l.banner[:3]
		}
		l.banner = l.banner[:min(len(l.banner), max(0, h-3))]
	}
	top := len(l.banner)
	rw := clampInt(w*2/5, 24, 48)
	if rw > w-20 {
		rw = w / 2
	}
	l.recipe = rect{0, top, rw, max(0, h-top)}
	l.right = rect{rw, top, max(0, w-rw), max(0, h-top)}
	l.colRows = max(0, l.right.h-4) // borders, header, summary
	return l
}

// bannerText is the line shown above the panes: a detached recipe or an
// unreadable one.
func (m *Model) bannerText() string {
	switch {
	case m.sessErr != nil:
		return "The recipe cannot be read: " + m.sessErr.Error()
	case m.detached():
		return fmt.Sprintf("%s was changed outside its recipe (a re-import?). R replays the recipe's %s on it; N starts a new recipe (the old one is kept as .bak).",
			m.latest.Ref(), plural(m.recipe.Applied(), "step", "steps"))
	}
	return ""
}

// View implements tea.Model.
func (m *Model) View() string {
	w, h := m.width, m.height
	if w <= 0 || h <= 0 {
		return ""
	}
	if m.c.Workspace == nil {
		return strings.Join(m.box("Clean", m.noWorkspaceLines(w-4), rect{0, 0, w, h}, true), "\n")
	}
	if m.f == nil {
		return strings.Join(m.box("Clean", []string{m.st.Muted.Render("No dataset open: choose one on the Project screen (1).")}, rect{0, 0, w, h}, true), "\n")
	}
	l := m.layout()
	out := make([]string, 0, h)
	for _, b := range l.banner {
		out = append(out, padRight(m.st.Warn.Render(b), w))
	}
	left := m.box(m.recipeTitle(), m.recipeLines(l.recipe), l.recipe, m.focus == paneRecipe && m.mode == modeBrowse)
	var right []string
	switch m.mode {
	case modeMenu:
		c := m.cols[m.colCur]
		title := fmt.Sprintf("Actions on %q (%s)", c.name, c.typ)
		right = m.box(title, m.menuLines(), l.right, true)
	case modeForm:
		right = m.box(m.formTitle(), m.formLines(m.innerWidth(l.right)), l.right, true)
	case modeSuggest:
		right = m.box(m.suggestTitle(), m.suggestLines(m.innerWidth(l.right), l.right.h-2), l.right, true)
	case modeMerge:
		right = m.box("Merge "+m.leftRef()+" with…", m.mergeLines(m.innerWidth(l.right)), l.right, true)
	case modeConfirm:
		right = m.box("Delete a step", m.confirmLines(m.innerWidth(l.right)), l.right, true)
	default:
		right = m.box(fmt.Sprintf("Columns of %s", m.leftRef()), m.columnLines(l), l.right, m.focus == paneColumns)
	}
	for i := range l.recipe.h {
		out = append(out, left[i]+right[i])
	}
	return strings.Join(out, "\n")
}

// leftRef names the version shown: "customers@3", or the name alone
// before the session is read.
func (m *Model) leftRef() string {
	if m.latest.Name == m.name && m.latest.Version > 0 {
		return m.latest.Ref()
	}
	return m.name
}

func (m *Model) noWorkspaceLines(w int) []string {
	text := "Cleaning needs a workspace. Every cleaning step is recorded in the dataset's recipe and makes a new version of the dataset in the workspace; the original data is never modified, and a file opened on its own is only read."
	how := "Start one with `mlwb init DIR`, import the file with `mlwb import FILE` inside it, then `mlwb open DIR`."
	var out []string
	out = append(out, strings.Split(ansi.Wrap(text, max(1, w), " "), "\n")...)
	out = append(out, "")
	for _, l := range strings.Split(ansi.Wrap(how, max(1, w), " "), "\n") {
		out = append(out, m.st.Muted.Render(l))
	}
	return out
}

func (m *Model) recipeTitle() string {
	if m.recipe == nil {
		return "Recipe"
	}
	n := len(m.recipe.Steps)
	if u := m.recipe.Undone; u > 0 {
		return fmt.Sprintf("Recipe (%s, %d undone)", plural(n, "step", "steps"), u)
	}
	return fmt.Sprintf("Recipe (%s)", plural(n, "step", "steps"))
}

// recipeLines lists the steps, two lines each (op and columns, then params
// and the recorded effect), the undone ones greyed below a rule, scrolled
// so the cursor's step shows.
func (m *Model) recipeLines(r rect) []string {
	st, g := m.st, glyphsFor(m.st)
	w := m.innerWidth(r)
	rows := max(0, r.h-2)
	if m.recipe == nil {
		if m.sessErr != nil {
			return []string{st.Bad.Render("recipe unreadable")}
		}
		return []string{st.Muted.Render("reading the recipe…")}
	}
	rc := m.recipe
	from := "from the first version"
	if rc.BaseVersion > 0 {
		from = fmt.Sprintf("from %s@%d", m.name, rc.BaseVersion)
	}
	head := []string{st.Muted.Render(from)}
	if len(rc.Steps) == 0 {
		head = append(head, "",
			st.Muted.Render("No steps yet."),
			st.Muted.Render("a on a column: actions"),
			st.Muted.Render("S: suggestions · m: merge"))
		return head
	}
	var lines []string
	curLine := 0
	for i, s := range rc.Steps {
		undone := i >= rc.Applied()
		if i == rc.Applied() {
			lines = append(lines, m.cursorRule(" undone below (ctrl+r) ", w))
		}
		mark := "  "
		if i == m.stepCur && m.focus == paneRecipe {
			mark = g.cursor + " "
			curLine = len(lines)
		} else if i == m.stepCur {
			curLine = len(lines)
		}
		num := fmt.Sprintf("%d ", i+1)
		l1 := mark + num + s.Describe()
		if p := paramSummary(s); p != "" {
			l1 += " " + p
		}
		l2 := strings.Repeat(" ", 2+len(num))
		if s.Result != nil {
			l2 += s.Result.Effect.Summary
			if s.Result.Version > 0 {
				l2 += fmt.Sprintf(" · v%d", s.Result.Version)
			}
		}
		switch {
		case undone:
			l1, l2 = st.Muted.Render(l1), st.Muted.Render(l2)
		case m.failed == i+1:
			l1, l2 = st.Bad.Render(l1), st.Bad.Render(l2)
		case i == m.stepCur && m.focus == paneRecipe && m.mode == modeBrowse:
			l1 = st.Title.Render(l1)
		}
		lines = append(lines, l1, l2)
	}
	if rc.Undone == 0 {
		lines = append(lines, m.cursorRule(" in effect (u undoes) ", w))
	}
	body := rows - len(head)
	off := 0
	if body > 0 && curLine+2 > body {
		off = curLine + 2 - body
	}
	if off > 0 {
		lines = lines[off:]
	}
	return append(head, lines...)
}

// cursorRule is the line after the last step in effect.
func (m *Model) cursorRule(label string, w int) string {
	g := glyphsFor(m.st)
	n := max(0, w-2-ansi.StringWidth(label))
	return m.st.Muted.Render(ansi.Truncate(strings.Repeat(g.rule, 2)+label+strings.Repeat(g.rule, n), w, ""))
}

// columnLines lists the columns of the current version with their type
// and missing count.
func (m *Model) columnLines(l layout) []string {
	st, g := m.st, glyphsFor(m.st)
	w := m.innerWidth(l.right)
	typeW, missW := 11, 9
	nameW := max(6, w-2-typeW-missW-2)
	row := func(mark, name, typ, miss string) string {
		return mark + padRight(ansi.Truncate(ui.Printable(name), nameW, st.Glyphs.Ellipsis), nameW) + " " + padRight(typ, typeW) + " " + padLeft(miss, missW)
	}
	out := []string{st.Table.Header.Render(row("  ", "column", "type", "missing"))}
	for i := m.colOff; i < len(m.cols) && i < m.colOff+l.colRows; i++ {
		c := m.cols[i]
		miss := ""
		if c.missing > 0 {
			miss = ui.Thousands(int64(c.missing))
		}
		mark := "  "
		if i == m.colCur {
			mark = g.cursor + " "
		}
		line := row(mark, c.name, c.typ.String(), miss)
		if i == m.colCur && m.focus == paneColumns {
			line = st.Table.CursorCell.Render(padRight(line, w))
		}
		out = append(out, line)
	}
	for len(out) < l.colRows+1 {
		out = append(out, "")
	}
	out = append(out, st.Muted.Render(fmt.Sprintf("%s rows × %d columns", ui.Thousands(int64(m.f.NumRows())), m.f.NumCols())))
	return out
}

func (m *Model) menuLines() []string {
	g := glyphsFor(m.st)
	out := make([]string, 0, len(m.menu)+2)
	for i, it := range m.menu {
		if i == m.menuCur {
			out = append(out, m.st.Title.Render(g.cursor+" "+it.label))
		} else {
			out = append(out, "  "+it.label)
		}
	}
	return append(out, "", m.st.Muted.Render("enter: open with a live preview"))
}

func (m *Model) formTitle() string {
	f := m.form
	s := clean.Step{Op: f.op}
	if i := f.index("columns"); i >= 0 {
		s.Columns = splitList(f.fields[i].value())
	}
	if f.edit >= 0 {
		return fmt.Sprintf("Edit step %d: %s", f.edit+1, s.Describe())
	}
	return s.Describe()
}

// formLines renders the fields, the live preview and the keys.
func (m *Model) formLines(w int) []string {
	st, g, f := m.st, glyphsFor(m.st), m.form
	labelW := min(16, max(8, w/3))
	inW := max(4, w-labelW-1)
	var out []string
	if f.reason != "" {
		for _, l := range strings.Split(ansi.Wrap("Suggested: "+f.reason, max(1, w), " "), "\n") {
			out = append(out, st.Muted.Render(l))
		}
		out = append(out, "")
	}
	for i := range f.fields {
		x := &f.fields[i]
		focused := i == f.focus
		label := st.Panel.Label.Render(padRight(ansi.Truncate(x.label, labelW-1, st.Glyphs.Ellipsis), labelW))
		if focused {
			label = st.Input.Prompt.Render(padRight(ansi.Truncate(x.label, labelW-1, st.Glyphs.Ellipsis), labelW))
		}
		switch x.kind {
		case kindText:
			x.input.Width = inW - 1
			out = append(out, label+ansi.Truncate(x.input.View(), inW, ""))
		case kindChoice:
			v := x.choices[x.choice]
			if focused {
				v = g.left + " " + v + " " + g.right
				out = append(out, label+st.Input.Text.Render(v))
			} else {
				out = append(out, label+st.Panel.Value.Render(v))
			}
		case kindGroups:
			if len(x.groups) == 0 {
				text := "finding variants…"
				if m.variants.ID == 0 {
					text = "none"
				}
				out = append(out, label+st.Muted.Render(text))
				continue
			}
			out = append(out, label+st.Muted.Render(fmt.Sprintf("%d found", len(x.groups))))
			for j, grp := range x.groups {
				mark := "  "
				if focused && j == x.gcur {
					mark = g.cursor + " "
				}
				box := g.off
				if grp.on {
					box = g.on
				}
				var others []string
				for k, v := range grp.values {
					if k != grp.canon {
						others = append(others, fmt.Sprintf("%q", v))
					}
				}
				line := fmt.Sprintf("%s%s %q %s %s", mark, box, grp.values[grp.canon], g.arrow, strings.Join(others, ", "))
				if !grp.on {
					line = st.Muted.Render(line)
				} else if focused && j == x.gcur {
					line = st.Input.Text.Render(line)
				}
				out = append(out, line)
			}
		}
	}
	out = append(out, "")
	switch {
	case f.applying:
		out = append(out, st.Muted.Render("applying…"))
	case f.previewErr != "":
		for _, l := range strings.Split(ansi.Wrap(f.previewErr, max(1, w), " "), "\n") {
			out = append(out, st.Bad.Render(l))
		}
	case f.previewSeq != f.seq || f.job.ID != 0 || (f.preview == "" && m.variants.ID != 0):
		out = append(out, st.Muted.Render("previewing…"))
	default:
		for _, l := range strings.Split(ansi.Wrap("preview: "+f.preview, max(1, w), " "), "\n") {
			out = append(out, st.Good.Render(l))
		}
	}
	what := "enter: apply as a new version"
	if f.edit >= 0 {
		what = "enter: replay the recipe with it"
	}
	return append(out, "", st.Muted.Render(what))
}

func (m *Model) suggestTitle() string {
	if m.suggJob.ID != 0 {
		return "Suggestions"
	}
	return fmt.Sprintf("Suggestions (%d)", len(m.sugg))
}

func (m *Model) suggestLines(w, rows int) []string {
	st, g := m.st, glyphsFor(m.st)
	switch {
	case m.suggJob.ID != 0:
		return []string{st.Muted.Render("looking for duplicates, variant spellings and dates…")}
	case m.suggErr != "":
		return []string{st.Bad.Render(m.suggErr)}
	case len(m.sugg) == 0:
		return []string{st.Muted.Render("Nothing to suggest: no duplicate rows, variant spellings or date texts."), "", st.Muted.Render("esc: close")}
	}
	var out []string
	cur := 0
	for i, s := range m.sugg {
		mark := "  "
		if i == m.suggCur {
			mark = g.cursor + " "
			cur = len(out)
		}
		l := mark + s.Step.Describe()
		if i == m.suggCur {
			l = st.Title.Render(l)
		}
		out = append(out, l)
		for _, r := range strings.Split(ansi.Wrap(s.Reason, max(1, w-4), " "), "\n") {
			out = append(out, "    "+st.Muted.Render(r))
		}
	}
	out = append(out, "", st.Muted.Render("enter: preview it"))
	if rows > 0 && cur+4 > rows {
		out = out[min(len(out), cur+4-rows):]
	}
	return out
}

func (m *Model) mergeLines(w int) []string {
	st, g, f := m.st, glyphsFor(m.st), m.merge
	if f.loading {
		return []string{st.Muted.Render("reading the datasets…")}
	}
	if len(f.datasets) == 0 {
		return []string{st.Bad.Render(f.planErr), "", st.Muted.Render("esc: close")}
	}
	labelW := 10
	inW := max(4, w-labelW-1)
	label := func(i int, s string) string {
		if f.focus == i {
			return st.Input.Prompt.Render(padRight(s, labelW))
		}
		return st.Panel.Label.Render(padRight(s, labelW))
	}
	choice := func(i int, v string) string {
		if f.focus == i {
			return st.Input.Text.Render(g.left + " " + v + " " + g.right)
		}
		return st.Panel.Value.Render(v)
	}
	d := f.datasets[f.right]
	f.keys.Width, f.name.Width = inW-1, inW-1
	out := []string{
		label(mergeRight, "right") + choice(mergeRight, fmt.Sprintf("%s (%s rows)", d.Ref(), ui.Thousands(int64(d.Rows)))),
		label(mergeKeys, "keys") + ansi.Truncate(f.keys.View(), inW, ""),
		label(mergeHow, "how") + choice(mergeHow, hows[f.how].String()),
		label(mergeName, "new name") + ansi.Truncate(f.name.View(), inW, ""),
		"",
	}
	switch {
	case f.running:
		out = append(out, st.Muted.Render("merging…"))
	case f.planErr != "":
		for _, l := range strings.Split(ansi.Wrap(f.planErr, max(1, w), " "), "\n") {
			out = append(out, st.Bad.Render(l))
		}
	case f.plan == nil || f.planSeq != f.seq:
		out = append(out, st.Muted.Render("planning…"))
	default:
		out = append(out, m.planLines(w)...)
	}
	return append(out, "", st.Muted.Render("enter: merge into a new dataset"))
}

// planLines shows the plan: matched and unmatched rows per side, missing
// keys, the result's size and any key type mismatch.
func (m *Model) planLines(w int) []string {
	st, f, p := m.st, m.merge, m.merge.plan
	th := func(n int) string { return ui.Thousands(int64(n)) }
	row := func(label, rows, matched, unmatched, nulls string) string {
		return fmt.Sprintf("%-6s%8s %9s %10s %7s", label, rows, matched, unmatched, nulls)
	}
	out := []string{
		st.Table.Header.Render(row("", "rows", "matched", "unmatched", "no key")),
		row("left", th(p.LeftRows), th(p.LeftMatched), th(p.LeftUnmatched), th(p.LeftNullKeys)),
		row("right", th(p.RightRows), th(p.RightMatched), th(p.RightUnmatched), th(p.RightNullKeys)),
	}
	for _, tm := range p.TypeMismatch {
		for _, l := range strings.Split(ansi.Wrap("type mismatch: "+tm+" (cast one side first)", max(1, w), " "), "\n") {
			out = append(out, st.Bad.Render(l))
		}
	}
	res := fmt.Sprintf("result: %s rows (%s pairs, %s join)", th(p.ResultRows), th(p.Pairs), hows[f.how])
	if len(p.TypeMismatch) > 0 {
		return out
	}
	if p.ResultRows > merge.DefaultMaxRows {
		for _, l := range strings.Split(ansi.Wrap(res+": more than "+th(merge.DefaultMaxRows)+", refused (the keys repeat on both sides)", max(1, w), " "), "\n") {
			out = append(out, st.Bad.Render(l))
		}
		return out
	}
	out = append(out, st.Good.Render(res))
	name := strings.TrimSpace(f.name.Value())
	for _, d := range f.all {
		if d.Name == name {
			out = append(out, st.Warn.Render(fmt.Sprintf("%s exists: the result becomes version %d", name, d.Version+1)))
		}
	}
	return out
}

func (m *Model) confirmLines(w int) []string {
	s := m.recipe.Steps[m.confirm]
	text := fmt.Sprintf("Delete step %d (%s)? The other steps are replayed from %s@%d without it and the result is a new version; earlier versions stay.",
		m.confirm+1, s.Describe(), m.name, m.recipe.BaseVersion)
	out := strings.Split(ansi.Wrap(text, max(1, w), " "), "\n")
	return append(out, "", m.st.Muted.Render("y: delete · n/esc: keep"))
}

// box draws lines in a bordered pane of r's size with title in its top
// border; a focused pane has a thick border in the primary colour. It
// returns exactly r.h lines of r.w cells.
func (m *Model) box(title string, lines []string, r rect, focused bool) []string {
	if r.w < 6 || r.h < 2 {
		out := make([]string, r.h)
		for i := range out {
			out[i] = strings.Repeat(" ", max(0, r.w))
		}
		return out
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
	title = ansi.Truncate(title, r.w-5, st.Glyphs.Ellipsis)
	fill := max(0, r.w-5-ansi.StringWidth(title))
	out := make([]string, 0, r.h)
	out = append(out, bs.Render(b.TopLeft+b.Top)+" "+ts.Render(title)+" "+bs.Render(strings.Repeat(b.Top, fill)+b.TopRight))
	left := bs.Render(b.Left) + strings.Repeat(" ", pl)
	right := strings.Repeat(" ", pr) + bs.Render(b.Right)
	for i := range r.h - 2 {
		l := ""
		if i < len(lines) {
			l = lines[i]
		}
		out = append(out, left+padRight(ansi.Truncate(l, innerW, st.Glyphs.Ellipsis), innerW)+right)
	}
	return append(out, bs.Render(b.BottomLeft+strings.Repeat(b.Bottom, r.w-2)+b.BottomRight))
}

// innerWidth is the text width inside a pane r.w wide.
func (m *Model) innerWidth(r rect) int {
	return max(0, r.w-2-m.st.Panel.Box.GetHorizontalPadding())
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
