package table_test

import (
	"strings"
	"testing"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/mlwb/mlwb/engine/frame"
	"github.com/mlwb/mlwb/themes"
	"github.com/mlwb/mlwb/ui/table"
	"github.com/mlwb/mlwb/ui/uitest"
)

// wideFrame has 12 columns of 100 rows; column names are c00..c11 and the
// value of column j at row i is j*1000+i, except column 5 whose values are
// long strings.
func wideFrame() []frame.Column {
	var cols []frame.Column
	for j := range 12 {
		if j == 5 {
			d := make([]string, 100)
			for i := range d {
				d[i] = strings.Repeat("x", 40)
			}
			cols = append(cols, frame.NewString("long", d, frame.Mask{}))
			continue
		}
		d := make([]int64, 100)
		for i := range d {
			d[i] = int64(j*1000 + i)
		}
		cols = append(cols, frame.NewInt64("c"+string(rune('0'+j/10))+string(rune('0'+j%10)), d, frame.Mask{}))
	}
	return cols
}

func newTable(w, h int) table.Model {
	r := uitest.Renderer()
	m := table.New(themes.New(r, themes.NameNoColor))
	m.SetSize(w, h)
	m.SetData(wideFrame())
	return m
}

func key(m table.Model, k string, n int) table.Model {
	for range n {
		m, _ = m.Update(uitest.Key(k))
	}
	return m
}

func lines(m table.Model) []string { return strings.Split(m.View(), "\n") }

func TestViewFillsBoxExactly(t *testing.T) {
	for _, sz := range [][2]int{{40, 10}, {80, 24}, {7, 3}} {
		m := newTable(sz[0], sz[1])
		ls := lines(m)
		if len(ls) != sz[1] {
			t.Errorf("%v: %d lines", sz, len(ls))
		}
		for i, l := range ls {
			if len(l) > sz[0] {
				t.Errorf("%v: line %d is %d wide: %q", sz, i, len(l), l)
			}
		}
	}
}

func TestHorizontalScrollKeepsGutterAndCursorColumn(t *testing.T) {
	m := newTable(40, 10)
	m = key(m, "l", 8)
	if _, c := m.Cursor(); c != 8 {
		t.Fatalf("cursor column %d", c)
	}
	head := lines(m)[0]
	if !strings.Contains(head, "c08") || strings.Contains(head, "c00") {
		t.Errorf("header after scrolling right: %q", head)
	}
	if row := lines(m)[2]; !strings.HasPrefix(row, "  1  ") {
		t.Errorf("gutter not frozen: %q", row)
	}
	m = key(m, "0", 1)
	if head := lines(m)[0]; !strings.Contains(head, "c00") {
		t.Errorf("header after 0: %q", head)
	}
}

func TestLongValuesAreCapped(t *testing.T) {
	m := newTable(80, 6)
	m = key(m, "l", 5)
	row := lines(m)[2]
	if strings.Contains(row, strings.Repeat("x", table.MaxColWidth+1)) || !strings.Contains(row, "~") {
		t.Errorf("long cell not cut to %d with an ellipsis: %q", table.MaxColWidth, row)
	}
}

func TestVerticalClampAndWindow(t *testing.T) {
	m := newTable(40, 10) // 8 data rows
	m = key(m, "G", 1)
	if p, _ := m.Cursor(); p != 99 {
		t.Fatalf("G: row %d", p)
	}
	ls := lines(m)
	if !strings.HasPrefix(ls[len(ls)-1], "100 ") || !strings.HasPrefix(ls[2], " 93 ") {
		t.Errorf("window at the end: first %q last %q", ls[2], ls[len(ls)-1])
	}
	m = key(m, "pgdown", 1)
	if p, _ := m.Cursor(); p != 99 {
		t.Errorf("pgdown past the end: row %d", p)
	}
	m = key(m, "g", 1)
	m = key(m, "pgup", 3)
	if p, _ := m.Cursor(); p != 0 {
		t.Errorf("pgup past the start: row %d", p)
	}
}

func TestViewOverIndex(t *testing.T) {
	m := newTable(40, 10)
	m.SetView([]int{50, 7, 99})
	if m.Len() != 3 || m.RowID(1) != 7 {
		t.Fatalf("len %d rowID(1) %d", m.Len(), m.RowID(1))
	}
	if row := lines(m)[3]; !strings.Contains(row, " 7 ") {
		t.Errorf("second row should show row 7: %q", row)
	}
	m.SetView([]int{})
	if m.Len() != 0 || len(lines(m)) != 2 {
		t.Errorf("empty view: %d rows, %q", m.Len(), m.View())
	}
}

func TestClickSelectsCell(t *testing.T) {
	m := newTable(40, 10)
	m, _ = m.Update(tea.MouseMsg{X: 12, Y: 4, Button: tea.MouseButtonLeft, Action: tea.MouseActionPress})
	if p, c := m.Cursor(); p != 2 || c != 1 {
		t.Errorf("click: cursor (%d, %d), want (2, 1)", p, c)
	}
	if _, _, ok := m.CellAt(12, 0); ok {
		t.Error("a click on the header selected a cell")
	}
}
