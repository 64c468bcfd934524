package project

import "github.com/charmbracelet/bubbles/key"

// KeyMap holds the Project screen's keys: the browse keys, the keys of the
// card form and import prompt (active while they are open), and the delete
// confirmation.
type KeyMap struct {
	// Browsing the panes.
	NextPane key.Binding // tab, l, →: focus the next pane
	PrevPane key.Binding // shift+tab, h, ←: focus the previous pane
	Up       key.Binding // ↑, k
	Down     key.Binding // ↓, j
	Top      key.Binding // g, home
	Bottom   key.Binding // G, end
	Open     key.Binding // enter: edit the card or open the dataset
	Edit     key.Binding // e: edit the card
	Import   key.Binding // i: import a file
	Delete   key.Binding // d: delete the dataset under the cursor
	Refresh  key.Binding // r: reload the card from disk and refresh

	// Forms (the card form and the import prompt).
	NextField      key.Binding // tab, ↓: next field (tab completes first)
	PrevField      key.Binding // shift+tab, ↑
	ChoicePrev     key.Binding // ←: previous value of a choice field
	ChoiceNext     key.Binding // →: next value of a choice field
	Complete       key.Binding // tab: accept the completion
	NextSuggestion key.Binding // ctrl+n: next completion
	PrevSuggestion key.Binding // ctrl+p: previous completion
	Save           key.Binding // ctrl+s: save the card
	Submit         key.Binding // enter: next field, or save/import on the last
	Cancel         key.Binding // esc: close without saving

	// The delete question.
	Yes key.Binding // y
	No  key.Binding // n, esc
}

// DefaultKeyMap returns the default keys.
func DefaultKeyMap() KeyMap {
	return KeyMap{
		NextPane: key.NewBinding(key.WithKeys("tab", "l", "right"), key.WithHelp("tab/→", "next pane")),
		PrevPane: key.NewBinding(key.WithKeys("shift+tab", "h", "left"), key.WithHelp("shift+tab/←", "prev pane")),
		Up:       key.NewBinding(key.WithKeys("up", "k"), key.WithHelp("↑/k", "up")),
		Down:     key.NewBinding(key.WithKeys("down", "j"), key.WithHelp("↓/j", "down")),
		Top:      key.NewBinding(key.WithKeys("g", "home"), key.WithHelp("g", "first")),
		Bottom:   key.NewBinding(key.WithKeys("G", "end"), key.WithHelp("G", "last")),
		Open:     key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "open")),
		Edit:     key.NewBinding(key.WithKeys("e"), key.WithHelp("e", "edit card")),
		Import:   key.NewBinding(key.WithKeys("i"), key.WithHelp("i", "import")),
		Delete:   key.NewBinding(key.WithKeys("d"), key.WithHelp("d", "delete")),
		Refresh:  key.NewBinding(key.WithKeys("r"), key.WithHelp("r", "reload")),

		NextField:      key.NewBinding(key.WithKeys("tab", "down"), key.WithHelp("tab/↓", "next field")),
		PrevField:      key.NewBinding(key.WithKeys("shift+tab", "up"), key.WithHelp("shift+tab/↑", "prev field")),
		ChoicePrev:     key.NewBinding(key.WithKeys("left"), key.WithHelp("←", "prev choice")),
		ChoiceNext:     key.NewBinding(key.WithKeys("right", " "), key.WithHelp("→", "next choice")),
		Complete:       key.NewBinding(key.WithKeys("tab"), key.WithHelp("tab", "complete")),
		NextSuggestion: key.NewBinding(key.WithKeys("ctrl+n"), key.WithHelp("ctrl+n/p", "other completion")),
		PrevSuggestion: key.NewBinding(key.WithKeys("ctrl+p"), key.WithHelp("ctrl+p", "previous completion")),
		Save:           key.NewBinding(key.WithKeys("ctrl+s"), key.WithHelp("ctrl+s", "save")),
		Submit:         key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "next/save")),
		Cancel:         key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", "cancel")),

		Yes: key.NewBinding(key.WithKeys("y", "Y"), key.WithHelp("y", "delete")),
		No:  key.NewBinding(key.WithKeys("n", "N", "esc"), key.WithHelp("n/esc", "keep")),
	}
}
