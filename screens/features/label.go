package features

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/mlwb/mlwb/engine/expr"
	"github.com/mlwb/mlwb/engine/frame"
	"github.com/mlwb/mlwb/ui"
	"github.com/mlwb/mlwb/workspace"
)

// labeler holds the labelling state of the Label view: the rows whose
// target is missing, the classes, and the labels given so far with their
// undo stack.
type labeler struct {
	f       *frame.Frame
	target  string
	classes []string
	rows    []int          // rows with a missing target, in order
	labels  map[int]string // row → class given here
	undo    [][]change     // one entry per key press or rule
	cur     int

	preview    int // rows the rule being typed labels (-1: not a valid rule)
	previewErr string
}

// change is one label set, with what the row had before ("" for none).
type change struct {
	row       int
	old, next string
}

func newLabeler(f *frame.Frame, target string) labeler {
	l := labeler{f: f, target: target, labels: map[int]string{}, preview: -1}
	c, err := f.Column(target)
	if err != nil {
		return l
	}
	for i := 0; i < c.Len(); i++ {
		if c.IsNA(i) {
			l.rows = append(l.rows, i)
		}
	}
	l.classes = classesOf(c)
	return l
}

// classesOf lists the classes a target column can take: a categorical
// column's levels, false/true, or the distinct values present, sorted.
func classesOf(c frame.Column) []string {
	switch c := c.(type) {
	case *frame.CategoricalCol:
		return slices.Clone(c.Levels)
	case *frame.BoolCol:
		return []string{"false", "true"}
	}
	seen := map[string]bool{}
	var out []string
	for i := 0; i < c.Len(); i++ {
		if !c.IsNA(i) {
			if s := c.Format(i); !seen[s] {
				seen[s] = true
				out = append(out, s)
			}
		}
	}
	sort.Strings(out)
	return out
}

// set labels rows with class as one undoable step.
func (l *labeler) set(rows []int, class string) {
	var ch []change
	for _, r := range rows {
		if l.labels[r] == class {
			continue
		}
		ch = append(ch, change{row: r, old: l.labels[r], next: class})
		l.labels[r] = class
	}
	if len(ch) > 0 {
		l.undo = append(l.undo, ch)
	}
}

// undoLast reverts the last step and returns the first row it touched
// (-1 when there was none).
func (l *labeler) undoLast() int {
	if len(l.undo) == 0 {
		return -1
	}
	ch := l.undo[len(l.undo)-1]
	l.undo = l.undo[:len(l.undo)-1]
	for _, c := range ch {
		if c.old == "" {
			delete(l.labels, c.row)
		} else {
			l.labels[c.row] = c.old
		}
	}
	return ch[0].row
}

// parseRule splits "EXPR => CLASS" and checks the class.
func (l *labeler) parseRule(s string) (string, string, error) {
	src, class, ok := strings.Cut(s, "=>")
	src, class = strings.TrimSpace(src), strings.TrimSpace(class)
	if !ok || src == "" || class == "" {
		return "", "", errors.New("write a rule as: EXPRESSION => CLASS (e.g. tenure < 3 => yes)")
	}
	if !slices.Contains(l.classes, class) {
		return "", "", fmt.Errorf("class %q is not one of %s", class, strings.Join(l.classes, ", "))
	}
	return src, class, nil
}

// ruleRows returns the rows still without a label (missing target, not
// labelled here) for which the condition src holds.
func (l *labeler) ruleRows(ctx context.Context, src string) ([]int, error) {
	e, err := expr.Parse(src)
	if err != nil {
		return nil, err
	}
	p, err := e.Bind(l.f)
	if err != nil {
		return nil, err
	}
	hit, err := p.Filter(ctx)
	if err != nil {
		return nil, err
	}
	var out []int
	for _, r := range hit {
		if _, done := l.labels[r]; !done {
			if _, ok := slices.BinarySearch(l.rows, r); ok {
				out = append(out, r)
			}
		}
	}
	return out, nil
}

// labelled returns the frame with the labels written into the target.
func (l *labeler) labelled() (*frame.Frame, error) {
	c, err := l.f.Column(l.target)
	if err != nil {
		return nil, err
	}
	n := c.Len()
	missing := make([]bool, n)
	for i := range missing {
		_, labelled := l.labels[i]
		missing[i] = c.IsNA(i) && !labelled
	}
	var out frame.Column
	switch c := c.(type) {
	case *frame.CategoricalCol:
		codes := slices.Clone(c.Codes)
		for r, v := range l.labels {
			codes[r] = int32(slices.Index(c.Levels, v))
		}
		out = frame.NewCategorical(c.Name(), codes, slices.Clone(c.Levels))
	case *frame.BoolCol:
		data := slices.Clone(c.Data)
		for r, v := range l.labels {
			data[r] = v == "true"
		}
		out = frame.NewBool(c.Name(), data, frame.MaskFromMissing(missing))
	case *frame.StringCol:
		data := slices.Clone(c.Data)
		for r, v := range l.labels {
			data[r] = v
		}
		out = frame.NewString(c.Name(), data, frame.MaskFromMissing(missing))
	case *frame.Int64Col:
		data := slices.Clone(c.Data)
		for r, v := range l.labels {
			x, err := strconv.ParseInt(v, 10, 64)
			if err != nil {
				return nil, fmt.Errorf("label %q of row %d is not an integer", v, r)
			}
			data[r] = x
		}
		out = frame.NewInt64(c.Name(), data, frame.MaskFromMissing(missing))
	case *frame.Float64Col:
		data := slices.Clone(c.Data)
		for r, v := range l.labels {
			x, err := strconv.ParseFloat(v, 64)
			if err != nil {
				return nil, fmt.Errorf("label %q of row %d is not a number", v, r)
			}
			data[r] = x
		}
		out = frame.NewFloat64(c.Name(), data, frame.MaskFromMissing(missing))
	default:
		return nil, fmt.Errorf("target %q is a %s column: labelling takes categorical, bool, text or number targets", l.target, c.Type())
	}
	return l.f.With(out)
}

type labelSavedMsg struct {
	ds  workspace.Dataset
	n   int
	err error
}

func (m *Model) onLabelKey(msg tea.KeyMsg) tea.Cmd {
	if msg.Type == tea.KeyRunes && len(msg.Runes) > 1 {
		// A burst of typed keys ("122u" read at once over SSH): the root
		// hands it whole to a capturing screen; here each is a command.
		var cmds []tea.Cmd
		for _, r := range msg.Runes {
			if !m.labeling || m.form != formNone {
				break
			}
			cmds = append(cmds, m.onLabelKey(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune{r}}))
		}
		return tea.Batch(cmds...)
	}
	k, l := m.keys, &m.lab
	switch {
	case key.Matches(msg, k.Close):
		m.labeling = false
	case key.Matches(msg, k.Up):
		l.cur = max(l.cur-1, 0)
	case key.Matches(msg, k.Down):
		l.cur = min(l.cur+1, max(len(l.rows)-1, 0))
	case key.Matches(msg, k.PageUp):
		l.cur = max(l.cur-10, 0)
	case key.Matches(msg, k.PageDown):
		l.cur = min(l.cur+10, max(len(l.rows)-1, 0))
	case key.Matches(msg, k.Top):
		l.cur = 0
	case key.Matches(msg, k.Bottom):
		l.cur = max(len(l.rows)-1, 0)
	case key.Matches(msg, k.Assign):
		i := int(msg.Runes[0] - '1')
		if i >= len(l.classes) || len(l.rows) == 0 {
			return nil
		}
		l.set([]int{l.rows[l.cur]}, l.classes[i])
		l.cur = min(l.cur+1, len(l.rows)-1)
	case key.Matches(msg, k.Undo):
		if r := l.undoLast(); r >= 0 {
			l.cur, _ = slices.BinarySearch(l.rows, r)
		}
	case key.Matches(msg, k.Rule):
		m.openForm(formRule, "EXPRESSION => CLASS, e.g. tenure < 3 => "+strings.Join(l.classes[:min(1, len(l.classes))], ""))
		l.preview, l.previewErr = -1, ""
	case key.Matches(msg, k.Uncertain):
		m.openForm(formUncertain, "condition flagging uncertain labels, e.g. confidence < 0.6")
		l.preview, l.previewErr = -1, ""
	case key.Matches(msg, k.Save):
		return m.saveLabels()
	}
	return nil
}

// uncertainRows returns the rows for which the condition src holds and
// that are not yet in the queue.
func (l *labeler) uncertainRows(ctx context.Context, src string) ([]int, error) {
	if strings.TrimSpace(src) == "" {
		return nil, errors.New("write a condition, e.g. confidence < 0.6")
	}
	e, err := expr.Parse(src)
	if err != nil {
		return nil, err
	}
	p, err := e.Bind(l.f)
	if err != nil {
		return nil, err
	}
	hit, err := p.Filter(ctx)
	if err != nil {
		return nil, err
	}
	var out []int
	for _, r := range hit {
		if _, ok := slices.BinarySearch(l.rows, r); !ok {
			out = append(out, r)
		}
	}
	return out, nil
}

func (m *Model) previewUncertain() {
	l := &m.lab
	l.preview, l.previewErr = -1, ""
	rows, err := l.uncertainRows(m.c.Ctx, m.input.Value())
	if err != nil {
		l.previewErr = err.Error()
		return
	}
	l.preview = len(rows)
}

// applyUncertain adds the rows the condition flags to the queue.
func (m *Model) applyUncertain() tea.Cmd {
	l := &m.lab
	rows, err := l.uncertainRows(m.c.Ctx, m.input.Value())
	if err != nil {
		m.formErr = err.Error()
		return nil
	}
	l.rows = append(l.rows, rows...)
	slices.Sort(l.rows)
	m.closeForm()
	return status(fmt.Sprintf("%d rows flagged uncertain added to the queue", len(rows)))
}

// previewRule counts the rows the typed rule would label.
func (m *Model) previewRule() {
	l := &m.lab
	l.preview, l.previewErr = -1, ""
	src, _, err := l.parseRule(m.input.Value())
	if err != nil {
		l.previewErr = err.Error()
		return
	}
	rows, err := l.ruleRows(m.c.Ctx, src)
	if err != nil {
		l.previewErr = err.Error()
		return
	}
	l.preview = len(rows)
}

func (m *Model) applyRule() tea.Cmd {
	l := &m.lab
	src, class, err := l.parseRule(m.input.Value())
	var rows []int
	if err == nil {
		rows, err = l.ruleRows(m.c.Ctx, src)
	}
	if err != nil {
		m.formErr = err.Error()
		return nil
	}
	l.set(rows, class)
	m.closeForm()
	return status(fmt.Sprintf("rule %s => %s labelled %d rows", src, class, len(rows)))
}

// saveLabels stores the labelled frame as a new version of the dataset
// and logs it.
func (m *Model) saveLabels() tea.Cmd {
	ws := m.c.Workspace
	if ws == nil {
		return errCmd(errors.New("saving labels needs a workspace"))
	}
	if len(m.lab.labels) == 0 {
		return status("no labels to save")
	}
	g, err := m.lab.labelled()
	if err != nil {
		return errCmd(err)
	}
	ref, target, n := m.name, m.target, len(m.lab.labels)
	rules := len(m.lab.undo)
	_, cmd := m.c.StartJob("saving labels", func(ctx context.Context, _ int, _ func(int64, int64)) tea.Msg {
		parent, err := ws.DatasetRef(ref)
		if err != nil {
			return labelSavedMsg{err: err}
		}
		ds, err := ws.ImportFrameWith(ctx, parent.Name, "label("+parent.Ref()+")", g, workspace.ImportOptions{Parent: parent.Hash, Format: "parquet"})
		if err != nil {
			return labelSavedMsg{err: err}
		}
		err = ws.Log("label", map[string]any{"dataset": ds.Ref(), "parent": parent.Ref(), "target": target, "labelled": n, "steps": rules})
		return labelSavedMsg{ds: ds, n: n, err: err}
	})
	return cmd
}

func (m *Model) onLabelSaved(msg labelSavedMsg) tea.Cmd {
	if msg.err != nil {
		return errCmd(fmt.Errorf("save labels: %w", msg.err))
	}
	m.labeling = false
	name := msg.ds.Name
	return tea.Batch(
		func() tea.Msg { return ui.WorkspaceChangedMsg{} },
		func() tea.Msg { return ui.DatasetSelectedMsg{Name: name} },
		status(fmt.Sprintf("saved %d labels as %s", msg.n, msg.ds.Ref())),
	)
}
