package tune

import "github.com/charmbracelet/bubbles/key"

// KeyMap holds the Tune screen's keys.
type KeyMap struct {
	Up, Down    key.Binding // move between fields / rows
	Left, Right key.Binding // change the focused choice / sliced parameter
	Start       key.Binding // t or enter: start the study
	Pause       key.Binding // p: pause/resume handing out trials
	Stop        key.Binding // x: stop the study (running trials are cancelled)
	More        key.Binding // +: add 10 trials
	Narrow      key.Binding // n: narrow the space around the best trial
	Promote     key.Binding // P: refit the best trial as a run
	Pane        key.Binding // tab: form/table/graph/importance/slice
	Edit        key.Binding // e: edit the search space (setup pane)
	Apply       key.Binding // ctrl+s: apply the edited space
	Cancel      key.Binding // esc: drop the edit
}

// DefaultKeyMap returns the default keys.
func DefaultKeyMap() KeyMap {
	return KeyMap{
		Up:      key.NewBinding(key.WithKeys("up", "k"), key.WithHelp("↑/k", "up")),
		Down:    key.NewBinding(key.WithKeys("down", "j"), key.WithHelp("↓/j", "down")),
		Left:    key.NewBinding(key.WithKeys("left", "h"), key.WithHelp("←/h", "previous")),
		Right:   key.NewBinding(key.WithKeys("right", "l"), key.WithHelp("→/l", "next")),
		Start:   key.NewBinding(key.WithKeys("t", "enter"), key.WithHelp("t", "start study")),
		Pause:   key.NewBinding(key.WithKeys("p"), key.WithHelp("p", "pause/resume")),
		Stop:    key.NewBinding(key.WithKeys("x"), key.WithHelp("x", "stop")),
		More:    key.NewBinding(key.WithKeys("+"), key.WithHelp("+", "10 more trials")),
		Narrow:  key.NewBinding(key.WithKeys("n"), key.WithHelp("n", "narrow around best")),
		Promote: key.NewBinding(key.WithKeys("P"), key.WithHelp("P", "promote best to a run")),
		Pane:    key.NewBinding(key.WithKeys("tab", "shift+tab"), key.WithHelp("tab", "pane")),
		Edit:    key.NewBinding(key.WithKeys("e"), key.WithHelp("e", "edit space")),
		Apply:   key.NewBinding(key.WithKeys("ctrl+s"), key.WithHelp("ctrl+s", "apply space")),
		Cancel:  key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", "cancel edit")),
	}
}

// ShortHelp implements help.KeyMap.
func (m *Model) ShortHelp() []key.Binding {
	k := m.keys
	if m.editing {
		return []key.Binding{k.Apply, k.Cancel}
	}
	if m.pane == paneForm {
		return []key.Binding{k.Up, k.Left, k.Right, k.Start, k.Edit, k.Narrow, k.Pane}
	}
	if m.running {
		return []key.Binding{k.Pause, k.Stop, k.More, k.Promote, k.Pane}
	}
	return []key.Binding{k.Start, k.Narrow, k.Promote, k.Left, k.Pane}
}

// FullHelp implements help.KeyMap.
func (m *Model) FullHelp() [][]key.Binding {
	k := m.keys
	return [][]key.Binding{
		{k.Up, k.Down, k.Left, k.Right, k.Start, k.Pane, k.Edit, k.Apply, k.Cancel},
		{k.Pause, k.Stop, k.More, k.Narrow, k.Promote},
	}
}
