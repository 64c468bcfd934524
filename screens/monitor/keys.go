package monitor

import "github.com/charmbracelet/bubbles/key"

// KeyMap holds the Monitor screen's keys.
type KeyMap struct {
	Up, Down     key.Binding // select a column
	Prev, Next   key.Binding // select a batch
	Latest       key.Binding // follow the latest batch
	Reload       key.Binding // recompute everything
	Pause        key.Binding // pause/resume live watching
	ToggleAlerts key.Binding // enlarge the alerts list
	Model        key.Binding // pick the monitored model
}

// DefaultKeyMap returns the default keys.
func DefaultKeyMap() KeyMap {
	return KeyMap{
		Up:           key.NewBinding(key.WithKeys("up", "k"), key.WithHelp("↑/k", "column")),
		Down:         key.NewBinding(key.WithKeys("down", "j"), key.WithHelp("↓/j", "column")),
		Prev:         key.NewBinding(key.WithKeys("left", "h"), key.WithHelp("←/h", "earlier batch")),
		Next:         key.NewBinding(key.WithKeys("right", "l"), key.WithHelp("→/l", "later batch")),
		Latest:       key.NewBinding(key.WithKeys("end", "G"), key.WithHelp("G", "latest")),
		Reload:       key.NewBinding(key.WithKeys("r"), key.WithHelp("r", "recompute")),
		Pause:        key.NewBinding(key.WithKeys("p"), key.WithHelp("p", "pause live")),
		ToggleAlerts: key.NewBinding(key.WithKeys("a"), key.WithHelp("a", "alerts")),
		Model:        key.NewBinding(key.WithKeys("m"), key.WithHelp("m", "model")),
	}
}

// ShortHelp implements help.KeyMap.
func (m *Model) ShortHelp() []key.Binding {
	k := m.keys
	return []key.Binding{k.Down, k.Prev, k.Latest, k.Model, k.Pause, k.Reload, k.ToggleAlerts}
}

// FullHelp implements help.KeyMap.
func (m *Model) FullHelp() [][]key.Binding {
	k := m.keys
	return [][]key.Binding{{k.Up, k.Down, k.Prev, k.Next, k.Latest}, {k.Model, k.Reload, k.Pause, k.ToggleAlerts}}
}
