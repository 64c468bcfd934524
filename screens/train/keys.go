package train

import "github.com/charmbracelet/bubbles/key"

// KeyMap holds the Train screen's keys.
type KeyMap struct {
	Up, Down    key.Binding // move between fields / leaderboard rows
	Left, Right key.Binding // change the focused choice
	Edit        key.Binding // enter: edit the focused text field (enter again: done)
	StopEdit    key.Binding // esc while editing
	Train       key.Binding // t: start a run (queued when one is running)
	Mark        key.Binding // space: mark a run for comparison
	Compare     key.Binding // c: compare the two marked runs (or close the comparison)
	Refresh     key.Binding // r: reload the runs
	Top, Bottom key.Binding
	Pane        key.Binding // tab: form ↔ leaderboard
}

// DefaultKeyMap returns the default keys.
func DefaultKeyMap() KeyMap {
	return KeyMap{
		Up:       key.NewBinding(key.WithKeys("up", "k"), key.WithHelp("↑/k", "up")),
		Down:     key.NewBinding(key.WithKeys("down", "j"), key.WithHelp("↓/j", "down")),
		Left:     key.NewBinding(key.WithKeys("left", "h"), key.WithHelp("←/h", "previous choice")),
		Right:    key.NewBinding(key.WithKeys("right", "l"), key.WithHelp("→/l", "next choice")),
		Edit:     key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "edit field")),
		StopEdit: key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc/enter", "done editing")),
		Train:    key.NewBinding(key.WithKeys("t"), key.WithHelp("t", "train")),
		Mark:     key.NewBinding(key.WithKeys(" "), key.WithHelp("space", "mark to compare")),
		Compare:  key.NewBinding(key.WithKeys("c"), key.WithHelp("c", "compare marked")),
		Refresh:  key.NewBinding(key.WithKeys("r"), key.WithHelp("r", "reload runs")),
		Top:      key.NewBinding(key.WithKeys("home", "g"), key.WithHelp("g", "top")),
		Bottom:   key.NewBinding(key.WithKeys("end", "G"), key.WithHelp("G", "bottom")),
		Pane:     key.NewBinding(key.WithKeys("tab", "shift+tab"), key.WithHelp("tab", "form/runs")),
	}
}

// ShortHelp implements help.KeyMap.
func (m *Model) ShortHelp() []key.Binding {
	k := m.keys
	switch {
	case m.editing:
		return []key.Binding{k.StopEdit}
	case m.focus == paneForm:
		return []key.Binding{k.Up, k.Left, k.Right, k.Edit, k.Train, k.Pane}
	}
	return []key.Binding{k.Down, k.Mark, k.Compare, k.Train, k.Refresh, k.Pane}
}

// FullHelp implements help.KeyMap.
func (m *Model) FullHelp() [][]key.Binding {
	k := m.keys
	return [][]key.Binding{
		{k.Up, k.Down, k.Left, k.Right, k.Edit, k.StopEdit},
		{k.Train, k.Mark, k.Compare, k.Refresh, k.Top, k.Bottom, k.Pane},
	}
}
