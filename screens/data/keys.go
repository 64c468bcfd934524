package data

import (
	"github.com/charmbracelet/bubbles/key"
	"github.com/mlwb/mlwb/ui/table"
)

// KeyMap holds the data screen's keys: the table's movement keys and the
// screen's actions.
type KeyMap struct {
	Table table.KeyMap

	Sort     key.Binding // s: sort ascending by the focused column (again: clear)
	SortDesc key.Binding // S: sort descending (again: clear)
	Filter   key.Binding // /: open the filter input
	Jump     key.Binding // : or ctrl+g: jump to a row number
	Panel    key.Binding // p: toggle the column panel
	Clear    key.Binding // esc: clear the filter

	Apply  key.Binding // enter in an input
	Cancel key.Binding // esc in an input
}

// DefaultKeyMap returns the default keys.
func DefaultKeyMap() KeyMap {
	return KeyMap{
		Table:    table.DefaultKeyMap(),
		Sort:     key.NewBinding(key.WithKeys("s"), key.WithHelp("s/S", "sort asc/desc")),
		SortDesc: key.NewBinding(key.WithKeys("S"), key.WithHelp("S", "sort descending")),
		Filter:   key.NewBinding(key.WithKeys("/"), key.WithHelp("/", "filter")),
		Jump:     key.NewBinding(key.WithKeys(":", "ctrl+g"), key.WithHelp(":", "go to row")),
		Panel:    key.NewBinding(key.WithKeys("p"), key.WithHelp("p", "column panel")),
		Clear:    key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", "clear filter")),
		Apply:    key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "apply")),
		Cancel:   key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", "clear/cancel")),
	}
}
