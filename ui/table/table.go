// Package table is a virtual table over the columns of a frame.Frame: it
// formats only the cells in the visible window (Column.Format), so scrolling
// through millions of rows costs the same as through ten.
//
// Rows are shown through a view (a slice of row indices, for sorted and
// filtered data) or directly. The row-number gutter stays frozen while the
// columns scroll one at a time. Column widths come from the header and the
// values seen so far, capped at MaxColWidth; they only grow, so columns do not
// jitter while scrolling.
//
// The table renders in its setters and Update, and View returns the cached
// string.
package table

import (
	"strconv"
	"strings"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/ansi"
	"github.com/mlwb/mlwb/engine/frame"
	"github.com/mlwb/mlwb/themes"
	"github.com/mlwb/mlwb/ui"
)

// Widths and layout constants, in terminal cells.
const (
	MaxColWidth = 24 // cap on a column's width
	minColWidth = 3
	headerLines = 2 // names and types
	sep         = "  "
	wheelStep   = 3 // rows per mouse wheel notch
)

// NA is shown for missing values.
const NA = "NA"

// KeyMap holds the table's movement keys.
type KeyMap struct {
	Up, Down, Left, Right key.Binding
	PageUp, PageDown      key.Binding
	HalfUp, HalfDown      key.Binding
	Top, Bottom           key.Binding
	FirstCol, LastCol     key.Binding
}

// DefaultKeyMap returns arrows and vim keys.
func DefaultKeyMap() KeyMap {
	return KeyMap{
		Up:       key.NewBinding(key.WithKeys("up", "k"), key.WithHelp("↑/k", "up")),
		Down:     key.NewBinding(key.WithKeys("down", "j"), key.WithHelp("↓/j", "down")),
		Left:     key.NewBinding(key.WithKeys("left", "h"), key.WithHelp("←/h", "left")),
		Right:    key.NewBinding(key.WithKeys("right", "l"), key.WithHelp("→/l", "right")),
		PageUp:   key.NewBinding(key.WithKeys("pgup"), key.WithHelp("pgup", "page up")),
		PageDown: key.NewBinding(key.WithKeys("pgdown", " "), key.WithHelp("pgdn", "page down")),
		HalfUp:   key.NewBinding(key.WithKeys("ctrl+u"), key.WithHelp("ctrl+u", "½ page up")),
		HalfDown: key.NewBinding(key.WithKeys("ctrl+d"), key.WithHelp("ctrl+d", "½ page down")),
		Top:      key.NewBinding(key.WithKeys("g", "home"), key.WithHelp("g/home", "first row")),
		Bottom:   key.NewBinding(key.WithKeys("G", "end"), key.WithHelp("G/end", "last row")),
		FirstCol: key.NewBinding(key.WithKeys("0", "^"), key.WithHelp("0", "first column")),
		LastCol:  key.NewBinding(key.WithKeys("$"), key.WithHelp("$", "last column")),
	}
}

// TypeLabel is the short type name shown under a column name.
func TypeLabel(t frame.Type) string {
	switch t {
	case frame.Float:
		return "float"
	case frame.Int:
		return "int"
	case frame.Bool:
		return "bool"
	case frame.Datetime:
		return "datetime"
	case frame.Categorical:
		return "cat"
	case frame.String:
		return "str"
	}
	return t.String()
}

// placed is one column as laid out by the last render.
type placed struct {
	col  int // column index
	x, w int // offset from the left edge of the table and width
}

// Model is the table widget.
type Model struct {
	KeyMap KeyMap

	st     *themes.Styles
	cols   []frame.Column
	rows   []int // view: row indices into the columns; nil means all rows
	n      int   // number of rows in the view
	widths []int // sticky widths per column (0 = not measured yet)

	cur, curCol int // cursor: position in the view, column index
	top, left   int // first visible position and first visible column

	sortCol  int // column showing a sort arrow, -1 for none
	sortDesc bool

	width, height int
	layout        []placed
	gutterW       int
	rendered      string
	cells         [][]string // scratch: formatted cells of the visible window
}

// New returns an empty table drawn with st.
func New(st *themes.Styles) Model {
	return Model{KeyMap: DefaultKeyMap(), st: st, sortCol: -1}
}

// SetData shows cols (all of the same length) through the identity view and
// puts the cursor at the top-left cell.
func (m *Model) SetData(cols []frame.Column) {
	m.cols = cols
	m.rows = nil
	m.n = 0
	if len(cols) > 0 {
		m.n = cols[0].Len()
	}
	m.widths = make([]int, len(cols))
	m.cur, m.curCol, m.top, m.left = 0, 0, 0, 0
	m.sortCol = -1
	m.refresh()
}

// SetView shows the rows listed in rows (indices into the columns), or all
// rows when rows is nil. The cursor moves to the first row.
func (m *Model) SetView(rows []int) {
	m.rows = rows
	m.n = len(rows)
	if rows == nil && len(m.cols) > 0 {
		m.n = m.cols[0].Len()
	}
	m.cur, m.top = 0, 0
	m.refresh()
}

// SetSort puts a sort arrow on column col (-1 for none).
func (m *Model) SetSort(col int, desc bool) {
	m.sortCol, m.sortDesc = col, desc
	m.refresh()
}

// SetSize sets the table's box, header lines included.
func (m *Model) SetSize(w, h int) {
	m.width, m.height = max(0, w), max(0, h)
	m.refresh()
}

// Len returns the number of rows in the view.
func (m Model) Len() int { return m.n }

// Cursor returns the cursor's position in the view and its column index.
func (m Model) Cursor() (pos, col int) { return m.cur, m.curCol }

// RowID returns the row index (into the columns) at view position pos.
func (m Model) RowID(pos int) int {
	if m.rows == nil {
		return pos
	}
	return m.rows[pos]
}

// SetCursor moves the cursor to view position pos and column col, clamped.
func (m *Model) SetCursor(pos, col int) {
	m.cur, m.curCol = pos, col
	m.refresh()
}

// MoveRows moves the cursor d rows down (up when negative), clamped.
func (m *Model) MoveRows(d int) { m.SetCursor(m.cur+d, m.curCol) }

// MoveCols moves the cursor d columns right (left when negative), clamped.
func (m *Model) MoveCols(d int) { m.SetCursor(m.cur, m.curCol+d) }

// bodyRows is the number of data rows that fit.
func (m Model) bodyRows() int { return max(0, m.height-headerLines) }

// Update handles movement keys, the mouse wheel and clicks (Y relative to
// the table's top line).
func (m Model) Update(msg tea.Msg) (Model, tea.Cmd) {
	page := max(1, m.bodyRows())
	switch msg := msg.(type) {
	case tea.KeyMsg:
		k := m.KeyMap
		switch {
		case key.Matches(msg, k.Up):
			m.MoveRows(-1)
		case key.Matches(msg, k.Down):
			m.MoveRows(1)
		case key.Matches(msg, k.Left):
			m.MoveCols(-1)
		case key.Matches(msg, k.Right):
			m.MoveCols(1)
		case key.Matches(msg, k.PageUp):
			m.top -= page
			m.MoveRows(-page)
		case key.Matches(msg, k.PageDown):
			m.top += page
			m.MoveRows(page)
		case key.Matches(msg, k.HalfUp):
			m.top -= page / 2
			m.MoveRows(-max(1, page/2))
		case key.Matches(msg, k.HalfDown):
			m.top += page / 2
			m.MoveRows(max(1, page/2))
		case key.Matches(msg, k.Top):
			m.SetCursor(0, m.curCol)
		case key.Matches(msg, k.Bottom):
			m.SetCursor(m.n-1, m.curCol)
		case key.Matches(msg, k.FirstCol):
			m.SetCursor(m.cur, 0)
		case key.Matches(msg, k.LastCol):
			m.SetCursor(m.cur, len(m.cols)-1)
		}
	case tea.MouseMsg:
		switch {
		case msg.Button == tea.MouseButtonWheelUp:
			m.top -= wheelStep
			m.MoveRows(-wheelStep)
		case msg.Button == tea.MouseButtonWheelDown:
			m.top += wheelStep
			m.MoveRows(wheelStep)
		case msg.Button == tea.MouseButtonWheelLeft:
			m.MoveCols(-1)
		case msg.Button == tea.MouseButtonWheelRight:
			m.MoveCols(1)
		case msg.Button == tea.MouseButtonLeft && msg.Action == tea.MouseActionPress:
			if pos, col, ok := m.CellAt(msg.X, msg.Y); ok {
				m.SetCursor(pos, col)
			}
		}
	}
	return m, nil
}

// CellAt returns the view position and column at (x, y) relative to the
// table's top-left corner, as laid out by the last render.
func (m Model) CellAt(x, y int) (pos, col int, ok bool) {
	r := y - headerLines
	if r < 0 || r >= m.bodyRows() || m.top+r >= m.n {
		return 0, 0, false
	}
	for _, p := range m.layout {
		if x >= p.x && x < p.x+p.w+len(sep) {
			return m.top + r, p.col, true
		}
	}
	return 0, 0, false
}

// View returns the table rendered by the last change.
func (m Model) View() string { return m.rendered }

// clamp keeps the cursor inside the data and the window around the cursor.
func (m *Model) clamp() {
	body := m.bodyRows()
	m.cur = max(0, min(m.cur, m.n-1))
	m.curCol = max(0, min(m.curCol, len(m.cols)-1))
	m.top = max(0, min(m.top, m.n-body))
	if m.cur < m.top {
		m.top = m.cur
	}
	if body > 0 && m.cur >= m.top+body {
		m.top = m.cur - body + 1
	}
	m.top = max(0, m.top)
}

// measure formats the visible cells of column j into m.cells[j-m.left]-style
// scratch and returns its width (growing the sticky width).
func (m *Model) measure(j int, out []string) ([]string, int) {
	c := m.cols[j]
	w := max(minColWidth, ansi.StringWidth(ui.Printable(c.Name()))+2, len(TypeLabel(c.Type())), m.widths[j]) // +2: " ↑"
	out = out[:0]
	end := min(m.n, m.top+m.bodyRows())
	for p := m.top; p < end; p++ {
		i := m.RowID(p)
		s := NA
		if !c.IsNA(i) {
			s = ui.Printable(c.Format(i))
		}
		out = append(out, s)
		if sw := ansi.StringWidth(s); sw > w {
			w = sw
		}
	}
	w = min(w, MaxColWidth)
	m.widths[j] = w
	return out, w
}

// refresh lays out the visible window and renders it into m.rendered.
func (m *Model) refresh() {
	m.rendered, m.layout = "", m.layout[:0]
	if m.width == 0 || m.height == 0 || len(m.cols) == 0 {
		return
	}
	m.clamp()
	m.gutterW = len(strconv.Itoa(max(1, m.n)))
	avail := m.width - m.gutterW - len(sep)

	// Scroll columns so the cursor column is fully visible.
	if m.curCol < m.left {
		m.left = m.curCol
	}
	if len(m.cells) < len(m.cols) {
		m.cells = make([][]string, len(m.cols))
	}
	var w int
	m.cells[m.curCol], w = m.measure(m.curCol, m.cells[m.curCol])
	used := w
	first := m.curCol
	for first > m.left {
		var wj int
		m.cells[first-1], wj = m.measure(first-1, m.cells[first-1])
		if used+len(sep)+wj > avail {
			break
		}
		used += len(sep) + wj
		first--
	}
	m.left = first

	// Lay out from m.left; the last column may be cut, but not below
	// minColWidth+1 cells (the cursor column is always shown).
	x := 0
	for j := m.left; j < len(m.cols) && x < avail; j++ {
		var wj int
		m.cells[j], wj = m.measure(j, m.cells[j])
		if j != m.curCol && wj > avail-x && avail-x <= minColWidth {
			break
		}
		wj = min(wj, avail-x)
		m.layout = append(m.layout, placed{col: j, x: m.gutterW + len(sep) + x, w: wj})
		x += wj + len(sep)
	}
	m.rendered = m.render()
}

func (m *Model) render() string {
	st := m.st.Table
	var b strings.Builder
	b.Grow((m.width + 16) * m.height)
	lb := lineBuilder{b: &b}

	// Names.
	lb.base = st.Header
	lb.plain(strings.Repeat(" ", m.gutterW))
	for _, p := range m.layout {
		c := m.cols[p.col]
		name := ui.Printable(c.Name())
		arrow := ""
		if p.col == m.sortCol {
			arrow = " " + m.st.Glyphs.SortAsc
			if m.sortDesc {
				arrow = " " + m.st.Glyphs.SortDesc
			}
		}
		text := fit(name, p.w-ansi.StringWidth(arrow), false, m.st.Glyphs.Ellipsis)
		lb.plain(sep)
		hs := st.Header
		if p.col == m.curCol {
			hs = st.CursorCol
		}
		lb.styled(hs, text)
		if arrow != "" {
			lb.styled(st.Sorted, arrow)
		}
	}
	lb.flush()
	b.WriteByte('\n')

	// Types.
	lb.base = st.Type
	lb.plain(strings.Repeat(" ", m.gutterW))
	for _, p := range m.layout {
		lb.plain(sep)
		lb.plain(fit(TypeLabel(m.cols[p.col].Type()), p.w, false, m.st.Glyphs.Ellipsis))
	}
	lb.flush()

	// Rows.
	end := min(m.n, m.top+m.bodyRows())
	for p := m.top; p < end; p++ {
		b.WriteByte('\n')
		r := p - m.top
		onCursor := p == m.cur
		lb.base = st.Cell
		if onCursor {
			lb.base = st.CursorRow
		}
		num := strconv.Itoa(p + 1)
		lb.styled(st.Gutter, strings.Repeat(" ", m.gutterW-len(num))+num)
		for _, pl := range m.layout {
			c := m.cols[pl.col]
			s := m.cells[pl.col][r]
			right := c.Type() == frame.Int || c.Type() == frame.Float
			text := fit(s, pl.w, right, m.st.Glyphs.Ellipsis)
			lb.plain(sep)
			switch {
			case onCursor && pl.col == m.curCol:
				lb.styled(st.CursorCell, text)
			case s == NA && c.IsNA(m.RowID(p)):
				lb.styled(st.NA, text)
			default:
				lb.plain(text)
			}
		}
		lb.flush()
	}
	return b.String()
}

// fit pads or cuts s to exactly w cells.
func fit(s string, w int, right bool, ellipsis string) string {
	if w <= 0 {
		return ""
	}
	sw := ansi.StringWidth(s)
	if sw > w {
		return ansi.Truncate(s, w, ellipsis)
	}
	pad := strings.Repeat(" ", w-sw)
	if right {
		return pad + s
	}
	return s + pad
}

// lineBuilder joins runs of plain text, rendered with the base style, and
// individually styled pieces, so that styles never nest.
type lineBuilder struct {
	b    *strings.Builder
	run  strings.Builder
	base lipgloss.Style
}

func (l *lineBuilder) plain(s string) { l.run.WriteString(s) }

func (l *lineBuilder) styled(st lipgloss.Style, s string) {
	l.flush()
	l.b.WriteString(st.Render(s))
}

func (l *lineBuilder) flush() {
	if l.run.Len() > 0 {
		l.b.WriteString(l.base.Render(l.run.String()))
		l.run.Reset()
	}
}
