// Package match is the Match screen: fuzzy record matching of two datasets
// (or one against itself), then a keyboard review of the uncertain pairs —
// accept with a, reject with r — and saving the match table and the merged
// dataset into the workspace. Matching runs as a background job
// (engine/match); the screen never loads or scores on its own goroutine.
package match

import (
	"context"
	"errors"
	"fmt"
	"math"
	"os"
	"strconv"
	"strings"

	"github.com/charmbracelet/bubbles/cursor"
	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/bubbles/textinput"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/ansi"
	"github.com/mlwb/mlwb/engine/dataio"
	"github.com/mlwb/mlwb/engine/frame"
	matcher "github.com/mlwb/mlwb/engine/match"
	"github.com/mlwb/mlwb/themes"
	"github.com/mlwb/mlwb/ui"
	"github.com/mlwb/mlwb/workspace"
)

// The setup form's inputs, in order.
const (
	inLeft = iota
	inRight
	inFields
	inThreshold
	inReview
	numInputs
)

var inputLabels = [numInputs]string{"left", "right", "fields", "threshold", "review band"}

// DefaultReview is the review band the form starts with: pairs just below
// the default threshold are shown for a decision.
const DefaultReview = "0.7,0.85"

// Model is the Match screen.
type Model struct {
	c    ui.Common
	keys KeyMap

	width, height int

	inputs  [numInputs]textinput.Model
	focus   int
	editing bool
	formErr string

	loadedName string   // the dataset the app has open
	loadedCols []string // its columns, shown as a hint

	job    ui.Job
	saving ui.Job

	res              *matcher.Result
	a, b             *frame.Frame
	aName, bName     string
	rows             []int // indices into res.Pairs shown, in order
	reviewOnly       bool
	cur, top         int
	lastSavedMatches string

	view string
}

// New returns the Match screen.
func New(c ui.Common) *Model {
	m := &Model{c: c, keys: DefaultKeyMap()}
	ph := [numInputs]string{"dataset name or file", "empty: deduplicate left", "name, or name=company:jw,price:numeric", "0.85", "LO,HI (empty: none)"}
	val := [numInputs]string{"", "", "", strconv.FormatFloat(matcher.DefaultThreshold, 'g', -1, 64), DefaultReview}
	for i := range m.inputs {
		m.inputs[i] = newInput(c.Styles, val[i], ph[i])
	}
	// The form starts unfocused, so tab and the number keys still move
	// between screens; e (or enter, which also runs) starts editing.
	return m
}

func newInput(st *themes.Styles, value, placeholder string) textinput.Model {
	in := textinput.New()
	in.Prompt = ""
	in.PromptStyle = st.Input.Prompt
	in.TextStyle = st.Input.Text
	in.PlaceholderStyle = st.Input.Placeholder
	in.Cursor.Style = st.Input.Text.Reverse(true)
	in.Cursor.TextStyle = st.Input.Text
	in.Cursor.SetMode(cursor.CursorStatic)
	in.Placeholder = placeholder
	in.SetValue(value)
	in.CursorEnd()
	return in
}

// Title implements ui.Screen.
func (m *Model) Title() string { return "Match" }

// Capturing implements ui.Screen: true while a setup input has focus.
func (m *Model) Capturing() bool { return m.editing }

// SetSize implements ui.Screen.
func (m *Model) SetSize(w, h int) {
	m.width, m.height = max(0, w), max(0, h)
	for i := range m.inputs {
		m.inputs[i].Width = max(1, m.width-labelW-4)
	}
	m.render()
}

// Init implements tea.Model.
func (m *Model) Init() tea.Cmd { return nil }

// matchDoneMsg carries a finished match job.
type matchDoneMsg struct {
	jobID        int
	res          *matcher.Result
	a, b         *frame.Frame
	aName, bName string
	err          error
}

// savedMsg carries a finished save job.
type savedMsg struct {
	jobID           int
	matches, merged workspace.Dataset
	err             error
}

// Update implements tea.Model.
func (m *Model) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	var cmd tea.Cmd
	switch msg := msg.(type) {
	case ui.DatasetLoadedMsg:
		if msg.Err == nil && msg.Frame != nil {
			m.loadedName, m.loadedCols = msg.Name, msg.Frame.Names()
			if m.inputs[inLeft].Value() == "" {
				m.inputs[inLeft].SetValue(msg.Name)
				m.inputs[inLeft].CursorEnd()
			}
		}
	case matchDoneMsg:
		cmd = m.onDone(msg)
	case savedMsg:
		cmd = m.onSaved(msg)
	case tea.KeyMsg:
		cmd = m.onKey(msg)
	default:
		return m, nil
	}
	m.render()
	return m, cmd
}

func (m *Model) onKey(msg tea.KeyMsg) tea.Cmd {
	k := m.keys
	if m.editing {
		switch {
		case key.Matches(msg, k.StopEdit):
			m.setEditing(false)
		case key.Matches(msg, k.Run):
			return m.run()
		case key.Matches(msg, k.NextField):
			m.setFocus((m.focus + 1) % numInputs)
		case key.Matches(msg, k.PrevField):
			m.setFocus((m.focus + numInputs - 1) % numInputs)
		default:
			var cmd tea.Cmd
			m.inputs[m.focus], cmd = m.inputs[m.focus].Update(msg)
			m.formErr = ""
			return cmd
		}
		return nil
	}
	switch {
	case key.Matches(msg, k.Edit):
		m.setEditing(true)
		return nil
	case m.res == nil:
		if key.Matches(msg, k.Run) {
			return m.run()
		}
		return nil
	case key.Matches(msg, k.Up):
		m.move(-1)
	case key.Matches(msg, k.Down):
		m.move(1)
	case key.Matches(msg, k.PageUp):
		m.move(-max(1, m.listHeight()))
	case key.Matches(msg, k.PageDown):
		m.move(max(1, m.listHeight()))
	case key.Matches(msg, k.Top):
		m.move(-len(m.rows))
	case key.Matches(msg, k.Bottom):
		m.move(len(m.rows))
	case key.Matches(msg, k.Accept):
		m.decide(matcher.Accepted)
	case key.Matches(msg, k.Reject):
		m.decide(matcher.Rejected)
	case key.Matches(msg, k.Undo):
		m.decide(matcher.Review)
	case key.Matches(msg, k.NextReview):
		m.nextReview(m.cur + 1)
	case key.Matches(msg, k.Filter):
		keep := -1
		if len(m.rows) > 0 {
			keep = m.rows[m.cur]
		}
		m.reviewOnly = !m.reviewOnly
		m.refilter(keep) // stay on the same pair when it is still shown
	case key.Matches(msg, k.Save):
		return m.save()
	}
	return nil
}

func (m *Model) setEditing(on bool) {
	m.editing = on
	if on {
		m.inputs[m.focus].Focus()
	} else {
		m.inputs[m.focus].Blur()
	}
}

func (m *Model) setFocus(i int) {
	m.inputs[m.focus].Blur()
	m.focus = i
	m.inputs[i].Focus()
	m.inputs[i].CursorEnd()
}

// run validates the form and starts the match job.
func (m *Model) run() tea.Cmd {
	left := strings.TrimSpace(m.inputs[inLeft].Value())
	right := strings.TrimSpace(m.inputs[inRight].Value())
	fail := func(field int, err error) tea.Cmd {
		m.formErr = err.Error()
		m.setFocus(field)
		m.setEditing(true)
		return nil
	}
	if left == "" {
		return fail(inLeft, errors.New("name the left dataset (or file)"))
	}
	fields, err := matcher.ParseFields(m.inputs[inFields].Value())
	if err != nil {
		return fail(inFields, err)
	}
	th, err := strconv.ParseFloat(strings.TrimSpace(m.inputs[inThreshold].Value()), 64)
	if err != nil || !(th > 0 && th <= 1) {
		return fail(inThreshold, fmt.Errorf("threshold %q: want a number in (0, 1]", m.inputs[inThreshold].Value()))
	}
	band, err := matcher.ParseBand(m.inputs[inReview].Value())
	if err != nil {
		return fail(inReview, err)
	}
	m.formErr = ""
	m.setEditing(false)
	cfg := matcher.Config{Fields: fields, Threshold: th, ReviewBand: band}
	dedupe := right == "" || right == left
	ws := m.c.Workspace
	var prev []matcher.Decision
	if m.res != nil && m.aName == left && (m.bName == right || (dedupe && m.res.Dedupe)) {
		prev = m.res.Decisions() // keep decisions across re-runs on the same tables
	}
	m.job.Cancel()
	job, cmd := m.c.StartJob("matching", func(ctx context.Context, id int, progress func(int64, int64)) tea.Msg {
		out := matchDoneMsg{jobID: id, aName: left, bName: right}
		a, err := load(ctx, ws, left)
		if err != nil {
			out.err = err
			return out
		}
		b := a
		if !dedupe {
			if b, err = load(ctx, ws, right); err != nil {
				out.err = err
				return out
			}
		}
		cfg.Progress = progress
		var res *matcher.Result
		if dedupe {
			out.bName = left
			res, err = matcher.Dedupe(ctx, a, cfg)
		} else {
			res, err = matcher.Link(ctx, a, b, cfg)
		}
		if err != nil {
			out.err = err
			return out
		}
		if _, err := res.Apply(prev); err != nil {
			out.err = err
			return out
		}
		out.res, out.a, out.b = res, a, b
		return out
	})
	m.job = job
	return cmd
}

// load reads a file, or a workspace dataset "name" or "name@N".
func load(ctx context.Context, ws *workspace.Workspace, ref string) (*frame.Frame, error) {
	if fi, err := os.Stat(ref); err == nil && !fi.IsDir() {
		return dataio.Load(ctx, ref, dataio.Options{})
	}
	if ws == nil {
		return nil, fmt.Errorf("%s: no such file (open a workspace to match datasets by name)", ref)
	}
	name, ver := ref, 0
	if i := strings.LastIndexByte(ref, '@'); i > 0 {
		v, err := strconv.Atoi(ref[i+1:])
		if err != nil || v < 1 {
			return nil, fmt.Errorf("dataset %q: version %q is not a positive number", ref, ref[i+1:])
		}
		name, ver = ref[:i], v
	}
	vs, err := ws.Versions(name)
	if err != nil {
		return nil, err
	}
	d := vs[len(vs)-1]
	if ver > 0 {
		if ver > len(vs) || vs[ver-1].Version != ver {
			return nil, fmt.Errorf("dataset %q has versions 1 to %d, not %d", name, vs[len(vs)-1].Version, ver)
		}
		d = vs[ver-1]
	}
	return ws.Load(ctx, d)
}

func (m *Model) onDone(msg matchDoneMsg) tea.Cmd {
	if msg.jobID != m.job.ID {
		return nil
	}
	m.job = ui.Job{}
	if msg.err != nil {
		if ui.IsCanceled(msg.err) {
			return status("matching cancelled")
		}
		m.formErr = msg.err.Error()
		m.setEditing(true)
		var fe *matcher.FieldError
		if errors.As(msg.err, &fe) {
			m.setFocus(inFields)
		}
		return nil
	}
	m.res, m.a, m.b, m.aName, m.bName = msg.res, msg.a, msg.b, msg.aName, msg.bName
	m.reviewOnly = len(m.res.ReviewQueue()) > 0
	m.refilter(-1)
	c := m.res.Counts()
	return status(fmt.Sprintf("%s matches, %s to review", ui.Thousands(int64(c[matcher.Auto]+c[matcher.Accepted])), ui.Thousands(int64(c[matcher.Review]))))
}

func status(s string) tea.Cmd { return func() tea.Msg { return ui.StatusMsg{Text: s} } }

// refilter rebuilds the shown rows and puts the cursor on pair keep (an
// index into res.Pairs) when it is shown, else on the first row.
func (m *Model) refilter(keep int) {
	m.rows = m.rows[:0]
	for i, p := range m.res.Pairs {
		if !m.reviewOnly || p.Status != matcher.Auto {
			m.rows = append(m.rows, i)
		}
	}
	m.cur, m.top = 0, 0
	for r, i := range m.rows {
		if i == keep {
			m.cur = r
		}
	}
	m.move(0)
}

func (m *Model) move(d int) {
	m.cur = min(max(m.cur+d, 0), max(len(m.rows)-1, 0))
	h := max(1, m.listHeight())
	if m.cur < m.top {
		m.top = m.cur
	}
	if m.cur >= m.top+h {
		m.top = m.cur - h + 1
	}
	m.top = max(0, min(m.top, len(m.rows)-h))
}

// decide sets the status of the pair under the cursor and, on a decision,
// moves to the next pair awaiting one.
func (m *Model) decide(s matcher.Status) {
	if len(m.rows) == 0 {
		return
	}
	i := m.rows[m.cur]
	if err := m.res.SetStatus(i, s); err != nil {
		return
	}
	if s != matcher.Review {
		m.nextReview(m.cur + 1)
	}
}

// nextReview moves to the first row from r on (wrapping) whose pair is in
// Review.
func (m *Model) nextReview(r int) {
	n := len(m.rows)
	for k := 0; k < n; k++ {
		j := (r + k) % n
		if m.res.Pairs[m.rows[j]].Status == matcher.Review {
			m.move(j - m.cur)
			return
		}
	}
}

// save writes the match table and the merged dataset into the workspace.
func (m *Model) save() tea.Cmd {
	ws := m.c.Workspace
	if ws == nil {
		return func() tea.Msg {
			return ui.ErrorMsg{Err: errors.New("saving needs a workspace; without one use: mlwb match A B --on FIELDS --out pairs.csv --merged merged.csv")}
		}
	}
	table, err := m.res.Frame(m.a, m.b)
	if err == nil {
		var merged *frame.Frame
		merged, err = m.res.Merge(m.a, m.b)
		if err == nil {
			return m.startSave(ws, table, merged)
		}
	}
	return func() tea.Msg { return ui.ErrorMsg{Err: err} }
}

func (m *Model) startSave(ws *workspace.Workspace, table, merged *frame.Frame) tea.Cmd {
	base := workspace.DatasetName(strings.SplitN(m.aName, "@", 2)[0])
	if m.aName != m.bName && !m.res.Dedupe {
		base += "_" + workspace.DatasetName(strings.SplitN(m.bName, "@", 2)[0])
	}
	source := "match " + m.aName + " " + m.bName
	c := m.res.Counts()
	decisions := m.res.Decisions()
	details := map[string]any{"left": m.aName, "right": m.bName, "pairs": len(m.res.Pairs),
		"matches": c[matcher.Auto] + c[matcher.Accepted], "accepted": c[matcher.Accepted], "rejected": c[matcher.Rejected],
		"review": c[matcher.Review], "decisions": decisions, "threshold": m.res.Threshold}
	m.saving.Cancel()
	job, cmd := m.c.StartJob("saving matches", func(ctx context.Context, id int, _ func(int64, int64)) tea.Msg {
		out := savedMsg{jobID: id}
		if out.matches, out.err = ws.ImportFrame(ctx, base+"_matches", source, table); out.err != nil {
			return out
		}
		if out.merged, out.err = ws.ImportFrame(ctx, base+"_merged", source, merged); out.err != nil {
			return out
		}
		details["matches_dataset"], details["merged_dataset"] = out.matches.Ref(), out.merged.Ref()
		out.err = ws.Log("match", details)
		return out
	})
	m.saving = job
	return cmd
}

func (m *Model) onSaved(msg savedMsg) tea.Cmd {
	if msg.jobID != m.saving.ID {
		return nil
	}
	m.saving = ui.Job{}
	if msg.err != nil {
		return func() tea.Msg { return ui.ErrorMsg{Err: fmt.Errorf("save matches: %w", msg.err)} }
	}
	m.lastSavedMatches = msg.matches.Ref()
	return tea.Batch(
		func() tea.Msg { return ui.WorkspaceChangedMsg{} },
		status(fmt.Sprintf("saved %s and %s", msg.matches.Ref(), msg.merged.Ref())),
	)
}

// labelW is the width of the form's label column.
const labelW = 13

// View implements tea.Model.
func (m *Model) View() string { return m.view }

func (m *Model) render() {
	if m.width <= 0 || m.height <= 0 {
		m.view = ""
		return
	}
	var body string
	if m.res == nil || m.editing {
		body = m.formView()
	} else {
		body = m.reviewView()
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

func (m *Model) formView() string {
	st := m.c.Styles
	lines := []string{
		st.Title.Render("Fuzzy record matching") + st.Muted.Render("  link two tables, or deduplicate one"),
		"",
	}
	for i := range m.inputs {
		mark, ls := "  ", st.Panel.Label
		if m.editing && m.focus == i {
			mark, ls = st.Input.Prompt.Render(padRight(st.Glyphs.Prompt, 2)), st.Input.Prompt
		}
		in := m.inputs[i]
		lines = append(lines, mark+ls.Render(padRight(inputLabels[i], labelW))+ansi.Truncate(in.View(), in.Width+1, ""))
	}
	if m.formErr != "" {
		lines = append(lines, "", st.Input.Error.Render(m.formErr))
	}
	lines = append(lines, "")
	hint := func(s string) { lines = append(lines, st.Muted.Render(s)) }
	hint("fields: LEFT[=RIGHT][:SIM[:WEIGHT]], comma-separated; SIM is auto, jw,")
	hint("levenshtein, tokenset, numeric or exact. Pairs scoring >= threshold match;")
	hint("pairs in the review band wait for you to accept (a) or reject (r).")
	if m.loadedName != "" && len(m.loadedCols) > 0 {
		lines = append(lines, "", st.Panel.Label.Render("columns of "+m.loadedName+": ")+ui.Printable(strings.Join(m.loadedCols, ", ")))
	}
	switch {
	case m.job.Running():
		lines = append(lines, "", st.Muted.Render("matching"+st.Glyphs.Ellipsis))
	case m.res != nil:
		lines = append(lines, "", st.Muted.Render("esc: back to the "+ui.Thousands(int64(len(m.res.Pairs)))+" pairs of the last run"))
	case !m.editing:
		lines = append(lines, "", st.Muted.Render("e: edit, enter: run"))
	}
	return strings.Join(lines, "\n")
}

// listHeight is the number of pair rows shown in the review view.
func (m *Model) listHeight() int {
	return max(1, m.height-3-m.detailHeight())
}

func (m *Model) detailHeight() int {
	if m.res == nil {
		return 0
	}
	return min(len(m.res.Fields)+2, max(0, m.height/3))
}

func (m *Model) reviewView() string {
	st := m.c.Styles
	r := m.res
	c := r.Counts()
	what := m.aName + " × " + m.bName
	if r.Dedupe {
		what = m.aName + " (deduplicate)"
	}
	sep := st.Glyphs.Sep
	shown := "all pairs"
	if m.reviewOnly {
		shown = "pairs to decide"
	}
	sum := what + sep + ui.Thousands(r.Candidates) + " candidates" + sep + ui.Thousands(int64(c[matcher.Auto]+c[matcher.Accepted])) + " matches" + sep + shown
	rev := fmt.Sprintf("%s to review", ui.Thousands(int64(c[matcher.Review])))
	revStyle := st.Warn
	if c[matcher.Review] == 0 {
		revStyle = st.Good
	}
	rest := fmt.Sprintf("%s%d accepted%s%d rejected%sthreshold %g", sep, c[matcher.Accepted], sep, c[matcher.Rejected], sep, r.Threshold)
	if !r.ReviewBand.Empty() {
		rest += fmt.Sprintf("%sband [%g, %g)", sep, r.ReviewBand.Lo, r.ReviewBand.Hi)
	}
	lines := []string{st.Title.Render(sum), revStyle.Render(rev) + st.Muted.Render(rest)}
	// Pair list.
	f0 := r.Fields[0]
	valW := max(4, (m.width-2-7-10-2*7-4)/2)
	header := fmt.Sprintf("  %-6s %-9s %6s %6s  %s  %s", "score", "status", "left", "right", padRight(m.clip(f0.Left, valW), valW), m.clip(f0.Right, valW))
	lines = append(lines, st.Table.Header.Render(ansi.Truncate(header, m.width, "")))
	h := m.listHeight()
	l0, _ := m.a.Column(f0.Left)
	r0, _ := m.b.Column(f0.Right)
	if len(m.rows) == 0 {
		lines = append(lines, st.Empty.Render("  no pairs to show (f: show all pairs)"))
	}
	for k := m.top; k < min(len(m.rows), m.top+h); k++ {
		p := r.Pairs[m.rows[k]]
		line := fmt.Sprintf("%-6s %-9s %6d %6d  %s  %s", fmt.Sprintf("%.3f", p.Score), p.Status, p.Left, p.Right,
			padRight(m.clip(l0.Format(p.Left), valW), valW), m.clip(r0.Format(p.Right), valW))
		sty := statusStyle(st, p.Status)
		if k == m.cur {
			lines = append(lines, st.Table.CursorRow.Render(ansi.Truncate(padRight(st.Glyphs.Prompt, 2)+line, m.width, "")))
		} else {
			lines = append(lines, sty.Render(ansi.Truncate("  "+line, m.width, "")))
		}
	}
	for len(lines) < 3+h {
		lines = append(lines, "")
	}
	// Detail of the selected pair: every field side by side.
	if dh := m.detailHeight(); dh > 0 && len(m.rows) > 0 {
		p := r.Pairs[m.rows[m.cur]]
		lines = append(lines, st.Panel.Title.Render(fmt.Sprintf("pair %d - %d: score %.4f, %s", p.Left, p.Right, p.Score, p.Status)))
		nameW := 0
		for _, f := range r.Fields {
			nameW = max(nameW, len(f.Name())+len(f.Sim.String())+3)
		}
		nameW = min(nameW, 24)
		vw := max(4, (m.width-nameW-8-4)/2)
		for k, f := range r.Fields[:min(len(r.Fields), dh-1)] {
			lc, _ := m.a.Column(f.Left)
			rc, _ := m.b.Column(f.Right)
			s := "  n/a "
			if fs := p.FieldScores[k]; !math.IsNaN(fs) {
				s = fmt.Sprintf("%6.3f", fs)
			}
			lines = append(lines, st.Panel.Label.Render(padRight(m.clip(f.Name()+" ("+f.Sim.String()+")", nameW), nameW))+" "+
				st.Panel.Value.Render(s)+"  "+padRight(m.clip(lc.Format(p.Left), vw), vw)+"  "+m.clip(rc.Format(p.Right), vw))
		}
	}
	return strings.Join(lines, "\n")
}

func statusStyle(st *themes.Styles, s matcher.Status) lipgloss.Style {
	switch s {
	case matcher.Review:
		return st.Warn
	case matcher.Accepted:
		return st.Good
	case matcher.Rejected:
		return st.Muted
	}
	return st.Table.Cell
}

// clip shortens s (spaces collapsed) to w cells, ending in the theme's
// ellipsis when cut.
func (m *Model) clip(s string, w int) string {
	s = strings.Join(strings.Fields(ui.Printable(s)), " ")
	if ansi.StringWidth(s) <= w {
		return s
	}
	e := m.c.Styles.Glyphs.Ellipsis
	return ansi.Truncate(s, max(0, w-ansi.StringWidth(e)), "") + e
}

func padRight(s string, w int) string {
	if n := ansi.StringWidth(s); n < w {
		return s + strings.Repeat(" ", w-n)
	}
	return s
}
