package clean

import "github.com/charmbracelet/bubbles/key"

// KeyMap holds the Clean screen's keys: browsing the recipe and the
// columns, the actions, and the keys of the menus and forms (active while
// one is open).
type KeyMap struct {
	// Browsing.
	NextPane key.Binding // tab: focus the other pane
	PrevPane key.Binding // shift+tab
	Up       key.Binding // ↑, k
	Down     key.Binding // ↓, j
	Top      key.Binding // g, home
	Bottom   key.Binding // G, end

	// Actions.
	Action  key.Binding // a, enter on a column: the action menu
	Edit    key.Binding // e, enter on a step: edit the step's params
	Undo    key.Binding // u
	Redo    key.Binding // ctrl+r
	Delete  key.Binding // x: delete the step under the cursor
	MoveUp  key.Binding // K: move the step up
	MoveDn  key.Binding // J: move the step down
	Suggest key.Binding // S: suggested steps
	Merge   key.Binding // m: join with another dataset
	Rebase  key.Binding // R: replay the recipe on a re-imported dataset
	Reset   key.Binding // N: start a new recipe on it

	// Menus and forms.
	NextField  key.Binding // tab, ↓
	PrevField  key.Binding // shift+tab, ↑
	ChoicePrev key.Binding // ←
	ChoiceNext key.Binding // →
	Toggle     key.Binding // space: include or leave out a group of variants
	Submit     key.Binding // enter: apply the step, pick the item
	Cancel     key.Binding // esc: close

	// The delete question.
	Yes key.Binding // y
	No  key.Binding // n, esc
}

// DefaultKeyMap returns the default keys.
func DefaultKeyMap() KeyMap {
	return KeyMap{
		NextPane: key.NewBinding(key.WithKeys("tab"), key.WithHelp("tab", "other pane")),
		PrevPane: key.NewBinding(key.WithKeys("shift+tab"), key.WithHelp("shift+tab", "other pane")),
		Up:       key.NewBinding(key.WithKeys("up", "k"), key.WithHelp("↑/k", "up")),
		Down:     key.NewBinding(key.WithKeys("down", "j"), key.WithHelp("↓/j", "down")),
		Top:      key.NewBinding(key.WithKeys("g", "home"), key.WithHelp("g", "first")),
		Bottom:   key.NewBinding(key.WithKeys("G", "end"), key.WithHelp("G", "last")),

		Action:  key.NewBinding(key.WithKeys("a"), key.WithHelp("a/enter", "actions")),
		Edit:    key.NewBinding(key.WithKeys("e"), key.WithHelp("e/enter", "edit step")),
		Undo:    key.NewBinding(key.WithKeys("u"), key.WithHelp("u", "undo")),
		Redo:    key.NewBinding(key.WithKeys("ctrl+r"), key.WithHelp("ctrl+r", "redo")),
		Delete:  key.NewBinding(key.WithKeys("x"), key.WithHelp("x", "delete step")),
		MoveUp:  key.NewBinding(key.WithKeys("K"), key.WithHelp("K/J", "move step")),
		MoveDn:  key.NewBinding(key.WithKeys("J"), key.WithHelp("J", "move step down")),
		Suggest: key.NewBinding(key.WithKeys("S"), key.WithHelp("S", "suggestions")),
		Merge:   key.NewBinding(key.WithKeys("m"), key.WithHelp("m", "merge")),
		Rebase:  key.NewBinding(key.WithKeys("R"), key.WithHelp("R", "replay recipe")),
		Reset:   key.NewBinding(key.WithKeys("N"), key.WithHelp("N", "new recipe")),

		NextField:  key.NewBinding(key.WithKeys("tab", "down"), key.WithHelp("tab/↓", "next field")),
		PrevField:  key.NewBinding(key.WithKeys("shift+tab", "up"), key.WithHelp("shift+tab/↑", "prev field")),
		ChoicePrev: key.NewBinding(key.WithKeys("left"), key.WithHelp("←", "prev choice")),
		ChoiceNext: key.NewBinding(key.WithKeys("right"), key.WithHelp("→", "next choice")),
		Toggle:     key.NewBinding(key.WithKeys(" "), key.WithHelp("space", "include/leave out")),
		Submit:     key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "apply")),
		Cancel:     key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", "cancel")),

		Yes: key.NewBinding(key.WithKeys("y", "Y"), key.WithHelp("y", "delete")),
		No:  key.NewBinding(key.WithKeys("n", "N", "esc"), key.WithHelp("n/esc", "keep")),
	}
}

// ShortHelp implements help.KeyMap for the current mode and pane.
func (m *Model) ShortHelp() []key.Binding {
	k := m.keys
	switch m.mode {
	case modeMenu, modeSuggest:
		return []key.Binding{k.Up, k.Down, withHelp(k.Submit, "open"), withHelp(k.Cancel, "close")}
	case modeForm:
		if f := m.form; f != nil && f.fields[f.focus].kind == kindGroups {
			return []key.Binding{k.Toggle, withHelp(chooseHelp, "spelling kept"), k.Submit, k.Cancel}
		}
		return []key.Binding{k.NextField, chooseHelp, k.Submit, k.Cancel}
	case modeMerge:
		return []key.Binding{k.NextField, chooseHelp, withHelp(k.Submit, "merge"), k.Cancel}
	case modeConfirm:
		return []key.Binding{k.Yes, k.No}
	}
	if m.c.Workspace == nil || m.f == nil {
		return nil
	}
	if m.detached() {
		return []key.Binding{k.Rebase, k.Reset, k.NextPane}
	}
	if m.focus == paneRecipe {
		return []key.Binding{k.NextPane, k.Edit, k.Delete, k.MoveUp, k.Undo, k.Redo}
	}
	return []key.Binding{k.NextPane, k.Action, k.Suggest, k.Merge, k.Undo, k.Redo}
}

// FullHelp implements help.KeyMap.
func (m *Model) FullHelp() [][]key.Binding {
	k := m.keys
	switch m.mode {
	case modeBrowse:
	case modeForm:
		return [][]key.Binding{{k.NextField, k.PrevField, k.ChoicePrev, k.ChoiceNext, k.Toggle}, {k.Submit, k.Cancel}}
	case modeMerge:
		return [][]key.Binding{{k.NextField, k.PrevField, k.ChoicePrev, k.ChoiceNext}, {withHelp(k.Submit, "merge"), k.Cancel}}
	default:
		return [][]key.Binding{m.ShortHelp()}
	}
	if m.c.Workspace == nil || m.f == nil {
		return nil
	}
	return [][]key.Binding{
		{k.NextPane, k.Up, k.Down, k.Top, k.Bottom},
		{k.Action, k.Suggest, k.Merge, k.Undo, k.Redo},
		{k.Edit, k.Delete, k.MoveUp, k.MoveDn, k.Rebase, k.Reset},
	}
}

// chooseHelp stands for ChoicePrev and ChoiceNext in the short help.
var chooseHelp = key.NewBinding(key.WithKeys("left", "right"), key.WithHelp("←/→", "choose"))

// withHelp returns b with another description.
func withHelp(b key.Binding, desc string) key.Binding {
	b.SetHelp(b.Help().Key, desc)
	return b
}
