package match

import "github.com/charmbracelet/bubbles/key"

// KeyMap holds the Match screen's keys.
type KeyMap struct {
	// Setup form.
	NextField, PrevField key.Binding
	Run                  key.Binding // enter: run the match
	StopEdit             key.Binding // esc: leave the form (keys become global again)
	Edit                 key.Binding // e: edit the setup

	// Review.
	Up, Down         key.Binding
	PageUp, PageDown key.Binding
	Top, Bottom      key.Binding
	Accept           key.Binding
	Reject           key.Binding
	Undo             key.Binding // back to review
	NextReview       key.Binding // next undecided pair
	Filter           key.Binding // all pairs / to review only
	Save             key.Binding
}

// DefaultKeyMap returns the default keys.
func DefaultKeyMap() KeyMap {
	return KeyMap{
		NextField: key.NewBinding(key.WithKeys("tab", "down"), key.WithHelp("tab/↓", "next field")),
		PrevField: key.NewBinding(key.WithKeys("shift+tab", "up"), key.WithHelp("shift+tab/↑", "prev field")),
		Run:       key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "run")),
		StopEdit:  key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", "stop editing")),
		Edit:      key.NewBinding(key.WithKeys("e"), key.WithHelp("e", "edit setup")),

		Up:         key.NewBinding(key.WithKeys("up", "k"), key.WithHelp("↑/k", "up")),
		Down:       key.NewBinding(key.WithKeys("down", "j"), key.WithHelp("↓/j", "down")),
		PageUp:     key.NewBinding(key.WithKeys("pgup", "ctrl+u"), key.WithHelp("ctrl+u", "page up")),
		PageDown:   key.NewBinding(key.WithKeys("pgdown", "ctrl+d"), key.WithHelp("ctrl+d", "page down")),
		Top:        key.NewBinding(key.WithKeys("home", "g"), key.WithHelp("g", "top")),
		Bottom:     key.NewBinding(key.WithKeys("end", "G"), key.WithHelp("G", "bottom")),
		Accept:     key.NewBinding(key.WithKeys("a"), key.WithHelp("a", "accept")),
		Reject:     key.NewBinding(key.WithKeys("r"), key.WithHelp("r", "reject")),
		Undo:       key.NewBinding(key.WithKeys("u"), key.WithHelp("u", "undo")),
		NextReview: key.NewBinding(key.WithKeys("n"), key.WithHelp("n", "next to review")),
		Filter:     key.NewBinding(key.WithKeys("f"), key.WithHelp("f", "all/review")),
		Save:       key.NewBinding(key.WithKeys("s"), key.WithHelp("s", "save")),
	}
}

// ShortHelp implements help.KeyMap.
func (m *Model) ShortHelp() []key.Binding {
	k := m.keys
	switch {
	case m.editing:
		return []key.Binding{k.NextField, k.Run, k.StopEdit}
	case m.res == nil:
		return []key.Binding{k.Edit, k.Run}
	}
	return []key.Binding{k.Down, k.Accept, k.Reject, k.Undo, k.NextReview, k.Filter, k.Save, k.Edit}
}

// FullHelp implements help.KeyMap.
func (m *Model) FullHelp() [][]key.Binding {
	k := m.keys
	return [][]key.Binding{
		{k.NextField, k.PrevField, k.Run, k.StopEdit, k.Edit},
		{k.Up, k.Down, k.PageUp, k.PageDown, k.Top, k.Bottom},
		{k.Accept, k.Reject, k.Undo, k.NextReview, k.Filter, k.Save},
	}
}
