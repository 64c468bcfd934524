package ui

import "github.com/charmbracelet/bubbles/key"

// GlobalKeyMap holds the keys handled by the root model.
type GlobalKeyMap struct {
	Quit       key.Binding // q: quit (off while a text input has focus)
	Interrupt  key.Binding // ctrl+c: cancel running jobs, or quit when none run
	Back       key.Binding // esc: dismiss the error, cancel jobs, else the screen's own esc
	Help       key.Binding // ?: toggle full help
	NextScreen key.Binding // tab
	PrevScreen key.Binding // shift+tab
	Screen     key.Binding // 1-9: go to screen n
}

// DefaultGlobalKeyMap returns the default global bindings.
func DefaultGlobalKeyMap() GlobalKeyMap {
	return GlobalKeyMap{
		Quit:       key.NewBinding(key.WithKeys("q"), key.WithHelp("q", "quit")),
		Interrupt:  key.NewBinding(key.WithKeys("ctrl+c"), key.WithHelp("ctrl+c", "cancel/quit")),
		Back:       key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", "back/cancel")),
		Help:       key.NewBinding(key.WithKeys("?"), key.WithHelp("?", "help")),
		NextScreen: key.NewBinding(key.WithKeys("tab"), key.WithHelp("tab", "next screen")),
		PrevScreen: key.NewBinding(key.WithKeys("shift+tab"), key.WithHelp("shift+tab", "prev screen")),
		Screen: key.NewBinding(key.WithKeys("1", "2", "3", "4", "5", "6", "7", "8", "9"),
			key.WithHelp("1-9", "go to screen")),
	}
}

// ShortHelp returns the global keys shown in the one-line help.
func (k GlobalKeyMap) ShortHelp() []key.Binding { return []key.Binding{k.Help, k.Quit} }

// FullHelp returns the global keys shown in the full help.
func (k GlobalKeyMap) FullHelp() [][]key.Binding {
	return [][]key.Binding{{k.Screen, k.NextScreen, k.PrevScreen, k.Back, k.Help, k.Quit, k.Interrupt}}
}
