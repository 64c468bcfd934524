package themes

import (
	"os"

	"github.com/charmbracelet/bubbles/help"
	"github.com/charmbracelet/bubbles/progress"
	"github.com/charmbracelet/bubbles/spinner"
	"github.com/charmbracelet/lipgloss"
	"github.com/muesli/termenv"
)

// Theme names accepted by New.
const (
	NameDark    = "dark"
	NameLight   = "light"
	NameNoColor = "nocolor"
)

// Glyphs are the symbols drawn by the UI, with ASCII stand-ins in the
// nocolor theme.
type Glyphs struct {
	SortAsc  string // after a column name sorted ascending
	SortDesc string // after a column name sorted descending
	Ellipsis string // end of a truncated cell
	Sep      string // separator between status fields
	Bar      string // one cell of a histogram bar in the side panel
	Prompt   string // before text inputs
	HelpSep  string // between key hints in the one-line help
}

// Styles is every style the UI uses, grouped by where it is used.
type Styles struct {
	// Name is the theme name passed to New.
	Name    string
	Palette Palette
	Glyphs  Glyphs

	// Header is the top bar: project name and screen tabs.
	Header struct {
		Bar       lipgloss.Style
		Brand     lipgloss.Style
		Project   lipgloss.Style
		Tab       lipgloss.Style
		ActiveTab lipgloss.Style
	}
	// Footer is the bottom: status line and key help.
	Footer struct {
		Status lipgloss.Style // transient status text
		Job    lipgloss.Style // label of the running job
		Error  lipgloss.Style // the root's error view
		Hint   lipgloss.Style // "esc dismiss" after errors
	}
	// Help styles the bubbles help model.
	Help help.Styles
	// Table styles the virtual table widget.
	Table struct {
		Header     lipgloss.Style // column names
		Type       lipgloss.Style // the type line under the names
		Cell       lipgloss.Style
		NA         lipgloss.Style // missing values
		Gutter     lipgloss.Style // row numbers
		CursorRow  lipgloss.Style // cells of the cursor row
		CursorCell lipgloss.Style
		CursorCol  lipgloss.Style // header of the cursor column
		Sorted     lipgloss.Style // sort arrow
	}
	// Panel is a side panel with a title and label/value lines.
	Panel struct {
		Box   lipgloss.Style
		Title lipgloss.Style
		Label lipgloss.Style
		Value lipgloss.Style
		Bar   lipgloss.Style
	}
	// Input styles one-line text inputs (filter, jump).
	Input struct {
		Prompt      lipgloss.Style
		Text        lipgloss.Style
		Placeholder lipgloss.Style
		Error       lipgloss.Style // error line under the input
	}
	// Status is a screen's own status line (e.g. the data screen's row/col).
	Status lipgloss.Style
	// Empty is the message shown by a screen with nothing to show.
	Empty lipgloss.Style
	// Title is a heading inside a screen.
	Title lipgloss.Style
	// Muted, Good, Warn and Bad are plain text in those roles.
	Muted, Good, Warn, Bad lipgloss.Style
	// Spinner is the spinner shown while jobs run.
	Spinner      spinner.Spinner
	SpinnerStyle lipgloss.Style

	// Heat colours the cells of a correlation heatmap: Pos[k] and Neg[k] for
	// a positive or negative value whose magnitude is in band k (see
	// HeatLevel), NA for undefined cells. Shades is set only in the nocolor
	// theme: the glyph of each band (░▒▓█), drawn with a sign instead of
	// coloured numbers.
	Heat struct {
		Pos, Neg [HeatLevels]lipgloss.Style
		NA       lipgloss.Style
		Shades   [HeatLevels]string
	}
	// Badge styles short alert tags (MISS, SKEW, PII…) by severity.
	Badge struct {
		Bad, Warn, Info lipgloss.Style
	}

	progressFull, progressEmpty rune
	progressColor               string
	profile                     termenv.Profile
}

// FromEnv returns the nocolor theme when NO_COLOR is set to a non-empty
// value, else dark or light from r.HasDarkBackground (which may query the
// terminal: over SSH and in tests call New with an explicit name instead).
//
// NO_COLOR forbids colour, not emphasis, but termenv answers it with its
// Ascii profile, which drops bold, reverse and underline too: the table
// cursor and the active tab were invisible. When r writes to a terminal
// that can show attributes, FromEnv switches r to the plain ANSI profile;
// the nocolor palette sets no colour, so only attributes are written.
func FromEnv(r *lipgloss.Renderer) *Styles {
	if os.Getenv("NO_COLOR") != "" {
		if o := r.Output(); r.ColorProfile() == termenv.Ascii && o != nil && o.ColorProfile() != termenv.Ascii {
			r.SetColorProfile(termenv.ANSI)
		}
		return New(r, NameNoColor)
	}
	if r.HasDarkBackground() {
		return New(r, NameDark)
	}
	return New(r, NameLight)
}

// New builds the styles of the named theme ("dark", "light" or "nocolor";
// anything else means dark) with renderer r.
func New(r *lipgloss.Renderer, name string) *Styles {
	var p Palette
	nocolor := false
	switch name {
	case NameLight:
		p = Light()
	case NameNoColor:
		p, nocolor = NoColor(), true
	default:
		name = NameDark
		p = Dark()
	}
	s := &Styles{Name: name, Palette: p, profile: r.ColorProfile()}
	ns := r.NewStyle
	fg := func(c lipgloss.TerminalColor) lipgloss.Style { return ns().Foreground(c) }

	s.Glyphs = Glyphs{SortAsc: "↑", SortDesc: "↓", Ellipsis: "…", Sep: " · ", Bar: "▇", Prompt: "› ", HelpSep: " • "}
	s.Spinner = spinner.MiniDot
	s.progressFull, s.progressEmpty = '█', '░'
	if nocolor {
		s.Glyphs = Glyphs{SortAsc: "^", SortDesc: "v", Ellipsis: "~", Sep: " | ", Bar: "#", Prompt: "> ", HelpSep: " | "}
		s.Spinner = spinner.Line
		s.progressFull, s.progressEmpty = '#', '.'
		s.profile = termenv.Ascii
	}
	if hex, ok := p.Accent.(lipgloss.Color); ok {
		s.progressColor = string(hex)
	}

	s.Header.Bar = ns().Background(p.HeaderBg)
	s.Header.Brand = fg(p.Primary).Background(p.HeaderBg).Bold(true).Padding(0, 1)
	s.Header.Project = fg(p.Text).Background(p.HeaderBg).Padding(0, 1)
	s.Header.Tab = fg(p.Muted).Background(p.HeaderBg).Padding(0, 1)
	s.Header.ActiveTab = fg(p.OnAccent).Background(p.Selected).Bold(true).Padding(0, 1)

	s.Footer.Status = fg(p.Muted)
	s.Footer.Job = fg(p.Accent)
	s.Footer.Error = fg(p.Bad).Bold(true)
	s.Footer.Hint = fg(p.Muted)

	s.Help = help.Styles{
		Ellipsis:       fg(p.Subtle),
		ShortKey:       fg(p.Primary),
		ShortDesc:      fg(p.Muted),
		ShortSeparator: fg(p.Subtle),
		FullKey:        fg(p.Primary),
		FullDesc:       fg(p.Muted),
		FullSeparator:  fg(p.Subtle),
	}

	s.Table.Header = fg(p.Primary).Bold(true)
	s.Table.Type = fg(p.Muted)
	s.Table.Cell = fg(p.Text)
	s.Table.NA = fg(p.Subtle)
	s.Table.Gutter = fg(p.Subtle)
	s.Table.CursorRow = ns().Background(p.RowBg)
	s.Table.CursorCell = fg(p.OnAccent).Background(p.Selected).Bold(true)
	s.Table.CursorCol = fg(p.Accent).Bold(true)
	s.Table.Sorted = fg(p.Accent).Bold(true)

	s.Panel.Box = ns().Border(lipgloss.RoundedBorder()).BorderForeground(p.Border).Padding(0, 1)
	s.Panel.Title = fg(p.Primary).Bold(true)
	s.Panel.Label = fg(p.Muted)
	s.Panel.Value = fg(p.Text)
	s.Panel.Bar = fg(p.Accent)

	s.Input.Prompt = fg(p.Primary).Bold(true)
	s.Input.Text = fg(p.Text)
	s.Input.Placeholder = fg(p.Subtle)
	s.Input.Error = fg(p.Bad)

	s.Status = fg(p.Muted)
	s.Empty = fg(p.Muted).Padding(1, 2)
	s.Title = fg(p.Primary).Bold(true)
	s.Muted = fg(p.Muted)
	s.Good = fg(p.Good)
	s.Warn = fg(p.Warn)
	s.Bad = fg(p.Bad)
	s.SpinnerStyle = fg(p.Accent)

	heatPos, heatNeg, heatFg := heatColors(name)
	for k := range HeatLevels {
		s.Heat.Pos[k] = ns().Foreground(heatFg[k]).Background(heatPos[k])
		s.Heat.Neg[k] = ns().Foreground(heatFg[k]).Background(heatNeg[k])
	}
	s.Heat.NA = fg(p.Subtle)
	s.Badge.Bad = fg(p.Bad).Bold(true)
	s.Badge.Warn = fg(p.Warn)
	s.Badge.Info = fg(p.Muted)

	if nocolor {
		s.Header.Bar = ns()
		s.Header.Brand = ns().Bold(true).Padding(0, 1)
		s.Header.ActiveTab = ns().Reverse(true).Bold(true).Padding(0, 1)
		s.Footer.Error = ns().Bold(true)
		s.Table.Header = ns().Bold(true)
		s.Table.Type = ns().Underline(true)
		s.Table.CursorRow = ns()
		s.Table.CursorCell = ns().Reverse(true)
		s.Table.CursorCol = ns().Bold(true).Underline(true)
		s.Table.Sorted = ns().Bold(true)
		s.Panel.Box = ns().Border(lipgloss.NormalBorder()).Padding(0, 1)
		s.Panel.Title = ns().Bold(true)
		s.Input.Prompt = ns().Bold(true)
		s.Input.Error = ns().Bold(true)
		s.Title = ns().Bold(true)
		s.Help.ShortKey = ns().Bold(true)
		s.Help.FullKey = ns().Bold(true)
		for k := range HeatLevels {
			s.Heat.Pos[k], s.Heat.Neg[k] = ns(), ns()
		}
		s.Heat.Shades = [HeatLevels]string{"░", "▒", "▓", "█"}
		s.Badge.Bad = ns().Bold(true)
		s.Badge.Warn = ns()
		s.Badge.Info = ns()
	}
	return s
}

// HeatLevels is the number of bands of |v| the heatmap styles tell apart.
const HeatLevels = 4

// HeatLevel returns the band of a correlation-like value v in [−1, 1]:
// |v| < 0.25 → 0, < 0.5 → 1, < 0.75 → 2, else 3 (values beyond ±1 are
// clamped; NaN is 0).
func HeatLevel(v float64) int {
	a := v
	if a < 0 {
		a = -a
	}
	switch {
	case a >= 0.75:
		return 3
	case a >= 0.5:
		return 2
	case a >= 0.25:
		return 1
	}
	return 0
}

// heatColors returns the background colours of the positive and negative
// heatmap bands of the named theme (blue for positive, red for negative,
// deeper for stronger), and the text colour drawn on each band.
func heatColors(name string) (pos, neg, text [HeatLevels]lipgloss.TerminalColor) {
	c := func(hex ...string) (out [HeatLevels]lipgloss.TerminalColor) {
		for i, h := range hex {
			out[i] = lipgloss.Color(h)
		}
		return out
	}
	switch name {
	case NameLight:
		return c("#E3ECFF", "#BCD0FF", "#85A8F5", "#3F6FD8"),
			c("#FBE3E6", "#F5BCC4", "#EB8593", "#CC3D52"),
			c("#1E1E1E", "#1E1E1E", "#1E1E1E", "#FFFFFF")
	case NameNoColor:
		n := lipgloss.NoColor{}
		return [HeatLevels]lipgloss.TerminalColor{n, n, n, n}, [HeatLevels]lipgloss.TerminalColor{n, n, n, n}, [HeatLevels]lipgloss.TerminalColor{n, n, n, n}
	}
	return c("#1E2A44", "#2B4A80", "#3D6CC0", "#6B9BFF"),
		c("#3A1E24", "#6B2A35", "#A33A4A", "#E0566B"),
		c("#AAAAAA", "#DDDDDD", "#FFFFFF", "#000000")
}

// NewProgress returns a static progress bar (render it with ViewAs) of the
// given width in the theme's colours and glyphs.
func (s *Styles) NewProgress(width int) progress.Model {
	opts := []progress.Option{
		progress.WithColorProfile(s.profile),
		progress.WithFillCharacters(s.progressFull, s.progressEmpty),
		progress.WithoutPercentage(),
		progress.WithWidth(width),
	}
	if s.progressColor != "" {
		opts = append(opts, progress.WithSolidFill(s.progressColor))
	}
	return progress.New(opts...)
}
