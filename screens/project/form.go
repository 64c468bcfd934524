package project

import (
	"errors"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"

	"github.com/charmbracelet/bubbles/cursor"
	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/bubbles/textinput"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/ansi"
	"github.com/mlwb/mlwb/themes"
	"github.com/mlwb/mlwb/workspace"
)

// fieldKind says how a form field is edited and parsed.
type fieldKind int

const (
	kindText      fieldKind = iota // free text
	kindNumber                     // a float; empty means 0
	kindOptNumber                  // a float; empty means not set
	kindList                       // comma-separated column names
	kindChoice                     // one of a fixed list, cycled with ←/→
)

var kindNames = [...]string{"text", "number", "optional number", "list", "choice"}

// String returns the kind's name.
func (k fieldKind) String() string {
	if int(k) < len(kindNames) {
		return kindNames[k]
	}
	return "fieldKind(" + strconv.Itoa(int(k)) + ")"
}

// Keys of the form fields: the dotted card keys that CardError.Field names.
const (
	keyName        = "name"
	keyDescription = "description"
	keyTask        = "task"
	keyTarget      = "target"
	keyMetric      = "metric.name"
	keyThreshold   = "metric.threshold"
	keyCurrency    = "business.currency"
	keyTP          = "business.true_positive_value"
	keyFP          = "business.false_positive_cost"
	keyFN          = "business.false_negative_cost"
	keyTN          = "business.true_negative_value"
	keySensitive   = "privacy.sensitive_attributes"
	keyPII         = "privacy.pii_columns"
	keyPIIPolicy   = "privacy.pii_policy"
	keyMaxDPD      = "fairness.max_demographic_parity_difference"
	keyMaxEOD      = "fairness.max_equalized_odds_difference"
	keyMinDIR      = "fairness.min_disparate_impact_ratio"
)

// field is one row of the card form.
type field struct {
	key     string // dotted card key
	label   string
	section string // heading shown before this field when not ""
	kind    fieldKind
	input   textinput.Model // every kind but kindChoice
	choices []string        // kindChoice: the values, "" first
	choice  int             // kindChoice: index into choices
	none    string          // kindChoice: how "" is shown
	columns bool            // completes column names of the open dataset
	err     string          // validation error shown beside the field
}

// value returns the field's text or chosen value.
func (f *field) value() string {
	if f.kind == kindChoice {
		return f.choices[f.choice]
	}
	return f.input.Value()
}

// cardForm edits a copy of the project card.
type cardForm struct {
	fields  []field
	focus   int
	columns []string // column names of the open dataset, for completion
	saving  bool     // SaveCard is running
	err     string   // a problem not tied to one field (the file changed)
	offset  int      // first body line shown
}

// formLabelW is the width of the label column in a form w cells wide.
func formLabelW(w int) int { return min(formLabelWidth, max(10, w/3)) }

// formInputWidth is the width of the input column in a form w cells wide.
func formInputWidth(w int) int { return max(8, min(40, w-2-formLabelW(w))) }

// formLabelWidth is the width of the label column: the longest label plus a
// space.
const formLabelWidth = 28

// newInput returns a text input styled from st, with completion keys that
// leave tab, ↑ and ↓ to the form.
func newInput(st *themes.Styles, value, placeholder string) textinput.Model {
	in := textinput.New()
	in.Prompt = ""
	in.PromptStyle = st.Input.Prompt
	in.TextStyle = st.Input.Text
	in.PlaceholderStyle = st.Input.Placeholder
	in.CompletionStyle = st.Input.Placeholder
	in.Cursor.Style = st.Input.Text.Reverse(true)
	in.Cursor.TextStyle = st.Input.Text
	in.Cursor.SetMode(cursor.CursorStatic)
	in.Placeholder = placeholder
	in.KeyMap.AcceptSuggestion = key.NewBinding(key.WithDisabled())
	in.KeyMap.NextSuggestion = key.NewBinding(key.WithKeys("ctrl+n"))
	in.KeyMap.PrevSuggestion = key.NewBinding(key.WithKeys("ctrl+p"))
	in.SetValue(value)
	in.CursorStart()
	return in
}

// refit recomputes the visible part of in after its width changed (the
// input itself only does so when its cursor moves past an edge).
func refit(in *textinput.Model) {
	p := in.Position()
	in.CursorEnd()
	in.CursorStart()
	in.SetCursor(p)
}

// inputView renders in cut to its width plus the cursor cell: a completion
// shown after the text would otherwise widen it.
func inputView(in *textinput.Model) string {
	return ansi.Truncate(in.View(), in.Width+1, "")
}

// formatNumber writes x for editing: the shortest text that reads back as x.
func formatNumber(x float64) string { return strconv.FormatFloat(x, 'g', -1, 64) }

func formatOptNumber(p *float64) string {
	if p == nil {
		return ""
	}
	return formatNumber(*p)
}

// taskChoices are the values of the task field.
func taskChoices() []string {
	out := []string{""}
	for _, t := range workspace.Tasks {
		out = append(out, string(t))
	}
	return out
}

// metricChoices are the metrics that fit task, after "" (none); current is
// kept in the list (in front of the others) when it does not fit, so the
// form shows it and Validate explains what is wrong.
func metricChoices(task workspace.Task, current string) []string {
	out := []string{""}
	for _, m := range workspace.Metrics(task) {
		out = append(out, m.Name)
	}
	if current != "" && !slices.Contains(out, current) {
		out = slices.Insert(out, 1, current)
	}
	return out
}

func policyChoices() []string {
	out := []string{""}
	for _, p := range workspace.PIIPolicies {
		out = append(out, string(p))
	}
	return out
}

// newCardForm returns a form holding card c. columns are the open dataset's
// column names (nil when none is open).
func newCardForm(st *themes.Styles, c workspace.Card, columns []string) *cardForm {
	text := func(key, label, section, value, placeholder string) field {
		return field{key: key, label: label, section: section, kind: kindText, input: newInput(st, value, placeholder)}
	}
	num := func(key, label, section string, x float64) field {
		return field{key: key, label: label, section: section, kind: kindNumber, input: newInput(st, formatNumber(x), "0")}
	}
	opt := func(key, label, section string, x *float64) field {
		return field{key: key, label: label, section: section, kind: kindOptNumber, input: newInput(st, formatOptNumber(x), "no limit")}
	}
	list := func(key, label, section string, v []string) field {
		return field{key: key, label: label, section: section, kind: kindList, columns: true, input: newInput(st, strings.Join(v, ", "), "none")}
	}
	choice := func(key, label, section string, choices []string, v, none string) field {
		i := max(0, slices.Index(choices, v))
		return field{key: key, label: label, section: section, kind: kindChoice, choices: choices, choice: i, none: none}
	}
	target := text(keyTarget, "target", "", c.Target, "column to predict")
	target.columns = true
	threshold := opt(keyThreshold, "threshold", "", c.Metric.Threshold)
	threshold.input.Placeholder = "none"
	f := &cardForm{
		fields: []field{
			text(keyName, "name", "Project", c.Name, "project name"),
			text(keyDescription, "description", "", c.Description, "what the project is for"),
			choice(keyTask, "task", "", taskChoices(), string(c.Task), "undecided"),
			target,
			choice(keyMetric, "metric", "Metric", metricChoices(c.Task, c.Metric.Name), c.Metric.Name, "none"),
			threshold,
			text(keyCurrency, "currency", "Business (binary tasks)", c.Business.Currency, "e.g. EUR"),
			num(keyTP, "true positive value", "", c.Business.TruePositiveValue),
			num(keyFP, "false positive cost", "", c.Business.FalsePositiveCost),
			num(keyFN, "false negative cost", "", c.Business.FalseNegativeCost),
			num(keyTN, "true negative value", "", c.Business.TrueNegativeValue),
			list(keySensitive, "sensitive attributes", "Privacy", c.Privacy.SensitiveAttributes),
			list(keyPII, "PII columns", "", c.Privacy.PIIColumns),
			choice(keyPIIPolicy, "PII policy", "", policyChoices(), string(c.Privacy.PIIPolicy), "undecided (mask)"),
			opt(keyMaxDPD, "max demographic parity diff", "Fairness", c.Fairness.MaxDemographicParityDifference),
			opt(keyMaxEOD, "max equalized odds diff", "", c.Fairness.MaxEqualizedOddsDifference),
			opt(keyMinDIR, "min disparate impact ratio", "", c.Fairness.MinDisparateImpactRatio),
		},
	}
	f.setColumns(columns)
	return f
}

// index returns the position of the field with the dotted key, or -1.
func (f *cardForm) index(key string) int {
	return slices.IndexFunc(f.fields, func(x field) bool { return x.key == key })
}

// setColumns sets the column names offered as completions.
func (f *cardForm) setColumns(cols []string) {
	f.columns = cols
	for i := range f.fields {
		f.refreshSuggestions(i)
	}
}

// refreshSuggestions recomputes the completions of field i from its value:
// column names for the target, and for lists the value up to its last comma
// followed by each column not listed yet.
func (f *cardForm) refreshSuggestions(i int) {
	x := &f.fields[i]
	if !x.columns {
		return
	}
	x.input.ShowSuggestions = len(f.columns) > 0
	if x.kind != kindList {
		x.input.SetSuggestions(f.columns)
		return
	}
	v := x.input.Value()
	head := ""
	if j := strings.LastIndexByte(v, ','); j >= 0 {
		head = v[:j+1] + " "
		if rest := v[j+1:]; strings.HasPrefix(rest, " ") {
			head = v[:j+1] + rest[:len(rest)-len(strings.TrimLeft(rest, " "))]
		}
	}
	listed := splitList(head)
	var sug []string
	for _, c := range f.columns {
		if !slices.Contains(listed, c) {
			sug = append(sug, head+c)
		}
	}
	x.input.SetSuggestions(sug)
}

// focusField moves the focus to field i.
func (f *cardForm) focusField(i int) tea.Cmd {
	i = max(0, min(i, len(f.fields)-1))
	if old := &f.fields[f.focus].input; f.fields[f.focus].kind != kindChoice {
		old.Blur()
		old.CursorStart() // show the start of a long value
	}
	f.focus = i
	if in := &f.fields[i].input; f.fields[i].kind != kindChoice {
		in.CursorEnd()
		return in.Focus()
	}
	return nil
}

// formAction is what a key asked the form's owner to do.
type formAction int

const (
	formNone   formAction = iota
	formSave              // validate and save
	formCancel            // close without saving
)

// update handles a key and reports what the owner must do.
func (f *cardForm) update(msg tea.KeyMsg, k KeyMap) (formAction, tea.Cmd) {
	cur := &f.fields[f.focus]
	switch {
	case key.Matches(msg, k.Cancel):
		return formCancel, nil
	case key.Matches(msg, k.Save):
		return formSave, nil
	case key.Matches(msg, k.Submit):
		if f.focus == len(f.fields)-1 {
			return formSave, nil
		}
		return formNone, f.focusField(f.focus + 1)
	case key.Matches(msg, k.Complete) && cur.kind != kindChoice && complete(&cur.input):
		f.refreshSuggestions(f.focus)
		return formNone, nil
	case key.Matches(msg, k.NextField):
		return formNone, f.focusField((f.focus + 1) % len(f.fields))
	case key.Matches(msg, k.PrevField):
		return formNone, f.focusField((f.focus + len(f.fields) - 1) % len(f.fields))
	}
	if cur.kind == kindChoice {
		f.choose(msg, k)
		return formNone, nil
	}
	old := cur.input.Value()
	var cmd tea.Cmd
	cur.input, cmd = cur.input.Update(msg)
	if cur.input.Value() != old {
		cur.err = ""
		f.refreshSuggestions(f.focus)
	}
	return formNone, cmd
}

// choose changes the value of the focused choice field: ←/→ cycle, a typed
// letter picks the next value starting with it.
func (f *cardForm) choose(msg tea.KeyMsg, k KeyMap) {
	cur := &f.fields[f.focus]
	n := len(cur.choices)
	old := cur.choice
	switch {
	case key.Matches(msg, k.ChoiceNext):
		cur.choice = (cur.choice + 1) % n
	case key.Matches(msg, k.ChoicePrev):
		cur.choice = (cur.choice + n - 1) % n
	case msg.Type == tea.KeyRunes && len(msg.Runes) == 1:
		r := strings.ToLower(string(msg.Runes))
		for d := 1; d <= n; d++ {
			j := (cur.choice + d) % n
			if strings.HasPrefix(strings.ToLower(cur.choices[j]), r) {
				cur.choice = j
				break
			}
		}
	}
	if cur.choice == old {
		return
	}
	cur.err = ""
	if cur.key == keyTask {
		// The metrics on offer depend on the task.
		m := &f.fields[f.index(keyMetric)]
		v := m.value()
		m.choices = metricChoices(workspace.Task(cur.value()), v)
		m.choice = max(0, slices.Index(m.choices, v))
	}
}

// complete accepts the completion of in: the longest prefix common to every
// match when it is longer than the value, else the selected match. It
// reports whether the value changed.
func complete(in *textinput.Model) bool {
	matches := in.MatchedSuggestions()
	if !in.ShowSuggestions || len(matches) == 0 {
		return false
	}
	v := in.Value()
	next := commonPrefix(matches)
	if len([]rune(next)) <= len([]rune(v)) {
		next = in.CurrentSuggestion()
	}
	if next == v || len([]rune(next)) < len([]rune(v)) {
		return false
	}
	in.SetValue(next)
	in.CursorEnd()
	return true
}

// commonPrefix returns the longest prefix shared by all of ss, compared
// without regard to case and spelled as in ss[0].
func commonPrefix(ss []string) string {
	p := []rune(ss[0])
	for _, s := range ss[1:] {
		r := []rune(s)
		n := 0
		for n < len(p) && n < len(r) && strings.EqualFold(string(p[n]), string(r[n])) {
			n++
		}
		p = p[:n]
	}
	return string(p)
}

// splitList splits comma-separated text into trimmed, non-empty items.
func splitList(s string) []string {
	var out []string
	for _, x := range strings.Split(s, ",") {
		if x = strings.TrimSpace(x); x != "" {
			out = append(out, x)
		}
	}
	return out
}

// card parses the form into a card and validates it. On failure it marks
// the field at fault, focuses it, and returns false.
func (f *cardForm) card() (workspace.Card, tea.Cmd, bool) {
	for i := range f.fields {
		f.fields[i].err = ""
	}
	f.err = ""
	var c workspace.Card
	bad := -1
	number := func(key string, opt bool) (*float64, bool) {
		i := f.index(key)
		s := strings.TrimSpace(f.fields[i].input.Value())
		if s == "" {
			if opt {
				return nil, true
			}
			return new(float64), true
		}
		x, err := strconv.ParseFloat(s, 64)
		if err != nil || math.IsNaN(x) || math.IsInf(x, 0) {
			f.fields[i].err = fmt.Sprintf("%q is not a number", s)
			if bad < 0 {
				bad = i
			}
			return nil, false
		}
		return &x, true
	}
	val := func(key string) string { return strings.TrimSpace(f.fields[f.index(key)].value()) }
	c.Name = val(keyName)
	c.Description = val(keyDescription)
	c.Task = workspace.Task(val(keyTask))
	c.Target = val(keyTarget)
	c.Metric.Name = val(keyMetric)
	c.Metric.Threshold, _ = number(keyThreshold, true)
	c.Business.Currency = val(keyCurrency)
	for _, b := range []struct {
		key string
		dst *float64
	}{
		{keyTP, &c.Business.TruePositiveValue},
		{keyFP, &c.Business.FalsePositiveCost},
		{keyFN, &c.Business.FalseNegativeCost},
		{keyTN, &c.Business.TrueNegativeValue},
	} {
		if x, ok := number(b.key, false); ok {
			*b.dst = *x
		}
	}
	c.Privacy.SensitiveAttributes = splitList(val(keySensitive))
	c.Privacy.PIIColumns = splitList(val(keyPII))
	c.Privacy.PIIPolicy = workspace.PIIPolicy(val(keyPIIPolicy))
	c.Fairness.MaxDemographicParityDifference, _ = number(keyMaxDPD, true)
	c.Fairness.MaxEqualizedOddsDifference, _ = number(keyMaxEOD, true)
	c.Fairness.MinDisparateImpactRatio, _ = number(keyMinDIR, true)
	if bad >= 0 {
		return c, f.focusField(bad), false
	}
	if err := c.Validate(); err != nil {
		return c, f.showError(err), false
	}
	return c, nil, true
}

// showError shows err beside the field it names (a *workspace.CardError),
// or above the form, and focuses that field.
func (f *cardForm) showError(err error) tea.Cmd {
	var ce *workspace.CardError
	if errors.As(err, &ce) && ce.Field != "" {
		if i := f.index(ce.Field); i >= 0 {
			f.fields[i].err = ce.Msg
			return f.focusField(i)
		}
	}
	f.err = err.Error()
	return nil
}

// hint is the help shown beside the focused field when it has no error.
func (f *cardForm) hint(i int) string {
	x := &f.fields[i]
	switch x.key {
	case keyTask, keyPIIPolicy:
		return "←/→ to choose"
	case keyMetric:
		if m, ok := workspace.LookupMetric(x.value()); ok {
			dir := "higher is better"
			if !m.HigherIsBetter {
				dir = "lower is better"
			}
			return "←/→ · " + rangeText(m.Min, m.Max) + ", " + dir
		}
		return "←/→ to choose"
	case keyThreshold:
		if m, ok := workspace.LookupMetric(f.fields[f.index(keyMetric)].value()); ok {
			if m.HigherIsBetter {
				return "least acceptable " + m.Name + "; empty: none"
			}
			return "largest acceptable " + m.Name + "; empty: none"
		}
		return "choose a metric first"
	case keyFP, keyFN:
		return "a positive amount"
	case keyTarget, keySensitive, keyPII:
		if len(f.columns) == 0 {
			return "open a dataset to complete columns"
		}
		if x.kind == kindList {
			return "comma-separated; tab completes"
		}
		return "tab completes a column"
	case keyMaxDPD, keyMaxEOD:
		return "0 to 1; empty: no limit"
	case keyMinDIR:
		return "0 to 1 (0.8: four-fifths rule)"
	}
	return ""
}

// rangeText writes the closed range [lo, hi] with infinite ends open.
func rangeText(lo, hi float64) string {
	l, h := "["+formatNumber(lo), formatNumber(hi)+"]"
	if math.IsInf(lo, -1) {
		l = "(-inf"
	}
	if math.IsInf(hi, 1) {
		h = "inf)"
	}
	return l + ", " + h
}

// choiceView shows a choice value, with arrows when focused.
func (x *field) choiceView(st *themes.Styles, focused bool) string {
	v := x.value()
	s := st.Input.Text.Render(v)
	if v == "" {
		s = st.Input.Placeholder.Render(x.none)
	}
	if focused {
		g := glyphsFor(st)
		return st.Input.Prompt.Render(g.left+" ") + s + st.Input.Prompt.Render(" "+g.right)
	}
	return s
}

// lines renders the form's body (without the heading) for width w, and
// returns the index of the focused field's line.
func (f *cardForm) lines(st *themes.Styles, w int) ([]string, int) {
	const indent = 2
	labelW := formLabelW(w)
	inputW := formInputWidth(w)
	sideW := w - indent - labelW - inputW - 2 // room for notes beside the input
	var body []string
	focusLine := 0
	for i := range f.fields {
		x := &f.fields[i]
		if x.section != "" {
			if len(body) > 0 {
				body = append(body, "")
			}
			body = append(body, st.Title.Render(x.section))
		}
		focused := i == f.focus
		mark := strings.Repeat(" ", indent)
		labelStyle := st.Panel.Label
		if focused {
			mark = st.Input.Prompt.Render(padRight(st.Glyphs.Prompt, indent))
			labelStyle = st.Input.Prompt
			focusLine = len(body)
		}
		label := labelStyle.Render(padRight(ansi.Truncate(x.label, labelW-1, "…"), labelW))
		var in string
		if x.kind == kindChoice {
			in = x.choiceView(st, focused)
		} else {
			in = inputView(&x.input)
		}
		line := mark + label + padRight(in, inputW)
		note, noteStyle := x.err, st.Input.Error
		if note != "" {
			note = glyphsFor(st).bad + " " + note
		} else if focused {
			note, noteStyle = f.hint(i), st.Muted
		}
		switch {
		case note == "":
		case ansi.StringWidth(note) <= sideW || x.err == "" && sideW >= 16:
			line += "  " + noteStyle.Render(ansi.Truncate(note, max(0, sideW), "…"))
		default: // an error too long to fit beside: on the next line
			body = append(body, line)
			line = strings.Repeat(" ", indent+labelW) + noteStyle.Render(ansi.Truncate(note, max(0, w-indent-labelW), "…"))
		}
		body = append(body, line)
	}
	return body, focusLine
}

// formHeadLines is the number of lines above the form's fields.
const formHeadLines = 2

// scroll moves the form's offset so that the focused field, and the line
// under it (where a long error goes), are visible in a box of w×h.
func (f *cardForm) scroll(st *themes.Styles, w, h int) {
	for i := range f.fields {
		in := &f.fields[i].input
		in.Width = formInputWidth(w) - 1
		refit(in)
	}
	body, focusLine := f.lines(st, w)
	bodyH := max(1, h-formHeadLines)
	if focusLine < f.offset {
		f.offset = focusLine
	}
	if focusLine+1 >= f.offset+bodyH {
		f.offset = focusLine + 2 - bodyH
	}
	f.offset = max(0, min(f.offset, len(body)-bodyH))
}

// view renders the form in a box of w×h cells.
func (f *cardForm) view(st *themes.Styles, w, h int) string {
	body, _ := f.lines(st, w)
	head := []string{st.Title.Render("Edit project card") + st.Muted.Render("  ctrl+s save · esc cancel")}
	switch {
	case f.saving:
		head = append(head, st.Muted.Render("saving…"))
	case f.err != "":
		head = append(head, st.Bad.Render(ansi.Truncate(f.err, w, "…")))
	default:
		head = append(head, "")
	}
	bodyH := max(1, h-formHeadLines)
	off := max(0, min(f.offset, len(body)-bodyH))
	end := min(len(body), off+bodyH)
	return fitBlock(append(head, body[off:end]...), w, h)
}
