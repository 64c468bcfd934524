package clean

import (
	"errors"
	"fmt"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/charmbracelet/bubbles/cursor"
	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/bubbles/textinput"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/mlwb/mlwb/engine/clean"
	"github.com/mlwb/mlwb/engine/frame"
	"github.com/mlwb/mlwb/themes"
	"github.com/mlwb/mlwb/ui"
)

// fieldKind says how a form field is edited.
type fieldKind int

const (
	kindText   fieldKind = iota // free text
	kindChoice                  // one of a fixed list, cycled with ←/→
	kindGroups                  // groups of variant spellings, toggled with space
)

var kindNames = [...]string{"text", "choice", "groups"}

// String returns the kind's name.
func (k fieldKind) String() string {
	if int(k) < len(kindNames) {
		return kindNames[k]
	}
	return "fieldKind(" + strconv.Itoa(int(k)) + ")"
}

// field is one row of a step form.
type field struct {
	key   string // the param name, or "columns"
	label string
	kind  fieldKind
	input textinput.Model // kindText
	// kindChoice: the values; with omitFirst the first value is the op's
	// default and is left out of the step's params.
	choices   []string
	choice    int
	omitFirst bool
	number    bool // kindText: the value is a number
	// kindGroups: the suggested groups and the one under the cursor.
	groups []variantGroup
	gcur   int
}

// variantGroup is one suggested group of spellings of a value.
type variantGroup struct {
	values []string // as suggested: the most frequent first
	canon  int      // index of the spelling the others become
	on     bool     // included in the step
}

// value returns the field's text or chosen value.
func (f *field) value() string {
	if f.kind == kindChoice {
		return f.choices[f.choice]
	}
	return strings.TrimSpace(f.input.Value())
}

// stepForm edits one step before it is applied: a new step from the action
// menu or a suggestion, or a step of the recipe (edit >= 0).
type stepForm struct {
	op     string
	fields []field
	focus  int
	edit   int        // 0-based index of the step being edited, -1 for a new one
	typ    frame.Type // type of the first column: how impute's value is read
	reason string     // why the step was suggested, or ""

	seq        int    // bumped on every change; a preview answers one seq
	previewSeq int    // the seq the preview shown belongs to
	preview    string // the effect text of the latest preview
	previewErr string // or why the step cannot be applied
	job        ui.Job // the running preview
	applying   bool   // Apply or SetSteps is running
}

// newInput returns a text input styled from st.
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

// impute methods by column type.
func imputeMethods(t frame.Type) []string {
	switch t {
	case frame.Int, frame.Float:
		return []string{"median", "mean", "mode", "constant"}
	case frame.Datetime:
		return []string{"median", "mode", "constant"}
	}
	return []string{"mode", "constant"}
}

// castTypes are the types cast accepts.
var castTypes = []string{"float", "int", "bool", "datetime", "categorical", "string"}

// newStepForm returns the form of step s (its op, columns and params fill
// the fields). t is the type of the step's first column, which narrows the
// choices (impute methods). groups are the variant groups offered by a
// merge_categories form besides those in s.
func newStepForm(st *themes.Styles, s clean.Step, t frame.Type, edit int) *stepForm {
	p := s.Params
	text := func(k, label, placeholder string) field {
		return field{key: k, label: label, kind: kindText, input: newInput(st, paramText(p[k]), placeholder)}
	}
	num := func(k, label, placeholder string) field {
		f := text(k, label, placeholder)
		f.number = true
		return f
	}
	choice := func(k, label string, omitFirst bool, choices ...string) field {
		i := 0
		if v, ok := p[k]; ok {
			s := paramText(v)
			if j := slices.Index(choices, s); j >= 0 {
				i = j
			} else {
				choices = append(choices, s)
				i = len(choices) - 1
			}
		}
		return field{key: k, label: label, kind: kindChoice, choices: choices, choice: i, omitFirst: omitFirst}
	}
	yesNo := func(k, label string) field {
		f := choice(k, label, true, "no", "yes")
		if b, ok := p[k].(bool); ok && b {
			f.choice = 1
		}
		return f
	}
	cols := func(placeholder string) field {
		return field{key: "columns", label: "columns", kind: kindText, input: newInput(st, strings.Join(s.Columns, ", "), placeholder)}
	}
	const some = "column, column…"
	var fs []field
	switch s.Op {
	case "drop_columns":
		fs = []field{cols(some)}
	case "rename":
		fs = []field{cols(some), text("to", "new names", "one per column")}
	case "cast":
		def := "string"
		if t == frame.Categorical || t == frame.String {
			def = "float"
		}
		to := choice("to", "to", false, castTypes...)
		if _, ok := p["to"]; !ok {
			to.choice = slices.Index(castTypes, def)
		}
		fs = []field{cols(some), to, text("layout", "date layout", "detect (datetime only)"), yesNo("strict", "strict")}
	case "parse_dates":
		fs = []field{cols(some), text("layout", "layout", "detect"), yesNo("strict", "strict")}
	case "drop_missing":
		fs = []field{cols("all columns"), choice("how", "drop when", true, "any", "all")}
	case "impute":
		fs = []field{cols(some), choice("method", "method", false, imputeMethods(t)...), text("value", "value", "for constant")}
	case "drop_duplicates":
		fs = []field{cols("all columns"), choice("keep", "keep", true, "first", "last")}
	case "trim":
		fs = []field{cols("all text columns"), yesNo("collapse", "collapse inner spaces")}
	case "case":
		fs = []field{cols("all text columns"), choice("to", "to", true, "lower", "upper", "title")}
	case "merge_categories":
		g := field{key: "groups", label: "groups", kind: kindGroups}
		for _, grp := range paramGroups(p["groups"]) {
			g.groups = append(g.groups, variantGroup{values: grp, on: true})
		}
		fs = []field{cols("one text column"), g}
	case "clip":
		m := choice("method", "method", true, "bounds", "iqr")
		fs = []field{cols(some), m, num("lower", "lower", "none"), num("upper", "upper", "none"), num("k", "k (iqr)", "1.5")}
	case "winsorize":
		fs = []field{cols(some), num("lower", "lower quantile", "0.01"), num("upper", "upper quantile", "0.99")}
	case "filter":
		fs = []field{text("expr", "keep rows where", "e.g. age >= 18 && age <= 100")}
	case "mask":
		fs = []field{cols(some), num("keep", "digits kept", "2")}
	case "hash":
		fs = []field{cols(some), num("length", "hex digits", "16")}
	default:
		fs = []field{cols(some)}
	}
	f := &stepForm{op: s.Op, fields: fs, edit: edit, typ: t}
	f.focusField(0)
	return f
}

// paramText writes a param value for editing.
func paramText(v any) string {
	switch v := v.(type) {
	case nil:
		return ""
	case string:
		return v
	case float64:
		return strconv.FormatFloat(v, 'g', -1, 64)
	case int:
		return strconv.Itoa(v)
	case bool:
		return strconv.FormatBool(v)
	case []string:
		return strings.Join(v, ", ")
	case []any:
		out := make([]string, len(v))
		for i, x := range v {
			out[i] = paramText(x)
		}
		return strings.Join(out, ", ")
	}
	return fmt.Sprint(v)
}

// paramGroups reads a merge_categories "groups" param in either of the
// forms it takes ([][]string from Go, []any of []any from JSON).
func paramGroups(v any) [][]string {
	switch v := v.(type) {
	case [][]string:
		return v
	case []any:
		var out [][]string
		for _, x := range v {
			var g []string
			switch x := x.(type) {
			case []string:
				g = x
			case []any:
				for _, s := range x {
					if s, ok := s.(string); ok {
						g = append(g, s)
					}
				}
			}
			out = append(out, g)
		}
		return out
	}
	return nil
}

// index returns the position of the field with key, or -1.
func (f *stepForm) index(k string) int {
	return slices.IndexFunc(f.fields, func(x field) bool { return x.key == k })
}

// focusField moves the focus to field i.
func (f *stepForm) focusField(i int) {
	i = max(0, min(i, len(f.fields)-1))
	if old := &f.fields[f.focus]; old.kind == kindText {
		old.input.Blur()
	}
	f.focus = i
	if x := &f.fields[i]; x.kind == kindText {
		x.input.CursorEnd()
		x.input.Focus()
	}
}

// step builds the step the form describes, or says which field is wrong.
func (f *stepForm) step() (clean.Step, error) {
	s := clean.Step{Op: f.op, Params: map[string]any{}}
	for i := range f.fields {
		x := &f.fields[i]
		v := x.value()
		switch {
		case x.key == "columns":
			s.Columns = splitList(v)
		case x.kind == kindGroups:
			var gs []any
			for _, g := range x.groups {
				if !g.on {
					continue
				}
				vals := []any{g.values[g.canon]}
				for j, s := range g.values {
					if j != g.canon {
						vals = append(vals, s)
					}
				}
				gs = append(gs, vals)
			}
			if len(gs) == 0 {
				return s, errors.New("no group chosen: space includes a group")
			}
			s.Params["groups"] = gs
		case x.kind == kindChoice:
			if x.omitFirst && x.choice == 0 {
				continue
			}
			switch v {
			case "yes":
				s.Params[x.key] = true
			case "no":
				s.Params[x.key] = false
			default:
				s.Params[x.key] = v
			}
		case v == "":
		case x.number:
			n, err := strconv.ParseFloat(v, 64)
			if err != nil {
				return s, fmt.Errorf("%s: %q is not a number", x.label, v)
			}
			s.Params[x.key] = n
		case x.key == "value" && f.op == "impute":
			c, err := constant(v, f.typ)
			if err != nil {
				return s, err
			}
			s.Params[x.key] = c
		case x.key == "to" && f.op == "rename":
			s.Params[x.key] = splitList(v)
		default:
			s.Params[x.key] = v
		}
	}
	if f.op == "clip" {
		if _, iqr := s.Params["method"]; !iqr {
			delete(s.Params, "k")
		} else {
			delete(s.Params, "lower")
			delete(s.Params, "upper")
		}
	}
	if f.op == "impute" && s.Params["method"] != "constant" {
		delete(s.Params, "value")
	}
	if len(s.Params) == 0 {
		s.Params = nil
	}
	if err := s.Validate(); err != nil {
		return s, err
	}
	return s, nil
}

// constant reads impute's constant for a column of type t: a number for
// int and float columns, true or false for bools, else the text.
func constant(v string, t frame.Type) (any, error) {
	switch t {
	case frame.Int, frame.Float:
		x, err := strconv.ParseFloat(v, 64)
		if err != nil {
			return nil, fmt.Errorf("value: %q is not a number", v)
		}
		return x, nil
	case frame.Bool:
		b, err := strconv.ParseBool(v)
		if err != nil {
			return nil, fmt.Errorf("value: %q is not true or false", v)
		}
		return b, nil
	}
	return v, nil
}

// splitList splits comma-separated names, dropping empty ones.
func splitList(s string) []string {
	var out []string
	for _, p := range strings.Split(s, ",") {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

// update handles a key of the open form. It reports whether the step may
// have changed (so the preview must be redone) and a command.
func (f *stepForm) update(msg tea.KeyMsg, k KeyMap) (changed bool, cmd tea.Cmd) {
	cur := &f.fields[f.focus]
	if cur.kind == kindGroups {
		switch {
		case key.Matches(msg, k.Toggle) && len(cur.groups) > 0:
			cur.groups[cur.gcur].on = !cur.groups[cur.gcur].on
			return true, nil
		case key.Matches(msg, k.ChoiceNext, k.ChoicePrev) && len(cur.groups) > 0:
			g := &cur.groups[cur.gcur]
			d := 1
			if key.Matches(msg, k.ChoicePrev) {
				d = len(g.values) - 1
			}
			g.canon = (g.canon + d) % len(g.values)
			return true, nil
		case msg.String() == "down" && cur.gcur < len(cur.groups)-1:
			cur.gcur++
			return false, nil
		case msg.String() == "up" && cur.gcur > 0:
			cur.gcur--
			return false, nil
		}
	}
	switch {
	case key.Matches(msg, k.NextField):
		f.focusField((f.focus + 1) % len(f.fields))
		return false, nil
	case key.Matches(msg, k.PrevField):
		f.focusField((f.focus + len(f.fields) - 1) % len(f.fields))
		return false, nil
	}
	if cur.kind == kindChoice {
		n := len(cur.choices)
		switch {
		case key.Matches(msg, k.ChoiceNext, k.Toggle):
			cur.choice = (cur.choice + 1) % n
			return true, nil
		case key.Matches(msg, k.ChoicePrev):
			cur.choice = (cur.choice + n - 1) % n
			return true, nil
		}
		return false, nil
	}
	if cur.kind != kindText {
		return false, nil
	}
	old := cur.input.Value()
	cur.input, cmd = cur.input.Update(msg)
	return cur.input.Value() != old, cmd
}

// paramSummary writes a step's params compactly for the recipe list:
// "method=median", "2 groups", "expr=age > 18". Salts are not shown.
func paramSummary(s clean.Step) string {
	keys := make([]string, 0, len(s.Params))
	for k := range s.Params {
		if k != "salt" {
			keys = append(keys, k)
		}
	}
	sort.Strings(keys)
	parts := make([]string, 0, len(keys))
	for _, k := range keys {
		v := s.Params[k]
		switch k {
		case "groups":
			n := len(paramGroups(v))
			parts = append(parts, plural(n, "group", "groups"))
		case "expr":
			parts = append(parts, paramText(v))
		default:
			parts = append(parts, k+"="+paramText(v))
		}
	}
	return strings.Join(parts, " ")
}

func plural(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return ui.Thousands(int64(n)) + " " + many
}
