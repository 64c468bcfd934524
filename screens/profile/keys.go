package profile

import "github.com/charmbracelet/bubbles/key"

// KeyMap holds the Profile screen's keys.
type KeyMap struct {
	Up, Down         key.Binding
	Left, Right      key.Binding // choose the table's header (the sort key)
	PageUp, PageDown key.Binding
	Top, Bottom      key.Binding

	Sort     key.Binding // s: sort ascending by the chosen header (again: clear)
	SortDesc key.Binding // S: sort descending (again: clear)

	Detail       key.Binding // d: the column's detail in the side pane
	Correlations key.Binding // c: the heatmap and strongest pairs
	Alerts       key.Binding // a: the alert list
	Method       key.Binding // m: next correlation matrix
	Jump         key.Binding // enter: go to the alert's or pair's column
	NextPane     key.Binding // tab: between the table and the side pane
	PrevPane     key.Binding // shift+tab
	Back         key.Binding // esc: back to the table
	Refresh      key.Binding // r: recompute, ignoring the cache
}

// DefaultKeyMap returns the default keys.
func DefaultKeyMap() KeyMap {
	return KeyMap{
		Up:           key.NewBinding(key.WithKeys("up", "k"), key.WithHelp("↑/k", "up")),
		Down:         key.NewBinding(key.WithKeys("down", "j"), key.WithHelp("↓/j", "down")),
		Left:         key.NewBinding(key.WithKeys("left", "h"), key.WithHelp("←/h", "prev header")),
		Right:        key.NewBinding(key.WithKeys("right", "l"), key.WithHelp("→/l", "next header")),
		PageUp:       key.NewBinding(key.WithKeys("pgup", "ctrl+u"), key.WithHelp("pgup", "page up")),
		PageDown:     key.NewBinding(key.WithKeys("pgdown", "ctrl+d", " "), key.WithHelp("pgdn", "page down")),
		Top:          key.NewBinding(key.WithKeys("g", "home"), key.WithHelp("g", "top")),
		Bottom:       key.NewBinding(key.WithKeys("G", "end"), key.WithHelp("G", "bottom")),
		Sort:         key.NewBinding(key.WithKeys("s"), key.WithHelp("s/S", "sort by header")),
		SortDesc:     key.NewBinding(key.WithKeys("S"), key.WithHelp("S", "sort descending")),
		Detail:       key.NewBinding(key.WithKeys("d"), key.WithHelp("d", "detail")),
		Correlations: key.NewBinding(key.WithKeys("c"), key.WithHelp("c", "correlations")),
		Alerts:       key.NewBinding(key.WithKeys("a"), key.WithHelp("a", "alerts")),
		Method:       key.NewBinding(key.WithKeys("m"), key.WithHelp("m", "matrix")),
		Jump:         key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "go to column")),
		NextPane:     key.NewBinding(key.WithKeys("tab"), key.WithHelp("tab", "pane")),
		PrevPane:     key.NewBinding(key.WithKeys("shift+tab"), key.WithHelp("shift+tab", "prev pane")),
		Back:         key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", "table")),
		Refresh:      key.NewBinding(key.WithKeys("r"), key.WithHelp("r", "recompute")),
	}
}
