package themes

import "github.com/charmbracelet/lipgloss"

// Palette names the colours of a theme by their role, not their hue.
type Palette struct {
	Primary  lipgloss.TerminalColor // active tab, titles, key hints
	Accent   lipgloss.TerminalColor // highlights: sort arrows, progress fill
	Text     lipgloss.TerminalColor // body text
	Muted    lipgloss.TerminalColor // secondary text: types, help descriptions
	Subtle   lipgloss.TerminalColor // faint text: missing values, separators
	Border   lipgloss.TerminalColor // box borders and rules
	Good     lipgloss.TerminalColor // success
	Warn     lipgloss.TerminalColor // warnings
	Bad      lipgloss.TerminalColor // errors
	Selected lipgloss.TerminalColor // background of the cursor cell
	RowBg    lipgloss.TerminalColor // background of the cursor row
	HeaderBg lipgloss.TerminalColor // background of the header bar
	OnAccent lipgloss.TerminalColor // text drawn on Selected or HeaderBg
}

// Dark is the palette for terminals with a dark background.
func Dark() Palette {
	return Palette{
		Primary:  lipgloss.Color("#7D9CFF"),
		Accent:   lipgloss.Color("#F5A97F"),
		Text:     lipgloss.Color("#DDDDDD"),
		Muted:    lipgloss.Color("#8A8A8A"),
		Subtle:   lipgloss.Color("#5C5C5C"),
		Border:   lipgloss.Color("#444444"),
		Good:     lipgloss.Color("#8BD49C"),
		Warn:     lipgloss.Color("#E5C07B"),
		Bad:      lipgloss.Color("#FF6B6B"),
		Selected: lipgloss.Color("#3D59A1"),
		RowBg:    lipgloss.Color("#262A36"),
		HeaderBg: lipgloss.Color("#1F2330"),
		OnAccent: lipgloss.Color("#FFFFFF"),
	}
}

// Light is the palette for terminals with a light background.
func Light() Palette {
	return Palette{
		Primary:  lipgloss.Color("#2B4FC7"),
		Accent:   lipgloss.Color("#C2570C"),
		Text:     lipgloss.Color("#1E1E1E"),
		Muted:    lipgloss.Color("#6B6B6B"),
		Subtle:   lipgloss.Color("#A0A0A0"),
		Border:   lipgloss.Color("#C8C8C8"),
		Good:     lipgloss.Color("#1E7F3C"),
		Warn:     lipgloss.Color("#9A6700"),
		Bad:      lipgloss.Color("#C62828"),
		Selected: lipgloss.Color("#BFD0FF"),
		RowBg:    lipgloss.Color("#EEF1F8"),
		HeaderBg: lipgloss.Color("#E4E8F2"),
		OnAccent: lipgloss.Color("#000000"),
	}
}

// NoColor is the palette of the nocolor theme: every colour is unset, so
// styles fall back to the terminal's own foreground and background.
func NoColor() Palette {
	n := lipgloss.NoColor{}
	return Palette{n, n, n, n, n, n, n, n, n, n, n, n, n}
}
